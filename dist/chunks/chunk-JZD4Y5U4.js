import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  UserError
} from "./chunk-TE2V2DN4.js";

// src/discovery/code-first.ts
var TRIGGERS_INPUT = "list the app's functions in the 'triggers' input";
function tooDeep(file) {
  return new UserError(`${file}: nested too deeply to be read; ${TRIGGERS_INPUT}`, file);
}

export {
  TRIGGERS_INPUT,
  tooDeep
};
