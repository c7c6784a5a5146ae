import {
  type CoreV1Api,
  type KubernetesObject,
  type KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { UserError } from '../errors.js';
import { apiStatus, isNotFound, withRetries } from '../cluster/status.js';
import { foreignObjects, listManaged, type ManagedObject, ownedBy, removeObjects } from '../inventory/inventory.js';
import { FIELD_MANAGER, objectKey } from '../inventory/labels.js';
import type { KubeObject } from '../render/render.js';

/** What runs the app's code: applied after everything it reads. */
const WORKLOADS = new Set(['Deployment', 'ScaledObject']);

/** How apply treats what is in the cluster: the apply stage's inputs. */
export interface ApplyPolicy {
  /** Take over fields another field manager owns. */
  readonly forceConflicts: boolean;
  /** Delete what the app owns but no longer renders. */
  readonly prune: boolean;
}

export interface ApplyOptions extends ApplyPolicy {
  readonly app: string;
  readonly namespace: string;
  /** What was deployed (commit, run, digest), recorded on every workload. */
  readonly annotations: Readonly<Record<string, string>>;
  /** Server-side dry run: the cluster validates everything and keeps nothing. */
  readonly dryRun: boolean;
  /** Runs once the namespace exists, before the first object is applied. */
  readonly afterNamespace?: () => Promise<void>;
  /** Told of each object as soon as it is applied or pruned. */
  readonly onApplied?: (object: AppliedObject) => void;
}

export interface AppliedObject {
  readonly kind: string;
  readonly name: string;
  readonly action: 'created' | 'configured' | 'unchanged' | 'pruned' | 'skipped';
}

export interface Clients {
  readonly objects: KubernetesObjectApi;
  readonly core: CoreV1Api;
}

/**
 * Server-side apply in render order (the namespace created first when
 * missing), then prune what this app owns but no longer renders.
 */
export async function applyObjects(
  clients: Clients,
  objects: readonly KubeObject[],
  options: ApplyOptions,
): Promise<AppliedObject[]> {
  const results: AppliedObject[] = [];
  const record = (result: AppliedObject) => {
    results.push(result);
    options.onApplied?.(result);
  };
  const namespace = objects.find((object) => object.kind === 'Namespace');
  if (namespace) record(await ensureNamespace(clients.core, namespace, options.dryRun));
  await options.afterNamespace?.();

  const managed = await listManaged(clients.objects, options.namespace);
  refuseOtherAppsObjects(objects, managed, options);
  const applicable = objects.filter((candidate) => candidate.kind !== 'Namespace');
  await refuseForeignObjects(clients.objects, applicable, managed, options);
  const existing = ownedBy(managed, options.app);
  // What the workloads read (settings, identities, the Service) first, so no new pod starts on old settings;
  // each wave at once.
  for (const wave of [
    applicable.filter((object) => !WORKLOADS.has(object.kind)),
    applicable.filter((object) => WORKLOADS.has(object.kind)),
  ]) {
    const settled = await Promise.allSettled(wave.map((object) => applyOne(clients, object, existing, options)));
    // In render order, and the first failure in that order: the same report however the requests raced.
    const failed = settled.find((outcome) => outcome.status === 'rejected');
    for (const outcome of settled) if (outcome.status === 'fulfilled') record(outcome.value);
    if (failed) throw failed.reason;
  }

  if (options.prune) {
    const rendered = new Set(objects.map(objectKey));
    const gone = [...existing.keys()].filter((key) => !rendered.has(key));
    await removeObjects(clients.objects, options.namespace, gone, options.dryRun, (kind, name) =>
      record({ kind, name, action: 'pruned' }),
    );
  }
  return results;
}

/** An object of the same kind and name that another app of ours owns is never taken over. */
function refuseOtherAppsObjects(
  objects: readonly KubeObject[],
  managed: ReadonlyMap<string, ManagedObject>,
  options: ApplyOptions,
): void {
  for (const object of objects) {
    const owner = managed.get(objectKey(object))?.instance;
    if (owner !== undefined && owner !== options.app) {
      throw new UserError(
        `${objectKey(object)} in namespace ${options.namespace} belongs to app '${owner}': ` +
          'choose another name for this app',
      );
    }
  }
}

/**
 * An object of the same kind and name that someone else made (a user, another tool) is never taken over either:
 * apply would merge into it, label it the app's, grant the app's pods what it holds, and a later prune or delete
 * would remove it. Only what the listing did not hold is read, so a redeploy asks nothing more.
 */
async function refuseForeignObjects(
  client: KubernetesObjectApi,
  objects: readonly KubeObject[],
  managed: ReadonlyMap<string, ManagedObject>,
  options: ApplyOptions,
): Promise<void> {
  const unlisted = objects.filter((object) => !managed.has(objectKey(object)));
  const [first, ...more] = await foreignObjects(client, options.namespace, unlisted, options.app);
  if (first === undefined) return;
  throw new UserError(
    `${first.key} in namespace ${options.namespace} ${first.why}` +
      `${more.length > 0 ? ` (and ${more.length} more of the app's objects)` : ''}: ` +
      'an app takes over nothing it did not create; remove it or choose another name for this app',
  );
}

async function applyOne(
  clients: Clients,
  object: KubeObject,
  existing: ReadonlyMap<string, ManagedObject>,
  options: ApplyOptions,
): Promise<AppliedObject> {
  const before = existing.get(objectKey(object));
  // The deploy record goes on the workloads only: there it changes no generation, so a redeploy of the same
  // version stays a no-op.
  const annotations = WORKLOADS.has(object.kind) ? options.annotations : {};
  const body = {
    ...object,
    metadata: { ...object.metadata, annotations: { ...object.metadata.annotations, ...annotations } },
  };
  const dryRun = options.dryRun ? 'All' : undefined;
  try {
    const after = await withRetries(() =>
      clients.objects.patch(
        body,
        undefined,
        dryRun,
        FIELD_MANAGER,
        options.forceConflicts,
        PatchStrategy.ServerSideApply,
      ),
    );
    return { kind: object.kind, name: object.metadata.name, action: changeOf(before, after) };
  } catch (error) {
    // A first deploy's dry run: the namespace or KEDA's kinds do not exist yet, so the cluster cannot check this one.
    if (options.dryRun && isNotFound(error))
      return { kind: object.kind, name: object.metadata.name, action: 'skipped' };
    throw applyError(object, error);
  }
}

async function ensureNamespace(core: CoreV1Api, namespace: KubeObject, dryRun: boolean): Promise<AppliedObject> {
  const name = namespace.metadata.name;
  try {
    await withRetries(() => core.readNamespace({ name }));
    return { kind: 'Namespace', name, action: 'unchanged' };
  } catch (error) {
    // A namespace-scoped identity may not read namespaces: creating tells us as much.
    if (!isNotFound(error) && apiStatus(error)?.code !== 403) throw error;
  }
  // Created, never applied: deploy identities often may create but not patch namespaces.
  try {
    await withRetries(() => core.createNamespace({ body: namespace, dryRun: dryRun ? 'All' : undefined }));
  } catch (error) {
    if (apiStatus(error)?.code === 409) return { kind: 'Namespace', name, action: 'unchanged' };
    throw applyError(namespace, error);
  }
  return { kind: 'Namespace', name, action: 'created' };
}

/** Objects with a generation changed when it moved; the others when anything did. */
function changeOf(before: ManagedObject | undefined, after: KubernetesObject): AppliedObject['action'] {
  if (before === undefined) return 'created';
  const same =
    before.generation !== undefined
      ? before.generation === after.metadata?.generation
      : before.resourceVersion === after.metadata?.resourceVersion;
  return same ? 'unchanged' : 'configured';
}

function applyError(object: KubeObject, error: unknown): Error {
  const status = apiStatus(error);
  if (!status) return error as Error;
  const where = `${object.kind}/${object.metadata.name}`;
  if (status.code === 409) {
    const fields = (status.details?.causes ?? []).map((cause) => `${cause.field} (${cause.message})`).join(', ');
    return new UserError(
      `${where}: fields owned by another field manager: ${fields || status.message}; set force-conflicts: true ` +
        `to take them over`,
    );
  }
  if (status.code === 403) return new UserError(`${where}: forbidden: ${status.message}`);
  if (status.code === 422 || status.code === 400)
    return new UserError(`${where}: rejected by the cluster: ${status.message}`);
  return new UserError(`${where}: apply failed (${status.code}): ${status.message}`);
}
