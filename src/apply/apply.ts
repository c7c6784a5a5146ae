import {
  type CoreV1Api,
  type KubernetesObject,
  type KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { UserError } from '../errors.js';
import { apiStatus, isNamespaceTerminating, isNotFound, withRetries } from '../cluster/status.js';
import { foreignObjects, listManaged, type ManagedObject, ownedBy, removeObjects } from '../inventory/inventory.js';
import { FIELD_MANAGER, objectKey } from '../inventory/labels.js';
import type { KubeObject } from '../render/render.js';
import type { LeasePolicy } from './lease.js';
import { handOverReplicas } from './replicas-handover.js';

/** What runs the app's code: applied after everything it reads. */
export const WORKLOADS: ReadonlySet<string> = new Set(['Deployment', 'ScaledObject']);

/** How apply treats what is in the cluster: the apply stage's inputs. */
export interface ApplyPolicy {
  /** Take over fields another field manager owns. */
  readonly forceConflicts: boolean;
  /** Delete what the app owns but no longer renders. */
  readonly prune: boolean;
  /** Whether a deploy holds the app's Lease, and whether it may go on without one. */
  readonly lease: LeasePolicy;
}

export interface ApplyOptions extends ApplyPolicy {
  readonly app: string;
  readonly namespace: string;
  /** What was deployed (commit, run, digest), recorded on every workload. */
  readonly annotations: Readonly<Record<string, string>>;
  /** Server-side dry run: the cluster validates everything and keeps nothing. */
  readonly dryRun: boolean;
  /**
   * Takes the app's deploy Lease: as soon as the namespace exists, so that what is listed and checked stays true
   * while it is held.
   */
  readonly takeLease?: () => Promise<void>;
  /**
   * Runs once every check has passed, before the namespace or any object is written: what the deploy changes
   * outside the cluster (the federated credentials of its identities) is changed only by a deploy that can finish.
   */
  readonly beforeChanges?: () => Promise<void>;
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
 * missing), then prune what this app owns but no longer renders. Everything
 * that can be known before the first change is checked first, so a deploy
 * that cannot finish changes nothing: the namespace is not being deleted, the
 * cluster serves every kind, nothing is another's, and a server-side dry run
 * of the whole set passes the cluster's validation, admission and quotas.
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
  const state = await namespaceState(clients.core, options.namespace);
  // An identity that may not read namespaces is one given a namespace that exists: it is deployed into as such.
  const exists = state !== 'absent';
  const takeLease = async () => {
    try {
      await options.takeLease?.();
    } catch (error) {
      if (isNamespaceTerminating(error)) throw terminating(options.namespace);
      if (state === 'unknown' && isNotFound(error))
        throw new UserError(
          `namespace ${options.namespace} does not exist, and this identity may not read namespaces (so it cannot ` +
            'create one either): create it, or grant get on namespaces',
        );
      throw error;
    }
  };
  // Where the namespace does not exist yet, the Lease (which lives in it) waits until it does.
  if (exists) await takeLease();

  const managed = await listManaged(clients.objects, options.namespace);
  const applicable = objects.filter((candidate) => candidate.kind !== 'Namespace');
  if (!options.dryRun) refuseUnservedKinds(applicable, managed.unserved);
  refuseOtherAppsObjects(objects, managed.objects, options);
  await refuseForeignObjects(clients.objects, applicable, managed.objects, options);
  // The dry run needs the namespace: a first deploy into a new one has only the checks above.
  if (exists && !options.dryRun) await rehearse(clients, checkable(applicable, managed.objects), options);
  await options.beforeChanges?.();

  const namespace = objects.find((object) => object.kind === 'Namespace');
  if (namespace) {
    record(
      exists
        ? { kind: 'Namespace', name: namespace.metadata.name, action: 'unchanged' }
        : await createNamespace(clients.core, namespace, options.dryRun),
    );
  }
  if (!exists) await takeLease();

  const existing = ownedBy(managed.objects, options.app);
  // Checked and rehearsed: a count KEDA takes over from this deploy on is handed over first, never dropped to 1.
  if (!options.dryRun) await handOverReplicas(clients.objects, applicable);
  // What the workloads read (settings, identities, the Service) first, so no new pod starts on old settings; a
  // RoleBinding after a Role this deploy creates, which the apiserver reads to check that the binding grants nothing
  // the deploy identity lacks; each wave at once.
  const wave = (object: KubeObject) =>
    WORKLOADS.has(object.kind) ? 2 : bindsRoleToBeCreated(object, applicable, managed.objects) ? 1 : 0;
  for (const objectsOfWave of [0, 1, 2].map((index) => applicable.filter((object) => wave(object) === index))) {
    const settled = await Promise.allSettled(
      objectsOfWave.map((object) => applyOne(clients, object, existing, options)),
    );
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

function terminating(namespace: string): UserError {
  return new UserError(`namespace ${namespace} is being deleted: wait until it is gone, then deploy again`);
}

/**
 * Whether the namespace exists, as far as this identity may know (a namespace-scoped one may not read
 * namespaces); one being deleted is an error here, before anything is tried in it.
 */
async function namespaceState(core: CoreV1Api, name: string): Promise<'exists' | 'absent' | 'unknown'> {
  try {
    const found = await withRetries(() => core.readNamespace({ name }));
    if (found.metadata?.deletionTimestamp || found.status?.phase === 'Terminating') throw terminating(name);
    return 'exists';
  } catch (error) {
    if (isNotFound(error)) return 'absent';
    if (apiStatus(error)?.code === 403) return 'unknown';
    throw error;
  }
}

/** A kind the cluster does not serve fails only after everything before it was applied: refused up front. */
function refuseUnservedKinds(objects: readonly KubeObject[], unserved: ReadonlySet<string>): void {
  const missing = [...new Set(objects.map((object) => `${object.apiVersion}/${object.kind}`))].filter((kind) =>
    unserved.has(kind),
  );
  if (missing.length === 0) return;
  const keda = missing.some((kind) => kind.startsWith('keda.sh/'));
  throw new UserError(
    `the cluster does not serve ${missing.join(', ')}` +
      (keda ? ': KEDA is not installed there; install it, or let the step install it (keda: auto)' : '') +
      '; nothing was changed',
  );
}

/**
 * What a dry run can check: a dry run stores nothing, so a RoleBinding to a Role this deploy creates would be judged
 * against no Role at all (the apiserver refuses a binding whose Role it cannot read, unless the identity may bind
 * anything). Those bindings are checked by the real apply, after their Role.
 */
function checkable(objects: readonly KubeObject[], managed: ReadonlyMap<string, ManagedObject>): KubeObject[] {
  return objects.filter((object) => !bindsRoleToBeCreated(object, objects, managed));
}

/** A RoleBinding whose Role is among the objects and not yet in the cluster. */
function bindsRoleToBeCreated(
  object: KubeObject,
  objects: readonly KubeObject[],
  managed: ReadonlyMap<string, ManagedObject>,
): boolean {
  const role = (object as { roleRef?: { kind?: string; name?: string } }).roleRef;
  if (object.kind !== 'RoleBinding' || role?.kind !== 'Role') return false;
  const key = `Role/${role.name}`;
  return !managed.has(key) && objects.some((candidate) => objectKey(candidate) === key);
}

/**
 * The whole set as a server-side dry run, at once: whatever the cluster would refuse (validation, admission
 * webhooks and policies, quotas) is found while nothing has changed.
 */
async function rehearse(clients: Clients, objects: readonly KubeObject[], options: ApplyOptions): Promise<void> {
  const settled = await Promise.allSettled(objects.map((object) => serverSideApply(clients, object, options, true)));
  const index = settled.findIndex((outcome) => outcome.status === 'rejected');
  if (index < 0) return;
  const reason = (settled[index] as PromiseRejectedResult).reason as unknown;
  const error = applyError(objects[index] as KubeObject, reason);
  if (!(error instanceof UserError)) throw error;
  throw new UserError(`${error.message} (in a server-side dry run of the whole app: nothing was changed)`);
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
  try {
    const after = await serverSideApply(clients, object, options, options.dryRun);
    return { kind: object.kind, name: object.metadata.name, action: changeOf(before, after) };
  } catch (error) {
    // A first deploy's dry run: the namespace or KEDA's kinds do not exist yet, so the cluster cannot check this one.
    if (options.dryRun && isNotFound(error))
      return { kind: object.kind, name: object.metadata.name, action: 'skipped' };
    throw applyError(object, error);
  }
}

function serverSideApply(
  clients: Clients,
  object: KubeObject,
  options: ApplyOptions,
  dryRun: boolean,
): Promise<KubernetesObject> {
  const body = withDeployRecord(object, options.annotations);
  return withRetries(() =>
    clients.objects.patch(
      body,
      undefined,
      dryRun ? 'All' : undefined,
      FIELD_MANAGER,
      options.forceConflicts,
      PatchStrategy.ServerSideApply,
    ),
  );
}

/**
 * The object as applied: the deploy record goes on the workloads only, where it changes no generation, so a redeploy
 * of the same version stays a no-op.
 */
export function withDeployRecord(object: KubeObject, annotations: Readonly<Record<string, string>>): KubeObject {
  const record = WORKLOADS.has(object.kind) ? annotations : {};
  return { ...object, metadata: { ...object.metadata, annotations: { ...object.metadata.annotations, ...record } } };
}

/** Created, never applied: deploy identities often may create but not patch namespaces. */
async function createNamespace(core: CoreV1Api, namespace: KubeObject, dryRun: boolean): Promise<AppliedObject> {
  const name = namespace.metadata.name;
  try {
    await withRetries(() => core.createNamespace({ body: namespace, dryRun: dryRun ? 'All' : undefined }));
  } catch (error) {
    // Made meanwhile (a concurrent first deploy of another app): nothing to create.
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
  if (isNamespaceTerminating(error)) return terminating(object.metadata.namespace ?? object.metadata.name);
  if (status.code === 403) return new UserError(`${where}: forbidden: ${status.message}`);
  if (status.code === 422 || status.code === 400)
    return new UserError(`${where}: rejected by the cluster: ${status.message}`);
  return new UserError(`${where}: apply failed (${status.code}): ${status.message}`);
}
