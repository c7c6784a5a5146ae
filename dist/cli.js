#!/usr/bin/env node
import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  INPUTS,
  resolveDeleteCommand,
  resolveDeployCommand,
  resolveRemoveKedaCommand,
  resolveRenderCommand,
  summaryMarkdown
} from "./chunks/chunk-NS7CYJBH.js";
import "./chunks/chunk-2YTUPEG6.js";
import "./chunks/chunk-YAX33JQR.js";
import "./chunks/chunk-O5VYS5TV.js";
import "./chunks/chunk-CHEWDH2Y.js";
import "./chunks/chunk-DLRMTJLB.js";
import "./chunks/chunk-PEBGFQGG.js";
import "./chunks/chunk-EX3WWKRI.js";
import "./chunks/chunk-RX4NZAIJ.js";
import "./chunks/chunk-ZSHJFUU6.js";
import "./chunks/chunk-JSKFYQMA.js";
import {
  UserError,
  describeFailure
} from "./chunks/chunk-TE2V2DN4.js";
import "./chunks/chunk-J2GP2G6B.js";

// src/shells/cli.ts
import { parseArgs } from "node:util";
var COMMANDS = {
  render: "print the Kubernetes objects for the app as YAML",
  deploy: "apply the app to a cluster, with KEDA, and wait until the rollout is healthy",
  delete: "remove the app's objects from the cluster",
  "remove-keda": "remove the KEDA this product installed from the cluster (what func kubernetes remove does)"
};
var USAGE = `usage: aks-functions-deploy <command> [options]

commands:
${Object.entries(COMMANDS).map(([name, text]) => `  ${name.padEnd(11)} ${text}`).join("\n")}

aks-functions-deploy <command> --help lists the command's options.`;
var cliPlatform = {
  info: (message) => process.stderr.write(`${message}
`),
  warning: (message) => process.stderr.write(`warning: ${message}
`),
  // Nothing to mask on a terminal: secrets are simply never printed.
  setSecret: () => void 0,
  setOutput: (name, value) => {
    if (name !== "manifests") process.stderr.write(`${name}: ${value}
`);
  },
  group: (title, work) => {
    process.stderr.write(`== ${title}
`);
    return work();
  },
  // Run inside a GitHub job with `id-token: write`, the CLI can sign in with its OIDC token too.
  oidcToken: process.env.ACTIONS_ID_TOKEN_REQUEST_URL ? async (audience) => (await import("./chunks/core-I7QUQVI5.js")).getIDToken(audience) : void 0,
  run: {}
};
function optionsOf(command) {
  return INPUTS.filter((input) => input.commands.includes(command) && !input.serviceConnection);
}
function parserConfig(command) {
  const options = {
    help: { type: "boolean", short: "h" },
    debug: { type: "boolean" }
  };
  for (const input of optionsOf(command)) {
    if (input.kind === "boolean") {
      options[input.name] = { type: "boolean" };
      options[`no-${input.name}`] = { type: "boolean" };
    } else {
      options[input.name] = { type: "string", multiple: input.kind === "text" };
    }
    if (input.cliAlias) options[input.cliAlias] = { ...options[input.name] };
  }
  return options;
}
function commandHelp(command) {
  const lines = optionsOf(command).map((input) => {
    const flag = input.kind === "boolean" ? `--${input.name}` : `--${input.name} ${input.kind === "enum" ? (input.values ?? []).join("|") : "VALUE"}`;
    const alias = input.cliAlias ? ` (or --${input.cliAlias})` : "";
    const extra = input.default !== void 0 ? ` [default: ${input.default}]` : "";
    return `  ${flag}${alias}
      ${input.description}${extra}`;
  });
  return `usage: aks-functions-deploy ${command} [options]

${COMMANDS[command]}

options:
${lines.join("\n")}
  --debug
      Show stack traces.
`;
}
function rawInputs(command, values) {
  const raw = {};
  for (const input of optionsOf(command)) {
    const value = values[input.name] ?? (input.cliAlias ? values[input.cliAlias] : void 0);
    if (input.kind === "boolean") {
      if (values[`no-${input.name}`]) raw[input.name] = "false";
      else if (value) raw[input.name] = "true";
    } else if (Array.isArray(value)) {
      raw[input.name] = value.join("\n");
    } else if (typeof value === "string") {
      raw[input.name] = value;
    }
  }
  return raw;
}
function cliMessage(error) {
  const option = /'(-[^' ]+)/.exec(error.message)?.[1];
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown option '${option ?? error.message}' (see --help)`;
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && /ambiguous/.test(error.message))
    return `option '${option}' has a value starting with '-': write ${option}=VALUE`;
  return (error.message.split("\n")[0] ?? "").replace(/^Option/, "option").replace(/\.$/, "");
}
async function main(argv) {
  const command = argv[0];
  if (command === void 0 || command === "--help" || command === "-h") {
    process.stdout.write(`${USAGE}
`);
    return command === void 0 ? 2 : 0;
  }
  if (command === "--version") {
    process.stdout.write(`${"0.1.0"}
`);
    return 0;
  }
  if (!Object.hasOwn(COMMANDS, command))
    throw new UserError(`unknown command '${command}' (commands: ${Object.keys(COMMANDS).join(", ")})`);
  const { values, positionals } = parseArgs({
    args: argv.slice(1),
    options: parserConfig(command),
    strict: true,
    allowPositionals: true
  });
  if (values.help) {
    process.stdout.write(commandHelp(command));
    return 0;
  }
  if (positionals.length > 0)
    throw new UserError(`unexpected argument '${positionals[0]}' (options are written --name value)`);
  const raw = rawInputs(command, values);
  if (command === "render") {
    const options = resolveRenderCommand(raw);
    const { renderApp } = await import("./chunks/render-VL3G3ZOI.js");
    const result = await renderApp(options, cliPlatform);
    if (options.manifestsOutput === void 0) process.stdout.write(result.manifests);
  } else if (command === "deploy") {
    const options = resolveDeployCommand(raw);
    const { deployApp } = await import("./chunks/deploy-DEXHBQ5X.js");
    const result = await deployApp(options, cliPlatform);
    process.stdout.write(summaryMarkdown(options.render.name, options.render.namespace, result));
  } else if (command === "delete") {
    const options = resolveDeleteCommand(raw);
    const { deleteApp } = await import("./chunks/delete-IVNAHYXU.js");
    await deleteApp(options, cliPlatform);
  } else {
    const options = resolveRemoveKedaCommand(raw);
    const { removeKeda } = await import("./chunks/remove-keda-PPTVR7NT.js");
    await removeKeda(options, cliPlatform);
  }
  return 0;
}
var debug = process.argv.includes("--debug") || process.env.RUNNER_DEBUG === "1" || process.env.SYSTEM_DEBUG?.toLowerCase() === "true";
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const problem = error;
  const failure = String(problem.code).startsWith("ERR_PARSE_ARGS") ? { message: cliMessage(problem), expected: true } : describeFailure(problem);
  process.stderr.write(`error: ${failure.message}${failure.expected || debug ? "" : " (--debug shows where)"}
`);
  if (debug) process.stderr.write(`${problem.stack ?? ""}
`);
  process.exitCode = 1;
}
