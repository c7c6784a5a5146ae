// Workload identity end to end with real parts: the local apiserver is the
// cluster's OIDC issuer, the azure-workload-identity webhook (built from its Go
// module) mutates the pods, the ARM stand-in keeps the managed identities and
// their federated credentials, and the Entra ID stand-in exchanges a pod's
// projected token only when a credential trusts it, checking the signature
// against the keys the apiserver publishes. kwok runs no container, so the test
// mints the token the kubelet would mount (TokenRequest bound to the pod, with
// the projected volume's audience and lifetime) and exchanges it as the pod would.
import { generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { captureSecrets } from '../captured.js';
import { cli, removeKeda, REPO, type Run, throughArm } from './run-cli.js';

interface Identity {
  name: string;
  resourceGroup: string;
  clientId: string;
  credentials: Map<string, { name: string; issuer: string; subject: string; audiences: string[] }>;
}
interface Standins {
  caFile: string;
  armEndpoint: string;
  authorityHost: string;
  identities: Identity[];
  requests: { service: string; method: string; path: string; status: number }[];
  tokensIssued: string[];
  setCluster(partial: { oidcIssuerURL?: string; workloadIdentity?: boolean }): void;
  setAllowedActions(actions: string[] | undefined): void;
  setRoleAssignments(assignments: { scope: string; actions: string[] }[] | undefined): void;
  setConcurrentCredentialWrites(times: number, options?: { completes?: boolean }): void;
  close(): Promise<void>;
}

const ISSUER = process.env.OIDC_ISSUER_URL as string;
const AUDIENCE = 'api://AzureADTokenExchange';
const tenantId = process.env.WORKLOAD_IDENTITY_TENANT_ID as string;
const deployerId = randomUUID();
const clientSecret = `cs-${randomBytes(18).toString('base64url')}`;
const subscriptionId = randomUUID();
const appIdentity = randomUUID();
const stamp = Date.now().toString(36);
const kc = new k8s.KubeConfig();
kc.loadFromDefault();
const core = kc.makeApiClient(k8s.CoreV1Api);
const apps = kc.makeApiClient(k8s.AppsV1Api);
const ordersResourceId =
  `/subscriptions/${subscriptionId}/resourceGroups/rg-functions/providers/Microsoft.ManagedIdentity/` +
  'userAssignedIdentities/id-orders';

// An app that reaches Storage by identity only: a queue function and an HTTP one.
const app = mkdtempSync(join(tmpdir(), 'afd-identity-app-'));
writeFileSync(join(app, 'host.json'), JSON.stringify({ version: '2.0' }));
for (const [name, bindings] of Object.entries({
  ProcessOrder: [{ type: 'queueTrigger', direction: 'in', name: 'order', queueName: 'orders', connection: 'Store' }],
  GetOrder: [{ type: 'httpTrigger', direction: 'in', name: 'req', authLevel: 'anonymous' }],
})) {
  mkdirSync(join(app, name));
  writeFileSync(join(app, name, 'function.json'), JSON.stringify({ bindings }));
}
const identitySettings = [
  'FUNCTIONS_WORKER_RUNTIME=node',
  'Store__queueServiceUri=https://shopstore.queue.core.windows.net',
  'Store__credential=managedidentity',
  `Store__clientId=${appIdentity}`,
].join('\n');

let standins: Standins;
beforeAll(async () => {
  const { startAzureStandins } = (await import(join(REPO, 'stack/azure/standins.mjs'))) as {
    startAzureStandins: (options: Record<string, unknown>) => Promise<Standins>;
  };
  standins = await startAzureStandins({
    tenantId,
    clientId: deployerId,
    clientSecret,
    subscriptionId,
    resourceGroup: 'rg-functions',
    clusterName: 'aks-functions',
    kubeconfig: readFileSync(process.env.KUBECONFIG as string, 'utf8'),
    cluster: { oidcIssuerURL: ISSUER, workloadIdentity: true },
    identities: [
      { name: 'id-orders', clientId: appIdentity },
      { name: 'id-elsewhere', resourceGroup: 'rg-identities' },
    ],
    oidcIssuerCaFile: process.env.CLUSTER_CA_FILE,
    lroPolls: 0,
  });
  // The first deploy installs KEDA itself, as on a cluster without it: what it installs it labels.
  await removeKeda(kc);
}, 300_000);
afterAll(async () => {
  captureSecrets([clientSecret, ...(standins?.tokensIssued ?? [])]);
  await standins?.close();
  rmSync(app, { recursive: true, force: true });
  for (const name of [`afd-wi-${stamp}`, `afd-wi-bad-${stamp}`, ...extraNamespaces])
    await core.deleteNamespace({ name }).catch(() => undefined);
});

/** The bundled CLI as a CI step runs it, with the deployer's secret and nothing about the app's identity. */
function deploy(name: string, namespace: string, extra: string[] = []): Promise<Run> {
  return cli(
    [
      'deploy',
      '--app-path',
      app,
      '--name',
      name,
      '--namespace',
      namespace,
      '--image',
      `registry.local/orders@sha256:${'2'.repeat(64)}`,
      ...throughArm(standins.armEndpoint, { subscriptionId, clientId: deployerId, tenantId }),
      '--client-secret',
      clientSecret,
      '--service-type',
      'ClusterIP',
      '--app-settings',
      identitySettings,
      // KEDA cannot reach the storage account, which is Azure's: its scaler's error is expected here.
      '--allow-scaler-errors',
      '--timeout',
      '3m',
      ...extra,
    ],
    { env: { ...process.env, NODE_EXTRA_CA_CERTS: standins.caFile } },
  );
}

const credentialPuts = (from: number) =>
  standins.requests
    .slice(from)
    .filter((request) => request.method === 'PUT' && /federatedIdentityCredentials/.test(request.path));
/** The subjects the app's identity has a credential for. */
const subjectsOf = (identity: Identity | undefined) =>
  [...(identity?.credentials.values() ?? [])].map((credential) => credential.subject);
const errorLines = (run: Run) => run.stderr.split('\n').filter((line) => line.startsWith('error: '));
/** Namespaces the tests below make, removed at the end. */
const extraNamespaces: string[] = [];
const freshNamespace = (what: string) => {
  const name = `afd-wi-${what}-${extraNamespaces.length}-${stamp}`;
  extraNamespaces.push(name);
  return name;
};

/** What the kubelet would mount: a token for the pod's account, bound to the pod, as its projected volume asks. */
async function projectedToken(pod: k8s.V1Pod): Promise<string> {
  const volume = pod.spec?.volumes?.find((candidate) => candidate.name === 'azure-identity-token');
  const source = volume?.projected?.sources?.[0]?.serviceAccountToken;
  if (!source) throw new Error(`pod ${pod.metadata?.name} has no projected azure-identity-token`);
  const request = await core.createNamespacedServiceAccountToken({
    name: pod.spec?.serviceAccountName as string,
    namespace: pod.metadata?.namespace as string,
    body: {
      spec: {
        audiences: [source.audience as string],
        expirationSeconds: source.expirationSeconds,
        boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: pod.metadata?.name, uid: pod.metadata?.uid },
      },
    },
  });
  const token = request.status?.token as string;
  captureSecrets([token]);
  return token;
}

