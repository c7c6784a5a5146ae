#!/usr/bin/env node
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { describeFailure, UserError } from '../errors.js';
import {
  type RawInputs,
  resolveDeleteCommand,
  resolveDeployCommand,
  resolveRemoveKedaCommand,
  resolveRenderCommand,
} from '../inputs/resolve.js';
import { type Command, INPUTS, type InputSpec } from '../inputs/schema.js';
import type { Platform } from '../platform.js';
import { summaryMarkdown } from '../report/summary.js';

declare const AFD_VERSION: string;

const COMMANDS: Readonly<Record<string, string>> = {
  render: 'print the Kubernetes objects for the app as YAML',
  deploy: 'apply the app to a cluster, with KEDA, and wait until the rollout is healthy',
  delete: "remove the app's objects from the cluster",
  'remove-keda': 'remove the KEDA this product installed from the cluster (what func kubernetes remove does)',
};

const USAGE = `usage: aks-functions-deploy <command> [options]

commands:
${Object.entries(COMMANDS)
  .map(([name, text]) => `  ${name.padEnd(11)} ${text}`)
  .join('\n')}

aks-functions-deploy <command> --help lists the command's options.`;

const cliPlatform: Platform = {
  info: (message) => process.stderr.write(`${message}\n`),
  warning: (message) => process.stderr.write(`warning: ${message}\n`),
  // Nothing to mask on a terminal: secrets are simply never printed.
  setSecret: () => undefined,
  setOutput: (name, value) => {
    if (name !== 'manifests') process.stderr.write(`${name}: ${value}\n`);
  },
  group: (title, work) => {
    process.stderr.write(`== ${title}\n`);
    return work();
  },
  // Run inside a GitHub job with `id-token: write`, the CLI can sign in with its OIDC token too.
  oidcToken: process.env.ACTIONS_ID_TOKEN_REQUEST_URL
    ? async (audience) => (await import('@actions/core')).getIDToken(audience)
    : undefined,
  run: {},
};

function optionsOf(command: Command): InputSpec[] {
  return INPUTS.filter((input) => input.commands.includes(command) && !input.serviceConnection);
}

function parserConfig(command: Command): ParseArgsConfig['options'] {
  const options: NonNullable<ParseArgsConfig['options']> = {
    help: { type: 'boolean', short: 'h' },
    debug: { type: 'boolean' },
  };
  for (const input of optionsOf(command)) {
    if (input.kind === 'boolean') {
      options[input.name] = { type: 'boolean' };
      options[`no-${input.name}`] = { type: 'boolean' };
    } else {
      options[input.name] = { type: 'string', multiple: input.kind === 'text' };
    }
    if (input.cliAlias) options[input.cliAlias] = { ...options[input.name] } as (typeof options)[string];
  }
  return options;
}

function commandHelp(command: Command): string {
  const lines = optionsOf(command).map((input) => {
    const flag =
      input.kind === 'boolean'
        ? `--${input.name}`
        : `--${input.name} ${input.kind === 'enum' ? (input.values ?? []).join('|') : 'VALUE'}`;
    const alias = input.cliAlias ? ` (or --${input.cliAlias})` : '';
    const extra = input.default !== undefined ? ` [default: ${input.default}]` : '';
    return `  ${flag}${alias}\n      ${input.description}${extra}`;
  });
  return `usage: aks-functions-deploy ${command} [options]\n\n${COMMANDS[command]}\n\noptions:\n${lines.join('\n')}\n  --debug\n      Show stack traces.\n`;
}

/** parseArgs values → raw input strings, as the Action and the task would give them. */
function rawInputs(
  command: Command,
  values: Record<string, string | boolean | (string | boolean)[] | undefined>,
): RawInputs {
  const raw: Record<string, string | undefined> = {};
  for (const input of optionsOf(command)) {
    const value = values[input.name] ?? (input.cliAlias ? values[input.cliAlias] : undefined);
    if (input.kind === 'boolean') {
      if (values[`no-${input.name}`]) raw[input.name] = 'false';
      else if (value) raw[input.name] = 'true';
    } else if (Array.isArray(value)) {
      raw[input.name] = value.join('\n');
    } else if (typeof value === 'string') {
      raw[input.name] = value;
    }
  }
  return raw;
}

/** node:util parseArgs errors, in our words. */
function cliMessage(error: Error & { code?: string }): string {
  const option = /'(-[^' ]+)/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option '${option ?? error.message}' (see --help)`;
  // A value starting with '-' (a YAML list, a negative number) reads as an option.
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /ambiguous/.test(error.message))
    return `option '${option}' has a value starting with '-': write ${option}=VALUE`;
  return (error.message.split('\n')[0] ?? '').replace(/^Option/, 'option').replace(/\.$/, '');
}

async function main(argv: string[]): Promise<number> {
  const command = argv[0];
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version') {
    process.stdout.write(`${AFD_VERSION}\n`);
    return 0;
  }
  if (!Object.hasOwn(COMMANDS, command))
    throw new UserError(`unknown command '${command}' (commands: ${Object.keys(COMMANDS).join(', ')})`);
  const { values, positionals } = parseArgs({
    args: argv.slice(1),
    options: parserConfig(command as Command),
    strict: true,
    allowPositionals: true,
  });
  if ((values as { help?: boolean }).help) {
    process.stdout.write(commandHelp(command as Command));
    return 0;
  }
  if (positionals.length > 0)
    throw new UserError(`unexpected argument '${positionals[0]}' (options are written --name value)`);

  const raw = rawInputs(command as Command, values);
  // Each command loads only its own stages: render never pays for the Kubernetes and Azure clients.
  if (command === 'render') {
    const options = resolveRenderCommand(raw);
    const { renderApp } = await import('../commands/render.js');
    const result = await renderApp(options, cliPlatform);
    if (options.manifestsOutput === undefined) process.stdout.write(result.manifests);
  } else if (command === 'deploy') {
    const options = resolveDeployCommand(raw);
    const { deployApp } = await import('../commands/deploy.js');
    const result = await deployApp(options, cliPlatform);
    // The summary the Action and the task show, as Markdown on stdout: for a file, or a job summary.
    process.stdout.write(summaryMarkdown(options.render.name, options.render.namespace, result));
  } else if (command === 'delete') {
    const options = resolveDeleteCommand(raw);
    const { deleteApp } = await import('../commands/delete.js');
    await deleteApp(options, cliPlatform);
  } else {
    const options = resolveRemoveKedaCommand(raw);
    const { removeKeda } = await import('../commands/remove-keda.js');
    await removeKeda(options, cliPlatform);
  }
  return 0;
}

const debug =
  process.argv.includes('--debug') ||
  process.env.RUNNER_DEBUG === '1' ||
  process.env.SYSTEM_DEBUG?.toLowerCase() === 'true';
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const problem = error as Error & { code?: string };
  const failure = String(problem.code).startsWith('ERR_PARSE_ARGS')
    ? { message: cliMessage(problem), expected: true }
    : describeFailure(problem);
  process.stderr.write(`error: ${failure.message}${failure.expected || debug ? '' : ' (--debug shows where)'}\n`);
  if (debug) process.stderr.write(`${problem.stack ?? ''}\n`);
  process.exitCode = 1;
}
