// The figures from the local cluster: full deploys, no-op redeploys and the
// Kubernetes phase against kubectl's, in the bench-* namespaces only.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { QueueServiceClient } from '@azure/storage-queue';
import * as k8s from '@kubernetes/client-node';
import { readEnv } from '../../stack/cluster.mjs';
import { STATE } from '../../stack/cluster/config.mjs';
import { REPO, note, sleep } from './common.mjs';
import { fullDeploys, noopRedeploys } from './deploys.mjs';
import { k8sPhasePairs } from './k8s-phase.mjs';
import { ensureKubectl, kubernetesVersion } from './kubectl.mjs';
import { NS_DIRECT, NS_PRIVATE, privatePathPairs } from './private-path.mjs';
import { gnuTime } from './processes.mjs';

const APP = 'bench';
const REPOSITORY = 'bench-app';
const NS_OURS = 'bench-ours';
const NS_KUBECTL = 'bench-kubectl';
const QUEUE = 'bench-orders';

function ensureCluster() {
  // Where the stack keeps its state (AFD_CLUSTER_DIR, else .cluster), as `stack/cluster.mjs` reads it.
  const envFile = path.join(STATE, 'env');
  const status = spawnSync(process.execPath, ['stack/cluster.mjs', 'status'], { cwd: REPO, encoding: 'utf8' });
  if (status.status !== 0 || !fs.existsSync(envFile)) {
    note('the local cluster is not (all) up: node stack/cluster.mjs up (starts only what is missing)');
    const up = spawnSync(process.execPath, ['stack/cluster.mjs', 'up'], { cwd: REPO, stdio: ['ignore', 2, 2] });
    if (up.status !== 0) throw new Error('node stack/cluster.mjs up failed');
  }
  return readEnv(envFile);
}

/** examples/orders (one HTTP function, one queue-triggered one) on an empty base image, on its own queue. */
function prepareApp(tmp) {
  const dir = path.join(tmp, 'app');
  fs.cpSync(path.join(REPO, 'examples', 'orders'), dir, { recursive: true });
  // kwok runs no containers: the image carries the app's files on an empty base, as in the demo.
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY . /home/site/wwwroot\n');
  fs.rmSync(path.join(dir, 'local.settings.json'), { force: true });
  // A Node.js v4 app: its queue trigger is registered in source.
  const trigger = path.join(dir, 'src', 'functions', 'processOrder.js');
  const source = fs.readFileSync(trigger, 'utf8');
  if (!source.includes("queueName: 'orders'"))
    throw new Error(`${trigger}: no queueName 'orders' to point at ${QUEUE}`);
  fs.writeFileSync(trigger, source.replace("queueName: 'orders'", `queueName: '${QUEUE}'`));
  return dir;
}
/** Deletes the namespaces and waits until they are gone; rides out an apiserver restart. */
async function deleteNamespaces(kc, names) {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  let left = names;
  let lastError;
  for (const deadline = Date.now() + 180_000; Date.now() < deadline; await sleep(1000)) {
    const still = [];
    for (const name of left) {
      try {
        const ns = await core.readNamespace({ name });
        if (!ns.metadata?.deletionTimestamp) await core.deleteNamespace({ name });
        still.push(name);
      } catch (error) {
        if (error.code !== 404) {
          lastError = error;
          still.push(name);
        }
      }
    }
    left = still;
    if (left.length === 0) return;
  }
  note(`warning: namespaces ${left.join(', ')} not gone after 3 minutes${lastError ? ` (${lastError.message})` : ''}`);
}

// The cluster is shared (the integration tests restart the apiserver, for
// one): a run that fails is noted, with its reason, and made again, up to
// twice; every retry is in the report.
function retrier() {
  const failures = [];
  const retrying = async (what, work) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work(attempt);
      } catch (error) {
        const reason = error.message
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
          .slice(-4)
          .join(' | ');
        failures.push({ run: what, attempt, reason });
        if (attempt >= 3) throw error;
        note(`${what} failed, retrying in 5s: ${reason}`);
        await sleep(5000);
      }
    }
  };
  return { failures, retrying };
}

