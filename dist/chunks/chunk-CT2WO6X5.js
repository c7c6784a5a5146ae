import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  deployApp,
  mask
} from "./chunk-D7FASZGI.js";
import {
  INPUTS,
  resolveDeployCommand
} from "./chunk-N2YDAW6Q.js";

// src/shells/ci-step.ts
function readInputs(read, platform) {
  const raw = {};
  for (const input of INPUTS.filter((spec) => spec.commands.includes("deploy"))) {
    const value = read(input.name);
    if (value) maskSecretInput(input, value, platform);
    raw[input.name] = value;
  }
  return raw;
}
function maskSecretInput(input, value, platform) {
  if (!input.secret) return;
  for (const line of value.split(/\r?\n/).filter((l) => l.trim() !== "")) {
    mask(platform, line);
    const equals = line.indexOf("=");
    if (input.kind === "text" && equals > 0 && equals < line.length - 1) mask(platform, line.slice(equals + 1));
  }
}
var PENDING_STATE = "pending-cleanup";
async function runStep(raw, platform) {
  await deployApp(resolveDeployCommand(raw), platform);
}

export {
  readInputs,
  maskSecretInput,
  PENDING_STATE,
  runStep
};
