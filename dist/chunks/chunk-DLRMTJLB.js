import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  stringProperty
} from "./chunk-PEBGFQGG.js";
import {
  hasSecretName,
  isSecretSetting
} from "./chunk-EX3WWKRI.js";
import {
  UserError
} from "./chunk-TE2V2DN4.js";

// src/render/trigger-context.ts
function describe(fn) {
  return `${fn.source}: function '${fn.name}' (${fn.trigger.type})`;
}
function settingReference(value) {
  return /^%([^%]+)%$/.exec(value)?.[1];
}
function resolved(context, key, value, fromEnv = false) {
  const { fn } = context;
  return inlineSettings(context.settings.values, value, {
    where: `${fn.source}: function '${fn.name}': "${key}"`,
    instead: (name) => fromEnv ? `write "${key}" as '%${name}%' alone, so KEDA reads it from the pod's environment (${key}FromEnv)` : `KEDA takes "${key}" only from there, so use an app setting that holds only the ${key}`,
    file: fn.source
  });
}
function inlineSettings(settings, value, references) {
  const { where, instead, file, pattern = /%([^%]+)%/g } = references;
  return value.replace(pattern, (_, name) => {
    const setting = settings[name];
    if (setting === void 0) {
      throw new UserError(
        `${where} refers to app setting '${name}', which is not in the app settings (settings-file or app-settings)`,
        file
      );
    }
    if (isSecretSetting(name, setting)) {
      throw new UserError(
        `${where} refers to app setting '${name}', whose ${hasSecretName(name) ? "name says it holds" : "value looks like"} a secret (a key, token, password or connection string) and would be written in clear into the ScaledObject: ${instead(name)}`,
        file
      );
    }
    return setting;
  });
}
function present(context, key) {
  const value = stringProperty(context.fn.trigger, key);
  if (value === "") {
    throw new UserError(
      `${context.fn.source}: function '${context.fn.name}': ${context.fn.trigger.type} needs "${key}"`,
      context.fn.source
    );
  }
  return value;
}
function required(context, key) {
  return resolved(context, key, present(context, key));
}
function expectSetting(context, name) {
  if (context.settings.complete && context.settings.values[name] === void 0) {
    context.warn(
      `${context.fn.source}: function '${context.fn.name}' needs app setting '${name}', which is not in the app settings: KEDA will not be able to read the event source`
    );
  }
}
function valueOrEnv(context, key, value) {
  const setting = settingReference(value);
  if (setting === void 0) return { [key]: resolved(context, key, value, true) };
  expectSetting(context, setting);
  return { [`${key}FromEnv`]: setting };
}
function connection(context, given, defaultSetting) {
  const name = settingReference(given) ?? (given || defaultSetting);
  const keys = Object.keys(context.settings.values);
  for (const candidate of [`AzureWebJobs${name}`, name]) {
    const key = keys.find((existing) => existing.toLowerCase() === candidate.toLowerCase());
    if (key !== void 0) return { setting: key };
  }
  for (const candidate of [`AzureWebJobs${name}`, name]) {
    const prefix = `${candidate}__`.toLowerCase();
    const identity = Object.fromEntries(
      Object.entries(context.settings.values).filter(([key]) => key.toLowerCase().startsWith(prefix)).map(([key, value]) => [key.slice(prefix.length).toLowerCase(), value])
    );
    if (Object.keys(identity).length > 0) return { setting: candidate, identity };
  }
  expectSetting(context, name);
  return { setting: name };
}
function workloadIdentity(identity) {
  const identityId = identity.clientid;
  return {
    purpose: "workload-identity",
    podIdentity: { provider: "azure-workload", ...identityId ? { identityId } : {} }
  };
}
function identityValue(context, conn, what, ...suffixes) {
  for (const suffix of suffixes) {
    const value = conn.identity?.[suffix.toLowerCase()];
    if (value) return value;
  }
  throw new UserError(
    `${context.fn.source}: function '${context.fn.name}': connection '${conn.setting}' is identity-based but ${suffixes.map((s) => `${conn.setting}__${s}`).join(" or ")} is not set (KEDA needs the ${what})`,
    context.fn.source
  );
}
function firstLabel(context, conn, value) {
  const isUrl = /^[a-z]+:\/\//i.test(value);
  const host = isUrl && URL.canParse(value) ? new URL(value).hostname : isUrl ? "" : value;
  const label = host.split(".")[0] ?? "";
  if (label === "")
    throw new UserError(
      `${context.fn.source}: function '${context.fn.name}': connection '${conn.setting}' names no host (a malformed URL in its identity settings)`,
      context.fn.source
    );
  return label;
}
function storageAccount(context, conn, service) {
  const name = conn.identity?.accountname ?? firstLabel(context, conn, identityValue(context, conn, "storage account", "accountName", `${service}ServiceUri`));
  return { accountName: name };
}

