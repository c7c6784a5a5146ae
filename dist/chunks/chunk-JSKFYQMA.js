import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  UserError
} from "./chunk-TE2V2DN4.js";

// src/azure/arm-errors.ts
var CLUSTER_TARGET = {
  scope: "the cluster (or its resource group)",
  inputs: "'subscription-id', 'resource-group' and 'cluster-name'"
};
var REGISTRY_TARGET = { scope: "the registry", inputs: "'registry' and 'subscription-id'" };
function armFailure(error, doing, target) {
  if (error instanceof UserError) return error;
  const rest = error;
  const reason = (rest.message ?? String(error)).split("\n")[0];
  if (rest.statusCode === 403)
    return new UserError(
      `Azure refused to ${doing}: ${reason} Give the identity the '${target.role}' role on ${target.scope}.`
    );
  if (rest.statusCode === 404) return new UserError(`cannot ${doing}: ${reason} Check inputs ${target.inputs}.`);
  if (rest.statusCode === 401) return new UserError(`Azure did not accept the identity's token to ${doing}: ${reason}`);
  return new UserError(
    `cannot ${doing}: ${rest.statusCode ? `Azure answered ${rest.statusCode}${rest.code ? ` ${rest.code}` : ""}: ` : ""}${reason}`
  );
}

export {
  CLUSTER_TARGET,
  REGISTRY_TARGET,
  armFailure
};
