import type { Platform } from '../../src/platform.js';
import { endpointEnv } from '../task-runner/run-task.js';

// The service connections as the agent hands them to a task, set before the task library loads.
const ID = 'sc-managed-1';
Object.assign(
  process.env,
  endpointEnv(ID, {
    scheme: 'ManagedServiceIdentity',
    data: { subscriptionId: '0b1f6471-1bf0-4dda-aec3-111122223333' },
  }),
  // An Azure Container Registry connection with a service principal, as the Docker Registry connection dialog makes it.
  endpointEnv('acr', {
    scheme: 'ServicePrincipal',
    data: { registrytype: 'ACR' },
    auth: { loginServer: 'myacr.azurecr.io', serviceprincipalid: 'app-id-1', serviceprincipalkey: 'sp-key-secret-1' },
  }),
  // Docker Hub, as the dialog stores it.
  endpointEnv('hub', {
    scheme: 'UsernamePassword',
    auth: { registry: 'https://index.docker.io/v1/', username: 'contoso', password: 'hub-token-secret-1' },
  }),
  // A service principal in Azure China.
  endpointEnv('china', {
    scheme: 'ServicePrincipal',
    data: { environment: 'AzureChinaCloud' },
    auth: { serviceprincipalid: 'app-id-2', serviceprincipalkey: 'sp-key-secret-2' },
  }),
);
const { withServiceConnections } = await import('../../src/shells/task-connection.js');
const masked: string[] = [];
const platform: Platform = {
  info: () => undefined,
  warning: () => undefined,
  setSecret: (value) => masked.push(value),
  setOutput: () => undefined,
  run: {},
};

test("the connection's way of signing in wins over task.json's default auth: auto; inputs the user set win over the connection", () => {
  expect(withServiceConnections({ 'azure-subscription': ID, auth: 'auto' }, platform)).toMatchObject({
    auth: 'managed-identity',
    'subscription-id': '0b1f6471-1bf0-4dda-aec3-111122223333',
  });
  expect(
    withServiceConnections(
      { 'azure-subscription': ID, 'subscription-id': '11111111-2222-3333-4444-555555555555' },
      platform,
    ),
  ).toMatchObject({ 'subscription-id': '11111111-2222-3333-4444-555555555555' });
});

test('an unknown service connection is an input error', () => {
  expect(() => withServiceConnections({ 'azure-subscription': 'nope' }, platform)).toThrow(
    /^input 'azureSubscription': no service connection nope in this pipeline$/,
  );
});

test('an ACR connection with a service principal logs in as that principal, masked, and names the registry to push to', () => {
  expect(withServiceConnections({ 'docker-registry-service-connection': 'acr' }, platform)).toMatchObject({
    registry: 'myacr.azurecr.io',
    'registry-username': 'app-id-1',
    'registry-password': 'sp-key-secret-1',
  });
  expect(masked).toContain('sp-key-secret-1');
  // An image given: the login is for looking up its digest, and the registry stays unset.
  expect(
    withServiceConnections(
      { 'docker-registry-service-connection': 'acr', image: 'myacr.azurecr.io/orders:1' },
      platform,
    ).registry,
  ).toBeUndefined();
  expect(
    withServiceConnections({ 'docker-registry-service-connection': 'acr', registry: 'MyAcr.azurecr.io' }, platform)
      .registry,
  ).toBe('MyAcr.azurecr.io');
});

test("a Docker Hub connection pushes to docker.io under the user's name; a registry given as docker.io is the same registry", () => {
  expect(
    withServiceConnections({ 'docker-registry-service-connection': 'hub', name: 'orders' }, platform),
  ).toMatchObject({ registry: 'docker.io', repository: 'contoso/orders', 'registry-username': 'contoso' });
  expect(
    withServiceConnections(
      { 'docker-registry-service-connection': 'hub', name: 'orders', registry: 'docker.io', repository: 'team/orders' },
      platform,
    ),
  ).toMatchObject({ registry: 'docker.io', repository: 'team/orders' });
});

test("the connection's cloud wins over task.json's default cloud, not over one the user chose", () => {
  expect(withServiceConnections({ 'azure-subscription': 'china', cloud: 'AzureCloud' }, platform)).toMatchObject({
    cloud: 'AzureChinaCloud',
    auth: 'secret',
  });
  expect(
    withServiceConnections({ 'azure-subscription': 'china', cloud: 'https://management.local/' }, platform).cloud,
  ).toBe('https://management.local/');
});
