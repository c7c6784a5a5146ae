// Deploys while the world misbehaves: the apiserver killed mid-apply and
// mid-wait, every connection to it cut every second, the registry down during
// a push, two deploys of one app racing, and the deploy itself stopped by
// SIGTERM. Faults are triggered at the stage headings the CLI prints, so each
// lands in the stage it is meant for.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueServiceClient } from '@azure/storage-queue';
import * as k8s from '@kubernetes/client-node';
import { cli, killComponent, REPO, type Run, type RunOptions, stackUp } from './run-cli.js';

const kc = new k8s.KubeConfig();
kc.loadFromDefault();
const apps = kc.makeApiClient(k8s.AppsV1Api);
const core = kc.makeApiClient(k8s.CoreV1Api);
const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
const coordination = kc.makeApiClient(k8s.CoordinationV1Api);
const namespace = `afd-rel-${Date.now().toString(36)}`;
const image = (n: number) => `registry.local/orders@sha256:${n.toString(16).padStart(64, '0')}`;
const [REGISTRY, REGISTRY_USERNAME, REGISTRY_PASSWORD] = ['REGISTRY', 'REGISTRY_USERNAME', 'REGISTRY_PASSWORD'].map(
  (name) => process.env[name] as string,
) as [string, string, string];

const buildable = mkdtempSync(join(tmpdir(), 'afd-rel-orders-'));
cpSync(join(REPO, 'examples/orders'), buildable, { recursive: true });
// Its base image is on mcr.microsoft.com, out of reach here.
// RUN_ID makes each build a new image, so each push really uploads.
writeFileSync(
  join(buildable, 'Dockerfile'),
  'FROM scratch\nARG RUN_ID\nLABEL run=$RUN_ID\nCOPY . /home/site/wwwroot\n',
);

beforeAll(async () => {
  // On a real cluster the Functions host creates the queues it listens to; kwok runs no host.
  await QueueServiceClient.fromConnectionString(process.env.AZURE_STORAGE_CONNECTION_STRING as string)
    .getQueueClient('orders')
    .createIfNotExists();
});
afterAll(async () => {
  rmSync(buildable, { recursive: true, force: true });
  await core.deleteNamespace({ name: namespace }).catch(() => undefined);
});

function deploy(args: string[], options: RunOptions = {}, kubeconfig = process.env.KUBECONFIG as string): Promise<Run> {
  return cli(
    [
      'deploy',
      '--app-path',
      'examples/orders',
      '--name',
      'orders',
      '--namespace',
      namespace,
      '--kubeconfig',
      kubeconfig,
      '--service-type',
      'ClusterIP',
      '--app-settings',
      `AzureWebJobsStorage=${process.env.AZURE_STORAGE_CONNECTION_STRING}`,
      '--timeout',
      '3m',
      ...args,
    ],
    options,
  );
}

/** Runs `fault` once, at the first stderr line matching `at`. */
function onceAt(
  at: RegExp,
  fault: (child: Parameters<NonNullable<RunOptions['onLine']>>[1]) => void | Promise<void>,
): RunOptions['onLine'] {
  let done = false;
  return (line, child) => {
    if (done || !at.test(line)) return;
    done = true;
    void fault(child);
  };
}

function timingsOf(run: Run): Record<string, number> {
  return JSON.parse(/^timings: (.+)$/m.exec(run.stderr)?.[1] ?? '{}') as Record<string, number>;
}

/** The app rolled out and consistent: each Deployment's current template fully available. */
async function consistent(): Promise<string | undefined> {
  const list = await apps.listNamespacedDeployment({ namespace, labelSelector: 'app.kubernetes.io/instance=orders' });
  const images = new Set<string>();
  for (const deployment of list.items) {
    const status = deployment.status ?? {};
    const replicas = deployment.spec?.replicas ?? 0;
    if (
      status.observedGeneration !== deployment.metadata?.generation ||
      (status.updatedReplicas ?? 0) < replicas ||
      (status.availableReplicas ?? 0) < replicas
    )
      return undefined;
    images.add(deployment.spec?.template.spec?.containers[0]?.image as string);
  }
  return images.size === 1 ? [...images][0] : undefined;
}

test('first deploy, for the faults below to change', async () => {
  const run = await deploy(['--image', image(1)]);
  expect(run.stderr).toMatch(/rollout healthy/);
  expect(run.status).toBe(0);
});

