import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type KubeConfig, type KubernetesObject, loadAllYaml } from '@kubernetes/client-node';
import {
  fewOf,
  notFromManifest,
  refusals,
  removalPlan,
  shownObject,
  type ManifestObject,
} from '../../src/keda/removal-plan.js';
import { KEDA_MANIFEST_SHA256 } from '../../src/keda/releases.js';
import { checkKedaOnly, deleteLeftByKeda } from '../../src/keda/remove-objects.js';
import { REPO_ROOT } from './shared-fixtures.js';

const carried = (version: string) =>
  loadAllYaml(readFileSync(join(REPO_ROOT, 'keda', 'manifests', `keda-${version}.yaml`), 'utf8')) as KubernetesObject[];

describe.each(Object.keys(KEDA_MANIFEST_SHA256))("the removal plan of KEDA %s's carried manifest", (version) => {
  const objects = carried(version);
  const plan = removalPlan(objects);
  const order = plan.deletions.map(({ object }) => shownObject(object));
  const at = (kind: string) => plan.deletions.flatMap(({ object }, index) => (object.kind === kind ? [index] : []));

  test('deletes every object of the manifest exactly once, and nothing else', () => {
    expect([...order].sort()).toEqual(objects.map(shownObject).sort());
    expect(new Set(order).size).toBe(objects.length);
  });

  test("knows the manifest's version, namespace and CRDs", () => {
    expect(plan.version).toBe(version);
    expect(plan.namespace).toBe('keda');
    expect([...plan.crds].sort()).toEqual([
      'cloudeventsources.eventing.keda.sh',
      'clustercloudeventsources.eventing.keda.sh',
      'clustertriggerauthentications.keda.sh',
      'scaledjobs.keda.sh',
      'scaledobjects.keda.sh',
      'triggerauthentications.keda.sh',
    ]);
  });

  test("KEDA's kinds, what scales first, each at the version its CRD stores", () => {
    expect(plan.customKinds.slice(0, 2).map((kind) => kind.kind)).toEqual(['ScaledObject', 'ScaledJob']);
    expect(plan.customKinds).toContainEqual({
      kind: 'ClusterTriggerAuthentication',
      group: 'keda.sh',
      version: 'v1alpha1',
      plural: 'clustertriggerauthentications',
      namespaced: false,
    });
    expect(plan.customKinds).toContainEqual({
      kind: 'CloudEventSource',
      group: 'eventing.keda.sh',
      version: 'v1alpha1',
      plural: 'cloudeventsources',
      namespaced: true,
    });
    expect(plan.customKinds).toHaveLength(6);
  });

  test('the routes into KEDA go first, then its programs, what lives beside them, its CRDs, its cluster RBAC, its namespace last', () => {
    const last = (indexes: number[]) => Math.max(...indexes);
    const first = (indexes: number[]) => Math.min(...indexes);
    expect(last([...at('APIService'), ...at('ValidatingWebhookConfiguration')])).toBeLessThan(first(at('Deployment')));
    const namespaced = ['Service', 'ServiceAccount', 'Role', 'RoleBinding'].flatMap(at);
    expect(last(at('Deployment'))).toBeLessThan(first(namespaced));
    expect(last(namespaced)).toBeLessThan(first(at('CustomResourceDefinition')));
    expect(last(at('CustomResourceDefinition'))).toBeLessThan(
      first([...at('ClusterRole'), ...at('ClusterRoleBinding')]),
    );
    expect(order.at(-1)).toBe('Namespace/keda');
    // The kube-system RoleBinding is namespaced too: it goes with KEDA's own namespace's objects.
    expect(order.indexOf('RoleBinding kube-system/keda-auth-reader')).toBeLessThan(
      first(at('CustomResourceDefinition')),
    );
  });

  test("KEDA's programs go with their pods (foreground); everything else in the background", () => {
    for (const { object, propagation } of plan.deletions)
      expect([shownObject(object), propagation]).toEqual([
        shownObject(object),
        object.kind === 'Deployment' ? 'Foreground' : 'Background',
      ]);
  });
});

