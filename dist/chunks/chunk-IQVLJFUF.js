import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);

// src/keda/releases.ts
var KEDA_MANIFEST_SHA256 = {
  "2.19.0": "02e301da197f720bb6dd7c692eb10a86e2a700ad3ffe9e7ab8184677d1c93424",
  "2.20.2": "33c5ebbbae1632ea40cb4148c629868b15e24ebeb9f42c16d04ac2d37cc7f3f6"
};
function releaseUrl(version) {
  return `https://github.com/kedacore/keda/releases/download/v${version}/keda-${version}.yaml`;
}

export {
  KEDA_MANIFEST_SHA256,
  releaseUrl
};
