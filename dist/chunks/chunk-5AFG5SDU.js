import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  UserError
} from "./chunk-TE2V2DN4.js";

// src/azure/identity.ts
var FEDERATION_AUDIENCE = "api://AzureADTokenExchange";
function oidcSource(platform, env = process.env) {
  if (platform.oidcToken) return { kind: "github", token: platform.oidcToken };
  const serviceConnectionId = env.AZURESUBSCRIPTION_SERVICE_CONNECTION_ID;
  const systemAccessToken = env.SYSTEM_ACCESSTOKEN;
  if (env.SYSTEM_OIDCREQUESTURI && serviceConnectionId && systemAccessToken)
    return { kind: "azure-pipelines", serviceConnectionId, systemAccessToken };
  return void 0;
}
function chooseAuth(options, oidc, env = process.env) {
  if (options.auth !== "auto") return options.auth;
  if (options.clientSecret || options.clientCertificate) return "secret";
  if (oidc && options.clientId && options.tenantId) return "oidc";
  if (env.IDENTITY_ENDPOINT || env.MSI_ENDPOINT) return "managed-identity";
  return "azure-cli";
}
function checkIdentity(mode, options, oidc) {
  const need = (input, value) => {
    if (!value) throw new UserError(`input '${input}' is required for auth: ${mode}`);
  };
  if (mode === "secret" || mode === "oidc") {
    need("client-id", options.clientId);
    need("tenant-id", options.tenantId);
  }
  if (mode === "secret" && !options.clientSecret && !options.clientCertificate)
    throw new UserError(`input 'client-secret' (or 'client-certificate') is required for auth: secret`);
  if (options.clientSecret && options.clientCertificate)
    throw new UserError(`inputs 'client-secret' and 'client-certificate' are both given: give one`);
  if (mode === "oidc" && !oidc) {
    throw new UserError(
      `auth: oidc needs the CI system's OIDC token: on GitHub, give the job 'permissions: id-token: write'; on Azure Pipelines, use a workload identity federation service connection`
    );
  }
}

export {
  FEDERATION_AUDIENCE,
  oidcSource,
  chooseAuth,
  checkIdentity
};