/** The client-credentials request @azure/identity's WorkloadIdentityCredential makes, with the pod's variables. */
function exchange(pod: k8s.V1Pod, assertion: string): Promise<{ status: number; body: Record<string, any> }> {
  const env = Object.fromEntries((pod.spec?.containers[0]?.env ?? []).map((entry) => [entry.name, entry.value]));
  const form = new URLSearchParams({
    client_id: env.AZURE_CLIENT_ID as string,
    grant_type: 'client_credentials',
    scope: 'https://storage.azure.com/.default',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  }).toString();
  const url = new URL(`${standins.authorityHost}/${env.AZURE_TENANT_ID}/oauth2/v2.0/token`);
  return new Promise((resolve, reject) => {
    const request = https.request(
      url,
      {
        method: 'POST',
        ca: readFileSync(standins.caFile),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode as number, body: JSON.parse(text) }));
      },
    );
    request.on('error', reject);
    request.end(form);
  });
}

async function podOf(namespace: string, selector: string): Promise<k8s.V1Pod> {
  const pods = await core.listNamespacedPod({ namespace, labelSelector: selector });
  const pod = pods.items.find((candidate) => !candidate.metadata?.deletionTimestamp);
  if (!pod) throw new Error(`no pod ${selector} in ${namespace}`);
  return pod;
}

