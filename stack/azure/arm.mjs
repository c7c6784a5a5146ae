// Azure Resource Manager stand-in: the front door every management call goes
// through (api-version, Entra bearer token, subscription, RBAC, injected
// faults), the anonymous cloud metadata document, the resource group, and the
// routing of each request to its resource provider's handler: AKS (aks.mjs),
// its run command (run-command.mjs), the container registry with ACR Tasks (acr-tasks.mjs), or managed
// identities (msi.mjs).
import { checkEntraToken } from './entra.mjs';
import { armError, bearer, sendJson } from './http.mjs';
import { msiRoute } from './msi.mjs';
import { ARM_AUDIENCES, retryAfter, uuid } from './state.mjs';

/** The route kinds served by the registry's handler and the managed identities'; the rest are the managed cluster's. */
const REGISTRY_KINDS = ['registries', 'registry', 'uploadUrl', 'scheduleRun', 'run', 'runLog'];
const IDENTITY_KINDS = ['msiList', 'msiGet', 'ficList', 'fic', 'permissions'];

/** Maps an ARM request to its route, the RBAC action it needs and the scope that action is checked on. */
function armRoute(method, url) {
  const seg = url.pathname.split('/').filter(Boolean);
  const is = (i, word) => seg[i]?.toLowerCase() === word;
  if (!is(0, 'subscriptions') || !seg[1]) return undefined;
  const identities = msiRoute(method, seg);
  if (identities) return identities;
  const sub = seg[1];
  if (is(2, 'resourcegroups') && seg[3]) {
    const rg = seg[3];
    const rgScope = `/subscriptions/${sub}/resourceGroups/${rg}`;
    if (seg.length === 4 && method === 'GET')
      return { kind: 'rg', sub, rg, action: 'Microsoft.Resources/subscriptions/resourceGroups/read', scope: rgScope };
    if (!is(4, 'providers')) return undefined;
    if (seg.length === 7 && method === 'GET' && is(5, 'microsoft.containerregistry') && is(6, 'registries')) {
      return { kind: 'registries', sub, rg, action: 'Microsoft.ContainerRegistry/registries/read', scope: rgScope };
    }
    if (!seg[7]) return undefined;
    const name = seg[7];
    if (is(5, 'microsoft.containerregistry') && is(6, 'registries'))
      return registryRoute(method, seg, {
        sub,
        rg,
        name,
        scope: `${rgScope}/providers/Microsoft.ContainerRegistry/registries/${name}`,
      });
    if (!is(5, 'microsoft.containerservice') || !is(6, 'managedclusters')) return undefined;
    const scope = `${rgScope}/providers/Microsoft.ContainerService/managedClusters/${name}`;
    const base = 'Microsoft.ContainerService/managedClusters';
    if (seg.length === 8 && method === 'GET') return { kind: 'get', sub, rg, name, action: `${base}/read`, scope };
    if (seg.length === 8 && method === 'PUT') return { kind: 'put', sub, rg, name, action: `${base}/write`, scope };
    if (seg.length === 9 && method === 'POST' && is(8, 'listclusterusercredential')) {
      return { kind: 'userCredential', sub, rg, name, action: `${base}/listClusterUserCredential/action`, scope };
    }
    if (seg.length === 9 && method === 'POST' && is(8, 'listclusteradmincredential')) {
      return { kind: 'adminCredential', sub, rg, name, action: `${base}/listClusterAdminCredential/action`, scope };
    }
    if (seg.length === 9 && method === 'POST' && is(8, 'runcommand'))
      return { kind: 'runCommand', sub, rg, name, action: `${base}/runCommand/action`, scope };
    if (seg.length === 10 && method === 'GET' && is(8, 'commandresults'))
      return { kind: 'commandResult', sub, rg, name, id: seg[9], action: `${base}/commandResults/read`, scope };
    return undefined;
  }
  if (
    is(2, 'providers') &&
    is(3, 'microsoft.containerregistry') &&
    is(4, 'registries') &&
    seg.length === 5 &&
    method === 'GET'
  ) {
    return {
      kind: 'registries',
      sub,
      action: 'Microsoft.ContainerRegistry/registries/read',
      scope: `/subscriptions/${sub}`,
    };
  }
  if (
    is(2, 'providers') &&
    is(3, 'microsoft.containerservice') &&
    is(4, 'locations') &&
    is(6, 'operations') &&
    seg.length === 8 &&
    method === 'GET'
  ) {
    return {
      kind: 'operation',
      sub,
      id: seg[7],
      action: 'Microsoft.ContainerService/locations/operations/read',
      scope: `/subscriptions/${sub}/providers/Microsoft.ContainerService/locations/${seg[5]}/operations/${seg[7]}`,
    };
  }
  return undefined;
}

