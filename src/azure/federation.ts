import { setTimeout as sleep } from 'node:timers/promises';
import type { TokenCredential } from '@azure/core-auth';
import { createPipelineRequest } from '@azure/core-rest-pipeline';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { UserError } from '../errors.js';
import type { Log } from '../platform.js';
import type { AksCluster } from './aks.js';
import { armFailure } from './arm-errors.js';
import type { AzureCloud } from './clouds.js';
import { createCredentials, type Missing } from './federation-create.js';
import { findIdentities, type FoundIdentity, type IdentityClients } from './federation-identities.js';
import {
  answers,
  credentialName,
  type FederatedCredential,
  type FederationNeed,
  MAX_FEDERATED_CREDENTIALS,
} from './federation-needs.js';

/**
 * The federated identity credentials of the app's managed identities (Microsoft.ManagedIdentity
 * userAssignedIdentities/federatedIdentityCredentials, through @azure/arm-msi). Planning only reads: the cluster's
 * OIDC issuer, each identity, its credentials, the right to add one. The missing ones are created later, by the
 * plan's create(), once every other check of the deploy has passed (federation-create.ts).
 */

export type FederationMode = 'ensure' | 'check';

/** What the deploy does about the federated credentials: the federation stage's inputs. */
export interface FederationPolicy {
  /** ensure: create the missing ones; check: only warn of them. */
  readonly mode: FederationMode;
  /** Where the app's identities are in ARM, when given: read directly, with no listing. */
  readonly resourceIds: readonly string[];
}

/** What ARM says of the cluster's workload identity. */
export interface ClusterFederation {
  readonly issuerUrl?: string;
  readonly workloadIdentity: boolean;
}

export interface FederationPlan {
  /** How many credentials are missing (check: each was a warning as the plan was made). */
  readonly missing: number;
  /** Creates the missing credentials (ensure); nothing with check. */
  create(): Promise<void>;
}

const WRITE_ACTION = 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write';
const WRITER_ROLE = 'Managed Identity Contributor';
const ENABLE = 'az aks update --enable-oidc-issuer --enable-workload-identity';
const NOTHING: FederationPlan = { missing: 0, create: async () => undefined };

export async function planFederation(
  credential: TokenCredential,
  cloud: AzureCloud,
  cluster: AksCluster,
  federation: ClusterFederation,
  needs: readonly FederationNeed[],
  policy: FederationPolicy,
  log: Log,
): Promise<FederationPlan> {
  const { mode } = policy;
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
  const made = new Map<string, ManagedServiceIdentityClient>();
  const clients: IdentityClients = (subscriptionId) => {
    const client =
      made.get(subscriptionId) ??
      new ManagedServiceIdentityClient(credential, subscriptionId, {
        endpoint: cloud.armEndpoint,
        credentialScopes: [cloud.armScope],
      });
    made.set(subscriptionId, client);
    return client;
  };
  let missing: Missing[];
  try {
    const identities = await findIdentities(clients, cluster, needs, policy);
    missing = await missingCredentials(clients, identities, needs, { issuer, cloud, cluster, mode });
  } catch (error) {
    // Identities managed elsewhere may be out of this identity's sight: check only warns.
    if (mode === 'ensure' || !(error instanceof UserError)) throw error;
    log.warning(`the federated credentials were not checked: ${error.message}`);
    return NOTHING;
  }
  if (mode === 'check') {
    warnMissing(missing, issuer, cloud, log);
    return { missing: missing.length, create: async () => undefined };
  }
  await requireWriteRole(clients(cluster.subscriptionId), cloud, missing);
  return {
    missing: missing.length,
    create: () =>
      createCredentials(missing, {
        clients,
        issuer,
        audience: cloud.federationAudience,
        listCredentials: (identity) => listCredentials(clients, identity),
        log,
        sleep,
      }),
  };
}

/** The credentials each identity lacks, named; an identity that would pass Entra ID's limit stops the deploy. */
async function missingCredentials(
  clients: IdentityClients,
  identities: ReadonlyMap<string, FoundIdentity>,
  needs: readonly FederationNeed[],
  { issuer, cloud, cluster, mode }: { issuer: string; cloud: AzureCloud; cluster: AksCluster; mode: FederationMode },
): Promise<Missing[]> {
  const missing: Missing[] = [];
  for (const need of needs) {
    const identity = identities.get(need.clientId) as FoundIdentity;
    const existing = await listCredentials(clients, identity);
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

async function listCredentials(clients: IdentityClients, identity: FoundIdentity): Promise<FederatedCredential[]> {
  const credentials: FederatedCredential[] = [];
  const client = clients(identity.subscriptionId);
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

function warnMissing(missing: readonly Missing[], issuer: string, cloud: AzureCloud, log: Log): void {
  for (const entry of missing)
    log.warning(
      `managed identity ${entry.identity.name} has no federated credential for ${entry.subject}, so those pods ` +
        `cannot sign in as it (federated-credentials: check): az identity federated-credential create --name ` +
        `${entry.name} --identity-name ${entry.identity.name} --resource-group ${entry.identity.resourceGroup} ` +
        `--subscription ${entry.identity.subscriptionId} --issuer ${issuer} --subject ${entry.subject} --audiences ${cloud.federationAudience}`,
    );
}
