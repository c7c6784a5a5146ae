import type { TokenCredential } from '@azure/core-auth';
import { UserError } from '../errors.js';
import { mask, type Platform } from '../platform.js';
import type { RegistryCredentials } from '../registry/registry.js';
import type { AzureCloud } from './clouds.js';
import { httpRequest } from '../http.js';
import { pushRoleAdvice } from './acr-roles.js';

/** The user name ACR expects with a refresh token, as `az acr login` uses it. */
export const ACR_TOKEN_USER = '00000000-0000-0000-0000-000000000000';

/** One audience's try at the token exchange: the refresh token, or why there is none. */
export interface Refusal {
  readonly audience: 'ACR' | 'ARM';
  /** Entra ID issued no token for the audience, or the registry refused the one it issued. */
  readonly stage: 'sign-in' | 'exchange';
  readonly reason: string;
}
type Attempt = { readonly refreshToken: string } | Refusal;

/**
 * A registry login for the Azure identity, without az: an Entra ID token is
 * exchanged at the registry for an ACR refresh token, which Docker then uses
 * as the password of the null user. The ACR-audience token goes first: every
 * registry takes it, while a registry whose authentication-as-arm is disabled
 * refuses ARM-audience tokens. The ARM token is the fallback for a tenant or
 * cloud that issues no ACR-audience token.
 */
export async function acrCredentials(
  credential: TokenCredential,
  cloud: AzureCloud,
  server: string,
  tenantId: string | undefined,
  platform: Platform,
): Promise<RegistryCredentials> {
  const audiences = [
    ...(cloud.acrScope ? [{ audience: 'ACR' as const, scope: cloud.acrScope }] : []),
    { audience: 'ARM' as const, scope: cloud.armScope },
  ];
  const failures: Refusal[] = [];
  for (const { audience, scope } of audiences) {
    const attempt = await exchange(credential, audience, scope, server, tenantId);
    if ('refreshToken' in attempt) {
      mask(platform, attempt.refreshToken);
      const [declined] = failures;
      if (declined)
        platform.info(`registry ${server}: signed in with an ARM-audience token (ACR audience: ${declined.reason})`);
      return { username: ACR_TOKEN_USER, password: attempt.refreshToken };
    }
    failures.push(attempt);
  }
  throw new UserError(acrRefusal(server, failures));
}

async function exchange(
  credential: TokenCredential,
  audience: 'ACR' | 'ARM',
  scope: string,
  server: string,
  tenantId: string | undefined,
): Promise<Attempt> {
  let accessToken: string;
  try {
    const token = await credential.getToken(scope);
    if (!token) return { audience, stage: 'sign-in', reason: `Entra ID returned no token for ${scope}` };
    accessToken = token.token;
  } catch (error) {
    // The ARM token signed the deploy in already, so only the ACR resource can fail here (AADSTS500011: no such
    // resource in the tenant or cloud); the ARM token comes next.
    if (audience === 'ARM') throw error;
    return { audience, stage: 'sign-in', reason: (error as Error).message };
  }
  const url = `https://${server}/oauth2/exchange`;
  const response = await httpRequest({
    url,
    form: {
      grant_type: 'access_token',
      service: server,
      access_token: accessToken,
      ...(tenantId ? { tenant: tenantId } : {}),
    },
  }).catch((error: Error) => {
    throw new UserError(`cannot log into registry ${server}: ${error.message}`);
  });
  const refreshToken = (response.body as { refresh_token?: unknown } | undefined)?.refresh_token;
  if (response.status === 200 && typeof refreshToken === 'string') return { refreshToken };
  if (response.status === 404) {
    throw new UserError(
      `registry ${server} has no ACR token exchange (${url} answered 404): for a registry that is not an ACR, ` +
        `give registry-username and registry-password`,
    );
  }
  const body = response.body as { errors?: { message?: string }[]; error_description?: string } | undefined;
  const detail = body?.errors?.[0]?.message ?? body?.error_description ?? '';
  return { audience, stage: 'exchange', reason: `${response.status}${detail ? `: ${detail}` : ''}` };
}

/** The one line that names why no audience worked, and so which fix applies. */
export function acrRefusal(server: string, failures: readonly Refusal[]): string {
  const acr = failures.find((failure) => failure.audience === 'ACR');
  const arm = failures.find((failure) => failure.audience === 'ARM') as Refusal;
  if (acr?.stage === 'sign-in') {
    return (
      `registry ${server} refused the ARM-audience token (${arm.reason}) and Entra ID issued no ACR-audience token ` +
      `(${acr.reason}): a registry with authentication-as-arm disabled takes only ACR-audience tokens; ask for the ` +
      `registry's policy (az acr config authentication-as-arm show) or sign in where the ACR audience is available`
    );
  }
  if (acr?.stage === 'exchange') {
    return (
      `registry ${server} refused the Azure identity's ACR-audience token (${acr.reason}) and its ARM-audience ` +
      `token (${arm.reason}): the identity is not in the registry's tenant (check tenant-id), or has no role on it: ` +
      pushRoleAdvice(server, undefined)
    );
  }
  return `registry ${server} refused the Azure identity's token (${arm.reason}): ${pushRoleAdvice(server, undefined)}`;
}
