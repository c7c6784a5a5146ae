import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __filename = __afdFileURLToPath(import.meta.url); const __dirname = __afdDirname(__filename);
import {
  deleteApp,
  deployApp,
  renderApp
} from "./chunk-OYOUDBM7.js";
import "./chunk-EDPTNDTJ.js";
import "./chunk-WKMMI5E7.js";
import "./chunk-ELISE67P.js";
export {
  deleteApp,
  deployApp,
  renderApp
};
