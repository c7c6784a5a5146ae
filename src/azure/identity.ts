import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { Platform } from '../platform.js';

export type AuthMode = 'oidc' | 'secret' | 'workload-identity' | 'azure-cli' | 'managed-identity';

export interface IdentityOptions {
  readonly auth: AuthMode | 'auto';
  readonly clientId?: string;
  readonly tenantId?: string;
  readonly clientSecret?: string;
  /** PEM (certificate and private key), or the path of a PEM file. */
  readonly clientCertificate?: string;
  /** The audience of the GitHub OIDC token, for a custom cloud's federated credential; else the cloud's. */
  readonly audience?: string;
}

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

/** What this machine says about itself, read from local files only: `auth: auto` never waits on the network. */
export interface HostEvidence {
  /** `az login` or azure/login left a session with a subscription. */
  azureCliSignedIn(): boolean;
  /** The machine is an Azure VM or VMSS instance (its firmware says so), where IMDS serves its managed identity. */
  azureVirtualMachine(): boolean;
}

/** Azure's chassis asset tag, which every Azure VM's firmware (DMI) carries. */
const AZURE_ASSET_TAG = '7783-7084-3265-9085-8269-3286-77';

const readText = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

export function localHost(env: NodeJS.ProcessEnv = process.env): HostEvidence {
  return {
    azureCliSignedIn() {
      // Azure CLI writes the profile with a byte order mark.
      const profile = readText(join(env.AZURE_CONFIG_DIR ?? join(homedir(), '.azure'), 'azureProfile.json'));
      try {
        const subscriptions = (JSON.parse(profile?.replace(/^\uFEFF/, '') ?? '{}') as { subscriptions?: unknown })
          .subscriptions;
        return Array.isArray(subscriptions) && subscriptions.length > 0;
      } catch {
        return false;
      }
    },
    azureVirtualMachine: () => readText('/sys/class/dmi/id/chassis_asset_tag')?.trim() === AZURE_ASSET_TAG,
  };
}

/**
 * Hosted CI machines (GitHub's runners, Microsoft's Azure Pipelines agents) are Azure VMs whose IMDS is closed to
 * jobs: a token request there would only wait. Their images set ImageOS; GitHub's runner also says so itself.
 */
const hostedRunner = (env: NodeJS.ProcessEnv) => env.RUNNER_ENVIRONMENT === 'github-hosted' || Boolean(env.ImageOS);

/** AKS workload identity's webhook gives the pod these three (and AZURE_AUTHORITY_HOST). */
export const workloadIdentity = (options: IdentityOptions, env: NodeJS.ProcessEnv) => ({
  tokenFile: env.AZURE_FEDERATED_TOKEN_FILE,
  clientId: options.clientId ?? env.AZURE_CLIENT_ID,
  tenantId: options.tenantId ?? env.AZURE_TENANT_ID,
});

/**
 * auth: auto, in this order: a client secret when one is given; OIDC when the
 * CI system offers a token and the app is named; AKS workload identity (a
 * federated token file); a managed identity endpoint (App Service, Functions,
 * Arc); the session of `az login` when there is one; the managed identity of
 * an Azure VM (IMDS) that is not a hosted CI runner; else the az session,
 * whose error says to sign in. Each step reads only the environment and local files.
 */
export function chooseAuth(
  options: IdentityOptions,
  oidc: OidcSource | undefined,
  env: NodeJS.ProcessEnv = process.env,
  host: HostEvidence = localHost(env),
): AuthMode {
  if (options.auth !== 'auto') return options.auth;
  if (options.clientSecret || options.clientCertificate) return 'secret';
  if (oidc && options.clientId && options.tenantId) return 'oidc';
  const workload = workloadIdentity(options, env);
  if (workload.tokenFile && workload.clientId && workload.tenantId) return 'workload-identity';
  if (env.IDENTITY_ENDPOINT || env.MSI_ENDPOINT) return 'managed-identity';
  if (host.azureCliSignedIn()) return 'azure-cli';
  // AZURE_POD_IDENTITY_AUTHORITY_HOST names the IMDS to use (as @azure/identity reads it), so it is evidence too.
  if (env.AZURE_POD_IDENTITY_AUTHORITY_HOST || (!hostedRunner(env) && host.azureVirtualMachine()))
    return 'managed-identity';
  return 'azure-cli';
}

/** Every input the chosen way needs, checked before anything runs. */
export function checkIdentity(
  mode: AuthMode,
  options: IdentityOptions,
  oidc: OidcSource | undefined,
  env: NodeJS.ProcessEnv = process.env,
): void {
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
  if (mode === 'workload-identity') {
    const workload = workloadIdentity(options, env);
    if (!workload.tokenFile)
      throw new UserError(
        `auth: workload-identity needs AZURE_FEDERATED_TOKEN_FILE: run the job in a pod labelled ` +
          `azure.workload.identity/use: "true" whose service account names the identity ` +
          `(annotation azure.workload.identity/client-id)`,
      );
    for (const [input, variable, value] of [
      ['client-id', 'AZURE_CLIENT_ID', workload.clientId],
      ['tenant-id', 'AZURE_TENANT_ID', workload.tenantId],
    ] as const) {
      if (!value) throw new UserError(`input '${input}' (or ${variable}) is required for auth: workload-identity`);
    }
  }
}
