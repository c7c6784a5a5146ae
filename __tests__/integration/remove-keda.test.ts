// remove-keda against the local stack: the bundled CLI, run as a user runs it, removes the KEDA a deploy
// installed, and refuses what is not its to remove. The cluster is left without KEDA: the test files after this
// one install it when they deploy.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueueServiceClient } from '@azure/storage-queue';
import * as k8s from '@kubernetes/client-node';
import { removalPlan, shownObject } from '../../src/keda/removal-plan.js';
import {
  cli,
  removeKeda as removeKedaByHand,
  REPO,
  type Run,
  stackDeployArgs,
  until,
  withOperatorAnnotations,
} from './run-cli.js';

const kc = new k8s.KubeConfig();
kc.loadFromDefault();
const apps = kc.makeApiClient(k8s.AppsV1Api);
const core = kc.makeApiClient(k8s.CoreV1Api);
const custom = kc.makeApiClient(k8s.CustomObjectsApi);
const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
const apiextensions = kc.makeApiClient(k8s.ApiextensionsV1Api);
const autoscaling = kc.makeApiClient(k8s.AutoscalingV2Api);

const namespace = `afd-rmkeda-${Date.now().toString(36)}`;
const KUBECONFIG = ['--kubeconfig', process.env.KUBECONFIG as string];
const IMAGE = `registry.local/orders@sha256:${'1'.repeat(64)}`;
const manifest = k8s.loadAllYaml(
  readFileSync(join(REPO, 'keda', 'manifests', 'keda-2.20.2.yaml'), 'utf8'),
) as k8s.KubernetesObject[];
/** The programs the stack's KEDA supervisor runs while KEDA is installed (stack/README.md). */
const KEDA_PROGRAMS = ['keda-operator', 'keda-webhooks', 'keda-adapter'];

const removeKeda = (...extra: string[]) => cli(['remove-keda', ...KUBECONFIG, ...extra]);
const errors = (run: Run) => run.stderr.split('\n').filter((line) => line.startsWith('error:'));
/**
 * The orders example, deployed with the defaults for KEDA: the product installs it when the cluster lacks it. With
 * its storage setting, so that KEDA's queue scaler, and with it the HPA, can be made.
 */
const deployOrders = () =>
  cli(stackDeployArgs({ appPath: 'examples/orders', name: 'orders', namespace, image: IMAGE }, ['--no-wait']));
const kedaCrds = async () =>
  (await apiextensions.listCustomResourceDefinition()).items
    .filter((crd) => crd.spec.group.endsWith('keda.sh'))
    .map((crd) => crd.metadata?.name);
const present = async (object: k8s.KubernetesObject) =>
  objects.read(object as never).then(
    () => true,
    (error: { code?: number }) => {
      if (error.code === 404) return false;
      throw error;
    },
  );
const scaledObject = () =>
  custom.getNamespacedCustomObject({
    group: 'keda.sh',
    version: 'v1alpha1',
    namespace,
    plural: 'scaledobjects',
    name: 'orders',
  }) as Promise<k8s.KubernetesObject>;
/** A program the supervisor started is alive while its pid file names a live process (stack/cluster/processes.mjs). */
const running = (program: string) => {
  const pidFile = join(REPO, '.cluster', 'pids', `${program}.pid`);
  return existsSync(pidFile) && existsSync(`/proc/${readFileSync(pidFile, 'utf8').trim()}`);
};

beforeAll(async () => {
  await removeKedaByHand(kc);
  // On a real cluster the Functions host creates the queues it listens to; kwok runs no host.
  await QueueServiceClient.fromConnectionString(process.env.AZURE_STORAGE_CONNECTION_STRING as string)
    .getQueueClient('orders')
    .createIfNotExists();
}, 300_000);
afterAll(async () => {
  await core.deleteNamespace({ name: namespace }).catch(() => undefined);
});

