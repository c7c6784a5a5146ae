import type { TokenCredential } from '@azure/core-auth';
import { UserError } from '../errors.js';
import { mask, type Platform } from '../platform.js';
import type { RegistryCredentials } from '../registry/registry.js';
import type { AzureCloud } from './clouds.js';
import { httpRequest } from '../http.js';
import { pushRoleAdvice } from './acr-roles.js';

/** The user name ACR expects with a refresh token, as `az acr login` uses it. */
export const ACR_TOKEN_USER = '00000000-0000-0000-0000-000000000000';

/**
 * A registry login for the Azure identity, without az: an Entra ID token is
 * exchanged at the registry for an ACR refresh token, which Docker then uses
 * as the password of the null user.
 */
export async function acrCredentials(
  credential: TokenCredential,
  cloud: AzureCloud,
  server: string,
  tenantId: string | undefined,
  platform: Platform,
): Promise<RegistryCredentials> {
  const token = await credential.getToken(cloud.armScope);
  if (!token) throw new UserError(`Azure sign-in returned no token for registry ${server}`);
  const url = `https://${server}/oauth2/exchange`;
  const response = await httpRequest({
    url,
    form: {
      grant_type: 'access_token',
      service: server,
      access_token: token.token,
      ...(tenantId ? { tenant: tenantId } : {}),
    },
  }).catch((error: Error) => {
    throw new UserError(`cannot log into registry ${server}: ${error.message}`);
  });
  const refreshToken = (response.body as { refresh_token?: unknown } | undefined)?.refresh_token;
  if (response.status === 200 && typeof refreshToken === 'string') {
    mask(platform, refreshToken);
    return { username: ACR_TOKEN_USER, password: refreshToken };
  }
  if (response.status === 404) {
    throw new UserError(
      `registry ${server} has no ACR token exchange (${url} answered 404): for a registry that is not an ACR, ` +
        `give registry-username and registry-password`,
    );
  }
  const body = response.body as { errors?: { message?: string }[]; error_description?: string } | undefined;
  const reason = body?.errors?.[0]?.message ?? body?.error_description ?? '';
  throw new UserError(
    `registry ${server} refused the Azure identity's token (${response.status}${reason ? `: ${reason}` : ''}): ${pushRoleAdvice(server, undefined)}`,
  );
}
