// Local stand-ins for the Azure cloud endpoints a deploy talks to: Entra ID
// (token endpoint and discovery), Azure Resource Manager (AKS managedClusters,
// cloud metadata, ACR Tasks quick builds), Azure Container Registry (token
// exchange, token service and a /v2 proxy in front of the stack's real
// registry) and the two CI OIDC token services (GitHub Actions, Azure Pipelines).
//
// They speak the real wire formats over HTTPS with a throw-away test CA, so
// the product's real clients (@azure/identity, the ARM SDK, Docker) can run
// against them unchanged: only endpoints and NODE_EXTRA_CA_CERTS differ.
// Everything they hand out is a real RS256 JWT, checked where Azure checks it.
// See README.md next to this file for the sources of each format.
import { execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** docker login's user name for an ACR refresh token. */
export const ACR_NULL_GUID = '00000000-0000-0000-0000-000000000000';
/** AKS's Entra server application (the --server-id of every AKS kubelogin kubeconfig). */
export const AKS_SERVER_APP_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';
/** The Azure Kubernetes Service AAD client AKS writes into user kubeconfigs. */
const AKS_CLIENT_APP_ID = '80faf920-1908-4b52-b5ef-a8e7bedfc67a';
const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';
const ACR_AUDIENCE = 'https://containerregistry.azure.net';
const ARM_AUDIENCES = [
  'https://management.core.windows.net/',
  'https://management.core.windows.net',
  'https://management.azure.com/',
  'https://management.azure.com',
];
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Entra data actions that decide what an ACR token may do. */
const ACR_ACTIONS = {
  pull: 'Microsoft.ContainerRegistry/registries/pull/read',
  push: 'Microsoft.ContainerRegistry/registries/push/write',
  delete: 'Microsoft.ContainerRegistry/registries/artifacts/delete',
};
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];

const now = () => Math.floor(Date.now() / 1000);
const uuid = () => crypto.randomUUID();

// ---------------------------------------------------------------- TLS

