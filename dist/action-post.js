import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  PENDING_STATE
} from "./chunks/chunk-BSCLL7VK.js";
import "./chunks/chunk-IGWIFC6F.js";
import {
  getState,
  info
} from "./chunks/chunk-HTXA5KLS.js";
import "./chunks/chunk-PA5IE232.js";
import "./chunks/chunk-22DCHCWY.js";
import "./chunks/chunk-R3VZH2VA.js";
import "./chunks/chunk-J2GP2G6B.js";

// src/shells/action-post.ts
import { rmSync } from "node:fs";
var pending = JSON.parse(getState(PENDING_STATE) || "[]");
for (const path of pending) {
  rmSync(path, { recursive: true, force: true });
  info(`removed ${path}`);
}
