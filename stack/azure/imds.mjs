// The Azure Instance Metadata Service's managed identity endpoint, as a VM or
// VMSS instance serves it to the processes on it (a self-hosted runner): plain
// HTTP on a link-local address in Azure, here on loopback, which clients reach
// through AZURE_POD_IDENTITY_AUTHORITY_HOST (@azure/identity and MSAL read it
// as the IMDS address). The identity is the app's own, as in entra.mjs.
import { sendJson } from './http.mjs';
import { mintAccessToken } from './entra.mjs';
import { now } from './state.mjs';

/** How IMDS describes a malformed request (the "invalid_request" row of its error reference). */
const MALFORMED =
  'The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.';

/**
 * GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=…[&client_id=…] with `Metadata: true`,
 * as MicrosoftDocs azure-docs managed-identities-azure-resources/how-to-use-vm-token.md gives the request, the
 * reply (every number a string) and the errors: bad_request_102 without the header, invalid_request otherwise.
 */
export const createImdsHandler = (state) => (req, res, url) => imdsToken(state, req, res, url);

function imdsToken(state, req, res, url) {
  const o = state.options;
  // MSAL asks for the path with a trailing slash, and the real IMDS serves it so.
  if (req.method !== 'GET' || url.pathname.replace(/\/$/, '') !== '/metadata/identity/oauth2/token')
    return sendJson(res, 404, { error: 'not_found', error_description: `${req.method} ${url.pathname}` });
  // The header guards against server-side request forgery: it must be exactly "true".
  if (req.headers.metadata !== 'true')
    return sendJson(res, 400, {
      error: 'bad_request_102',
      error_description: 'Required metadata header not specified',
    });
  const resource = url.searchParams.get('resource');
  const apiVersion = url.searchParams.get('api-version') ?? '';
  if (!resource || !/^\d{4}-\d{2}-\d{2}$/.test(apiVersion) || apiVersion < '2018-02-01')
    return sendJson(res, 400, { error: 'invalid_request', error_description: MALFORMED });
  // A VM with one user-assigned identity: naming another (by client_id) finds none.
  const clientId = url.searchParams.get('client_id');
  if (clientId && clientId !== o.clientId)
    return sendJson(res, 400, { error: 'invalid_request', error_description: 'Identity not found' });
  const t = now();
  return sendJson(res, 200, {
    access_token: mintAccessToken(state, resource, '2'),
    client_id: o.clientId,
    expires_in: String(o.tokenLifetimeSeconds),
    expires_on: String(t + o.tokenLifetimeSeconds),
    ext_expires_in: String(o.tokenLifetimeSeconds),
    not_before: String(t),
    refresh_token: '',
    resource,
    token_type: 'Bearer',
  });
}
