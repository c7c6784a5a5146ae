import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { compareVersions, ensureKeda, findKeda, isRolledOut, type KedaOptions } from '../../src/keda/keda.js';
import { kedaManager } from '../../src/keda/installed-by.js';
import { KEDA_MANIFEST_SHA256 } from '../../src/keda/releases.js';
import { type KedaRemovalOptions, uninstallKeda } from '../../src/keda/remove.js';
import { workFolder } from './temp-app.js';

const work = workFolder('keda');
const log = { info: () => {}, warning: () => {} };

const notFound = () => Object.assign(new Error('not found'), { code: 404, body: { code: 404 } });

/**
 * A cluster with KEDA's CRD, the APIService KEDA's metrics server registers, and keda-operator Deployments by
 * namespace, as findKeda reads them.
 */
function clusterWithKeda(
  version: string,
  namespace: string,
  labels: Record<string, string> = {},
  cluster: {
    metricsService?: { name: string; namespace: string } | null;
    operators?: string[];
    /** On the ScaledObject CRD, as Helm and AKS mark it. */
    crdAnnotations?: Record<string, string>;
    /** No KEDA at all: no CRD, no namespace. */
    absent?: boolean;
    /** The operator's pod template: its service account (null: none named) and labels. */
    operatorPods?: { serviceAccountName?: string | null; labels?: Record<string, string> };
  } = {},
): KubeConfig {
  const metricsService =
    cluster.metricsService === undefined ? { name: 'keda-metrics-apiserver', namespace } : cluster.metricsService;
  const operatorsIn = new Set(cluster.operators ?? [namespace]);
  const api = {
    readCustomResourceDefinition: async () => {
      if (cluster.absent) throw notFound();
      return { metadata: { name: 'scaledobjects.keda.sh', annotations: cluster.crdAnnotations } };
    },
    readNamespace: async () => {
      throw notFound();
    },
    setDefaultNamespace: () => undefined,
    readAPIService: async () => {
      if (metricsService === null) throw notFound();
      return { spec: { service: metricsService } };
    },
    readNamespacedDeployment: async ({ namespace: asked }: { namespace: string }) => {
      if (!operatorsIn.has(asked)) throw notFound();
      const tenant = asked !== namespace;
      return {
        metadata: {
          name: 'keda-operator',
          namespace: asked,
          labels: { 'app.kubernetes.io/version': tenant ? '9.9.9' : version, ...(tenant ? {} : labels) },
        },
        spec: {
          template: {
            metadata: { labels: tenant ? {} : cluster.operatorPods?.labels },
            spec: {
              containers: [{ image: `ghcr.io/kedacore/keda:${version}` }],
              serviceAccountName: tenant
                ? 'tenant-operator'
                : cluster.operatorPods?.serviceAccountName === null
                  ? undefined
                  : (cluster.operatorPods?.serviceAccountName ?? 'keda-operator'),
            },
          },
        },
      };
    },
  };
  return { makeApiClient: () => api } as unknown as KubeConfig;
}

