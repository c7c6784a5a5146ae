// How Entra ID checks a client assertion on the token endpoint: the app's own
// certificate credential, or a federated identity credential naming one of the
// CI issuers. The AADSTS codes and texts are the ones Entra answers with.
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';
import { aadError } from './http.mjs';
import { decodeJwt, verifyJwt } from './jwt.mjs';
import { now } from './state.mjs';

/**
 * A client assertion signed with the app's certificate (header x5t / x5t#S256),
 * checked as Entra checks certificate credentials: the thumbprint names a
 * certificate registered on the app, the signature is its key's (RS256 or
 * PS256), the audience is the token endpoint, issuer and subject the app.
 */
function checkCertificateAssertion(state, res, jwt, tenant) {
  const o = state.options;
  const certificate = o.clientCertificate && new crypto.X509Certificate(o.clientCertificate);
  const sha1 = certificate && Buffer.from(certificate.fingerprint.replace(/:/g, ''), 'hex').toString('base64url');
  const sha256 = certificate && Buffer.from(certificate.fingerprint256.replace(/:/g, ''), 'hex').toString('base64url');
  if (!certificate || (jwt.header.x5t !== sha1 && jwt.header['x5t#S256'] !== sha256)) {
    return aadError(
      res,
      state.origin.login,
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
  if (!signed)
    return aadError(
      res,
      state.origin.login,
      401,
      'invalid_client',
      50012,
      'Client assertion failed signature validation.',
    );
  const t = now();
  if (!(jwt.claims.exp > t))
    return aadError(
      res,
      state.origin.login,
      400,
      'invalid_client',
      700024,
      'Client assertion is not within its valid time range.',
    );
  const audiences = [].concat(jwt.claims.aud ?? []);
  if (
    !audiences.some((aud) => aud.startsWith(`${state.origin.login}/${tenant}/`)) ||
    jwt.claims.iss !== o.clientId ||
    jwt.claims.sub !== o.clientId
  ) {
    return aadError(
      res,
      state.origin.login,
      400,
      'invalid_client',
      700021,
      `Client assertion application identifier doesn't match 'client_id' parameter, or its audience is not this token endpoint.`,
    );
  }
  return true;
}

/**
 * Checks a client assertion the way Entra checks a federated identity credential (or, when the app
 * is its issuer, a certificate credential). True if it is accepted; otherwise the error is sent.
 */
export function checkAssertion(state, res, assertion, tenant) {
  const jwt = decodeJwt(assertion);
  if (!jwt)
    return aadError(res, state.origin.login, 400, 'invalid_client', 50027, 'JWT token is invalid or malformed.');
  // The app signing for itself (issuer = the app) is a certificate credential; anything else is federated.
  if (jwt.claims.iss === state.options.clientId) return checkCertificateAssertion(state, res, jwt, tenant);
  const trust = state.oidcIssuers()[jwt.claims.iss];
  if (!trust) {
    return aadError(
      res,
      state.origin.login,
      400,
      'invalid_client',
      700211,
      `No matching federated identity record found for presented assertion issuer '${jwt.claims.iss}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.`,
    );
  }
  if (!verifyJwt(assertion, trust.signer))
    return aadError(res, state.origin.login, 400, 'invalid_client', 50013, 'Assertion failed signature validation.');
  const t = now();
  if (!(jwt.claims.exp > t) || (jwt.claims.nbf ?? 0) > t + 300) {
    const at = (s) => new Date(s * 1000).toISOString();
    return aadError(
      res,
      state.origin.login,
      400,
      'invalid_client',
      700024,
      `Client assertion is not within its valid time range. Current time: ${at(t)}, assertion valid from ${at(jwt.claims.nbf ?? jwt.claims.iat ?? 0)}, expiry time of assertion ${at(jwt.claims.exp ?? 0)}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
    );
  }
  const audiences = [].concat(jwt.claims.aud ?? []);
  // The federated credential holds its cloud's audience: a token for another cloud's is no match.
  if (!audiences.includes(state.options.federationAudience)) {
    return aadError(
      res,
      state.origin.login,
      400,
      'invalid_client',
      700212,
      `No matching federated identity record found for presented assertion audience '${audiences.join(',')}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.`,
    );
  }
  if (jwt.claims.sub !== trust.subject) {
    return aadError(
      res,
      state.origin.login,
      400,
      'invalid_client',
      700213,
      `No matching federated identity record found for presented assertion subject '${jwt.claims.sub}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.`,
    );
  }
  return true;
}

/** GET of a JSON document over https, trusting `caFile` besides the system's CAs (the cluster's CA for its issuer). */
function getJson(url, caFile) {
  return new Promise((resolve, reject) => {
    const ca = caFile ? [...tls.rootCertificates, fs.readFileSync(caFile, 'utf8')] : undefined;
    const req = https.get(url, { ca, timeout: 10_000 }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        try {
          if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (error) {
          reject(error);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`timeout on ${url}`)));
    req.on('error', reject);
  });
}

/**
 * The issuer's signing keys as Entra ID finds them: its OpenID discovery document (`<issuer>/.well-known/
 * openid-configuration`, whose `issuer` must be the issuer itself), then its `jwks_uri`. Fetched anonymously.
 */
async function issuerKeys(state, issuer) {
  const discovery = await getJson(
    `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`,
    state.options.oidcIssuerCaFile,
  );
  if (discovery.issuer !== issuer) throw new Error(`the discovery document names issuer '${discovery.issuer}'`);
  return (await getJson(discovery.jwks_uri, state.options.oidcIssuerCaFile)).keys ?? [];
}

/** The signature checked with the JWKS key its header names: RS256, or ES256 (the apiserver's key for an EC key). */
function signedByKeys(jwt, keys) {
  const jwk = keys.find((key) => key.kid === jwt.header.kid);
  if (!jwk || !['RS256', 'ES256'].includes(jwt.header.alg)) return false;
  const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  const options = jwt.header.alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key;
  return crypto.verify('sha256', Buffer.from(jwt.input), options, jwt.signature);
}

/**
 * A user-assigned managed identity's client assertion, checked as Entra ID checks it against the identity's federated
 * identity credentials (msi.mjs): a credential must trust the token's issuer (AADSTS700211), the signature must
 * verify with the issuer's published keys (AADSTS50013), the token must be in its time (AADSTS700024), and a
 * credential of that issuer must name its subject (AADSTS700213) and one of its audiences (AADSTS700212). Codes and
 * texts as Entra answers (Azure/azure-workload-identity#616, Azure/login#482). True if accepted; else the error is sent.
 */
export async function checkIdentityAssertion(state, res, assertion, identity) {
  const login = state.origin.login;
  const jwt = decodeJwt(assertion);
  if (!jwt) return aadError(res, login, 400, 'invalid_client', 50027, 'JWT token is invalid or malformed.');
  const { iss, sub } = jwt.claims;
  const audiences = [].concat(jwt.claims.aud ?? []);
  const check =
    'Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation';
  const trusted = [...identity.credentials.values()].filter((credential) => credential.issuer === iss);
  if (trusted.length === 0)
    return aadError(
      res,
      login,
      400,
      'invalid_client',
      700211,
      `No matching federated identity record found for presented assertion issuer '${iss}'. ${check}`,
    );
  let keys;
  try {
    keys = await issuerKeys(state, iss);
  } catch {
    keys = [];
  }
  if (!signedByKeys(jwt, keys))
    return aadError(
      res,
      login,
      400,
      'invalid_client',
      50013,
      `Assertion failed signature validation. [Reason - The key was not found or the signature does not verify with the keys of issuer '${iss}'.]`,
    );
  const t = now();
  if (!(jwt.claims.exp > t) || (jwt.claims.nbf ?? 0) > t + 300)
    return aadError(res, login, 400, 'invalid_client', 700024, 'Client assertion is not within its valid time range.');
  const bySubject = trusted.filter((credential) => credential.subject === sub);
  if (bySubject.length === 0)
    return aadError(
      res,
      login,
      400,
      'invalid_client',
      700213,
      `No matching federated identity record found for presented assertion subject '${sub}'. ${check}`,
    );
  if (!bySubject.some((credential) => credential.audiences.some((audience) => audiences.includes(audience))))
    return aadError(
      res,
      login,
      400,
      'invalid_client',
      700212,
      `No matching federated identity record found for presented assertion audience '${audiences.join(',')}'. ${check}`,
    );
  return true;
}
