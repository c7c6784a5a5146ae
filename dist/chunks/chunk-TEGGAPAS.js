import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);

// src/platform.ts
var MIN_MASKED_LENGTH = 4;
function mask(platform, value) {
  for (const line of value.split(/\r?\n/)) {
    if (line.trim().length >= MIN_MASKED_LENGTH) platform.setSecret(line);
  }
}
function inGroup(platform, title, work) {
  return platform.group ? platform.group(title, work) : work();
}

export {
  mask,
  inGroup
};
