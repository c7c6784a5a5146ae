import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acrRefusal } from '../../src/azure/acr.js';
import { knownCloud } from '../../src/azure/clouds.js';
import { checkIdentity, chooseAuth, type HostEvidence, localHost, oidcSource } from '../../src/azure/identity.js';
import { resolveDeleteCommand, resolveDeployCommand } from '../../src/inputs/resolve.js';
import type { Platform } from '../../src/platform.js';

const SUBSCRIPTION = '0b1f6471-1bf0-4dda-aec3-111122223333';
const CLIENT = '5f2b7c1e-9a0d-4c3b-8e6f-444455556666';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const base = { name: 'orders', image: 'reg.io/orders:1', 'app-path': 'examples/orders' };
const aks = { 'resource-group': 'rg-apps', 'cluster-name': 'aks-prod', 'subscription-id': SUBSCRIPTION };
const platform = (oidcToken?: Platform['oidcToken']): Platform => ({
  info: () => undefined,
  warning: () => undefined,
  setSecret: () => undefined,
  setOutput: () => undefined,
  oidcToken,
  run: {},
});

describe('the cluster: a kubeconfig or an AKS cluster', () => {
  test('an AKS cluster by resource group, name and subscription', () => {
    expect(resolveDeployCommand({ ...base, ...aks, admin: 'true' }).cluster).toEqual({
      aks: {
        subscriptionId: SUBSCRIPTION,
        resourceGroup: 'rg-apps',
        clusterName: 'aks-prod',
        admin: true,
        privateCluster: 'auto',
      },
    });
    expect(resolveDeleteCommand({ name: 'orders', ...aks }).cluster).toEqual({
      aks: {
        subscriptionId: SUBSCRIPTION,
        resourceGroup: 'rg-apps',
        clusterName: 'aks-prod',
        admin: false,
        privateCluster: 'false',
      },
    });
    expect(resolveDeployCommand({ ...base, kubeconfig: '/tmp/kc' }).cluster).toEqual({ kubeconfig: '/tmp/kc' });
    expect(resolveDeployCommand({ ...base, ...aks, 'private-cluster': 'true' }).cluster).toMatchObject({
      aks: { privateCluster: 'true' },
    });
    expect(() => resolveDeployCommand({ ...base, kubeconfig: '/tmp/kc', 'private-cluster': 'true' })).toThrow(
      "input 'private-cluster': true needs an AKS cluster",
    );
    expect(() => resolveDeleteCommand({ name: 'orders', ...aks, 'private-cluster': 'true' })).toThrow(
      "input 'private-cluster' does not apply to delete",
    );
    // What run command does not offer is refused with the inputs, before an image is built.
    const privately = { ...base, ...aks, 'private-cluster': 'true' };
    expect(() => resolveDeployCommand({ ...privately, 'rollback-on-failure': 'true' })).toThrow(
      /^input 'rollback-on-failure' is not offered through AKS run command/,
    );
    expect(() => resolveDeployCommand({ ...privately, 'dry-run': 'true' })).toThrow(/^input 'dry-run': a server-side/);
    expect(resolveDeployCommand({ ...base, ...aks, 'rollback-on-failure': 'true' }).rollout.rollbackOnFailure).toBe(
      true,
    );
  });

  test('keda: addon is for AKS clusters', () => {
    expect(resolveDeployCommand({ ...base, ...aks, keda: 'addon' }).keda.mode).toBe('addon');
  });

  test.each([
    [
      { ...aks, kubeconfig: '/tmp/kc' },
      /^input 'kubeconfig' is given together with 'resource-group': give a kubeconfig, or an AKS cluster, not both$/,
    ],
    [
      { 'resource-group': 'rg-apps', 'subscription-id': SUBSCRIPTION },
      /^input 'cluster-name' is required with input 'resource-group'$/,
    ],
    [
      { 'cluster-name': 'aks-prod', 'subscription-id': SUBSCRIPTION },
      /^input 'resource-group' is required with input 'cluster-name'$/,
    ],
    [
      { 'resource-group': 'rg-apps', 'cluster-name': 'aks-prod' },
      /^input 'subscription-id' is required with an AKS cluster/,
    ],
    [{ ...aks, 'subscription-id': 'my-sub' }, /^input 'subscription-id': 'my-sub' is not a subscription ID/],
    [{ ...aks, 'resource-group': 'rg apps' }, /^input 'resource-group': 'rg apps' is not a resource group name$/],
    [{ ...aks, 'cluster-name': '-aks' }, /^input 'cluster-name': '-aks' is not an AKS cluster name$/],
    [
      { ...aks, cloud: 'AzureGermanCloud' },
      /^input 'cloud': 'AzureGermanCloud' is not AzureCloud, AzureChinaCloud, AzureUSGovernment or the https URL/,
    ],
    [{ ...aks, cloud: 'http://management.local' }, /^input 'cloud': 'http:\/\/management.local' is not/],
    [{ ...aks, 'client-id': 'app' }, /^input 'client-id': 'app' is not a client ID/],
    [{ ...aks, 'tenant-id': 'contoso' }, /^input 'tenant-id': 'contoso' is not a tenant ID/],
  ])('%j is refused', (extra, message) => {
    expect(() => resolveDeployCommand({ ...base, ...extra })).toThrow(message);
  });

  test('delete needs a cluster', () => {
    expect(() => resolveDeleteCommand({ name: 'orders' })).toThrow(
      /^input 'resource-group' and 'cluster-name' \(an AKS cluster\), or 'kubeconfig', are required/,
    );
  });

  test('clouds by name in any case, custom clouds by their Resource Manager URL, tenants by GUID or domain', () => {
    expect(resolveDeployCommand({ ...base, ...aks, cloud: 'azurechinacloud' }).azure.cloud).toBe('azurechinacloud');
    expect(knownCloud('azurechinacloud')?.armEndpoint).toBe('https://management.chinacloudapi.cn/');
    expect(
      resolveDeployCommand({ ...base, ...aks, cloud: 'https://management.local.azurestack.external/' }).azure.cloud,
    ).toBe('https://management.local.azurestack.external/');
    expect(resolveDeployCommand({ ...base, ...aks, 'tenant-id': 'contoso.onmicrosoft.com' }).azure.tenantId).toBe(
      'contoso.onmicrosoft.com',
    );
  });
});

