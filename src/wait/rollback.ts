import { AppsV1Api, type KubeConfig, PatchStrategy, type V1ReplicaSet } from '@kubernetes/client-node';
import { withRetries } from '../cluster/status.js';
import { AppObjectsApi } from '../inventory/client.js';
import { FIELD_MANAGER, REVISION_ANNOTATION } from '../inventory/labels.js';
import type { KubeObject } from '../render/render.js';

/**
 * Puts each Deployment's pod template back to its previous revision (what
 * `kubectl rollout undo` does). The whole rendered Deployment is applied
 * again with the old template, so server-side apply keeps every other field
 * (labels, replicas, strategy) and the next deploy still owns them all.
 * Returns what it did, one line a Deployment.
 */
export async function rollBack(
  config: KubeConfig,
  namespace: string,
  rendered: readonly KubeObject[],
): Promise<string[]> {
  const apps = config.makeApiClient(AppsV1Api);
  const objects = AppObjectsApi.forConfig(config);
  const done: string[] = [];
  for (const object of rendered.filter((candidate) => candidate.kind === 'Deployment')) {
    const name = object.metadata.name;
    const deployment = await apps.readNamespacedDeployment({ name, namespace });
    const current = Number(deployment.metadata?.annotations?.[REVISION_ANNOTATION] ?? 0);
    const labelSelector = Object.entries(deployment.spec?.selector.matchLabels ?? {})
      .map(([key, value]) => `${key}=${value}`)
      .join(',');
    const sets = await apps.listNamespacedReplicaSet({ namespace, labelSelector });
    const previous = sets.items
      .filter((set) => set.metadata?.ownerReferences?.some((owner) => owner.uid === deployment.metadata?.uid))
      .map((set): [number, V1ReplicaSet] => [Number(set.metadata?.annotations?.[REVISION_ANNOTATION] ?? 0), set])
      .filter(([revision]) => revision < current)
      .sort(([a], [b]) => b - a)[0];
    if (!previous) {
      done.push(`Deployment/${name}: no earlier revision to go back to`);
      continue;
    }
    const [revision, set] = previous;
    const template = structuredClone(set.spec?.template);
    delete template?.metadata?.labels?.['pod-template-hash'];
    const { spec } = object as KubeObject & { spec: object };
    const body = { ...object, spec: { ...spec, template } };
    await withRetries(() =>
      objects.patch(body, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply),
    );
    done.push(
      `Deployment/${name}: rolled back to revision ${revision} (${set.spec?.template?.spec?.containers[0]?.image})`,
    );
  }
  return done;
}
