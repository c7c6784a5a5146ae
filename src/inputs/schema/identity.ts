import { BUILD, DEPLOY, type InputSpec } from './spec.js';

/** The app's own Azure identity (workload identity), apart from the identity that deploys it. */

export const WORKLOAD_IDENTITY_INPUTS: readonly InputSpec[] = [
  {
    name: 'workload-identity',
    group: 'azure',
    kind: 'string',
    commands: BUILD,
    description:
      "Client ID of the user-assigned managed identity the app's pods run as (Azure workload identity): their service " +
      "accounts name it, KEDA's TriggerAuthentications use it. Default: the first <connection>__clientId of the app " +
      'settings.',
  },
  {
    name: 'workload-identity-tenant',
    group: 'azure',
    kind: 'string',
    commands: BUILD,
    description:
      "Tenant of the workload identity, when it is not the cluster's (the service accounts' azure.workload.identity/tenant-id).",
  },
  {
    name: 'workload-identity-resource-ids',
    group: 'azure',
    kind: 'text',
    commands: DEPLOY,
    description:
      "Resource IDs of the app's managed identities, one a line (/subscriptions/…/resourceGroups/…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>): where deploy finds them to add their federated credentials, with no role beyond one on each identity (Managed Identity Contributor). Without it, an identity is found by its client ID in a list of the cluster's resource group's identities, then the subscription's, which needs Reader there.",
  },
  {
    name: 'federated-credentials',
    group: 'azure',
    kind: 'enum',
    commands: DEPLOY,
    default: 'ensure',
    values: ['ensure', 'check'],
    description:
      "ensure: create on each managed identity the federated credentials its pods and KEDA's operator need (issuer: the AKS cluster's OIDC issuer); check: only warn of missing ones, for identities managed elsewhere.",
  },
];