describe('auth: auto picks in a documented order', () => {
  const github = oidcSource(
    platform(async () => 'jwt'),
    {},
  );
  const none = oidcSource(platform(), {});

  test('a client secret first, then OIDC, then a managed identity on Azure compute, then the az session', () => {
    const bare = { azureCliSignedIn: () => false, azureVirtualMachine: () => false };
    expect(chooseAuth({ auth: 'auto', clientId: CLIENT, tenantId: TENANT, clientSecret: 's' }, github, {})).toBe(
      'secret',
    );
    expect(chooseAuth({ auth: 'auto', clientId: CLIENT, tenantId: TENANT }, github, {})).toBe('oidc');
    expect(
      chooseAuth({ auth: 'auto', clientId: CLIENT, tenantId: TENANT }, none, {
        IDENTITY_ENDPOINT: 'http://169.254.169.254',
      }),
    ).toBe('managed-identity');
    expect(chooseAuth({ auth: 'auto', clientId: CLIENT }, github, {}, bare)).toBe('azure-cli');
    expect(chooseAuth({ auth: 'managed-identity', clientSecret: 's' }, github, {})).toBe('managed-identity');
  });

  test('Azure Pipelines offers OIDC through its service connection', () => {
    const env = {
      SYSTEM_OIDCREQUESTURI: 'https://dev.azure.com/org/_apis/distributedtask/hubs/build/plans/p/jobs/j/oidctoken',
      AZURESUBSCRIPTION_SERVICE_CONNECTION_ID: 'sc-1',
      SYSTEM_ACCESSTOKEN: 'tok',
    };
    expect(oidcSource(platform(), env)).toEqual({
      kind: 'azure-pipelines',
      serviceConnectionId: 'sc-1',
      systemAccessToken: 'tok',
    });
    expect(oidcSource(platform(), { ...env, SYSTEM_ACCESSTOKEN: undefined })).toBeUndefined();
    expect(github?.kind).toBe('github');
  });

  test('each way names what it is missing', () => {
    expect(() => checkIdentity('secret', { auth: 'secret', clientId: CLIENT, tenantId: TENANT }, none)).toThrow(
      /^input 'client-secret' \(or 'client-certificate'\) is required for auth: secret$/,
    );
    expect(() =>
      checkIdentity(
        'secret',
        { auth: 'secret', clientId: CLIENT, tenantId: TENANT, clientSecret: 's', clientCertificate: '-----BEGIN' },
        none,
      ),
    ).toThrow(/^inputs 'client-secret' and 'client-certificate' are both given/);
    expect(
      chooseAuth({ auth: 'auto', clientId: CLIENT, tenantId: TENANT, clientCertificate: '/tmp/app.pem' }, github, {}),
    ).toBe('secret');
    expect(() => checkIdentity('oidc', { auth: 'oidc', tenantId: TENANT }, github)).toThrow(
      /^input 'client-id' is required for auth: oidc$/,
    );
    expect(() => checkIdentity('oidc', { auth: 'oidc', clientId: CLIENT, tenantId: TENANT }, none)).toThrow(
      /^auth: oidc needs the CI system's OIDC token: on GitHub, give the job 'permissions: id-token: write'/,
    );
    expect(() => checkIdentity('azure-cli', { auth: 'azure-cli' }, none)).not.toThrow();
  });
});