describe('remove-keda', () => {
  test('with no KEDA in the cluster: nothing to remove, exit 0', async () => {
    const run = await removeKeda();
    expect(errors(run)).toEqual([]);
    expect(run.stderr).toContain('no KEDA installed by aks-functions-deploy in this cluster: nothing to remove');
    expect(run.status).toBe(0);
  });

  test("while a deployed app's ScaledObject exists: refused, naming it, and nothing changes", async () => {
    const deployed = await deployOrders();
    expect(deployed.stderr).toMatch(/installing KEDA 2\.20\.2 from the embedded KEDA 2\.20\.2 manifest/);
    expect(deployed.status).toBe(0);
    const run = await removeKeda();
    expect(errors(run)).toEqual([
      `error: KEDA 2.20.2 is in use: 1 ScaledObject in the cluster (ScaledObject ${namespace}/orders); delete them ` +
        'first (aks-functions-deploy delete --name APP for an app this product deployed), or give --force to have ' +
        'KEDA remove them before it goes (what they scaled keeps the replicas KEDA last gave it)',
    ]);
    expect(run.status).toBe(1);
    for (const object of manifest)
      expect([shownObject(object), await present(object)]).toEqual([shownObject(object), true]);
    expect(await scaledObject()).toBeDefined();
  });

  test("the AKS add-on's markers: refused, naming az aks update --disable-keda; a Helm release's: helm uninstall", async () => {
    await withOperatorAnnotations(
      kc,
      { 'meta.helm.sh/release-name': 'aks-managed-keda', 'meta.helm.sh/release-namespace': 'kube-system' },
      async () => {
        const run = await removeKeda('--force');
        expect(errors(run)).toEqual([
          "error: KEDA in this cluster is the AKS add-on's (its Helm release aks-managed-keda): AKS manages it; turn " +
            'the add-on off instead: az aks update --resource-group <resource-group> --name <cluster> --disable-keda ' +
            "(or set the managed cluster's workloadAutoScalerProfile.keda.enabled to false through ARM)",
        ]);
        expect(run.status).toBe(1);
      },
    );
    await withOperatorAnnotations(
      kc,
      { 'meta.helm.sh/release-name': 'keda', 'meta.helm.sh/release-namespace': 'keda' },
      async () => {
        const run = await removeKeda('--force');
        expect(errors(run)).toEqual([
          'error: KEDA 2.20.2 in namespace keda was installed by Helm (Helm release keda in namespace keda): remove ' +
            'it with Helm: delete its ScaledObjects and ScaledJobs first, then helm uninstall keda -n keda',
        ]);
      },
    );
    // --force changed nothing: the refusals come first.
    expect(await scaledObject()).toBeDefined();
  });

  test('an object of the manifest that this product did not apply: refused, naming it, even with --force', async () => {
    const role = manifest.find((object) => object.metadata?.name === 'keda-external-metrics-reader');
    // Its managed fields reset, as when another tool replaces the object: the API no longer says the product wrote it.
    await objects.patch(
      { ...role, metadata: { name: 'keda-external-metrics-reader', managedFields: [{}] } } as k8s.KubernetesObject,
      undefined,
      undefined,
      'afd-remove-keda-test',
      undefined,
      k8s.PatchStrategy.MergePatch,
    );
    try {
      const run = await removeKeda('--force');
      expect(errors(run)).toEqual([
        'error: KEDA 2.20.2 in namespace keda was not installed by aks-functions-deploy (ClusterRole/' +
          'keda-external-metrics-reader was not applied by aks-functions-deploy): remove it the way it was installed ' +
          '(kubectl delete -f with the manifest it was applied from)',
      ]);
      expect(await scaledObject()).toBeDefined();
    } finally {
      // Applied again as the product applies it.
      await objects.patch(
        role as k8s.KubernetesObject,
        undefined,
        undefined,
        'aks-functions-deploy',
        true,
        k8s.PatchStrategy.ServerSideApply,
      );
    }
  });

  test("once the app is deleted: exactly the manifest's objects, in order, until KEDA's CRDs and namespace are gone; its programs stop; a second run has nothing to remove", async () => {
    expect((await cli(['delete', '--name', 'orders', '--namespace', namespace, ...KUBECONFIG])).status).toBe(0);
    await until(async () => KEDA_PROGRAMS.every(running), 60);
    const run = await removeKeda();
    expect(errors(run)).toEqual([]);
    expect(run.status).toBe(0);
    // KEDA's own objects, each once and in the plan's order (besides what KEDA left for the app just deleted).
    const deleted = run.stderr
      .split('\n')
      .filter((line) => line.startsWith('deleted ') && !line.includes(', left by '));
    expect(deleted).toEqual(removalPlan(manifest).deletions.map(({ object }) => `deleted ${shownObject(object)}`));
    expect((await autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace })).items).toEqual([]);
    expect(run.stderr).toMatch(/^KEDA 2\.20\.2 removed in [\d.]+s$/m);
    expect(await kedaCrds()).toEqual([]);
    for (const object of manifest)
      expect([shownObject(object), await present(object)]).toEqual([shownObject(object), false]);
    await until(async () => !KEDA_PROGRAMS.some(running), 30);

    const again = await removeKeda();
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('nothing to remove');
  });

  test("--force with an app's ScaledObject: KEDA finalizes it while it runs (its HPA goes, the app stays); a namespace that will not go is the one error, and a second run finishes", async () => {
    const deployed = await deployOrders();
    expect(deployed.stderr).toMatch(/installing KEDA 2\.20\.2/);
    expect(deployed.status).toBe(0);
    // KEDA has taken it on: its finalizer and its HPA.
    await until(async () => ((await scaledObject()).metadata?.finalizers ?? []).includes('finalizer.keda.sh'), 60);
    await until(
      () =>
        autoscaling
          .readNamespacedHorizontalPodAutoscaler({ name: 'keda-hpa-orders', namespace })
          .then(() => true)
          .catch(() => false),
      60,
    );
    // Something in KEDA's namespace holds it, as a stuck finalizer would.
    const held = { name: 'held', namespace: 'keda' };
    await core.createNamespacedConfigMap({
      namespace: 'keda',
      body: { metadata: { ...held, finalizers: ['afd.test/hold'] } },
    });
    const release = () =>
      core
        .patchNamespacedConfigMap(
          { ...held, body: [{ op: 'remove', path: '/metadata/finalizers' }] },
          k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
        )
        .then(() => undefined);
    let run: Run;
    let again: Run;
    try {
      run = await removeKeda('--force', '--timeout', '40s');
      // Again while the namespace is still held: what is left is found by the namespace, and finished once it goes.
      again = await cli(['remove-keda', ...KUBECONFIG], {
        onLine: (line) => {
          if (line.startsWith('waiting until')) void release();
        },
      });
    } finally {
      await release().catch(() => undefined);
    }
    expect(errors(run)).toEqual([
      "error: KEDA's CRDs and namespace were deleted, but are not gone within the 40s of --timeout; left: " +
        'Namespace/keda; run remove-keda again to finish',
    ]);
    expect(run.status).toBe(1);
    const lines = run.stderr.split('\n');
    expect(lines.indexOf(`deleted ScaledObject ${namespace}/orders`)).toBeGreaterThanOrEqual(0);
    expect(lines.indexOf(`deleted ScaledObject ${namespace}/orders`)).toBeLessThan(
      lines.indexOf('deleted APIService/v1beta1.external.metrics.k8s.io'),
    );
    expect(
      (await autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace })).items.map((hpa) => hpa.metadata?.name),
    ).toEqual([]);
    expect((await apps.readNamespacedDeployment({ name: 'orders', namespace })).metadata?.name).toBe('orders');
    expect(await kedaCrds()).toEqual([]);

    expect(errors(again)).toEqual([]);
    expect(again.stderr).toMatch(/^KEDA 2\.20\.2 removed in [\d.]+s$/m);
    expect(again.status).toBe(0);
    expect(await present({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'keda' } })).toBe(false);
    expect((await cli(['delete', '--name', 'orders', '--namespace', namespace, ...KUBECONFIG])).status).toBe(0);
  });
});
