import { knownCloud } from '../../src/azure/clouds.js';
import { checkIdentity, chooseAuth, oidcSource } from '../../src/azure/identity.js';
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
      aks: { subscriptionId: SUBSCRIPTION, resourceGroup: 'rg-apps', clusterName: 'aks-prod', admin: true },
    });
    expect(resolveDeleteCommand({ name: 'orders', ...aks }).cluster).toEqual({
      aks: { subscriptionId: SUBSCRIPTION, resourceGroup: 'rg-apps', clusterName: 'aks-prod', admin: false },
    });
    expect(resolveDeployCommand({ ...base, kubeconfig: '/tmp/kc' }).cluster).toEqual({ kubeconfig: '/tmp/kc' });
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
    expect(chooseAuth({ auth: 'auto', clientId: CLIENT, tenantId: TENANT, clientSecret: 's' }, github, {})).toBe(
      'secret',
    );
    expect(chooseAuth({ auth: 'auto', clientId: CLIENT, tenantId: TENANT }, github, {})).toBe('oidc');
    expect(
      chooseAuth({ auth: 'auto', clientId: CLIENT, tenantId: TENANT }, none, {
        IDENTITY_ENDPOINT: 'http://169.254.169.254',
      }),
    ).toBe('managed-identity');
    expect(chooseAuth({ auth: 'auto', clientId: CLIENT }, github, {})).toBe('azure-cli');
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
