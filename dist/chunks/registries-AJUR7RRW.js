import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  findRegistry,
  registryClient
} from "./chunk-JRPGUHID.js";
import "./chunk-4NP7W5ZW.js";
import "./chunk-7MDPWMVI.js";
import "./chunk-L75XPDAN.js";
import "./chunk-J2GP2G6B.js";
export {
  findRegistry,
  registryClient
};
