import * as core from '@actions/core';
import { UserError } from '../errors.js';
import type { Platform } from '../platform.js';
import { readInputs, runStep } from './ci-step.js';

/** The GitHub Action: inputs from INPUT_*, outputs to GITHUB_OUTPUT, annotations on failure. */
const platform: Platform = {
  info: (message) => core.info(message),
  warning: (message, file) => core.warning(message, file ? { file } : {}),
  setSecret: (value) => core.setSecret(value),
  setOutput: (name, value) => core.setOutput(name, value),
  run: {
    commit: process.env.GITHUB_SHA,
    url: process.env.GITHUB_RUN_ID ? `${process.env.GITHUB_SERVER_URL}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}` : undefined,
  },
};

try {
  await runStep(readInputs((name) => core.getInput(name), platform), platform);
} catch (error) {
  const problem = error as Error;
  if (problem instanceof UserError) {
    core.error(problem.message, problem.file ? { file: problem.file, startLine: problem.line, startColumn: problem.column } : {});
  } else {
    core.error(`unexpected failure: ${problem.message}`);
    core.debug(problem.stack ?? '');
  }
  process.exitCode = 1;
}