describe('auth: auto beyond CI tokens: workload identity, managed identity endpoints, the az session, IMDS', () => {
  const none = oidcSource(platform(), {});
  const host = (azureCliSignedIn: boolean, azureVirtualMachine: boolean): HostEvidence => ({
    azureCliSignedIn: () => azureCliSignedIn,
    azureVirtualMachine: () => azureVirtualMachine,
  });
  const auto = { auth: 'auto' as const };
  const workloadEnv = {
    AZURE_FEDERATED_TOKEN_FILE: '/var/run/secrets/azure/tokens/azure-identity-token',
    AZURE_CLIENT_ID: CLIENT,
    AZURE_TENANT_ID: TENANT,
  };

  test('workload identity (a runner pod in AKS) comes after OIDC and before every managed identity', () => {
    expect(chooseAuth(auto, none, workloadEnv, host(true, true))).toBe('workload-identity');
    expect(chooseAuth(auto, none, { ...workloadEnv, IDENTITY_ENDPOINT: 'http://localhost:42356/msi/token' })).toBe(
      'workload-identity',
    );
    const github = oidcSource(
      platform(async () => 'jwt'),
      {},
    );
    expect(chooseAuth({ ...auto, clientId: CLIENT, tenantId: TENANT }, github, workloadEnv)).toBe('oidc');
    // All three are needed; client-id and tenant-id inputs stand in for the variables.
    expect(chooseAuth(auto, none, { ...workloadEnv, AZURE_CLIENT_ID: undefined }, host(false, false))).toBe(
      'azure-cli',
    );
    expect(
      chooseAuth(
        { ...auto, clientId: CLIENT },
        none,
        { ...workloadEnv, AZURE_CLIENT_ID: undefined },
        host(false, false),
      ),
    ).toBe('workload-identity');
    expect(chooseAuth(auto, none, { ...workloadEnv, AZURE_FEDERATED_TOKEN_FILE: undefined }, host(false, false))).toBe(
      'azure-cli',
    );
  });

  test('a signed-in az session wins over IMDS; IMDS only on an Azure VM that is not a hosted CI runner', () => {
    expect(chooseAuth(auto, none, {}, host(true, true))).toBe('azure-cli');
    expect(chooseAuth(auto, none, {}, host(false, true))).toBe('managed-identity');
    expect(chooseAuth(auto, none, {}, host(false, false))).toBe('azure-cli');
    expect(
      chooseAuth(auto, none, { AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://10.0.0.4:2579' }, host(false, false)),
    ).toBe('managed-identity');
    // GitHub's and Microsoft's hosted machines are Azure VMs with IMDS closed: never a request that would only wait.
    expect(chooseAuth(auto, none, { RUNNER_ENVIRONMENT: 'github-hosted' }, host(false, true))).toBe('azure-cli');
    expect(chooseAuth(auto, none, { ImageOS: 'ubuntu24' }, host(false, true))).toBe('azure-cli');
    expect(chooseAuth(auto, none, { RUNNER_ENVIRONMENT: 'self-hosted' }, host(false, true))).toBe('managed-identity');
  });

  test('the evidence is read from local files: the az profile (with its byte order mark) and the DMI asset tag', () => {
    const dir = mkdtempSync(join(tmpdir(), 'afd-az-profile-'));
    try {
      const signedIn = (profile: string | undefined) => {
        rmSync(join(dir, 'azureProfile.json'), { force: true });
        if (profile !== undefined) writeFileSync(join(dir, 'azureProfile.json'), profile);
        return localHost({ AZURE_CONFIG_DIR: dir }).azureCliSignedIn();
      };
      expect(signedIn('\uFEFF{"installationId":"x","subscriptions":[{"id":"s","isDefault":true}]}')).toBe(true);
      expect(signedIn('{"subscriptions":[]}')).toBe(false);
      expect(signedIn('{not json')).toBe(false);
      expect(signedIn(undefined)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(typeof localHost({}).azureVirtualMachine()).toBe('boolean');
  });

  test('auth: workload-identity names what is missing', () => {
    expect(() => checkIdentity('workload-identity', { auth: 'workload-identity' }, none, {})).toThrow(
      /^auth: workload-identity needs AZURE_FEDERATED_TOKEN_FILE: run the job in a pod labelled azure.workload.identity\/use/,
    );
    expect(() =>
      checkIdentity('workload-identity', { auth: 'workload-identity' }, none, {
        ...workloadEnv,
        AZURE_TENANT_ID: undefined,
      }),
    ).toThrow(/^input 'tenant-id' \(or AZURE_TENANT_ID\) is required for auth: workload-identity$/);
    expect(() => checkIdentity('workload-identity', { auth: 'workload-identity' }, none, workloadEnv)).not.toThrow();
    expect(resolveDeployCommand({ ...base, ...aks, auth: 'workload-identity' }).azure.auth).toBe('workload-identity');
  });
});

describe('audiences by cloud', () => {
  test('GitHub OIDC tokens are asked for the audience of the cloud, or the audience input', () => {
    expect(knownCloud('AzureCloud')?.federationAudience).toBe('api://AzureADTokenExchange');
    expect(knownCloud('AzureUSGovernment')?.federationAudience).toBe('api://AzureADTokenExchangeUSGov');
    expect(knownCloud('AzureChinaCloud')?.federationAudience).toBe('api://AzureADTokenExchangeChina');
    expect(resolveDeployCommand({ ...base, ...aks, audience: 'api://contoso-stack' }).azure.audience).toBe(
      'api://contoso-stack',
    );
    expect(() => resolveDeployCommand({ ...base, ...aks, audience: 'api://a b' })).toThrow(
      /^input 'audience': 'api:\/\/a b' is not an audience/,
    );
  });

  test('the registry login asks for the ACR audience first in every known cloud, ARM after it', () => {
    for (const name of ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud'])
      expect(knownCloud(name)?.acrScope).toBe('https://containerregistry.azure.net/.default');
  });

  test("a refused registry login names the real cause: authentication-as-arm, the identity's tenant or role", () => {
    const server = 'contoso.azurecr.io';
    const armRefused = { audience: 'ARM', stage: 'exchange', reason: '401: ARM tokens disabled' } as const;
    expect(
      acrRefusal(server, [
        { audience: 'ACR', stage: 'sign-in', reason: 'AADSTS500011: The resource principal named x was not found' },
        armRefused,
      ]),
    ).toMatch(
      /^registry contoso\.azurecr\.io refused the ARM-audience token \(401: ARM tokens disabled\) and Entra ID issued no ACR-audience token \(AADSTS500011: .*\): a registry with authentication-as-arm disabled takes only ACR-audience tokens/,
    );
    expect(
      acrRefusal(server, [{ audience: 'ACR', stage: 'exchange', reason: '401: wrong tenant' }, armRefused]),
    ).toMatch(
      /^registry contoso\.azurecr\.io refused the Azure identity's ACR-audience token \(401: wrong tenant\) and its ARM-audience token \(401: ARM tokens disabled\): the identity is not in the registry's tenant \(check tenant-id\), or has no role on it: give the Azure identity the AcrPush role/,
    );
    expect(acrRefusal(server, [armRefused])).toMatch(
      /^registry contoso\.azurecr\.io refused the Azure identity's token \(401: ARM tokens disabled\): give the Azure identity the AcrPush role/,
    );
  });
});