// src/render/http-scaling.ts
var SETTING_REFERENCE = /%([-._a-zA-Z0-9]+)%/g;
var AUTH_PARAMETERS = {
  bearerToken: "bearer",
  username: "basic",
  password: "basic",
  customAuthHeader: "custom",
  customAuthValue: "custom",
  cert: "tls",
  key: "tls",
  ca: void 0
};
var POD_IDENTITY = "podIdentity";
var IDENTITY_ID = "identityId";
var AUTH_INPUT = "http-prometheus-auth";
function prometheusAddressProblem(address) {
  if (!URL.canParse(address)) return "is not a URL (http://host:port)";
  const url = new URL(address);
  if (url.protocol !== "http:" && url.protocol !== "https:") return "is not an http:// or https:// URL";
  if (url.username !== "" || url.password !== "")
    return `holds credentials, which would be written in clear into the ScaledObject: give them in ${AUTH_INPUT} (username, password)`;
  if (url.search !== "" || url.hash !== "") return "has a query or a fragment: KEDA appends /api/v1/query?\u2026 to it";
  return void 0;
}
function prometheusAuthModes(auth) {
  const given = Object.keys(auth);
  const unknown = given.filter(
    (parameter) => !Object.hasOwn(AUTH_PARAMETERS, parameter) && parameter !== POD_IDENTITY && parameter !== IDENTITY_ID
  );
  if (unknown.length > 0)
    throw authError(
      `a parameter is not one of KEDA's for the Prometheus scaler (${[...Object.keys(AUTH_PARAMETERS), POD_IDENTITY, IDENTITY_ID].join(", ")})`
    );
  const modes = [...new Set(given.map((parameter) => AUTH_PARAMETERS[parameter]).filter((mode) => mode !== void 0))];
  if (POD_IDENTITY in auth) {
    if (auth[POD_IDENTITY] !== "azure-workload")
      throw authError(`${POD_IDENTITY} must be azure-workload (the AKS workload identity of KEDA's operator)`);
    if (modes.length > 0)
      throw authError(`${POD_IDENTITY} cannot be combined with other authentication (KEDA refuses it)`);
  } else if (IDENTITY_ID in auth) {
    throw authError(`${IDENTITY_ID} needs ${POD_IDENTITY}=azure-workload`);
  }
  const needs = [
    ["basic", ["username"]],
    ["custom", ["customAuthHeader", "customAuthValue"]],
    ["tls", ["cert", "key"]]
  ];
  for (const [mode, parameters] of needs)
    if (modes.includes(mode) && !parameters.every((parameter) => parameter in auth))
      throw authError(`${mode} authentication needs ${parameters.join(" and ")}`);
  if (modes.includes("bearer") && modes.includes("basic"))
    throw authError("bearerToken and username/password cannot be combined: KEDA takes one of bearer and basic");
  return modes;
}
function authError(what) {
  return new UserError(`input '${AUTH_INPUT}': ${what}`);
}
function prometheusScaler(scaling, settings, warn) {
  const inline = (input, value, what) => inlineSettings(settings.values, value, {
    where: `input '${input}'`,
    instead: () => `use an app setting that holds only the ${what}`,
    pattern: SETTING_REFERENCE
  });
  const address = inline("http-prometheus-server-address", scaling.serverAddress, "address");
  const problem = prometheusAddressProblem(address);
  if (problem !== void 0)
    throw new UserError(`input 'http-prometheus-server-address', with its app settings resolved, ${problem}`);
  const modes = prometheusAuthModes(scaling.auth);
  const metadata = {
    // KEDA appends /api/v1/query to it.
    serverAddress: address.replace(/\/+$/, ""),
    query: inline("http-prometheus-query", scaling.query, "query"),
    threshold: scaling.threshold,
    ...modes.length > 0 ? { authModes: modes.join(",") } : {}
  };
  const auth = prometheusAuth(scaling.auth, settings, warn);
  return { type: "prometheus", metadata, ...auth ? { auth } : {} };
}
function prometheusAuth(parameters, settings, warn) {
  const { [POD_IDENTITY]: provider, [IDENTITY_ID]: identityId, ...rest } = parameters;
  if (provider !== void 0)
    return {
      purpose: "prometheus",
      podIdentity: { provider: "azure-workload", ...identityId !== void 0 ? { identityId } : {} },
      // A CA may still come with it.
      ...prometheusCredentials(rest, settings, warn)
    };
  const credentials = prometheusCredentials(rest, settings, warn);
  return Object.keys(credentials).length > 0 ? { purpose: "prometheus", ...credentials } : void 0;
}
function prometheusCredentials(parameters, settings, warn) {
  const env = [];
  const literals = {};
  for (const [parameter, value] of Object.entries(parameters)) {
    const setting = settingReference(value);
    if (setting === void 0) {
      literals[parameter] = value;
      continue;
    }
    if (settings.complete && settings.values[setting] === void 0)
      warn(
        `input '${AUTH_INPUT}': ${parameter} reads app setting '${setting}', which is not in the app settings: KEDA will not be able to authenticate to Prometheus`
      );
    env.push({ parameter, name: setting });
  }
  return { ...env.length > 0 ? { env } : {}, ...Object.keys(literals).length > 0 ? { literals } : {} };
}

export {
  describe,
  settingReference,
  resolved,
  present,
  required,
  expectSetting,
  valueOrEnv,
  connection,
  workloadIdentity,
  identityValue,
  firstLabel,
  storageAccount,
  prometheusAddressProblem,
  prometheusAuthModes,
  prometheusScaler
};