describe("workload identity: the app and KEDA sign in as the app's managed identity", () => {
  const namespace = `afd-wi-${stamp}`;

  test('with defaults: the identity is found from the connections, its federated credentials made once', async () => {
    const before = standins.requests.length;
    const run = await deploy('wiorders', namespace);
    expect(run.stderr).toMatch(/rollout healthy in/);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/installing KEDA 2\.20\.2/);
    const [orders, elsewhere] = standins.identities;
    const expected = [
      `system:serviceaccount:${namespace}:wiorders`,
      `system:serviceaccount:${namespace}:wiorders-function-keys`,
      'system:serviceaccount:keda:keda-operator',
    ];
    const credentials = [...(orders?.credentials.values() ?? [])];
    expect(credentials.map((credential) => credential.subject).sort()).toEqual(expected.sort());
    for (const credential of credentials) {
      expect(credential.issuer).toBe(ISSUER);
      expect(credential.audiences).toEqual([AUDIENCE]);
    }
    expect(elsewhere?.credentials.size).toBe(0);
    expect(credentialPuts(before)).toHaveLength(3);

    // A redeploy finds them all and writes none.
    const again = standins.requests.length;
    const rerun = await deploy('wiorders', namespace);
    expect(rerun.status).toBe(0);
    expect(credentialPuts(again)).toEqual([]);
    expect(orders?.credentials.size).toBe(3);
  });

  test("the webhook gave the app's pods the identity, and a pod of the app obtains a token for it", async () => {
    const pod = await podOf(namespace, 'app.kubernetes.io/instance=wiorders,app.kubernetes.io/component=http');
    const env = Object.fromEntries((pod.spec?.containers[0]?.env ?? []).map((entry) => [entry.name, entry.value]));
    expect(env).toMatchObject({
      AZURE_CLIENT_ID: appIdentity,
      AZURE_TENANT_ID: tenantId,
      AZURE_FEDERATED_TOKEN_FILE: '/var/run/secrets/azure/tokens/azure-identity-token',
    });
    const exchanged = await exchange(pod, await projectedToken(pod));
    expect(exchanged.status).toBe(200);
    const claims = JSON.parse(Buffer.from(exchanged.body.access_token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ appid: appIdentity, aud: 'https://storage.azure.com', tid: tenantId });
    captureSecrets([exchanged.body.access_token]);
  });

  test("KEDA's operator, installed by the deploy, is labelled for the webhook and signs in as the identity too", async () => {
    const pod = await podOf('keda', 'app=keda-operator');
    expect(pod.metadata?.labels?.['azure.workload.identity/use']).toBe('true');
    // KEDA passes the TriggerAuthentication's identityId as the client ID.
    const asIdentity = {
      ...pod,
      spec: {
        ...pod.spec,
        containers: [
          {
            ...pod.spec?.containers[0],
            env: [
              { name: 'AZURE_CLIENT_ID', value: appIdentity },
              { name: 'AZURE_TENANT_ID', value: tenantId },
            ],
          },
        ],
      },
    } as k8s.V1Pod;
    const exchanged = await exchange(asIdentity, await projectedToken(pod));
    expect(exchanged.status).toBe(200);
    captureSecrets([exchanged.body.access_token]);
  });

  test('a pod of another service account, naming the same identity, is refused by Entra ID', async () => {
    await core.createNamespacedServiceAccount({
      namespace,
      body: { metadata: { name: 'stranger', annotations: { 'azure.workload.identity/client-id': appIdentity } } },
    });
    const pod = await core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: 'stranger', labels: { 'azure.workload.identity/use': 'true' } },
        spec: { serviceAccountName: 'stranger', containers: [{ name: 'app', image: 'registry.local/stranger:1' }] },
      },
    });
    const exchanged = await exchange(pod, await projectedToken(pod));
    expect(exchanged.status).toBe(400);
    expect(exchanged.body.error_description).toMatch(
      new RegExp(
        `^AADSTS700213: No matching federated identity record found for presented assertion subject 'system:serviceaccount:${namespace}:stranger'`,
      ),
    );
  });

  test("a token with the app's claims but not signed by the cluster's key is refused", async () => {
    const pod = await podOf(namespace, 'app.kubernetes.io/instance=wiorders,app.kubernetes.io/component=http');
    const real = (await projectedToken(pod)).split('.');
    // The same header (kid) and claims, signed with another P-256 key.
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const input = `${real[0]}.${real[1]}`;
    const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
    const exchanged = await exchange(pod, `${input}.${signature.toString('base64url')}`);
    expect(exchanged.status).toBe(400);
    expect(exchanged.body.error_description).toMatch(/^AADSTS50013: Assertion failed signature validation/);
  });
});