/** A CA and one server certificate for 127.0.0.1/localhost, made by openssl. */
async function makeTls(dir) {
  const ssl = (...args) => run('openssl', args, { cwd: dir });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await ssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=aks-functions-deploy test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  await ssl('req', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=127.0.0.1');
  fs.writeFileSync(
    path.join(dir, 'leaf.ext'),
    [
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid',
    ].join('\n'),
  );
  await ssl(
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'leaf.pem',
    '-days',
    '2',
    '-extfile',
    'leaf.ext',
  );
  const read = (f) => fs.readFileSync(path.join(dir, f));
  return { caFile: path.join(dir, 'ca.pem'), key: read('leaf.key'), cert: read('leaf.pem') };
}

// ---------------------------------------------------------------- JWT

/** An RS256 signing key with the JWKS entry that publishes it. */
async function newSigner() {
  const { privateKey, publicKey } = await promisify(crypto.generateKeyPair)('rsa', { modulusLength: 2048 });
  const kid = crypto
    .createHash('sha1')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64url');
  const jwk = { kty: 'RSA', use: 'sig', alg: 'RS256', kid, x5t: kid, ...publicKey.export({ format: 'jwk' }) };
  return { privateKey, publicKey, kid, jwk };
}

function signJwt(signer, claims) {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${enc({ typ: 'JWT', alg: 'RS256', kid: signer.kid, x5t: signer.kid })}.${enc(claims)}`;
  return `${input}.${crypto.sign('sha256', Buffer.from(input), signer.privateKey).toString('base64url')}`;
}

/** Header and claims of a compact JWT, or undefined if it is not one. */
function decodeJwt(token) {
  const parts = String(token ?? '').split('.');
  if (parts.length !== 3) return undefined;
  try {
    const [header, claims] = parts.slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8')));
    return { header, claims, input: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
  } catch {
    return undefined;
  }
}

/** Claims of `token` if `signer` signed it (RS256), else undefined. Time is checked by the caller. */
function verifyJwt(token, signer) {
  const jwt = decodeJwt(token);
  if (!jwt || jwt.header.alg !== 'RS256' || jwt.header.kid !== signer.kid) return undefined;
  return crypto.verify('sha256', Buffer.from(jwt.input), signer.publicKey, jwt.signature) ? jwt.claims : undefined;
}

// ---------------------------------------------------------------- HTTP plumbing

function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

async function readBody(req, limit = 1 << 20) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const bearer = (req) => /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];

function basicAuth(req) {
  const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const i = text.indexOf(':');
  return i < 0 ? undefined : { username: text.slice(0, i), password: text.slice(i + 1) };
}

/** One HTTPS server on an ephemeral loopback port; `classify` names the service of each request. */
async function serve(tls, classify, handler, record) {
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const service = classify(url);
    res.on('finish', () =>
      record({ service, method: req.method, path: url.pathname + url.search, status: res.statusCode }),
    );
    Promise.resolve()
      .then(() => handler(req, res, url, service))
      .catch((e) =>
        res.headersSent
          ? res.destroy()
          : sendJson(res, 500, { error: { code: 'StandinError', message: String(e?.message ?? e) } }),
      );
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  return { server, origin: `https://127.0.0.1:${server.address().port}` };
}

// ---------------------------------------------------------------- the stand-ins

/**
 * Starts Entra ID, ARM, ACR and CI OIDC stand-ins. See README.md for options and behaviour.
 * @returns {Promise<object>} the Standins handle (endpoints, fault injection, request log, close())
 */
export async function startAzureStandins(options) {
  for (const key of ['tenantId', 'clientId', 'subscriptionId', 'resourceGroup', 'clusterName', 'kubeconfig']) {
    if (!options?.[key]) throw new Error(`startAzureStandins: options.${key} is required`);
  }
  const o = {
    location: 'westeurope',
    registryName: 'afdregistry',
    kubernetesVersion: '1.34.4',
    tokenLifetimeSeconds: 3599,
    oidcLifetimeSeconds: 300,
    lroPolls: 1,
    federatedSubject: 'repo:contoso/functions-app:ref:refs/heads/main',
    pipelinesSubject: 'sc://contoso/functions/aks-deploy',
    aksServerToken: process.env.ENTRA_CLUSTER_TOKEN,
    ...options,
  };
  // ACR Tasks build with the stack's services unless told otherwise.
  if (o.registry === undefined && process.env.REGISTRY) {
    o.registry = {
      upstream: process.env.REGISTRY,
      username: process.env.REGISTRY_USERNAME,
      password: process.env.REGISTRY_PASSWORD,
    };
  }
  o.storage = { connectionString: process.env.AZURE_STORAGE_CONNECTION_STRING, ...o.storage };
  o.docker = { host: process.env.DOCKER_HOST, ...o.docker };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afd-azure-standins-'));
  const tls = await makeTls(dir);
  const [entraKey, githubKey, pipelinesKey, acrKey] = await Promise.all([
    newSigner(),
    newSigner(),
    newSigner(),
    newSigner(),
  ]);

  const requests = [];
  const tokensIssued = [];
  const faults = [];
  let allowedActions = o.allowedActions;
  const cluster = {
    exists: true,
    disableLocalAccounts: false,
    aadManaged: false,
    kedaAddon: false,
    provisioningState: 'Succeeded',
    ...o.cluster,
  };
  const operations = new Map();
  const principalObjectId = uuid();
  const record = (entry) => requests.push(entry);
  const issued = (token) => (tokensIssued.push(token), token);

  const servers = {};
  const origin = {};
  const managedIdentity = { header: crypto.randomBytes(16).toString('hex') };
  const start = async (name, classify, handler) => {
    const s = await serve(tls, classify, handler, record);
    servers[name] = s.server;
    origin[name] = s.origin;
  };

  /** Takes the next injected fault for `service`, in the order they were injected. */
  function takeFault(service) {
    const fault = faults.find((f) => f.service === service);
    if (fault && --fault.times <= 0) faults.splice(faults.indexOf(fault), 1);
    return fault;
  }
  const retryAfter = (fault) => (fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) });

  function isAllowed(action) {
    if (allowedActions === undefined) return true;
    const a = action.toLowerCase();
    return allowedActions.some((p) => {
      const q = p.toLowerCase();
      return q === a || (q.endsWith('*') && a.startsWith(q.slice(0, -1)));
    });
  }

  // ------------------------------------------------------------ Entra ID

  const loginHost = () => origin.login;
  const v1Issuer = () => `${loginHost()}/${o.tenantId}/`;
  const oidcIssuers = () => ({
    [`${origin.ci}/github`]: { signer: githubKey, subject: o.federatedSubject },
    [`${origin.ci}/vstoken/${pipelinesOrgId}`]: { signer: pipelinesKey, subject: o.pipelinesSubject },
  });

  function aadError(res, status, error, code, text, headers = {}) {
    const trace = uuid();
    const correlation = uuid();
    const timestamp = new Date()
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z');
    sendJson(
      res,
      status,
      {
        error,
        error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${trace}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${timestamp}`,
        error_codes: [code],
        timestamp,
        trace_id: trace,
        correlation_id: correlation,
        error_uri: `${loginHost()}/error?code=${code}`,
      },
      headers,
    );
  }

  function openIdConfiguration(tenant, v2) {
    const base = `${loginHost()}/${tenant}`;
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
  function instanceDiscovery(url) {
    const host = new URL(loginHost()).host;
    const authorize = url.searchParams.get('authorization_endpoint') ?? '';
    const tenant = /^https:\/\/[^/]+\/([^/]+)\//.exec(authorize)?.[1] ?? 'common';
    return {
      tenant_discovery_endpoint: `${loginHost()}/${tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    };
  }

  /**
   * A client assertion signed with the app's certificate (header x5t / x5t#S256),
   * checked as Entra checks certificate credentials: the thumbprint names a
   * certificate registered on the app, the signature is its key's (RS256 or
   * PS256), the audience is the token endpoint, issuer and subject the app.
   */
  function checkCertificateAssertion(res, jwt, tenant) {
    const certificate = o.clientCertificate && new crypto.X509Certificate(o.clientCertificate);
    const sha1 = certificate && Buffer.from(certificate.fingerprint.replace(/:/g, ''), 'hex').toString('base64url');
    const sha256 =
      certificate && Buffer.from(certificate.fingerprint256.replace(/:/g, ''), 'hex').toString('base64url');
    if (!certificate || (jwt.header.x5t !== sha1 && jwt.header['x5t#S256'] !== sha256)) {
      return aadError(
        res,
        401,
        'invalid_client',
        700027,
        'The certificate with identifier used to sign the client assertion is not registered on application.',
      );
    }
    const pss = jwt.header.alg === 'PS256';
    const signed =
      (pss || jwt.header.alg === 'RS256') &&
      crypto.verify(
        'sha256',
        Buffer.from(jwt.input),
        pss
          ? { key: certificate.publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
          : certificate.publicKey,
        jwt.signature,
      );
    if (!signed) return aadError(res, 401, 'invalid_client', 50012, 'Client assertion failed signature validation.');
    const t = now();
    if (!(jwt.claims.exp > t))
      return aadError(res, 400, 'invalid_client', 700024, 'Client assertion is not within its valid time range.');
    const audiences = [].concat(jwt.claims.aud ?? []);
    if (
      !audiences.some((aud) => aud.startsWith(`${loginHost()}/${tenant}/`)) ||
      jwt.claims.iss !== o.clientId ||
      jwt.claims.sub !== o.clientId
    ) {
      return aadError(
        res,
        400,
        'invalid_client',
        700021,
        `Client assertion application identifier doesn't match 'client_id' parameter, or its audience is not this token endpoint.`,
      );
    }
    return true;
  }

  /** Checks a federated client assertion the way Entra checks a federated identity credential. */
  function checkAssertion(res, assertion, tenant) {
    const jwt = decodeJwt(assertion);
    if (!jwt) return aadError(res, 400, 'invalid_client', 50027, 'JWT token is invalid or malformed.');
    // The app signing for itself (issuer = the app) is a certificate credential; anything else is federated.
    if (jwt.claims.iss === o.clientId) return checkCertificateAssertion(res, jwt, tenant);
    const trust = oidcIssuers()[jwt.claims.iss];
    if (!trust) {
      return aadError(
        res,
        400,
        'invalid_client',
        700211,
        `No matching federated identity record found for presented assertion issuer '${jwt.claims.iss}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.`,
      );
    }
    if (!verifyJwt(assertion, trust.signer))
      return aadError(res, 400, 'invalid_client', 50013, 'Assertion failed signature validation.');
    const t = now();
    if (!(jwt.claims.exp > t) || (jwt.claims.nbf ?? 0) > t + 300) {
      const at = (s) => new Date(s * 1000).toISOString();
      return aadError(
        res,
        400,
        'invalid_client',
        700024,
        `Client assertion is not within its valid time range. Current time: ${at(t)}, assertion valid from ${at(jwt.claims.nbf ?? jwt.claims.iat ?? 0)}, expiry time of assertion ${at(jwt.claims.exp ?? 0)}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
      );
    }
    const audiences = [].concat(jwt.claims.aud ?? []);
    if (!audiences.includes(TOKEN_EXCHANGE_AUDIENCE)) {
      return aadError(
        res,
        400,
        'invalid_client',
        700212,
        `No matching federated identity record found for presented assertion audience '${audiences.join(',')}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.`,
      );
    }
    if (jwt.claims.sub !== trust.subject) {
      return aadError(
        res,
        400,
        'invalid_client',
        700213,
        `No matching federated identity record found for presented assertion subject '${jwt.claims.sub}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.`,
      );
    }
    return true;
  }

  /** POST /{tenant}/oauth2/v2.0/token: client credentials with a secret or a federated assertion. */
  async function tokenEndpoint(req, res, tenant) {
    const form = new URLSearchParams(await readBody(req));
    if (tenant !== o.tenantId) {
      return aadError(
        res,
        400,
        'invalid_request',
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
      );
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return aadError(res, 400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    }
    if (form.get('client_id') !== o.clientId) {
      return aadError(
        res,
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${form.get('client_id')}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      );
    }
    let appidacr;
    if (form.has('client_assertion')) {
      if (form.get('client_assertion_type') !== JWT_BEARER) {
        return aadError(
          res,
          400,
          'invalid_request',
          50027,
          `Invalid client_assertion_type '${form.get('client_assertion_type')}'.`,
        );
      }
      if (checkAssertion(res, form.get('client_assertion'), tenant) !== true) return;
      appidacr = '2';
    } else if (form.has('client_secret')) {
      if (!o.clientSecret || form.get('client_secret') !== o.clientSecret) {
        return aadError(
          res,
          401,
          'invalid_client',
          7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${o.clientId}'.`,
        );
      }
      appidacr = '1';
    } else {
      return aadError(
        res,
        401,
        'invalid_client',
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
    }
    // Client credentials take exactly one resource's '/.default'; MSAL may add the OIDC scopes.
    const scopes = (form.get('scope') ?? '')
      .split(' ')
      .filter((s) => s && !['openid', 'profile', 'offline_access'].includes(s));
    if (scopes.length !== 1 || !scopes[0].endsWith('/.default')) {
      return aadError(
        res,
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scopes.join(' ')} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    const aud = scopes[0].slice(0, -'/.default'.length);
    return sendJson(
      res,
      200,
      {
        token_type: 'Bearer',
        expires_in: o.tokenLifetimeSeconds,
        ext_expires_in: o.tokenLifetimeSeconds,
        access_token: mintAccessToken(aud, appidacr),
      },
      { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' },
    );
  }

  /** An Entra access token for the app (or its managed identity) and one audience. */
  function mintAccessToken(aud, appidacr) {
    // The local apiserver cannot validate Entra JWTs; it knows one static token for an
    // Entra cluster admin (the stack's ENTRA_CLUSTER_TOKEN), so that is what the AKS server app gets.
    if (o.aksServerToken && [AKS_SERVER_APP_ID, `api://${AKS_SERVER_APP_ID}`].includes(aud))
      return issued(o.aksServerToken);
    const t = now();
    const claims = {
      aud,
      iss: v1Issuer(),
      iat: t,
      nbf: t,
      exp: t + o.tokenLifetimeSeconds,
      aio: crypto.randomBytes(24).toString('base64url'),
      appid: o.clientId,
      appidacr,
      idp: v1Issuer(),
      idtyp: 'app',
      oid: principalObjectId,
      rh: crypto.randomBytes(16).toString('base64url'),
      sub: principalObjectId,
      tid: o.tenantId,
      uti: crypto.randomBytes(16).toString('base64url'),
      ver: '1.0',
    };
    return issued(signJwt(entraKey, claims));
  }

  /**
   * The managed identity endpoint of Azure App Service / Functions
   * (IDENTITY_ENDPOINT, IDENTITY_HEADER; api-version 2019-08-01): the
   * identity is the app itself here, so its tokens are the app's.
   */
  function managedIdentityToken(req, res, url) {
    if (req.headers['x-identity-header'] !== managedIdentity.header)
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
      access_token: mintAccessToken(resource, '2'),
      expires_on: String(now() + o.tokenLifetimeSeconds),
      resource,
      token_type: 'Bearer',
      client_id: o.clientId,
    });
  }

  async function loginHandler(req, res, url, service) {
    res.setHeader('x-ms-request-id', uuid());
    if (req.headers['client-request-id']) res.setHeader('client-request-id', req.headers['client-request-id']);
    const [tenant, ...rest] = url.pathname.split('/').filter(Boolean);
    const route = rest.join('/');
    const fault = service === 'token' ? takeFault('token') : undefined;
    if (fault) {
      const text =
        fault.status === 403
          ? 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.'
          : 'A transient error has occurred. Please try again.';
      return aadError(
        res,
        fault.status,
        fault.status === 403 ? 'invalid_grant' : 'temporarily_unavailable',
        fault.status === 403 ? 53003 : 90033,
        text,
        retryAfter(fault),
      );
    }
    if (req.method === 'GET' && route === 'discovery/instance') return sendJson(res, 200, instanceDiscovery(url));
    const knownTenant = ['common', 'organizations', o.tenantId].includes(tenant);
    if (
      req.method === 'GET' &&
      (route === 'v2.0/.well-known/openid-configuration' || route === '.well-known/openid-configuration')
    ) {
      if (!knownTenant) {
        return aadError(
          res,
          400,
          'invalid_tenant',
          90002,
          `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
        );
      }
      return sendJson(
        res,
        200,
        openIdConfiguration(tenant === o.tenantId ? tenant : '{tenantid}', route.startsWith('v2.0')),
      );
    }
    if (req.method === 'GET' && (route === 'discovery/v2.0/keys' || route === 'discovery/keys')) {
      return sendJson(res, 200, { keys: [entraKey.jwk] });
    }
    if (req.method === 'POST' && route === 'oauth2/v2.0/token') return tokenEndpoint(req, res, tenant);
    return aadError(
      res,
      404,
      'invalid_request',
      900561,
      `The endpoint only accepts known requests; '${req.method} ${url.pathname}' is not one.`,
    );
  }

  /** Claims of an Entra access token this stand-in issued, or a reason it is not acceptable. */
  function checkEntraToken(token, audiences) {
    const jwt = decodeJwt(token);
    if (!jwt) return { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' };
    const claims = verifyJwt(token, entraKey);
    if (!claims || claims.iss !== v1Issuer()) {
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

  // ------------------------------------------------------------ ARM

  const clusterId = (sub, rg, name) =>
    `/subscriptions/${sub}/resourcegroups/${rg}/providers/Microsoft.ContainerService/managedClusters/${name}`;

  /** Maps an ARM request to its route, the RBAC action it needs and the scope that action is checked on. */
  function armRoute(method, url) {
    const seg = url.pathname.split('/').filter(Boolean);
    const is = (i, word) => seg[i]?.toLowerCase() === word;
    if (!is(0, 'subscriptions') || !seg[1]) return undefined;
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
    if (seg.length === 9 && method === 'POST' && is(8, 'schedulerun'))
      return route('scheduleRun', 'scheduleRun/action');
    if (!is(8, 'runs') || !seg[9]) return undefined;
    const run = { runId: seg[9], scope: `${base.scope}/runs/${seg[9]}` };
    if (seg.length === 10 && method === 'GET') return route('run', 'runs/read', run);
    if (seg.length === 11 && method === 'POST' && is(10, 'listlogsasurl'))
      return route('runLog', 'runs/listLogSasUrl/action', run);
    return undefined;
  }

  const armError = (res, status, code, message, headers = {}) =>
    sendJson(res, status, { error: { code, message } }, headers);
  const authorizationFailed = (res, route, claims) =>
    armError(
      res,
      403,
      'AuthorizationFailed',
      `The client '${claims?.appid ?? o.clientId}' with object id '${claims?.oid ?? principalObjectId}' does not have authorization to perform action '${route?.action ?? 'unknown'}' over scope '${route?.scope ?? 'unknown'}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );

  function armFault(res, fault, route) {
    const headers = retryAfter(fault);
    if (fault.status === 403) return authorizationFailed(res, route);
    if (fault.status === 429) {
      return armError(
        res,
        429,
        'SubscriptionRequestsThrottled',
        `Number of requests for subscription '${o.subscriptionId}' and operation '${route?.action ?? 'unknown'}' exceeded the backend storage limit. Please try again after '${fault.retryAfter ?? 5}' seconds.`,
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
  function cloudMetadata() {
    return {
      portal: 'https://portal.azure.com',
      authentication: {
        loginEndpoint: loginHost(),
        audiences: ['https://management.core.windows.net/', 'https://management.azure.com/'],
        tenant: 'common',
        identityProvider: 'AAD',
      },
      media: 'https://rest.media.azure.net',
      graphAudience: 'https://graph.windows.net/',
      graph: 'https://graph.windows.net/',
      name: 'AzureCloud',
      suffixes: {
        azureDataLakeStoreFileSystem: 'azuredatalakestore.net',
        acrLoginServer: 'azurecr.io',
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
      resourceManager: `${origin.arm}/`,
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

  function managedCluster() {
    const { subscriptionId: sub, resourceGroup: rg, clusterName: name, location } = o;
    const state = cluster.provisioningState;
    const prefix = `${name}-${rg}-${sub.slice(0, 6)}`
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '')
      .slice(0, 54);
    const suffix = crypto.createHash('sha256').update(name).digest('hex').slice(0, 8);
    const properties = {
      provisioningState: state,
      powerState: { code: 'Running' },
      kubernetesVersion: o.kubernetesVersion,
      currentKubernetesVersion: o.kubernetesVersion,
      dnsPrefix: prefix,
      fqdn: `${prefix}-${suffix}.hcp.${location}.azmk8s.io`,
      azurePortalFQDN: `${prefix}-${suffix}.portal.hcp.${location}.azmk8s.io`,
      agentPoolProfiles: [
        {
          name: 'nodepool1',
          count: 1,
          vmSize: 'Standard_D2s_v5',
          osDiskSizeGB: 128,
          osDiskType: 'Managed',
          kubeletDiskType: 'OS',
          maxPods: 110,
          type: 'VirtualMachineScaleSets',
          provisioningState: state,
          powerState: { code: 'Running' },
          orchestratorVersion: o.kubernetesVersion,
          currentOrchestratorVersion: o.kubernetesVersion,
          mode: 'System',
          osType: 'Linux',
          osSKU: 'Ubuntu',
          nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202510.03.0',
          enableFIPS: false,
        },
      ],
      servicePrincipalProfile: { clientId: 'msi' },
      nodeResourceGroup: `MC_${rg}_${name}_${location}`,
      enableRBAC: true,
      supportPlan: 'KubernetesOfficial',
      networkProfile: {
        networkPlugin: 'azure',
        networkPluginMode: 'overlay',
        networkPolicy: 'none',
        loadBalancerSku: 'standard',
        podCidr: '10.244.0.0/16',
        serviceCidr: '10.0.0.0/16',
        dnsServiceIP: '10.0.0.10',
        outboundType: 'loadBalancer',
        podCidrs: ['10.244.0.0/16'],
        serviceCidrs: ['10.0.0.0/16'],
        ipFamilies: ['IPv4'],
      },
      // AKS omits aadProfile for clusters without Entra integration.
      ...(cluster.aadManaged
        ? { aadProfile: { managed: true, adminGroupObjectIDs: null, enableAzureRBAC: true, tenantID: o.tenantId } }
        : {}),
      maxAgentPools: 100,
      disableLocalAccounts: cluster.disableLocalAccounts,
      securityProfile: {},
      storageProfile: {
        diskCSIDriver: { enabled: true },
        fileCSIDriver: { enabled: true },
        snapshotController: { enabled: true },
      },
      oidcIssuerProfile: { enabled: false },
      // Never-enabled KEDA is an empty profile, as AKS returns it; a client must treat both as "off".
      workloadAutoScalerProfile: cluster.kedaAddon ? { keda: { enabled: true } } : {},
      resourceUID: crypto.createHash('sha256').update(`${sub}/${rg}/${name}`).digest('hex').slice(0, 24),
    };
    return {
      id: clusterId(sub, rg, name),
      location,
      name,
      type: 'Microsoft.ContainerService/ManagedClusters',
      sku: { name: 'Base', tier: 'Free' },
      identity: { type: 'SystemAssigned', principalId: principalObjectId, tenantId: o.tenantId },
      properties,
    };
  }

  /** The kubelogin exec kubeconfig AKS returns for Entra-managed clusters, aimed at the local apiserver. */
  function aadKubeconfig() {
    const server = /^\s*server:\s*(\S+)\s*$/m.exec(o.kubeconfig)?.[1];
    let ca = /^\s*certificate-authority-data:\s*(\S+)\s*$/m.exec(o.kubeconfig)?.[1];
    const caFile = /^\s*certificate-authority:\s*(\S+)\s*$/m.exec(o.kubeconfig)?.[1];
    if (!ca && caFile) ca = fs.readFileSync(caFile).toString('base64');
    const { clusterName: name, resourceGroup: rg } = o;
    const user = `clusterUser_${rg}_${name}`;
    const args = [
      'get-token',
      '--environment',
      'AzurePublicCloud',
      '--server-id',
      AKS_SERVER_APP_ID,
      '--client-id',
      AKS_CLIENT_APP_ID,
      '--tenant-id',
      o.tenantId,
      '--login',
      'devicecode',
    ];
    return [
      'apiVersion: v1',
      'clusters:',
      '- cluster:',
      `    certificate-authority-data: ${ca}`,
      `    server: ${server}`,
      `  name: ${name}`,
      'contexts:',
      '- context:',
      `    cluster: ${name}`,
      `    user: ${user}`,
      `  name: ${name}`,
      `current-context: ${name}`,
      'kind: Config',
      'preferences: {}',
      'users:',
      `- name: ${user}`,
      '  user:',
      '    exec:',
      '      apiVersion: client.authentication.k8s.io/v1beta1',
      '      args:',
      ...args.map((a) => `      - ${a}`),
      '      command: kubelogin',
      '      env: null',
      '      installHint: |2',
      '',
      '        kubelogin is not installed which is required to connect to AAD enabled cluster.',
      '',
      '        To learn more, please go to https://aka.ms/aks/kubelogin',
      '      provideClusterInfo: false',
      '',
    ].join('\n');
  }

  const kubeconfigs = (name, yaml) => ({ kubeconfigs: [{ name, value: Buffer.from(yaml).toString('base64') }] });

  async function putCluster(req, res, route) {
    const body = JSON.parse((await readBody(req)) || '{}');
    if (route.name.toLowerCase() !== o.clusterName.toLowerCase()) {
      return armError(res, 400, 'BadRequest', `The stand-in serves one managed cluster, '${o.clusterName}'.`);
    }
    if (!body.location)
      return armError(res, 400, 'InvalidParameter', "Required parameter 'location' is missing (null).");
    const running = [...operations.values()].find((op) => op.status === 'InProgress');
    if (running) {
      return armError(
        res,
        409,
        'OperationNotAllowed',
        `Operation is not allowed because there's an in progress update managed cluster operation on the managed cluster started at ${running.startTime}. Please wait for it to complete.`,
      );
    }
    const p = body.properties ?? {};
    if (p.workloadAutoScalerProfile?.keda?.enabled !== undefined)
      cluster.kedaAddon = Boolean(p.workloadAutoScalerProfile.keda.enabled);
    if (p.disableLocalAccounts !== undefined) cluster.disableLocalAccounts = Boolean(p.disableLocalAccounts);
    if (p.aadProfile?.managed !== undefined) cluster.aadManaged = Boolean(p.aadProfile.managed);
    const created = !cluster.exists;
    cluster.exists = true;
    cluster.provisioningState = created ? 'Creating' : 'Updating';
    const id = uuid();
    operations.set(id, { status: 'InProgress', polls: 0, startTime: new Date().toISOString() });
    const asyncOperation = `${origin.arm}/subscriptions/${o.subscriptionId}/providers/Microsoft.ContainerService/locations/${o.location}/operations/${id}?api-version=2016-03-30`;
    return sendJson(res, created ? 201 : 200, managedCluster(), { 'azure-asyncoperation': asyncOperation });
  }

  /** The Azure-AsyncOperation status resource: InProgress for `lroPolls` polls, then Succeeded. */
  function operationStatus(res, route) {
    const op = operations.get(route.id);
    if (!op) return armError(res, 404, 'NotFound', `Operation '${route.id}' was not found.`);
    if (op.status === 'InProgress' && ++op.polls > o.lroPolls) {
      op.status = 'Succeeded';
      op.endTime = new Date().toISOString();
      cluster.provisioningState = 'Succeeded';
    }
    return sendJson(res, 200, {
      id: route.scope,
      name: route.id,
      status: op.status,
      startTime: op.startTime,
      ...(op.endTime ? { endTime: op.endTime } : {}),
    });
  }

  async function armHandler(req, res, url) {
    res.setHeader('x-ms-request-id', uuid());
    res.setHeader('x-ms-correlation-request-id', req.headers['x-ms-correlation-request-id'] ?? uuid());
    const route = armRoute(req.method, url);
    const fault = takeFault('arm');
    if (fault) return armFault(res, fault, route);
    if (!url.searchParams.get('api-version')) {
      return armError(
        res,
        400,
        'MissingApiVersionParameter',
        'The api-version query parameter (?api-version=) is required for all requests.',
      );
    }
    // Cloud discovery is anonymous, as on management.azure.com.
    if (req.method === 'GET' && url.pathname === '/metadata/endpoints') return sendJson(res, 200, cloudMetadata());

    const token = bearer(req);
    const challenge = (desc) => ({
      'www-authenticate': `Bearer authorization_uri="${loginHost()}/", error="invalid_token", error_description="${desc}"`,
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
    const auth = checkEntraToken(token, ARM_AUDIENCES);
    if (!auth.claims) return armError(res, 401, auth.code, auth.message, challenge('The access token is invalid.'));

    if (!route)
      return armError(
        res,
        404,
        'NotFound',
        `No HTTP resource was found that matches the request URI '${origin.arm}${url.pathname}'.`,
      );
    if (route.sub !== o.subscriptionId)
      return armError(res, 404, 'SubscriptionNotFound', `The subscription '${route.sub}' could not be found.`);
    if (!isAllowed(route.action)) return authorizationFailed(res, route, auth.claims);
    if (route.kind === 'operation') return operationStatus(res, route);
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
    // One registry, in the stand-in's resource group: both list scopes find it.
    if (route.kind === 'registries') return sendJson(res, 200, { value: [registryResource()] });
    if (['registry', 'uploadUrl', 'scheduleRun', 'run', 'runLog'].includes(route.kind))
      return registryHandler(req, res, route);
    if (route.kind === 'put') return putCluster(req, res, route);
    if (route.name.toLowerCase() !== o.clusterName.toLowerCase() || !cluster.exists) {
      return armError(
        res,
        404,
        'ResourceNotFound',
        `The Resource 'Microsoft.ContainerService/managedClusters/${route.name}' under resource group '${route.rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
      );
    }
    if (route.kind === 'get') return sendJson(res, 200, managedCluster());
    if (route.kind === 'userCredential') {
      return sendJson(res, 200, kubeconfigs('clusterUser', cluster.aadManaged ? aadKubeconfig() : o.kubeconfig));
    }
    // route.kind === 'adminCredential'
    if (cluster.disableLocalAccounts) {
      return armError(
        res,
        400,
        'BadRequest',
        'Getting static credential is not allowed because this cluster is set to disable local accounts.',
      );
    }
    return sendJson(res, 200, kubeconfigs('clusterAdmin', o.kubeconfig));
  }

  const registryId = () =>
    `/subscriptions/${o.subscriptionId}/resourceGroups/${o.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${o.registryName}`;
  const notFound = (res, route, type) =>
    armError(
      res,
      404,
      'ResourceNotFound',
      `The Resource '${type}' under resource group '${route.rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );

  async function registryHandler(req, res, route) {
    if (route.name.toLowerCase() !== o.registryName.toLowerCase())
      return notFound(res, route, `Microsoft.ContainerRegistry/registries/${route.name}`);
    if (route.kind === 'registry') return sendJson(res, 200, registryResource());
    if (route.kind === 'uploadUrl') return sourceUploadUrl(res);
    if (route.kind === 'scheduleRun') return scheduleRun(req, res);
    const run = tasks.runs.get(route.runId);
    if (!run) return notFound(res, route, `Microsoft.ContainerRegistry/registries/${route.name}/runs/${route.runId}`);
    if (route.kind === 'run') return sendJson(res, 200, runResource(run));
    // route.kind === 'runLog'
    return sendJson(res, 200, { logLink: await tasks.sasUrl(run.log, 'r') });
  }

  function registryResource() {
    return {
      sku: { name: 'Standard', tier: 'Standard' },
      type: 'Microsoft.ContainerRegistry/registries',
      id: registryId(),
      name: o.registryName,
      location: o.location,
      tags: {},
      properties: {
        loginServer: acrLoginServer(),
        creationDate: '2025-01-01T00:00:00.0000000Z',
        provisioningState: 'Succeeded',
        adminUserEnabled: Boolean(o.registry),
        publicNetworkAccess: 'Enabled',
        anonymousPullEnabled: false,
      },
    };
  }

  // ------------------------------------------------------------ ACR

  const acrLoginServer = () => origin.acr.replace('https://', '');

  /** The registry data actions the principal's role assignments grant (the refresh token's permissions). */
  function acrPermissions() {
    if (allowedActions === undefined) return ['*'];
    return Object.values(ACR_ACTIONS).filter((a) => isAllowed(a));
  }

  /** Docker actions an ACR refresh token (or admin login) may be granted on a repository. */
  function grantable(permissions) {
    if (permissions.includes('*')) return ['pull', 'push', 'delete', '*'];
    return Object.entries(ACR_ACTIONS)
      .filter(([, a]) => permissions.includes(a))
      .map(([k]) => k);
  }

  function acrError(res, status, code, message, detail = null, headers = {}) {
    sendJson(
      res,
      status,
      { errors: [{ code, message, detail }] },
      { 'docker-distribution-api-version': 'registry/2.0', ...headers },
    );
  }

  function acrFault(res, fault) {
    const code = { 429: 'TOOMANYREQUESTS', 403: 'DENIED', 503: 'UNAVAILABLE' }[fault.status] ?? 'UNKNOWN';
    acrError(res, fault.status, code, `injected fault (${fault.status})`, null, retryAfter(fault));
  }

  /** POST /oauth2/exchange: an Entra access token for an ACR refresh token. */
  async function exchange(req, res) {
    const form = new URLSearchParams(await readBody(req));
    if (form.get('grant_type') !== 'access_token') {
      return acrError(
        res,
        400,
        'UNSUPPORTED',
        `grant_type '${form.get('grant_type')}' is not supported; use access_token.`,
      );
    }
    if (form.get('service') !== acrLoginServer())
      return acrError(res, 400, 'UNAUTHORIZED', `Invalid service '${form.get('service')}'.`);
    const auth = checkEntraToken(form.get('access_token'), [...ARM_AUDIENCES, ACR_AUDIENCE, `${ACR_AUDIENCE}/`]);
    if (!auth.claims) return acrError(res, 401, 'UNAUTHORIZED', `Invalid AAD access token: ${auth.message}`);
    if (form.get('tenant') && form.get('tenant') !== auth.claims.tid) {
      return acrError(
        res,
        401,
        'UNAUTHORIZED',
        `The AAD access token was not issued for tenant '${form.get('tenant')}'.`,
      );
    }
    const t = now();
    const refreshToken = signJwt(acrKey, {
      jti: uuid(),
      sub: auth.claims.oid,
      nbf: t,
      exp: t + 3 * 3600,
      iat: t,
      iss: 'Azure Container Registry',
      aud: acrLoginServer(),
      version: '1.0',
      rid: uuid().replace(/-/g, ''),
      grant_type: 'refresh_token',
      appid: auth.claims.appid,
      tenant: auth.claims.tid,
      permissions: { actions: acrPermissions(), notActions: [] },
      roles: [],
    });
    return sendJson(res, 200, { refresh_token: issued(refreshToken) });
  }

  /** The identity behind an ACR credential: the null GUID + refresh token, or the admin user. */
  function acrPrincipal(username, secret) {
    if (username === ACR_NULL_GUID || username === undefined) {
      const claims = verifyJwt(secret, acrKey);
      if (!claims || claims.grant_type !== 'refresh_token' || claims.aud !== acrLoginServer() || !(claims.exp > now()))
        return undefined;
      return { sub: claims.sub, tenant: claims.tenant, permissions: claims.permissions?.actions ?? [] };
    }
    if (o.registry && username === o.registry.username && secret === o.registry.password)
      return { sub: username, permissions: ['*'] };
    return undefined;
  }

  /** Parses Docker scopes (`repository:name:pull,push`) and grants what the principal may do. */
  function grantAccess(principal, scopes) {
    const may = grantable(principal.permissions);
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
  async function acrToken(req, res, url) {
    let params = url.searchParams;
    let principal;
    if (req.method === 'POST') {
      params = new URLSearchParams(await readBody(req));
      const grant = params.get('grant_type');
      if (grant === 'refresh_token') principal = acrPrincipal(ACR_NULL_GUID, params.get('refresh_token'));
      else if (grant === 'password') principal = acrPrincipal(params.get('username'), params.get('password'));
      else return acrError(res, 400, 'UNSUPPORTED', `grant_type '${grant}' is not supported.`);
    } else {
      const basic = basicAuth(req);
      principal = basic && acrPrincipal(basic.username, basic.password);
    }
    if (params.get('service') !== acrLoginServer())
      return acrError(res, 400, 'UNAUTHORIZED', `Invalid service '${params.get('service')}'.`);
    if (!principal)
      return acrError(
        res,
        401,
        'UNAUTHORIZED',
        'authentication required, visit https://aka.ms/acr/authorization for more information.',
      );
    const t = now();
    const accessToken = signJwt(acrKey, {
      jti: uuid(),
      sub: principal.sub,
      nbf: t,
      exp: t + 75 * 60,
      iat: t,
      iss: 'Azure Container Registry',
      aud: acrLoginServer(),
      version: '1.0',
      grant_type: 'access_token',
      access: grantAccess(principal, params.getAll('scope')),
      roles: [],
      ...(principal.tenant ? { tenant: principal.tenant } : {}),
    });
    return sendJson(res, 200, { access_token: issued(accessToken) });
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
        'www-authenticate': `Bearer realm="https://${acrLoginServer()}/oauth2/token",service="${acrLoginServer()}"${scope}`,
      },
    );
  }

  /** /v2/...: checks the ACR token, then forwards (streaming) to the real registry with its own credentials. */
  function registryApi(req, res, url) {
    const need = requiredAccess(req.method, url.pathname);
    let access;
    const token = bearer(req);
    const basic = basicAuth(req);
    if (token) {
      const claims = verifyJwt(token, acrKey);
      if (claims && claims.grant_type === 'access_token' && claims.aud === acrLoginServer() && claims.exp > now())
        access = claims.access ?? [];
    } else if (basic) {
      const principal = acrPrincipal(basic.username, basic.password);
      if (principal) access = grantAccess(principal, need ? [`${need.type}:${need.name}:${need.action}`] : []);
    }
    if (!access) return challenge(res, need);
    const granted =
      !need ||
      access.some(
        (a) =>
          a.type === need.type && a.name === need.name && (a.actions.includes(need.action) || a.actions.includes('*')),
      );
    if (!granted) return challenge(res, need);
    return proxy(req, res, url);
  }

  function proxy(req, res, url) {
    const upstream = o.registry;
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
        if (out.location) out.location = out.location.replace(/^https?:\/\/[^/]+/i, `https://${acrLoginServer()}`);
        res.writeHead(upRes.statusCode ?? 502, out);
        upRes.pipe(res);
      },
    );
    up.on('error', (e) =>
      res.headersSent ? res.destroy() : acrError(res, 502, 'UNAVAILABLE', `registry unreachable: ${e.message}`),
    );
    req.pipe(up);
  }

  async function acrHandler(req, res, url, service) {
    const fault = takeFault(service);
    if (fault) return acrFault(res, fault);
    if (url.pathname === '/oauth2/exchange' && req.method === 'POST') return exchange(req, res);
    if (url.pathname === '/oauth2/token' && (req.method === 'GET' || req.method === 'POST'))
      return acrToken(req, res, url);
    if (url.pathname === '/v2' || url.pathname.startsWith('/v2/')) return registryApi(req, res, url);
    return acrError(res, 404, 'NOT_FOUND', `${req.method} ${url.pathname} is not an ACR endpoint`);
  }

  // ------------------------------------------------------------ ACR Tasks (quick builds)

  // `az acr build` as ACR runs it: the context goes to a SAS URL in the registry's storage, a
  // DockerBuildRequest queues a run, the run builds and pushes, and its log is an append blob the
  // client reads in ranges. Here the storage is Azurite (one container per start, so run IDs never
  // meet an old log), the build runs on the stack's Docker daemon with the legacy builder (there
  // is no buildx), and the push goes straight to the registry behind the ACR proxy.
  const tasks = {
    runs: new Map(),
    children: new Set(),
    count: 0,
    // ACR run IDs are short: a two-letter prefix and a base-36 counter (ca1, ca2, … ca1a).
    prefix: `c${String.fromCharCode(97 + crypto.randomInt(26))}`,
    containerName: `acrtasks-${crypto.randomBytes(4).toString('hex')}`,
    container: undefined,
    /** The Azurite container, made on first use; @azure/storage-blob is loaded only then. */
    async storage() {
      tasks.container ??= (async () => {
        const connectionString = o.storage?.connectionString;
        if (!connectionString)
          throw new Error('ACR Tasks need options.storage.connectionString (or AZURE_STORAGE_CONNECTION_STRING)');
        const blob = await import('@azure/storage-blob');
        tasks.BlobSASPermissions = blob.BlobSASPermissions;
        const container = blob.BlobServiceClient.fromConnectionString(connectionString).getContainerClient(
          tasks.containerName,
        );
        await container.createIfNotExists();
        return container;
      })().catch((e) => {
        tasks.container = undefined;
        throw e;
      });
      return tasks.container;
    },
    /** A SAS URL for one blob, signed with the account key as the registry's storage signs it. */
    sasUrl: (blob, permissions) =>
      blob.generateSasUrl({
        permissions: tasks.BlobSASPermissions.parse(permissions),
        expiresOn: new Date(Date.now() + 3600_000),
      }),
  };
  const isoNow = () => new Date().toISOString();
  /** acb's timestamp at the start of its own log lines: UTC, 2025/01/31 12:00:00. */
  const stamp = () => isoNow().slice(0, 19).replace('T', ' ').replace(/-/g, '/');

  /** POST listBuildSourceUploadUrl: a write SAS for a fresh block blob and the path a run request names it by. */
  async function sourceUploadUrl(res) {
    const container = await tasks.storage();
    const relativePath = `source/${isoNow().replace(/\D/g, '').slice(0, 12)}/${uuid()}.tar.gz`;
    return sendJson(res, 200, {
      relativePath,
      uploadUrl: await tasks.sasUrl(container.getBlockBlobClient(relativePath), 'rw'),
    });
  }

  /** POST scheduleRun: queues a DockerBuildRequest and answers 200 with the queued Run (the SDK's LRO is then done). */
  async function scheduleRun(req, res) {
    const request = JSON.parse((await readBody(req)) || '{}');
    const bad = (message) => armError(res, 400, 'BadRequest', message);
    if (request.type !== 'DockerBuildRequest')
      return bad(`The stand-in runs only a DockerBuildRequest, not '${request.type}'.`);
    if (!request.dockerFilePath) return bad("Required property 'dockerFilePath' is missing.");
    if (!request.platform?.os) return bad("Required property 'platform.os' is missing.");
    if (!request.sourceLocation) return bad("Required property 'sourceLocation' is missing.");
    if (request.isPushEnabled && !request.imageNames?.length)
      return bad("'imageNames' is required when 'isPushEnabled' is true.");
    const container = await tasks.storage();
    const runId = `${tasks.prefix}${(++tasks.count).toString(36)}`;
    const log = container.getAppendBlobClient(`logs/${runId}/rawtext.log`);
    await log.create();
    const t = isoNow();
    const run = { runId, status: 'Queued', createTime: t, lastUpdatedTime: t, request, log };
    tasks.runs.set(runId, run);
    setImmediate(() =>
      executeRun(run).catch((e) => setRun(run, { status: 'Failed', finishTime: isoNow(), runErrorMessage: e.message })),
    );
    return sendJson(res, 200, runResource(run));
  }

  function runResource(run) {
    const { os: runOs = 'Linux', architecture = 'amd64', variant } = run.request.platform ?? {};
    const optional = Object.fromEntries(
      ['startTime', 'finishTime', 'outputImages', 'runErrorMessage']
        .filter((k) => run[k] !== undefined)
        .map((k) => [k, run[k]]),
    );
    return {
      type: 'Microsoft.ContainerRegistry/registries/runs',
      id: `${registryId()}/runs/${run.runId}`,
      name: run.runId,
      properties: {
        runId: run.runId,
        status: run.status,
        lastUpdatedTime: run.lastUpdatedTime,
        runType: 'QuickRun',
        createTime: run.createTime,
        ...optional,
        platform: { os: runOs, architecture, ...(variant ? { variant } : {}) },
        agentConfiguration: { cpu: 2 },
        provisioningState: 'Succeeded',
        isArchiveEnabled: Boolean(run.request.isArchiveEnabled),
      },
    };
  }

  /** `repo:tag` (or `loginServer/repo:tag`, with `{{.Run.ID}}` filled in) as repository and tag. */
  function imageName(name, runId) {
    let ref = name.replaceAll('{{.Run.ID}}', runId).replaceAll('{{.Run.Registry}}', acrLoginServer());
    for (const host of [acrLoginServer(), `${o.registryName}.azurecr.io`]) {
      if (ref.toLowerCase().startsWith(`${host.toLowerCase()}/`)) ref = ref.slice(host.length + 1);
    }
    const colon = ref.lastIndexOf(':');
    return colon > ref.lastIndexOf('/')
      ? { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) }
      : { repository: ref, tag: 'latest' };
  }

  /**
   * The run's log: CRLF lines appended as they come (az acr build splits on \r\n), secrets masked,
   * the upstream registry named as the ACR login server. Appends are chained, so lines that
   * arrive during one append go out together in the next. On close the blob gets the metadata
   * `Complete: <status>`, which is how a log reader knows the log has ended.
   */
  function runLog(run, secrets) {
    let pending = '';
    let chain = Promise.resolve();
    const flush = () =>
      (chain = chain
        .then(async () => {
          const data = Buffer.from(pending);
          pending = '';
          for (let i = 0; i < data.length; i += 4 << 20) {
            const block = data.subarray(i, i + (4 << 20));
            await run.log.appendBlock(block, block.length);
          }
        })
        .catch(() => undefined));
    return {
      line(text) {
        for (const secret of secrets) text = text.split(secret).join('*****');
        if (o.registry) text = text.split(o.registry.upstream).join(acrLoginServer());
        pending += `${text}\r\n`;
        flush();
      },
      async close(status) {
        await flush();
        await run.log.setMetadata({ Complete: status }).catch(() => undefined);
      },
    };
  }

  /** Runs the docker CLI on the stack's daemon, each output line to the log; rejects with the last error line. */
  function docker(args, { config, input, log }) {
    return new Promise((resolve, reject) => {
      if (tasks.closed) return reject(new Error('the stand-ins were closed'));
      const env = {
        ...process.env,
        DOCKER_BUILDKIT: '0',
        DOCKER_CONFIG: config,
        ...(o.docker?.host ? { DOCKER_HOST: o.docker.host } : {}),
      };
      const child = spawn('docker', args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
      tasks.children.add(child);
      let output = '';
      let reason = '';
      const follow = (stream, isError) => {
        let rest = '';
        const take = (line) => {
          // The CLI's own notice that the legacy builder is deprecated is not build output.
          if (/^DEPRECATED: The legacy builder|^\s+(BuildKit is currently disabled|environment-variable\.)/.test(line))
            return;
          if (isError && line.trim()) reason = line.trim();
          output += `${line}\n`;
          log?.line(line);
        };
        // A '\r' rewrites the line on a terminal: only what it ends with is kept.
        const text = (line) => line.split('\r').filter(Boolean).pop() ?? '';
        stream.on('data', (chunk) => {
          const lines = (rest + chunk).split('\n');
          rest = lines.pop();
          lines.map(text).forEach(take);
        });
        stream.on('end', () => rest && take(text(rest)));
      };
      follow(child.stdout, false);
      follow(child.stderr, true);
      child.stdin.on('error', () => undefined); // docker may stop reading once the build fails
      if (input) input.on('error', (e) => ((reason = e.message), child.kill())).pipe(child.stdin);
      else child.stdin.end();
      child.on('error', (e) => (tasks.children.delete(child), reject(e)));
      child.on('close', (code) => {
        tasks.children.delete(child);
        if (code === 0) resolve(output);
        else reject(Object.assign(new Error(`exit status ${code}`), { reason }));
      });
    });
  }

  /** The build context: the uploaded blob (by its relative path) or any http(s) URL of a tar.gz. */
  async function openSource(location) {
    if (/^https?:\/\//i.test(location)) {
      const reply = await fetch(location);
      if (!reply.ok) throw new Error(`GET ${location.split('?')[0]} returned ${reply.status}`);
      return Readable.fromWeb(reply.body);
    }
    const download = await (await tasks.storage()).getBlobClient(location).download();
    return download.readableStreamBody;
  }

  function setRun(run, changes) {
    Object.assign(run, changes, { lastUpdatedTime: isoNow() });
  }

  /** Queued → Running → Succeeded | Failed; the status turns final only once the whole log is written. */
  async function executeRun(run) {
    const r = run.request;
    const args = r.arguments ?? [];
    const log = runLog(
      run,
      args.filter((a) => a.isSecret && a.value).map((a) => String(a.value)),
    );
    const config = fs.mkdtempSync(path.join(dir, `run-${run.runId}-`));
    const started = Date.now();
    const images = (r.imageNames ?? []).map((n) => imageName(n, run.runId));
    const upstream = (i) => `${o.registry.upstream}/${i.repository}:${i.tag}`;
    let failure;
    setRun(run, { status: 'Running', startTime: isoNow() });
    try {
      if (!o.registry)
        throw Object.assign(new Error('the ACR stand-in was started without options.registry'), { early: true });
      // The registry's credentials, never the caller's: an ACR task pushes as the registry.
      const { upstream: host, username, password } = o.registry;
      const auths = username ? { [host]: { auth: Buffer.from(`${username}:${password}`).toString('base64') } } : {};
      fs.writeFileSync(path.join(config, 'config.json'), JSON.stringify({ auths }), { mode: 0o600 });
      log.line(`${stamp()} Downloading source code...`);
      const source = await openSource(r.sourceLocation).catch((e) => {
        throw Object.assign(new Error(`failed to download the source from '${r.sourceLocation}': ${e.message}`), {
          early: true,
        });
      });
      log.line(`${stamp()} Finished downloading source code`);
      log.line(`${stamp()} Logging in to registry: ${acrLoginServer()}`);
      log.line(`${stamp()} Successfully logged into ${acrLoginServer()}`);
      log.line(
        `${stamp()} Executing step ID: build. Timeout(sec): ${r.timeout ?? 3600}, Working directory: '', Network: 'acb_default_network'`,
      );
      const { os: runOs = 'Linux', architecture = 'amd64', variant } = r.platform;
      const platform = [runOs.toLowerCase(), architecture === 'x86' ? '386' : architecture, variant]
        .filter(Boolean)
        .join('/');
      await docker(
        [
          'build',
          '-f',
          r.dockerFilePath,
          '--platform',
          platform,
          ...images.flatMap((i) => ['-t', upstream(i)]),
          ...args.flatMap((a) => ['--build-arg', `${a.name}=${a.value ?? ''}`]),
          ...(r.target ? ['--target', r.target] : []),
          ...(r.noCache ? ['--no-cache'] : []),
          '-',
        ],
        { config, input: source, log },
      );
      log.line(`${stamp()} Successfully executed container: build`);
      const outputImages = [];
      if (r.isPushEnabled) {
        log.line(`${stamp()} Executing step ID: push. Timeout(sec): 3600, Working directory: '', Network: ''`);
        for (const image of images) {
          const name = `${acrLoginServer()}/${image.repository}:${image.tag}`;
          log.line(`${stamp()} Pushing image: ${name}, attempt 1`);
          const output = await docker(['push', upstream(image)], { config, log });
          const digest = /digest: (sha256:[0-9a-f]{64})/.exec(output)?.[1];
          log.line(`${stamp()} Successfully pushed image: ${name}`);
          outputImages.push({
            registry: acrLoginServer(),
            repository: image.repository,
            tag: image.tag,
            ...(digest ? { digest } : {}),
          });
        }
      }
      log.line(
        `${stamp()} Step ID: build marked as successful (elapsed time in seconds: ${((Date.now() - started) / 1000).toFixed(6)})`,
      );
      run.outputImages = outputImages.length ? outputImages : undefined;
    } catch (e) {
      // ACR says which step's process failed; the reason (docker's last error line) is added, as the log shows it.
      failure = e.early ? e.message : `failed during run, err: ${e.message}${e.reason ? `: ${e.reason}` : ''}`;
    } finally {
      // Nothing stays tagged on the daemon: the registry holds the result.
      if (images.length && o.registry)
        await docker(['rmi', ...images.map(upstream)], { config }).catch(() => undefined);
      fs.rmSync(config, { recursive: true, force: true });
    }
    const seconds = Math.max(1, Math.round((Date.now() - started) / 1000));
    const status = failure ? 'Failed' : 'Succeeded';
    log.line(
      failure
        ? `Run ID: ${run.runId} failed after ${seconds}s. Error: ${failure}`
        : `Run ID: ${run.runId} was successful after ${seconds}s`,
    );
    await log.close(status);
    setRun(run, { status, finishTime: isoNow(), ...(failure ? { runErrorMessage: failure } : {}) });
  }

  // ------------------------------------------------------------ CI OIDC token services

  const pipelinesOrgId = uuid();
  const github = {
    runtime: crypto.randomBytes(12).toString('hex'),
    plan: uuid(),
    job: uuid(),
    requestToken: crypto.randomBytes(32).toString('base64url'),
  };
  const pipelines = {
    project: uuid(),
    plan: uuid(),
    job: uuid(),
    accessToken: crypto.randomBytes(32).toString('base64url'),
    serviceConnectionId: uuid(),
  };
  tokensIssued.push(github.requestToken, pipelines.accessToken);

  /** A GitHub Actions ID token (the claims GitHub puts in one), signed by the stand-in issuer. */
  function issueOidcToken({
    sub = o.federatedSubject,
    aud = TOKEN_EXCHANGE_AUDIENCE,
    lifetimeSeconds = o.oidcLifetimeSeconds,
  } = {}) {
    const t = now();
    const exp = t + lifetimeSeconds;
    const start = Math.min(t, exp - 60);
    const m = /^repo:([^/]+)\/([^:]+):(?:ref:(.+)|environment:.+|pull_request)$/.exec(sub);
    const ref = m?.[3] ?? 'refs/heads/main';
    return issued(
      signJwt(githubKey, {
        jti: uuid(),
        sub,
        aud,
        ref,
        sha: crypto.randomBytes(20).toString('hex'),
        repository: m ? `${m[1]}/${m[2]}` : 'contoso/functions-app',
        repository_owner: m?.[1] ?? 'contoso',
        run_id: '1',
        run_number: '1',
        run_attempt: '1',
        actor: 'octocat',
        workflow: 'deploy',
        event_name: 'push',
        ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
        runner_environment: 'github-hosted',
        iss: `${origin.ci}/github`,
        nbf: start,
        iat: start,
        exp,
      }),
    );
  }

  function ciHandler(req, res, url) {
    const fault = takeFault('oidc');
    if (fault) return sendJson(res, fault.status, { message: `injected fault (${fault.status})` }, retryAfter(fault));
    const p = url.pathname;
    if (req.method === 'GET' && p === '/msi/token') return managedIdentityToken(req, res, url);
    for (const [iss, { signer }] of Object.entries(oidcIssuers())) {
      const base = new URL(iss).pathname;
      if (p === `${base}/.well-known/openid-configuration`) {
        return sendJson(res, 200, {
          issuer: iss,
          jwks_uri: `${iss}/.well-known/jwks`,
          subject_types_supported: ['public', 'pairwise'],
          response_types_supported: ['id_token'],
          claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf'],
          id_token_signing_alg_values_supported: ['RS256'],
          scopes_supported: ['openid'],
        });
      }
      if (p === `${base}/.well-known/jwks`) return sendJson(res, 200, { keys: [signer.jwk] });
    }
    if (
      req.method === 'GET' &&
      p === `/${github.runtime}/_apis/distributedtask/hubs/Actions/plans/${github.plan}/jobs/${github.job}/idtoken`
    ) {
      if (bearer(req) !== github.requestToken) return sendJson(res, 401, { message: 'Bad credentials' });
      const aud =
        url.searchParams.get('audience') ?? `https://github.com/${o.federatedSubject.split(/[:/]/)[1] ?? 'contoso'}`;
      return sendJson(res, 200, { count: 1, value: issueOidcToken({ aud }) });
    }
    if (
      req.method === 'POST' &&
      p ===
        `/contoso/${pipelines.project}/_apis/distributedtask/hubs/build/plans/${pipelines.plan}/jobs/${pipelines.job}/oidctoken`
    ) {
      if (bearer(req) !== pipelines.accessToken)
        return sendJson(res, 401, { message: 'TF400813: The user is not authorized to access this resource.' });
      const apiVersion = url.searchParams.get('api-version');
      if (!apiVersion)
        return sendJson(res, 400, { message: 'VssInvalidPreviewVersionException: an api-version is required.' });
      const scId = url.searchParams.get('serviceConnectionId');
      if (scId !== pipelines.serviceConnectionId) {
        return sendJson(res, 404, {
          $id: '1',
          innerException: null,
          message: `Service connection ${scId} was not found.`,
          typeName: 'Microsoft.TeamFoundation.DistributedTask.WebApi.ServiceEndpointNotFoundException',
          typeKey: 'ServiceEndpointNotFoundException',
          errorCode: 0,
          eventId: 3000,
        });
      }
      const t = now();
      const iss = `${origin.ci}/vstoken/${pipelinesOrgId}`;
      const token = signJwt(pipelinesKey, {
        jti: uuid(),
        sub: o.pipelinesSubject,
        aud: TOKEN_EXCHANGE_AUDIENCE,
        iss,
        nbf: t,
        iat: t,
        exp: t + o.oidcLifetimeSeconds,
      });
      return sendJson(res, 200, { oidcToken: issued(token) });
    }
    return sendJson(res, 404, { message: `${req.method} ${p} is not a CI token endpoint` });
  }

  // ------------------------------------------------------------ start

  try {
    await start('login', (u) => (u.pathname.endsWith('/oauth2/v2.0/token') ? 'token' : 'login'), loginHandler);
    await start('arm', () => 'arm', armHandler);
    await start('acr', (u) => (u.pathname === '/oauth2/exchange' ? 'exchange' : 'registry'), acrHandler);
    await start('ci', () => 'oidc', ciHandler);
  } catch (e) {
    for (const s of Object.values(servers)) s.close();
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }

  return {
    caFile: tls.caFile,
    authorityHost: origin.login,
    armEndpoint: `${origin.arm}/`,
    acrLoginServer: acrLoginServer(),
    managedIdentity: { endpoint: `${origin.ci}/msi/token`, header: managedIdentity.header },
    githubOidc: {
      requestUrl: `${origin.ci}/${github.runtime}/_apis/distributedtask/hubs/Actions/plans/${github.plan}/jobs/${github.job}/idtoken?api-version=2.0`,
      requestToken: github.requestToken,
      issuer: `${origin.ci}/github`,
    },
    pipelinesOidc: {
      requestUri: `${origin.ci}/contoso/${pipelines.project}/_apis/distributedtask/hubs/build/plans/${pipelines.plan}/jobs/${pipelines.job}/oidctoken`,
      accessToken: pipelines.accessToken,
      serviceConnectionId: pipelines.serviceConnectionId,
      issuer: `${origin.ci}/vstoken/${pipelinesOrgId}`,
    },
    principalObjectId,
    clusterResourceId: clusterId(o.subscriptionId, o.resourceGroup, o.clusterName),
    issueOidcToken,
    inject({ service, status, retryAfter: after, times = 1 }) {
      if (!['token', 'arm', 'exchange', 'registry', 'oidc'].includes(service))
        throw new Error(`inject: unknown service '${service}'`);
      faults.push({ service, status, retryAfter: after, times });
    },
    requests,
    tokensIssued,
    setCluster(partial) {
      Object.assign(cluster, partial);
    },
    setAllowedActions(actions) {
      allowedActions = actions;
    },
    async close() {
      tasks.closed = true;
      for (const child of tasks.children) child.kill();
      await tasks.container?.then((c) => c.deleteIfExists()).catch(() => undefined);
      await Promise.all(
        Object.values(servers).map(
          (s) =>
            new Promise((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
