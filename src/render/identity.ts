import type { V1ServiceAccount } from '@kubernetes/client-node';
import { UserError } from '../errors.js';
import type { AppSettings } from '../discovery/model.js';
import type { ObjectFactory } from './objects.js';

/**
 * Azure workload identity for the app's pods: which managed identities the app uses, the annotations that name the
 * default one on its service accounts, and the service account of the event pods. Pure.
 */

/** What the azure-workload-identity webhook reads off a service account. */
export const CLIENT_ID_ANNOTATION = 'azure.workload.identity/client-id';
export const TENANT_ID_ANNOTATION = 'azure.workload.identity/tenant-id';

/** The `workload-identity` inputs: the default identity of the app's pods, and its tenant. */
export interface WorkloadIdentityOptions {
  /** Client ID of the user-assigned managed identity; absent: the first `<connection>__clientId`. */
  readonly clientId?: string;
  readonly tenantId?: string;
}

export interface AppIdentity {
  /** What the service accounts' annotation names: the identity a credential without a client ID gets. */
  readonly defaultClientId: string;
  /** Every identity the pods use (the default first): each needs a federated credential for the pods' accounts. */
  readonly clientIds: readonly string[];
  readonly tenantId?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The parts of a setting that say a connection is identity-based (the Functions host's own suffixes). */
const IDENTITY_PART =
  /__(?:accountname|(?:blob|queue|table)serviceuri|serviceuri|fullyqualifiednamespace|credential|clientid)$/i;

/**
 * The managed identities of the app: the input's first, then every `<connection>__clientId` of the settings in their
 * order (the host signs each connection in with its own). Undefined when the app names none; a warning when it has
 * identity-based connections all the same, whose pods would then have no Azure identity.
 */
export function appIdentity(
  settings: AppSettings,
  options: WorkloadIdentityOptions | undefined,
  warn: (message: string) => void,
): AppIdentity | undefined {
  const fromSettings = Object.entries(settings.values)
    .filter(([key]) => /__clientid$/i.test(key))
    .map(([key, value]) => {
      if (!GUID.test(value.trim()))
        throw new UserError(`app setting '${key}' is not a client ID (a GUID): it names a managed identity`);
      return value.trim().toLowerCase();
    });
  const clientIds = [...new Set([...(options?.clientId ? [options.clientId.toLowerCase()] : []), ...fromSettings])];
  const [defaultClientId] = clientIds;
  if (defaultClientId === undefined) {
    const connections = Object.keys(settings.values).filter((key) => IDENTITY_PART.test(key));
    if (connections.length > 0)
      warn(
        `app settings ${connections.map((key) => `'${key}'`).join(', ')} make identity-based connections, but no ` +
          `managed identity is named (input 'workload-identity', or a <connection>__clientId setting): the pods get ` +
          `no Azure identity and cannot sign in to those services`,
      );
    return undefined;
  }
  return { defaultClientId, clientIds, ...(options?.tenantId ? { tenantId: options.tenantId } : {}) };
}

/** The annotations that give a service account's pods the app's default identity. */
export function identityAnnotations(identity: AppIdentity): Record<string, string> {
  return {
    [CLIENT_ID_ANNOTATION]: identity.defaultClientId,
    ...(identity.tenantId ? { [TENANT_ID_ANNOTATION]: identity.tenantId } : {}),
  };
}

/**
 * The event pods' own service account: the identity and nothing else (no role is bound to it). The HTTP pods keep
 * the keys account, which gets the same annotations: the event pods never hold the keys Role.
 */
export function eventServiceAccount(name: string, identity: AppIdentity, make: ObjectFactory): V1ServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { ...make(name, 'events'), annotations: identityAnnotations(identity) },
    // The pods run with no Kubernetes API token: the webhook's projected Azure token is a volume of its own.
    automountServiceAccountToken: false,
  };
}
