import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  KubernetesObjectApi
} from "./chunk-UOWXIDHC.js";
import {
  OWNED_KINDS
} from "./chunk-RX4NZAIJ.js";

// src/inventory/client.ts
var AppObjectsApi = class _AppObjectsApi extends KubernetesObjectApi {
  discovering = /* @__PURE__ */ new Map();
  static forConfig(config) {
    const client = config.makeApiClient(_AppObjectsApi);
    client.setDefaultNamespace(config);
    return client;
  }
  async resource(apiVersion, kind) {
    const owned = OWNED_RESOURCES.get(`${apiVersion}/${kind}`);
    if (owned) return owned;
    const pending = this.discovering.get(apiVersion);
    if (pending === void 0) {
      const lookup = super.resource(apiVersion, kind).finally(() => this.discovering.delete(apiVersion));
      this.discovering.set(apiVersion, lookup);
      return lookup;
    }
    await pending.catch(() => void 0);
    return super.resource(apiVersion, kind);
  }
};
var OWNED_RESOURCES = new Map(
  OWNED_KINDS.map(({ apiVersion, kind, plural }) => [
    `${apiVersion}/${kind}`,
    { kind, name: plural, singularName: kind.toLowerCase(), namespaced: true, verbs: [] }
  ])
);

export {
  AppObjectsApi
};
