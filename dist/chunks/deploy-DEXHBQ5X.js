import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  deployApp
} from "./chunk-WAG3JDYK.js";
import "./chunk-LOFZNQUG.js";
import "./chunk-A5VRGEI7.js";
import "./chunk-CXSE4WTF.js";
import "./chunk-FRU7Y7RN.js";
import "./chunk-7FBAEKCG.js";
import "./chunk-QWX7QZYT.js";
import "./chunk-5NHKPN6R.js";
import "./chunk-TEGGAPAS.js";
import "./chunk-4CJ2H4GN.js";
import "./chunk-7MDPWMVI.js";
import "./chunk-L75XPDAN.js";
import "./chunk-YAX33JQR.js";
import "./chunk-O5VYS5TV.js";
import "./chunk-DLRMTJLB.js";
import "./chunk-PEBGFQGG.js";
import "./chunk-EX3WWKRI.js";
import "./chunk-RX4NZAIJ.js";
import "./chunk-ZSHJFUU6.js";
import "./chunk-GVZNERBE.js";
import "./chunk-KT26BUDG.js";
import "./chunk-7NIGNZU7.js";
import "./chunk-TE2V2DN4.js";
import "./chunk-J2GP2G6B.js";
export {
  deployApp
};
