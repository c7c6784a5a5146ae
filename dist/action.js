import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  PENDING_STATE,
  readInputs,
  runStep
} from "./chunks/chunk-BSCLL7VK.js";
import "./chunks/chunk-IGWIFC6F.js";
import {
  debug,
  error,
  getIDToken,
  getInput,
  group,
  info,
  saveState,
  setOutput,
  setSecret,
  summary,
  warning
} from "./chunks/chunk-HTXA5KLS.js";
import "./chunks/chunk-PA5IE232.js";
import {
  UserError,
  describeFailure,
  trackPending
} from "./chunks/chunk-22DCHCWY.js";
import "./chunks/chunk-R3VZH2VA.js";
import "./chunks/chunk-J2GP2G6B.js";

// src/shells/action.ts
var platform = {
  info: (message) => info(message),
  warning: (message, file) => warning(message, file ? { file } : {}),
  setSecret: (value) => setSecret(value),
  setOutput: (name, value) => setOutput(name, value),
  group: (title, work) => group(title, work),
  // Offered when the workflow grants `id-token: write`.
  oidcToken: process.env.ACTIONS_ID_TOKEN_REQUEST_URL ? (audience) => getIDToken(audience) : void 0,
  run: {
    commit: process.env.GITHUB_SHA,
    url: process.env.GITHUB_RUN_ID ? `${process.env.GITHUB_SERVER_URL}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}` : void 0
  }
};
trackPending((paths) => saveState(PENDING_STATE, JSON.stringify(paths)));
try {
  const { summary: summary2 } = await runStep(
    readInputs((name) => getInput(name), platform),
    platform
  );
  if (process.env.GITHUB_STEP_SUMMARY) await summary.addRaw(summary2, true).write();
} catch (error2) {
  const { message } = describeFailure(error2);
  const file = error2 instanceof UserError && error2.file ? { file: error2.file, startLine: error2.line, startColumn: error2.column } : {};
  error(message, file);
  debug(error2.stack ?? "");
  process.exitCode = 1;
}
