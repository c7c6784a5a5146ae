import type { Platform } from '../../src/platform.js';

// The service connection as the agent hands it to a task, set before the task library loads.
const ID = 'sc-managed-1';
process.env[`ENDPOINT_AUTH_SCHEME_${ID}`] = 'ManagedServiceIdentity';
process.env[`ENDPOINT_DATA_${ID}_SUBSCRIPTIONID`] = '0b1f6471-1bf0-4dda-aec3-111122223333';
const { withServiceConnection } = await import('../../src/shells/task-connection.js');
const platform: Platform = { info: () => undefined, warning: () => undefined, setSecret: () => undefined, setOutput: () => undefined, run: {} };

test("the connection's way of signing in wins over task.json's default auth: auto; inputs the user set win over the connection", () => {
  expect(withServiceConnection({ 'azure-subscription': ID, auth: 'auto' }, platform)).toMatchObject({ auth: 'managed-identity', 'subscription-id': '0b1f6471-1bf0-4dda-aec3-111122223333' });
  expect(withServiceConnection({ 'azure-subscription': ID, 'subscription-id': '11111111-2222-3333-4444-555555555555' }, platform)).toMatchObject({ 'subscription-id': '11111111-2222-3333-4444-555555555555' });
});

test('an unknown service connection is an input error', () => {
  expect(() => withServiceConnection({ 'azure-subscription': 'nope' }, platform)).toThrow(/^input 'azureSubscription': no service connection nope in this pipeline$/);
});
