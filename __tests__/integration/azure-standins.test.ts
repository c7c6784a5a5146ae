// Proves the Azure stand-ins (stack/azure/standins.mjs) speak the real wire
// formats: the real clients (@azure/identity, @actions/core's getIDToken,
// Docker, the ARM SDK when installed) are run against them in child processes
// that trust the test CA only through NODE_EXTRA_CA_CERTS, as the product will
// be run; the rest is checked byte for byte over HTTPS.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import * as k8s from '@kubernetes/client-node';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const STANDINS = join(REPO, 'stack/azure/standins.mjs');
const AKS_SERVER_APP_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';
const NULL_GUID = '00000000-0000-0000-0000-000000000000';

/** The API of stack/azure/standins.mjs (plain JavaScript, so declared here). */
interface Standins {
  caFile: string;
  authorityHost: string;
  armEndpoint: string;
  acrLoginServer: string;
  githubOidc: { requestUrl: string; requestToken: string; issuer: string };
  pipelinesOidc: { requestUri: string; accessToken: string; serviceConnectionId: string; issuer: string };
  principalObjectId: string;
  clusterResourceId: string;
  issueOidcToken(claims?: { sub?: string; aud?: string; lifetimeSeconds?: number }): string;
  inject(fault: {
    service: 'token' | 'arm' | 'exchange' | 'registry' | 'oidc';
    status: number;
    retryAfter?: number;
    times?: number;
  }): void;
  requests: { service: string; method: string; path: string; status: number }[];
  tokensIssued: string[];
  setCluster(partial: {
    disableLocalAccounts?: boolean;
    aadManaged?: boolean;
    kedaAddon?: boolean;
    exists?: boolean;
  }): void;
  setAllowedActions(actions: string[] | undefined): void;
  setRegistryPolicies(policies: { azureADAuthenticationAsArmPolicy?: { status: 'enabled' | 'disabled' } }): void;
  setMissingResources(resources: string[]): void;
  imds: { host: string };
  aksIssuer: string;
  writeFederatedTokenFile(options?: { lifetimeSeconds?: number }): string;
  close(): Promise<void>;
}
type StartStandins = (options: Record<string, unknown>) => Promise<Standins>;

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the integration project (its globalSetup writes it)`);
  return value;
}

const tenantId = randomUUID();
const clientId = randomUUID();
const clientSecret = randomBytes(24).toString('base64url');
const subscriptionId = randomUUID();
const resourceGroup = 'rg-functions';
const clusterName = 'aks-functions';
const federatedSubject = 'repo:contoso/functions-app:ref:refs/heads/main';
const kubeconfig = readFileSync(env('KUBECONFIG'), 'utf8');

let startAzureStandins: StartStandins;
let s: Standins;
let ca: Buffer;
beforeAll(async () => {
  const modulePath: string = STANDINS;
  ({ startAzureStandins } = (await import(modulePath)) as { startAzureStandins: StartStandins });
  s = await startAzureStandins({
    tenantId,
    clientId,
    clientSecret,
    subscriptionId,
    resourceGroup,
    clusterName,
    kubeconfig,
    federatedSubject,
    registry: { upstream: env('REGISTRY'), username: env('REGISTRY_USERNAME'), password: env('REGISTRY_PASSWORD') },
  });
  ca = readFileSync(s.caFile);
});
afterAll(async () => {
  await s?.close();
});

// ---------------------------------------------------------------- helpers

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
}

/** One HTTPS request trusting the test CA (or another CA; null: only the system's). */
function call(
  url: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    form?: Record<string, string>;
    body?: string;
    ca?: Buffer | null;
  } = {},
): Promise<Reply> {
  const body = init.form ? new URLSearchParams(init.form).toString() : init.body;
  const headers = { ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...init.headers };
  return new Promise((done, fail) => {
    const request = https.request(
      url,
      { method: init.method ?? (body ? 'POST' : 'GET'), headers, ...(init.ca === null ? {} : { ca: init.ca ?? ca }) },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          done({ status: response.statusCode ?? 0, headers: response.headers, text, json });
        });
      },
    );
    request.on('error', fail);
    request.end(body);
  });
}

function claimsOf(jwt: string): any {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

/** An Entra token straight from the token endpoint (client secret). */
async function entraToken(scope = 'https://management.azure.com/.default'): Promise<string> {
  const reply = await call(`${s.authorityHost}/${tenantId}/oauth2/v2.0/token`, {
    form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope },
  });
  expect(reply.status).toBe(200);
  return reply.json.access_token as string;
}

const arm = (path: string, init: Parameters<typeof call>[1] = {}) =>
  call(`${s.armEndpoint}${path.replace(/^\//, '')}`, init);
const clusterPath = (rg = resourceGroup, name = clusterName, sub = subscriptionId) =>
  `subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ContainerService/managedClusters/${name}`;
const API = 'api-version=2025-07-01';

/**
 * Runs an ES module script with node from the repository (so it resolves the
 * repository's packages), trusting the test CA through NODE_EXTRA_CA_CERTS
 * only. Asynchronous on purpose: the stand-ins answer from this process.
 * Returns the JSON the script prints last.
 */
function runNode(
  script: string,
  extraEnv: Record<string, string> = {},
): Promise<{ result: any; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: REPO,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_EXTRA_CA_CERTS: s.caFile,
        AZURE_AUTHORITY_HOST: s.authorityHost,
        ...extraEnv,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        done({ result: JSON.parse(last), stdout, stderr });
      } catch {
        fail(new Error(`node exited ${code} without a JSON result:\n${stdout}\n${stderr}`));
      }
    });
  });
}

/** A script that asks `credential` for a token and prints the outcome as JSON. */
const getTokenScript = (imports: string, credential: string, scope = 'https://management.azure.com/.default') => `
${imports}
const started = Date.now();
try {
  const credential = ${credential};
  const token = await credential.getToken(${JSON.stringify(scope)});
  console.log(JSON.stringify({ token: token.token, expiresOnTimestamp: token.expiresOnTimestamp, ms: Date.now() - started }));
} catch (e) {
  console.log(JSON.stringify({ error: e.name + ': ' + e.message, ms: Date.now() - started }));
}`;
const identityOptions = `{ authorityHost: process.env.AZURE_AUTHORITY_HOST, disableInstanceDiscovery: true }`;

// ---------------------------------------------------------------- TLS and discovery

