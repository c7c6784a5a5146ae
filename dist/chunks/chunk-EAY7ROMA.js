import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  kubeConfigFrom
} from "./chunk-KFKGVJW5.js";

// src/cluster/connect.ts
async function connectCluster(source, azure, platform) {
  if ("kubeconfig" in source) return { config: kubeConfigFrom(source.kubeconfig, platform) };
  const session = await azure.session();
  const { aksAccess } = await import("./aks-CAZ5U6IH.js");
  const access = await aksAccess(session.credential, session.cloud, source.aks, platform);
  const arm = {
    kedaAddon: access.kedaAddon,
    enableKedaAddon: access.enableKedaAddon,
    planFederation: access.planFederation
  };
  if (access.kubeConfig === void 0) return { ...arm, runCommand: access.runCommand };
  platform.info(`AKS: credentials of ${source.aks.clusterName}${access.kedaAddon ? " (KEDA add-on enabled)" : ""}`);
  return { ...arm, config: access.kubeConfig };
}
async function connectDirectly(source, azure, platform) {
  return await connectCluster(source, azure, platform);
}

export {
  connectCluster,
  connectDirectly
};
