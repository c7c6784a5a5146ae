import { UserError } from '../errors.js';
import type { Platform } from '../platform.js';

export type AuthMode = 'oidc' | 'secret' | 'azure-cli' | 'managed-identity';

export interface IdentityOptions {
  readonly auth: AuthMode | 'auto';
  readonly clientId?: string;
  readonly tenantId?: string;
  readonly clientSecret?: string;
  /** PEM (certificate and private key), or the path of a PEM file. */
  readonly clientCertificate?: string;
}

/** The audience Entra ID expects of a federated (OIDC) token. */
export const FEDERATION_AUDIENCE = 'api://AzureADTokenExchange';

/** Where a federated token comes from: the CI system's OIDC issuer. */
export type OidcSource =
  | { readonly kind: 'github'; readonly token: (audience: string) => Promise<string> }
  | { readonly kind: 'azure-pipelines'; readonly serviceConnectionId: string; readonly systemAccessToken: string };

/** The OIDC issuer this run can use, as its environment shows. */
export function oidcSource(platform: Platform, env: NodeJS.ProcessEnv = process.env): OidcSource | undefined {
  if (platform.oidcToken) return { kind: 'github', token: platform.oidcToken };
  const serviceConnectionId = env.AZURESUBSCRIPTION_SERVICE_CONNECTION_ID;
  const systemAccessToken = env.SYSTEM_ACCESSTOKEN;
  if (env.SYSTEM_OIDCREQUESTURI && serviceConnectionId && systemAccessToken)
    return { kind: 'azure-pipelines', serviceConnectionId, systemAccessToken };
  return undefined;
}

/**
 * auth: auto, in this order: a client secret when one is given; OIDC when the
 * CI system offers a token and the app is named; a managed identity on Azure
 * compute; else the session of `az login` / azure/login.
 */
export function chooseAuth(
  options: IdentityOptions,
  oidc: OidcSource | undefined,
  env: NodeJS.ProcessEnv = process.env,
): AuthMode {
  if (options.auth !== 'auto') return options.auth;
  if (options.clientSecret || options.clientCertificate) return 'secret';
  if (oidc && options.clientId && options.tenantId) return 'oidc';
  if (env.IDENTITY_ENDPOINT || env.MSI_ENDPOINT) return 'managed-identity';
  return 'azure-cli';
}

/** Every input the chosen way needs, checked before anything runs. */
export function checkIdentity(mode: AuthMode, options: IdentityOptions, oidc: OidcSource | undefined): void {
  const need = (input: string, value: string | undefined) => {
    if (!value) throw new UserError(`input '${input}' is required for auth: ${mode}`);
  };
  if (mode === 'secret' || mode === 'oidc') {
    need('client-id', options.clientId);
    need('tenant-id', options.tenantId);
  }
  if (mode === 'secret' && !options.clientSecret && !options.clientCertificate)
    throw new UserError(`input 'client-secret' (or 'client-certificate') is required for auth: secret`);
  if (options.clientSecret && options.clientCertificate)
    throw new UserError(`inputs 'client-secret' and 'client-certificate' are both given: give one`);
  if (mode === 'oidc' && !oidc) {
    throw new UserError(
      `auth: oidc needs the CI system's OIDC token: on GitHub, give the job 'permissions: id-token: write'; on ` +
        `Azure Pipelines, use a workload identity federation service connection`,
    );
  }
}
