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
