// Azure Container Registry stand-in: the AAD token exchange (an Entra access
// token for an ACR refresh token), the token service Docker asks for scoped
// access tokens, and a /v2 proxy that checks those tokens and streams the
// request on to the stack's real registry with the registry's own credentials.
import http from 'node:http';
import { checkEntraToken } from './entra.mjs';
import { acrError, basicAuth, bearer, readBody, sendJson } from './http.mjs';
import { signJwt, verifyJwt } from './jwt.mjs';
import { ARM_AUDIENCES, now, retryAfter, uuid } from './state.mjs';

/** docker login's user name for an ACR refresh token. */
export const ACR_NULL_GUID = '00000000-0000-0000-0000-000000000000';
const ACR_AUDIENCE = 'https://containerregistry.azure.net';
/**
 * Entra actions that decide what an ACR token may do, by the registry's role assignment mode. A registry in
 * `AbacRepositoryPermissions` mode honours only the repository data actions (those of the Container Registry
 * Repository Reader / Writer / Contributor roles, which ABAC conditions can narrow to repositories); the registry-wide
 * actions of AcrPull, AcrPush and AcrDelete grant nothing there (Microsoft Learn, "Azure ABAC repository permissions
 * in Azure Container Registry").
 */
const ACR_ACTIONS = {
  LegacyRegistryPermissions: {
    pull: 'Microsoft.ContainerRegistry/registries/pull/read',
    push: 'Microsoft.ContainerRegistry/registries/push/write',
    delete: 'Microsoft.ContainerRegistry/registries/artifacts/delete',
  },
  AbacRepositoryPermissions: {
    pull: 'Microsoft.ContainerRegistry/registries/repositories/content/read',
    push: 'Microsoft.ContainerRegistry/registries/repositories/content/write',
    delete: 'Microsoft.ContainerRegistry/registries/repositories/content/delete',
  },
};
const modeActions = (state) => ACR_ACTIONS[state.registryResource.roleAssignmentMode];
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];

/** The registry data actions the principal's role assignments grant (the refresh token's permissions). */
function acrPermissions(state) {
  if (state.rbacOff()) return ['*'];
  const o = state.options;
  const registry = `/subscriptions/${o.subscriptionId}/resourceGroups/${o.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${o.registryName}`;
  return Object.values(modeActions(state)).filter((a) => state.isAllowed(a, registry));
}

/** Docker actions an ACR refresh token (or admin login) may be granted on a repository, in the registry's mode. */
function grantable(state, permissions) {
  if (permissions.includes('*')) return ['pull', 'push', 'delete', '*'];
  return Object.entries(modeActions(state))
    .filter(([, a]) => permissions.includes(a))
    .map(([k]) => k);
}

function acrFault(res, fault) {
  const code = { 429: 'TOOMANYREQUESTS', 403: 'DENIED', 503: 'UNAVAILABLE' }[fault.status] ?? 'UNKNOWN';
  acrError(res, fault.status, code, `injected fault (${fault.status})`, null, retryAfter(fault));
}

/** POST /oauth2/exchange: an Entra access token for an ACR refresh token. */
async function exchange(state, req, res) {
  const form = new URLSearchParams(await readBody(req));
  if (form.get('grant_type') !== 'access_token') {
    return acrError(
      res,
      400,
      'UNSUPPORTED',
      `grant_type '${form.get('grant_type')}' is not supported; use access_token.`,
    );
  }
  if (form.get('service') !== state.acrLoginServer())
    return acrError(res, 400, 'UNAUTHORIZED', `Invalid service '${form.get('service')}'.`);
  const auth = checkEntraToken(state, form.get('access_token'), [...ARM_AUDIENCES, ACR_AUDIENCE, `${ACR_AUDIENCE}/`]);
  if (!auth.claims) return acrError(res, 401, 'UNAUTHORIZED', `Invalid AAD access token: ${auth.message}`);
  // The registry's properties.policies.azureADAuthenticationAsArmPolicy (Azure/azure-rest-api-specs
  // specification/containerregistry/resource-manager/Microsoft.ContainerRegistry/preview/2022-02-01-preview/
  // containerregistry.json, AzureADAuthenticationAsArmPolicy): when disabled, the registry takes only ACR-audience
  // tokens (MicrosoftDocs container-registry-disable-authentication-as-arm.md). The 401 and the envelope are those of
  // ACR's other token refusals; the wording is this stand-in's own, as ACR's is not published.
  const armDisabled = state.registryResource.policies.azureADAuthenticationAsArmPolicy.status === 'disabled';
  if (armDisabled && ARM_AUDIENCES.includes(auth.claims.aud)) {
    return acrError(
      res,
      401,
      'UNAUTHORIZED',
      `The registry does not accept ARM-audience tokens (authentication-as-arm is disabled); use a token for ${ACR_AUDIENCE}.`,
    );
  }
  if (form.get('tenant') && form.get('tenant') !== auth.claims.tid) {
    return acrError(
      res,
      401,
      'UNAUTHORIZED',
      `The AAD access token was not issued for tenant '${form.get('tenant')}'.`,
    );
  }
  const t = now();
  const refreshToken = signJwt(state.signers.acr, {
    jti: uuid(),
    sub: auth.claims.oid,
    nbf: t,
    exp: t + 3 * 3600,
    iat: t,
    iss: 'Azure Container Registry',
    aud: state.acrLoginServer(),
    version: '1.0',
    rid: uuid().replace(/-/g, ''),
    grant_type: 'refresh_token',
    appid: auth.claims.appid,
    tenant: auth.claims.tid,
    permissions: { actions: acrPermissions(state), notActions: [] },
    roles: [],
  });
  return sendJson(res, 200, { refresh_token: state.issued(refreshToken) });
}

