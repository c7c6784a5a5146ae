// Must stay the first imports, in this order: see quiet-deprecations.ts and task-secrets.ts.
import './quiet-deprecations.js';
import { connectionSecrets, secretInputs, shownInputs } from './task-secrets.js';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tl from 'azure-pipelines-task-lib/task.js';
import { describeFailure } from '../errors.js';
import { camelCase } from '../inputs/schema.js';
import { mask, type Platform } from '../platform.js';
import { maskSecretInput, readInputs, runStep } from './ci-step.js';
import { withServiceConnections } from './task-connection.js';

/** The Azure Pipelines task: camelCase inputs, output variables, a failed result on error. */
const platform: Platform = {
  info: (message) => console.log(message),
  warning: (message) => tl.warning(message),
  setSecret: (value) => tl.setSecret(value),
  setOutput: (name, value, secret = false) => {
    // The agent keeps no multi-line secret variable unless told it may: withheld, rather than a plain variable that
    // any later step, fork or log could read.
    if (secret && /[\r\n]/.test(value) && process.env.SYSTEM_UNSAFEALLOWMULTILINESECRET?.toUpperCase() !== 'TRUE') {
      tl.warning(
        `output '${name}' is not set: it holds secrets (show-secrets) on several lines, which Azure Pipelines keeps ` +
          `as a secret variable only with SYSTEM_UNSAFEALLOWMULTILINESECRET=true; use manifests-output for a file`,
      );
      return;
    }
    tl.setVariable(name, value, secret, true);
  },
  group: async (title, work) => {
    console.log(`##[group]${title}`);
    try {
      return await work();
    } finally {
      console.log('##[endgroup]');
    }
  },
  run: {
    commit: tl.getVariable('Build.SourceVersion'),
    url: tl.getVariable('Build.BuildId')
      ? `${tl.getVariable('System.CollectionUri')}${tl.getVariable('System.TeamProject')}/_build/results?buildId=${tl.getVariable('Build.BuildId')}`
      : undefined,
  },
};

// task.json beside the bundle's folder, in the repository and in the packaged extension alike: its messages.
tl.setResourcePath(join(dirname(fileURLToPath(import.meta.url)), '..', 'task.json'));
for (const { input, value } of secretInputs) await maskSecretInput(input, value, platform, shownInputs);
for (const secret of connectionSecrets) mask(platform, secret);
try {
  const outcome = await runStep(
    withServiceConnections(await readInputs((name) => tl.getInput(camelCase(name), false), platform), platform),
    platform,
  );
  // The summary tab shows a Markdown file the agent uploads.
  const file = join(
    tl.getVariable('Agent.TempDirectory') ?? tmpdir(),
    `aks-functions-deploy-summary-${process.pid}.md`,
  );
  writeFileSync(file, outcome.summary);
  tl.uploadSummary(file);
  const message = outcome.dryRun
    ? tl.loc('DryRun', outcome.name, outcome.namespace)
    : tl.loc('Deployed', outcome.name, outcome.namespace, outcome.image);
  tl.setResult(tl.TaskResult.Succeeded, message);
} catch (error) {
  tl.debug((error as Error).stack ?? '');
  tl.setResult(tl.TaskResult.Failed, describeFailure(error).message);
}
