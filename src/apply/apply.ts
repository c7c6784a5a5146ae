import {
  type CoreV1Api,
  type KubernetesObject,
  type KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { UserError } from '../errors.js';
import { apiStatus, isNotFound, withRetries } from '../cluster/status.js';
import { type KubeObject, MANAGED_BY } from '../render/render.js';

/** One field manager for every object, so ownership stays with us across runs. */
export const FIELD_MANAGER = 'aks-functions-deploy';

/** The kinds an app can own: what prune looks through, in the order it deletes them. */
export const OWNED_KINDS: readonly { readonly apiVersion: string; readonly kind: string }[] = [
  { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject' },
  { apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Secret' },
];

/** What runs the app's code: applied after everything it reads. */
const WORKLOADS = new Set(['Deployment', 'ScaledObject']);

export interface ApplyOptions {
  readonly app: string;
  readonly namespace: string;
  readonly force: boolean;
  readonly prune: boolean;
  /** What was deployed (commit, run, digest), recorded on every object. */
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

export function appSelector(app: string): string {
  return `app.kubernetes.io/instance=${app},app.kubernetes.io/managed-by=${MANAGED_BY}`;
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
  for (const object of objects) {
    const owner = managed.get(key(object))?.instance;
    if (owner !== undefined && owner !== options.app) {
      throw new UserError(
        `${key(object)} in namespace ${options.namespace} belongs to app '${owner}': choose another name for this app`,
      );
    }
  }
  const existing = new Map([...managed].filter(([, object]) => object.instance === options.app));
  const applyOne = async (object: KubeObject): Promise<AppliedObject> => {
    const before = existing.get(key(object));
    // The deploy record goes on the workloads only: there it changes no generation, so a redeploy of the same version stays a no-op.
    const annotations = WORKLOADS.has(object.kind) ? options.annotations : {};
    const body = {
      ...object,
      metadata: { ...object.metadata, annotations: { ...object.metadata.annotations, ...annotations } },
    };
    try {
      const after = await withRetries(() =>
        clients.objects.patch(
          body,
          undefined,
          dryRunFlag(options),
          FIELD_MANAGER,
          options.force,
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
  };
  // What the workloads read (settings, identities, the Service) first, so no new pod starts on old settings; each wave at once.
  const applicable = objects.filter((candidate) => candidate.kind !== 'Namespace');
  for (const wave of [
    applicable.filter((object) => !WORKLOADS.has(object.kind)),
    applicable.filter((object) => WORKLOADS.has(object.kind)),
  ]) {
    const settled = await Promise.allSettled(wave.map(applyOne));
    // In render order, and the first failure in that order: the same report however the requests raced.
    const failed = settled.find((outcome) => outcome.status === 'rejected');
    for (const outcome of settled) if (outcome.status === 'fulfilled') record(outcome.value);
    if (failed) throw failed.reason;
  }

  if (options.prune) {
    const rendered = new Set(objects.map(key));
    for (const owned of OWNED_KINDS) {
      for (const id of existing.keys()) {
        if (!id.startsWith(`${owned.kind}/`) || rendered.has(id)) continue;
        const name = id.slice(owned.kind.length + 1);
        try {
          await withRetries(() =>
            clients.objects.delete(
              { ...owned, metadata: { name, namespace: options.namespace } },
              undefined,
              dryRunFlag(options),
              undefined,
              undefined,
              'Background',
            ),
          );
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
        record({ kind: owned.kind, name, action: 'pruned' });
      }
    }
  }
  return results;
}

function dryRunFlag(options: ApplyOptions): string | undefined {
  return options.dryRun ? 'All' : undefined;
}

function key(object: { kind?: string; metadata?: { name?: string } }): string {
  return `${object.kind}/${object.metadata?.name}`;
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

interface Managed {
  readonly instance?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
}

/** Every object we manage in the namespace, of any app, by kind/name. */
async function listManaged(client: KubernetesObjectApi, namespace: string): Promise<Map<string, Managed>> {
  const managed = new Map<string, Managed>();
  const lists = await Promise.all(
    OWNED_KINDS.map(({ apiVersion, kind }) =>
      withRetries(() =>
        client.list(
          apiVersion,
          kind,
          namespace,
          undefined,
          undefined,
          undefined,
          undefined,
          `app.kubernetes.io/managed-by=${MANAGED_BY}`,
        ),
      ).then(
        (list) => ({ kind, items: list.items }),
        (error: unknown) => {
          // KEDA's kinds do not exist until KEDA is installed: nothing of them to prune.
          if (isNotFound(error)) return { kind, items: [] };
          throw error;
        },
      ),
    ),
  );
  for (const { kind, items } of lists) {
    for (const item of items) {
      const { labels, resourceVersion, generation } = item.metadata ?? {};
      managed.set(`${kind}/${item.metadata?.name}`, {
        instance: labels?.['app.kubernetes.io/instance'],
        resourceVersion,
        generation,
      });
    }
  }
  return managed;
}

/** Objects with a generation changed when it moved; the others when anything did. */
function changeOf(before: Managed | undefined, after: KubernetesObject): AppliedObject['action'] {
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
      `${where}: fields owned by another field manager: ${fields || status.message}; set force-conflicts: true to take them over`,
    );
  }
  if (status.code === 403) return new UserError(`${where}: forbidden: ${status.message}`);
  if (status.code === 422 || status.code === 400)
    return new UserError(`${where}: rejected by the cluster: ${status.message}`);
  return new UserError(`${where}: apply failed (${status.code}): ${status.message}`);
}
