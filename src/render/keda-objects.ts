import type { V1Secret } from '@kubernetes/client-node';
import type { AppIdentity } from './identity.js';
import { base64Values, hash, type ObjectFactory } from './objects.js';
import type { KubeObject } from './options.js';
import type { AuthPlan, ScalerPlan } from './plans.js';

/** KEDA's objects for one scaled Deployment: its ScaledObject, and the TriggerAuthentications its triggers need. */

export interface KedaObjects {
  readonly secrets: V1Secret[];
  readonly triggerAuthentications: KubeObject[];
  readonly scaledObjects: KubeObject[];
}

export interface ScaledObjectSpec {
  /** The ScaledObject's and its Deployment's name. */
  readonly name: string;
  /** The Deployment's component label, and the name of its one container (which KEDA reads `env` from). */
  readonly component: 'events' | 'http';
  readonly container: string;
  readonly minReplicas: number;
  readonly maxReplicas?: number;
  readonly pollingIntervalSeconds?: number;
  readonly cooldownSeconds?: number;
  readonly scaleDownStabilizationSeconds?: number;
}

/** The ScaledObject for `spec.name` with one trigger a scaler, and what authenticates them. */
export function kedaObjects(
  app: string,
  spec: ScaledObjectSpec,
  scalers: readonly ScalerPlan[],
  make: ObjectFactory,
  identity: AppIdentity | undefined,
): KedaObjects {
  const secrets: V1Secret[] = [];
  const triggerAuthentications: KubeObject[] = [];
  const triggers = scalers.map((scaler) => {
    const trigger: Record<string, unknown> = { type: scaler.type, metadata: scaler.metadata };
    if (scaler.auth) {
      const auth = triggerAuthentication(withIdentity(scaler.auth, identity), app, spec.container, make);
      if (!triggerAuthentications.some((known) => known.metadata.name === auth.object.metadata.name)) {
        triggerAuthentications.push(auth.object);
        if (auth.secret) secrets.push(auth.secret);
      }
      trigger.authenticationRef = { name: auth.object.metadata.name };
    }
    return trigger;
  });
  const { maxReplicas, pollingIntervalSeconds, cooldownSeconds, scaleDownStabilizationSeconds } = spec;
  const scaledObject = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: make(spec.name, spec.component),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: spec.name },
      minReplicaCount: spec.minReplicas,
      ...(maxReplicas !== undefined ? { maxReplicaCount: maxReplicas } : {}),
      ...(pollingIntervalSeconds !== undefined ? { pollingInterval: pollingIntervalSeconds } : {}),
      ...(cooldownSeconds !== undefined ? { cooldownPeriod: cooldownSeconds } : {}),
      // KEDA hands this to the HPA it makes (autoscaling/v2 behavior).
      ...(scaleDownStabilizationSeconds !== undefined
        ? {
            advanced: {
              horizontalPodAutoscalerConfig: {
                behavior: { scaleDown: { stabilizationWindowSeconds: scaleDownStabilizationSeconds } },
              },
            },
          }
        : {}),
      triggers,
    },
  } as KubeObject;
  return { secrets, triggerAuthentications, scaledObjects: [scaledObject] };
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
  container: string,
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
      ...(auth.env
        ? { env: auth.env.map(({ parameter, name }) => ({ parameter, name, containerName: container })) }
        : {}),
      ...(secret
        ? { secretTargetRef: literals.map(([parameter]) => ({ parameter, name: objectName, key: parameter })) }
        : {}),
    },
  };
  return { object, ...(secret ? { secret } : {}) };
}