// The stage's timing spans the outage: it took as long as the apiserver was away, not the usual fraction of a second.
test.each([
  ['as the deploy starts: connecting and finding KEDA wait it out', 'Discover and render the app', 'cluster', 11],
  ['as the apply starts: the apply waits it out', 'Apply', 'apply', 2],
  ['as the wait starts: the watches resume and see the rollout through', 'Wait for the rollout', 'rollout', 3],
] as const)('the apiserver killed %s, and the deploy succeeds', async (_, stage, timed, n) => {
  const run = await deploy(['--image', image(n)], {
    onLine: onceAt(new RegExp(`^== ${stage}$`), async () => {
      await killComponent('kube-apiserver');
      stackUp();
    }),
  });
  expect(run.stderr).toMatch(/rollout healthy/);
  expect(run.status).toBe(0);
  expect(timingsOf(run)[timed]).toBeGreaterThan(1);
  expect(await consistent()).toBe(image(n));
});

test('every connection to the apiserver cut 300 ms after it opens: requests retried, watches resumed, the deploy succeeds', async () => {
  // A TCP proxy in front of the apiserver; its certificate names 127.0.0.1, so TLS holds through it.
  const cluster = kc.getCurrentCluster() as k8s.Cluster;
  const upstream = new URL(cluster.server);
  const sockets = new Set<Socket>();
  let cut = 0;
  const proxy = createTcpServer((client) => {
    const server = connect(Number(upstream.port), upstream.hostname);
    for (const [from, to] of [
      [client, server],
      [server, client],
    ] as const) {
      from.pipe(to);
      from.on('error', () => to.destroy());
      from.on('close', () => to.destroy());
    }
    sockets.add(client);
    // Each connection is cut, however short the deploy: every watch, and every kept-alive request connection.
    const cutter = setTimeout(() => {
      cut += 1;
      client.destroy();
    }, 300);
    client.on('close', () => {
      clearTimeout(cutter);
      sockets.delete(client);
    });
  });
  await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
  const work = mkdtempSync(join(tmpdir(), 'afd-rel-proxy-'));
  const viaProxy = new k8s.KubeConfig();
  viaProxy.loadFromString(kc.exportConfig());
  viaProxy.clusters = viaProxy.clusters.map((entry) => ({
    ...entry,
    server: `https://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
  }));
  writeFileSync(join(work, 'kubeconfig'), viaProxy.exportConfig(), { mode: 0o600 });
  try {
    const run = await deploy(['--image', image(4)], {}, join(work, 'kubeconfig'));
    expect(run.stderr).toMatch(/rollout healthy/);
    expect(run.status).toBe(0);
    expect(cut).toBeGreaterThan(0);
    expect(await consistent()).toBe(image(4));
  } finally {
    for (const socket of sockets) socket.destroy();
    proxy.close();
    rmSync(work, { recursive: true, force: true });
  }
});

test('the registry down as the build starts, back once a push has failed: the push is tried again and lands', async () => {
  const down = onceAt(/^building /, () => killComponent('registry'));
  const backUp = onceAt(/pushing again$/, () => stackUp());
  const run = await deploy(
    [
      '--app-path',
      buildable,
      '--build',
      'docker',
      '--registry',
      REGISTRY,
      '--registry-username',
      REGISTRY_USERNAME,
      '--registry-password',
      REGISTRY_PASSWORD,
      '--build-args',
      `RUN_ID=${Date.now()}`,
    ],
    {
      onLine: (line, child) => {
        down?.(line, child);
        backUp?.(line, child);
      },
    },
  );
  expect(run.stderr).toMatch(/pushing again/);
  expect(run.stderr).toMatch(/rollout healthy/);
  expect(run.status).toBe(0);
  expect(await consistent()).toMatch(new RegExp(`^${REGISTRY.replace(/\./g, '\\.')}/orders@sha256:`));
});

test('two deploys of the app racing: the second waits for the first, both succeed, the cluster ends on the second', async () => {
  const runs = await Promise.all([deploy(['--image', image(5)]), deploy(['--image', image(6)])]);
  for (const run of runs) {
    expect(run.stderr).toMatch(/rollout healthy/);
    expect(run.status).toBe(0);
  }
  const waited = runs.map((run) =>
    /^waiting for another deploy of orders to finish \(.+ holds Lease aks-functions-deploy\.orders\)$/m.test(
      run.stderr,
    ),
  );
  // Exactly one waited, and its image is the one left running.
  expect(waited.filter(Boolean)).toHaveLength(1);
  expect(await consistent()).toBe(image(waited[0] ? 5 : 6));
  // Released at the end: nothing left holding the app.
  await expect(
    coordination.readNamespacedLease({ name: 'aks-functions-deploy.orders', namespace }),
  ).rejects.toMatchObject({ code: 404 });
});

test('a lease left by a deploy that died lapses: the next deploy takes it over', async () => {
  const now = new k8s.V1MicroTime();
  await coordination.createNamespacedLease({
    namespace,
    body: {
      metadata: { name: 'aks-functions-deploy.orders' },
      spec: { holderIdentity: 'a deploy that was killed', leaseDurationSeconds: 3, acquireTime: now, renewTime: now },
    },
  });
  const run = await deploy(['--image', image(7)]);
  expect(run.stderr).toMatch(/^waiting for another deploy of orders to finish \(a deploy that was killed holds/m);
  expect(run.status).toBe(0);
  expect(await consistent()).toBe(image(7));
});

test('a deploy without the lease (an older tool) replacing the app mid-wait: this one fails, and rolls nothing back', async () => {
  const other = image(9);
  const run = await deploy(['--image', image(8), '--rollback-on-failure'], {
    onLine: onceAt(/^== Wait for the rollout$/, async () => {
      await apps.patchNamespacedDeployment(
        {
          name: 'orders-http',
          namespace,
          body: { metadata: { annotations: { 'aks-functions-deploy/image': other } } },
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
    }),
  });
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(
    new RegExp(
      `^error: Deployment/orders-http: replaced by another deploy of this app while this one waited: it now runs ${other.replace(/\./g, '\\.')}$`,
      'm',
    ),
  );
  expect(run.stderr).not.toMatch(/rollback-on-failure/);
});

test('SIGTERM as the apply reports its first change: the deploy says what it had changed, and that is what the cluster holds', async () => {
  // The older tool of the test before still owns the image annotation of orders-http: taken back, or the dry run
  // before the apply refuses the conflict and nothing is applied.
  const run = await deploy(['--image', image(10), '--force-conflicts'], {
    onLine: onceAt(/^(created|configured) /, (child) => {
      child.kill('SIGTERM');
    }),
  });
  expect(run.status).toBe(143);
  const report =
    // A wave's lines come once all of it is applied: the signal lands in the apply or just after it.
    /^warning: stopped by SIGTERM during "(?:Apply|Wait for the rollout)": changed so far: (.+); the rollout was not checked; the app's deploy Lease lapses in 30 s$/m.exec(
      run.stderr,
    );
  expect(report).not.toBeNull();
  for (const entry of (report?.[1] ?? '').split(', ')) {
    const [, kind, name] = /^(\w+)\/(\S+) \((?:created|configured)\)$/.exec(entry) ?? [];
    expect(kind).toBeDefined();
    const apiVersion = kind === 'Deployment' ? 'apps/v1' : kind === 'ScaledObject' ? 'keda.sh/v1alpha1' : 'v1';
    const live = await objects.read({
      apiVersion,
      kind: kind as string,
      metadata: { name: name as string, namespace },
    });
    expect(live.metadata?.annotations?.['aks-functions-deploy/image'] ?? image(10)).toBe(image(10));
  }
});

test('delete right after a killed deploy: it waits for the lease the deploy left to lapse, then removes the app', async () => {
  const lease = await coordination.readNamespacedLease({ name: 'aks-functions-deploy.orders', namespace });
  expect(lease.spec?.holderIdentity).toMatch(/process \d+/);
  const run = await cli([
    'delete',
    '--name',
    'orders',
    '--namespace',
    namespace,
    '--kubeconfig',
    process.env.KUBECONFIG as string,
  ]);
  expect(run.stderr).toMatch(
    /^waiting for another deploy of orders to finish \(.+ holds Lease aks-functions-deploy\.orders\)$/m,
  );
  expect(run.status).toBe(0);
  expect(
    (await apps.listNamespacedDeployment({ namespace, labelSelector: 'app.kubernetes.io/instance=orders' })).items,
  ).toEqual([]);
  await expect(
    coordination.readNamespacedLease({ name: 'aks-functions-deploy.orders', namespace }),
  ).rejects.toMatchObject({ code: 404 });
});