describe('a KEDA this deploy did not install: its operator as it is', () => {
  const namespace = `afd-wi-${stamp}`;
  const operator = { name: 'keda-operator', namespace: 'keda' };
  const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
  /** The operator's pod template changed as its owner (a GitOps tool, say) would, and put back after. */
  async function asOwnerMadeIt(template: object, body: () => Promise<void>): Promise<void> {
    const before = (await apps.readNamespacedDeployment(operator)).spec?.template;
    await apps.patchNamespacedDeployment({ ...operator, body: { spec: { template } } }, merge);
    try {
      await body();
    } finally {
      await apps.patchNamespacedDeployment(
        {
          ...operator,
          body: {
            spec: {
              template: {
                metadata: { labels: { 'azure.workload.identity/use': 'true' } },
                spec: { serviceAccountName: before?.spec?.serviceAccountName },
              },
            },
          },
        },
        merge,
      );
    }
  }

  test('an operator without the workload identity label is not patched: a warning names the change and where', async () => {
    await asOwnerMadeIt({ metadata: { labels: { 'azure.workload.identity/use': null } } }, async () => {
      const generation = (await apps.readNamespacedDeployment(operator)).metadata?.generation;
      const run = await deploy('wiorders', namespace);
      expect(errorLines(run)).toEqual([]);
      expect(run.status).toBe(0);
      expect(run.stderr).toContain(
        "warning: KEDA's operator (Deployment keda-operator in namespace keda) is not set up for workload identity: " +
          "its pods lack the azure.workload.identity/use label, so the app's scalers cannot sign in. This deploy did " +
          'not install that KEDA and leaves it as it is: add the label azure.workload.identity/use: "true" to the ' +
          'pod template (spec.template.metadata.labels) of Deployment keda-operator in namespace keda where it is ' +
          'defined',
      );
      // Not restarted: the same generation, still without the label.
      const after = await apps.readNamespacedDeployment(operator);
      expect(after.metadata?.generation).toBe(generation);
      expect(after.spec?.template.metadata?.labels?.['azure.workload.identity/use']).toBeUndefined();
    });
  });

  test('an operator running as another service account gets the credential for that account', async () => {
    await core
      .createNamespacedServiceAccount({ namespace: 'keda', body: { metadata: { name: 'keda-gitops' } } })
      .catch(() => undefined);
    await asOwnerMadeIt({ spec: { serviceAccountName: 'keda-gitops' } }, async () => {
      const before = standins.requests.length;
      const run = await deploy('wiorders', namespace);
      expect(errorLines(run)).toEqual([]);
      expect(run.status).toBe(0);
      expect(subjectsOf(standins.identities[0])).toContain('system:serviceaccount:keda:keda-gitops');
      // Only KEDA's account was missing: the app's are there since the first deploy.
      expect(credentialPuts(before)).toHaveLength(1);
    });
  });
});

