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
import { oneLine, UserError } from '../errors.js';
import { instanceSelector } from '../inventory/labels.js';
import { runInformers } from './informers.js';
import {
  deploymentVerdict,
  loadBalancerVerdict,
  currentSet,
  isPodReady,
  newPods,
  NOT_READY_GRACE_MS,
  type NotReadySeen,
  recentWarnings,
  type ScaledObject,
  scaledObjectVerdict,
  TEMPLATE_HASH_LABEL,
  type Verdict,
} from './verdicts.js';

/** What the rollout must reach (DESIGN.md §5). */
export interface RolloutTargets {
  readonly app: string;
  readonly namespace: string;
  readonly deployments: readonly string[];
  /** ScaledObject name → the trigger types rendered for it, which KEDA reports once it has reconciled them. */
  readonly scaledObjects: Readonly<Record<string, readonly string[]>>;
  readonly loadBalancers: readonly string[];
  /** The Deployments a ScaledObject scales: KEDA may keep them at zero replicas, with no pod to prove the version. */
  readonly scaledDeployments: readonly string[];
  /**
   * The image this deploy recorded on its Deployments: another one there means another deploy of the app replaced
   * this one.
   */
  readonly image?: string;
}

export interface RolloutReport {
  readonly seconds: number;
  /** Ingress IP or host name of each LoadBalancer Service. */
  readonly addresses: Readonly<Record<string, string>>;
  /** ScaledObjects accepted although their scaler cannot read its source (allow-scaler-errors), and why. */
  readonly warnings: readonly string[];
  /** The version each scaled Deployment now runs, as the watch last saw it. */
  readonly scaledVersions: readonly ScaledVersion[];
}

/** A scaled Deployment's current version, and whether a pod of it has been seen ready. */
export interface ScaledVersion {
  readonly deployment: V1Deployment;
  /** The pod-template-hash of its current ReplicaSet. */
  readonly templateHash: string;
  /** A pod of this version was ready during the wait. */
  readonly readySeen: boolean;
}

/** The rollout did not become healthy: the message says which object, pod and why. */
export class RolloutFailure extends UserError {}

/** Another deploy of the app changed it while this one waited: its version is not this one's to roll back. */
export class RolloutSuperseded extends RolloutFailure {}

type Cached<T extends KubernetesObject> = Informer<T> & ObjectCache<T>;

/** The app's objects as the cluster shows them, kept current by informers. */
export interface AppWatch {
  readonly deployments: Cached<V1Deployment>;
  readonly pods: Cached<V1Pod>;
  readonly services: Cached<V1Service>;
  readonly replicaSets: Cached<V1ReplicaSet>;
  readonly scaledObjects?: Cached<ScaledObject>;
}

/**
 * Watches every target at once under one deadline, with informers (list +
 * watch, resumed after a dropped connection or a restarted apiserver), and
 * settles as soon as all are healthy or one has failed for good.
 */
export async function waitForRollout(
  config: KubeConfig,
  targets: RolloutTargets,
  timeoutSeconds: number,
  allowScalerErrors: boolean,
): Promise<RolloutReport> {
  const started = Date.now();
  const watch = watchApp(config, targets);
  const notReady = new Map<string, NotReadySeen>();
  const readySeen = new Set<string>();
  const verdicts = () => currentVerdicts(watch, targets, notReady, readySeen, allowScalerErrors);
  const core = config.makeApiClient(CoreV1Api);
  const outcome = await settle(Object.values(watch), verdicts, notReady, timeoutSeconds).catch(
    async (reason: unknown) => {
      if (!Array.isArray(reason)) throw reason;
      const [id, verdict] = reason as [string, Verdict & { state: 'failed' }];
      if (verdict.superseded) throw new RolloutSuperseded(`${id}: ${verdict.why}`);
      const events = verdict.events ? await warningEvents(core, targets.namespace, verdict.events) : '';
      throw new RolloutFailure(`${id}: ${verdict.why}${events}`);
    },
  );
  const warnings: string[] = [];
  for (const [id, verdict] of outcome) {
    if (verdict.state !== 'ok' || !verdict.scalerError) continue;
    const name = id.slice('ScaledObject/'.length);
    const events = await warningEvents(core, targets.namespace, { kind: 'ScaledObject', name });
    warnings.push(
      oneLine(
        `${id}: accepted by allow-scaler-errors, its scaler cannot read its source: ${verdict.scalerError}${events}`,
      ),
    );
  }
  const addresses = Object.fromEntries(
    outcome.flatMap(([id, verdict]) =>
      verdict.state === 'ok' && verdict.address ? [[id.slice('Service/'.length), verdict.address]] : [],
    ),
  );
  return {
    seconds: (Date.now() - started) / 1000,
    addresses,
    warnings,
    scaledVersions: scaledVersions(watch, targets, readySeen),
  };
}

