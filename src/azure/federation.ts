import type { TokenCredential } from '@azure/core-auth';
import { createPipelineRequest } from '@azure/core-rest-pipeline';
import { type Identity, ManagedServiceIdentityClient } from '@azure/arm-msi';
import { UserError } from '../errors.js';
import type { Log } from '../platform.js';
import type { AksCluster } from './aks.js';
import { armFailure } from './arm-errors.js';
import type { AzureCloud } from './clouds.js';
import {
  answers,
  credentialName,
  type FederatedCredential,
  type FederationNeed,
  MAX_FEDERATED_CREDENTIALS,
} from './federation-needs.js';

/**
 * The federated identity credentials of the app's managed identities (Microsoft.ManagedIdentity
 * userAssignedIdentities/federatedIdentityCredentials, through @azure/arm-msi): everything is read and checked
 * first (the cluster's OIDC issuer, each identity, its credentials, the right to add one), and only then are the
 * missing ones created, one at a time (ARM refuses concurrent writes under one identity with 409). Credentials that
 * already answer are left alone; others are never changed or deleted.
 */

export type FederationMode = 'ensure' | 'check';

/** What ARM says of the cluster's workload identity. */
export interface ClusterFederation {
  readonly issuerUrl?: string;
  readonly workloadIdentity: boolean;
}

interface FoundIdentity {
  readonly clientId: string;
  readonly resourceGroup: string;
  readonly name: string;
  readonly id: string;
}

interface Missing {
  readonly identity: FoundIdentity;
  readonly name: string;
  readonly subject: string;
}

export interface FederationPlan {
  readonly missing: number;
  /** Creates the missing credentials (ensure); a warning per missing one (check). */
  apply(): Promise<void>;
}

const WRITE_ACTION = 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write';
const WRITER_ROLE = 'Managed Identity Contributor';
const ENABLE = 'az aks update --enable-oidc-issuer --enable-workload-identity';
const NOTHING: FederationPlan = { missing: 0, apply: async () => undefined };

export async function planFederation(
  credential: TokenCredential,
  cloud: AzureCloud,
  cluster: AksCluster,
  federation: ClusterFederation,
  needs: readonly FederationNeed[],
  mode: FederationMode,
  log: Log,
): Promise<FederationPlan> {
  const where = `AKS cluster ${cluster.clusterName} in resource group ${cluster.resourceGroup}`;
  const issuer = federation.issuerUrl;
  if (!issuer || !federation.workloadIdentity) {
    const lacks = [!issuer ? 'no OIDC issuer' : '', !federation.workloadIdentity ? 'workload identity off' : '']
      .filter(Boolean)
      .join(' and ');
    const message =
      `${where} has ${lacks}, so the app's pods cannot sign in as their managed identity: enable both with ` +
      `${ENABLE} --resource-group ${cluster.resourceGroup} --name ${cluster.clusterName}`;
    if (mode === 'ensure') throw new UserError(message);
    log.warning(message);
    return NOTHING;
  }
  const client = new ManagedServiceIdentityClient(credential, cluster.subscriptionId, {
    endpoint: cloud.armEndpoint,
    credentialScopes: [cloud.armScope],
  });
  let missing: Missing[];
  try {
    const identities = await findIdentities(client, cluster, needs);
    missing = await missingCredentials(client, identities, needs, { issuer, cloud, cluster, mode });
  } catch (error) {
    // Identities managed elsewhere may be out of this identity's sight: check only warns.
    if (mode === 'ensure' || !(error instanceof UserError)) throw error;
    log.warning(`the federated credentials were not checked: ${error.message}`);
    return NOTHING;
  }
  if (mode === 'ensure') await requireWriteRole(client, cloud, missing);
  return {
    missing: missing.length,
    apply: () =>
      mode === 'ensure' ? create(client, missing, issuer, cloud, log) : warnMissing(missing, issuer, cloud, log),
  };
}

/** The credentials each identity lacks, named; an identity that would pass Entra ID's limit stops the deploy. */
async function missingCredentials(
  client: ManagedServiceIdentityClient,
  identities: ReadonlyMap<string, FoundIdentity>,
  needs: readonly FederationNeed[],
  { issuer, cloud, cluster, mode }: { issuer: string; cloud: AzureCloud; cluster: AksCluster; mode: FederationMode },
): Promise<Missing[]> {
  const missing: Missing[] = [];
  for (const need of needs) {
    const identity = identities.get(need.clientId) as FoundIdentity;
    const existing = await listCredentials(client, identity);
    const taken = new Set(existing.map((known) => (known.name ?? '').toLowerCase()));
    const absent = need.subjects.filter(
      (subject) => !existing.some((known) => answers(known, issuer, subject, cloud.federationAudience)),
    );
    if (mode === 'ensure' && existing.length + absent.length > MAX_FEDERATED_CREDENTIALS)
      throw new UserError(
        `managed identity ${identity.name} has ${existing.length} federated credentials and needs ${absent.length} ` +
          `more, but Entra ID allows ${MAX_FEDERATED_CREDENTIALS} on one identity: delete ones no longer used ` +
          `(az identity federated-credential list --identity-name ${identity.name} --resource-group ` +
          `${identity.resourceGroup}), or give this app an identity of its own (input 'workload-identity')`,
      );
    for (const subject of absent) {
      const name = credentialName(cluster.clusterName, issuer, subject, taken);
      taken.add(name.toLowerCase());
      missing.push({ identity, name, subject });
    }
  }
  return missing;
}

/**
 * Each identity by its client ID: ARM knows an identity by its resource ID, so the identities of the cluster's
 * resource group are listed first (where AKS identities usually live; Reader there, or Managed Identity Operator,
 * allows it), then the subscription's.
 */
