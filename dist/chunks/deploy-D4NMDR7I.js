import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  deployApp
} from "./chunk-VFAG3ZGF.js";
import "./chunk-HZHWT7FV.js";
import "./chunk-SBJNOM5B.js";
import "./chunk-X2EAF6LU.js";
import "./chunk-CEKT7NNQ.js";
import "./chunk-O5VYS5TV.js";
import "./chunk-OVKUMEGC.js";
import "./chunk-S3ZKRRLU.js";
import "./chunk-7FBAEKCG.js";
import "./chunk-PEBGFQGG.js";
import "./chunk-SUHLGYUB.js";
import "./chunk-ZPFGP4WR.js";
import "./chunk-ZYNHY765.js";
import "./chunk-L75XPDAN.js";
import "./chunk-KANBA7CP.js";
import "./chunk-TEGGAPAS.js";
import "./chunk-RI7I4FFL.js";
import "./chunk-J2GP2G6B.js";
export {
  deployApp
};
