// The full deploy through Azure's side: the identity signs in at the Entra ID
// stand-in, AKS credentials come from the ARM stand-in, the image is pushed
// through the ACR stand-in (token exchange in front of the real registry),
// and the app rolls out on the local cluster. Only Azure's endpoints are
// stand-ins (stack/azure); everything else is real.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueueServiceClient } from '@azure/storage-queue';
import * as k8s from '@kubernetes/client-node';
import { captureOutput, captureSecrets } from '../captured.js';
import { runTask, type TaskScenario } from '../task-runner/run-task.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Standins {
  caFile: string;
  armEndpoint: string;
  acrLoginServer: string;
  githubOidc: { requestUrl: string; requestToken: string };
  pipelinesOidc: { requestUri: string; accessToken: string; serviceConnectionId: string };
  managedIdentity: { endpoint: string; header: string };
  inject(fault: {
    service: 'token' | 'arm' | 'exchange' | 'registry' | 'oidc';
    status: number;
    retryAfter?: number;
    times?: number;
  }): void;
  requests: { service: string; method: string; path: string; status: number }[];
  tokensIssued: string[];
  setCluster(partial: { aadManaged?: boolean; kedaAddon?: boolean; disableLocalAccounts?: boolean }): void;
  setAllowedActions(actions: string[] | undefined): void;
  setRegistryPolicies(policies: { azureADAuthenticationAsArmPolicy?: { status: 'enabled' | 'disabled' } }): void;
  setMissingResources(resources: string[]): void;
  imds: { host: string };
  writeFederatedTokenFile(): string;
  close(): Promise<void>;
}

const tenantId = randomUUID();
const clientId = randomUUID();
const clientSecret = `cs-${randomBytes(18).toString('base64url')}`;
const subscriptionId = randomUUID();
const federatedSubject = 'repo:contoso/orders:ref:refs/heads/main';
const namespace = `afd-azure-${Date.now().toString(36)}`;
const kc = new k8s.KubeConfig();
kc.loadFromDefault();
const core = kc.makeApiClient(k8s.CoreV1Api);

let standins: Standins;
let startStandins: (options: Record<string, unknown>) => Promise<Standins>;
// The app's certificate credential: a self-signed certificate and its key in one PEM file, as Azure takes them.
const certificateDir = mkdtempSync(join(tmpdir(), 'afd-app-cert-'));
const certificatePem = join(certificateDir, 'app.pem');
spawnSync(
  'openssl',
  [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=aks-functions-deploy-test',
    '-days',
    '1',
    '-keyout',
    join(certificateDir, 'key.pem'),
    '-out',
    join(certificateDir, 'cert.pem'),
  ],
  { stdio: 'ignore' },
);
writeFileSync(
  certificatePem,
  readFileSync(join(certificateDir, 'key.pem'), 'utf8') + readFileSync(join(certificateDir, 'cert.pem'), 'utf8'),
  { mode: 0o600 },
);
const standinOptions = () => ({
  clientCertificate: readFileSync(join(certificateDir, 'cert.pem'), 'utf8'),
  tenantId,
  clientId,
  clientSecret,
  subscriptionId,
  resourceGroup: 'rg-functions',
  clusterName: 'aks-functions',
  federatedSubject,
  kubeconfig: readFileSync(process.env.KUBECONFIG as string, 'utf8'),
  registry: {
    upstream: process.env.REGISTRY,
    username: process.env.REGISTRY_USERNAME,
    password: process.env.REGISTRY_PASSWORD,
  },
  lroPolls: 0,
});
// The orders example, buildable here (its base image is on mcr.microsoft.com, out of reach).
const app = mkdtempSync(join(tmpdir(), 'afd-azure-orders-'));
cpSync(join(REPO, 'examples/orders'), app, { recursive: true });
writeFileSync(join(app, 'Dockerfile'), 'FROM scratch\nCOPY . /home/site/wwwroot\n');

