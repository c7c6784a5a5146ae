import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { compareVersions, ensureKeda, findKeda, isRolledOut, type KedaOptions } from '../../src/keda/keda.js';
import { KEDA_MANIFEST_SHA256 } from '../../src/keda/releases.js';
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
  cluster: { metricsService?: { name: string; namespace: string } | null; operators?: string[] } = {},
): KubeConfig {
  const metricsService =
    cluster.metricsService === undefined ? { name: 'keda-metrics-apiserver', namespace } : cluster.metricsService;
  const operatorsIn = new Set(cluster.operators ?? [namespace]);
  const api = {
    readCustomResourceDefinition: async () => ({ metadata: { name: 'scaledobjects.keda.sh' } }),
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
        spec: { template: { spec: { containers: [{ image: `ghcr.io/kedacore/keda:${version}` }] } } },
      };
    },
  };
  return { makeApiClient: () => api } as unknown as KubeConfig;
}

/** A local manifest, so no test downloads one; its bytes match no known hash. */
const manifestUrl = join(work, 'keda.yaml');
writeFileSync(manifestUrl, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: keda\n');

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

  test.each([
    ['Helm', { 'helm.sh/chart': 'keda-2.11.0' }, 'keda'],
    ['the AKS add-on', {}, 'kube-system'],
  ])('one installed by %s is never upgraded from the manifest', async (by, labels, namespace) => {
    await expect(
      ensureKeda(clusterWithKeda('2.11.0', namespace, labels), options({ mode: 'install' }), log),
    ).rejects.toThrow(`KEDA 2.11.0 was installed by ${by} in namespace ${namespace}: upgrade it there`);
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
    expect(await findKeda(cluster)).toEqual({ version: '2.20.2', namespace: 'keda', installedBy: 'manifest' });
    // Only a tenant's: KEDA's own operator is not there, so KEDA is not (fully) installed.
    const onlyTenant = clusterWithKeda('2.20.2', 'keda', {}, { operators: ['aaa-tenant'] });
    expect(await findKeda(onlyTenant)).toBeUndefined();
  });

  test('the add-on is known by the namespace the APIService names', async () => {
    expect((await findKeda(clusterWithKeda('2.17.0', 'kube-system')))?.installedBy).toBe('aks-addon');
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
