// Entra ID stand-in: the tenant's OpenID configuration and keys, MSAL instance
// discovery, and the v2.0 token endpoint for client credentials (a secret, a
// certificate, or a federated CI token). Also the App Service managed identity
// endpoint, since its tokens are the app's own, and the check ARM and ACR make
// of the access tokens issued here.
import crypto from 'node:crypto';
import { checkAssertion, checkIdentityAssertion } from './entra-assertions.mjs';
import { aadError, readBody, sendJson } from './http.mjs';
import { decodeJwt, signJwt, verifyJwt } from './jwt.mjs';
import { AKS_SERVER_APP_ID, now, retryAfter, uuid } from './state.mjs';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const v1Issuer = (state) => `${state.origin.login}/${state.options.tenantId}/`;

function openIdConfiguration(state, tenant, v2) {
  const base = `${state.origin.login}/${tenant}`;
  const issuer = v2 ? `${base}/v2.0` : `${base}/`;
  const oauth = v2 ? `${base}/oauth2/v2.0` : `${base}/oauth2`;
  return {
    token_endpoint: `${oauth}/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: v2 ? `${base}/discovery/v2.0/keys` : `${base}/discovery/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer,
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${oauth}/authorize`,
    device_authorization_endpoint: `${oauth}/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${oauth}/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

/** MSAL's instance discovery answer: the stand-in is its own (only) alias. */
function instanceDiscovery(state, url) {
  const host = new URL(state.origin.login).host;
  const authorize = url.searchParams.get('authorization_endpoint') ?? '';
  const tenant = /^https:\/\/[^/]+\/([^/]+)\//.exec(authorize)?.[1] ?? 'common';
  return {
    tenant_discovery_endpoint: `${state.origin.login}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}

/** POST /{tenant}/oauth2/v2.0/token: client credentials with a secret or a federated assertion. */
async function tokenEndpoint(state, req, res, tenant) {
  const o = state.options;
  const form = new URLSearchParams(await readBody(req));
  if (tenant !== o.tenantId) {
    return aadError(
      res,
      state.origin.login,
      400,
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    );
  }
  if (form.get('grant_type') !== 'client_credentials') {
    return aadError(
      res,
      state.origin.login,
      400,
      'unsupported_grant_type',
      70003,
      'The app requested an unsupported grant type.',
    );
  }
  // A user-assigned managed identity signs in only by a federated assertion its credentials trust.
  const identity = state.identities.find((known) => known.clientId === form.get('client_id'));
  if (identity && form.get('client_assertion_type') !== JWT_BEARER) {
    return noClientCredential(res, state);
  }
  if (identity && (await checkIdentityAssertion(state, res, form.get('client_assertion'), identity)) !== true) return;
  if (!identity && form.get('client_id') !== o.clientId) {
    return aadError(
      res,
      state.origin.login,
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${form.get('client_id')}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  let appidacr;
  if (identity) {
    appidacr = '2';
  } else if (form.has('client_assertion')) {
    if (form.get('client_assertion_type') !== JWT_BEARER) {
      return aadError(
        res,
        state.origin.login,
        400,
        'invalid_request',
        50027,
        `Invalid client_assertion_type '${form.get('client_assertion_type')}'.`,
      );
    }
    if (checkAssertion(state, res, form.get('client_assertion'), tenant) !== true) return;
    appidacr = '2';
  } else if (form.has('client_secret')) {
    if (!o.clientSecret || form.get('client_secret') !== o.clientSecret) {
      return aadError(
        res,
        state.origin.login,
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${o.clientId}'.`,
      );
    }
    appidacr = '1';
  } else {
    return noClientCredential(res, state);
  }
  // Client credentials take exactly one resource's '/.default'; MSAL may add the OIDC scopes.
  const scopes = (form.get('scope') ?? '')
    .split(' ')
    .filter((s) => s && !['openid', 'profile', 'offline_access'].includes(s));
  if (scopes.length !== 1 || !scopes[0].endsWith('/.default')) {
    return aadError(
      res,
      state.origin.login,
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scopes.join(' ')} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const aud = scopes[0].slice(0, -'/.default'.length);
  // A resource with no service principal in the tenant (or cloud): Entra ID names it and the tenant.
  if (state.missingResources.includes(aud)) {
    return aadError(
      res,
      state.origin.login,
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${aud} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    );
  }
  return sendJson(
    res,
    200,
    {
      token_type: 'Bearer',
      expires_in: o.tokenLifetimeSeconds,
      ext_expires_in: o.tokenLifetimeSeconds,
      access_token: mintAccessToken(
        state,
        aud,
        appidacr,
        identity ? { appid: identity.clientId, oid: identity.principalId } : undefined,
      ),
    },
    { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' },
  );
}

/** An Entra access token for the app (or its managed identity, or a user-assigned `principal`) and one audience. */
export function mintAccessToken(
  state,
  aud,
  appidacr,
  principal = { appid: state.options.clientId, oid: state.principalObjectId },
) {
  const o = state.options;
  // The local apiserver cannot validate Entra JWTs; it knows one static token for an
  // Entra cluster admin (the stack's ENTRA_CLUSTER_TOKEN), so that is what the AKS server app gets.
  if (o.aksServerToken && [AKS_SERVER_APP_ID, `api://${AKS_SERVER_APP_ID}`].includes(aud))
    return state.issued(o.aksServerToken);
  const t = now();
  const claims = {
    aud,
    iss: v1Issuer(state),
    iat: t,
    nbf: t,
    exp: t + o.tokenLifetimeSeconds,
    aio: crypto.randomBytes(24).toString('base64url'),
    appid: principal.appid,
    appidacr,
    idp: v1Issuer(state),
    idtyp: 'app',
    oid: principal.oid,
    rh: crypto.randomBytes(16).toString('base64url'),
    sub: principal.oid,
    tid: o.tenantId,
    uti: crypto.randomBytes(16).toString('base64url'),
    ver: '1.0',
  };
  return state.issued(signJwt(state.signers.entra, claims));
}

/**
 * The managed identity endpoint of Azure App Service / Functions
 * (IDENTITY_ENDPOINT, IDENTITY_HEADER; api-version 2019-08-01): the
 * identity is the app itself here, so its tokens are the app's.
 */
export function managedIdentityToken(state, req, res, url) {
  const o = state.options;
  if (req.headers['x-identity-header'] !== state.managedIdentity.header)
    return sendJson(res, 401, { statusCode: 401, message: 'Unauthorized: X-IDENTITY-HEADER is missing or wrong' });
  const resource = url.searchParams.get('resource');
  if (!resource || url.searchParams.get('api-version') !== '2019-08-01')
    return sendJson(res, 400, { statusCode: 400, message: 'resource and api-version=2019-08-01 are required' });
  const clientId = url.searchParams.get('client_id');
  if (clientId && clientId !== o.clientId)
    return sendJson(res, 400, {
      statusCode: 400,
      message: `No managed identity with client id ${clientId} is assigned to this resource`,
    });
  return sendJson(res, 200, {
    access_token: mintAccessToken(state, resource, '2'),
    expires_on: String(now() + o.tokenLifetimeSeconds),
    resource,
    token_type: 'Bearer',
    client_id: o.clientId,
  });
}

/**
 * The Entra ID host (`authorityHost`): OpenID configuration, keys, MSAL instance discovery and
 * the token endpoint. Injected `token` faults answer the token endpoint only.
 */
export const createEntraHandler = (state) => (req, res, url, service) => loginHandler(state, req, res, url, service);

async function loginHandler(state, req, res, url, service) {
  const o = state.options;
  res.setHeader('x-ms-request-id', uuid());
  if (req.headers['client-request-id']) res.setHeader('client-request-id', req.headers['client-request-id']);
  const [tenant, ...rest] = url.pathname.split('/').filter(Boolean);
  const route = rest.join('/');
  const fault = service === 'token' ? state.takeFault('token') : undefined;
  if (fault) {
    const text =
      fault.status === 403
        ? 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.'
        : 'A transient error has occurred. Please try again.';
    return aadError(
      res,
      state.origin.login,
      fault.status,
      fault.status === 403 ? 'invalid_grant' : 'temporarily_unavailable',
      fault.status === 403 ? 53003 : 90033,
      text,
      retryAfter(fault),
    );
  }
  if (req.method === 'GET' && route === 'discovery/instance') return sendJson(res, 200, instanceDiscovery(state, url));
  const knownTenant = ['common', 'organizations', o.tenantId].includes(tenant);
  if (
    req.method === 'GET' &&
    (route === 'v2.0/.well-known/openid-configuration' || route === '.well-known/openid-configuration')
  ) {
    if (!knownTenant) {
      return aadError(
        res,
        state.origin.login,
        400,
        'invalid_tenant',
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    }
    return sendJson(
      res,
      200,
      openIdConfiguration(state, tenant === o.tenantId ? tenant : '{tenantid}', route.startsWith('v2.0')),
    );
  }
  if (req.method === 'GET' && (route === 'discovery/v2.0/keys' || route === 'discovery/keys')) {
    return sendJson(res, 200, { keys: [state.signers.entra.jwk] });
  }
  if (req.method === 'POST' && route === 'oauth2/v2.0/token') return tokenEndpoint(state, req, res, tenant);
  return aadError(
    res,
    state.origin.login,
    404,
    'invalid_request',
    900561,
    `The endpoint only accepts known requests; '${req.method} ${url.pathname}' is not one.`,
  );
}

/** Claims of an Entra access token this stand-in issued, or a reason it is not acceptable. */
export function checkEntraToken(state, token, audiences) {
  const jwt = decodeJwt(token);
  if (!jwt) return { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' };
  const claims = verifyJwt(token, state.signers.entra);
  if (!claims || claims.iss !== v1Issuer(state)) {
    return { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' };
  }
  if (!(claims.exp > now())) {
    return {
      code: 'ExpiredAuthenticationToken',
      message: `The access token expiry UTC time '${new Date(claims.exp * 1000).toUTCString()}' is earlier than current UTC time '${new Date().toUTCString()}'.`,
    };
  }
  if (!audiences.includes(claims.aud)) {
    return {
      code: 'InvalidAuthenticationTokenAudience',
      message: `The access token has been obtained for wrong audience or resource '${claims.aud}'. It should exactly match with one of the allowed audiences ${audiences.map((a) => `'${a}'`).join(',')}.`,
    };
  }
  return { claims };
}

/** A token request that proves nothing of the client: neither a secret nor an assertion (AADSTS7000218). */
function noClientCredential(res, state) {
  return aadError(
    res,
    state.origin.login,
    401,
    'invalid_client',
    7000218,
    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  );
}
