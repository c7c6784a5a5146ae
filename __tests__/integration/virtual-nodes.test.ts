// virtual-nodes on the local stack: a simulated node that carries what the AKS virtual node carries (its labels and
// taint), next to the stack's ordinary node; the real scheduler decides where each pod goes.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueServiceClient } from '@azure/storage-queue';
import * as k8s from '@kubernetes/client-node';
import { cli, REPO, type Run, stackDeployArgs, until } from './run-cli.js';

const kc = new k8s.KubeConfig();
kc.loadFromDefault();
const core = kc.makeApiClient(k8s.CoreV1Api);

const namespace = `afd-vn-${Date.now().toString(36)}`;
const IMAGE = `registry.local/orders@sha256:${'1'.padStart(64, '0')}`;
const IMAGE_V2 = `registry.local/orders@sha256:${'2'.padStart(64, '0')}`;
const REGULAR_NODE = process.env.CLUSTER_NODE ?? 'kwok-node-0';
/** The name AKS's virtual-node add-on gives its node; the stack's kwok stages give it ACI's refusals. */
const VIRTUAL_NODE = 'virtual-node-aci-linux';

/**
 * The add-on's node as virtual-kubelet registers it: the labels of virtual-kubelet's node/nodeutil NewNode and of the
 * ACI provider's ConfigureNode (virtual-kubelet/azure-aci pkg/provider/vk_node.go), and its taint
 * (azure-aci cmd/virtual-kubelet/main.go: virtual-kubelet.io/provider=azure:NoSchedule).
 */
const virtualNode: k8s.V1Node = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name: VIRTUAL_NODE,
    labels: {
      type: 'virtual-kubelet',
      'kubernetes.io/role': 'agent',
      'kubernetes.io/hostname': VIRTUAL_NODE,
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/os': 'linux',
      'alpha.service-controller.kubernetes.io/exclude-balancer': 'true',
      'node.kubernetes.io/exclude-from-external-load-balancers': 'true',
      'kubernetes.azure.com/managed': 'false',
    },
    annotations: { 'kwok.x-k8s.io/node': 'fake' },
  },
  spec: { taints: [{ key: 'virtual-kubelet.io/provider', value: 'azure', effect: 'NoSchedule' }] },
};

// The orders example without its HTTP function: an app KEDA keeps at zero.
const eventsOnly = mkdtempSync(join(tmpdir(), 'afd-vn-events-'));
cpSync(join(REPO, 'examples/orders'), eventsOnly, { recursive: true });
rmSync(join(eventsOnly, 'src', 'functions', 'getOrder.js'));

beforeAll(async () => {
  await core.createNode({ body: virtualNode });
  await until(
    async () =>
      (await core.readNode({ name: VIRTUAL_NODE })).status?.conditions?.some(
        (condition) => condition.type === 'Ready' && condition.status === 'True',
      ) ?? false,
  );
  await QueueServiceClient.fromConnectionString(process.env.AZURE_STORAGE_CONNECTION_STRING as string)
    .getQueueClient('orders')
    .createIfNotExists();
});
afterAll(async () => {
  rmSync(eventsOnly, { recursive: true, force: true });
  await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  await until(async () => {
    try {
      await core.readNamespace({ name: namespace });
      return false;
    } catch {
      return true;
    }
  }, 120).catch(() => undefined);
  await core.deleteNode({ name: VIRTUAL_NODE }).catch(() => undefined);
});

function deploy(
  name: string,
  extra: string[],
  {
    appPath = 'examples/orders',
    image = IMAGE,
    during,
  }: { appPath?: string; image?: string; during?: () => Promise<void> } = {},
): Promise<Run> {
  return cli(stackDeployArgs({ name, appPath, namespace, image }, extra), { during });
}

/** Where the scheduler put each live pod of the app, by the part that runs it. */
async function placement(app: string): Promise<Record<string, string[]>> {
  const pods = await core.listNamespacedPod({ namespace, labelSelector: `app.kubernetes.io/instance=${app}` });
  const nodes: Record<string, string[]> = {};
  for (const pod of pods.items.filter((item) => item.metadata?.deletionTimestamp === undefined)) {
    const part = pod.metadata?.labels?.['app.kubernetes.io/component'] ?? '?';
    nodes[part] = [...new Set([...(nodes[part] ?? []), pod.spec?.nodeName ?? '(none)'])].sort();
  }
  return nodes;
}

