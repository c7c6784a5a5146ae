import type { CoreV1Api, KubernetesObject, KubernetesObjectApi } from '@kubernetes/client-node';
import { applyObjects, type ApplyOptions, type Clients } from '../../src/apply/apply.js';
import { UserError } from '../../src/errors.js';
import { appLabels, DEPLOYED_IMAGE_ANNOTATION, objectKey } from '../../src/inventory/labels.js';
import type { KubeObject } from '../../src/render/render.js';

const NAMESPACE = 'shop';
const notFound = () => Object.assign(new Error('not found'), { code: 404, body: { code: 404 } });

/**
 * A namespace as the apiserver keeps it, by `Kind/name`: lists by kind, reads, applies (bumping the generation when
 * the spec changes) and deletes, recording each write.
 */
function cluster(
  initial: KubernetesObject[],
  rules: {
    unserved?: string[];
    namespace?: object | Error;
    refuse?: (body: KubernetesObject, dryRun?: string) => Error | undefined;
  } = {},
) {
  const stored = new Map(initial.map((object) => [objectKey(object), structuredClone(object)]));
  const patched: { body: KubernetesObject; dryRun?: string }[] = [];
  const deleted: { key: string; dryRun?: string }[] = [];
  const objects = {
    list: async (...args: unknown[]) => {
      const [kind, selector] = [args[1], args[7]] as [string, string];
      if (rules.unserved?.includes(kind)) throw notFound();
      const [label, value] = selector.split('=') as [string, string];
      return { items: [...stored.values()].filter((o) => o.kind === kind && o.metadata?.labels?.[label] === value) };
    },
    read: async (spec: KubernetesObject) => {
      const found = stored.get(objectKey(spec));
      if (!found) throw notFound();
      return found;
    },
    patch: async (body: KubernetesObject & { spec?: unknown }, _pretty: unknown, dryRun?: string) => {
      const refusal = rules.refuse?.(body, dryRun);
      if (refusal) throw refusal;
      patched.push({ body, dryRun });
      const before = stored.get(objectKey(body)) as (KubernetesObject & { spec?: unknown }) | undefined;
      const generation =
        (before?.metadata?.generation ?? 0) + (JSON.stringify(before?.spec) === JSON.stringify(body.spec) ? 0 : 1);
      const after = { ...body, metadata: { ...body.metadata, generation } };
      if (!dryRun) stored.set(objectKey(body), after);
      return after;
    },
    delete: async (object: KubernetesObject, _pretty: unknown, dryRun?: string) => {
      deleted.push({ key: objectKey(object), dryRun });
      if (!stored.has(objectKey(object))) throw notFound();
      if (!dryRun) stored.delete(objectKey(object));
      return {};
    },
  };
  const namespaceCalls: string[] = [];
  const core = {
    readNamespace: async () => {
      namespaceCalls.push('read');
      if (rules.namespace instanceof Error) throw rules.namespace;
      return rules.namespace ?? {};
    },
    createNamespace: async () => {
      namespaceCalls.push('create');
      return {};
    },
  };
  const clients = { objects: objects as unknown as KubernetesObjectApi, core: core as unknown as CoreV1Api } as Clients;
  return { clients, stored, patched, deleted, namespaceCalls };
}

const owned = (kind: string, name: string, app = 'orders', extra: object = {}): KubeObject => ({
  apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1',
  kind,
  metadata: { name, namespace: NAMESPACE, labels: appLabels(app), ...extra },
});
const deployment = (spec: object = { replicas: 1 }) => ({ ...owned('Deployment', 'orders'), spec }) as KubeObject;

const options = (extra: Partial<ApplyOptions> = {}): ApplyOptions => ({
  app: 'orders',
  namespace: NAMESPACE,
  annotations: { [DEPLOYED_IMAGE_ANNOTATION]: 'reg.io/orders:2' },
  dryRun: false,
  forceConflicts: false,
  prune: true,
  lease: 'if-permitted',
  ...extra,
});

