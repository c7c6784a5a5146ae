import type {
  CoreV1Event,
  KubernetesObject,
  V1Deployment,
  V1Pod,
  V1ReplicaSet,
  V1Service,
} from '@kubernetes/client-node';
import { oneLine } from '../errors.js';
import { DEPLOYED_IMAGE_ANNOTATION, REVISION_ANNOTATION } from '../inventory/labels.js';
import { looksSecret } from '../render/secret-values.js';

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

/** virtual-kubelet's pod status reason when its provider cannot create the pod. */
const PROVIDER_FAILED = 'ProviderFailed';

export interface ScaledObject extends KubernetesObject {
  spec?: { pollingInterval?: number };
  status?: {
    triggersTypes?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

/** KEDA keeps no observedGeneration: a Ready=False left from the last version is given this long to clear. */
export const NOT_READY_GRACE_MS = 10_000;

/** When a ScaledObject was first, and last, seen not Ready during the wait. */
export interface NotReadySeen {
  readonly since: number;
  readonly last: number;
}

// KEDA's default polling interval, and the time its next check of the scalers may take beyond it.
const DEFAULT_POLLING_SECONDS = 30;
const CHECK_MARGIN_MS = 5_000;

/** KEDA's Ready reason when a scaler cannot read its source (a missing queue, refused credentials). */
export const SCALER_ERROR_REASON = 'TriggerError';

export type Verdict =
  /** `scalerError`: accepted by allow-scaler-errors, to be warned about. */
  | { readonly state: 'ok'; readonly address?: string; readonly scalerError?: string }
  | { readonly state: 'pending'; readonly why: string }
  | {
      readonly state: 'failed';
      readonly why: string;
      /** The object whose warning events say more. */
      readonly events?: { readonly kind: 'Pod' | 'ScaledObject'; readonly name: string };
      readonly superseded?: true;
    };

/** Set by the ReplicaSet controller on a ReplicaSet and its pods: which pod template they run. */
export const TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** The Deployment's ReplicaSet of its current revision. */
export function currentSet(deployment: V1Deployment, sets: readonly V1ReplicaSet[]): V1ReplicaSet | undefined {
  const revision = deployment.metadata?.annotations?.[REVISION_ANNOTATION];
  return sets.find(
    (set) =>
      set.metadata?.ownerReferences?.some((owner) => owner.uid === deployment.metadata?.uid) &&
      set.metadata?.annotations?.[REVISION_ANNOTATION] === revision,
  );
}

/** The pods of the Deployment's current revision: only their failures are this rollout's. */
export function newPods(
  deployment: V1Deployment | undefined,
  sets: readonly V1ReplicaSet[],
  pods: readonly V1Pod[],
): V1Pod[] {
  const hash = deployment && currentSet(deployment, sets)?.metadata?.labels?.[TEMPLATE_HASH_LABEL];
  return hash === undefined ? [] : pods.filter((pod) => pod.metadata?.labels?.[TEMPLATE_HASH_LABEL] === hash);
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
  const status = deployment.status ?? {};
  // Until the controller has seen the new generation, the revision, the current ReplicaSet, its pods and the
  // Progressing condition are still the last version's: a crash loop there is not this rollout's.
  if ((status.observedGeneration ?? 0) < (deployment.metadata?.generation ?? 0))
    return { state: 'pending', why: 'the controller has not seen the new version yet' };
  for (const pod of newPods) {
    const failure = podFailure(pod);
    if (failure) return failure;
  }
  const progressing = status.conditions?.find((condition) => condition.type === 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    return { state: 'failed', why: `progress deadline exceeded: ${progressing.message ?? ''}` };
  }
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

/** A pod that will not become ready by itself: an image that does not pull, a crashing container, no node for it. */
export function podFailure(pod: V1Pod): (Verdict & { state: 'failed' }) | undefined {
  const name = pod.metadata?.name ?? '';
  for (const status of pod.status?.containerStatuses ?? []) {
    const waiting = status.state?.waiting;
    if (waiting?.reason && FAILING_REASONS.has(waiting.reason)) {
      const restarts = status.restartCount > 0 ? `, ${status.restartCount} restarts` : '';
      return {
        state: 'failed',
        events: { kind: 'Pod', name },
        why: `pod ${name}, container ${status.name}: ${waiting.reason}${restarts}${waiting.message ? ` (${waiting.message})` : ''}`,
      };
    }
  }
  // A virtual node whose provider (ACI) refuses the pod leaves it Pending with this reason and the provider's error
  // (virtual-kubelet node/pod.go, handleProviderError); its retries meet the same refusal.
  if (pod.status?.reason === PROVIDER_FAILED) {
    return {
      state: 'failed',
      events: { kind: 'Pod', name },
      why: `pod ${name} refused by its virtual node (${PROVIDER_FAILED}): ${pod.status.message ?? ''}`.trim(),
    };
  }
  const scheduled = pod.status?.conditions?.find((condition) => condition.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    return {
      state: 'failed',
      events: { kind: 'Pod', name },
      why: `pod ${name} cannot be scheduled: ${scheduled.message ?? ''}`,
    };
  }
  return undefined;
}

export function isPodReady(pod: V1Pod): boolean {
  return (
    pod.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false
  );
}

export function scaledObjectVerdict(
  scaled: ScaledObject | undefined,
  types: readonly string[],
  notReady: Map<string, NotReadySeen>,
  name: string,
  allowScalerErrors: boolean,
): Verdict {
  if (!scaled) return { state: 'pending', why: 'not seen yet' };
  const ready = scaled.status?.conditions?.find((condition) => condition.type === 'Ready');
  const reported = (scaled.status?.triggersTypes ?? '').split(',').filter(Boolean).sort().join(',');
  const reconciled = reported === [...new Set(types)].sort().join(',');
  // KEDA sets Active after its first look at the scalers, having set Ready=False first if one failed: before that,
  // Ready=True only says the ScaledObject was accepted, not that its source can be read.
  const active = scaled.status?.conditions?.find((condition) => condition.type === 'Active');
  const checked = active?.status === 'True' || active?.status === 'False';
  const now = Date.now();
  const seen = notReady.get(name);
  if (ready?.status === 'True' && reconciled && checked) {
    // Every reconcile of the ScaledObject (its HPA changing, say) sets Ready=True again, and only KEDA's next check
    // of the scalers says whether they still fail: after a failure, Ready counts once a whole check has passed.
    const checkMs = (scaled.spec?.pollingInterval ?? DEFAULT_POLLING_SECONDS) * 1000 + CHECK_MARGIN_MS;
    if (seen !== undefined && now - seen.last < checkMs)
      return { state: 'pending', why: "Ready again, but its scalers failed KEDA's last check" };
    notReady.delete(name);
    return { state: 'ok' };
  }
  if (ready?.status === 'True' && reconciled) return { state: 'pending', why: 'KEDA has not checked its scalers yet' };
  if (ready?.status === 'False') {
    const since = seen?.since ?? now;
    notReady.set(name, { since, last: now });
    const why = `${`not Ready: ${ready.reason ?? ''} ${ready.message ?? ''}`.trim()}; trigger ${[...new Set(types)].join(', ')}`;
    if (now - since < NOT_READY_GRACE_MS) return { state: 'pending', why };
    // Only a scaler that cannot read its source may be accepted: any other reason is a ScaledObject KEDA cannot use.
    if (allowScalerErrors && ready.reason === SCALER_ERROR_REASON) return { state: 'ok', scalerError: why };
    return { state: 'failed', why, events: { kind: 'ScaledObject', name } };
  }
  return { state: 'pending', why: 'KEDA has not reconciled it yet' };
}

/**
 * The newest distinct warnings among an object's events, as one line: the cluster's or KEDA's own reason, which the
 * object's status does not carry.
 */
export function recentWarnings(events: readonly CoreV1Event[], limit = 3): string {
  const time = (event: CoreV1Event) =>
    new Date(event.lastTimestamp ?? event.eventTime ?? event.metadata.creationTimestamp ?? 0).getTime();
  const lines = events
    .filter((event) => event.type === 'Warning')
    .sort((a, b) => time(b) - time(a))
    // A scaler's error may quote its connection string; the CLI masks nothing, so such a message is not shown at all.
    .map((event) => {
      const message = looksSecret(event.message ?? '') ? '(message withheld: it may hold a credential)' : event.message;
      return oneLine(`${event.reason ?? ''}: ${summary(message ?? '')}`);
    });
  return [...new Set(lines)].slice(0, limit).join(' | ');
}

/**
 * An Azure SDK error runs over many lines, ruled off with dashes, and ends with the response body and its request id:
 * the lines before the body say what failed, and stay alike from one failure to the next.
 */
function summary(message: string): string {
  const lines = message.split(/\r?\n/).map((line) => line.trim());
  const body = lines.findIndex((line) => line.startsWith('<'));
  return (body < 0 ? lines : lines.slice(0, body)).filter((line) => line && !/^-+$/.test(line)).join(' ');
}

export function loadBalancerVerdict(service: V1Service | undefined): Verdict {
  const ingress = service?.status?.loadBalancer?.ingress?.[0];
  const address = ingress?.ip ?? ingress?.hostname;
  return address ? { state: 'ok', address } : { state: 'pending', why: 'no load balancer address yet' };
}
