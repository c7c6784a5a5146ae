// Must stay the first import: see quiet-deprecations.ts.
import './quiet-deprecations.js';
import * as core from '@actions/core';
import { describeFailure, UserError } from '../errors.js';
import type { Platform } from '../platform.js';
import { trackPending } from '../cleanup.js';
import { PENDING_STATE, readInputs, runStep } from './ci-step.js';

/** The GitHub Action: inputs from INPUT_*, outputs to GITHUB_OUTPUT, annotations on failure. */
const platform: Platform = {
  info: (message) => core.info(message),
  warning: (message, file) => core.warning(message, file ? { file } : {}),
  setSecret: (value) => core.setSecret(value),
  // Outputs have no secret flag here. A secret output's values (settings, function keys) were masked when read, so the
  // runner shows *** wherever one prints and keeps them out of job outputs; masking every line of the YAML would blank
  // the log's common lines, and withholding the output would defeat show-secrets.
  setOutput: (name, value) => core.setOutput(name, value),
  group: (title, work) => core.group(title, work),
  // Offered when the workflow grants `id-token: write`.
  oidcToken: process.env.ACTIONS_ID_TOKEN_REQUEST_URL ? (audience) => core.getIDToken(audience) : undefined,
  run: {
    commit: process.env.GITHUB_SHA,
    url: process.env.GITHUB_RUN_ID
      ? `${process.env.GITHUB_SERVER_URL}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}`
      : undefined,
  },
};

// The post step removes what a killed main step left behind.
trackPending((paths) => core.saveState(PENDING_STATE, JSON.stringify(paths)));

try {
  const { summary } = await runStep(await readInputs((name) => core.getInput(name), platform), platform);
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(summary, true).write();
} catch (error) {
  const { message } = describeFailure(error);
  const file =
    error instanceof UserError && error.file
      ? { file: error.file, startLine: error.line, startColumn: error.column }
      : {};
  core.error(message, file);
  core.debug((error as Error).stack ?? '');
  process.exitCode = 1;
}
