import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  ANNOTATION_PREFIX,
  SETTINGS_HASH_KEY_ANNOTATION,
  appLabels
} from "./chunk-RX4NZAIJ.js";

// src/render/objects.ts
import { createHash, createHmac, randomBytes } from "node:crypto";
function objectFactory(app, namespace) {
  return (name, component) => ({
    name,
    namespace,
    labels: { ...appLabels(app), ...component ? { "app.kubernetes.io/component": component } : {} }
  });
}
function settingsSecret(settings, options, make) {
  const generates = options.secretName === void 0 && Object.keys(settings).length > 0;
  if (!generates) return { objects: [], secretName: options.secretName, podAnnotations: {} };
  const key = options.settingsHashKey ?? newSettingsHashKey();
  const secret = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { ...make(options.name, "settings"), annotations: { [SETTINGS_HASH_KEY_ANNOTATION]: key } },
    type: "Opaque",
    data: base64Values(settings)
  };
  const settingsHash = createHmac("sha256", Buffer.from(key, "base64")).update(JSON.stringify(sortedEntries(settings))).digest("hex");
  return {
    objects: [secret],
    secretName: options.name,
    // envFrom does not roll pods when a Secret changes; this annotation does, and only then.
    podAnnotations: { [`${ANNOTATION_PREFIX}/settings-hash`]: settingsHash.slice(0, 16) }
  };
}
function newSettingsHashKey() {
  return randomBytes(32).toString("base64");
}
function isSettingsHashKey(value) {
  return value !== void 0 && /^[A-Za-z0-9+/]{43}=$/.test(value);
}
function base64Values(values) {
  return Object.fromEntries(
    sortedEntries(values).map(([key, value]) => [key, Buffer.from(value, "utf8").toString("base64")])
  );
}
function sortedEntries(values) {
  return Object.entries(values).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
}
function hash(value) {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

export {
  objectFactory,
  settingsSecret,
  newSettingsHashKey,
  isSettingsHashKey,
  base64Values,
  hash
};
