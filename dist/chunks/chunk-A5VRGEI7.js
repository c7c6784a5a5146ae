import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  checkIdentity,
  chooseAuth,
  oidcSource
} from "./chunk-5NHKPN6R.js";
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest
} from "./chunk-7MDPWMVI.js";
import {
  FEDERATION_AUDIENCES,
  knownCloud
} from "./chunk-ZSHJFUU6.js";
import {
  UserError
} from "./chunk-TE2V2DN4.js";

// src/http.ts
var pipeline = createPipelineFromOptions({ retryOptions: { maxRetries: 4 } });
var client = createDefaultHttpClient();
function isLoopback(host) {
  return host === "localhost" || /^127\.\d+\.\d+\.\d+$/.test(host) || host === "[::1]" || host === "::1";
}
async function httpRequest(request) {
  const headers = { accept: "application/json", ...request.headers };
  if (request.form) headers["content-type"] = "application/x-www-form-urlencoded";
  const response = await pipeline.sendRequest(
    client,
    createPipelineRequest({
      url: request.url,
      method: request.method ?? (request.form ? "POST" : "GET"),
      headers: createHttpHeaders(headers),
      body: request.form ? new URLSearchParams(request.form).toString() : void 0,
      // Plain HTTP only on loopback, where registries speak it and Docker allows it: nothing travels the network in
      // clear.
      allowInsecureConnection: isLoopback(new URL(request.url).hostname),
      // A server that accepts the connection and never answers must not hang the deploy.
      timeout: 3e4
    })
  );
  const text = response.bodyAsText ?? "";
  let body;
  try {
    body = text ? JSON.parse(text) : void 0;
  } catch {
    body = void 0;
  }
  return { status: response.status, header: (name) => response.headers.get(name), text, body };
}

// src/azure/cloud.ts
async function resolveCloud(cloudInput) {
  const cloud = knownCloud(cloudInput) ?? await customCloud(cloudInput);
  const authorityHost = process.env.AZURE_AUTHORITY_HOST;
  return authorityHost ? { ...cloud, authorityHost: authorityHost.replace(/\/+$/, "") } : cloud;
}
async function customCloud(armUrl) {
  const armEndpoint = armUrl.endsWith("/") ? armUrl : `${armUrl}/`;
  const url = `${armEndpoint}metadata/endpoints?api-version=2022-09-01`;
  const response = await httpRequest({ url }).catch((error) => {
    throw new UserError(`input 'cloud': cannot read the cloud's endpoints from ${url} (${error.message})`);
  });
  const metadata = Array.isArray(response.body) ? response.body[0] : response.body;
  const loginEndpoint = metadata?.authentication?.loginEndpoint;
  const audience = metadata?.authentication?.audiences?.[0];
  if (response.status !== 200 || !loginEndpoint || !audience) {
    throw new UserError(
      `input 'cloud': ${url} answered ${response.status} without the login endpoint and audiences of a cloud`
    );
  }
  const authorityHost = new URL(loginEndpoint).origin;
  const known = knownCloud(metadata.name ?? "");
  return {
    name: metadata.name ?? armEndpoint,
    authorityHost,
    armEndpoint: metadata.resourceManager ?? armEndpoint,
    armScope: `${audience.replace(/\/+$/, "")}/.default`,
    acrScope: known?.acrScope,
    federationAudience: known?.federationAudience ?? FEDERATION_AUDIENCES.AzureCloud,
    acrSuffix: metadata.suffixes?.acrLoginServer?.replace(/^\./, "")
  };
}

// src/azure/azure.ts
function planAzure(options, platform) {
  const oidc = oidcSource(platform);
  const mode = chooseAuth(options, oidc);
  checkIdentity(mode, options, oidc);
  if (options.auth === "auto" && mode === "azure-cli" && options.clientId) {
    platform.warning(
      `auth: auto found no secret, OIDC token, workload identity or managed identity, so it uses the az session, which ignores client-id; for a user-assigned managed identity set auth: managed-identity`
    );
  }
  let opened;
  return {
    mode,
    session: () => opened ??= resolveCloud(options.cloud).then(async (cloud) => {
      platform.info(`Azure: signing in with auth ${mode} in ${cloud.name}`);
      const { createCredential } = await import("./credential-NHDYID2X.js");
      const credential = createCredential(mode, options, cloud, oidc, platform);
      await credential.getToken(cloud.armScope);
      return { cloud, tenantId: options.tenantId, credential };
    })
  };
}

export {
  isLoopback,
  httpRequest,
  planAzure
};