/** The registry itself and its ACR Tasks operations, each with the RBAC action `az acr build` needs. */
function registryRoute(method, seg, base) {
  const is = (i, word) => seg[i]?.toLowerCase() === word;
  const route = (kind, action, extra = {}) => ({
    kind,
    ...base,
    action: `Microsoft.ContainerRegistry/registries/${action}`,
    ...extra,
  });
  if (seg.length === 8 && method === 'GET') return route('registry', 'read');
  if (seg.length === 9 && method === 'POST' && is(8, 'listbuildsourceuploadurl'))
    return route('uploadUrl', 'listBuildSourceUploadUrl/action');
  if (seg.length === 9 && method === 'POST' && is(8, 'schedulerun')) return route('scheduleRun', 'scheduleRun/action');
  if (!is(8, 'runs') || !seg[9]) return undefined;
  const run = { runId: seg[9], scope: `${base.scope}/runs/${seg[9]}` };
  if (seg.length === 10 && method === 'GET') return route('run', 'runs/read', run);
  if (seg.length === 11 && method === 'POST' && is(10, 'listlogsasurl'))
    return route('runLog', 'runs/listLogSasUrl/action', run);
  return undefined;
}

const authorizationFailed = (state, res, route, claims) =>
  armError(
    res,
    403,
    'AuthorizationFailed',
    `The client '${claims?.appid ?? state.options.clientId}' with object id '${claims?.oid ?? state.principalObjectId}' does not have authorization to perform action '${route?.action ?? 'unknown'}' over scope '${route?.scope ?? 'unknown'}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );

function armFault(state, res, fault, route) {
  const headers = retryAfter(fault);
  if (fault.status === 403) return authorizationFailed(state, res, route);
  if (fault.status === 429) {
    return armError(
      res,
      429,
      'SubscriptionRequestsThrottled',
      `Number of requests for subscription '${state.options.subscriptionId}' and operation '${route?.action ?? 'unknown'}' exceeded the backend storage limit. Please try again after '${fault.retryAfter ?? 5}' seconds.`,
      headers,
    );
  }
  if (fault.status === 503)
    return armError(
      res,
      503,
      'ServiceUnavailable',
      'The service is currently unavailable. Please try again later.',
      headers,
    );
  return armError(
    res,
    fault.status,
    'InternalServerError',
    'Encountered internal server error. Please try again later.',
    headers,
  );
}

/** The cloud metadata document, in the 2022-09-01 (single cloud object) shape. */
function cloudMetadata(state) {
  const acrSuffix = { AzureCloud: 'azurecr.io', AzureUSGovernment: 'azurecr.us', AzureChinaCloud: 'azurecr.cn' };
  return {
    portal: 'https://portal.azure.com',
    authentication: {
      loginEndpoint: state.origin.login,
      audiences: ['https://management.core.windows.net/', 'https://management.azure.com/'],
      tenant: 'common',
      identityProvider: 'AAD',
    },
    media: 'https://rest.media.azure.net',
    graphAudience: 'https://graph.windows.net/',
    graph: 'https://graph.windows.net/',
    // The cloud this ARM says it is: a known cloud's ARM names itself, and that is how a client tells the clouds apart.
    name: state.options.cloud,
    suffixes: {
      azureDataLakeStoreFileSystem: 'azuredatalakestore.net',
      acrLoginServer: acrSuffix[state.options.cloud],
      sqlServerHostname: 'database.windows.net',
      azureDataLakeAnalyticsCatalogAndJob: 'azuredatalakeanalytics.net',
      keyVaultDns: 'vault.azure.net',
      storage: 'core.windows.net',
      azureFrontDoorEndpointSuffix: 'azurefd.net',
      storageSyncEndpointSuffix: 'afs.azure.net',
      mhsmDns: 'managedhsm.azure.net',
      mysqlServerEndpoint: 'mysql.database.azure.com',
      postgresqlServerEndpoint: 'postgres.database.azure.com',
      mariadbServerEndpoint: 'mariadb.database.azure.com',
      synapseAnalytics: 'dev.azuresynapse.net',
      attestationEndpoint: 'attest.azure.net',
    },
    batch: 'https://batch.core.windows.net/',
    resourceManager: `${state.origin.arm}/`,
    vmImageAliasDoc:
      'https://raw.githubusercontent.com/Azure/azure-rest-api-specs/main/arm-compute/quickstart-templates/aliases.json',
    activeDirectoryDataLake: 'https://datalake.azure.net/',
    sqlManagement: 'https://management.core.windows.net:8443/',
    microsoftGraphResourceId: 'https://graph.microsoft.com/',
    appInsightsResourceId: 'https://api.applicationinsights.io',
    appInsightsTelemetryChannelResourceId: 'https://dc.applicationinsights.azure.com/v2/track',
    attestationResourceId: 'https://attest.azure.net',
    synapseAnalyticsResourceId: 'https://dev.azuresynapse.net',
    logAnalyticsResourceId: 'https://api.loganalytics.io',
    ossrDbmsResourceId: 'https://ossrdbms-aad.database.windows.net',
    gallery: 'https://gallery.azure.com/',
  };
}

/**
 * The ARM endpoint (`armEndpoint`). `services` are the resource providers behind it, each
 * `(req, res, route)`: `clusters` (managedClusters and their operations) and `registries`.
 */
export const createArmHandler = (state, services) => (req, res, url) => armHandler(state, services, req, res, url);

async function armHandler(state, services, req, res, url) {
  const o = state.options;
  res.setHeader('x-ms-request-id', uuid());
  res.setHeader('x-ms-correlation-request-id', req.headers['x-ms-correlation-request-id'] ?? uuid());
  const route = armRoute(req.method, url);
  const fault = state.takeFault('arm');
  if (fault) return armFault(state, res, fault, route);
  if (!url.searchParams.get('api-version')) {
    return armError(
      res,
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  }
  // Cloud discovery is anonymous, as on management.azure.com.
  if (req.method === 'GET' && url.pathname === '/metadata/endpoints') return sendJson(res, 200, cloudMetadata(state));

  const token = bearer(req);
  const challenge = (desc) => ({
    'www-authenticate': `Bearer authorization_uri="${state.origin.login}/", error="invalid_token", error_description="${desc}"`,
  });
  if (!token) {
    return armError(
      res,
      401,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is missing.",
      challenge("The authentication failed because of missing 'Authorization' header."),
    );
  }
  const auth = checkEntraToken(state, token, ARM_AUDIENCES);
  if (!auth.claims) return armError(res, 401, auth.code, auth.message, challenge('The access token is invalid.'));

  if (!route)
    return armError(
      res,
      404,
      'NotFound',
      `No HTTP resource was found that matches the request URI '${state.origin.arm}${url.pathname}'.`,
    );
  // Other subscriptions hold only managed identities.
  const subscriptions = [o.subscriptionId, ...(IDENTITY_KINDS.includes(route.kind) ? o.otherSubscriptions : [])];
  if (!subscriptions.includes(route.sub))
    return armError(res, 404, 'SubscriptionNotFound', `The subscription '${route.sub}' could not be found.`);
  // Reading one's own permissions needs no role.
  if (route.action && !state.isAllowed(route.action, route.scope))
    return authorizationFailed(state, res, route, auth.claims);
  if (route.kind === 'operation') return services.clusters(req, res, route);
  // Identities may live in resource groups of their own.
  if (IDENTITY_KINDS.includes(route.kind)) return services.identities(req, res, route);
  if (route.rg && route.rg.toLowerCase() !== o.resourceGroup.toLowerCase()) {
    return armError(res, 404, 'ResourceGroupNotFound', `Resource group '${route.rg}' could not be found.`);
  }
  if (route.kind === 'rg') {
    return sendJson(res, 200, {
      id: `/subscriptions/${o.subscriptionId}/resourceGroups/${o.resourceGroup}`,
      name: o.resourceGroup,
      type: 'Microsoft.Resources/resourceGroups',
      location: o.location,
      properties: { provisioningState: 'Succeeded' },
    });
  }
  if (REGISTRY_KINDS.includes(route.kind)) return services.registries(req, res, route);
  if (route.kind === 'runCommand' || route.kind === 'commandResult') return services.runCommands(req, res, route, url);
  return services.clusters(req, res, route);
}
