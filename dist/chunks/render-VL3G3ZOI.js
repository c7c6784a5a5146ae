import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  appSummary,
  checkManifestsOutput,
  discoverStage,
  renderApp,
  renderStage,
  writeManifests
} from "./chunk-CXSE4WTF.js";
import "./chunk-FRU7Y7RN.js";
import "./chunk-7FBAEKCG.js";
import "./chunk-QWX7QZYT.js";
import "./chunk-TEGGAPAS.js";
import "./chunk-DLRMTJLB.js";
import "./chunk-PEBGFQGG.js";
import "./chunk-EX3WWKRI.js";
import "./chunk-RX4NZAIJ.js";
import "./chunk-KT26BUDG.js";
import "./chunk-7NIGNZU7.js";
import "./chunk-TE2V2DN4.js";
import "./chunk-J2GP2G6B.js";
export {
  appSummary,
  checkManifestsOutput,
  discoverStage,
  renderApp,
  renderStage,
  writeManifests
};
