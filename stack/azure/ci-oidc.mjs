// The CI OIDC token services: GitHub Actions' ID token request (what
// @actions/core getIDToken calls) and Azure Pipelines' oidctoken request (what
// @azure/identity AzurePipelinesCredential calls), each with its own issuer
// and JWKS, so Entra can federate the tokens as it federates the real ones.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { managedIdentityToken } from './entra.mjs';
import { bearer, sendJson } from './http.mjs';
import { signJwt } from './jwt.mjs';
import { now, retryAfter, uuid } from './state.mjs';

/** The path of the GitHub Actions job's ID token request (ACTIONS_ID_TOKEN_REQUEST_URL, without its query). */
export const githubIdTokenPath = ({ github }) =>
  `/${github.runtime}/_apis/distributedtask/hubs/Actions/plans/${github.plan}/jobs/${github.job}/idtoken`;

/** The path of the Azure Pipelines job's OIDC token request (the credential's `oidcRequestUri`). */
export const pipelinesOidcTokenPath = ({ pipelines }) =>
  `/contoso/${pipelines.project}/_apis/distributedtask/hubs/build/plans/${pipelines.plan}/jobs/${pipelines.job}/oidctoken`;

/** A GitHub Actions ID token (the claims GitHub puts in one), signed by the stand-in issuer. */
export function issueOidcToken(
  state,
  {
    sub = state.options.federatedSubject,
    aud = state.options.federationAudience,
    lifetimeSeconds = state.options.oidcLifetimeSeconds,
  } = {},
) {
  const t = now();
  const exp = t + lifetimeSeconds;
  const start = Math.min(t, exp - 60);
  const m = /^repo:([^/]+)\/([^:]+):(?:ref:(.+)|environment:.+|pull_request)$/.exec(sub);
  const ref = m?.[3] ?? 'refs/heads/main';
  return state.issued(
    signJwt(state.signers.github, {
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
      iss: state.githubIssuer(),
      nbf: start,
      iat: start,
      exp,
    }),
  );
}

/**
 * AKS workload identity's federated token file: the pod's projected service account token, as the kube-apiserver
 * issues it for the audience the webhook asks for (the cloud's token exchange audience), signed by the cluster's
 * OIDC issuer, whose discovery and keys this host serves. Claims as Kubernetes' bound service account tokens carry
 * them (kubernetes/kubernetes pkg/serviceaccount/claims.go). Written 0600 into the stand-ins' scratch folder.
 */
export function writeFederatedTokenFile(state, { lifetimeSeconds = 3600 } = {}) {
  const t = now();
  const [, , namespace, name] = state.options.workloadSubject.split(':');
  const token = state.issued(
    signJwt(state.signers.aks, {
      aud: [state.options.federationAudience],
      exp: t + lifetimeSeconds,
      iat: t,
      iss: state.aksIssuer(),
      jti: uuid(),
      'kubernetes.io': {
        namespace,
        pod: { name: `${name}-0`, uid: uuid() },
        serviceaccount: { name, uid: uuid() },
      },
      nbf: t,
      sub: state.options.workloadSubject,
    }),
  );
  const file = path.join(state.dir, `azure-identity-token-${uuid()}`);
  fs.writeFileSync(file, token, { mode: 0o600 });
  return file;
}

/**
 * The CI host: the GitHub Actions `idtoken` and Azure Pipelines `oidctoken` requests, each
 * issuer's discovery document and JWKS, and the app's managed identity endpoint (`/msi/token`).
 */
export const createCiHandler = (state) => (req, res, url) => ciHandler(state, req, res, url);

function ciHandler(state, req, res, url) {
  const o = state.options;
  const { github, pipelines } = state.ci;
  const fault = state.takeFault('oidc');
  if (fault) return sendJson(res, fault.status, { message: `injected fault (${fault.status})` }, retryAfter(fault));
  const p = url.pathname;
  if (req.method === 'GET' && p === '/msi/token') return managedIdentityToken(state, req, res, url);
  for (const [iss, { signer }] of Object.entries(state.oidcIssuers())) {
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
  if (req.method === 'GET' && p === githubIdTokenPath(state.ci)) {
    if (bearer(req) !== github.requestToken) return sendJson(res, 401, { message: 'Bad credentials' });
    const aud =
      url.searchParams.get('audience') ?? `https://github.com/${o.federatedSubject.split(/[:/]/)[1] ?? 'contoso'}`;
    return sendJson(res, 200, { count: 1, value: issueOidcToken(state, { aud }) });
  }
  if (req.method === 'POST' && p === pipelinesOidcTokenPath(state.ci)) {
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
    const iss = state.pipelinesIssuer();
    const token = signJwt(state.signers.pipelines, {
      jti: uuid(),
      sub: o.pipelinesSubject,
      // The service connection asks Entra ID of its own cloud, so its tokens carry that cloud's audience.
      aud: o.federationAudience,
      iss,
      nbf: t,
      iat: t,
      exp: t + o.oidcLifetimeSeconds,
    });
    return sendJson(res, 200, { oidcToken: state.issued(token) });
  }
  return sendJson(res, 404, { message: `${req.method} ${p} is not a CI token endpoint` });
}