describe('apply and prune', () => {
  const before = () => [
    owned('Secret', 'orders'),
    owned('ConfigMap', 'orders-old'),
    // Another app's object in the same namespace: never this app's to prune.
    owned('ConfigMap', 'billing', 'billing'),
  ];

  test("prune removes what the app owns and no longer renders, and nothing of another app's", async () => {
    const { clients, stored, deleted } = cluster(before());
    const results = await applyObjects(clients, [owned('Secret', 'orders'), deployment()], options());
    expect(deleted.map((d) => d.key)).toEqual(['ConfigMap/orders-old']);
    expect([...stored.keys()].sort()).toEqual(['ConfigMap/billing', 'Deployment/orders', 'Secret/orders']);
    expect(results.find((r) => r.action === 'pruned')).toEqual({
      kind: 'ConfigMap',
      name: 'orders-old',
      action: 'pruned',
    });
  });

  test('without prune nothing is deleted', async () => {
    const { clients, deleted } = cluster(before());
    await applyObjects(clients, [owned('Secret', 'orders')], options({ prune: false }));
    expect(deleted).toEqual([]);
  });

  test('a dry run prunes as a server-side dry run only', async () => {
    const { clients, stored, deleted } = cluster(before());
    await applyObjects(clients, [owned('Secret', 'orders')], options({ dryRun: true }));
    expect(deleted).toEqual([{ key: 'ConfigMap/orders-old', dryRun: 'All' }]);
    expect(stored.has('ConfigMap/orders-old')).toBe(true);
  });

  test('an object of the same name that another app owns is refused before anything is applied', async () => {
    const { clients, patched } = cluster([owned('Secret', 'orders', 'billing')]);
    const act = applyObjects(clients, [owned('Secret', 'orders'), deployment()], options());
    await expect(act).rejects.toThrow(
      new UserError("Secret/orders in namespace shop belongs to app 'billing': choose another name for this app"),
    );
    expect(patched).toEqual([]);
  });

  test('an object of the same name that someone else created is refused before anything is applied', async () => {
    const { clients, patched } = cluster([
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'orders', managedFields: [{ manager: 'kubectl' }] } },
    ]);
    await expect(applyObjects(clients, [owned('Secret', 'orders'), deployment()], options())).rejects.toThrow(
      /^Secret\/orders in namespace shop was not created by aks-functions-deploy: an app takes over nothing/,
    );
    expect(patched).toEqual([]);
  });

  test('the deploy record goes on the workloads only', async () => {
    const { clients, patched } = cluster([]);
    await applyObjects(clients, [owned('Secret', 'orders'), deployment()], options());
    const annotationsOf = (kind: string) =>
      patched.find((p) => p.body.kind === kind && !p.dryRun)?.body.metadata?.annotations;
    expect(annotationsOf('Secret')).toEqual({});
    expect(annotationsOf('Deployment')).toEqual({ [DEPLOYED_IMAGE_ANNOTATION]: 'reg.io/orders:2' });
  });

  test('created, unchanged or configured, by the generation the cluster reports', async () => {
    const { clients } = cluster([]);
    const actions = async (objects: KubeObject[]) =>
      (await applyObjects(clients, objects, options())).map((r) => `${r.kind}/${r.name} ${r.action}`);
    expect(await actions([deployment()])).toEqual(['Deployment/orders created']);
    expect(await actions([deployment()])).toEqual(['Deployment/orders unchanged']);
    expect(await actions([deployment({ replicas: 2 })])).toEqual(['Deployment/orders configured']);
  });
});

