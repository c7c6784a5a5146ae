import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import "./chunks/chunk-D53UNAHQ.js";
import {
  PENDING_STATE,
  readInputs,
  runStep
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
import {
  trackPending
} from "./chunks/chunk-O5VYS5TV.js";
import "./chunks/chunk-CHEWDH2Y.js";
import "./chunks/chunk-DLRMTJLB.js";
import "./chunks/chunk-PEBGFQGG.js";
import "./chunks/chunk-EX3WWKRI.js";
import "./chunks/chunk-RX4NZAIJ.js";
import "./chunks/chunk-ZSHJFUU6.js";
import "./chunks/chunk-JSKFYQMA.js";
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
} from "./chunks/chunk-LXA5KJQK.js";
import "./chunks/chunk-GVZNERBE.js";
import "./chunks/chunk-KT26BUDG.js";
import "./chunks/chunk-7NIGNZU7.js";
import {
  UserError,
  describeFailure
} from "./chunks/chunk-TE2V2DN4.js";
import "./chunks/chunk-J2GP2G6B.js";

// src/shells/action.ts
var platform = {
  info: (message) => info(message),
  warning: (message, file) => warning(message, file ? { file } : {}),
  setSecret: (value) => setSecret(value),
  // Outputs have no secret flag here. A secret output's values (settings, function keys) were masked when read, so the
  // runner shows *** wherever one prints and keeps them out of job outputs; masking every line of the YAML would blank
  // the log's common lines, and withholding the output would defeat show-secrets.
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
  const { summary: summary2 } = await runStep(await readInputs((name) => getInput(name), platform), platform);
  if (process.env.GITHUB_STEP_SUMMARY) await summary.addRaw(summary2, true).write();
} catch (error2) {
  const { message } = describeFailure(error2);
  const file = error2 instanceof UserError && error2.file ? { file: error2.file, startLine: error2.line, startColumn: error2.column } : {};
  error(message, file);
  debug(error2.stack ?? "");
  process.exitCode = 1;
}