/** A version of a Deployment: a pod seen ready proves the version it belongs to, not whatever the name runs later. */
const versionKey = (deployment: string, templateHash: string | undefined) => `${deployment}@${templateHash}`;

export function scaledVersions(
  watch: AppWatch,
  targets: RolloutTargets,
  readySeen: ReadonlySet<string>,
): ScaledVersion[] {
  const { namespace } = targets;
  return targets.scaledDeployments.flatMap((name) => {
    const deployment = watch.deployments.get(name, namespace);
    const templateHash =
      deployment && currentSet(deployment, watch.replicaSets.list(namespace))?.metadata?.labels?.[TEMPLATE_HASH_LABEL];
    return deployment && templateHash
      ? [{ deployment, templateHash, readySeen: readySeen.has(versionKey(name, templateHash)) }]
      : [];
  });
}

/** Informers on the app's pods and what runs them, by its instance label; ScaledObjects only when it has some. */
function watchApp(config: KubeConfig, targets: RolloutTargets): AppWatch {
  const { namespace } = targets;
  const apps = config.makeApiClient(AppsV1Api);
  const core = config.makeApiClient(CoreV1Api);
  const selector = instanceSelector(targets.app);
  const informer = <T extends KubernetesObject>(path: string, list: () => Promise<KubernetesListObject<T>>) =>
    makeInformer<T>(config, path, list, selector);
  const custom = config.makeApiClient(CustomObjectsApi);
  const listScaledObjects = async () =>
    (await custom.listNamespacedCustomObject({
      group: 'keda.sh',
      version: 'v1alpha1',
      namespace,
      plural: 'scaledobjects',
      labelSelector: selector,
    })) as KubernetesListObject<ScaledObject>;
  return {
    deployments: informer(`/apis/apps/v1/namespaces/${namespace}/deployments`, () =>
      apps.listNamespacedDeployment({ namespace, labelSelector: selector }),
    ),
    pods: informer(`/api/v1/namespaces/${namespace}/pods`, () =>
      core.listNamespacedPod({ namespace, labelSelector: selector }),
    ),
    services: informer(`/api/v1/namespaces/${namespace}/services`, () =>
      core.listNamespacedService({ namespace, labelSelector: selector }),
    ),
    replicaSets: informer(`/apis/apps/v1/namespaces/${namespace}/replicasets`, () =>
      apps.listNamespacedReplicaSet({ namespace, labelSelector: selector }),
    ),
    ...(Object.keys(targets.scaledObjects).length > 0
      ? { scaledObjects: informer(`/apis/keda.sh/v1alpha1/namespaces/${namespace}/scaledobjects`, listScaledObjects) }
      : {}),
  };
}

