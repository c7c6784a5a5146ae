/** The objects of KEDA's manifest in the cluster: read, checked and deleted for remove.ts. */
import {
  AppsV1Api,
  AutoscalingV2Api,
  BatchV1Api,
  type KubeConfig,
  type KubernetesObject,
  type KubernetesObjectApi,
} from '@kubernetes/client-node';
import { isNotFound, withRetries } from '../cluster/status.js';
import { UserError } from '../errors.js';
import type { Log } from '../platform.js';
import { type Deletion, type ManifestObject, refusals, type RemovalPlan, shownObject } from './removal-plan.js';

/** The call's answer, or undefined when what it reads or deletes is not there. */
export async function unlessNotFound<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await withRetries(call);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** The object as the API is asked for it: a copy, as the client fills in what it lacks. */
function reference({ apiVersion, kind, metadata }: ManifestObject): {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
} {
  return { apiVersion, kind, metadata: { name: metadata.name, namespace: metadata.namespace } };
}

/** Which of the manifest's objects the cluster has, as the cluster has them. */
export async function presentObjects(
  client: KubernetesObjectApi,
  deletions: readonly Deletion[],
): Promise<Map<Deletion, KubernetesObject>> {
  const found = await Promise.all(
    deletions.map(async (deletion) => [deletion, await unlessNotFound(() => client.read(reference(deletion.object)))]),
  );
  return new Map(found.filter((entry): entry is [Deletion, KubernetesObject] => entry[1] !== undefined));
}

/** Deletes the objects the cluster had and is not deleting yet, in the plan's order, each with its propagation. */
export async function deleteListed(
  client: KubernetesObjectApi,
  deletions: readonly Deletion[],
  present: ReadonlyMap<Deletion, KubernetesObject>,
  log: Log,
): Promise<void> {
  for (const deletion of deletions) {
    // Absent, or being deleted already (a namespace answers that with 409): a run that stopped left it so.
    const found = present.get(deletion);
    if (found === undefined || found.metadata?.deletionTimestamp !== undefined) continue;
    const { object, propagation } = deletion;
    await unlessNotFound(() =>
      client.delete(reference(object), undefined, undefined, undefined, undefined, propagation),
    );
    log.info(`deleted ${shownObject(object)}`);
  }
}

/**
 * Refuses when KEDA's namespace runs workloads its manifest did not create: deleting the namespace would delete them
 * (an app deployed into it, say).
 */
export async function checkKedaOnly(config: KubeConfig, plan: RemovalPlan): Promise<void> {
  const apps = config.makeApiClient(AppsV1Api);
  const namespace = plan.namespace;
  const ours = new Set(
    plan.deletions
      .filter(({ object }) => object.metadata.namespace === namespace)
      .map(({ object }) => shownObject(object)),
  );
  const lists = await Promise.all([
    withRetries(() => apps.listNamespacedDeployment({ namespace })).then((list) => ['Deployment', list.items] as const),
    withRetries(() => apps.listNamespacedStatefulSet({ namespace })).then(
      (list) => ['StatefulSet', list.items] as const,
    ),
    withRetries(() => apps.listNamespacedDaemonSet({ namespace })).then((list) => ['DaemonSet', list.items] as const),
  ]);
  const others = lists
    .flatMap(([kind, items]) =>
      items.map((item) => shownObject({ kind, metadata: { name: item.metadata?.name, namespace } })),
    )
    .filter((shown) => !ours.has(shown));
  if (others.length > 0) throw new UserError(refusals.notKedaOnly(namespace, others));
}

/**
 * What KEDA made for ScaledObjects and ScaledJobs that are gone (their HPAs, their Jobs) and the garbage collector
 * has not removed: it deletes them only once it can map their owner's kind, and with KEDA's CRDs gone it never will
 * (an app deleted just before, while the collector had not yet learnt KEDA's kinds, leaves one). Known by an owner
 * reference to KEDA's kind, whose uid no object of that kind still has.
 */
export async function deleteLeftByKeda(config: KubeConfig, living: ReadonlySet<string>, log: Log): Promise<void> {
  const autoscaling = config.makeApiClient(AutoscalingV2Api);
  const batch = config.makeApiClient(BatchV1Api);
  const [hpas, jobs] = await Promise.all([
    withRetries(() => autoscaling.listHorizontalPodAutoscalerForAllNamespaces()),
    withRetries(() => batch.listJobForAllNamespaces()),
  ]);
  for (const [kind, owner, items, remove] of [
    [
      'HorizontalPodAutoscaler',
      'ScaledObject',
      hpas.items,
      (name: string, namespace: string) => autoscaling.deleteNamespacedHorizontalPodAutoscaler({ name, namespace }),
    ],
    [
      'Job',
      'ScaledJob',
      jobs.items,
      (name: string, namespace: string) =>
        batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Background' }),
    ],
  ] as const) {
    for (const { metadata } of items) {
      const left = metadata?.ownerReferences?.find(
        (reference) =>
          reference.kind === owner && reference.apiVersion.startsWith('keda.sh/') && !living.has(reference.uid),
      );
      const { name, namespace } = metadata as { name: string; namespace: string };
      if (left === undefined || (await unlessNotFound(() => remove(name, namespace))) === undefined) continue;
      log.info(`deleted ${kind} ${namespace}/${name}, left by ${owner} ${namespace}/${left.name}`);
    }
  }
}