describe('nothing is written in Azure before every check has passed', () => {
  test('a deploy refused by a later check (an object of the same name not made by the step) creates no credential', async () => {
    const namespace = freshNamespace('foreign');
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'wiforeign' } } });
    const before = standins.requests.length;
    const run = await deploy('wiforeign', namespace);
    expect(run.status).not.toBe(0);
    expect(errorLines(run)).toEqual([
      expect.stringMatching(
        /^error: ServiceAccount\/wiforeign in namespace afd-wi-foreign-[\w-]+ was not created by aks-functions-deploy/,
      ),
    ]);
    // The plan read the identity and found credentials missing, and wrote none of them.
    expect(run.stderr).not.toMatch(/federated credential \S+ on managed identity/);
    expect(credentialPuts(before)).toEqual([]);
    expect(subjectsOf(standins.identities[0]).filter((subject) => subject.includes(namespace))).toEqual([]);
  });
});

describe('a deployer whose only role is on the identity itself (Managed Identity Contributor)', () => {
  // The built-in role's actions (MicrosoftDocs azure-docs, built-in roles: identity), on the identity alone, and
  // what getting the cluster's credentials takes, on the cluster alone.
  const contributorActions = [
    'Microsoft.ManagedIdentity/userAssignedIdentities/read',
    'Microsoft.ManagedIdentity/userAssignedIdentities/write',
    'Microsoft.ManagedIdentity/userAssignedIdentities/delete',
    'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/read',
    'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write',
    'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/delete',
    'Microsoft.ManagedIdentity/userAssignedIdentities/revokeTokens/action',
    'Microsoft.Authorization/*/read',
    'Microsoft.Resources/subscriptions/resourceGroups/read',
  ];
  beforeAll(() =>
    standins.setRoleAssignments([
      { scope: ordersResourceId, actions: contributorActions },
      {
        scope: `/subscriptions/${subscriptionId}/resourceGroups/rg-functions/providers/Microsoft.ContainerService/managedClusters/aks-functions`,
        actions: [
          'Microsoft.ContainerService/managedClusters/read',
          'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action',
        ],
      },
    ]),
  );
  afterAll(() => standins.setRoleAssignments(undefined));

  test('by client ID alone: one error naming the resource ID input, Reader, and federated-credentials: check', async () => {
    const namespace = freshNamespace('scoped');
    const before = standins.requests.length;
    const run = await deploy('wiscoped', namespace);
    expect(run.status).not.toBe(0);
    expect(errorLines(run)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^error: Azure refused to list the user-assigned managed identities of resource group rg-functions, ` +
            `where managed identity ${appIdentity} is looked for by client ID: The client .* does not have ` +
            `authorization to perform action 'Microsoft\\.ManagedIdentity/userAssignedIdentities/read' over scope ` +
            `'/subscriptions/${subscriptionId}/resourceGroups/rg-functions' .* Give its resource ID in input ` +
            `'workload-identity-resource-ids' .* or give this identity the 'Reader' role on resource group ` +
            `rg-functions .* or set federated-credentials: check`,
        ),
      ),
    ]);
    expect(credentialPuts(before)).toEqual([]);
    await expect(core.readNamespace({ name: namespace })).rejects.toMatchObject({ code: 404 });
  });

  test('with its resource ID: nothing listed, the credentials made, deployed', async () => {
    const namespace = freshNamespace('scoped');
    const before = standins.requests.length;
    const run = await deploy('wiscoped', namespace, ['--workload-identity-resource-ids', ordersResourceId]);
    expect(errorLines(run)).toEqual([]);
    expect(run.status).toBe(0);
    const served = standins.requests.slice(before).filter((request) => request.service === 'arm');
    expect(served.filter((request) => /userAssignedIdentities\?/.test(request.path))).toEqual([]);
    expect(served.every((request) => request.status < 400)).toBe(true);
    expect(credentialPuts(before)).toHaveLength(2);
    expect(subjectsOf(standins.identities[0])).toEqual(
      expect.arrayContaining([
        `system:serviceaccount:${namespace}:wiscoped`,
        `system:serviceaccount:${namespace}:wiscoped-function-keys`,
      ]),
    );
  });
});

describe('deploys sharing an identity at once (a matrix job): a concurrent write is no failure', () => {
  afterEach(() => standins.setConcurrentCredentialWrites(0));
  test('a write refused with 409 while another runs is made again, and the deploy succeeds', async () => {
    const namespace = freshNamespace('matrix');
    standins.setConcurrentCredentialWrites(1);
    const before = standins.requests.length;
    const run = await deploy('wimatrix', namespace);
    expect(errorLines(run)).toEqual([]);
    expect(run.status).toBe(0);
    const puts = credentialPuts(before);
    expect(puts.map((put) => put.status)).toEqual([409, 201, 201]);
    expect(puts[1]?.path).toBe(puts[0]?.path);
    expect(run.stderr).toMatch(/managed identity id-orders is being written by another client \(Azure answered 409\)/);
    expect(subjectsOf(standins.identities[0])).toEqual(
      expect.arrayContaining([`system:serviceaccount:${namespace}:wimatrix`]),
    );
  });

  test('a credential the other deploy was writing is taken as made: no second write', async () => {
    const namespace = freshNamespace('matrix');
    standins.setConcurrentCredentialWrites(1, { completes: true });
    const before = standins.requests.length;
    const run = await deploy('wimatrix', namespace);
    expect(errorLines(run)).toEqual([]);
    expect(run.status).toBe(0);
    expect(credentialPuts(before).map((put) => put.status)).toEqual([409, 201]);
    expect(run.stderr).toMatch(/on managed identity id-orders: \S+ \(written by another deploy meanwhile\)/);
    expect(subjectsOf(standins.identities[0])).toEqual(
      expect.arrayContaining([
        `system:serviceaccount:${namespace}:wimatrix`,
        `system:serviceaccount:${namespace}:wimatrix-function-keys`,
      ]),
    );
  });
});

describe('workload identity refused before the cluster changes: one error line naming the fix', () => {
  const namespace = `afd-wi-bad-${stamp}`;
  async function refused(extra: string[], pattern: RegExp): Promise<void> {
    const before = standins.requests.length;
    const run = await deploy('wibad', namespace, extra);
    expect(run.status).not.toBe(0);
    const errors = run.stderr.split('\n').filter((line) => line.startsWith('error: '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(pattern);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(credentialPuts(before)).toEqual([]);
    // Nothing in the cluster: not even the app's namespace.
    await expect(core.readNamespace({ name: namespace })).rejects.toMatchObject({ code: 404 });
  }

  test('an identity that does not exist', async () => {
    const missing = randomUUID();
    await refused(
      ['--workload-identity', missing],
      new RegExp(
        `^error: no user-assigned managed identity with client ID ${missing} in subscription .*: create it \\(az identity create\\)`,
      ),
    );
  });

  test('a cluster without an OIDC issuer', async () => {
    standins.setCluster({ oidcIssuerURL: undefined, workloadIdentity: false });
    try {
      await refused(
        [],
        /^error: AKS cluster aks-functions in resource group rg-functions has no OIDC issuer and workload identity off, so the app's pods cannot sign in as their managed identity: enable both with az aks update --enable-oidc-issuer --enable-workload-identity --resource-group rg-functions --name aks-functions$/,
      );
    } finally {
      standins.setCluster({ oidcIssuerURL: ISSUER, workloadIdentity: true });
    }
  });

  test('a deployer without the role to write federated credentials', async () => {
    standins.setAllowedActions([
      'Microsoft.ContainerService/managedClusters/read',
      'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action',
      'Microsoft.ManagedIdentity/userAssignedIdentities/read',
      'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/read',
    ]);
    try {
      await refused(
        [],
        /^error: this identity may not add federated credentials to managed identity id-orders .*give it the 'Managed Identity Contributor' role on the managed identity/,
      );
    } finally {
      standins.setAllowedActions(undefined);
    }
  });
});

describe('the managed identity stand-in refuses what ARM refuses (ManagedIdentity.json, Entra ID limits)', () => {
  /** One HTTPS request to a stand-in, trusting its CA. */
  function call(url: string, method: string, headers: Record<string, string>, body?: string) {
    return new Promise<{ status: number; body: Record<string, any> }>((resolve, reject) => {
      const request = https.request(url, { method, ca: readFileSync(standins.caFile), headers }, (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode as number, body: text ? JSON.parse(text) : {} }),
        );
      });
      request.on('error', reject);
      request.end(body);
    });
  }
  async function put(name: string, properties: Record<string, unknown>) {
    const form = new URLSearchParams({
      client_id: deployerId,
      client_secret: clientSecret,
      grant_type: 'client_credentials',
      scope: 'https://management.azure.com/.default',
    }).toString();
    const token = await call(
      `${standins.authorityHost}/${tenantId}/oauth2/v2.0/token`,
      'POST',
      {
        'content-type': 'application/x-www-form-urlencoded',
      },
      form,
    );
    const path =
      `subscriptions/${subscriptionId}/resourceGroups/rg-identities/providers/Microsoft.ManagedIdentity/` +
      `userAssignedIdentities/id-elsewhere/federatedIdentityCredentials/${name}?api-version=2024-11-30`;
    return call(
      `${standins.armEndpoint}${path}`,
      'PUT',
      {
        authorization: `Bearer ${token.body.access_token}`,
        'content-type': 'application/json',
      },
      JSON.stringify({ properties }),
    );
  }
  const valid = (subject: string) => ({ issuer: ISSUER, subject, audiences: [AUDIENCE] });

  test('bad names, a plain-http issuer, two audiences, a repeated issuer and subject, and a 21st credential', async () => {
    const elsewhere = standins.identities[1] as Identity;
    try {
      expect((await put('ab', valid('s:0'))).status).toBe(400);
      expect((await put('-leading', valid('s:0'))).status).toBe(400);
      expect((await put('cred-http', { ...valid('s:0'), issuer: 'http://127.0.0.1:26443' })).status).toBe(400);
      expect((await put('cred-two', { ...valid('s:0'), audiences: [AUDIENCE, 'api://other'] })).status).toBe(400);
      expect((await put('cred-none', { issuer: ISSUER, subject: 's:0' })).status).toBe(400);
      expect((await put('cred-0', valid('s:0'))).status).toBe(201);
      expect((await put('cred-0', valid('s:0'))).status).toBe(200);
      const again = await put('cred-again', valid('s:0'));
      expect(again.status).toBe(400);
      expect(again.body.error.message).toBe('Issuer and subject combination already exists for this Managed Identity.');
      for (let index = 1; index < 20; index++)
        expect((await put(`cred-${index}`, valid(`s:${index}`))).status).toBe(201);
      const full = await put('cred-20', valid('s:20'));
      expect(full.status).toBe(400);
      expect(full.body.error.message).toMatch(/already has 20 federated identity credentials/);
      expect(elsewhere.credentials.size).toBe(20);
    } finally {
      elsewhere.credentials.clear();
    }
  });
});
