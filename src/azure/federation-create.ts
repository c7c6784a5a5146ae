import type { Log } from '../platform.js';
import { armFailure } from './arm-errors.js';
import type { FoundIdentity, IdentityClients } from './federation-identities.js';
import { answers, type FederatedCredential } from './federation-needs.js';

/**
 * The missing federated credentials written, one at a time: Entra ID refuses concurrent writes of federated
 * credentials under one user-assigned identity with 409 Conflict and asks for them in sequence (Microsoft Learn,
 * "Important considerations and restrictions for federated identity credentials": concurrent updates aren't
 * supported). Another deploy sharing the identity (a matrix job) may still be writing, so a refused write reads the
 * identity's credentials again: one that now answers is what was wanted; otherwise it waits and writes again.
 */

export interface Missing {
  readonly identity: FoundIdentity;
  readonly name: string;
  readonly subject: string;
}

export interface CreateContext {
  readonly clients: IdentityClients;
  readonly issuer: string;
  readonly audience: string;
  readonly listCredentials: (identity: FoundIdentity) => Promise<FederatedCredential[]>;
  readonly log: Log;
  /** Waits between writes (node:timers/promises' setTimeout). */
  readonly sleep: (milliseconds: number) => Promise<unknown>;
}

/** Writes again after a 409 up to six times, waiting about 1, 2, 4, 8, 16 and 16 s (each ±50%). */
const RETRIES = 6;
const FIRST_WAIT_MS = 1000;
const LONGEST_WAIT_MS = 16_000;
const WRITER_ROLE = 'Managed Identity Contributor';

export async function createCredentials(missing: readonly Missing[], context: CreateContext): Promise<void> {
  for (const entry of missing) await createOne(entry, context);
}

async function createOne(entry: Missing, context: CreateContext): Promise<void> {
  const { identity, name, subject } = entry;
  const { issuer, audience, log } = context;
  const client = context.clients(identity.subscriptionId);
  for (let retry = 0; ; retry++) {
    try {
      await client.federatedIdentityCredentials.createOrUpdate(identity.resourceGroup, identity.name, name, {
        issuer,
        subject,
        audiences: [audience],
      });
      log.info(`federated credential ${name} on managed identity ${identity.name}: ${subject}`);
      return;
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      // 409: another writer under this identity; 400 may be one that wrote this issuer and subject meanwhile.
      if (status === 409 || status === 400) {
        const now = await context.listCredentials(identity);
        const made = now.find((credential) => answers(credential, issuer, subject, audience));
        if (made) {
          log.info(
            `federated credential ${made.name ?? name} on managed identity ${identity.name}: ${subject} (written ` +
              'by another deploy meanwhile)',
          );
          return;
        }
      }
      if (status !== 409 || retry >= RETRIES)
        throw armFailure(error, `add a federated credential to managed identity ${identity.name}`, {
          role: WRITER_ROLE,
          scope: `the managed identity ${identity.name} (or resource group ${identity.resourceGroup})`,
          inputs: "'workload-identity'",
        });
      const wait = waitBefore(retry, retryAfterMs(error));
      log.info(
        `managed identity ${identity.name} is being written by another client (Azure answered 409): writing its ` +
          `federated credential for ${subject} again in ${(wait / 1000).toFixed(1)}s`,
      );
      await context.sleep(wait);
    }
  }
}

/**
 * Exponential, with jitter so that deploys refused together do not write together again; never less than the
 * answer's Retry-After.
 */
export function waitBefore(retry: number, retryAfter: number | undefined, random = Math.random): number {
  const exponential = Math.min(FIRST_WAIT_MS * 2 ** retry, LONGEST_WAIT_MS);
  return Math.max(Math.round(exponential * (0.5 + random())), retryAfter ?? 0);
}

function retryAfterMs(error: unknown): number | undefined {
  const header = (
    error as { response?: { headers?: { get(name: string): string | undefined } } }
  ).response?.headers?.get('retry-after');
  const seconds = header === undefined ? Number.NaN : Number(header);
  return Number.isFinite(seconds) ? seconds * 1000 : undefined;
}
