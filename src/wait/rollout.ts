import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type Informer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  makeInformer,
  type ObjectCache,
  type V1Deployment,
  type V1Pod,
  type V1ReplicaSet,
  type V1Service,
} from '@kubernetes/client-node';
import { UserError } from '../errors.js';
import { ANNOTATION_PREFIX } from '../render/render.js';
import { runInformers } from './informers.js';

/** What the rollout must reach (DESIGN.md §5). */
export interface RolloutTargets {
  readonly app: string;
  readonly namespace: string;
  readonly deployments: readonly string[];
  /** ScaledObject name → the trigger types rendered for it, which KEDA reports once it has reconciled them. */
  readonly scaledObjects: Readonly<Record<string, readonly string[]>>;
  readonly loadBalancers: readonly string[];
  /** The image this deploy recorded on its Deployments: another one there means another deploy of the app replaced this one. */
  readonly image?: string;
}

export interface RolloutReport {
  readonly seconds: number;
  /** Ingress IP or host name of each LoadBalancer Service. */
  readonly addresses: Readonly<Record<string, string>>;
}

/** The rollout did not become healthy: the message says which object, pod and why. */
export class RolloutFailure extends UserError {}

/** Another deploy of the app changed it while this one waited: its version is not this one's to roll back. */
export class RolloutSuperseded extends RolloutFailure {}

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

