import { pushRoleAdvice } from '../../src/azure/acr-roles.js';
import { unresolvedRegistry } from '../../src/image/registry-hints.js';

describe('the role a refused push needs follows the registry role assignment mode', () => {
  test('ABAC mode: the repository-scoped writer role, and why AcrPush is not it', () => {
    expect(pushRoleAdvice('contoso.azurecr.io', 'AbacRepositoryPermissions')).toBe(
      "give the Azure identity the 'Container Registry Repository Writer' role on registry contoso.azurecr.io: its " +
        'role assignment mode is AbacRepositoryPermissions, where AcrPush grants nothing',
    );
  });

  test('legacy mode: AcrPush alone', () => {
    expect(pushRoleAdvice('contoso.azurecr.io', 'LegacyRegistryPermissions')).toBe(
      'give the Azure identity the AcrPush role on registry contoso.azurecr.io',
    );
  });

  test('mode unknown: both, with the mode that decides', () => {
    expect(pushRoleAdvice('contoso.azurecr.io', undefined)).toMatch(
      /AcrPush role on registry contoso\.azurecr\.io, or the 'Container Registry Repository Writer' role if its role assignment mode is AbacRepositoryPermissions/,
    );
  });
});

describe('a registry login server that does not resolve', () => {
  test('says that a hashed login server must be given, and how to find it', async () => {
    // .invalid never resolves (RFC 6761).
    const error = await unresolvedRegistry('contoso.azurecr.invalid', undefined, undefined);
    expect(error?.message).toBe(
      "input 'registry': contoso.azurecr.invalid does not resolve; a registry created with a domain name label " +
        'scope has a login server with a hash (contoso-<hash>.azurecr.io), and it must be given by that: ' +
        'az acr show --name contoso --query loginServer',
    );
  });

  test('is no such case when the host resolves (the failure was something else)', async () => {
    expect(await unresolvedRegistry('localhost:5000', undefined, undefined)).toBeUndefined();
  });
});
