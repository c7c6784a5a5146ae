import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  takeAppLease
} from "./chunk-FYFW34D6.js";
import {
  foreignObjects,
  listManaged,
  ownedBy,
  removeObjects
} from "./chunk-MSE3FXV5.js";
import {
  connectDirectly
} from "./chunk-EAY7ROMA.js";
import {
  AppObjectsApi
} from "./chunk-JF7WQEYM.js";
import "./chunk-KFKGVJW5.js";
import "./chunk-UOWXIDHC.js";
import {
  planAzure
} from "./chunk-A5VRGEI7.js";
import "./chunk-7FBAEKCG.js";
import "./chunk-5NHKPN6R.js";
import "./chunk-TEGGAPAS.js";
import "./chunk-7MDPWMVI.js";
import "./chunk-L75XPDAN.js";
import {
  keysSecretName,
  objectKey
} from "./chunk-RX4NZAIJ.js";
import "./chunk-ZSHJFUU6.js";
import "./chunk-7NIGNZU7.js";
import {
  isNamespaceTerminating,
  isNotFound
} from "./chunk-TE2V2DN4.js";
import "./chunk-J2GP2G6B.js";

// src/commands/delete.ts
var DELETE_WAIT_MS = 10 * 60 * 1e3;
async function deleteApp(options, platform) {
  const { name, namespace } = options;
  const azure = "aks" in options.cluster ? planAzure(options.azure, platform) : void 0;
  const { config } = await connectDirectly(options.cluster, azure, platform);
  const deadline = Date.now() + DELETE_WAIT_MS;
  const lease = await takeAppLease(config, namespace, name, "if-permitted", deadline, platform.run, platform).catch(
    (error) => {
      if (isNotFound(error) || isNamespaceTerminating(error)) return void 0;
      throw error;
    }
  );
  try {
    const client = AppObjectsApi.forConfig(config);
    const owned = [...ownedBy((await listManaged(client, namespace)).objects, name).keys()];
    const keys = { apiVersion: "v1", kind: "Secret", metadata: { name: keysSecretName(name) } };
    if (!owned.includes(objectKey(keys))) {
      const [foreign] = await foreignObjects(client, namespace, [keys], name);
      if (foreign) platform.warning(`left ${foreign.key} in place: it ${foreign.why}`);
      else owned.push(objectKey(keys));
    }
    const deleted = [];
    await removeObjects(client, namespace, owned, false, (kind, object, existed) => {
      if (!existed) return;
      deleted.push(`${kind}/${object}`);
      platform.info(`deleted ${kind}/${object}`);
    });
    return deleted;
  } finally {
    await lease?.release();
  }
}
export {
  deleteApp
};
