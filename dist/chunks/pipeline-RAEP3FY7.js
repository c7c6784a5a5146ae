import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  deleteApp,
  deployApp,
  renderApp
} from "./chunk-PA5IE232.js";
import "./chunk-22DCHCWY.js";
import "./chunk-R3VZH2VA.js";
import "./chunk-J2GP2G6B.js";
export {
  deleteApp,
  deployApp,
  renderApp
};
