import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  PENDING_STATE
} from "./chunks/chunk-XSWHK6EX.js";
import "./chunks/chunk-VFAG3ZGF.js";
import "./chunks/chunk-HZHWT7FV.js";
import "./chunks/chunk-SBJNOM5B.js";
import "./chunks/chunk-X2EAF6LU.js";
import "./chunks/chunk-TIAY3VM6.js";
import "./chunks/chunk-IQVLJFUF.js";
import "./chunks/chunk-CEKT7NNQ.js";
import "./chunks/chunk-O5VYS5TV.js";
import {
  getState,
  info
} from "./chunks/chunk-HRX7HPKU.js";
import "./chunks/chunk-OVKUMEGC.js";
import "./chunks/chunk-S3ZKRRLU.js";
import "./chunks/chunk-7FBAEKCG.js";
import "./chunks/chunk-PEBGFQGG.js";
import "./chunks/chunk-SUHLGYUB.js";
import "./chunks/chunk-ZPFGP4WR.js";
import "./chunks/chunk-ZYNHY765.js";
import "./chunks/chunk-L75XPDAN.js";
import "./chunks/chunk-KANBA7CP.js";
import "./chunks/chunk-TEGGAPAS.js";
import "./chunks/chunk-RI7I4FFL.js";
import "./chunks/chunk-J2GP2G6B.js";

// src/shells/action-post.ts
import { rmSync } from "node:fs";
var pending = JSON.parse(getState(PENDING_STATE) || "[]");
for (const path of pending) {
  rmSync(path, { recursive: true, force: true });
  info(`removed ${path}`);
}