export function currentVerdicts(
  watch: AppWatch,
  targets: RolloutTargets,
  notReady: Map<string, NotReadySeen>,
  readySeen: Set<string>,
  allowScalerErrors: boolean,
): [string, Verdict][] {
  const { namespace } = targets;
  return [
    ...targets.deployments.map((name): [string, Verdict] => {
      const deployment = watch.deployments.get(name, namespace);
      const pods = newPods(deployment, watch.replicaSets.list(namespace), watch.pods.list(namespace));
      // Until the controller moves the revision, the current set is the old one: its ready pods prove the old version.
      for (const pod of pods.filter(isPodReady))
        readySeen.add(versionKey(name, pod.metadata?.labels?.[TEMPLATE_HASH_LABEL]));
      const verdict = deploymentVerdict(deployment, pods, targets.image);
      // At zero replicas the Deployment is done before its new ReplicaSet may have reached the cache, and that set's
      // pod-template-hash is what the version is proven by.
      if (
        verdict.state === 'ok' &&
        targets.scaledDeployments.includes(name) &&
        !currentSet(deployment as V1Deployment, watch.replicaSets.list(namespace))
      )
        return [`Deployment/${name}`, { state: 'pending', why: 'its new ReplicaSet is not seen yet' }];
      return [`Deployment/${name}`, verdict];
    }),
    ...Object.entries(targets.scaledObjects).map(([name, types]): [string, Verdict] => [
      `ScaledObject/${name}`,
      scaledObjectVerdict(watch.scaledObjects?.get(name, namespace), types, notReady, name, allowScalerErrors),
    ]),
    ...targets.loadBalancers.map((name): [string, Verdict] => [
      `Service/${name}`,
      loadBalancerVerdict(watch.services.get(name, namespace)),
    ]),
  ];
}

/**
 * Resolves with the verdicts once all are ok; rejects with the first failed
 * `[id, verdict]`, or a RolloutFailure at the deadline. The informers stop
 * either way.
 */
export async function settle(
  informers: readonly Informer<KubernetesObject>[],
  verdicts: () => [string, Verdict][],
  notReady: ReadonlyMap<string, NotReadySeen>,
  timeoutSeconds: number,
): Promise<[string, Verdict][]> {
  let running: ReturnType<typeof runInformers> | undefined;
  let deadline: NodeJS.Timeout | undefined;
  let recheck: NodeJS.Timeout | undefined;
  try {
    return await new Promise<[string, Verdict][]>((resolve, reject) => {
      const judge = () => {
        const current = verdicts();
        const failed = current.find(([, verdict]) => verdict.state === 'failed');
        if (failed) reject(failed);
        else if (current.every(([, verdict]) => verdict.state === 'ok')) resolve(current);
        // A grace period ends without an event: look again then.
        else if (notReady.size > 0 && recheck === undefined)
          recheck = setTimeout(() => ((recheck = undefined), judge()), NOT_READY_GRACE_MS);
      };
      deadline = setTimeout(() => {
        const pending = verdicts().filter(([, verdict]) => verdict.state !== 'ok');
        const why = pending.map(([id, verdict]) => `${id}: ${'why' in verdict ? verdict.why : ''}`).join('; ');
        reject(new RolloutFailure(`rollout not healthy after ${timeoutSeconds}s: ${why}`));
      }, timeoutSeconds * 1000);
      running = runInformers(informers, judge);
      running.started.then(judge, reject);
    });
  } finally {
    clearTimeout(deadline);
    clearTimeout(recheck);
    await running?.stop();
  }
}

/** The object's recent warning events, which usually say why (KEDA puts a scaler's error only there and in its log). */
export async function warningEvents(
  core: CoreV1Api,
  namespace: string,
  object: { readonly kind: string; readonly name: string },
): Promise<string> {
  try {
    const events = await core.listNamespacedEvent({
      namespace,
      fieldSelector: `involvedObject.kind=${object.kind},involvedObject.name=${object.name}`,
    });
    const warnings = recentWarnings(events.items);
    return warnings ? `; events: ${warnings}` : '';
  } catch {
    return '';
  }
}
