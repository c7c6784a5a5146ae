// The leak scan over everything the integration tests captured: every line a
// deploy printed (tests append it through __tests__/integration/captured.ts),
// as the CI system would show it, is searched for every secret the tests used or were handed (the stack's
// passwords and keys, and what the tests add: client secrets, issued tokens,
// function keys). Run by the integration project's globalTeardown; a hit fails
// the run without quoting the secret.
import fs from 'node:fs';
import path from 'node:path';

export function capturePaths(state) {
  return { output: path.join(state, 'captured-output.log'), secrets: path.join(state, 'captured-secrets.txt') };
}

export function startCapture(state) {
  const paths = capturePaths(state);
  fs.mkdirSync(state, { recursive: true });
  fs.writeFileSync(paths.output, '', { mode: 0o600 });
  fs.writeFileSync(paths.secrets, '', { mode: 0o600 });
  process.env.AFD_CAPTURED_OUTPUT = paths.output;
  process.env.AFD_CAPTURED_SECRETS = paths.secrets;
}

/**
 * How the CI systems read a step's output: a value named by a masking command
 * (GitHub's `::add-mask::`, Azure Pipelines' `task.setsecret`) is shown as ***
 * in every later line, and the command itself is never shown. The task
 * library echoes System.AccessToken to its debug stream; the agent passes that
 * variable to the task as a secret, so it masks the echo itself.
 */
const MASK_COMMAND = /^(?:::add-mask::|##vso\[task\.setsecret\])(.*)$/;
const AGENT_SECRET_ECHO = /^##vso\[task\.debug\]System\.AccessToken=/;

export function asShown(lines) {
  const masked = [];
  return lines.map((line) => {
    const command = MASK_COMMAND.exec(line);
    if (command) {
      if (command[1]) masked.push(command[1]);
      return '';
    }
    if (AGENT_SECRET_ECHO.test(line)) return '';
    return masked.reduce((shown, value) => shown.split(value).join('***'), line);
  });
}

/** The stack's own secrets, from its environment. */
function stackSecrets(env) {
  const accountKey = /AccountKey=([^;]+)/.exec(env.AZURE_STORAGE_CONNECTION_STRING ?? '')?.[1];
  return [env.REGISTRY_PASSWORD, env.ENTRA_CLUSTER_TOKEN, accountKey, env.AZURE_STORAGE_CONNECTION_STRING];
}

/** Returns a description of each leak found (never the secret itself). */
export function scanCaptured(state, env = process.env) {
  const paths = capturePaths(state);
  if (!fs.existsSync(paths.output)) return [];
  const lines = asShown(fs.readFileSync(paths.output, 'utf8').split('\n'));
  const secrets = [...stackSecrets(env), ...fs.readFileSync(paths.secrets, 'utf8').split('\n')].filter(
    (secret) => secret && secret.length >= 8,
  );
  const leaks = [];
  for (const secret of new Set(secrets)) {
    const at = lines.findIndex((line) => line.includes(secret));
    if (at >= 0)
      leaks.push(
        `a secret of ${secret.length} characters (${secret.slice(0, 3)}…) at line ${at + 1} of ${paths.output}`,
      );
  }
  return leaks;
}
