// The main job on the embedded local cluster: the stack comes up (built once,
// then cached), the orders example is built, pushed and deployed with KEDA by
// the bundled CLI, then a message on its queue shows KEDA scaling the app from
// 0 to 1 and, once the message is handled, back to 0. A re-run builds nothing
// and changes nothing.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueueServiceClient } from '@azure/storage-queue';
import * as k8s from '@kubernetes/client-node';
import { readEnv } from '../stack/cluster.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NAMESPACE = 'demo';
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const say = (text) => console.log(`\n== ${text} (${elapsed()})`);

function run(command, args) {
  console.log(`$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: REPO });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Like run, without blocking this process: it serves the KEDA manifest meanwhile. */
async function runAlongside(command, args, shown) {
  console.log(`$ ${[command, ...shown].join(' ')}`);
  const child = spawn(command, args, { stdio: 'inherit', cwd: REPO });
  const status = await new Promise((done) => child.on('close', done));
  if (status !== 0) process.exit(status ?? 1);
}

say('the local cluster: Docker, a registry, Azurite, Kubernetes with simulated nodes, KEDA');
run('bash', ['stack/install-deps.sh']);
if (
  !existsSync(join(REPO, '.cluster', 'env')) ||
  spawnSync(process.execPath, ['stack/cluster.mjs', 'status'], { cwd: REPO }).status !== 0
) {
  console.log('(the first run builds Kubernetes, kwok and KEDA from source: about 20 minutes, cached afterwards)');
}
run(process.execPath, ['stack/cluster.mjs', 'build']);
run(process.execPath, ['stack/cluster.mjs', 'up']);
const env = readEnv(join(REPO, '.cluster', 'env'));
Object.assign(process.env, env);

// The example as it ships, except its base image: kwok's simulated nodes run no
// containers, so the demo image carries the app's files on an empty base.
const app = mkdtempSync(join(tmpdir(), 'afd-demo-'));
cpSync(join(REPO, 'examples', 'orders'), app, { recursive: true });
writeFileSync(join(app, 'Dockerfile'), 'FROM scratch\nCOPY . /home/site/wwwroot\n');

const queues = QueueServiceClient.fromConnectionString(env.AZURE_STORAGE_CONNECTION_STRING);
// The Functions host creates the queues it listens to; kwok runs no host, so the demo does.
const orders = queues.getQueueClient('orders');
await orders.createIfNotExists();

say('deploy: build and push the image, ensure KEDA, apply, wait for the rollout');
const deploy = (password, storage) => [
  'dist/cli.js',
  'deploy',
  '--app-path',
  app,
  '--name',
  'orders',
  '--namespace',
  NAMESPACE,
  '--registry',
  env.REGISTRY,
  '--registry-username',
  env.REGISTRY_USERNAME,
  '--registry-password',
  password,
  '--kubeconfig',
  env.KUBECONFIG,
  '--service-type',
  'ClusterIP',
  '--app-settings',
  `AzureWebJobsStorage=${storage}`,
  '--polling-interval',
  '2s',
  '--cooldown-period',
  '10s',
];
// The command as shown keeps the secrets out of the terminal.
await runAlongside(
  process.execPath,
  deploy(env.REGISTRY_PASSWORD, env.AZURE_STORAGE_CONNECTION_STRING),
  deploy('***', '***'),
);
rmSync(app, { recursive: true, force: true });

const kc = new k8s.KubeConfig();
kc.loadFromFile(env.KUBECONFIG);
const apps = kc.makeApiClient(k8s.AppsV1Api);
const replicas = async () =>
  (await apps.readNamespacedDeployment({ name: 'orders', namespace: NAMESPACE })).status?.readyReplicas ?? 0;

/** Waits for the queue-triggered Deployment to reach `wanted` ready replicas, printing each change. */
async function scaledTo(wanted, seconds) {
  let last;
  for (
    const deadline = Date.now() + seconds * 1000;
    Date.now() < deadline;
    await new Promise((r) => setTimeout(r, 500))
  ) {
    const now = await replicas();
    if (now !== last) console.log(`   Deployment/orders: ${now} ready (${elapsed()})`);
    last = now;
    if (now === wanted) return;
  }
  throw new Error(`Deployment/orders did not reach ${wanted} replicas within ${seconds}s`);
}

say('KEDA keeps the queue-triggered Deployment at 0 while the queue is empty');
await scaledTo(0, 60);
say('a message on the orders queue: KEDA wakes the app');
await orders.sendMessage(Buffer.from(JSON.stringify({ id: 42, item: 'demo' })).toString('base64'));
await scaledTo(1, 60);
say('the message handled (the demo takes it off the queue, as the function would): after the cooldown, back to 0');
const [message] = (await orders.receiveMessages()).receivedMessageItems;
if (message) await orders.deleteMessage(message.messageId, message.popReceipt);
await scaledTo(0, 90);

say(`done: the app runs on the local cluster (namespace ${NAMESPACE}); \`npm run cluster:down\` stops the cluster`);