const errors = (run: Run) => run.stderr.split('\n').filter((line) => line.startsWith('error:'));
const warnings = (run: Run) => run.stderr.split('\n').filter((line) => line.startsWith('warning: virtual-nodes'));

describe('virtual-nodes', () => {
  test('without the input, no pod ever lands on the virtual node, though it is there and Ready', async () => {
    const run = await deploy('placed', ['--min-replicas', '1']);
    expect(errors(run)).toEqual([]);
    expect(run.status).toBe(0);
    expect(await placement('placed')).toEqual({ events: [REGULAR_NODE], http: [REGULAR_NODE] });
    expect(warnings(run)).toEqual([]);
  });

  test('events: the event-driven pods go to the virtual node, the HTTP ones stay; a warning about pulls', async () => {
    const run = await deploy('placed', ['--min-replicas', '1', '--virtual-nodes', 'events']);
    expect(errors(run)).toEqual([]);
    expect(run.status).toBe(0);
    await until(async () => (await placement('placed')).events?.length === 1);
    expect(await placement('placed')).toEqual({ events: [VIRTUAL_NODE], http: [REGULAR_NODE] });
    expect(warnings(run)).toEqual([expect.stringMatching(/Deployment\/placed run on virtual nodes.*pull-secret/)]);
  });

  test('all: the HTTP pods go there too; with a pull secret, no warning', async () => {
    const run = await deploy('placed', ['--min-replicas', '1', '--virtual-nodes', 'all', '--pull-secret', 'acr-pull']);
    expect(errors(run)).toEqual([]);
    expect(run.status).toBe(0);
    await until(async () => Object.values(await placement('placed')).every((nodes) => nodes.length === 1));
    expect(await placement('placed')).toEqual({ events: [VIRTUAL_NODE], http: [VIRTUAL_NODE] });
    expect(warnings(run)).toEqual([]);
  });

  test('a version KEDA keeps at zero is proven by a verification pod on the virtual node, where replicas would run', async () => {
    const verifying = new Set<string>();
    let watching = true;
    const watch = async () => {
      while (watching) {
        const pods = await core.listNamespacedPod({ namespace, labelSelector: 'aks-functions-deploy/verifies=idle' });
        for (const pod of pods.items) if (pod.spec?.nodeName) verifying.add(pod.spec.nodeName);
        await new Promise((wait) => setTimeout(wait, 200));
      }
    };
    const options = ['--virtual-nodes', 'events', '--pull-secret', 'acr-pull'];
    expect((await deploy('idle', options, { appPath: eventsOnly })).status).toBe(0);
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    await until(async () => (await apps.readNamespacedDeployment({ name: 'idle', namespace })).spec?.replicas === 0);
    // A new version while nothing runs: only its verification pod can prove it.
    const run = await deploy('idle', options, { appPath: eventsOnly, image: IMAGE_V2, during: watch });
    watching = false;
    expect(errors(run)).toEqual([]);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/Deployment\/idle: its new version, which KEDA keeps at zero replicas, became ready/);
    expect([...verifying]).toEqual([VIRTUAL_NODE]);
  });

  test('the simulated virtual node refuses what ACI refuses: a pod with a startup probe stays Pending, ProviderFailed', async () => {
    await core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: 'with-startup-probe' },
        spec: {
          nodeSelector: { type: 'virtual-kubelet' },
          tolerations: [{ key: 'virtual-kubelet.io/provider', operator: 'Exists' }],
          containers: [
            {
              name: 'host',
              image: IMAGE,
              startupProbe: { httpGet: { path: '/admin/host/ping', port: 80 }, periodSeconds: 2, failureThreshold: 60 },
            },
          ],
        },
      },
    });
    await until(
      async () =>
        (await core.readNamespacedPod({ name: 'with-startup-probe', namespace })).status?.reason === 'ProviderFailed',
    );
    const pod = await core.readNamespacedPod({ name: 'with-startup-probe', namespace });
    expect(pod.spec?.nodeName).toBe(VIRTUAL_NODE);
    expect(pod.status).toMatchObject({ phase: 'Pending', message: 'ACI does not support startupProbe' });
  });
});