describe('Entra ID stand-in', () => {
  it('serves HTTPS with a certificate that only the test CA vouches for', async () => {
    expect(readFileSync(s.caFile, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    await expect(call(`${s.authorityHost}/common/discovery/instance?api-version=1.1`, { ca: null })).rejects.toThrow(
      /certificate/i,
    );
    expect((await call(`${s.authorityHost}/common/discovery/instance?api-version=1.1`)).status).toBe(200);
  });

  it('publishes OpenID configuration, keys and MSAL instance discovery that point back at itself', async () => {
    const config = await call(`${s.authorityHost}/${tenantId}/v2.0/.well-known/openid-configuration`);
    expect(config.status).toBe(200);
    expect(config.json).toMatchObject({
      issuer: `${s.authorityHost}/${tenantId}/v2.0`,
      token_endpoint: `${s.authorityHost}/${tenantId}/oauth2/v2.0/token`,
      authorization_endpoint: `${s.authorityHost}/${tenantId}/oauth2/v2.0/authorize`,
      jwks_uri: `${s.authorityHost}/${tenantId}/discovery/v2.0/keys`,
    });
    const keys = await call(config.json.jwks_uri);
    expect(keys.json.keys[0]).toMatchObject({
      kty: 'RSA',
      use: 'sig',
      kid: expect.any(String),
      n: expect.any(String),
      e: 'AQAB',
    });

    const authorize = encodeURIComponent(`${s.authorityHost}/${tenantId}/oauth2/v2.0/authorize`);
    const host = new URL(s.authorityHost).host;
    for (const prefix of ['common', tenantId]) {
      const discovery = await call(
        `${s.authorityHost}/${prefix}/discovery/instance?api-version=1.1&authorization_endpoint=${authorize}`,
      );
      expect(discovery.json).toEqual({
        tenant_discovery_endpoint: `${s.authorityHost}/${tenantId}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      });
    }
    const unknown = await call(`${s.authorityHost}/${randomUUID()}/v2.0/.well-known/openid-configuration`);
    expect(unknown.status).toBe(400);
    expect(unknown.json.error_description).toMatch(/^AADSTS90002: Tenant '.+' not found/);
  });

  it('gives ClientSecretCredential (authorityHost + disableInstanceDiscovery) an ARM token', async () => {
    const { result } = await runNode(
      getTokenScript(
        "import { ClientSecretCredential } from '@azure/identity';",
        `new ClientSecretCredential(${JSON.stringify(tenantId)}, ${JSON.stringify(clientId)}, ${JSON.stringify(clientSecret)}, ${identityOptions})`,
      ),
    );
    expect(result.error).toBeUndefined();
    expect(claimsOf(result.token)).toMatchObject({
      aud: 'https://management.azure.com',
      iss: `${s.authorityHost}/${tenantId}/`,
      tid: tenantId,
      appid: clientId,
      appidacr: '1',
      oid: s.principalObjectId,
      idtyp: 'app',
      ver: '1.0',
    });
    expect(result.expiresOnTimestamp).toBeGreaterThan(Date.now() + 3000_000);
    expect(s.tokensIssued).toContain(result.token);
  });

  it('refuses a wrong client secret with 401 invalid_client AADSTS7000215', async () => {
    const { result } = await runNode(
      getTokenScript(
        "import { ClientSecretCredential } from '@azure/identity';",
        `new ClientSecretCredential(${JSON.stringify(tenantId)}, ${JSON.stringify(clientId)}, 'not-the-secret', ${identityOptions})`,
      ),
    );
    expect(result.error).toMatch(/AADSTS7000215: Invalid client secret provided/);
    expect(s.requests.filter((r) => r.service === 'token').pop()?.status).toBe(401);
  });

  it('federates a GitHub Actions ID token (getIDToken) through ClientAssertionCredential', async () => {
    const { result } = await runNode(
      getTokenScript(
        "import { ClientAssertionCredential } from '@azure/identity'; import * as core from '@actions/core';",
        `new ClientAssertionCredential(${JSON.stringify(tenantId)}, ${JSON.stringify(clientId)}, () => core.getIDToken('api://AzureADTokenExchange'), ${identityOptions})`,
      ),
      {
        ACTIONS_ID_TOKEN_REQUEST_URL: s.githubOidc.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: s.githubOidc.requestToken,
      },
    );
    expect(result.error).toBeUndefined();
    expect(claimsOf(result.token)).toMatchObject({
      appid: clientId,
      appidacr: '2',
      aud: 'https://management.azure.com',
    });
    const idTokenRequest = s.requests.filter((r) => r.service === 'oidc').pop();
    expect(idTokenRequest).toMatchObject({
      method: 'GET',
      status: 200,
      path: expect.stringContaining('/idtoken?api-version=2.0&audience=api%3A%2F%2FAzureADTokenExchange'),
    });
    // The ID token itself: what GitHub puts in one, from the stand-in issuer.
    const idToken = s.tokensIssued
      .filter((t) => t.split('.').length === 3)
      .map(claimsOf)
      .find((c) => c.iss === s.githubOidc.issuer && c.aud === 'api://AzureADTokenExchange');
    expect(idToken).toMatchObject({
      sub: federatedSubject,
      repository: 'contoso/functions-app',
      ref: 'refs/heads/main',
    });
    expect(idToken.exp - idToken.iat).toBe(300);
  });

  it('answers the GitHub ID token request only with the job request token', async () => {
    const wrong = await call(`${s.githubOidc.requestUrl}&audience=x`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const right = await call(`${s.githubOidc.requestUrl}&audience=x`, {
      headers: { authorization: `Bearer ${s.githubOidc.requestToken}` },
    });
    expect(claimsOf(right.json.value).aud).toBe('x');
  });

  it('federates an Azure Pipelines OIDC token through AzurePipelinesCredential', async () => {
    const { result } = await runNode(
      getTokenScript(
        "import { AzurePipelinesCredential } from '@azure/identity';",
        `new AzurePipelinesCredential(${JSON.stringify(tenantId)}, ${JSON.stringify(clientId)}, ${JSON.stringify(s.pipelinesOidc.serviceConnectionId)}, ${JSON.stringify(s.pipelinesOidc.accessToken)}, ${identityOptions})`,
      ),
      { SYSTEM_OIDCREQUESTURI: s.pipelinesOidc.requestUri },
    );
    expect(result.error).toBeUndefined();
    expect(claimsOf(result.token)).toMatchObject({ appid: clientId, appidacr: '2' });
    expect(s.requests.filter((r) => r.service === 'oidc').pop()).toMatchObject({
      method: 'POST',
      status: 200,
      path: expect.stringContaining(
        `/oidctoken?api-version=7.1&serviceConnectionId=${s.pipelinesOidc.serviceConnectionId}`,
      ),
    });
    const unknown = await call(`${s.pipelinesOidc.requestUri}?api-version=7.1&serviceConnectionId=${randomUUID()}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.pipelinesOidc.accessToken}` },
    });
    expect(unknown.status).toBe(404);
  });

  it('checks a client assertion: time range, audience, subject and signature', async () => {
    const assert = (assertion: string) =>
      call(`${s.authorityHost}/${tenantId}/oauth2/v2.0/token`, {
        form: {
          grant_type: 'client_credentials',
          client_id: clientId,
          scope: 'https://management.azure.com/.default',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
        },
      });
    const expired = await assert(s.issueOidcToken({ lifetimeSeconds: -30 }));
    expect(expired.status).toBe(400);
    expect(expired.json).toMatchObject({ error: 'invalid_client', error_codes: [700024] });
    expect(expired.json.error_description).toMatch(
      /^AADSTS700024: Client assertion is not within its valid time range\./,
    );

    const audience = await assert(s.issueOidcToken({ aud: 'https://github.com/contoso' }));
    expect(audience.json.error_description).toMatch(/^AADSTS700212: .*audience 'https:\/\/github.com\/contoso'/);
    const subject = await assert(s.issueOidcToken({ sub: 'repo:contoso/functions-app:ref:refs/heads/feature' }));
    expect(subject.json.error_description).toMatch(
      /^AADSTS700213: .*subject 'repo:contoso\/functions-app:ref:refs\/heads\/feature'/,
    );
    const [head, , signature] = s.issueOidcToken().split('.');
    const forged = `${head}.${Buffer.from(JSON.stringify({ ...claimsOf(s.issueOidcToken()), sub: federatedSubject, extra: 1 })).toString('base64url')}.${signature}`;
    expect((await assert(forged)).json.error_description).toMatch(
      /^AADSTS50013: Assertion failed signature validation/,
    );
    expect((await assert(s.issueOidcToken())).status).toBe(200);
  });

  it("hands out the stack's Entra cluster token for the AKS server application", async () => {
    expect(await entraToken(`${AKS_SERVER_APP_ID}/.default`)).toBe(env('ENTRA_CLUSTER_TOKEN'));
    const scope = await call(`${s.authorityHost}/${tenantId}/oauth2/v2.0/token`, {
      form: {
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
        scope: 'https://management.azure.com/user_impersonation',
      },
    });
    expect(scope.json).toMatchObject({ error: 'invalid_scope', error_codes: [1002012] });
  });

  it('throttles the token endpoint on request: the credential honours Retry-After and gets its token', async () => {
    s.inject({ service: 'token', status: 429, retryAfter: 1, times: 1 });
    const { result } = await runNode(
      getTokenScript(
        "import { ClientSecretCredential } from '@azure/identity';",
        `new ClientSecretCredential(${JSON.stringify(tenantId)}, ${JSON.stringify(clientId)}, ${JSON.stringify(clientSecret)}, ${identityOptions})`,
      ),
    );
    expect(result.error).toBeUndefined();
    expect(result.ms).toBeGreaterThanOrEqual(1000);
    expect(
      s.requests
        .filter((r) => r.service === 'token')
        .slice(-2)
        .map((r) => r.status),
    ).toEqual([429, 200]);
  });

  it('refuses a token for a resource the tenant has no service principal for (AADSTS500011)', async () => {
    s.setMissingResources(['https://containerregistry.azure.net']);
    try {
      const reply = await call(`${s.authorityHost}/${tenantId}/oauth2/v2.0/token`, {
        form: {
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
          scope: 'https://containerregistry.azure.net/.default',
        },
      });
      expect(reply.status).toBe(400);
      expect(reply.json).toMatchObject({ error: 'invalid_resource', error_codes: [500011] });
      expect(reply.json.error_description).toMatch(
        new RegExp(
          `^AADSTS500011: The resource principal named https://containerregistry.azure.net was not found in the tenant named ${tenantId}\\.`,
        ),
      );
      // Other resources are still served.
      expect(claimsOf(await entraToken()).aud).toBe('https://management.azure.com');
    } finally {
      s.setMissingResources([]);
    }
  });

  it("requires the configured cloud's federation audience: in US Government only api://AzureADTokenExchangeUSGov", async () => {
    const gov = await startAzureStandins({
      tenantId,
      clientId,
      subscriptionId,
      resourceGroup,
      clusterName,
      kubeconfig,
      federatedSubject,
      cloud: 'AzureUSGovernment',
    });
    try {
      const govCa = readFileSync(gov.caFile);
      const assert = (aud: string) =>
        call(`${gov.authorityHost}/${tenantId}/oauth2/v2.0/token`, {
          ca: govCa,
          form: {
            grant_type: 'client_credentials',
            client_id: clientId,
            scope: 'https://management.usgovcloudapi.net/.default',
            client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
            client_assertion: gov.issueOidcToken({ aud }),
          },
        });
      const publicAudience = await assert('api://AzureADTokenExchange');
      expect(publicAudience.status).toBe(400);
      expect(publicAudience.json.error_description).toMatch(/^AADSTS700212: .*audience 'api:\/\/AzureADTokenExchange'/);
      expect((await assert('api://AzureADTokenExchangeUSGov')).status).toBe(200);
      // Its ARM names the cloud, which is how a client reached through a URL knows which audience to ask for.
      const metadata = await call(`${gov.armEndpoint}metadata/endpoints?api-version=2022-09-01`, { ca: govCa });
      expect(metadata.json).toMatchObject({ name: 'AzureUSGovernment', suffixes: { acrLoginServer: 'azurecr.us' } });
    } finally {
      await gov.close();
    }
  });

  it('federates an AKS workload identity token file through WorkloadIdentityCredential', async () => {
    const file = s.writeFederatedTokenFile();
    expect(claimsOf(readFileSync(file, 'utf8'))).toMatchObject({
      iss: s.aksIssuer,
      sub: 'system:serviceaccount:ci:runner',
      aud: ['api://AzureADTokenExchange'],
      'kubernetes.io': { namespace: 'ci', serviceaccount: { name: 'runner' } },
    });
    const discovery = await call(`${s.aksIssuer}/.well-known/openid-configuration`);
    expect(discovery.json).toMatchObject({ issuer: s.aksIssuer, jwks_uri: `${s.aksIssuer}/.well-known/jwks` });
    const { result } = await runNode(
      getTokenScript(
        "import { WorkloadIdentityCredential } from '@azure/identity';",
        `new WorkloadIdentityCredential(${identityOptions})`,
      ),
      { AZURE_FEDERATED_TOKEN_FILE: file, AZURE_CLIENT_ID: clientId, AZURE_TENANT_ID: tenantId },
    );
    expect(result.error).toBeUndefined();
    expect(claimsOf(result.token)).toMatchObject({
      appid: clientId,
      appidacr: '2',
      aud: 'https://management.azure.com',
    });
  });

  it('serves IMDS over plain HTTP as a VM does: Metadata: true, numbers as strings, and ManagedIdentityCredential finds it through AZURE_POD_IDENTITY_AUTHORITY_HOST', async () => {
    const get = (query: string, headers: Record<string, string> = {}): Promise<Reply> =>
      new Promise((done, fail) =>
        http
          .get(`${s.imds.host}/metadata/identity/oauth2/token?${query}`, { headers }, (response) => {
            let text = '';
            response.on('data', (c: Buffer) => (text += c.toString()));
            response.on('end', () =>
              done({ status: response.statusCode ?? 0, headers: response.headers, text, json: JSON.parse(text) }),
            );
          })
          .on('error', fail),
      );
    const query = `api-version=2018-02-01&resource=${encodeURIComponent('https://management.azure.com/')}`;
    expect(s.imds.host).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const noHeader = await get(query);
    expect(noHeader.status).toBe(400);
    expect(noHeader.json).toEqual({
      error: 'bad_request_102',
      error_description: 'Required metadata header not specified',
    });
    const ok = await get(query, { Metadata: 'true' });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({
      token_type: 'Bearer',
      resource: 'https://management.azure.com/',
      client_id: clientId,
    });
    expect(ok.json.expires_in).toMatch(/^\d+$/);
    expect(claimsOf(ok.json.access_token)).toMatchObject({ aud: 'https://management.azure.com/', appid: clientId });
    expect((await get(`${query}&client_id=${randomUUID()}`, { Metadata: 'true' })).json).toEqual({
      error: 'invalid_request',
      error_description: 'Identity not found',
    });
    expect((await get('resource=x', { Metadata: 'true' })).json.error).toBe('invalid_request');
    const { result } = await runNode(
      getTokenScript(
        "import { ManagedIdentityCredential } from '@azure/identity';",
        `new ManagedIdentityCredential({ clientId: ${JSON.stringify(clientId)} })`,
      ),
      { AZURE_POD_IDENTITY_AUTHORITY_HOST: s.imds.host },
    );
    expect(result.error).toBeUndefined();
    expect(claimsOf(result.token)).toMatchObject({ appid: clientId, aud: 'https://management.azure.com' });
  });
});

// ---------------------------------------------------------------- ARM

describe('ARM stand-in', () => {
  let token: string;
  const auth = () => ({ authorization: `Bearer ${token}` });
  beforeAll(async () => {
    token = await entraToken();
  });
  afterEach(() => {
    s.setCluster({ aadManaged: false, disableLocalAccounts: false, kedaAddon: false, exists: true });
    s.setAllowedActions(undefined);
  });

  it('describes the cloud at /metadata/endpoints (2022-09-01 shape), anonymously', async () => {
    const reply = await arm('metadata/endpoints?api-version=2022-09-01');
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({
      name: 'AzureCloud',
      resourceManager: s.armEndpoint,
      authentication: {
        loginEndpoint: s.authorityHost,
        audiences: ['https://management.core.windows.net/', 'https://management.azure.com/'],
        tenant: 'common',
        identityProvider: 'AAD',
      },
      suffixes: { acrLoginServer: 'azurecr.io', storage: 'core.windows.net', keyVaultDns: 'vault.azure.net' },
      // What `az cloud register` reads besides (azure-cli's _arm_to_cli_mapper).
      sqlManagement: expect.any(String),
      batch: expect.any(String),
      gallery: expect.any(String),
      graphAudience: expect.any(String),
      vmImageAliasDoc: expect.any(String),
      media: expect.any(String),
    });
  });

  it('authenticates like ARM: no token, a token for another audience', async () => {
    const none = await arm(`${clusterPath()}?${API}`);
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe('AuthenticationFailed');
    expect(none.headers['www-authenticate']).toMatch(
      /^Bearer authorization_uri="https:\/\/127\.0\.0\.1:\d+\/", error="invalid_token"/,
    );
    const vault = await arm(`${clusterPath()}?${API}`, {
      headers: { authorization: `Bearer ${await entraToken('https://vault.azure.net/.default')}` },
    });
    expect(vault.status).toBe(401);
    expect(vault.json.error).toMatchObject({
      code: 'InvalidAuthenticationTokenAudience',
      message: expect.stringContaining("wrong audience or resource 'https://vault.azure.net'"),
    });
    const noVersion = await arm(clusterPath(), { headers: auth() });
    expect(noVersion.json.error.code).toBe('MissingApiVersionParameter');
  });

  it('returns the managedCluster and a user kubeconfig that the local apiserver accepts', async () => {
    const cluster = await arm(`${clusterPath()}?${API}`, { headers: auth() });
    expect(cluster.status).toBe(200);
    expect(cluster.json).toMatchObject({
      id: s.clusterResourceId,
      name: clusterName,
      type: 'Microsoft.ContainerService/ManagedClusters',
      properties: {
        provisioningState: 'Succeeded',
        disableLocalAccounts: false,
        enableRBAC: true,
        fqdn: expect.stringMatching(/\.hcp\.westeurope\.azmk8s\.io$/),
        workloadAutoScalerProfile: {},
      },
    });
    expect(cluster.json.properties.aadProfile).toBeUndefined();

    const credentials = await arm(`${clusterPath()}/listClusterUserCredential?${API}`, {
      method: 'POST',
      headers: auth(),
    });
    expect(credentials.json.kubeconfigs).toHaveLength(1);
    expect(credentials.json.kubeconfigs[0].name).toBe('clusterUser');
    const kc = new k8s.KubeConfig();
    kc.loadFromString(Buffer.from(credentials.json.kubeconfigs[0].value, 'base64').toString('utf8'));
    const namespaces = await kc.makeApiClient(k8s.CoreV1Api).listNamespace();
    expect(namespaces.items.map((n) => n.metadata?.name)).toContain('kube-system');
  });

  it('for an Entra ID cluster: a kubelogin kubeconfig for the local apiserver, no admin credential when local accounts are off', async () => {
    s.setCluster({ aadManaged: true, disableLocalAccounts: true });
    const cluster = await arm(`${clusterPath()}?${API}`, { headers: auth() });
    expect(cluster.json.properties).toMatchObject({
      disableLocalAccounts: true,
      aadProfile: { managed: true, enableAzureRBAC: true, tenantID: tenantId },
    });

    const credentials = await arm(`${clusterPath()}/listClusterUserCredential?${API}`, {
      method: 'POST',
      headers: auth(),
    });
    const kc = new k8s.KubeConfig();
    kc.loadFromString(Buffer.from(credentials.json.kubeconfigs[0].value, 'base64').toString('utf8'));
    const local = new k8s.KubeConfig();
    local.loadFromString(kubeconfig);
    expect(kc.getCurrentCluster()?.server).toBe(local.getCurrentCluster()?.server);
    expect(kc.getCurrentCluster()?.caData).toBe(local.getCurrentCluster()?.caData);
    const user = kc.getCurrentUser();
    expect(user?.name).toBe(`clusterUser_${resourceGroup}_${clusterName}`);
    expect(user?.exec).toMatchObject({ command: 'kubelogin', apiVersion: 'client.authentication.k8s.io/v1beta1' });
    expect(user?.exec.args).toEqual([
      'get-token',
      '--environment',
      'AzurePublicCloud',
      '--server-id',
      AKS_SERVER_APP_ID,
      '--client-id',
      '80faf920-1908-4b52-b5ef-a8e7bedfc67a',
      '--tenant-id',
      tenantId,
      '--login',
      'devicecode',
    ]);
    // What kubelogin would do: a token for the AKS server app, which this apiserver really checks.
    Object.assign(user as object, { exec: undefined, token: await entraToken(`${AKS_SERVER_APP_ID}/.default`) });
    expect((await kc.makeApiClient(k8s.CoreV1Api).listNamespace()).items.length).toBeGreaterThan(0);

    const admin = await arm(`${clusterPath()}/listClusterAdminCredential?${API}`, { method: 'POST', headers: auth() });
    expect(admin.status).toBe(400);
    expect(admin.json).toEqual({
      error: {
        code: 'BadRequest',
        message: 'Getting static credential is not allowed because this cluster is set to disable local accounts.',
      },
    });
  });

  it('answers missing subscriptions, resource groups and clusters as ARM does', async () => {
    const rg = await arm(`${clusterPath('rg-missing')}?${API}`, { headers: auth() });
    expect(rg.status).toBe(404);
    expect(rg.json).toEqual({
      error: { code: 'ResourceGroupNotFound', message: "Resource group 'rg-missing' could not be found." },
    });
    const cluster = await arm(`${clusterPath(resourceGroup, 'aks-missing')}/listClusterUserCredential?${API}`, {
      method: 'POST',
      headers: auth(),
    });
    expect(cluster.status).toBe(404);
    expect(cluster.json.error).toEqual({
      code: 'ResourceNotFound',
      message: `The Resource 'Microsoft.ContainerService/managedClusters/aks-missing' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    });
    const other = randomUUID();
    const sub = await arm(`${clusterPath(resourceGroup, clusterName, other)}?${API}`, { headers: auth() });
    expect(sub.json.error).toEqual({
      code: 'SubscriptionNotFound',
      message: `The subscription '${other}' could not be found.`,
    });
  });

  it("refuses actions outside the principal's role with 403 AuthorizationFailed naming client, action and scope", async () => {
    s.setAllowedActions(['Microsoft.ContainerService/managedClusters/read']);
    expect((await arm(`${clusterPath()}?${API}`, { headers: auth() })).status).toBe(200);
    const denied = await arm(`${clusterPath()}/listClusterUserCredential?${API}`, { method: 'POST', headers: auth() });
    expect(denied.status).toBe(403);
    expect(denied.json).toEqual({
      error: {
        code: 'AuthorizationFailed',
        message: `The client '${clientId}' with object id '${s.principalObjectId}' does not have authorization to perform action 'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action' over scope '/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${clusterName}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      },
    });
  });

  it('enables the KEDA add-on through a long-running PUT: Azure-AsyncOperation InProgress, then Succeeded', async () => {
    const current = (await arm(`${clusterPath()}?${API}`, { headers: auth() })).json;
    const wanted = {
      ...current,
      properties: { ...current.properties, workloadAutoScalerProfile: { keda: { enabled: true } } },
    };
    const put = await arm(`${clusterPath()}?${API}`, {
      method: 'PUT',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify(wanted),
    });
    expect(put.status).toBe(200);
    expect(put.json.properties.provisioningState).toBe('Updating');
    const operation = put.headers['azure-asyncoperation'] as string;
    expect(operation).toMatch(
      new RegExp(
        `^${s.armEndpoint}subscriptions/${subscriptionId}/providers/Microsoft.ContainerService/locations/westeurope/operations/[0-9a-f-]{36}\\?api-version=2016-03-30$`,
      ),
    );
    const again = await arm(`${clusterPath()}?${API}`, {
      method: 'PUT',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify(wanted),
    });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('OperationNotAllowed');

    const first = await call(operation, { headers: auth() });
    expect(first.json).toMatchObject({
      status: 'InProgress',
      name: operation.split('/').pop()?.split('?')[0],
      startTime: expect.any(String),
    });
    expect(first.json.endTime).toBeUndefined();
    const second = await call(operation, { headers: auth() });
    expect(second.json).toMatchObject({ status: 'Succeeded', endTime: expect.any(String) });
    const after = await arm(`${clusterPath()}?${API}`, { headers: auth() });
    expect(after.json.properties).toMatchObject({
      provisioningState: 'Succeeded',
      workloadAutoScalerProfile: { keda: { enabled: true } },
    });
  });

  it('injects faults in order, with Retry-After and ARM error bodies', async () => {
    s.inject({ service: 'arm', status: 429, retryAfter: 1, times: 1 });
    s.inject({ service: 'arm', status: 503, times: 1 });
    s.inject({ service: 'arm', status: 403, times: 1 });
    const throttled = await arm(`${clusterPath()}?${API}`, { headers: auth() });
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('1');
    expect(throttled.json.error.code).toBe('SubscriptionRequestsThrottled');
    const unavailable = await arm(`${clusterPath()}?${API}`, { headers: auth() });
    expect(unavailable.status).toBe(503);
    expect(unavailable.json.error.code).toBe('ServiceUnavailable');
    const forbidden = await arm(`${clusterPath()}?${API}`, { headers: auth() });
    expect(forbidden.json.error).toMatchObject({
      code: 'AuthorizationFailed',
      message: expect.stringContaining("perform action 'Microsoft.ContainerService/managedClusters/read'"),
    });
    expect((await arm(`${clusterPath()}?${API}`, { headers: auth() })).status).toBe(200);
  });

  // The product's client; runs once the package is installed in the repository.
  const armSdkInstalled = existsSync(join(REPO, 'node_modules/@azure/arm-containerservice/package.json'));
  (armSdkInstalled ? it : it.skip)(
    'serves @azure/arm-containerservice: get, credentials, 429 retry and the LRO',
    async () => {
      s.inject({ service: 'arm', status: 429, retryAfter: 1, times: 1 });
      const { result } = await runNode(`
import { ClientSecretCredential } from '@azure/identity';
import { ContainerServiceClient } from '@azure/arm-containerservice';
const credential = new ClientSecretCredential(${JSON.stringify(tenantId)}, ${JSON.stringify(clientId)}, ${JSON.stringify(clientSecret)}, ${identityOptions});
const client = new ContainerServiceClient(credential, ${JSON.stringify(subscriptionId)}, { endpoint: ${JSON.stringify(s.armEndpoint)} });
const cluster = await client.managedClusters.get(${JSON.stringify(resourceGroup)}, ${JSON.stringify(clusterName)});
const credentials = await client.managedClusters.listClusterUserCredentials(${JSON.stringify(resourceGroup)}, ${JSON.stringify(clusterName)});
// As the product enables the add-on: the whole cluster back, awaited until AKS says Succeeded.
const updated = await client.managedClusters.createOrUpdate(${JSON.stringify(resourceGroup)}, ${JSON.stringify(clusterName)},
  { ...cluster, workloadAutoScalerProfile: { keda: { enabled: true } } }, { updateIntervalInMs: 100 });
let missing;
try { await client.managedClusters.get(${JSON.stringify(resourceGroup)}, 'aks-missing'); } catch (e) { missing = { code: e.code, statusCode: e.statusCode }; }
console.log(JSON.stringify({ state: cluster.provisioningState, kubeconfigs: credentials.kubeconfigs.length, updated: updated.workloadAutoScalerProfile, final: updated.provisioningState, missing }));
`);
      expect(result).toEqual({
        state: 'Succeeded',
        kubeconfigs: 1,
        updated: { keda: { enabled: true } },
        final: 'Succeeded',
        missing: { code: 'ResourceNotFound', statusCode: 404 },
      });
    },
  );
});

// ---------------------------------------------------------------- ACR

describe('ACR stand-in', () => {
  const acr = () => `https://${s.acrLoginServer}`;
  afterEach(() => s.setAllowedActions(undefined));

  async function refreshToken(): Promise<string> {
    const reply = await call(`${acr()}/oauth2/exchange`, {
      form: {
        grant_type: 'access_token',
        service: s.acrLoginServer,
        tenant: tenantId,
        access_token: await entraToken(),
      },
    });
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.json)).toEqual(['refresh_token']);
    return reply.json.refresh_token as string;
  }

  it('challenges anonymous /v2 requests the way ACR does', async () => {
    const base = await call(`${acr()}/v2/`);
    expect(base.status).toBe(401);
    expect(base.headers['www-authenticate']).toBe(
      `Bearer realm="https://${s.acrLoginServer}/oauth2/token",service="${s.acrLoginServer}"`,
    );
    expect(base.json).toEqual({
      errors: [
        {
          code: 'UNAUTHORIZED',
          message: 'authentication required, visit https://aka.ms/acr/authorization for more information.',
          detail: null,
        },
      ],
    });
    const manifest = await call(`${acr()}/v2/afd/app/manifests/v1`);
    expect(manifest.headers['www-authenticate']).toBe(
      `Bearer realm="https://${s.acrLoginServer}/oauth2/token",service="${s.acrLoginServer}",scope="repository:afd/app:pull"`,
    );
  });

  it('exchanges an Entra token for a refresh token, and that for scoped access tokens', async () => {
    const bad = await call(`${acr()}/oauth2/exchange`, {
      form: { grant_type: 'access_token', service: s.acrLoginServer, tenant: tenantId, access_token: 'not-a-token' },
    });
    expect(bad.status).toBe(401);
    expect(bad.json.errors[0].code).toBe('UNAUTHORIZED');

    const refresh = await refreshToken();
    expect(claimsOf(refresh)).toMatchObject({
      iss: 'Azure Container Registry',
      aud: s.acrLoginServer,
      grant_type: 'refresh_token',
      tenant: tenantId,
      permissions: { actions: ['*'] },
    });
    const post = await call(`${acr()}/oauth2/token`, {
      form: {
        grant_type: 'refresh_token',
        service: s.acrLoginServer,
        scope: 'repository:afd/app:pull,push',
        refresh_token: refresh,
      },
    });
    expect(Object.keys(post.json)).toEqual(['access_token']);
    expect(claimsOf(post.json.access_token).access).toEqual([
      { type: 'repository', name: 'afd/app', actions: ['pull', 'push'] },
    ]);
    // docker login's way: Basic auth with the null GUID and the refresh token as password.
    const basic = Buffer.from(`${NULL_GUID}:${refresh}`).toString('base64');
    const get = await call(`${acr()}/oauth2/token?service=${s.acrLoginServer}&scope=repository:afd/app:pull`, {
      headers: { authorization: `Basic ${basic}` },
    });
    expect(claimsOf(get.json.access_token).access).toEqual([
      { type: 'repository', name: 'afd/app', actions: ['pull'] },
    ]);
    const base = await call(`${acr()}/v2/`, { headers: { authorization: `Bearer ${get.json.access_token}` } });
    expect(base.status).toBe(200);
    expect(base.headers['docker-distribution-api-version']).toBe('registry/2.0');
    expect(s.tokensIssued).toEqual(expect.arrayContaining([refresh, post.json.access_token, get.json.access_token]));
  });

  it('with authentication-as-arm disabled, refuses ARM-audience tokens and takes ACR-audience ones', async () => {
    s.setRegistryPolicies({ azureADAuthenticationAsArmPolicy: { status: 'disabled' } });
    try {
      const exchange = async (scope: string) =>
        call(`${acr()}/oauth2/exchange`, {
          form: {
            grant_type: 'access_token',
            service: s.acrLoginServer,
            tenant: tenantId,
            access_token: await entraToken(scope),
          },
        });
      const armAudience = await exchange('https://management.azure.com/.default');
      expect(armAudience.status).toBe(401);
      expect(armAudience.json.errors[0]).toMatchObject({
        code: 'UNAUTHORIZED',
        message: expect.stringContaining('authentication-as-arm is disabled'),
      });
      const acrAudience = await exchange('https://containerregistry.azure.net/.default');
      expect(acrAudience.status).toBe(200);
      expect(claimsOf(acrAudience.json.refresh_token)).toMatchObject({ grant_type: 'refresh_token', tenant: tenantId });
      // The registry resource shows the policy where ARM puts it.
      const registry = await arm(
        `subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerRegistry/registries/afdregistry?api-version=2025-04-01`,
        { headers: { authorization: `Bearer ${await entraToken()}` } },
      );
      expect(registry.json.properties.policies).toEqual({ azureADAuthenticationAsArmPolicy: { status: 'disabled' } });
    } finally {
      s.setRegistryPolicies({ azureADAuthenticationAsArmPolicy: { status: 'enabled' } });
    }
    // Enabled (the default), both audiences are taken.
    expect(
      (
        await call(`${acr()}/oauth2/exchange`, {
          form: { grant_type: 'access_token', service: s.acrLoginServer, access_token: await entraToken() },
        })
      ).status,
    ).toBe(200);
  });

  it('grants only what the role allows: pull without push', async () => {
    s.setAllowedActions(['Microsoft.ContainerRegistry/registries/pull/read']);
    const refresh = await refreshToken();
    const token = await call(`${acr()}/oauth2/token`, {
      form: {
        grant_type: 'refresh_token',
        service: s.acrLoginServer,
        scope: 'repository:afd/app:pull,push',
        refresh_token: refresh,
      },
    });
    expect(claimsOf(token.json.access_token).access).toEqual([
      { type: 'repository', name: 'afd/app', actions: ['pull'] },
    ]);
    const upload = await call(`${acr()}/v2/afd/app/blobs/uploads/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.json.access_token}` },
    });
    expect(upload.status).toBe(401);
    expect(upload.headers['www-authenticate']).toContain('scope="repository:afd/app:push"');
  });

  it('throttles the token exchange on request', async () => {
    s.inject({ service: 'exchange', status: 429, retryAfter: 2, times: 1 });
    const throttled = await call(`${acr()}/oauth2/exchange`, {
      form: { grant_type: 'access_token', service: s.acrLoginServer, access_token: await entraToken() },
    });
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('2');
    expect(throttled.json.errors[0].code).toBe('TOOMANYREQUESTS');
    await refreshToken();
  });

  it('lets docker login with the null GUID and a refresh token, then push a large layer through to the real registry', async () => {
    const refresh = await refreshToken();
    const dir = mkdtempSync(join(tmpdir(), 'afd-acr-push-'));
    try {
      writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY layer.bin /layer.bin\n');
      writeFileSync(join(dir, 'layer.bin'), randomBytes(12 << 20));
      const dockerEnv = { DOCKER_HOST: env('DOCKER_HOST'), DOCKER_CONFIG: join(dir, 'config'), DOCKER_BUILDKIT: '0' };
      const docker = (...args: string[]) => runCommand('docker', args, dir, dockerEnv);
      const repository = `afd/standins-${Date.now().toString(36)}`;
      const image = `${s.acrLoginServer}/${repository}:v1`;
      expect(await docker('login', s.acrLoginServer, '-u', NULL_GUID, '-p', refresh)).toContain('Login Succeeded');
      await docker('build', '-q', '-t', image, '.');
      const pushed = await docker('push', image);
      const digest = /digest: (sha256:[0-9a-f]{64})/.exec(pushed)?.[1];
      expect(digest).toBeDefined();
      await docker('rmi', image).catch(() => '');

      // The layer went through the proxy (upload URLs led back to it), and the manifest is in the real registry.
      const uploads = s.requests.filter(
        (r) => r.service === 'registry' && r.path.startsWith(`/v2/${repository}/blobs/uploads/`),
      );
      expect(uploads.map((r) => r.method)).toEqual(expect.arrayContaining(['POST', 'PATCH', 'PUT']));
      expect(uploads.every((r) => r.status < 300)).toBe(true);
      const upstream = await new Promise<{ status: number; digest: unknown }>((done, fail) => {
        http
          .get(
            `http://${env('REGISTRY')}/v2/${repository}/manifests/v1`,
            {
              headers: {
                authorization: `Basic ${Buffer.from(`${env('REGISTRY_USERNAME')}:${env('REGISTRY_PASSWORD')}`).toString('base64')}`,
                accept:
                  'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json',
              },
            },
            (r) => (r.resume(), done({ status: r.statusCode ?? 0, digest: r.headers['docker-content-digest'] })),
          )
          .on('error', fail);
      });
      expect(upstream).toEqual({ status: 200, digest });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------- ACR Tasks

describe('ACR Tasks stand-in', () => {
  let token: string;
  let work: string;
  const auth = () => ({ authorization: `Bearer ${token}` });
  const registryPath = `subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerRegistry/registries/afdregistry`;
  const TASKS_API = 'api-version=2019-06-01-preview';
  beforeAll(async () => {
    token = await entraToken();
    work = mkdtempSync(join(tmpdir(), 'afd-acr-tasks-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  afterEach(() => s.setAllowedActions(undefined));

  /** A build context as the product uploads it: a gzipped tar of `files`. */
  async function context(name: string, files: Record<string, string>): Promise<string> {
    const dir = join(work, name);
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    await runCommand('tar', ['-czf', `${dir}.tar.gz`, '-C', dir, '.'], work, {});
    return `${dir}.tar.gz`;
  }

  /**
   * `az acr build` through the real SDKs: the registry found by its login server, the context
   * uploaded to the SAS URL, the run scheduled (a long-running operation), then run and log
   * followed together, the log read in ranges until its blob says Complete.
   */
  const buildScript = (tgz: string, request: Record<string, unknown>) => `
import { ClientSecretCredential } from '@azure/identity';
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import { BlobClient, BlockBlobClient } from '@azure/storage-blob';
const credential = new ClientSecretCredential(${JSON.stringify(tenantId)}, ${JSON.stringify(clientId)}, ${JSON.stringify(clientSecret)}, ${identityOptions});
// This SDK's default scope is '<endpoint>/.default'; ARM wants its own audience, as the product asks for it.
const client = new ContainerRegistryManagementClient(credential, ${JSON.stringify(subscriptionId)},
  { endpoint: ${JSON.stringify(s.armEndpoint)}, credentialScopes: ['https://management.azure.com/.default'] });
const out = {};
try {
  let registry;
  for await (const r of client.registries.list()) if (r.loginServer === ${JSON.stringify(s.acrLoginServer)}) registry = r;
  const rg = registry.id.split('/')[4];
  out.registry = { id: registry.id, name: registry.name };
  const upload = await client.registries.getBuildSourceUploadUrl(rg, registry.name);
  out.upload = upload;
  await new BlockBlobClient(upload.uploadUrl).uploadFile(${JSON.stringify(tgz)});
  const queued = await client.registries.beginScheduleRunAndWait(rg, registry.name,
    { ...${JSON.stringify(request)}, sourceLocation: upload.relativePath }, { updateIntervalInMs: 100 });
  out.queued = { runId: queued.runId, status: queued.status, runType: queued.runType, id: queued.id };
  const { logLink } = await client.runs.getLogSasUrl(rg, registry.name, queued.runId);
  out.logLink = logLink;
  const blob = new BlobClient(logLink);
  const statuses = [queued.status];
  const reads = [];
  let log = Buffer.alloc(0);
  let run;
  for (const deadline = Date.now() + 120000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    run = await client.runs.get(rg, registry.name, queued.runId);
    if (statuses.at(-1) !== run.status) statuses.push(run.status);
    const props = await blob.getProperties();
    if (props.contentLength > log.length) {
      const part = await blob.downloadToBuffer(log.length, props.contentLength - log.length);
      reads.push(part.length);
      log = Buffer.concat([log, part]);
    }
    out.complete = props.metadata?.complete;
    if (out.complete && ['Succeeded', 'Failed'].includes(run.status)) break;
  }
  Object.assign(out, { statuses, reads, log: log.toString('utf8') });
  out.run = { status: run.status, runType: run.runType, createTime: run.createTime, startTime: run.startTime, finishTime: run.finishTime,
    outputImages: run.outputImages, runErrorMessage: run.runErrorMessage, platform: run.platform };
} catch (e) {
  out.error = { code: e.code, statusCode: e.statusCode, message: e.message };
}
console.log(JSON.stringify(out));
`;

  /** GET from the real registry behind the ACR proxy, with its own credentials. */
  function upstream(path: string): Promise<{ status: number; digest: unknown; body: Buffer }> {
    return new Promise((done, fail) => {
      http
        .get(
          `http://${env('REGISTRY')}/v2/${path}`,
          {
            headers: {
              authorization: `Basic ${Buffer.from(`${env('REGISTRY_USERNAME')}:${env('REGISTRY_PASSWORD')}`).toString('base64')}`,
              accept:
                'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json',
            },
          },
          (r) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c));
            r.on('end', () =>
              done({
                status: r.statusCode ?? 0,
                digest: r.headers['docker-content-digest'],
                body: Buffer.concat(chunks),
              }),
            );
          },
        )
        .on('error', fail);
    });
  }

  it('builds an uploaded context with the SDK: Queued → Succeeded, pushed to the real registry, the log read in ranges', async () => {
    const repository = `afd/tasks-${Date.now().toString(36)}`;
    const secret = randomBytes(12).toString('hex');
    const tgz = await context('ok', {
      'docker/Dockerfile':
        'FROM scratch\nARG GREETING=unset\nARG TOKEN\nLABEL greeting=$GREETING\nCOPY hello.txt /hello.txt\n',
      'hello.txt': 'hello from an ACR task\n',
    });
    const started = Date.now();
    const { result } = await runNode(
      buildScript(tgz, {
        type: 'DockerBuildRequest',
        imageNames: [`${repository}:v1`, `${s.acrLoginServer}/${repository}:{{.Run.ID}}`],
        isPushEnabled: true,
        dockerFilePath: 'docker/Dockerfile',
        platform: { os: 'Linux', architecture: 'amd64' },
        noCache: true,
        arguments: [
          { name: 'GREETING', value: 'hello', isSecret: false },
          { name: 'TOKEN', value: secret, isSecret: true },
        ],
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    expect(result.error).toBeUndefined();
    expect(result.registry.id).toBe(`/${registryPath}`);
    expect(result.upload.relativePath).toMatch(/^source\/\d{12}\/[0-9a-f-]{36}\.tar\.gz$/);
    expect(result.upload.uploadUrl).toMatch(
      new RegExp(`^${env('AZURITE_BLOB_ENDPOINT')}/acrtasks-[0-9a-f]{8}/${result.upload.relativePath}\\?.*sig=`),
    );
    const runId: string = result.queued.runId;
    expect(runId).toMatch(/^c[a-z][0-9a-z]+$/);
    expect(result.queued).toEqual({
      runId,
      status: 'Queued',
      runType: 'QuickRun',
      id: `/${registryPath}/runs/${runId}`,
    });
    expect(result.statuses[0]).toBe('Queued');
    expect(result.statuses.at(-1)).toBe('Succeeded');
    expect(result.statuses.filter((x: string) => !['Queued', 'Running', 'Succeeded'].includes(x))).toEqual([]);

    const { run } = result;
    expect(run.runErrorMessage).toBeUndefined();
    expect(run.platform).toEqual({ os: 'Linux', architecture: 'amd64' });
    expect(Date.parse(run.createTime)).toBeLessThanOrEqual(Date.parse(run.startTime));
    expect(Date.parse(run.startTime)).toBeLessThanOrEqual(Date.parse(run.finishTime));
    const digest = run.outputImages[0]?.digest;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.outputImages).toEqual([
      { registry: s.acrLoginServer, repository, tag: 'v1', digest },
      { registry: s.acrLoginServer, repository, tag: runId, digest },
    ]);

    // The log: CRLF lines, the docker build and push, named by the login server, the secret nowhere.
    const log: string = result.log;
    expect(result.complete).toBe('Succeeded');
    expect(log.endsWith('\r\n')).toBe(true);
    expect(log.replace(/\r\n/g, '')).not.toContain('\n');
    expect(log).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d Downloading source code\.\.\.\r\n/);
    expect(log).toContain('Step 5/5 : COPY hello.txt /hello.txt');
    expect(log).toContain(`Successfully pushed image: ${s.acrLoginServer}/${repository}:v1`);
    expect(log).toContain(`digest: ${digest}`);
    expect(log).toMatch(new RegExp(`Run ID: ${runId} was successful after \\d+s\\r\\n$`));
    expect(log).not.toContain(env('REGISTRY'));
    expect(log).not.toContain(secret);
    expect(log).not.toContain('DEPRECATED');
    expect(result.reads.reduce((a: number, b: number) => a + b, 0)).toBe(Buffer.byteLength(log));

    // The image is in the real registry: that digest, the build argument's label, the file.
    const manifest = await upstream(`${repository}/manifests/v1`);
    expect(manifest).toMatchObject({ status: 200, digest });
    expect((await upstream(`${repository}/manifests/${runId}`)).digest).toBe(digest);
    const { config, layers } = JSON.parse(manifest.body.toString('utf8'));
    const image = JSON.parse((await upstream(`${repository}/blobs/${config.digest}`)).body.toString('utf8'));
    expect(image.config.Labels).toEqual({ greeting: 'hello' });
    expect(image.architecture).toBe('amd64');
    const layer = gunzipSync((await upstream(`${repository}/blobs/${layers[0].digest}`)).body).toString('latin1');
    expect(layer).toContain('hello.txt');
    expect(layer).toContain('hello from an ACR task\n');
    console.log(
      `ACR Tasks build with the SDK: ${seconds.toFixed(1)}s (run ${runId}, ${result.statuses.join(' → ')}, ${result.reads.length} log reads)\n${log}`,
    );
  });

  it('fails a run whose Dockerfile does not build: Failed, the reason, no image', async () => {
    const repository = `afd/tasks-broken-${Date.now().toString(36)}`;
    const tgz = await context('broken', {
      Dockerfile: 'FROM scratch\nCOPY missing.txt /missing.txt\n',
      'present.txt': 'x',
    });
    const { result } = await runNode(
      buildScript(tgz, {
        type: 'DockerBuildRequest',
        imageNames: [`${repository}:v1`],
        isPushEnabled: true,
        dockerFilePath: 'Dockerfile',
        platform: { os: 'linux', architecture: 'amd64' },
      }),
    );
    expect(result.error).toBeUndefined();
    const runId: string = result.queued.runId;
    expect(result.statuses[0]).toBe('Queued');
    expect(result.statuses.at(-1)).toBe('Failed');
    expect(result.run.runErrorMessage).toMatch(/^failed during run, err: exit status 1: COPY failed: .*missing\.txt/);
    expect(result.run.outputImages).toBeUndefined();
    expect(result.run.finishTime).toEqual(expect.any(String));
    expect(result.complete).toBe('Failed');
    expect(result.log).toContain('Step 2/2 : COPY missing.txt /missing.txt');
    expect(result.log).not.toContain('Successfully executed container: build');
    expect(result.log).toMatch(
      new RegExp(
        `Run ID: ${runId} failed after \\d+s\\. Error: failed during run, err: exit status 1: COPY failed: .*\\r\\n$`,
      ),
    );
    expect((await upstream(`${repository}/manifests/v1`)).status).toBe(404);
  });

  it('answers scheduleRun at once with 200 and the queued Run (no polling header), refuses other run types, fails a missing source', async () => {
    const post = (path: string, body?: unknown) =>
      arm(`${registryPath}/${path}?${TASKS_API}`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const scheduled = await post('scheduleRun', {
      type: 'DockerBuildRequest',
      imageNames: ['afd/never:v1'],
      isPushEnabled: true,
      sourceLocation: 'source/202501010000/missing.tar.gz',
      dockerFilePath: 'Dockerfile',
      platform: { os: 'Linux', architecture: 'amd64' },
    });
    expect(scheduled.status).toBe(200);
    expect(scheduled.headers['azure-asyncoperation']).toBeUndefined();
    expect(scheduled.headers.location).toBeUndefined();
    const runId = scheduled.json.name;
    expect(scheduled.json).toMatchObject({
      type: 'Microsoft.ContainerRegistry/registries/runs',
      id: `/${registryPath}/runs/${runId}`,
      properties: {
        runId,
        status: 'Queued',
        runType: 'QuickRun',
        provisioningState: 'Succeeded',
        platform: { os: 'Linux', architecture: 'amd64' },
      },
    });
    let run = scheduled.json;
    for (let i = 0; i < 100 && !['Succeeded', 'Failed'].includes(run.properties.status); i++) {
      await new Promise((r) => setTimeout(r, 100));
      run = (await arm(`${registryPath}/runs/${runId}?${TASKS_API}`, { headers: auth() })).json;
    }
    expect(run.properties).toMatchObject({
      status: 'Failed',
      runErrorMessage: expect.stringMatching(
        /^failed to download the source from 'source\/202501010000\/missing\.tar\.gz': /,
      ),
    });

    const other = await post('scheduleRun', {
      type: 'FileTaskRunRequest',
      taskFilePath: 'acb.yaml',
      platform: { os: 'Linux' },
    });
    expect(other.status).toBe(400);
    expect(other.json.error.code).toBe('BadRequest');
    const missing = await arm(`${registryPath}/runs/zz9?${TASKS_API}`, { headers: auth() });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('ResourceNotFound');
  });

  it('needs the ACR Tasks actions: 403 AuthorizationFailed through the SDK for scheduleRun, and for runs/read', async () => {
    s.setAllowedActions([
      'Microsoft.ContainerRegistry/registries/read',
      'Microsoft.ContainerRegistry/registries/listBuildSourceUploadUrl/action',
    ]);
    const tgz = await context('denied', { Dockerfile: 'FROM scratch\n' });
    const { result } = await runNode(
      buildScript(tgz, {
        type: 'DockerBuildRequest',
        imageNames: ['afd/denied:v1'],
        isPushEnabled: true,
        dockerFilePath: 'Dockerfile',
        platform: { os: 'Linux' },
      }),
    );
    expect(result.upload.relativePath).toEqual(expect.any(String));
    expect(result.queued).toBeUndefined();
    expect(result.error).toMatchObject({ code: 'AuthorizationFailed', statusCode: 403 });
    expect(result.error.message).toContain(
      `does not have authorization to perform action 'Microsoft.ContainerRegistry/registries/scheduleRun/action' over scope '/${registryPath}'`,
    );

    s.setAllowedActions(['Microsoft.ContainerRegistry/registries/scheduleRun/action']);
    const run = await arm(`${registryPath}/runs/ca1?${TASKS_API}`, { headers: auth() });
    expect(run.status).toBe(403);
    expect(run.json.error.message).toContain(
      `'Microsoft.ContainerRegistry/registries/runs/read' over scope '/${registryPath}/runs/ca1'`,
    );
    const upload = await arm(`${registryPath}/listBuildSourceUploadUrl?${TASKS_API}`, {
      method: 'POST',
      headers: auth(),
    });
    expect(upload.json.error.code).toBe('AuthorizationFailed');
  });

  it('lists the registry at subscription and resource group scope, with the stand-in login server', async () => {
    for (const path of [
      `subscriptions/${subscriptionId}/providers/Microsoft.ContainerRegistry/registries`,
      `subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerRegistry/registries`,
    ]) {
      const list = await arm(`${path}?api-version=2025-11-01`, { headers: auth() });
      expect(list.status).toBe(200);
      expect(list.json.value).toHaveLength(1);
      expect(list.json.value[0]).toMatchObject({
        id: `/${registryPath}`,
        name: 'afdregistry',
        properties: { loginServer: s.acrLoginServer },
      });
    }
  });
});

describe('lifecycle', () => {
  it('close() stops every endpoint and removes the CA', async () => {
    const other = await startAzureStandins({
      tenantId,
      clientId,
      subscriptionId,
      resourceGroup,
      clusterName,
      kubeconfig,
    });
    const metadata = `${other.armEndpoint}metadata/endpoints?api-version=2022-09-01`;
    // Each start makes its own CA: this one's certificate means nothing to the other's.
    await expect(call(metadata)).rejects.toThrow(/certificate/i);
    expect((await call(metadata, { ca: readFileSync(other.caFile) })).status).toBe(200);
    await other.close();
    expect(existsSync(other.caFile)).toBe(false);
    await expect(call(metadata)).rejects.toThrow(/ECONNREFUSED/);
  });
});

function runCommand(command: string, args: string[], cwd: string, extraEnv: Record<string, string>): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...extraEnv } });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', fail);
    child.on('close', (code) =>
      code === 0 ? done(output) : fail(new Error(`${command} ${args[0]} exited ${code}:\n${output}`)),
    );
  });
}