interface ScaledObject extends KubernetesObject {
  status?: {
    triggersTypes?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

const DEPLOYED_IMAGE = `${ANNOTATION_PREFIX}/image`;

/** KEDA keeps no observedGeneration: a Ready=False left from the last version is given this long to clear. */
const NOT_READY_GRACE_MS = 10_000;

type Verdict =
  | { readonly state: 'ok'; readonly address?: string }
  | { readonly state: 'pending'; readonly why: string }
  | { readonly state: 'failed'; readonly why: string; readonly pod?: string; readonly superseded?: true };

/**
 * Watches every target at once under one deadline, with informers (list +
 * watch, resumed after a dropped connection or a restarted apiserver), and
 * settles as soon as all are healthy or one has failed for good.
 */
export async function waitForRollout(
  config: KubeConfig,
  targets: RolloutTargets,
  timeoutSeconds: number,
): Promise<RolloutReport> {
  const started = Date.now();
  const { namespace, app } = targets;
  const apps = config.makeApiClient(AppsV1Api);
  const core = config.makeApiClient(CoreV1Api);
  const custom = config.makeApiClient(CustomObjectsApi);
  const selector = `app.kubernetes.io/instance=${app}`;

  const deployments = makeInformer<V1Deployment>(
    config,
    `/apis/apps/v1/namespaces/${namespace}/deployments`,
    () => apps.listNamespacedDeployment({ namespace, labelSelector: selector }),
    selector,
  );
  const pods = makeInformer<V1Pod>(
    config,
    `/api/v1/namespaces/${namespace}/pods`,
    () => core.listNamespacedPod({ namespace, labelSelector: selector }),
    selector,
  );
  const services = makeInformer<V1Service>(
    config,
    `/api/v1/namespaces/${namespace}/services`,
    () => core.listNamespacedService({ namespace, labelSelector: selector }),
    selector,
  );
  const replicaSets = makeInformer<V1ReplicaSet>(
    config,
    `/apis/apps/v1/namespaces/${namespace}/replicasets`,
    () => apps.listNamespacedReplicaSet({ namespace, labelSelector: selector }),
    selector,
  );
  const informers: (Informer<KubernetesObject> & ObjectCache<KubernetesObject>)[] = [
    deployments,
    pods,
    services,
    replicaSets,
  ] as never[];
  let scaledObjects: (Informer<ScaledObject> & ObjectCache<ScaledObject>) | undefined;
  const notReadySince = new Map<string, number>();
  if (Object.keys(targets.scaledObjects).length > 0) {
    scaledObjects = makeInformer<ScaledObject>(
      config,
      `/apis/keda.sh/v1alpha1/namespaces/${namespace}/scaledobjects`,
      async () =>
        (await custom.listNamespacedCustomObject({
          group: 'keda.sh',
          version: 'v1alpha1',
          namespace,
          plural: 'scaledobjects',
          labelSelector: selector,
        })) as KubernetesListObject<ScaledObject>,
      selector,
    );
    informers.push(scaledObjects as never);
  }

  const verdicts = (): [string, Verdict][] => [
    ...targets.deployments.map((name): [string, Verdict] => {
      const deployment = deployments.get(name, namespace);
      return [
        `Deployment/${name}`,
        deploymentVerdict(
          deployment,
          newPods(deployment, replicaSets.list(namespace), pods.list(namespace)),
          targets.image,
        ),
      ];
    }),
    ...Object.entries(targets.scaledObjects).map(([name, types]): [string, Verdict] => [
      `ScaledObject/${name}`,
      scaledObjectVerdict(scaledObjects?.get(name, namespace), types, notReadySince, name),
    ]),
    ...targets.loadBalancers.map((name): [string, Verdict] => [
      `Service/${name}`,
      loadBalancerVerdict(services.get(name, namespace)),
    ]),
  ];

  let running: ReturnType<typeof runInformers> | undefined;
  let deadline: NodeJS.Timeout | undefined;
  let recheck: NodeJS.Timeout | undefined;
  try {
    const outcome = await new Promise<[string, Verdict][]>((resolve, reject) => {
      const settle = () => {
        const current = verdicts();
        const failed = current.find(([, verdict]) => verdict.state === 'failed');
        if (failed) reject(failed);
        else if (current.every(([, verdict]) => verdict.state === 'ok')) resolve(current);
        // A grace period ends without an event: look again then.
        else if (notReadySince.size > 0 && recheck === undefined)
          recheck = setTimeout(() => ((recheck = undefined), settle()), NOT_READY_GRACE_MS);
      };
      deadline = setTimeout(() => {
        const pending = verdicts().filter(([, verdict]) => verdict.state !== 'ok');
        reject(
          new RolloutFailure(
            `rollout not healthy after ${timeoutSeconds}s: ${pending.map(([id, verdict]) => `${id}: ${'why' in verdict ? verdict.why : ''}`).join('; ')}`,
          ),
        );
      }, timeoutSeconds * 1000);
      running = runInformers(informers, settle);
      running.started.then(settle, reject);
    }).catch(async (reason: unknown) => {
      if (Array.isArray(reason)) {
        const [id, verdict] = reason as [string, Verdict & { state: 'failed' }];
        if (verdict.superseded) throw new RolloutSuperseded(`${id}: ${verdict.why}`);
        throw new RolloutFailure(
          `${id}: ${verdict.why}${verdict.pod ? await podEvents(core, namespace, verdict.pod) : ''}`,
        );
      }
      throw reason;
    });
    const addresses = Object.fromEntries(
      outcome.flatMap(([id, verdict]) =>
        verdict.state === 'ok' && verdict.address ? [[id.slice('Service/'.length), verdict.address]] : [],
      ),
    );
    return { seconds: (Date.now() - started) / 1000, addresses };
  } finally {
    clearTimeout(deadline);
    clearTimeout(recheck);
    await running?.stop();
  }
}

const REVISION = 'deployment.kubernetes.io/revision';

/** The pods of the Deployment's current revision: only their failures are this rollout's. */
function newPods(deployment: V1Deployment | undefined, sets: readonly V1ReplicaSet[], pods: readonly V1Pod[]): V1Pod[] {
  const revision = deployment?.metadata?.annotations?.[REVISION];
  const current = sets.find(
    (set) =>
      set.metadata?.ownerReferences?.some((owner) => owner.uid === deployment?.metadata?.uid) &&
      set.metadata?.annotations?.[REVISION] === revision,
  );
  const hash = current?.metadata?.labels?.['pod-template-hash'];
  return hash === undefined ? [] : pods.filter((pod) => pod.metadata?.labels?.['pod-template-hash'] === hash);
}

function deploymentVerdict(deployment: V1Deployment | undefined, newPods: V1Pod[], image: string | undefined): Verdict {
  if (!deployment) return { state: 'pending', why: 'not seen yet' };
  const recorded = deployment.metadata?.annotations?.[DEPLOYED_IMAGE];
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

function scaledObjectVerdict(
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

function loadBalancerVerdict(service: V1Service | undefined): Verdict {
  const ingress = service?.status?.loadBalancer?.ingress?.[0];
  const address = ingress?.ip ?? ingress?.hostname;
  return address ? { state: 'ok', address } : { state: 'pending', why: 'no load balancer address yet' };
}

/** The pod's recent warning events, which usually say why. */
async function podEvents(core: CoreV1Api, namespace: string, pod: string): Promise<string> {
  try {
    const events = await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${pod}` });
    const warnings = events.items.filter((event) => event.type === 'Warning').slice(-3);
    return warnings.length > 0
      ? `; events: ${warnings.map((event) => `${event.reason}: ${event.message}`).join(' | ')}`
      : '';
  } catch {
    return '';
  }
}
