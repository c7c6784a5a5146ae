/** The objects of KEDA's manifest in the cluster: read, checked and deleted for remove.ts. */
import {
  AppsV1Api,
  AutoscalingV2Api,
  BatchV1Api,
  type KubeConfig,
  type KubernetesObject,
  type KubernetesObjectApi,
  type V1OwnerReference,
} from '@kubernetes/client-node';
import { isNotFound, withRetries } from '../cluster/status.js';
import { UserError } from '../errors.js';
import type { Log } from '../platform.js';
import {
  type Deletion,
  type ListedObject,
  type ManifestObject,
  refusals,
  type RemovalPlan,
  shownObject,
} from './removal-plan.js';

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
 * What KEDA made for the objects it has finalized (a ScaledObject's HPA, a ScaledJob's Jobs) and the garbage
 * collector has not removed yet: once KEDA's CRDs are gone it can no longer map their owner's kind, and would leave
 * them for good. Known by their owner references to the objects removed, nothing else.
 */
export async function deleteOwnedByRemoved(
  config: KubeConfig,
  removed: readonly ListedObject[],
  log: Log,
): Promise<void> {
  const owners = new Map(removed.map((object) => [object.metadata?.uid, shownObject(object)]));
  const ownerOf = (references: readonly V1OwnerReference[] | undefined) =>
    references?.map((reference) => owners.get(reference.uid)).find((owner) => owner !== undefined);
  const removedKind = (kind: string) => removed.some((object) => object.kind === kind);
  const autoscaling = config.makeApiClient(AutoscalingV2Api);
  const batch = config.makeApiClient(BatchV1Api);
  const [hpas, jobs] = await Promise.all([
    removedKind('ScaledObject')
      ? withRetries(() => autoscaling.listHorizontalPodAutoscalerForAllNamespaces()).then((list) => list.items)
      : [],
    removedKind('ScaledJob') ? withRetries(() => batch.listJobForAllNamespaces()).then((list) => list.items) : [],
  ]);
  for (const [kind, items, remove] of [
    [
      'HorizontalPodAutoscaler',
      hpas,
      (name: string, namespace: string) => autoscaling.deleteNamespacedHorizontalPodAutoscaler({ name, namespace }),
    ],
    [
      'Job',
      jobs,
      (name: string, namespace: string) =>
        batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Background' }),
    ],
  ] as const) {
    for (const { metadata } of items) {
      const owner = ownerOf(metadata?.ownerReferences);
      const { name, namespace } = metadata as { name: string; namespace: string };
      if (owner === undefined || (await unlessNotFound(() => remove(name, namespace))) === undefined) continue;
      log.info(`deleted ${shownObject({ kind, metadata })}, which ${owner} owned`);
    }
  }
}