/** The identity behind an ACR credential: the null GUID + refresh token, or the admin user. */
function acrPrincipal(state, username, secret) {
  const o = state.options;
  if (username === ACR_NULL_GUID || username === undefined) {
    const claims = verifyJwt(secret, state.signers.acr);
    if (
      !claims ||
      claims.grant_type !== 'refresh_token' ||
      claims.aud !== state.acrLoginServer() ||
      !(claims.exp > now())
    )
      return undefined;
    return { sub: claims.sub, tenant: claims.tenant, permissions: claims.permissions?.actions ?? [] };
  }
  if (o.registry && username === o.registry.username && secret === o.registry.password)
    return { sub: username, permissions: ['*'] };
  return undefined;
}

/** Parses Docker scopes (`repository:name:pull,push`) and grants what the principal may do. */
function grantAccess(state, principal, scopes) {
  const may = grantable(state, principal.permissions);
  const access = [];
  for (const scope of scopes.flatMap((s) => s.split(' ')).filter(Boolean)) {
    const first = scope.indexOf(':');
    const last = scope.lastIndexOf(':');
    if (first < 0 || last === first) continue;
    const type = scope.slice(0, first);
    const name = scope.slice(first + 1, last);
    const wanted = scope.slice(last + 1).split(',');
    // Registry-wide scopes (the catalog) need full access; repository actions are granted one by one.
    const actions = type === 'registry' ? (may.includes('*') ? wanted : []) : wanted.filter((a) => may.includes(a));
    access.push({ type, name, actions });
  }
  return access;
}

/** GET /oauth2/token (Basic auth, as Docker does) and POST /oauth2/token (refresh_token or password grant). */
async function acrToken(state, req, res, url) {
  let params = url.searchParams;
  let principal;
  if (req.method === 'POST') {
    params = new URLSearchParams(await readBody(req));
    const grant = params.get('grant_type');
    if (grant === 'refresh_token') principal = acrPrincipal(state, ACR_NULL_GUID, params.get('refresh_token'));
    else if (grant === 'password') principal = acrPrincipal(state, params.get('username'), params.get('password'));
    else return acrError(res, 400, 'UNSUPPORTED', `grant_type '${grant}' is not supported.`);
  } else {
    const basic = basicAuth(req);
    principal = basic && acrPrincipal(state, basic.username, basic.password);
  }
  if (params.get('service') !== state.acrLoginServer())
    return acrError(res, 400, 'UNAUTHORIZED', `Invalid service '${params.get('service')}'.`);
  if (!principal)
    return acrError(
      res,
      401,
      'UNAUTHORIZED',
      'authentication required, visit https://aka.ms/acr/authorization for more information.',
    );
  const t = now();
  const accessToken = signJwt(state.signers.acr, {
    jti: uuid(),
    sub: principal.sub,
    nbf: t,
    exp: t + 75 * 60,
    iat: t,
    iss: 'Azure Container Registry',
    aud: state.acrLoginServer(),
    version: '1.0',
    grant_type: 'access_token',
    access: grantAccess(state, principal, params.getAll('scope')),
    roles: [],
    ...(principal.tenant ? { tenant: principal.tenant } : {}),
  });
  return sendJson(res, 200, { access_token: state.issued(accessToken) });
}

