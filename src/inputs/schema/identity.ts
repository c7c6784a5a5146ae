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