/** A local manifest, so no test downloads one; its bytes match no known hash. */
const manifestUrl = join(work, 'keda.yaml');
writeFileSync(manifestUrl, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: keda\n');

/** The ScaledObject CRD's annotations on an AKS add-on cluster, as the AKS docs show them. */
const ADDON_CRD = { 'meta.helm.sh/release-name': 'aks-managed-keda', 'meta.helm.sh/release-namespace': 'kube-system' };

const options = (extra: Partial<KedaOptions> = {}): KedaOptions => ({
  mode: 'auto',
  version: '2.20.2',
  manifestUrl,
  timeoutSeconds: 1,
  ...extra,
});

describe('KEDA versions', () => {
  test('compare numerically, part by part, with or without a v', () => {
    expect(compareVersions('2.9.0', '2.10.0')).toBeLessThan(0);
    expect(compareVersions('v2.10.1', '2.10.0')).toBeGreaterThan(0);
    expect(compareVersions('2.12', '2.12.0')).toBe(0);
  });
});

describe('KEDA already in the cluster', () => {
  test('a KEDA older than the generated scalers need is refused, not used', async () => {
    await expect(ensureKeda(clusterWithKeda('2.11.0', 'keda'), options(), log)).rejects.toThrow(
      'KEDA 2.11.0 in namespace keda is older than 2.12.0, which the generated scalers need: upgrade it (keda: install)',
    );
  });

  test('a recent enough KEDA is used as it is on auto', async () => {
    expect(await ensureKeda(clusterWithKeda('2.12.0', 'keda'), options(), log)).toEqual({
      version: '2.12.0',
      action: 'present',
    });
  });

  test('one installed by Helm is never upgraded from the manifest, and the error names its release', async () => {
    const helm = clusterWithKeda(
      '2.11.0',
      'keda',
      { 'app.kubernetes.io/managed-by': 'Helm' },
      { crdAnnotations: { 'meta.helm.sh/release-name': 'keda', 'meta.helm.sh/release-namespace': 'keda' } },
    );
    await expect(ensureKeda(helm, options({ mode: 'install' }), log)).rejects.toThrow(
      'KEDA 2.11.0 in namespace keda was installed by Helm (Helm release keda in namespace keda): upgrade it with Helm',
    );
  });

  test("the AKS add-on's KEDA is never upgraded: keda: install warns and uses it as it is", async () => {
    const warnings: string[] = [];
    const infos: string[] = [];
    const addon = clusterWithKeda('2.17.0', 'kube-system', {}, { crdAnnotations: ADDON_CRD });
    const outcome = await ensureKeda(addon, options({ mode: 'install' }), {
      info: (line) => infos.push(line),
      warning: (line) => warnings.push(line),
    });
    expect(outcome).toEqual({ version: '2.17.0', action: 'present' });
    expect(warnings).toEqual([
      expect.stringMatching(/KEDA 2\.20\.2, but the cluster runs the AKS add-on's KEDA 2\.17\.0/),
    ]);
    expect(infos).toContain('KEDA 2.17.0 is the AKS add-on (its Helm release aks-managed-keda): Azure manages it');
  });

  test('an add-on KEDA older than the generated scalers need asks for a Kubernetes upgrade, not a KEDA one', async () => {
    await expect(
      ensureKeda(clusterWithKeda('2.11.0', 'kube-system', {}, { crdAnnotations: ADDON_CRD }), options(), log),
    ).rejects.toThrow("upgrade the cluster's Kubernetes version");
  });

  test('with ARM saying the add-on is disabled, add-on markers mean an add-on being removed: nothing is installed', async () => {
    const leftover = clusterWithKeda('2.17.0', 'kube-system', {}, { crdAnnotations: ADDON_CRD });
    await expect(ensureKeda(leftover, options({ addonEnabled: false }), log)).rejects.toThrow(
      /the AKS add-on's \(its Helm release aks-managed-keda\), but ARM says the add-on is disabled/,
    );
  });

  test('an upgrade from a manifest whose SHA-256 is not the expected one applies nothing', async () => {
    await expect(ensureKeda(clusterWithKeda('2.19.0', 'keda'), options({ mode: 'install' }), log)).rejects.toThrow(
      new RegExp(
        `has SHA-256 [0-9a-f]{64}, not the expected ${KEDA_MANIFEST_SHA256['2.20.2']} .*refusing to apply it$`,
      ),
    );
  });
});

describe('where KEDA runs is what the cluster-scoped APIService says', () => {
  test("a keda-operator in a tenant's namespace is never what is found", async () => {
    const cluster = clusterWithKeda('2.20.2', 'keda', {}, { operators: ['keda', 'aaa-tenant'] });
    expect(await findKeda(cluster)).toEqual({
      version: '2.20.2',
      namespace: 'keda',
      installedBy: 'manifest',
      evidence: "KEDA's manifest",
      operator: { serviceAccount: 'keda-operator', workloadIdentity: false },
    });
    // Only a tenant's: KEDA's own operator is not there, so KEDA is not (fully) installed.
    const onlyTenant = clusterWithKeda('2.20.2', 'keda', {}, { operators: ['aaa-tenant'] });
    expect(await findKeda(onlyTenant)).toBeUndefined();
  });

  test("a KEDA in kube-system without the add-on's markers is not taken for the add-on", async () => {
    expect((await findKeda(clusterWithKeda('2.17.0', 'kube-system')))?.installedBy).toBe('manifest');
  });

  test("CRDs without KEDA's APIService are an install that stopped halfway: installed again", async () => {
    expect(await findKeda(clusterWithKeda('2.20.2', 'keda', {}, { metricsService: null }))).toBeUndefined();
  });

  test('another metrics adapter holding the external metrics API is an error, not KEDA', async () => {
    const adapter = clusterWithKeda(
      '2.20.2',
      'keda',
      {},
      { metricsService: { name: 'prometheus-adapter', namespace: 'monitoring' } },
    );
    await expect(findKeda(adapter)).rejects.toThrow(
      /external metrics API \(APIService v1beta1\.external\.metrics\.k8s\.io\) is served by monitoring\/prometheus-adapter, not by KEDA/,
    );
  });
});

describe("KEDA's operator pods as its Deployment makes them", () => {
  test('the service account they run as is read from the Deployment, not assumed (a Helm serviceAccount name)', async () => {
    const renamed = clusterWithKeda('2.20.2', 'keda', {}, { operatorPods: { serviceAccountName: 'keda-sa' } });
    expect((await findKeda(renamed))?.operator.serviceAccount).toBe('keda-sa');
  });

  test("a template that names none runs as its namespace's default account", async () => {
    const unnamed = clusterWithKeda('2.20.2', 'keda', {}, { operatorPods: { serviceAccountName: null } });
    expect((await findKeda(unnamed))?.operator.serviceAccount).toBe('default');
  });

  test('the workload identity label is read off the pod template', async () => {
    const labelled = clusterWithKeda(
      '2.20.2',
      'keda',
      {},
      {
        operatorPods: { labels: { 'azure.workload.identity/use': 'true' } },
      },
    );
    expect((await findKeda(labelled))?.operator.workloadIdentity).toBe(true);
    expect((await findKeda(clusterWithKeda('2.20.2', 'keda')))?.operator.workloadIdentity).toBe(false);
  });
});

describe("KEDA's operator after an install or upgrade", () => {
  const operator = (generation: number, observedGeneration: number, replicas = 1) => ({
    metadata: { name: 'keda-operator', generation },
    spec: { replicas: 1 } as never,
    status: { observedGeneration, replicas, updatedReplicas: 1, availableReplicas: 1 },
  });

  test('is ready once the controller has seen its new generation and only the new pods run', () => {
    expect(isRolledOut(operator(2, 2))).toBe(true);
  });

  test("is not ready on its old generation's counts, nor while an old pod still runs", () => {
    expect(isRolledOut(operator(2, 1))).toBe(false);
    expect(isRolledOut(operator(2, 2, 2))).toBe(false);
  });
});

describe("who installed KEDA: ARM when known, else the add-on's own markers", () => {
  const helmRelease = {
    annotations: { 'meta.helm.sh/release-name': 'keda', 'meta.helm.sh/release-namespace': 'keda' },
  };
  const addonRelease = {
    annotations: { 'meta.helm.sh/release-name': 'aks-managed-keda' },
    labels: { 'app.kubernetes.io/managed-by': 'Helm' },
  };

  test.each([
    ['the add-on release, ARM unknown', [addonRelease], undefined, 'aks-addon', 'its Helm release aks-managed-keda'],
    [
      'AKS managed-by label',
      [{ labels: { 'kubernetes.azure.com/managedby': 'aks' } }],
      undefined,
      'aks-addon',
      'its label kubernetes.azure.com/managedby: aks',
    ],
    [
      'addon-manager label',
      [{ labels: { 'addonmanager.kubernetes.io/mode': 'Reconcile' } }],
      undefined,
      'aks-addon',
      'its label addonmanager.kubernetes.io/mode',
    ],
    ["a user's Helm release, ARM unknown", [helmRelease], undefined, 'helm', 'Helm release keda in namespace keda'],
    ["a user's Helm release, ARM: add-on off", [helmRelease], false, 'helm', 'Helm release keda in namespace keda'],
    ['Helm labels only', [{ labels: { 'helm.sh/chart': 'keda-2.20.2' } }], undefined, 'helm', 'its Helm labels'],
    ['ARM: add-on on, whatever the markers', [helmRelease], true, 'aks-addon', 'ARM: the add-on is enabled'],
    ['no markers', [{}], undefined, 'manifest', "KEDA's manifest"],
  ] as const)('%s', (_, objects, addonEnabled, installedBy, evidence) => {
    const found = kedaManager(objects, addonEnabled);
    expect({ installedBy: found.installedBy, evidence: found.evidence }).toEqual({ installedBy, evidence });
  });

  test("a user's Helm release is named by its annotations, for its uninstall; Helm's labels alone name none", () => {
    expect(kedaManager([helmRelease], undefined).helmRelease).toEqual({ name: 'keda', namespace: 'keda' });
    expect(kedaManager([{ labels: { 'helm.sh/chart': 'keda-2.20.2' } }], undefined).helmRelease).toBeUndefined();
  });
});

describe('removing KEDA: what is not ours is refused before anything is read or changed', () => {
  const removal = (extra: Partial<KedaRemovalOptions> = {}): KedaRemovalOptions => ({
    force: false,
    timeoutSeconds: 1,
    ...extra,
  });
  /** A cluster nothing may be asked of. */
  const untouchable = {
    makeApiClient: () => {
      throw new Error('the cluster was asked');
    },
  } as unknown as KubeConfig;

  test("ARM's word on the add-on, before the cluster is asked: az aks update --disable-keda, with the cluster's names", async () => {
    await expect(
      uninstallKeda(
        untouchable,
        removal({ addonEnabled: true, aksCluster: { resourceGroup: 'rg-shop', clusterName: 'aks-shop' } }),
        log,
      ),
    ).rejects.toThrow(
      "KEDA in this cluster is the AKS add-on's (ARM: the add-on is enabled): AKS manages it; turn the add-on off " +
        'instead: az aks update --resource-group rg-shop --name aks-shop --disable-keda',
    );
  });

  test("the add-on's markers: refused the same way; with ARM saying it is off, AKS is removing it", async () => {
    const addon = clusterWithKeda('2.17.0', 'kube-system', {}, { crdAnnotations: ADDON_CRD });
    await expect(uninstallKeda(addon, removal(), log)).rejects.toThrow(
      "KEDA in this cluster is the AKS add-on's (its Helm release aks-managed-keda): AKS manages it",
    );
    await expect(uninstallKeda(addon, removal({ addonEnabled: false }), log)).rejects.toThrow(
      'and ARM says the add-on is disabled: AKS is removing it; nothing to remove here',
    );
  });

  test('a Helm release: helm uninstall, naming the release', async () => {
    const helm = clusterWithKeda(
      '2.20.2',
      'autoscaling',
      {},
      { crdAnnotations: { 'meta.helm.sh/release-name': 'keda', 'meta.helm.sh/release-namespace': 'autoscaling' } },
    );
    await expect(uninstallKeda(helm, removal({ force: true }), log)).rejects.toThrow(
      'then helm uninstall keda -n autoscaling',
    );
  });

  test("a KEDA outside the manifest's namespace, with no one's markers, is not this product's, whatever its version", async () => {
    await expect(uninstallKeda(clusterWithKeda('2.20.2', 'kube-system'), removal(), log)).rejects.toThrow(
      'KEDA 2.20.2 runs in namespace kube-system, but its manifest installs into keda: this product did not install it',
    );
    // Said before a manifest is asked for: no copy of one would make it this product's.
    await expect(uninstallKeda(clusterWithKeda('2.18.0', 'kube-system'), removal(), log)).rejects.toThrow(
      'KEDA 2.18.0 runs in namespace kube-system, but its manifest installs into keda',
    );
  });

  test('a version the product does not carry needs the manifest it was installed from', async () => {
    await expect(uninstallKeda(clusterWithKeda('2.18.0', 'keda'), removal(), log)).rejects.toThrow(
      'KEDA 2.18.0 in namespace keda is a version this product does not carry (it carries 2.19.0 and 2.20.2): give ' +
        '--keda-manifest-url (a copy of the manifest it was installed from) and --keda-manifest-sha256',
    );
  });

  test('no KEDA at all: nothing to remove, and said so', async () => {
    const infos: string[] = [];
    const outcome = await uninstallKeda(clusterWithKeda('2.20.2', 'keda', {}, { absent: true }), removal(), {
      info: (line) => infos.push(line),
      warning: () => undefined,
    });
    expect(outcome).toEqual({ action: 'absent' });
    expect(infos).toEqual(['no KEDA installed by aks-functions-deploy in this cluster: nothing to remove']);
  });
});