/** What a /v2 request needs: `{ type, name, action }`, or null for the base endpoint. */
function requiredAccess(method, pathname) {
  if (pathname === '/v2/' || pathname === '/v2') return null;
  if (pathname === '/v2/_catalog') return { type: 'registry', name: 'catalog', action: '*' };
  const m = /^\/v2\/(.+)\/(manifests|blobs|tags|referrers)\//.exec(pathname);
  const name = m?.[1] ?? pathname.slice(4);
  const action = ['GET', 'HEAD'].includes(method) ? 'pull' : method === 'DELETE' ? 'delete' : 'push';
  return { type: 'repository', name, action };
}

function challenge(
  state,
  res,
  need,
  message = 'authentication required, visit https://aka.ms/acr/authorization for more information.',
) {
  const scope = need ? `,scope="${need.type}:${need.name}:${need.action}"` : '';
  acrError(
    res,
    401,
    'UNAUTHORIZED',
    message,
    need ? [{ Type: need.type, Name: need.name, Action: need.action }] : null,
    {
      'www-authenticate': `Bearer realm="https://${state.acrLoginServer()}/oauth2/token",service="${state.acrLoginServer()}"${scope}`,
    },
  );
}

/** /v2/...: checks the ACR token, then forwards (streaming) to the real registry with its own credentials. */
function registryApi(state, req, res, url) {
  const need = requiredAccess(req.method, url.pathname);
  let access;
  const token = bearer(req);
  const basic = basicAuth(req);
  if (token) {
    const claims = verifyJwt(token, state.signers.acr);
    if (claims && claims.grant_type === 'access_token' && claims.aud === state.acrLoginServer() && claims.exp > now())
      access = claims.access ?? [];
  } else if (basic) {
    const principal = acrPrincipal(state, basic.username, basic.password);
    if (principal) access = grantAccess(state, principal, need ? [`${need.type}:${need.name}:${need.action}`] : []);
  }
  if (!access) return challenge(state, res, need);
  const granted =
    !need ||
    access.some(
      (a) =>
        a.type === need.type && a.name === need.name && (a.actions.includes(need.action) || a.actions.includes('*')),
    );
  if (!granted) return challenge(state, res, need);
  return proxy(state, req, res, url);
}

function proxy(state, req, res, url) {
  const upstream = state.options.registry;
  if (!upstream) return acrError(res, 503, 'UNAVAILABLE', 'the ACR stand-in was started without options.registry');
  const [host, port] = upstream.upstream.split(':');
  const headers = { ...req.headers };
  for (const h of [...HOP_BY_HOP, 'authorization', 'host']) delete headers[h];
  headers.host = upstream.upstream;
  headers.authorization = `Basic ${Buffer.from(`${upstream.username}:${upstream.password}`).toString('base64')}`;
  const up = http.request(
    { host, port: Number(port), method: req.method, path: url.pathname + url.search, headers },
    (upRes) => {
      const out = { ...upRes.headers };
      for (const h of HOP_BY_HOP) delete out[h];
      // Upload and blob URLs must lead back through the proxy, never to the registry behind it.
      if (out.location) out.location = out.location.replace(/^https?:\/\/[^/]+/i, `https://${state.acrLoginServer()}`);
      res.writeHead(upRes.statusCode ?? 502, out);
      upRes.pipe(res);
    },
  );
  up.on('error', (e) =>
    res.headersSent ? res.destroy() : acrError(res, 502, 'UNAVAILABLE', `registry unreachable: ${e.message}`),
  );
  req.pipe(up);
}

/**
 * The registry's login server (`acrLoginServer`): the token exchange, the token service and the
 * /v2 API. Injected `exchange` faults answer /oauth2/exchange; `registry` faults everything else.
 */
export const createAcrHandler = (state) => (req, res, url, service) => acrHandler(state, req, res, url, service);

async function acrHandler(state, req, res, url, service) {
  const fault = state.takeFault(service);
  if (fault) return acrFault(res, fault);
  if (url.pathname === '/oauth2/exchange' && req.method === 'POST') return exchange(state, req, res);
  if (url.pathname === '/oauth2/token' && (req.method === 'GET' || req.method === 'POST'))
    return acrToken(state, req, res, url);
  if (url.pathname === '/v2' || url.pathname.startsWith('/v2/')) return registryApi(state, req, res, url);
  return acrError(res, 404, 'NOT_FOUND', `${req.method} ${url.pathname} is not an ACR endpoint`);
}