/** The cluster, kubectl, the app, KEDA's manifest and the queue, and the command lines of both sides. */
async function clusterContext({ cli, runs, tmp }) {
  const env = ensureCluster();
  const kubectl = ensureKubectl();
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(env.KUBECONFIG);
  const cliEnv = { ...process.env, DOCKER_HOST: env.DOCKER_HOST };
  const app = prepareApp(tmp);
  const queues = QueueServiceClient.fromConnectionString(env.AZURE_STORAGE_CONNECTION_STRING);
  const queue = queues.getQueueClient(QUEUE);
  await queue.createIfNotExists();
  const kubectlCache = path.join(tmp, 'kube-cache');
  const kubectlArgs = ['--kubeconfig', env.KUBECONFIG, '--cache-dir', kubectlCache];
  const settings = (id) => [
    '--app-settings',
    `AzureWebJobsStorage=${env.AZURE_STORAGE_CONNECTION_STRING}`,
    '--app-settings',
    `BENCH_RUN=${id}`,
  ];
  // What both sides render from; the deploy adds its cluster and timeout.
  const common = ['--app-path', app, '--name', APP, '--service-type', 'ClusterIP', '--polling-interval', '5s'];
  const build = [
    '--registry',
    env.REGISTRY,
    '--repository',
    REPOSITORY,
    '--registry-username',
    env.REGISTRY_USERNAME,
    '--registry-password',
    env.REGISTRY_PASSWORD,
  ];
  const deployArgs = ({ namespace, image, id }) => [
    cli,
    'deploy',
    ...common,
    '--timeout',
    '3m',
    '--namespace',
    namespace,
    ...(image ? ['--image', image] : build),
    '--kubeconfig',
    env.KUBECONFIG,
    ...settings(id),
  ];
  return {
    cli,
    runs,
    tmp,
    env,
    kc,
    cliEnv,
    kubectl,
    kubectlArgs,
    app,
    queue,
    namespaces: { ours: NS_OURS, kubectl: NS_KUBECTL },
    deployments: [APP, `${APP}-http`],
    common,
    settings,
    deployArgs,
    ...retrier(),
  };
}

/** The bench namespaces, the queue and the images built go; nothing else is touched. */
async function cleanUp({ kc, queue, env, cliEnv }) {
  note('cleaning up: bench namespaces, queue, images');
  await deleteNamespaces(kc, [NS_OURS, NS_KUBECTL, NS_PRIVATE, NS_DIRECT]).catch((e) =>
    note(`warning: cleanup: ${e.message}`),
  );
  await queue.deleteIfExists().catch(() => undefined);
  const images = spawnSync(
    'docker',
    ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', `${env.REGISTRY}/${REPOSITORY}`],
    { env: cliEnv, encoding: 'utf8' },
  );
  const tags = (images.stdout ?? '').split('\n').filter(Boolean);
  if (tags.length) spawnSync('docker', ['image', 'rm', ...tags], { env: cliEnv, stdio: 'ignore' });
}

export async function benchCluster(bench) {
  const ctx = await clusterContext(bench);
  await deleteNamespaces(ctx.kc, [NS_OURS, NS_KUBECTL, NS_PRIVATE, NS_DIRECT]);
  const out = { failures: ctx.failures };
  try {
    const id = Date.now().toString(36);
    out.pipeline = await fullDeploys(ctx, id);
    out.noop = await noopRedeploys(ctx);
    const image = out.pipeline.at(-1).image;
    if (!image?.includes('@sha256:')) throw new Error(`the full deploy reported no image by digest (image: ${image})`);
    out.pairs = await k8sPhasePairs(ctx, image, id);
    out.privatePath = await privatePathPairs(ctx, image, id);
  } finally {
    await cleanUp(ctx);
  }
  return {
    ...out,
    kubectlVersion: kubernetesVersion(),
    peakRssMethod: gnuTime ? 'GNU time (ru_maxrss from wait4)' : 'process.resourceUsage().maxRSS at exit (preloaded)',
  };
}
