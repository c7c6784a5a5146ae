import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  UserError
} from "./chunk-TE2V2DN4.js";

// src/azure/identity.ts
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
function oidcSource(platform, env = process.env) {
  if (platform.oidcToken) return { kind: "github", token: platform.oidcToken };
  const serviceConnectionId = env.AZURESUBSCRIPTION_SERVICE_CONNECTION_ID;
  const systemAccessToken = env.SYSTEM_ACCESSTOKEN;
  if (env.SYSTEM_OIDCREQUESTURI && serviceConnectionId && systemAccessToken)
    return { kind: "azure-pipelines", serviceConnectionId, systemAccessToken };
  return void 0;
}
var AZURE_ASSET_TAG = "7783-7084-3265-9085-8269-3286-77";
var readText = (path) => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return void 0;
  }
};
function localHost(env = process.env) {
  return {
    azureCliSignedIn() {
      const profile = readText(join(env.AZURE_CONFIG_DIR ?? join(homedir(), ".azure"), "azureProfile.json"));
      try {
        const subscriptions = JSON.parse(profile?.replace(/^\uFEFF/, "") ?? "{}").subscriptions;
        return Array.isArray(subscriptions) && subscriptions.length > 0;
      } catch {
        return false;
      }
    },
    azureVirtualMachine: () => readText("/sys/class/dmi/id/chassis_asset_tag")?.trim() === AZURE_ASSET_TAG
  };
}
var hostedRunner = (env) => env.RUNNER_ENVIRONMENT === "github-hosted" || Boolean(env.ImageOS);
var workloadIdentity = (options, env) => ({
  tokenFile: env.AZURE_FEDERATED_TOKEN_FILE,
  clientId: options.clientId ?? env.AZURE_CLIENT_ID,
  tenantId: options.tenantId ?? env.AZURE_TENANT_ID
});
function chooseAuth(options, oidc, env = process.env, host = localHost(env)) {
  if (options.auth !== "auto") return options.auth;
  if (options.clientSecret || options.clientCertificate) return "secret";
  if (oidc && options.clientId && options.tenantId) return "oidc";
  const workload = workloadIdentity(options, env);
  if (workload.tokenFile && workload.clientId && workload.tenantId) return "workload-identity";
  if (env.IDENTITY_ENDPOINT || env.MSI_ENDPOINT) return "managed-identity";
  if (host.azureCliSignedIn()) return "azure-cli";
  if (env.AZURE_POD_IDENTITY_AUTHORITY_HOST || !hostedRunner(env) && host.azureVirtualMachine())
    return "managed-identity";
  return "azure-cli";
}
function checkIdentity(mode, options, oidc, env = process.env) {
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
  if (mode === "workload-identity") {
    const workload = workloadIdentity(options, env);
    if (!workload.tokenFile)
      throw new UserError(
        `auth: workload-identity needs AZURE_FEDERATED_TOKEN_FILE: run the job in a pod labelled azure.workload.identity/use: "true" whose service account names the identity (annotation azure.workload.identity/client-id)`
      );
    for (const [input, variable, value] of [
      ["client-id", "AZURE_CLIENT_ID", workload.clientId],
      ["tenant-id", "AZURE_TENANT_ID", workload.tenantId]
    ]) {
      if (!value) throw new UserError(`input '${input}' (or ${variable}) is required for auth: workload-identity`);
    }
  }
}

export {
  oidcSource,
  workloadIdentity,
  chooseAuth,
  checkIdentity
};
