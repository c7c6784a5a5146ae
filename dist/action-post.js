import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  PENDING_STATE
} from "./chunks/chunk-WDEX5K6R.js";
import "./chunks/chunk-WAG3JDYK.js";
import "./chunks/chunk-LOFZNQUG.js";
import "./chunks/chunk-A5VRGEI7.js";
import "./chunks/chunk-CXSE4WTF.js";
import "./chunks/chunk-FRU7Y7RN.js";
import "./chunks/chunk-7FBAEKCG.js";
import "./chunks/chunk-QWX7QZYT.js";
import "./chunks/chunk-5NHKPN6R.js";
import "./chunks/chunk-TEGGAPAS.js";
import "./chunks/chunk-4CJ2H4GN.js";
import "./chunks/chunk-7MDPWMVI.js";
import "./chunks/chunk-L75XPDAN.js";
import "./chunks/chunk-NS7CYJBH.js";
import "./chunks/chunk-2YTUPEG6.js";
import "./chunks/chunk-YAX33JQR.js";
import "./chunks/chunk-O5VYS5TV.js";
import "./chunks/chunk-CHEWDH2Y.js";
import "./chunks/chunk-DLRMTJLB.js";
import "./chunks/chunk-PEBGFQGG.js";
import "./chunks/chunk-EX3WWKRI.js";
import "./chunks/chunk-RX4NZAIJ.js";
import "./chunks/chunk-ZSHJFUU6.js";
import "./chunks/chunk-JSKFYQMA.js";
import {
  getState,
  info
} from "./chunks/chunk-LXA5KJQK.js";
import "./chunks/chunk-GVZNERBE.js";
import "./chunks/chunk-KT26BUDG.js";
import "./chunks/chunk-7NIGNZU7.js";
import "./chunks/chunk-TE2V2DN4.js";
import "./chunks/chunk-J2GP2G6B.js";

// src/shells/action-post.ts
import { rmSync } from "node:fs";
var pending = JSON.parse(getState(PENDING_STATE) || "[]");
for (const path of pending) {
  rmSync(path, { recursive: true, force: true });
  info(`removed ${path}`);
}
