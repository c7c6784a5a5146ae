import type { TokenCredential } from '@azure/core-auth';
import type { Platform } from '../platform.js';
import { resolveCloud } from './cloud.js';
import type { AzureCloud } from './clouds.js';
import { type AuthMode, checkIdentity, chooseAuth, type IdentityOptions, oidcSource } from './identity.js';

/** The Azure identity and cloud: the sign-in stage's input. */
export interface AzureOptions extends IdentityOptions {
  /** A cloud name, or the https ARM endpoint of a custom cloud. */
  readonly cloud: string;
}

export interface AzureSession {
  readonly credential: TokenCredential;
  readonly cloud: AzureCloud;
  readonly tenantId?: string;
}

export interface AzurePlan {
  readonly mode: AuthMode;
  /**
   * Opens the session once (the cloud's endpoints, the credential, and one
   * sign-in, so a wrong identity shows before anything changes); later calls share it.
   */
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
  if (options.auth === 'auto' && mode === 'azure-cli' && options.clientId) {
    platform.warning(
      `auth: auto found no secret, OIDC token, workload identity or managed identity, so it uses the az session, ` +
        `which ignores client-id; for a user-assigned managed identity set auth: managed-identity`,
    );
  }
  let opened: Promise<AzureSession> | undefined;
  return {
    mode,
    session: () =>
      (opened ??= resolveCloud(options.cloud).then(async (cloud) => {
        platform.info(`Azure: signing in with auth ${mode} in ${cloud.name}`);
        // @azure/identity is heavy: only a run that signs in loads it.
        const { createCredential } = await import('./credential.js');
        const credential = createCredential(mode, options, cloud, oidc, platform);
        await credential.getToken(cloud.armScope);
        return { cloud, tenantId: options.tenantId, credential };
      })),
  };
}
