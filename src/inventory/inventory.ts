import type { KubernetesObject, KubernetesObjectApi } from '@kubernetes/client-node';
import { isNotFound, withRetries } from '../cluster/status.js';
import { FIELD_MANAGER, instanceOf, MANAGED_SELECTOR, objectKey, OWNED_KINDS } from './labels.js';

/**
 * The app's objects as the cluster lists them: the one place that lists,
 * prunes and deletes them, so apply's prune and the delete command remove
 * exactly the same things in the same order.
 */

export interface ManagedObject {
  /** The app the object belongs to, by its instance label. */
  readonly instance?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
}

export interface ManagedListing {
  /** Every object this product manages in the namespace, of any app, by `Kind/name`. */
  readonly objects: Map<string, ManagedObject>;
  /** The owned kinds (`apiVersion/Kind`) the cluster does not serve: KEDA's, until KEDA is installed. */
  readonly unserved: ReadonlySet<string>;
}

/** What this product manages in the namespace, and which of the kinds it may own the cluster lacks. */
export async function listManaged(client: KubernetesObjectApi, namespace: string): Promise<ManagedListing> {
  const unserved = new Set<string>();
  const lists = await Promise.all(
    OWNED_KINDS.map(({ apiVersion, kind }) =>
      withRetries(() =>
        client.list(apiVersion, kind, namespace, undefined, undefined, undefined, undefined, MANAGED_SELECTOR),
      ).then(
        (list) => ({ kind, items: list.items }),
        (error: unknown) => {
          // A list in a namespace that does not exist is empty, not 404: a 404 is the kind itself missing.
          if (!isNotFound(error)) throw error;
          unserved.add(`${apiVersion}/${kind}`);
          return { kind, items: [] };
        },
      ),
    ),
  );
  const objects = new Map<string, ManagedObject>();
  for (const { kind, items } of lists) {
    for (const item of items) {
      const { labels, resourceVersion, generation } = item.metadata ?? {};
      objects.set(objectKey({ kind, metadata: item.metadata }), {
        instance: instanceOf(labels),
        resourceVersion,
        generation,
      });
    }
  }
  return { objects, unserved };
}

/** The `Kind/name` keys of what `app` owns in a listing. */
export function ownedBy(managed: ReadonlyMap<string, ManagedObject>, app: string): Map<string, ManagedObject> {
  return new Map([...managed].filter(([, object]) => object.instance === app));
}

/**
 * Why an object in the cluster is not `app`'s, or undefined when it is: its instance label names the app, or,
 * with no instance label, the API records that this product wrote it (the Functions host replaces the keys
 * Secret when it writes keys, and with it the labels we gave it).
 */
export function notOwnedBecause(object: KubernetesObject, app: string): string | undefined {
  const instance = instanceOf(object.metadata?.labels);
  if (instance === app) return undefined;
  if (instance !== undefined) return `belongs to app '${instance}'`;
  const writers = object.metadata?.managedFields?.map((entry) => entry.manager) ?? [];
  return writers.includes(FIELD_MANAGER) ? undefined : `was not created by ${FIELD_MANAGER}`;
}

/**
 * Of objects the listing of the app's objects did not hold, the ones that exist and are not `app`'s, as
 * `Kind/name` and why: read one by one, as the cluster has them.
 */
export async function foreignObjects(
  client: KubernetesObjectApi,
  namespace: string,
  objects: readonly { apiVersion: string; kind: string; metadata: { name: string } }[],
  app: string,
): Promise<{ key: string; why: string }[]> {
  const found = await Promise.all(
    objects.map(async ({ apiVersion, kind, metadata }) => {
      const spec = { apiVersion, kind, metadata: { name: metadata.name, namespace } };
      try {
        const why = notOwnedBecause(await withRetries(() => client.read(spec)), app);
        return why === undefined ? [] : [{ key: objectKey(spec), why }];
      } catch (error) {
        // Absent, or a KEDA kind on a cluster without KEDA: nothing there to take over.
        if (isNotFound(error)) return [];
        throw error;
      }
    }),
  );
  return found.flat();
}

/**
 * Deletes the objects named by `Kind/name` keys, in OWNED_KINDS order (what
 * scales before what it scales, what reads before what is read). `onRemoved`
 * hears of each, with whether it was still there to delete.
 */
export async function removeObjects(
  client: KubernetesObjectApi,
  namespace: string,
  keys: readonly string[],
  dryRun: boolean,
  onRemoved: (kind: string, name: string, existed: boolean) => void,
): Promise<void> {
  for (const owned of OWNED_KINDS) {
    for (const key of keys) {
      if (!key.startsWith(`${owned.kind}/`)) continue;
      const name = key.slice(owned.kind.length + 1);
      const object = { apiVersion: owned.apiVersion, kind: owned.kind, metadata: { name, namespace } };
      let existed = true;
      try {
        await withRetries(() =>
          client.delete(object, undefined, dryRun ? 'All' : undefined, undefined, undefined, 'Background'),
        );
      } catch (error) {
        if (!isNotFound(error)) throw error;
        existed = false;
      }
      onRemoved(owned.kind, name, existed);
    }
  }
}
