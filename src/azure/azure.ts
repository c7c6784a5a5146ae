import type { TokenCredential } from '@azure/core-auth';
import type { AzureOptions } from '../inputs/resolve.js';
import type { Platform } from '../platform.js';
import { resolveCloud } from './cloud.js';
import type { AzureCloud } from './clouds.js';
import { type AuthMode, checkIdentity, chooseAuth, createCredential, oidcSource } from './identity.js';

export interface AzureSession {
  readonly credential: TokenCredential;
  readonly cloud: AzureCloud;
  readonly tenantId?: string;
}

export interface AzurePlan {
  readonly mode: AuthMode;
  /** Opens the session once (the cloud's endpoints, the credential); later calls share it. */
  session(): Promise<AzureSession>;
}

/**
 * The Azure identity, checked without a network call: which way to sign in
 * and that every input it needs is there. Signing in happens on first use.
 */
export function planAzure(options: AzureOptions, platform: Platform): AzurePlan {
  const oidc = oidcSource(platform);
  const mode = chooseAuth(options, oidc);
  checkIdentity(mode, options, oidc);
  let opened: Promise<AzureSession> | undefined;
  return {
    mode,
    session: () =>
      (opened ??= resolveCloud(options.cloud).then((cloud) => {
        platform.info(`Azure: signing in with auth ${mode} in ${cloud.name}`);
        return { cloud, tenantId: options.tenantId, credential: createCredential(mode, options, cloud, oidc, platform) };
      })),
  };
}
