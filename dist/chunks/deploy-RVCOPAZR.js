import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  deployApp
} from "./chunk-AC4YFATI.js";
import "./chunk-SK7UV4WZ.js";
import "./chunk-VXIUSDRV.js";
import "./chunk-5NHKPN6R.js";
import "./chunk-4CJ2H4GN.js";
import "./chunk-ZYNHY765.js";
import "./chunk-LOFZNQUG.js";
import "./chunk-3FXJWZ7A.js";
import "./chunk-7FBAEKCG.js";
import "./chunk-TEGGAPAS.js";
import "./chunk-L75XPDAN.js";
import "./chunk-U7BLQTVZ.js";
import "./chunk-ZSHJFUU6.js";
import "./chunk-O5VYS5TV.js";
import "./chunk-PEBGFQGG.js";
import "./chunk-HNGWZXPG.js";
import "./chunk-GVZNERBE.js";
import "./chunk-KT26BUDG.js";
import "./chunk-7NIGNZU7.js";
import "./chunk-TE2V2DN4.js";
import "./chunk-J2GP2G6B.js";
export {
  deployApp
};