describe("what is this product's: applied by its field manager, with the manifest's labels", () => {
  const expected: ManifestObject = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      name: 'keda-operator',
      labels: { 'app.kubernetes.io/part-of': 'keda-operator', 'app.kubernetes.io/version': '2.20.2' },
    },
  };
  const found = (managers: { manager: string; operation: string }[], labels: Record<string, string>) => ({
    metadata: { labels, managedFields: managers },
  });
  const ours = { manager: 'aks-functions-deploy', operation: 'Apply' };

  test.each([
    ['applied by this product', [ours], expected.metadata.labels, undefined],
    [
      'applied by this product, then changed by others',
      [ours, { manager: 'kubectl', operation: 'Update' }],
      expected.metadata.labels,
      undefined,
    ],
    [
      'one upgrade behind (its version label aside)',
      [ours],
      { 'app.kubernetes.io/part-of': 'keda-operator', 'app.kubernetes.io/version': '2.19.0' },
      undefined,
    ],
    [
      'applied by kubectl',
      [{ manager: 'kubectl-client-side-apply', operation: 'Update' }],
      expected.metadata.labels,
      'was not applied by aks-functions-deploy',
    ],
    [
      'written by this product, but not applied (not how it installs KEDA)',
      [{ manager: 'aks-functions-deploy', operation: 'Update' }],
      expected.metadata.labels,
      'was not applied by aks-functions-deploy',
    ],
    [
      "without the manifest's part-of label",
      [ours],
      { 'app.kubernetes.io/version': '2.20.2' },
      "lacks the manifest's label app.kubernetes.io/part-of: keda-operator",
    ],
  ] as const)('%s', (_, managers, labels, why) => {
    expect(notFromManifest(expected, found([...managers], { ...labels }))).toBe(why);
  });
});

