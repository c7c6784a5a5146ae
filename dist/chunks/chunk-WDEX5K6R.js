import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  deployApp
} from "./chunk-WAG3JDYK.js";
import {
  mask
} from "./chunk-TEGGAPAS.js";
import {
  INPUTS,
  parseKeyValueLines,
  resolveDeployCommand,
  shownInputValues,
  summaryMarkdown
} from "./chunk-NS7CYJBH.js";
import {
  NOTHING_SHOWN,
  isShownSetting
} from "./chunk-EX3WWKRI.js";

// src/shells/ci-step.ts
async function readInputs(read, platform) {
  const raw = {};
  const inputs = INPUTS.filter((spec) => spec.commands.includes("deploy"));
  for (const input of inputs) raw[input.name] = read(input.name);
  const shown = shownInputValues(raw);
  for (const input of inputs) {
    const value = raw[input.name];
    if (value) await maskSecretInput(input, value, platform, shown);
  }
  return raw;
}
async function maskSecretInput(input, value, platform, shownInputs) {
  if (!input.secret) return;
  const settings = input.name === "app-settings" ? settingsIfWellFormed(value) : void 0;
  if (settings) {
    const shown = { ...NOTHING_SHOWN, inputValues: shownInputs };
    for (const [name, setting] of Object.entries(settings))
      if (!isShownSetting(name, setting, shown)) mask(platform, setting);
    return;
  }
  if (input.name === "kubeconfig" && value.includes("\n")) {
    const { kubeconfigSecrets } = await import("./kube-LHV7WNGP.js");
    for (const secret of kubeconfigSecrets(value)) mask(platform, secret);
    return;
  }
  for (const line of value.split(/\r?\n/).filter((l) => l.trim() !== "")) {
    mask(platform, line);
    const equals = line.indexOf("=");
    if (input.kind === "text" && equals > 0 && equals < line.length - 1) mask(platform, line.slice(equals + 1));
  }
}
function settingsIfWellFormed(text) {
  try {
    return parseKeyValueLines("app-settings", text);
  } catch {
    return void 0;
  }
}
var PENDING_STATE = "pending-cleanup";
async function runStep(raw, platform) {
  const options = resolveDeployCommand(raw);
  const result = await deployApp(options, platform);
  const { name, namespace } = options.render;
  return {
    summary: summaryMarkdown(name, namespace, result),
    name,
    namespace,
    image: result.image,
    dryRun: options.dryRun || options.cluster === void 0
  };
}

export {
  readInputs,
  maskSecretInput,
  PENDING_STATE,
  runStep
};
