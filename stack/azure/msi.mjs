// Managed identities behind ARM (the Microsoft.ManagedIdentity resource provider): user-assigned
// identities (list by resource group and subscription, get) and their federated identity credentials
// (list, get, PUT, DELETE), as azure-rest-api-specs specification/msi/resource-manager/
// Microsoft.ManagedIdentity/stable/2024-11-30/ManagedIdentity.json describes them (the version
// @azure/arm-msi 2.2 sends), with what the service refuses beyond the spec from Microsoft Learn
// ("Important considerations and restrictions for federated identity credentials",
// MicrosoftDocs/entra-docs workload-identity-federation-considerations.md, and its included limits):
// at most 20 credentials on an identity, one audience, an https issuer, an issuer and subject pair
// unique on the identity, and no concurrent writes under one identity (409). The messages of its
// Errors table are used where it gives one; the concurrent-write body is the service's as quoted in
// Azure/bicep-registry-modules#1447; the others are ours. Also the caller's permissions on a scope
// (Microsoft.Authorization/permissions, 2022-04-01), from the stand-in's RBAC switches.
import { armError, armNotFound, readBody, sendJson } from './http.mjs';
import { uuid } from './state.mjs';

const TYPE = 'Microsoft.ManagedIdentity/userAssignedIdentities';
const CREDENTIAL_TYPE = `${TYPE}/federatedIdentityCredentials`;
/** ManagedIdentity.json: federatedIdentityCredentialResourceName. */
const CREDENTIAL_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-_]{2,119}$/;
export const MAX_FEDERATED_CREDENTIALS = 20;

/**
 * The identities the stand-in knows, from `options.identities` ([{ name, resourceGroup?, clientId?, subscriptionId? }];
 * another subscription than the cluster's must be one of `options.otherSubscriptions`).
 */
export function createIdentities(o) {
  return (o.identities ?? []).map((given) => ({
    name: given.name,
    subscriptionId: given.subscriptionId ?? o.subscriptionId,
    resourceGroup: given.resourceGroup ?? o.resourceGroup,
    clientId: given.clientId ?? uuid(),
    principalId: uuid(),
    credentials: new Map(),
  }));
}

const identityId = (identity) =>
  `/subscriptions/${identity.subscriptionId}/resourcegroups/${identity.resourceGroup}/providers/${TYPE}/${identity.name}`;

function identityResource(state, identity) {
  const o = state.options;
  return {
    id: identityId(identity),
    name: identity.name,
    type: TYPE,
    location: o.location,
    tags: {},
    properties: {
      tenantId: o.tenantId,
      principalId: identity.principalId,
      clientId: identity.clientId,
      isolationScope: 'None',
    },
  };
}

function credentialResource(state, identity, credential) {
  return {
    id: `${identityId(identity)}/federatedIdentityCredentials/${credential.name}`,
    name: credential.name,
    type: CREDENTIAL_TYPE,
    properties: { issuer: credential.issuer, subject: credential.subject, audiences: credential.audiences },
  };
}

/**
 * The route of a Microsoft.ManagedIdentity request (or a permissions read on one), with the RBAC action it needs and
 * its scope; undefined for any other request. `seg` is the path's segments.
 */
export function msiRoute(method, seg) {
  const is = (i, word) => seg[i]?.toLowerCase() === word;
  const sub = seg[1];
  if (!is(0, 'subscriptions') || !sub) return undefined;
  const read = `${TYPE}/read`;
  if (is(2, 'providers') && is(3, 'microsoft.managedidentity') && is(4, 'userassignedidentities') && seg.length === 5)
    return method === 'GET' ? { kind: 'msiList', sub, action: read, scope: `/subscriptions/${sub}` } : undefined;
  if (!is(2, 'resourcegroups') || !is(4, 'providers') || !is(5, 'microsoft.managedidentity')) return undefined;
  if (!is(6, 'userassignedidentities')) return undefined;
  const rg = seg[3];
  const rgScope = `/subscriptions/${sub}/resourceGroups/${rg}`;
  if (seg.length === 7)
    return method === 'GET' ? { kind: 'msiList', sub, rg, action: read, scope: rgScope } : undefined;
  const name = seg[7];
  const scope = `${rgScope}/providers/${TYPE}/${name}`;
  if (seg.length === 8) return method === 'GET' ? { kind: 'msiGet', sub, rg, name, action: read, scope } : undefined;
  if (is(8, 'providers') && is(9, 'microsoft.authorization') && is(10, 'permissions') && seg.length === 11)
    return method === 'GET' ? { kind: 'permissions', sub, rg, name, action: undefined, scope } : undefined;
  if (!is(8, 'federatedidentitycredentials')) return undefined;
  if (seg.length === 9)
    return method === 'GET' ? { kind: 'ficList', sub, rg, name, action: `${CREDENTIAL_TYPE}/read`, scope } : undefined;
  const verb = { GET: 'read', PUT: 'write', DELETE: 'delete' }[method];
  if (seg.length !== 10 || !verb) return undefined;
  return { kind: 'fic', sub, rg, name, credential: seg[9], action: `${CREDENTIAL_TYPE}/${verb}`, scope };
}

