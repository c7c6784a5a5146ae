import type { FederationPolicy } from '../azure/federation.js';
import { UserError } from '../errors.js';
import type { WorkloadIdentityOptions } from '../render/identity.js';
import { GUID } from './checks.js';
import type { InputValues } from './values.js';

/** The workload identity inputs: the default identity of the app's pods and its tenant, both GUIDs. */
export function resolveWorkloadIdentity(values: InputValues): WorkloadIdentityOptions | undefined {
  const clientId = values.string('workload-identity');
  const tenantId = values.string('workload-identity-tenant');
  if (clientId !== undefined && !GUID.test(clientId))
    throw new UserError(
      `input 'workload-identity': '${clientId}' is not a client ID (a GUID): give the client ID of the user-assigned ` +
        'managed identity (az identity show --query clientId)',
    );
  if (tenantId !== undefined && !GUID.test(tenantId))
    throw new UserError(`input 'workload-identity-tenant': '${tenantId}' is not a tenant ID (a GUID)`);
  if (tenantId !== undefined && clientId === undefined)
    throw new UserError(`input 'workload-identity-tenant' is given without input 'workload-identity'`);
  return clientId === undefined ? undefined : { clientId, ...(tenantId ? { tenantId } : {}) };
}

/** ARM's resource ID of a user-assigned managed identity (names compared case-insensitively, as ARM does). */
const IDENTITY_RESOURCE_ID =
  /^\/subscriptions\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/resourceGroups\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/]+$/i;

/** How deploy treats the federated credentials: ensure or check, and where the identities are, when given. */
export function resolveFederation(values: InputValues): FederationPolicy {
  const lines = (values.string('workload-identity-resource-ids') ?? '').split(/\r?\n/).map((line) => line.trim());
  const resourceIds = lines.filter((line, index) => {
    if (line === '') return false;
    if (!IDENTITY_RESOURCE_ID.test(line))
      throw new UserError(
        `input 'workload-identity-resource-ids': line ${index + 1} is not the resource ID of a user-assigned ` +
          'managed identity (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ManagedIdentity/' +
          'userAssignedIdentities/<name>; az identity show --query id)',
      );
    return true;
  });
  return { mode: values.required('federated-credentials') as FederationPolicy['mode'], resourceIds };
}
