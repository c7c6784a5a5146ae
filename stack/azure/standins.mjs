// Local stand-ins for the Azure cloud endpoints a deploy talks to: Entra ID
// (token endpoint and discovery), Azure Resource Manager (AKS managedClusters,
// cloud metadata, ACR Tasks quick builds), Azure Container Registry (token
// exchange, token service and a /v2 proxy in front of the stack's real
// registry), the two CI OIDC token services (GitHub Actions, Azure Pipelines),
// AKS's service account issuer and a VM's IMDS.
//
// They speak the real wire formats over HTTPS with a throw-away test CA, so
// the product's real clients (@azure/identity, the ARM SDK, Docker) can run
// against them unchanged: only endpoints and NODE_EXTRA_CA_CERTS differ.
// Everything they hand out is a real RS256 JWT, checked where Azure checks it.
// See README.md next to this file for the sources of each format.
//
// This module starts the five servers and hands back the handle; each service
// is its own module, and what they share is the state made in state.mjs.
import fs from 'node:fs';
import { createAcrTasks } from './acr-tasks.mjs';
import { createAcrHandler } from './acr.mjs';
import { clusterId, createAksHandler } from './aks.mjs';
import { createArmHandler } from './arm.mjs';
import {
  createCiHandler,
  githubIdTokenPath,
  issueOidcToken,
  pipelinesOidcTokenPath,
  writeFederatedTokenFile,
} from './ci-oidc.mjs';
import { createEntraHandler } from './entra.mjs';
import { serve } from './http.mjs';
import { createImdsHandler } from './imds.mjs';
import { createState } from './state.mjs';

export { ACR_NULL_GUID } from './acr.mjs';
export { AKS_SERVER_APP_ID } from './state.mjs';

/**
 * Starts Entra ID, ARM, ACR and CI OIDC stand-ins. See README.md for options and behaviour.
 * @returns {Promise<object>} the Standins handle (endpoints, fault injection, request log, close())
 */
export async function startAzureStandins(options) {
  const state = await createState(options);
  const { options: o, origin, ci } = state;
  const registries = createAcrTasks(state);
  const servers = {};
  const start = async (name, classify, handler, tls = state.tls) => {
    const s = await serve(tls, classify, handler, state.record);
    servers[name] = s.server;
    origin[name] = s.origin;
  };

  try {
    await start(
      'login',
      (u) => (u.pathname.endsWith('/oauth2/v2.0/token') ? 'token' : 'login'),
      createEntraHandler(state),
    );
    await start(
      'arm',
      () => 'arm',
      createArmHandler(state, { clusters: createAksHandler(state), registries: registries.handle }),
    );
    await start('acr', (u) => (u.pathname === '/oauth2/exchange' ? 'exchange' : 'registry'), createAcrHandler(state));
    await start('ci', () => 'oidc', createCiHandler(state));
    await start('imds', () => 'imds', createImdsHandler(state), null);
  } catch (e) {
    for (const s of Object.values(servers)) s.close();
    fs.rmSync(state.dir, { recursive: true, force: true });
    throw e;
  }

  return {
    caFile: state.tls.caFile,
    authorityHost: origin.login,
    armEndpoint: `${origin.arm}/`,
    acrLoginServer: state.acrLoginServer(),
    managedIdentity: { endpoint: `${origin.ci}/msi/token`, header: state.managedIdentity.header },
    /** The VM's IMDS, for AZURE_POD_IDENTITY_AUTHORITY_HOST. */
    imds: { host: origin.imds },
    /** A pod's federated token file for AZURE_FEDERATED_TOKEN_FILE, from the cluster's OIDC issuer. */
    writeFederatedTokenFile: (options) => writeFederatedTokenFile(state, options),
    aksIssuer: state.aksIssuer(),
    githubOidc: {
      requestUrl: `${origin.ci}${githubIdTokenPath(ci)}?api-version=2.0`,
      requestToken: ci.github.requestToken,
      issuer: state.githubIssuer(),
    },
    pipelinesOidc: {
      requestUri: `${origin.ci}${pipelinesOidcTokenPath(ci)}`,
      accessToken: ci.pipelines.accessToken,
      serviceConnectionId: ci.pipelines.serviceConnectionId,
      issuer: state.pipelinesIssuer(),
    },
    principalObjectId: state.principalObjectId,
    clusterResourceId: clusterId(o.subscriptionId, o.resourceGroup, o.clusterName),
    issueOidcToken: (claims) => issueOidcToken(state, claims),
    inject: (fault) => state.inject(fault),
    requests: state.requests,
    tokensIssued: state.tokensIssued,
    setCluster(partial) {
      Object.assign(state.cluster, partial);
    },
    setAllowedActions(actions) {
      state.allowedActions = actions;
    },
    /** Registry policies by name, e.g. `{ azureADAuthenticationAsArmPolicy: { status: 'disabled' } }`. */
    setRegistryPolicies(partial) {
      Object.assign(state.registryPolicies, partial);
    },
    setMissingResources(resources) {
      state.missingResources = resources;
    },
    async close() {
      await registries.close();
      await Promise.all(
        Object.values(servers).map(
          (s) =>
            new Promise((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
      fs.rmSync(state.dir, { recursive: true, force: true });
    },
  };
}