/** Why a PUT body is refused (400), or undefined: the spec's required properties and Entra ID's rules. */
function invalidCredential(identity, name, body) {
  const p = body?.properties ?? {};
  if (!CREDENTIAL_NAME.test(name)) return `Federated Identity Credential name '${name}' is invalid.`;
  for (const key of ['issuer', 'subject', 'audiences'])
    if (p[key] === undefined || p[key] === '')
      return 'Federated Identity Credential from HTTP body has empty properties';
  let issuer;
  try {
    issuer = new URL(p.issuer);
  } catch {
    issuer = undefined;
  }
  if (issuer?.protocol !== 'https:') return `The issuer '${p.issuer}' must be an https URL.`;
  if (typeof p.subject !== 'string' || p.subject.length > 600)
    return 'The subject must be a string of at most 600 characters.';
  if (!Array.isArray(p.audiences) || p.audiences.length !== 1 || String(p.audiences[0]).length > 600)
    return 'Federated identity credentials must have exactly one audience.';
  const other = [...identity.credentials.values()].find(
    (known) =>
      known.name.toLowerCase() !== name.toLowerCase() && known.issuer === p.issuer && known.subject === p.subject,
  );
  if (other) return 'Issuer and subject combination already exists for this Managed Identity.';
  return undefined;
}

async function putCredential(state, req, res, route, identity) {
  const body = JSON.parse((await readBody(req)) || '{}');
  const key = route.credential.toLowerCase();
  const exists = identity.credentials.has(key);
  const invalid = invalidCredential(identity, route.credential, body);
  if (invalid) return armError(res, 400, 'BadRequest', invalid);
  if (!exists && identity.credentials.size >= MAX_FEDERATED_CREDENTIALS)
    return armError(
      res,
      400,
      'BadRequest',
      `Identity '${identity.name}' already has ${MAX_FEDERATED_CREDENTIALS} federated identity credentials, the most one identity may have.`,
    );
  const { issuer, subject, audiences } = body.properties;
  const credential = {
    name: exists ? identity.credentials.get(key).name : route.credential,
    issuer,
    subject,
    audiences,
  };
  const concurrent = state.concurrentCredentialWrites;
  if (concurrent.times > 0) {
    concurrent.times--;
    // The other client's write goes through; this one is refused while it runs.
    if (concurrent.completes) identity.credentials.set(key, credential);
    return armError(
      res,
      409,
      'ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity',
      `Too many Federated Identity Credentials are written concurrently for the managed identity '${identityId(identity).toLowerCase()}'. Concurrent Federated Identity Credentials writes under the same managed identity are not supported.`,
    );
  }
  identity.credentials.set(key, credential);
  return sendJson(res, exists ? 200 : 201, credentialResource(state, identity, credential));
}

/** The caller's permissions on a scope: what the RBAC switches grant there (everything, when they are off). */
function permissions(state, res, scope) {
  const actions = state.rbacOff() ? ['*'] : state.actionsAt(scope);
  return sendJson(res, 200, { value: [{ actions, notActions: [], dataActions: [], notDataActions: [] }] });
}

/** The Microsoft.ManagedIdentity routes ARM hands over (`msiList`, `msiGet`, `ficList`, `fic`, `permissions`). */
export function createMsiHandler(state) {
  return async (req, res, route) => {
    const o = state.options;
    const same = (a, b) => a.toLowerCase() === b.toLowerCase();
    const inSubscription = state.identities.filter((identity) => same(identity.subscriptionId, route.sub));
    const groups = [
      ...(same(route.sub, o.subscriptionId) ? [o.resourceGroup] : []),
      ...inSubscription.map((identity) => identity.resourceGroup),
    ];
    if (route.rg && !groups.some((group) => same(group, route.rg)))
      return armError(res, 404, 'ResourceGroupNotFound', `Resource group '${route.rg}' could not be found.`);
    if (route.kind === 'msiList') {
      const listed = inSubscription.filter((identity) => !route.rg || same(identity.resourceGroup, route.rg));
      return sendJson(res, 200, { value: listed.map((identity) => identityResource(state, identity)) });
    }
    const identity = inSubscription.find(
      (known) => same(known.name, route.name) && same(known.resourceGroup, route.rg),
    );
    if (!identity) return armNotFound(res, route, `${TYPE}/${route.name}`);
    if (route.kind === 'permissions') return permissions(state, res, route.scope);
    if (route.kind === 'msiGet') return sendJson(res, 200, identityResource(state, identity));
    if (route.kind === 'ficList')
      return sendJson(res, 200, {
        value: [...identity.credentials.values()].map((credential) => credentialResource(state, identity, credential)),
      });
    if (req.method === 'PUT') return putCredential(state, req, res, route, identity);
    const credential = identity.credentials.get(route.credential.toLowerCase());
    if (req.method === 'DELETE') {
      identity.credentials.delete(route.credential.toLowerCase());
      return sendJson(res, credential ? 200 : 204, {});
    }
    if (!credential) return armNotFound(res, route, `${CREDENTIAL_TYPE}/${route.credential}`);
    return sendJson(res, 200, credentialResource(state, identity, credential));
  };
}