async function findIdentities(
  client: ManagedServiceIdentityClient,
  cluster: AksCluster,
  needs: readonly FederationNeed[],
): Promise<Map<string, FoundIdentity>> {
  const found = new Map<string, FoundIdentity>();
  const wanted = needs.map((need) => need.clientId);
  const take = (identity: Identity) => {
    const clientId = identity.clientId?.toLowerCase();
    const group = /\/resourceGroups\/([^/]+)\//i.exec(identity.id ?? '')?.[1];
    if (clientId && wanted.includes(clientId) && group && identity.name)
      found.set(clientId, { clientId, resourceGroup: group, name: identity.name, id: identity.id as string });
  };
  const scan = async (pages: AsyncIterable<Identity>, scope: string) => {
    try {
      for await (const identity of pages) take(identity);
    } catch (error) {
      throw armFailure(error, `list the user-assigned managed identities of ${scope} (to find them by client ID)`, {
        role: 'Managed Identity Operator',
        scope,
        inputs: "'workload-identity' and the app settings' <connection>__clientId",
      });
    }
  };
  await scan(
    client.userAssignedIdentities.listByResourceGroup(cluster.resourceGroup),
    `resource group ${cluster.resourceGroup}`,
  );
  if (wanted.some((clientId) => !found.has(clientId)))
    await scan(client.userAssignedIdentities.listBySubscription(), `subscription ${cluster.subscriptionId}`);
  const unknown = wanted.filter((clientId) => !found.has(clientId));
  if (unknown.length > 0)
    throw new UserError(
      `no user-assigned managed identity with client ID ${unknown.join(', ')} in subscription ` +
        `${cluster.subscriptionId}: create it (az identity create), or name an existing one's client ID in input ` +
        `'workload-identity' or the app settings' <connection>__clientId`,
    );
  return found;
}

async function listCredentials(
  client: ManagedServiceIdentityClient,
  identity: FoundIdentity,
): Promise<FederatedCredential[]> {
  const credentials: FederatedCredential[] = [];
  try {
    for await (const credential of client.federatedIdentityCredentials.list(identity.resourceGroup, identity.name))
      credentials.push(credential);
  } catch (error) {
    throw armFailure(error, `read the federated credentials of managed identity ${identity.name}`, {
      role: 'Managed Identity Operator',
      scope: `the managed identity ${identity.name} (or resource group ${identity.resourceGroup})`,
      inputs: "'workload-identity'",
    });
  }
  return credentials;
}

/**
 * Before anything is written: may this identity add federated credentials to each identity? ARM's permissions of the
 * caller on the identity say so (Microsoft.Authorization/permissions, api-version 2022-04-01).
 */
async function requireWriteRole(
  client: ManagedServiceIdentityClient,
  cloud: AzureCloud,
  missing: readonly Missing[],
): Promise<void> {
  const identities = [...new Map(missing.map((entry) => [entry.identity.id, entry.identity])).values()];
  for (const identity of identities) {
    const url = `${cloud.armEndpoint.replace(/\/+$/, '')}${identity.id}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`;
    const response = await client.sendRequest(createPipelineRequest({ url, method: 'GET' }));
    // Not allowed to read its own permissions: the write itself will say whether it may.
    if (response.status !== 200) continue;
    const permissions = (JSON.parse(response.bodyAsText ?? '{}') as { value?: Permission[] }).value ?? [];
    if (!permissions.some((permission) => grants(permission, WRITE_ACTION)))
      throw new UserError(
        `this identity may not add federated credentials to managed identity ${identity.name} (it lacks ` +
          `${WRITE_ACTION}): give it the '${WRITER_ROLE}' role on the managed identity (or resource group ` +
          `${identity.resourceGroup}), or set federated-credentials: check and create them yourself`,
      );
  }
}

interface Permission {
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
}

function grants(permission: Permission, action: string): boolean {
  const matches = (pattern: string) =>
    new RegExp(
      `^${pattern
        .split('*')
        .map((part) => part.replace(/[.?+^$()[\]{}|\\/]/g, '\\$&'))
        .join('.*')}$`,
      'i',
    ).test(action);
  return (permission.actions ?? []).some(matches) && !(permission.notActions ?? []).some(matches);
}

async function create(
  client: ManagedServiceIdentityClient,
  missing: readonly Missing[],
  issuer: string,
  cloud: AzureCloud,
  log: Log,
): Promise<void> {
  for (const entry of missing) {
    await client.federatedIdentityCredentials
      .createOrUpdate(entry.identity.resourceGroup, entry.identity.name, entry.name, {
        issuer,
        subject: entry.subject,
        audiences: [cloud.federationAudience],
      })
      .catch((error: unknown) => {
        throw armFailure(error, `add a federated credential to managed identity ${entry.identity.name}`, {
          role: WRITER_ROLE,
          scope: `the managed identity ${entry.identity.name} (or resource group ${entry.identity.resourceGroup})`,
          inputs: "'workload-identity'",
        });
      });
    log.info(`federated credential ${entry.name} on managed identity ${entry.identity.name}: ${entry.subject}`);
  }
}

async function warnMissing(missing: readonly Missing[], issuer: string, cloud: AzureCloud, log: Log): Promise<void> {
  for (const entry of missing)
    log.warning(
      `managed identity ${entry.identity.name} has no federated credential for ${entry.subject}, so those pods ` +
        `cannot sign in as it (federated-credentials: check): az identity federated-credential create --name ` +
        `${entry.name} --identity-name ${entry.identity.name} --resource-group ${entry.identity.resourceGroup} ` +
        `--issuer ${issuer} --subject ${entry.subject} --audiences ${cloud.federationAudience}`,
    );
}