describe('the refusals say why, and how KEDA is removed instead', () => {
  const scaled = (kind: string, namespace: string, name: string) => ({ kind, metadata: { name, namespace } });

  test('in use: counts by kind, names a few as namespace/name, then how many more', () => {
    const objects = [
      scaled('ScaledObject', 'shop', 'orders'),
      scaled('ScaledObject', 'shop', 'payments'),
      scaled('ScaledJob', 'batch', 'nightly'),
      scaled('ScaledObject', 'shop', 'a'),
      scaled('ScaledObject', 'shop', 'b'),
      scaled('ScaledObject', 'shop', 'c'),
      scaled('ScaledObject', 'shop', 'd'),
    ];
    expect(refusals.inUse(objects, '2.20.2')).toBe(
      'KEDA 2.20.2 is in use: 6 ScaledObjects and 1 ScaledJob in the cluster (ScaledObject shop/orders, ' +
        'ScaledObject shop/payments, ScaledJob batch/nightly, ScaledObject shop/a, ScaledObject shop/b and 2 more); ' +
        'delete them first (aks-functions-deploy delete --name APP for an app this product deployed), or give ' +
        '--force to have KEDA remove them before it goes (what they scaled keeps the replicas KEDA last gave it)',
    );
    expect(refusals.inUse([objects[0]!], '2.19.0')).toMatch(
      /^KEDA 2\.19\.0 is in use: 1 ScaledObject in the cluster \(ScaledObject shop\/orders\); /,
    );
  });

  test('a few: five named, a sixth counted', () => {
    expect(fewOf(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c, d, e');
    expect(fewOf(['a', 'b', 'c', 'd', 'e', 'f'])).toBe('a, b, c, d, e and 1 more');
  });

  test("the AKS add-on: az aks update --disable-keda, with the cluster's names when it was reached through ARM", () => {
    expect(refusals.addon('ARM: the add-on is enabled', { resourceGroup: 'rg-shop', clusterName: 'aks-shop' })).toBe(
      "KEDA in this cluster is the AKS add-on's (ARM: the add-on is enabled): AKS manages it; turn the add-on off " +
        'instead: az aks update --resource-group rg-shop --name aks-shop --disable-keda (or set the managed ' +
        "cluster's workloadAutoScalerProfile.keda.enabled to false through ARM)",
    );
    expect(refusals.addon('its Helm release aks-managed-keda', undefined)).toContain(
      'az aks update --resource-group <resource-group> --name <cluster> --disable-keda',
    );
  });

  test('Helm: helm uninstall with the release and its namespace, or how to find the release', () => {
    const found = {
      version: '2.20.2',
      namespace: 'autoscaling',
      evidence: 'Helm release keda in namespace autoscaling',
    };
    expect(refusals.helm(found, { name: 'keda', namespace: 'autoscaling' })).toBe(
      'KEDA 2.20.2 in namespace autoscaling was installed by Helm (Helm release keda in namespace autoscaling): ' +
        'remove it with Helm: delete its ScaledObjects and ScaledJobs first, then helm uninstall keda -n autoscaling',
    );
    expect(refusals.helm({ ...found, evidence: 'its Helm labels' }, undefined)).toMatch(
      /then helm uninstall <release> -n autoscaling \(helm list -n autoscaling names the release\)$/,
    );
  });
});

describe("KEDA's namespace goes with it: refused while it runs workloads the manifest did not create", () => {
  const plan = removalPlan(carried('2.20.2'));
  /** A cluster whose namespace `keda` has these Deployments, StatefulSets and DaemonSets. */
  const cluster = (workloads: { deployments?: string[]; statefulSets?: string[]; daemonSets?: string[] }) => {
    const list =
      (names: string[] = []) =>
      async () => ({ items: names.map((name) => ({ metadata: { name } })) });
    const api = {
      listNamespacedDeployment: list(workloads.deployments),
      listNamespacedStatefulSet: list(workloads.statefulSets),
      listNamespacedDaemonSet: list(workloads.daemonSets),
    };
    return { makeApiClient: () => api } as unknown as KubeConfig;
  };
  const kedaDeployments = ['keda-admission', 'keda-metrics-apiserver', 'keda-operator'];

  test("KEDA's own Deployments only: nothing to refuse", async () => {
    await expect(checkKedaOnly(cluster({ deployments: kedaDeployments }), plan)).resolves.toBeUndefined();
  });

  test('an app deployed into it, or any other workload, is named', async () => {
    await expect(
      checkKedaOnly(
        cluster({ deployments: [...kedaDeployments, 'orders'], statefulSets: ['cache'], daemonSets: ['agent'] }),
        plan,
      ),
    ).rejects.toThrow(
      'namespace keda holds Deployment keda/orders, StatefulSet keda/cache, DaemonSet keda/agent, which ' +
        "KEDA's manifest did not create; removing KEDA deletes its namespace: move or delete them first",
    );
  });
});

describe('what KEDA made for ScaledObjects and ScaledJobs that are gone goes too, and nothing else', () => {
  const ownedBy = (name: string, namespace: string, kind: string, uid: string, apiVersion = 'keda.sh/v1alpha1') => ({
    metadata: { name, namespace, ownerReferences: [{ apiVersion, kind, name: 'owner', uid }] },
  });
  const cluster = (hpas: object[], jobs: object[], deleted: string[]) => {
    const api = {
      listHorizontalPodAutoscalerForAllNamespaces: async () => ({ items: hpas }),
      listJobForAllNamespaces: async () => ({ items: jobs }),
      deleteNamespacedHorizontalPodAutoscaler: async ({ name, namespace }: { name: string; namespace: string }) =>
        deleted.push(`HorizontalPodAutoscaler ${namespace}/${name}`),
      deleteNamespacedJob: async ({ name, namespace, propagationPolicy }: Record<string, string>) =>
        deleted.push(`Job ${namespace}/${name} ${propagationPolicy}`),
    };
    return { makeApiClient: () => api } as unknown as KubeConfig;
  };

  test("an HPA and a Job whose KEDA owner is gone are deleted, naming it; a living owner's, or another kind's, are not", async () => {
    const deleted: string[] = [];
    const lines: string[] = [];
    await deleteLeftByKeda(
      cluster(
        [
          ownedBy('keda-hpa-orders', 'shop', 'ScaledObject', 'gone-1'),
          ownedBy('keda-hpa-new', 'shop', 'ScaledObject', 'living-1'),
          ownedBy('hpa-of-a-rollout', 'shop', 'Rollout', 'gone-2', 'argoproj.io/v1alpha1'),
          { metadata: { name: 'plain', namespace: 'shop' } },
        ],
        [
          ownedBy('nightly-abc', 'batch', 'ScaledJob', 'gone-3'),
          ownedBy('cron-1', 'batch', 'CronJob', 'gone-4', 'batch/v1'),
        ],
        deleted,
      ),
      new Set(['living-1']),
      { info: (line: string) => lines.push(line), warning: () => undefined },
    );
    expect(deleted).toEqual(['HorizontalPodAutoscaler shop/keda-hpa-orders', 'Job batch/nightly-abc Background']);
    expect(lines).toEqual([
      'deleted HorizontalPodAutoscaler shop/keda-hpa-orders, left by ScaledObject shop/owner',
      'deleted Job batch/nightly-abc, left by ScaledJob batch/owner',
    ]);
  });
});
