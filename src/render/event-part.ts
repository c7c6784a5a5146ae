import type { V1Deployment, V1Secret, V1ServiceAccount } from '@kubernetes/client-node';
import { type AppIdentity, eventServiceAccount } from './identity.js';
import { base64Values, hash, type ObjectFactory } from './objects.js';
import type { AppParts, KubeObject, RenderOptions } from './options.js';
import type { AuthPlan } from './plans.js';
import { functionDeployment, type PodInputs } from './workloads.js';

/**
 * The event-driven functions: one Deployment with no replica count of its
 * own, scaled by a ScaledObject on their triggers; or, when KEDA has nothing
 * to watch, a plain Deployment that always runs.
 */
export function eventPart(
  parts: AppParts,
  pod: PodInputs,
  options: RenderOptions,
  make: ObjectFactory,
): {
  secrets: V1Secret[];
  serviceAccounts: V1ServiceAccount[];
  deployments: V1Deployment[];
  triggerAuthentications: KubeObject[];
  scaledObjects: KubeObject[];
} {
  const { name } = options;
  const minReplicas = parts.alwaysOn ? Math.max(1, options.scaling.minReplicas) : options.scaling.minReplicas;
  const deployment = functionDeployment(pod, name, 'events', parts.events, make(name, 'events'));
  const serviceAccounts = pod.workloadIdentity ? [eventServiceAccount(name, pod.workloadIdentity, make)] : [];
  if (parts.scalers.length === 0) {
    deployment.spec = { replicas: minReplicas, ...deployment.spec } as V1Deployment['spec'];
    return { secrets: [], serviceAccounts, deployments: [deployment], triggerAuthentications: [], scaledObjects: [] };
  }
  const secrets: V1Secret[] = [];
  const triggerAuthentications: KubeObject[] = [];
  const triggers = parts.scalers.map((scaler) => {
    const trigger: Record<string, unknown> = { type: scaler.type, metadata: scaler.metadata };
    if (scaler.auth) {
      const auth = triggerAuthentication(withIdentity(scaler.auth, pod.workloadIdentity), name, make);
      if (!triggerAuthentications.some((known) => known.metadata.name === auth.object.metadata.name)) {
        triggerAuthentications.push(auth.object);
        if (auth.secret) secrets.push(auth.secret);
      }
      trigger.authenticationRef = { name: auth.object.metadata.name };
    }
    return trigger;
  });
  const { maxReplicas, pollingIntervalSeconds, cooldownSeconds } = options.scaling;
  const scaledObject = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: make(name, 'events'),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicaCount: minReplicas,
      ...(maxReplicas !== undefined ? { maxReplicaCount: maxReplicas } : {}),
      ...(pollingIntervalSeconds !== undefined ? { pollingInterval: pollingIntervalSeconds } : {}),
      ...(cooldownSeconds !== undefined ? { cooldownPeriod: cooldownSeconds } : {}),
      triggers,
    },
  } as KubeObject;
  return { secrets, serviceAccounts, deployments: [deployment], triggerAuthentications, scaledObjects: [scaledObject] };
}

/**
 * KEDA signs in as the connection's own identity, else as the app's default one: without an identityId it would use
 * its operator's, which is not the app's.
 */
function withIdentity(auth: AuthPlan, identity: AppIdentity | undefined): AuthPlan {
  if (!auth.podIdentity || auth.podIdentity.identityId || !identity) return auth;
  return { ...auth, podIdentity: { ...auth.podIdentity, identityId: identity.defaultClientId } };
}

function triggerAuthentication(
  auth: AuthPlan,
  app: string,
  make: ObjectFactory,
): { object: KubeObject; secret?: V1Secret } {
  // Named by content, so the same need maps to the same object on every render;
  // literal values stay out of the hash, which anyone may read in the name.
  const shape = { ...auth, literals: Object.keys(auth.literals ?? {}) };
  const objectName = `${app}-${auth.purpose}-${hash(shape).slice(0, 8)}`;
  const literals = Object.entries(auth.literals ?? {});
  const secret: V1Secret | undefined =
    literals.length > 0
      ? {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: make(objectName, 'trigger-auth'),
          type: 'Opaque',
          data: base64Values(Object.fromEntries(literals)),
        }
      : undefined;
  const object = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'TriggerAuthentication',
    metadata: make(objectName, 'trigger-auth'),
    spec: {
      ...(auth.podIdentity ? { podIdentity: auth.podIdentity } : {}),
      ...(auth.env ? { env: auth.env.map(({ parameter, name }) => ({ parameter, name, containerName: app })) } : {}),
      ...(secret
        ? { secretTargetRef: literals.map(([parameter]) => ({ parameter, name: objectName, key: parameter })) }
        : {}),
    },
  };
  return { object, ...(secret ? { secret } : {}) };
}