beforeAll(async () => {
  const modulePath = join(REPO, 'stack/azure/standins.mjs');
  ({ startAzureStandins: startStandins } = (await import(modulePath)) as { startAzureStandins: typeof startStandins });
  standins = await startStandins(standinOptions());
  // On a real cluster the Functions host creates the queues it listens to; kwok runs no host.
  await QueueServiceClient.fromConnectionString(process.env.AZURE_STORAGE_CONNECTION_STRING as string)
    .getQueueClient('orders')
    .createIfNotExists();
});
afterAll(async () => {
  captureSecrets([clientSecret, ...(standins?.tokensIssued ?? [])]);
  await standins?.close();
  rmSync(app, { recursive: true, force: true });
  rmSync(certificateDir, { recursive: true, force: true });
  await core.deleteNamespace({ name: namespace }).catch(() => undefined);
});

interface Run {
  status: number | null;
  output: string;
}

/** The bundled CLI as a CI step runs it, trusting the stand-ins' CA the way Node lets a user add one. */
function deploy(extra: string[], env: Record<string, string> = {}, standins_ = standins): Promise<Run> {
  const standins = standins_;
  const args = [
    join(REPO, 'dist', 'cli.js'),
    'deploy',
    '--app-path',
    app,
    '--name',
    'azorders',
    '--namespace',
    namespace,
    // The stand-in's login server is a loopback address, not *.azurecr.io: say it is an ACR.
    '--registry',
    standins.acrLoginServer,
    '--registry-login',
    'azure',
    '--cloud',
    standins.armEndpoint,
    '--subscription-id',
    subscriptionId,
    '--resource-group',
    'rg-functions',
    '--cluster-name',
    'aks-functions',
    '--client-id',
    clientId,
    '--tenant-id',
    tenantId,
    '--service-type',
    'ClusterIP',
    '--app-settings',
    `AzureWebJobsStorage=${process.env.AZURE_STORAGE_CONNECTION_STRING}`,
    '--timeout',
    '2m',
    ...extra,
  ];
  const child = spawn(process.execPath, args, {
    cwd: REPO,
    env: { ...process.env, NODE_EXTRA_CA_CERTS: standins.caFile, ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((done) =>
    child.on('close', (status) => {
      captureOutput(output);
      done({ status, output });
    }),
  );
}

const dockerConfigs = () => readdirSync(tmpdir()).filter((name) => name.startsWith('aks-functions-deploy-docker-'));
const served = (service: string, path: RegExp) =>
  standins.requests.filter((request) => request.service === service && path.test(request.path));

/**
 * No token, secret or key handed out by the stand-ins (or given by the test)
 * in anything the deploy printed. `::add-mask::` lines are how a value is
 * masked on GitHub (the runner consumes them; @actions/core's getIDToken
 * writes one for the OIDC token): they are the only place a token may be.
 */
function expectNoSecrets(run: Run): void {
  const shown = run.output
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  for (const secret of [clientSecret, process.env.REGISTRY_PASSWORD as string, ...standins.tokensIssued])
    expect(shown).not.toContain(secret);
}

describe('deploy with the Azure identity: ACR and AKS without az, docker login or kubelogin', () => {
  test('client secret: token exchange at the registry, AKS user credentials, pods on the pushed digest', async () => {
    const configsBefore = dockerConfigs();
    const run = await deploy(['--client-secret', clientSecret]);
    expect(run.output).toMatch(/rollout healthy in/);
    expect(run.status).toBe(0);
    const image = /^image: (.+)$/m.exec(run.output)?.[1] ?? '';
    expect(image).toMatch(
      new RegExp(`^${standins.acrLoginServer.replace(/\./g, '\\.')}/azorders@sha256:[a-f0-9]{64}$`),
    );
    expect(served('exchange', /^\/oauth2\/exchange/).map((request) => request.status)).toContain(200);
    expect(served('arm', /listClusterUserCredential/).map((request) => request.status)).toContain(200);
    const pods = await core.listNamespacedPod({ namespace, labelSelector: 'app.kubernetes.io/component=http' });
    expect(pods.items.map((pod) => pod.spec?.containers[0]?.image)).toEqual([image]);
    expect(dockerConfigs()).toEqual(configsBefore);
    expectNoSecrets(run);
  });

  test("GitHub OIDC on an Entra ID cluster: a fresh federated token, and the cluster's own token instead of kubelogin", async () => {
    standins.setCluster({ aadManaged: true });
    try {
      const before = standins.requests.length;
      const run = await deploy(['--auth', 'oidc', '--http-replicas', '2'], {
        ACTIONS_ID_TOKEN_REQUEST_URL: standins.githubOidc.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: standins.githubOidc.requestToken,
      });
      expect(run.output).toMatch(/rollout healthy in/);
      expect(run.status).toBe(0);
      const during = standins.requests.slice(before);
      expect(during.some((request) => request.service === 'oidc' && request.status === 200)).toBe(true);
      // The federated token was masked on GitHub's terms before anything could print it.
      expect(run.output).toMatch(/^::add-mask::ey/m);
      // The kubeconfig AKS returned runs kubelogin; it was never run, and the apiserver took the Entra ID token.
      expect(run.output).not.toMatch(/kubelogin/);
      expect(
        (await kc.makeApiClient(k8s.AppsV1Api).readNamespacedDeployment({ name: 'azorders-http', namespace })).status
          ?.availableReplicas,
      ).toBe(2);
      expectNoSecrets(run);
    } finally {
      standins.setCluster({ aadManaged: false });
    }
  });

  test('a federated token that expires during the deploy is never reused: each Entra ID request gets a fresh one (no AADSTS700024)', async () => {
    // GitHub tokens that live 2 s, and ARM slowing the deploy down by more than that between two sign-ins.
    const shortLived = await startStandins({ ...standinOptions(), oidcLifetimeSeconds: 2 });
    try {
      // An Entra ID cluster: a second sign-in, for the cluster's token, after the slowed-down ARM calls.
      shortLived.setCluster({ aadManaged: true });
      shortLived.inject({ service: 'arm', status: 429, retryAfter: 3, times: 1 });
      const run = await deploy(
        [
          '--auth',
          'oidc',
          '--image',
          'registry.local/orders@sha256:' + '1'.repeat(64),
          '--registry',
          '',
          '--build',
          'none',
        ],
        {
          ACTIONS_ID_TOKEN_REQUEST_URL: shortLived.githubOidc.requestUrl,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: shortLived.githubOidc.requestToken,
        },
        shortLived,
      );
      expect(run.output).not.toMatch(/AADSTS700024/);
      expect(run.status).toBe(0);
      const signIns = shortLived.requests.filter(
        (request) => request.service === 'token' && request.method === 'POST' && request.status === 200,
      );
      const federatedTokens = shortLived.requests.filter(
        (request) => request.service === 'oidc' && request.status === 200,
      );
      expect(signIns.length).toBeGreaterThanOrEqual(2);
      expect(federatedTokens.length).toBeGreaterThanOrEqual(signIns.length);
    } finally {
      captureSecrets(shortLived.tokensIssued);
      await shortLived.close();
    }
  });

  test('build: acr builds in Azure with ACR Tasks — no Docker needed — streams the log and deploys the digest', async () => {
    const run = await deploy(
      ['--client-secret', clientSecret, '--build', 'acr', '--name', 'acrbuilt', '--build-args', `RUN=${Date.now()}`],
      { DOCKER_HOST: 'unix:///nonexistent/docker.sock', PATH: '/nonexistent' + ':' + dirname(process.execPath) },
    );
    expect(run.output).toMatch(/uploaded the build context \(\d+ files\)/);
    expect(run.output).toMatch(/^Run ID: \S+ was successful/m);
    expect(run.status).toBe(0);
    const image = /^image: (.+)$/m.exec(run.output)?.[1] ?? '';
    expect(image).toMatch(
      new RegExp(`^${standins.acrLoginServer.replace(/\./g, '\\.')}/acrbuilt@sha256:[a-f0-9]{64}$`),
    );
    const pods = await core.listNamespacedPod({
      namespace,
      labelSelector: 'app.kubernetes.io/instance=acrbuilt,app.kubernetes.io/component=http',
    });
    expect(pods.items.map((pod) => pod.spec?.containers[0]?.image)).toEqual([image]);
    expectNoSecrets(run);
  });

  test('admin credentials when asked; a clear error when the cluster has local accounts disabled', async () => {
    const given = [
      '--client-secret',
      clientSecret,
      '--admin',
      '--name',
      'adminapp',
      '--image',
      'registry.local/orders@sha256:' + '1'.repeat(64),
      '--registry',
      '',
      '--build',
      'none',
    ];
    const before = standins.requests.length;
    const run = await deploy(given);
    expect(run.status).toBe(0);
    expect(
      standins.requests
        .slice(before)
        .some((request) => /listClusterAdminCredential/.test(request.path) && request.status === 200),
    ).toBe(true);
    standins.setCluster({ disableLocalAccounts: true });
    try {
      const refused = await deploy(given);
      expect(refused.status).not.toBe(0);
      expect(refused.output).toMatch(
        /^error: input 'admin': AKS cluster aks-functions in resource group rg-functions has local accounts disabled, so it has no admin credentials/m,
      );
    } finally {
      standins.setCluster({ disableLocalAccounts: false });
    }
  });

  test('a managed identity (App Service and Functions hosts): auth: auto finds it, the user-assigned one by client-id', async () => {
    const run = await deploy(
      [
        '--name',
        'miapp',
        '--image',
        'registry.local/orders@sha256:' + '1'.repeat(64),
        '--registry',
        '',
        '--build',
        'none',
      ],
      {
        IDENTITY_ENDPOINT: standins.managedIdentity.endpoint,
        IDENTITY_HEADER: standins.managedIdentity.header,
      },
    );
    expect(run.output).toMatch(/signing in with auth managed-identity/);
    expect(run.status).toBe(0);
    expect(
      standins.requests.some(
        (request) => request.service === 'oidc' && request.path.startsWith('/msi/token') && request.status === 200,
      ),
    ).toBe(true);
    expectNoSecrets(run);
  });

  test('a client certificate instead of a secret', async () => {
    const before = standins.requests.length;
    const run = await deploy([
      '--client-certificate',
      certificatePem,
      '--name',
      'certapp',
      '--image',
      'registry.local/orders@sha256:' + '1'.repeat(64),
      '--registry',
      '',
      '--build',
      'none',
    ]);
    expect(run.output).toMatch(/signing in with auth secret/);
    expect(run.status).toBe(0);
    expect(
      standins.requests.slice(before).some((request) => request.service === 'token' && request.status === 200),
    ).toBe(true);
    expect(run.output).not.toContain('PRIVATE KEY');
  });

  // The task through the task library's MockTestRunner, with its Azure Resource Manager connection as the agent hands it over.
  const taskInputs = () => ({
    name: 'taskapp',
    namespace,
    appPath: app,
    image: 'registry.local/orders@sha256:' + '1'.repeat(64),
    resourceGroup: 'rg-functions',
    clusterName: 'aks-functions',
    cloud: standins.armEndpoint,
    serviceType: 'ClusterIP',
    timeout: '2m',
    // The agent passes task.json's defaults as inputs too.
    auth: 'auto',
    keda: 'auto',
    wait: 'true',
    appSettings: `AzureWebJobsStorage=${process.env.AZURE_STORAGE_CONNECTION_STRING}`,
  });
  const armConnection = (scheme: string, auth: Record<string, string>) => ({
    scheme,
    auth: { serviceprincipalid: clientId, tenantid: tenantId, ...auth },
    data: { subscriptionId },
  });
  async function runTaskCaptured(scenario: TaskScenario) {
    return runTask({ ...scenario, env: { NODE_EXTRA_CA_CERTS: standins.caFile, ...scenario.env } });
  }

  test('the task with a workload identity federation connection and the job token of SystemVssConnection: deployed', async () => {
    const id = standins.pipelinesOidc.serviceConnectionId;
    const result = await runTaskCaptured({
      inputs: { ...taskInputs(), azureSubscription: id },
      endpoints: {
        [id]: armConnection('WorkloadIdentityFederation', {}),
        SystemVssConnection: { scheme: 'OAuth', auth: { AccessToken: standins.pipelinesOidc.accessToken } },
      },
      env: { SYSTEM_OIDCREQUESTURI: standins.pipelinesOidc.requestUri },
    });
    expect(result.stdout).toMatch(/signing in with auth oidc/);
    expect(result.errorIssues).toEqual([]);
    expect(result.succeeded).toBe(true);
    expect(
      (await kc.makeApiClient(k8s.AppsV1Api).readNamespacedDeployment({ name: 'taskapp-http', namespace })).status
        ?.availableReplicas,
    ).toBe(1);
  });

  test.each([
    [
      'a service principal secret',
      () => armConnection('ServicePrincipal', { serviceprincipalkey: clientSecret, authenticationType: 'spnKey' }),
      /signing in with auth secret/,
    ],
    [
      'a service principal certificate',
      () =>
        armConnection('ServicePrincipal', {
          servicePrincipalCertificate: readFileSync(certificatePem, 'utf8'),
          authenticationType: 'spnCertificate',
        }),
      /signing in with auth secret/,
    ],
    ['a managed identity', () => armConnection('ManagedServiceIdentity', {}), /signing in with auth managed-identity/],
  ])('the task with an Azure connection of %s: signed in, cluster reached (dry run)', async (_, connection, signIn) => {
    const result = await runTaskCaptured({
      inputs: { ...taskInputs(), name: 'taskdry', azureSubscription: 'arm', dryRun: 'true' },
      endpoints: { arm: connection() },
      env: { IDENTITY_ENDPOINT: standins.managedIdentity.endpoint, IDENTITY_HEADER: standins.managedIdentity.header },
    });
    expect(result.stdout).toMatch(signIn);
    expect(result.errorIssues).toEqual([]);
    expect(result.succeeded).toBe(true);
    expect(result.stdout).toMatch(/AKS: credentials of aks-functions/);
    // As the agent shows the log: each value masked from its mask command on.
    const { asShown } = (await import(join(REPO, 'stack/leak-scan.mjs'))) as { asShown: (lines: string[]) => string[] };
    expect(asShown(result.stdout.split('\n')).filter((line) => /PRIVATE KEY|MII/.test(line))).toEqual([]);
  });

  test("Azure Pipelines workload identity federation: the service connection's OIDC token", async () => {
    const before = standins.requests.length;
    const run = await deploy([], {
      SYSTEM_OIDCREQUESTURI: standins.pipelinesOidc.requestUri,
      SYSTEM_ACCESSTOKEN: standins.pipelinesOidc.accessToken,
      AZURESUBSCRIPTION_SERVICE_CONNECTION_ID: standins.pipelinesOidc.serviceConnectionId,
    });
    expect(run.output).toMatch(/signing in with auth oidc/);
    expect(run.status).toBe(0);
    expect(
      standins.requests
        .slice(before)
        .some((request) => request.service === 'oidc' && request.method === 'POST' && request.status === 200),
    ).toBe(true);
    expectNoSecrets(run);
  });

  test('429 with Retry-After and 503 from ARM and from the token exchange are retried, and the deploy succeeds', async () => {
    const before = standins.requests.length;
    standins.inject({ service: 'arm', status: 429, retryAfter: 1, times: 1 });
    standins.inject({ service: 'arm', status: 503, times: 1 });
    standins.inject({ service: 'exchange', status: 429, retryAfter: 1, times: 1 });
    standins.inject({ service: 'exchange', status: 503, times: 1 });
    const run = await deploy(['--client-secret', clientSecret]);
    expect(run.status).toBe(0);
    const during = standins.requests.slice(before);
    for (const service of ['arm', 'exchange']) {
      const statuses = during.filter((request) => request.service === service).map((request) => request.status);
      expect(statuses.slice(0, 3)).toEqual([429, 503, 200]);
    }
    expectNoSecrets(run);
  });

  const REGISTRY_ACTIONS = [
    'Microsoft.ContainerRegistry/registries/pull/read',
    'Microsoft.ContainerRegistry/registries/push/write',
  ];

  test('a missing AKS role is one error line that names it, and nothing is deployed', async () => {
    standins.setAllowedActions(['Microsoft.ContainerService/managedClusters/read', ...REGISTRY_ACTIONS]);
    try {
      const run = await deploy(['--client-secret', clientSecret, '--name', 'noaccess']);
      expect(run.status).not.toBe(0);
      const errors = run.output.split('\n').filter((line) => line.startsWith('error: '));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(
        /^error: Azure refused to get the user credentials of AKS cluster aks-functions in resource group rg-functions: .*listClusterUserCredential.* Give the identity the 'Azure Kubernetes Service Cluster User Role' role/,
      );
      expect(run.output).not.toMatch(/\n\s+at /);
      expectNoSecrets(run);
    } finally {
      standins.setAllowedActions(undefined);
    }
  });

  test('a missing AcrPush role is named too', async () => {
    standins.setAllowedActions([
      'Microsoft.ContainerService/managedClusters/read',
      'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action',
    ]);
    try {
      const run = await deploy(['--client-secret', clientSecret, '--name', 'nopush']);
      expect(run.status).not.toBe(0);
      expect(run.output).toMatch(
        /^error: docker push failed \(exit 1\): unauthorized: .*; give the Azure identity the AcrPush role on registry 127\.0\.0\.1:\d+$/m,
      );
      expectNoSecrets(run);
    } finally {
      standins.setAllowedActions(undefined);
    }
  });

  test("registry-login auto never hands an Azure token to a registry that is not the cloud's ACR", async () => {
    const before = standins.requests.length;
    // A loopback login server is no *.azurecr.io: auto leaves the login to Docker, which has none here.
    const run = await deploy(['--client-secret', clientSecret, '--name', 'notacr', '--registry-login', 'auto']);
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/^error: docker push failed/m);
    expect(standins.requests.slice(before).filter((request) => request.service === 'exchange')).toEqual([]);
  });

  test('keda: addon turns the AKS add-on on through ARM instead of installing KEDA', async () => {
    const before = standins.requests.length;
    const run = await deploy(['--client-secret', clientSecret, '--keda', 'addon']);
    expect(run.output).toMatch(/AKS: enabling the KEDA add-on/);
    expect(run.status).toBe(0);
    expect(
      standins.requests
        .slice(before)
        .some(
          (request) =>
            request.service === 'arm' &&
            request.method === 'PUT' &&
            /managedClusters\/aks-functions/.test(request.path),
        ),
    ).toBe(true);
    expect(run.output).not.toMatch(/installing KEDA/);
  });
});

describe('Azure as it really behaves: audiences and where the identity comes from', () => {
  const prebuilt = ['--image', 'registry.local/orders@sha256:' + '1'.repeat(64), '--registry', '', '--build', 'none'];
  const ACR_RESOURCE = 'https://containerregistry.azure.net';

  test('a registry with authentication-as-arm disabled: the ACR-audience token logs in; without one the error names the policy; enabled, ARM is the fallback', async () => {
    standins.setRegistryPolicies({ azureADAuthenticationAsArmPolicy: { status: 'disabled' } });
    try {
      let before = standins.requests.length;
      const run = await deploy(['--client-secret', clientSecret, '--name', 'armoff']);
      expect(run.status).toBe(0);
      // One exchange, taken at once: the token was for the ACR audience, which such a registry requires.
      expect(
        standins.requests
          .slice(before)
          .filter((request) => request.service === 'exchange')
          .map((request) => request.status),
      ).toEqual([200]);
      expectNoSecrets(run);

      // A tenant that issues no ACR-audience token: the ARM one is refused, and the error says why.
      standins.setMissingResources([ACR_RESOURCE]);
      const refused = await deploy(['--client-secret', clientSecret, '--name', 'armoff']);
      expect(refused.status).not.toBe(0);
      expect(refused.output).toMatch(
        /^error: registry 127\.0\.0\.1:\d+ refused the ARM-audience token \(401: .*authentication-as-arm is disabled.*\) and Entra ID issued no ACR-audience token \(.*AADSTS500011: The resource principal named https:\/\/containerregistry\.azure\.net was not found.*\): a registry with authentication-as-arm disabled takes only ACR-audience tokens/m,
      );
      expectNoSecrets(refused);

      standins.setRegistryPolicies({ azureADAuthenticationAsArmPolicy: { status: 'enabled' } });
      before = standins.requests.length;
      const fallback = await deploy(['--client-secret', clientSecret, '--name', 'armoff']);
      expect(fallback.status).toBe(0);
      expect(fallback.output).toMatch(/signed in with an ARM-audience token \(ACR audience: .*AADSTS500011/);
      expect(standins.requests.slice(before).filter((request) => request.service === 'exchange').length).toBe(1);
    } finally {
      standins.setRegistryPolicies({ azureADAuthenticationAsArmPolicy: { status: 'enabled' } });
      standins.setMissingResources([]);
    }
  });

  test("GitHub OIDC asks for the cloud's federation audience (US Government), and a custom cloud's through the audience input", async () => {
    const oidcEnv = (of: Standins) => ({
      ACTIONS_ID_TOKEN_REQUEST_URL: of.githubOidc.requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: of.githubOidc.requestToken,
    });
    const idTokenAudiences = (of: Standins) =>
      of.requests
        .filter((request) => request.service === 'oidc' && request.path.includes('/idtoken?'))
        .map((request) => new URL(request.path, 'https://ci.local').searchParams.get('audience'));
    const usGovernment = await startStandins({ ...standinOptions(), cloud: 'AzureUSGovernment' });
    const customCloud = await startStandins({
      ...standinOptions(),
      federationAudience: 'api://contoso-stack-exchange',
    });
    try {
      const gov = await deploy(
        ['--auth', 'oidc', '--name', 'govapp', ...prebuilt],
        oidcEnv(usGovernment),
        usGovernment,
      );
      expect(gov.status).toBe(0);
      expect(new Set(idTokenAudiences(usGovernment))).toEqual(new Set(['api://AzureADTokenExchangeUSGov']));

      // The custom cloud's Entra ID federates another audience: the public cloud's is refused, the input's is taken.
      const unnamed = await deploy(
        ['--auth', 'oidc', '--name', 'stackapp', ...prebuilt],
        oidcEnv(customCloud),
        customCloud,
      );
      expect(unnamed.status).not.toBe(0);
      expect(unnamed.output).toMatch(
        /^error: Azure sign-in \(auth: oidc\) failed: AADSTS700212: .*audience 'api:\/\/AzureADTokenExchange'/m,
      );
      const named = await deploy(
        ['--auth', 'oidc', '--name', 'stackapp', '--audience', 'api://contoso-stack-exchange', ...prebuilt],
        oidcEnv(customCloud),
        customCloud,
      );
      expect(named.status).toBe(0);
      expect(idTokenAudiences(customCloud).pop()).toBe('api://contoso-stack-exchange');
    } finally {
      captureSecrets([...usGovernment.tokensIssued, ...customCloud.tokensIssued]);
      await Promise.all([usGovernment.close(), customCloud.close()]);
    }
  });

  test("auth: auto finds AKS workload identity (a runner pod) by its federated token file, and a VM's managed identity through IMDS", async () => {
    let before = standins.requests.length;
    const workload = await deploy(['--name', 'wiapp', ...prebuilt], {
      AZURE_FEDERATED_TOKEN_FILE: standins.writeFederatedTokenFile(),
      AZURE_CLIENT_ID: clientId,
      AZURE_TENANT_ID: tenantId,
    });
    expect(workload.output).toMatch(/signing in with auth workload-identity/);
    expect(workload.status).toBe(0);
    expect(
      standins.requests
        .slice(before)
        .some((request) => request.service === 'token' && request.method === 'POST' && request.status === 200),
    ).toBe(true);
    expectNoSecrets(workload);

    before = standins.requests.length;
    const vm = await deploy(['--name', 'vmapp', ...prebuilt], {
      AZURE_POD_IDENTITY_AUTHORITY_HOST: standins.imds.host,
    });
    expect(vm.output).toMatch(/signing in with auth managed-identity/);
    expect(vm.status).toBe(0);
    const imds = standins.requests.slice(before).filter((request) => request.service === 'imds');
    expect(imds.length).toBeGreaterThan(0);
    expect(imds.every((request) => request.status === 200 && /api-version=2018-02-01/.test(request.path))).toBe(true);
    // IMDS gave every token: Entra ID's token endpoint was never asked.
    expect(standins.requests.slice(before).filter((request) => request.service === 'token')).toEqual([]);
    expectNoSecrets(vm);
  });
});
