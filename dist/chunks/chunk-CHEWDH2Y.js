import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);

// src/keda/embedded.ts
var EMBEDDED_KEDA = {
  "2.19.0": {
    tag: "v2.19.0",
    sha256: "9575199b019db67a86d93e5d84ddefa7538ccd3eb71e1df0e391c0aab99b399b",
    load: () => import("./keda-2.19.0-I47SWBO7.js")
  },
  "2.20.2": {
    tag: "v2.20.2",
    sha256: "9bae123eb64fab8f96c67bbd576bb5819e4794df346c5aaa402a01c68b0557ab",
    load: () => import("./keda-2.20.2-XOJLIX2B.js")
  }
};

// src/keda/releases.ts
var KEDA_MANIFEST_SHA256 = Object.fromEntries(
  Object.entries(EMBEDDED_KEDA).map(([version, { sha256 }]) => [version, sha256])
);

export {
  EMBEDDED_KEDA,
  KEDA_MANIFEST_SHA256
};