describe('nothing changes before every check has passed', () => {
  const scaledObject = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'orders', namespace: NAMESPACE, labels: appLabels('orders') },
  } as KubeObject;
  const applied = <T extends { dryRun?: string }>(patched: T[]) => patched.filter((p) => !p.dryRun);

  test("a kind the cluster does not serve (KEDA's, without KEDA) is refused before the first object", async () => {
    const { clients, patched } = cluster([], { unserved: ['ScaledObject', 'TriggerAuthentication'] });
    await expect(
      applyObjects(clients, [owned('Secret', 'orders'), deployment(), scaledObject], options()),
    ).rejects.toThrow(
      'the cluster does not serve keda.sh/v1alpha1/ScaledObject: KEDA is not installed there; install it, or let ' +
        'the step install it (keda: auto); nothing was changed',
    );
    expect(patched).toEqual([]);
    // A dry run still shows what it can.
    const dry = await applyObjects(clients, [owned('Secret', 'orders'), scaledObject], options({ dryRun: true }));
    expect(dry.map((r) => r.kind)).toEqual(['Secret', 'ScaledObject']);
  });

  test('what the cluster refuses of any object in a dry run of the whole set stops the deploy before any change', async () => {
    const quota = Object.assign(new Error('forbidden'), {
      code: 403,
      body: { code: 403, message: 'services "orders-http" is forbidden: exceeded quota: none' },
    });
    const { clients, patched, stored } = cluster([], {
      refuse: (body) => (body.kind === 'Service' ? quota : undefined),
    });
    const objects = [owned('Secret', 'orders'), owned('Service', 'orders-http'), deployment()];
    await expect(applyObjects(clients, objects, options())).rejects.toThrow(
      'Service/orders-http: forbidden: services "orders-http" is forbidden: exceeded quota: none (in a server-side ' +
        'dry run of the whole app: nothing was changed)',
    );
    expect(applied(patched)).toEqual([]);
    expect(stored.size).toBe(0);
    // Every object went through the dry run, at once.
    expect(patched.map((p) => [p.body.kind, p.dryRun])).toEqual([
      ['Secret', 'All'],
      ['Deployment', 'All'],
    ]);
  });

  test("the deploy's change outside the cluster (its federated credentials) waits for every check", async () => {
    const outside = (seen: { patched: unknown[]; namespaceCalls: string[] }, calls: string[][]) => async () =>
      void calls.push([...applied(seen.patched as { dryRun?: string }[]).map(() => 'write'), ...seen.namespaceCalls]);
    // Refused by a check (another's object of the app's name, the dry run): never run.
    const foreign = cluster([owned('Secret', 'orders', 'billing')]);
    const refusedCalls: string[][] = [];
    await expect(
      applyObjects(foreign.clients, [owned('Secret', 'orders'), deployment()], {
        ...options(),
        beforeChanges: outside(foreign, refusedCalls),
      }),
    ).rejects.toThrow(/belongs to app 'billing'/);
    const quota = Object.assign(new Error('forbidden'), { code: 403, body: { code: 403, message: 'quota' } });
    const rehearsed = cluster([], {
      refuse: (body, dryRun) => (body.kind === 'Service' && dryRun ? quota : undefined),
    });
    await expect(
      applyObjects(rehearsed.clients, [owned('Service', 'orders-http'), deployment()], {
        ...options(),
        beforeChanges: outside(rehearsed, refusedCalls),
      }),
    ).rejects.toThrow(/quota/);
    expect(refusedCalls).toEqual([]);
    // Every check passed: run once, after the namespace was read and before anything was written.
    const fresh = cluster([], { namespace: notFound() });
    const calls: string[][] = [];
    await applyObjects(fresh.clients, [owned('Namespace', NAMESPACE), deployment()], {
      ...options(),
      beforeChanges: outside(fresh, calls),
    });
    expect(calls).toEqual([['read']]);
    expect(fresh.namespaceCalls).toEqual(['read', 'create']);
  });

  test('a RoleBinding goes after its Role, and is not dry-run against a Role that does not exist yet', async () => {
    const role = { ...owned('Role', 'orders-keys', 'orders'), rules: [] } as KubeObject;
    const binding = {
      ...owned('RoleBinding', 'orders-keys', 'orders'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'orders-keys' },
      subjects: [],
    } as KubeObject;
    for (const object of [role, binding]) object.apiVersion = 'rbac.authorization.k8s.io/v1';
    // As the apiserver's RBAC escalation check does for an identity without bind: the Role must be readable.
    const { clients, patched, stored } = cluster([], {
      refuse: (body) =>
        body.kind === 'RoleBinding' && !stored.has('Role/orders-keys')
          ? new Error('roles "orders-keys" not found')
          : undefined,
    });
    await applyObjects(clients, [role, binding, deployment()], options());
    const real = applied(patched).map((p) => p.body.kind);
    expect(real).toEqual(['Role', 'RoleBinding', 'Deployment']);
    // The redeploy dry-runs the binding too: its Role is there now.
    patched.length = 0;
    await applyObjects(clients, [role, binding, deployment()], options());
    expect(patched.filter((p) => p.dryRun).map((p) => p.body.kind)).toEqual(['Role', 'RoleBinding', 'Deployment']);
  });

  test('an identity that may not read namespaces deploys into its namespace as into an existing one', async () => {
    const forbidden = Object.assign(new Error('forbidden'), { code: 403, body: { code: 403 } });
    const namespaceObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } } as KubeObject;
    const steps: string[] = [];
    const { clients, patched, namespaceCalls } = cluster([], { namespace: forbidden });
    const results = await applyObjects(
      clients,
      [namespaceObject, owned('Secret', 'orders')],
      options({ takeLease: async () => void steps.push(`lease after ${patched.length} patches`) }),
    );
    // Never created (it may not create namespaces either), the Lease first, and the dry run still made.
    expect(namespaceCalls).toEqual(['read']);
    expect(results[0]).toEqual({ kind: 'Namespace', name: NAMESPACE, action: 'unchanged' });
    expect(steps).toEqual(['lease after 0 patches']);
    expect(patched.map((p) => p.dryRun)).toEqual(['All', undefined]);

    // Its namespace is not there after all: said so, at the Lease.
    const { clients: empty } = cluster([], { namespace: forbidden });
    const missing = Object.assign(new Error('not found'), { code: 404, body: { code: 404 } });
    await expect(
      applyObjects(
        empty,
        [namespaceObject, owned('Secret', 'orders')],
        options({ takeLease: () => Promise.reject(missing) }),
      ),
    ).rejects.toThrow(
      `namespace ${NAMESPACE} does not exist, and this identity may not read namespaces (so it cannot create one ` +
        'either): create it, or grant get on namespaces',
    );
  });

  test('a namespace being deleted is an error before anything is tried in it', async () => {
    let leases = 0;
    const { clients, patched } = cluster([], {
      namespace: { metadata: { name: NAMESPACE, deletionTimestamp: new Date() }, status: { phase: 'Terminating' } },
    });
    const act = applyObjects(clients, [deployment()], options({ takeLease: async () => void leases++ }));
    await expect(act).rejects.toThrow(
      `namespace ${NAMESPACE} is being deleted: wait until it is gone, then deploy again`,
    );
    expect(patched).toEqual([]);
    expect(leases).toBe(0);
  });
});
