// The Azure Pipelines task with its Kubernetes and Docker Registry service
// connections, run through azure-pipelines-task-lib's MockTestRunner against
// the local stack: the connections as the agent hands them over, the real
// cluster, registry and Docker behind them.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueueServiceClient } from '@azure/storage-queue';
import * as k8s from '@kubernetes/client-node';
import { type Endpoint, outputVariables, runTask } from '../task-runner/run-task.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const kc = new k8s.KubeConfig();
kc.loadFromDefault();
const apps = kc.makeApiClient(k8s.AppsV1Api);
const core = kc.makeApiClient(k8s.CoreV1Api);
const namespace = `afd-task-${Date.now().toString(36)}`;
const [REGISTRY, REGISTRY_USERNAME, REGISTRY_PASSWORD, ENTRA_CLUSTER_TOKEN] = [
  'REGISTRY',
  'REGISTRY_USERNAME',
  'REGISTRY_PASSWORD',
  'ENTRA_CLUSTER_TOKEN',
].map((name) => process.env[name] as string) as [string, string, string, string];

const app = mkdtempSync(join(tmpdir(), 'afd-task-orders-'));
cpSync(join(REPO, 'examples/orders'), app, { recursive: true });
// Its base image is on mcr.microsoft.com, out of reach here.
writeFileSync(join(app, 'Dockerfile'), 'FROM scratch\nCOPY . /home/site/wwwroot\n');
beforeAll(async () => {
  // On a real cluster the Functions host creates the queues it listens to; kwok runs no host.
  await QueueServiceClient.fromConnectionString(process.env.AZURE_STORAGE_CONNECTION_STRING as string)
    .getQueueClient('orders')
    .createIfNotExists();
});
afterAll(async () => {
  rmSync(app, { recursive: true, force: true });
  await core.deleteNamespace({ name: namespace }).catch(() => undefined);
});

/** The stack's kubeconfig with a second, broken context made current: only the connection's clusterContext reaches the cluster. */
function kubeconfigWithTwoContexts(): string {
  const config = new k8s.KubeConfig();
  config.loadFromString(readFileSync(process.env.KUBECONFIG as string, 'utf8'));
  config.loadFromOptions({
    clusters: [...config.clusters, { name: 'elsewhere', server: 'https://127.0.0.1:1' }],
    users: config.users,
    contexts: [...config.contexts, { name: 'elsewhere', cluster: 'elsewhere', user: config.users[0]?.name as string }],
    currentContext: 'elsewhere',
  });
  return config.exportConfig();
}

/** A service-account connection: the token and the cluster's CA, base64 as the account's Secret holds them. */
function serviceAccountEndpoint(token: string): Endpoint {
  const cluster = kc.getCurrentCluster() as k8s.Cluster;
  const ca = cluster.caData ?? Buffer.from(readFileSync(cluster.caFile as string)).toString('base64');
  return {
    scheme: 'Token',
    url: cluster.server,
    auth: {
      apiToken: Buffer.from(token).toString('base64'),
      serviceAccountCertificate: ca,
      isCreatedFromSecretYaml: 'true',
    },
    data: { authorizationType: 'ServiceAccount' },
  };
}

// The agent passes task.json's defaults as inputs too.
const defaults = { auth: 'auto', keda: 'auto', wait: 'true', registryLogin: 'auto', timeout: '2m' };

test('a Kubeconfig connection (at its clusterContext) and a user-name registry connection: built, pushed and rolled out', async () => {
  const context = kc.getCurrentContext();
  const result = await runTask({
    inputs: {
      ...defaults,
      name: 'taskorders',
      namespace,
      appPath: app,
      serviceType: 'ClusterIP',
      appSettings: `AzureWebJobsStorage=${process.env.AZURE_STORAGE_CONNECTION_STRING}`,
      kubernetesServiceConnection: 'k8s',
      dockerRegistryServiceConnection: 'registry',
    },
    endpoints: {
      k8s: {
        scheme: 'Kubernetes',
        auth: { kubeconfig: kubeconfigWithTwoContexts(), clusterContext: context },
        data: { authorizationType: 'Kubeconfig' },
      },
      registry: {
        scheme: 'UsernamePassword',
        url: `https://${REGISTRY}`,
        auth: { registry: `https://${REGISTRY}/`, username: REGISTRY_USERNAME, password: REGISTRY_PASSWORD },
      },
    },
  });
  expect(result.errorIssues).toEqual([]);
  expect(result.succeeded).toBe(true);
  const outputs = outputVariables(result.stdout);
  // Pushed to the registry the connection names, and deployed by digest.
  expect(outputs.image).toMatch(new RegExp(`^${REGISTRY.replace(/\./g, '\\.')}/taskorders@sha256:[0-9a-f]{64}$`));
  const deployment = await apps.readNamespacedDeployment({ name: 'taskorders-http', namespace });
  expect(deployment.spec?.template.spec?.containers[0]?.image).toBe(outputs.image);
  expect(deployment.status?.availableReplicas).toBe(1);
  // Each stage under its own heading.
  for (const title of [
    'Discover and render the app',
    'Build the image and prepare the cluster',
    'Apply',
    'Wait for the rollout',
  ])
    expect(result.stdout).toContain(`##[group]${title}\n`);
  expect(JSON.parse(outputs.timings as string)).toEqual(
    expect.objectContaining({
      image: expect.any(Number),
      apply: expect.any(Number),
      rollout: expect.any(Number),
      total: expect.any(Number),
    }),
  );
});

test.each(['ServiceAccount', 'AzureSubscription'])(
  'a Kubernetes connection of type %s: its token is what the cluster sees',
  async (authorizationType) => {
    const image = `${REGISTRY}/taskorders@sha256:${'3'.repeat(64)}`;
    const inputs = {
      ...defaults,
      name: 'tasksa',
      namespace,
      appPath: app,
      image,
      dryRun: 'true',
      kubernetesServiceConnection: 'sa',
    };
    const endpoint = (token: string) => ({ ...serviceAccountEndpoint(token), data: { authorizationType } });
    const accepted = await runTask({ inputs, endpoints: { sa: endpoint(ENTRA_CLUSTER_TOKEN) } });
    expect(accepted.errorIssues).toEqual([]);
    expect(accepted.succeeded).toBe(true);
    // A server-side dry run: the cluster checked the objects, nothing was created.
    await expect(apps.readNamespacedDeployment({ name: 'tasksa-http', namespace })).rejects.toMatchObject({
      code: 404,
    });

    const refused = await runTask({ inputs, endpoints: { sa: endpoint('not-the-token-0123456789') } });
    expect(refused.succeeded).toBe(false);
    expect(refused.errorIssues).toEqual([expect.stringMatching(/401|Unauthorized/)]);
    expect(refused.stdout + refused.stderr).not.toMatch(/^\s+at /m);
  },
);
