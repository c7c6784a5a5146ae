// The main job on the embedded local cluster: the stack comes up (built once,
// then cached), the orders example (a Node.js v4 app, read from its source) is
// built, pushed and deployed with KEDA by the bundled CLI, then the scale test
// of the Functions-on-KEDA guides: 1,000 messages on its queue take the app
// from 0 to 15 replicas (KEDA, then the HPA on KEDA's metric) and, once the
// queue is drained, back to 0. A re-run builds nothing and changes nothing.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueueServiceClient } from '@azure/storage-queue';
import * as k8s from '@kubernetes/client-node';
import { readEnv } from '../stack/cluster.mjs';
import { MESSAGES_PER_REPLICA_PER_SECOND, scaleTest } from './demo-scale.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NAMESPACE = 'demo';
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const say = (text) => console.log(`\n== ${text} (${elapsed()})`);
// The guides' scale test: 1,000 messages, up to 15 replicas.
const MESSAGES = 1000;
const MAX_REPLICAS = 15;

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
// What an earlier run left behind would start the scale test early.
await orders.clearMessages();

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
  '--max-replicas',
  String(MAX_REPLICAS),
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

say(
  `the scale test: ${MESSAGES} messages on the orders queue; KEDA wakes the app (0 → 1), the HPA scales it on ` +
    `KEDA's queue-length metric (5 messages a replica) up to ${MAX_REPLICAS}, and KEDA takes it back to 0 once the ` +
    `queue is empty and the cooldown has passed`,
);
console.log(
  `   kwok's pods run no Functions host: the demo takes ${MESSAGES_PER_REPLICA_PER_SECOND} messages a second off ` +
    'the queue for each ready replica, as the function would. Replica counts come from a watch on the ' +
    "Deployment, rescales from the HPA's and KEDA's own events.",
);
const steps = await scaleTest({ kc, namespace: NAMESPACE, name: 'orders', queue: orders, messages: MESSAGES });
console.log(
  `   replicas: 0 → ${steps.map((step) => `${step.replicas} (t+${step.seconds.toFixed(0)}s, ${step.by})`).join(' → ')}`,
);

say(`done: the app runs on the local cluster (namespace ${NAMESPACE}); \`npm run cluster:down\` stops the cluster`);
