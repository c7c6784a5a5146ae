import type { Platform } from '../../src/platform.js';

// The service connection as the agent hands it to a task, set before the task library loads.
const ID = 'sc-managed-1';
process.env[`ENDPOINT_AUTH_SCHEME_${ID}`] = 'ManagedServiceIdentity';
process.env[`ENDPOINT_DATA_${ID}_SUBSCRIPTIONID`] = '0b1f6471-1bf0-4dda-aec3-111122223333';
// An Azure Container Registry connection with a service principal, as the Docker Registry connection dialog makes it.
process.env.ENDPOINT_AUTH_SCHEME_acr = 'ServicePrincipal';
process.env.ENDPOINT_DATA_acr_REGISTRYTYPE = 'ACR';
process.env.ENDPOINT_AUTH_PARAMETER_acr_LOGINSERVER = 'myacr.azurecr.io';
process.env.ENDPOINT_AUTH_PARAMETER_acr_SERVICEPRINCIPALID = 'app-id-1';
process.env.ENDPOINT_AUTH_PARAMETER_acr_SERVICEPRINCIPALKEY = 'sp-key-secret-1';
const { withServiceConnections } = await import('../../src/shells/task-connection.js');
const masked: string[] = [];
const platform: Platform = { info: () => undefined, warning: () => undefined, setSecret: (value) => masked.push(value), setOutput: () => undefined, run: {} };

test("the connection's way of signing in wins over task.json's default auth: auto; inputs the user set win over the connection", () => {
  expect(withServiceConnections({ 'azure-subscription': ID, auth: 'auto' }, platform)).toMatchObject({ auth: 'managed-identity', 'subscription-id': '0b1f6471-1bf0-4dda-aec3-111122223333' });
  expect(withServiceConnections({ 'azure-subscription': ID, 'subscription-id': '11111111-2222-3333-4444-555555555555' }, platform)).toMatchObject({ 'subscription-id': '11111111-2222-3333-4444-555555555555' });
});

test('an unknown service connection is an input error', () => {
  expect(() => withServiceConnections({ 'azure-subscription': 'nope' }, platform)).toThrow(/^input 'azureSubscription': no service connection nope in this pipeline$/);
});

test('an ACR connection with a service principal logs in as that principal, masked, and names the registry to push to', () => {
  expect(withServiceConnections({ 'docker-registry-service-connection': 'acr' }, platform)).toMatchObject({ registry: 'myacr.azurecr.io', 'registry-username': 'app-id-1', 'registry-password': 'sp-key-secret-1' });
  expect(masked).toContain('sp-key-secret-1');
  // An image given: the login is for looking up its digest, and the registry stays unset.
  expect(withServiceConnections({ 'docker-registry-service-connection': 'acr', image: 'myacr.azurecr.io/orders:1' }, platform).registry).toBeUndefined();
  expect(withServiceConnections({ 'docker-registry-service-connection': 'acr', registry: 'MyAcr.azurecr.io' }, platform).registry).toBe('MyAcr.azurecr.io');
});
