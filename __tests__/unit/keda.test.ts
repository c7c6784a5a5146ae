import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { compareVersions, ensureKeda, isRolledOut, type KedaOptions } from '../../src/keda/keda.js';
import { KEDA_MANIFEST_SHA256 } from '../../src/keda/releases.js';
import { workFolder } from './temp-app.js';

const work = workFolder('keda');
const log = { info: () => {}, warning: () => {} };

/** A cluster with KEDA's CRD and one keda-operator, as findKeda reads them. */
function clusterWithKeda(version: string, namespace: string, labels: Record<string, string> = {}): KubeConfig {
  const api = {
    readCustomResourceDefinition: async () => ({ metadata: { name: 'scaledobjects.keda.sh' } }),
    listDeploymentForAllNamespaces: async () => ({
      items: [
        {
          metadata: { name: 'keda-operator', namespace, labels: { 'app.kubernetes.io/version': version, ...labels } },
          spec: { template: { spec: { containers: [{ image: `ghcr.io/kedacore/keda:${version}` }] } } },
        },
      ],
    }),
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
