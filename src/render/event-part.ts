import type { V1Deployment, V1Secret, V1ServiceAccount } from '@kubernetes/client-node';
import { eventServiceAccount } from './identity.js';
import { kedaObjects } from './keda-objects.js';
import type { ObjectFactory } from './objects.js';
import type { AppParts, KubeObject, RenderOptions } from './options.js';
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
  const { maxReplicas, pollingIntervalSeconds, cooldownSeconds } = options.scaling;
  const keda = kedaObjects(
    name,
    { name, component: 'events', container: name, minReplicas, maxReplicas, pollingIntervalSeconds, cooldownSeconds },
    parts.scalers,
    make,
    pod.workloadIdentity,
  );
  return { ...keda, serviceAccounts, deployments: [deployment] };
}
