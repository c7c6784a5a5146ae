import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import {
  AzureCliCredential,
  AzurePipelinesCredential,
  ClientAssertionCredential,
  ClientCertificateCredential,
  type ClientCertificateCredentialOptions,
  ClientSecretCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
} from '@azure/identity';
import { UserError } from '../errors.js';
import { readInputFile } from '../files.js';
import { mask, type Platform } from '../platform.js';
import { type AzureCloud, isKnownAuthority } from './clouds.js';
import { type AuthMode, type IdentityOptions, type OidcSource, workloadIdentity } from './identity.js';

/** The credentials of @azure/identity, loaded only when a deploy signs in. */

/**
 * The credential for the chosen way. Every token it hands out is masked first.
 * For OIDC, Entra ID gets a fresh federated token each time it is asked for
 * one, so a long deploy never presents an expired assertion (AADSTS700024).
 */
export function createCredential(
  mode: AuthMode,
  options: IdentityOptions,
  cloud: AzureCloud,
  oidc: OidcSource | undefined,
  platform: Platform,
): TokenCredential {
  // MSAL asks the public cloud to vouch for an authority it does not know (a custom cloud's, a sovereign
  // deployment's); the authority here comes from the cloud's own metadata, so that question is moot.
  const common = {
    authorityHost: cloud.authorityHost,
    disableInstanceDiscovery: !isKnownAuthority(cloud.authorityHost),
  };
  const clientId = options.clientId as string;
  const tenantId = options.tenantId as string;
  let credential: TokenCredential;
  switch (mode) {
    case 'secret':
      credential = options.clientCertificate
        ? certificateCredential(tenantId, clientId, options.clientCertificate, common)
        : new ClientSecretCredential(tenantId, clientId, options.clientSecret as string, common);
      break;
    case 'oidc':
      credential =
        oidc?.kind === 'azure-pipelines'
          ? new AzurePipelinesCredential(tenantId, clientId, oidc.serviceConnectionId, oidc.systemAccessToken, common)
          : new ClientAssertionCredential(
              tenantId,
              clientId,
              () =>
                maskedAssertion(
                  oidc as Extract<OidcSource, { kind: 'github' }>,
                  options.audience ?? cloud.federationAudience,
                  platform,
                ),
              common,
            );
      break;
    case 'workload-identity': {
      // The file is the pod's projected service account token, renewed by the kubelet; the credential rereads it.
      const workload = workloadIdentity(options, process.env);
      credential = new WorkloadIdentityCredential({
        ...common,
        tenantId: workload.tenantId,
        clientId: workload.clientId,
        tokenFilePath: workload.tokenFile,
      });
      break;
    }
    case 'managed-identity':
      credential = options.clientId
        ? new ManagedIdentityCredential({ clientId: options.clientId })
        : new ManagedIdentityCredential();
      break;
    case 'azure-cli':
      credential = new AzureCliCredential(options.tenantId ? { tenantId: options.tenantId } : {});
      break;
  }
  return maskingCredential(credential, mode, platform);
}

/** The certificate as PEM content (a CI secret), as the path of a PEM file, or as base64 of PEM. */
function certificateCredential(
  tenantId: string,
  clientId: string,
  input: string,
  options: ClientCertificateCredentialOptions,
): ClientCertificateCredential {
  return new ClientCertificateCredential(tenantId, clientId, { certificate: certificatePem(input) }, options);
}

const CERTIFICATE_INPUT = "input 'client-certificate'";
const PEM = /-----BEGIN [A-Z0-9 ]+-----/;

/**
 * The certificate and its key as PEM, the one form @azure/identity reads. The file is read here, not by the
 * library, whose errors quote what it was given; the input is secret, so no error here quotes it either.
 */
export function certificatePem(input: string): string {
  if (PEM.test(input)) return withKey(input, 'is PEM');
  const trimmed = input.trim();
  const file = readInputFile(trimmed, 'client-certificate');
  if (file) return pemIn(file, 'the file');
  if (/^[A-Za-z0-9+/\s]+={0,2}$/.test(trimmed)) return pemIn(Buffer.from(trimmed, 'base64'), 'its base64');
  throw new UserError(`${CERTIFICATE_INPUT}: neither PEM content (-----BEGIN …) nor the path of an existing file`);
}

function pemIn(content: Buffer, what: string): string {
  const text = content.toString('utf8');
  if (PEM.test(text)) return withKey(text, `${what} is PEM`);
  // A DER SEQUENCE: how a PFX (PKCS#12), as the portal and Key Vault export certificates, begins.
  if (content[0] === 0x30)
    throw new UserError(
      `${CERTIFICATE_INPUT}: ${what} is a PFX (PKCS#12) or DER certificate, not PEM; convert it to PEM with its ` +
        `private key: openssl pkcs12 -in cert.pfx -nodes -out cert.pem`,
    );
  throw new UserError(`${CERTIFICATE_INPUT}: ${what} is not a PEM certificate (-----BEGIN …)`);
}

/** Sign-in needs the private key beside the certificate: without it the failure would come only from Entra ID. */
function withKey(pem: string, what: string): string {
  if (!/-----BEGIN (?:RSA |EC )?PRIVATE KEY-----/.test(pem))
    throw new UserError(
      `${CERTIFICATE_INPUT}: ${what} but holds no unencrypted private key: give the certificate with its key`,
    );
  return pem;
}

async function maskedAssertion(
  oidc: Extract<OidcSource, { kind: 'github' }>,
  audience: string,
  platform: Platform,
): Promise<string> {
  const token = await oidc.token(audience);
  mask(platform, token);
  return token;
}

function maskingCredential(inner: TokenCredential, mode: AuthMode, platform: Platform): TokenCredential {
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      let token: AccessToken | null;
      try {
        token = await inner.getToken(scopes, options);
      } catch (error) {
        throw signInFailure(error, mode);
      }
      if (token) mask(platform, token.token);
      return token;
    },
  };
}

/** One line that says which way failed and Entra ID's reason (its AADSTS code names the fix). */
function signInFailure(error: unknown, mode: AuthMode): UserError {
  const message = ((error as Error).message ?? String(error)).split('\n').find((line) => line.trim() !== '') ?? '';
  // Entra's reason runs to its Trace ID; what follows (trace, correlation, time) helps nobody here.
  const reason = /AADSTS\d+:.*?(?=\s*Trace ID:|\r|\n|$)/.exec(message)?.[0] ?? message;
  return new UserError(`Azure sign-in (auth: ${mode}) failed: ${reason}`);
}
