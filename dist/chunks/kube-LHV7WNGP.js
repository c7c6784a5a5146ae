import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  decodedIfBase64,
  kubeConfigFrom,
  kubeconfigFromServiceAccount,
  kubeconfigSecrets,
  kubeconfigWithContext
} from "./chunk-KFKGVJW5.js";
import "./chunk-UOWXIDHC.js";
import "./chunk-7FBAEKCG.js";
import "./chunk-TEGGAPAS.js";
import "./chunk-L75XPDAN.js";
import "./chunk-7NIGNZU7.js";
import "./chunk-TE2V2DN4.js";
import "./chunk-J2GP2G6B.js";
export {
  decodedIfBase64,
  kubeConfigFrom,
  kubeconfigFromServiceAccount,
  kubeconfigSecrets,
  kubeconfigWithContext
};
