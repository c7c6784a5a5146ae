import type { KubernetesObject, V1Deployment, V1Pod, V1ReplicaSet, V1Service } from '@kubernetes/client-node';
import { DEPLOYED_IMAGE_ANNOTATION, REVISION_ANNOTATION } from '../inventory/labels.js';

/** Pure judgements of one object each: healthy, not yet, or failed for good (DESIGN.md §5). */

// Waiting reasons that will not clear up by themselves.
const FAILING_REASONS = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'CrashLoopBackOff',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

export interface ScaledObject extends KubernetesObject {
  status?: {
    triggersTypes?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

/** KEDA keeps no observedGeneration: a Ready=False left from the last version is given this long to clear. */
export const NOT_READY_GRACE_MS = 10_000;

export type Verdict =
  | { readonly state: 'ok'; readonly address?: string }
  | { readonly state: 'pending'; readonly why: string }
  | { readonly state: 'failed'; readonly why: string; readonly pod?: string; readonly superseded?: true };

/** The pods of the Deployment's current revision: only their failures are this rollout's. */
export function newPods(
  deployment: V1Deployment | undefined,
  sets: readonly V1ReplicaSet[],
  pods: readonly V1Pod[],
): V1Pod[] {
  const revision = deployment?.metadata?.annotations?.[REVISION_ANNOTATION];
  const current = sets.find(
    (set) =>
      set.metadata?.ownerReferences?.some((owner) => owner.uid === deployment?.metadata?.uid) &&
      set.metadata?.annotations?.[REVISION_ANNOTATION] === revision,
  );
  const hash = current?.metadata?.labels?.['pod-template-hash'];
  return hash === undefined ? [] : pods.filter((pod) => pod.metadata?.labels?.['pod-template-hash'] === hash);
}

export function deploymentVerdict(
  deployment: V1Deployment | undefined,
  newPods: V1Pod[],
  image: string | undefined,
): Verdict {
  if (!deployment) return { state: 'pending', why: 'not seen yet' };
  const recorded = deployment.metadata?.annotations?.[DEPLOYED_IMAGE_ANNOTATION];
  if (image !== undefined && recorded !== undefined && recorded !== image) {
    return {
      state: 'failed',
      why: `replaced by another deploy of this app while this one waited: it now runs ${recorded}`,
      superseded: true,
    };
  }
  for (const pod of newPods) {
    const name = pod.metadata?.name ?? '';
    for (const status of pod.status?.containerStatuses ?? []) {
      const waiting = status.state?.waiting;
      if (waiting?.reason && FAILING_REASONS.has(waiting.reason)) {
        const restarts = status.restartCount > 0 ? `, ${status.restartCount} restarts` : '';
        return {
          state: 'failed',
          pod: name,
          why: `pod ${name}, container ${status.name}: ${waiting.reason}${restarts}${waiting.message ? ` (${waiting.message})` : ''}`,
        };
      }
    }
    const scheduled = pod.status?.conditions?.find((condition) => condition.type === 'PodScheduled');
    if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
      return { state: 'failed', pod: name, why: `pod ${name} cannot be scheduled: ${scheduled.message ?? ''}` };
    }
  }
  const status = deployment.status ?? {};
  const progressing = status.conditions?.find((condition) => condition.type === 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    return { state: 'failed', why: `progress deadline exceeded: ${progressing.message ?? ''}` };
  }
  if ((status.observedGeneration ?? 0) < (deployment.metadata?.generation ?? 0))
    return { state: 'pending', why: 'the controller has not seen the new version yet' };
  const desired = deployment.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const total = status.replicas ?? 0;
  if (updated >= desired && available >= desired && total === desired) return { state: 'ok' };
  return {
    state: 'pending',
    why: `${updated} of ${desired} replicas updated, ${available} available, ${total - updated} old`,
  };
}

export function scaledObjectVerdict(
  scaled: ScaledObject | undefined,
  types: readonly string[],
  notReadySince: Map<string, number>,
  name: string,
): Verdict {
  if (!scaled) return { state: 'pending', why: 'not seen yet' };
  const ready = scaled.status?.conditions?.find((condition) => condition.type === 'Ready');
  const reported = (scaled.status?.triggersTypes ?? '').split(',').filter(Boolean).sort().join(',');
  const reconciled = reported === [...new Set(types)].sort().join(',');
  if (ready?.status !== 'False') notReadySince.delete(name);
  if (ready?.status === 'True' && reconciled) return { state: 'ok' };
  if (ready?.status === 'False') {
    const since = notReadySince.get(name) ?? Date.now();
    notReadySince.set(name, since);
    const why = `not Ready: ${ready.reason ?? ''} ${ready.message ?? ''}`.trim();
    return Date.now() - since >= NOT_READY_GRACE_MS ? { state: 'failed', why } : { state: 'pending', why };
  }
  return { state: 'pending', why: 'KEDA has not reconciled it yet' };
}

export function loadBalancerVerdict(service: V1Service | undefined): Verdict {
  const ingress = service?.status?.loadBalancer?.ingress?.[0];
  const address = ingress?.ip ?? ingress?.hostname;
  return address ? { state: 'ok', address } : { state: 'pending', why: 'no load balancer address yet' };
}
