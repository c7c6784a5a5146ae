import * as tl from 'azure-pipelines-task-lib/task.js';
import { UserError } from '../errors.js';
import type { RawInputs } from '../inputs/resolve.js';
import { mask, type Platform } from '../platform.js';

/**
 * The Azure Resource Manager service connection, as the inputs the core
 * takes: its identity and subscription. Inputs the user gave themselves win.
 * Workload identity federation signs in with the service connection's OIDC
 * token, which the identity asks the agent for with the job's access token.
 */
export function withServiceConnection(raw: RawInputs, platform: Platform): RawInputs {
  const id = raw['azure-subscription'];
  if (!id) return raw;
  const scheme = tl.getEndpointAuthorizationScheme(id, true)?.toLowerCase();
  if (scheme === undefined) throw new UserError(`input 'azureSubscription': no service connection ${id} in this pipeline`);
  const parameter = (key: string) => tl.getEndpointAuthorizationParameter(id, key, true) || undefined;
  const fromConnection: Record<string, string | undefined> = {
    'client-id': parameter('serviceprincipalid'),
    'tenant-id': parameter('tenantid'),
    'subscription-id': tl.getEndpointDataParameter(id, 'subscriptionId', true) || undefined,
  };
  switch (scheme) {
    case 'workloadidentityfederation': {
      const accessToken = tl.getVariable('System.AccessToken');
      if (!accessToken) throw new UserError(`input 'azureSubscription': workload identity federation needs the job's access token (System.AccessToken)`);
      process.env.AZURESUBSCRIPTION_SERVICE_CONNECTION_ID = id;
      process.env.SYSTEM_ACCESSTOKEN = accessToken;
      fromConnection.auth = 'oidc';
      break;
    }
    case 'serviceprincipal': {
      const key = parameter('serviceprincipalkey');
      const certificate = parameter('servicePrincipalCertificate');
      for (const secret of [key, certificate]) if (secret) mask(platform, secret);
      Object.assign(fromConnection, { auth: 'secret', 'client-secret': key, 'client-certificate': certificate });
      break;
    }
    case 'managedserviceidentity':
      fromConnection.auth = 'managed-identity';
      break;
    default:
      throw new UserError(`input 'azureSubscription': service connection ${id} signs in with ${scheme}, which this task does not support (use workload identity federation, a service principal or a managed identity)`);
  }
  // The agent fills in task.json's defaults: auth: auto is no choice of the user's, the connection's way wins.
  const given = Object.fromEntries(Object.entries(raw).filter(([name, value]) => value !== undefined && value.trim() !== '' && !(name === 'auth' && value === 'auto')));
  return { ...fromConnection, ...given };
}
