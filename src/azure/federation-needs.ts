import { createHash } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';

/**
 * Which federated identity credentials an app needs, and which of an identity's existing ones already answer: pure,
 * so the rules are tested without Azure. Entra ID matches a token's issuer, subject and audience exactly
 * (case-sensitively), so these comparisons are exact too.
 */

/** Entra ID's limit of federated identity credentials on one user-assigned managed identity. */
export const MAX_FEDERATED_CREDENTIALS = 20;

export interface FederationNeed {
  readonly clientId: string;
  /** `system:serviceaccount:<namespace>:<name>` of each service account whose pods sign in as the identity. */
  readonly subjects: readonly string[];
}

/** A federated identity credential as ARM returns it (`properties` flattened, as the SDK gives it). */
export interface FederatedCredential {
  readonly name?: string;
  readonly issuer?: string;
  readonly subject?: string;
  readonly audiences?: readonly string[];
}

export const serviceAccountSubject = (namespace: string, name: string) => `system:serviceaccount:${namespace}:${name}`;

/** Where KEDA's operator runs and the service account its pods run as. */
export interface KedaOperatorAccount {
  readonly namespace: string;
  readonly serviceAccount: string;
}

/**
 * Every identity the app's pods use needs its service accounts federated (a pod signs every connection in with the
 * same projected token); an identity KEDA signs in as (a TriggerAuthentication's identityId) needs KEDA's operator too.
 */
export function federationNeeds(
  objects: readonly KubernetesObject[],
  clientIds: readonly string[],
  kedaOperator: KedaOperatorAccount | undefined,
): FederationNeed[] {
  const accounts = objects
    .filter((object) => object.kind === 'ServiceAccount' && object.metadata?.annotations?.[CLIENT_ID] !== undefined)
    .map((object) => serviceAccountSubject(object.metadata?.namespace as string, object.metadata?.name as string));
  const kedaIds = new Set(
    objects
      .filter((object) => object.kind === 'TriggerAuthentication')
      .map((object) => (object as { spec?: { podIdentity?: { identityId?: string } } }).spec?.podIdentity?.identityId)
      .filter((id): id is string => id !== undefined)
      .map((id) => id.toLowerCase()),
  );
  const keda = kedaOperator ? [serviceAccountSubject(kedaOperator.namespace, kedaOperator.serviceAccount)] : [];
  return [...new Set([...clientIds, ...kedaIds])].map((clientId) => ({
    clientId,
    subjects: [...(clientIds.includes(clientId) ? accounts : []), ...(kedaIds.has(clientId) ? keda : [])],
  }));
}

const CLIENT_ID = 'azure.workload.identity/client-id';

export function answers(credential: FederatedCredential, issuer: string, subject: string, audience: string): boolean {
  return (
    credential.issuer === issuer && credential.subject === subject && (credential.audiences ?? []).includes(audience)
  );
}

/** The ARM name rule of a federated identity credential (ManagedIdentity.json 2024-11-30). */
const CREDENTIAL_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-_]{2,119}$/;

/**
 * A name for a new credential: readable (cluster, namespace, account), unique to the issuer and subject by a hash,
 * within ARM's rule, and not one of `taken` (a credential of that name holding something else stays as it is).
 */
export function credentialName(cluster: string, issuer: string, subject: string, taken: ReadonlySet<string>): string {
  const readable = `${cluster}-${subject.replace(/^system:serviceaccount:/, '')}`
    .replace(/[^a-zA-Z0-9-_]+/g, '-')
    .replace(/^[^a-zA-Z0-9]+/, '')
    .slice(0, 100);
  const hash = createHash('sha256').update(`${issuer}\n${subject}`).digest('hex').slice(0, 8);
  let name = `${readable || 'aks'}-${hash}`;
  for (let suffix = 2; taken.has(name.toLowerCase()); suffix++) name = `${readable || 'aks'}-${hash}-${suffix}`;
  if (!CREDENTIAL_NAME.test(name)) throw new Error(`federated credential name '${name}' breaks ARM's rule`);
  return name;
}
