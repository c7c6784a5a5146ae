// Managed identities behind ARM (the Microsoft.ManagedIdentity resource provider): user-assigned
// identities (list by resource group and subscription, get) and their federated identity credentials
// (list, get, PUT, DELETE), as azure-rest-api-specs specification/msi/resource-manager/
// Microsoft.ManagedIdentity/stable/2024-11-30/ManagedIdentity.json describes them (the version
// @azure/arm-msi 2.2 sends), with what the service refuses beyond the spec from Microsoft Learn
// ("Configure a user-assigned managed identity to trust an external identity provider", its
// important notes and limits): at most 20 credentials on an identity, one audience, an https issuer,
// an issuer and subject pair unique on the identity. The error codes and messages for those are ours:
// the docs give the rules, not the bodies. Also the caller's permissions on a scope
// (Microsoft.Authorization/permissions, 2022-04-01), from the stand-in's RBAC switch.
import { armError, armNotFound, readBody, sendJson } from './http.mjs';
import { uuid } from './state.mjs';

const TYPE = 'Microsoft.ManagedIdentity/userAssignedIdentities';
const CREDENTIAL_TYPE = `${TYPE}/federatedIdentityCredentials`;
/** ManagedIdentity.json: federatedIdentityCredentialResourceName. */
const CREDENTIAL_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-_]{2,119}$/;
export const MAX_FEDERATED_CREDENTIALS = 20;

/** The identities the stand-in knows, from `options.identities` ([{ name, resourceGroup?, clientId? }]). */
export function createIdentities(o) {
  return (o.identities ?? []).map((given) => ({
    name: given.name,
    resourceGroup: given.resourceGroup ?? o.resourceGroup,
    clientId: given.clientId ?? uuid(),
    principalId: uuid(),
    credentials: new Map(),
  }));
}

const identityId = (sub, identity) =>
  `/subscriptions/${sub}/resourcegroups/${identity.resourceGroup}/providers/${TYPE}/${identity.name}`;

function identityResource(state, identity) {
  const o = state.options;
  return {
    id: identityId(o.subscriptionId, identity),
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
    id: `${identityId(state.options.subscriptionId, identity)}/federatedIdentityCredentials/${credential.name}`,
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

/** Why a PUT body is refused, or undefined: the spec's required properties and Entra ID's rules. */
function invalidCredential(identity, name, body) {
  const p = body?.properties ?? {};
  if (!CREDENTIAL_NAME.test(name))
    return `The federated identity credential name '${name}' is invalid: it must be 3 to 120 characters, letters, digits, '-' and '_', starting with a letter or digit.`;
  for (const key of ['issuer', 'subject', 'audiences'])
    if (p[key] === undefined || p[key] === '') return `The property 'properties.${key}' is required.`;
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
    return 'The audiences must hold exactly one audience of at most 600 characters.';
  const other = [...identity.credentials.values()].find(
    (known) =>
      known.name.toLowerCase() !== name.toLowerCase() && known.issuer === p.issuer && known.subject === p.subject,
  );
  if (other)
    return `Federated identity credential '${other.name}' on identity '${identity.name}' already has issuer '${p.issuer}' and subject '${p.subject}'.`;
  return undefined;
}

async function putCredential(state, req, res, route, identity) {
  const body = JSON.parse((await readBody(req)) || '{}');
  const key = route.credential.toLowerCase();
  const exists = identity.credentials.has(key);
  const invalid = invalidCredential(identity, route.credential, body);
  if (invalid) return armError(res, /already has issuer/.test(invalid) ? 409 : 400, 'BadRequest', invalid);
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
  identity.credentials.set(key, credential);
  return sendJson(res, exists ? 200 : 201, credentialResource(state, identity, credential));
}

/** The caller's permissions: what the RBAC switch allows (everything, when it is off), as one permission entry. */
function permissions(state, res) {
  return sendJson(res, 200, {
    value: [{ actions: state.allowedActions ?? ['*'], notActions: [], dataActions: [], notDataActions: [] }],
  });
}

/** The Microsoft.ManagedIdentity routes ARM hands over (`msiList`, `msiGet`, `ficList`, `fic`, `permissions`). */
export function createMsiHandler(state) {
  return async (req, res, route) => {
    const o = state.options;
    const groups = new Set([o.resourceGroup, ...state.identities.map((identity) => identity.resourceGroup)]);
    if (route.rg && ![...groups].some((group) => group.toLowerCase() === route.rg.toLowerCase()))
      return armError(res, 404, 'ResourceGroupNotFound', `Resource group '${route.rg}' could not be found.`);
    if (route.kind === 'msiList') {
      const listed = state.identities.filter(
        (identity) => !route.rg || identity.resourceGroup.toLowerCase() === route.rg.toLowerCase(),
      );
      return sendJson(res, 200, { value: listed.map((identity) => identityResource(state, identity)) });
    }
    const identity = state.identities.find(
      (known) =>
        known.name.toLowerCase() === route.name.toLowerCase() &&
        known.resourceGroup.toLowerCase() === route.rg.toLowerCase(),
    );
    if (!identity) return armNotFound(res, route, `${TYPE}/${route.name}`);
    if (route.kind === 'permissions') return permissions(state, res);
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
