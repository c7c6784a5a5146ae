import type { Identity, ManagedServiceIdentityClient } from '@azure/arm-msi';
import { UserError } from '../errors.js';
import type { AksCluster } from './aks.js';
import { armFailure } from './arm-errors.js';
import type { FederationMode } from './federation.js';
import type { FederationNeed } from './federation-needs.js';

/**
 * The app's managed identities as ARM knows them. The pods name an identity by client ID, but ARM addresses it by
 * resource ID: one given (input 'workload-identity-resource-ids') is read directly, which a role on the identity
 * allows; any other is looked for in a list of the cluster's resource group's identities, then the subscription's,
 * which takes Reader on that scope: a role on the identity alone does not list it.
 */

export interface FoundIdentity {
  readonly clientId: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
  readonly id: string;
}

/** The identity client of a subscription (a given resource ID may name another than the cluster's). */
export type IdentityClients = (subscriptionId: string) => ManagedServiceIdentityClient;

const RESOURCE_IDS = "'workload-identity-resource-ids'";

export async function findIdentities(
  clients: IdentityClients,
  cluster: AksCluster,
  needs: readonly FederationNeed[],
  given: { readonly resourceIds: readonly string[]; readonly mode: FederationMode },
): Promise<Map<string, FoundIdentity>> {
  const wanted = needs.map((need) => need.clientId);
  const found = await readGiven(clients, given.resourceIds, wanted);
  const unfound = () => wanted.filter((clientId) => !found.has(clientId));
  const take = (identity: Identity) => {
    const known = foundIdentity(identity);
    if (known && wanted.includes(known.clientId)) found.set(known.clientId, known);
  };
  const scan = async (pages: AsyncIterable<Identity>, scope: string) => {
    try {
      for await (const identity of pages) take(identity);
    } catch (error) {
      throw listingFailure(error, scope, cluster, unfound(), given.mode);
    }
  };
  const client = clients(cluster.subscriptionId);
  if (unfound().length > 0)
    await scan(
      client.userAssignedIdentities.listByResourceGroup(cluster.resourceGroup),
      `resource group ${cluster.resourceGroup}`,
    );
  if (unfound().length > 0)
    await scan(client.userAssignedIdentities.listBySubscription(), `subscription ${cluster.subscriptionId}`);
  if (unfound().length > 0)
    throw new UserError(
      `no user-assigned managed identity with client ID ${unfound().join(', ')} in subscription ` +
        `${cluster.subscriptionId}: create it (az identity create), or name an existing one's client ID in input ` +
        `'workload-identity' or the app settings' <connection>__clientId (and its resource ID in input ${RESOURCE_IDS} ` +
        'when it is in another subscription)',
    );
  return found;
}

/** Each given identity read by its resource ID; each must be one the app uses. */
async function readGiven(
  clients: IdentityClients,
  resourceIds: readonly string[],
  wanted: readonly string[],
): Promise<Map<string, FoundIdentity>> {
  const found = new Map<string, FoundIdentity>();
  for (const resourceId of resourceIds) {
    const [, subscriptionId = '', resourceGroup = '', name = ''] =
      /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/[^/]+\/[^/]+\/([^/]+)$/i.exec(resourceId) ?? [];
    const identity = await clients(subscriptionId)
      .userAssignedIdentities.get(resourceGroup, name)
      .catch((error: unknown) => {
        throw armFailure(error, `read managed identity ${name}`, {
          role: 'Managed Identity Contributor',
          scope: `the managed identity ${name}`,
          inputs: RESOURCE_IDS,
        });
      });
    const known = foundIdentity(identity);
    if (!known) throw new UserError(`Azure returned no client ID for managed identity ${name} (input ${RESOURCE_IDS})`);
    if (!wanted.includes(known.clientId))
      throw new UserError(
        `input ${RESOURCE_IDS}: managed identity ${name} has client ID ${known.clientId}, which the app does not use ` +
          `(it uses ${wanted.join(', ')}, from input 'workload-identity' and the app settings' <connection>__clientId)`,
      );
    found.set(known.clientId, known);
  }
  return found;
}

function foundIdentity(identity: Identity): FoundIdentity | undefined {
  const clientId = identity.clientId?.toLowerCase();
  const [, subscriptionId, resourceGroup] = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\//i.exec(
    identity.id ?? '',
  ) ?? [undefined, undefined, undefined];
  if (!clientId || !subscriptionId || !resourceGroup || !identity.name) return undefined;
  return { clientId, subscriptionId, resourceGroup, name: identity.name, id: identity.id as string };
}

/** A list ARM refused: the ways out that need no listing, or the role that allows it. */
function listingFailure(
  error: unknown,
  scope: string,
  cluster: AksCluster,
  unfound: readonly string[],
  mode: FederationMode,
): Error {
  if ((error as { statusCode?: number }).statusCode !== 403)
    return armFailure(error, `list the user-assigned managed identities of ${scope}`, {
      role: 'Reader',
      scope,
      inputs: "'subscription-id' and 'resource-group'",
    });
  const reason = ((error as Error).message ?? String(error)).split('\n')[0];
  return new UserError(
    `Azure refused to list the user-assigned managed identities of ${scope}, where managed identity ` +
      `${unfound.join(', ')} is looked for by client ID: ${reason} Give its resource ID in input ${RESOURCE_IDS} (then ` +
      `a role on the identity itself is enough, such as Managed Identity Contributor), or give this identity the ` +
      `'Reader' role on resource group ${cluster.resourceGroup} (when the managed identity is there) or subscription ` +
      `${cluster.subscriptionId}` +
      (mode === 'ensure' ? '; or set federated-credentials: check and manage its federated credentials yourself' : ''),
  );
}
