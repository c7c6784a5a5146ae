import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);

// src/cleanup.ts
import { rmSync } from "node:fs";
import { constants, tmpdir } from "node:os";
function runTempDir() {
  return process.env.RUNNER_TEMP || process.env.AGENT_TEMPDIRECTORY || tmpdir();
}
var pending = /* @__PURE__ */ new Set();
var SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];
var onPendingChange;
function trackPending(listener) {
  onPendingChange = listener;
}
var interruptHandlers = /* @__PURE__ */ new Set();
function whenInterrupted(handler) {
  if (interruptHandlers.size === 0) for (const signal of SIGNALS) process.once(signal, onSignal);
  interruptHandlers.add(handler);
  return () => {
    interruptHandlers.delete(handler);
    if (interruptHandlers.size === 0) for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  };
}
function removedOnExit(path) {
  const remove = () => rmSync(path, { recursive: true, force: true });
  const dropHandler = whenInterrupted(remove);
  pending.add(path);
  onPendingChange?.([...pending]);
  return () => {
    remove();
    dropHandler();
    pending.delete(path);
    onPendingChange?.([...pending]);
  };
}
function onSignal(signal) {
  for (const handler of interruptHandlers) {
    try {
      handler(signal);
    } catch {
    }
  }
  process.exit(128 + constants.signals[signal]);
}

export {
  runTempDir,
  trackPending,
  whenInterrupted,
  removedOnExit
};
