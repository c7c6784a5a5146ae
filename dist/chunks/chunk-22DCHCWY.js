import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);

// node_modules/is-network-error/index.js
var objectToString = Object.prototype.toString;
var isError = (value) => objectToString.call(value) === "[object Error]";
var errorMessages = /* @__PURE__ */ new Set([
  "network error",
  // Chrome
  "NetworkError when attempting to fetch resource.",
  // Firefox
  "The Internet connection appears to be offline.",
  // Safari 16
  "Network request failed",
  // `cross-fetch`
  "fetch failed",
  // Undici (Node.js)
  "terminated",
  // Undici (Node.js)
  " A network error occurred.",
  // Bun (WebKit)
  "Network connection lost"
  // Cloudflare Workers (fetch)
]);
function isNetworkError(error) {
  const isValid = error && isError(error) && error.name === "TypeError" && typeof error.message === "string";
  if (!isValid) {
    return false;
  }
  const { message, stack } = error;
  if (message === "Load failed" || message.startsWith("Load failed (") && message.endsWith(")")) {
    return stack === void 0 || "__sentry_captured__" in error;
  }
  if (message.startsWith("error sending request for url")) {
    return true;
  }
  if (message === "Failed to fetch" || message.startsWith("Failed to fetch (") && message.endsWith(")")) {
    return true;
  }
  return errorMessages.has(message);
}

// node_modules/p-retry/index.js
function validateRetries(retries) {
  if (typeof retries === "number") {
    if (retries < 0) {
      throw new TypeError("Expected `retries` to be a non-negative number.");
    }
    if (Number.isNaN(retries)) {
      throw new TypeError("Expected `retries` to be a valid number or Infinity, got NaN.");
    }
  } else if (retries !== void 0) {
    throw new TypeError("Expected `retries` to be a number or Infinity.");
  }
}
function validateNumberOption(name, value, { min = 0, allowInfinity = false } = {}) {
  if (value === void 0) {
    return;
  }
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`Expected \`${name}\` to be a number${allowInfinity ? " or Infinity" : ""}.`);
  }
  if (!allowInfinity && !Number.isFinite(value)) {
    throw new TypeError(`Expected \`${name}\` to be a finite number.`);
  }
  if (value < min) {
    throw new TypeError(`Expected \`${name}\` to be \u2265 ${min}.`);
  }
}
var AbortError = class extends Error {
  constructor(message) {
    super();
    if (message instanceof Error) {
      this.originalError = message;
      ({ message } = message);
    } else {
      this.originalError = new Error(message);
      this.originalError.stack = this.stack;
    }
    this.name = "AbortError";
    this.message = message;
  }
};
function calculateDelay(retriesConsumed, options) {
  const attempt = Math.max(1, retriesConsumed + 1);
  const random = options.randomize ? Math.random() + 1 : 1;
  let timeout = Math.round(random * options.minTimeout * options.factor ** (attempt - 1));
  timeout = Math.min(timeout, options.maxTimeout);
  return timeout;
}
function calculateRemainingTime(start, max) {
  if (!Number.isFinite(max)) {
    return max;
  }
  return max - (performance.now() - start);
}
async function onAttemptFailure({ error, attemptNumber, retriesConsumed, startTime, options }) {
  const normalizedError = error instanceof Error ? error : new TypeError(`Non-error was thrown: "${error}". You should only throw errors.`);
  if (normalizedError instanceof AbortError) {
    throw normalizedError.originalError;
  }
  const retriesLeft = Number.isFinite(options.retries) ? Math.max(0, options.retries - retriesConsumed) : options.retries;
  const maxRetryTime = options.maxRetryTime ?? Number.POSITIVE_INFINITY;
  const context = Object.freeze({
    error: normalizedError,
    attemptNumber,
    retriesLeft,
    retriesConsumed
  });
  await options.onFailedAttempt(context);
  if (calculateRemainingTime(startTime, maxRetryTime) <= 0) {
    throw normalizedError;
  }
  const consumeRetry = await options.shouldConsumeRetry(context);
  const remainingTime = calculateRemainingTime(startTime, maxRetryTime);
  if (remainingTime <= 0 || retriesLeft <= 0) {
    throw normalizedError;
  }
  if (normalizedError instanceof TypeError && !isNetworkError(normalizedError)) {
    if (consumeRetry) {
      throw normalizedError;
    }
    options.signal?.throwIfAborted();
    return false;
  }
  if (!await options.shouldRetry(context)) {
    throw normalizedError;
  }
  if (!consumeRetry) {
    options.signal?.throwIfAborted();
    return false;
  }
  const delayTime = calculateDelay(retriesConsumed, options);
  const finalDelay = Math.min(delayTime, remainingTime);
  options.signal?.throwIfAborted();
  if (finalDelay > 0) {
    await new Promise((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timeoutToken);
        options.signal?.removeEventListener("abort", onAbort);
        reject(options.signal.reason);
      };
      const timeoutToken = setTimeout(() => {
        options.signal?.removeEventListener("abort", onAbort);
        resolve();
      }, finalDelay);
      if (options.unref) {
        timeoutToken.unref?.();
      }
      options.signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
  options.signal?.throwIfAborted();
  return true;
}
async function pRetry(input, options = {}) {
  options = { ...options };
  validateRetries(options.retries);
  if (Object.hasOwn(options, "forever")) {
    throw new Error("The `forever` option is no longer supported. For many use-cases, you can set `retries: Infinity` instead.");
  }
  options.retries ??= 10;
  options.factor ??= 2;
  options.minTimeout ??= 1e3;
  options.maxTimeout ??= Number.POSITIVE_INFINITY;
  options.maxRetryTime ??= Number.POSITIVE_INFINITY;
  options.randomize ??= false;
  options.onFailedAttempt ??= () => {
  };
  options.shouldRetry ??= () => true;
  options.shouldConsumeRetry ??= () => true;
  validateNumberOption("factor", options.factor, { min: 0, allowInfinity: false });
  validateNumberOption("minTimeout", options.minTimeout, { min: 0, allowInfinity: false });
  validateNumberOption("maxTimeout", options.maxTimeout, { min: 0, allowInfinity: true });
  validateNumberOption("maxRetryTime", options.maxRetryTime, { min: 0, allowInfinity: true });
  if (!(options.factor > 0)) {
    options.factor = 1;
  }
  options.signal?.throwIfAborted();
  let attemptNumber = 0;
  let retriesConsumed = 0;
  const startTime = performance.now();
  while (Number.isFinite(options.retries) ? retriesConsumed <= options.retries : true) {
    attemptNumber++;
    try {
      options.signal?.throwIfAborted();
      const result = await input(attemptNumber);
      options.signal?.throwIfAborted();
      return result;
    } catch (error) {
      if (await onAttemptFailure({
        error,
        attemptNumber,
        retriesConsumed,
        startTime,
        options
      })) {
        retriesConsumed++;
      }
    }
  }
  throw new Error("Retry attempts exhausted without throwing an error.");
}

// src/cluster/status.ts
function apiStatus(error) {
  if (typeof error !== "object" || error === null || !("body" in error)) return void 0;
  const failed = error;
  if (typeof failed.code !== "number") return void 0;
  const body = typeof failed.body === "string" ? safeJson(failed.body) : failed.body;
  const status = body && typeof body === "object" ? body : {};
  return { ...status, code: failed.code };
}
function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}
function isNotFound(error) {
  return apiStatus(error)?.code === 404;
}
var RETRIED_STATUS = /* @__PURE__ */ new Set([429, 500, 502, 503, 504]);
var RETRIED_NETWORK = /* @__PURE__ */ new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE"]);
function isTransient(error) {
  const status = apiStatus(error);
  if (status) return RETRIED_STATUS.has(status.code);
  const problem = error;
  return RETRIED_NETWORK.has(problem?.code ?? problem?.cause?.code ?? "");
}
function withRetries(call) {
  return pRetry(call, {
    retries: 7,
    minTimeout: 250,
    maxTimeout: 8e3,
    shouldRetry: ({ error }) => isTransient(error),
    onFailedAttempt: async ({ error }) => {
      const after = Number(error.headers?.["retry-after"]);
      if (after > 0 && isTransient(error))
        await new Promise((resolve) => setTimeout(resolve, Math.min(after, 10) * 1e3));
    }
  });
}

// src/errors.ts
var UserError = class extends Error {
  constructor(message, file, line, column) {
    super(oneLine(message));
    this.file = file;
    this.line = line;
    this.column = column;
  }
  file;
  line;
  column;
  name = "UserError";
};
function oneLine(text) {
  return text.replace(/[\u0000-\u001f\u007f]/g, (character) => JSON.stringify(character).slice(1, -1));
}
var NETWORK_CODES = /* @__PURE__ */ new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "EAI_AGAIN",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE"
]);
function describeFailure(error) {
  if (error instanceof UserError) return { message: error.message, expected: true };
  const status = apiStatus(error);
  if (status)
    return {
      message: `the Kubernetes API answered ${status.code}: ${status.message ?? status.reason ?? ""}`,
      expected: true
    };
  const problem = error;
  const code = problem.code ?? problem.errno ?? problem.cause?.code;
  if (code && NETWORK_CODES.has(code)) {
    const url = /request to (\S+) failed/.exec(problem.message)?.[1];
    return { message: `cannot reach ${url ? new URL(url).origin : "the server"} (${code})`, expected: true };
  }
  return { message: `unexpected failure: ${problem.message}`, expected: false };
}

// src/azure/clouds.ts
var KNOWN = [
  {
    name: "AzureCloud",
    authorityHost: "https://login.microsoftonline.com",
    armEndpoint: "https://management.azure.com/",
    armScope: "https://management.azure.com/.default",
    acrSuffix: "azurecr.io"
  },
  {
    name: "AzureChinaCloud",
    authorityHost: "https://login.chinacloudapi.cn",
    armEndpoint: "https://management.chinacloudapi.cn/",
    armScope: "https://management.chinacloudapi.cn/.default",
    acrSuffix: "azurecr.cn"
  },
  {
    name: "AzureUSGovernment",
    authorityHost: "https://login.microsoftonline.us",
    armEndpoint: "https://management.usgovcloudapi.net/",
    armScope: "https://management.usgovcloudapi.net/.default",
    acrSuffix: "azurecr.us"
  }
];
function knownCloud(name) {
  return KNOWN.find((cloud) => cloud.name.toLowerCase() === name.toLowerCase());
}
function isCustomCloudUrl(value) {
  return /^https:\/\/[^/\s]+\/?$/.test(value);
}
function isKnownAuthority(authorityHost) {
  return KNOWN.some((cloud) => cloud.authorityHost === authorityHost.replace(/\/+$/, ""));
}

// src/registry/reference.ts
var HOST = String.raw`[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::[0-9]{1,5})?`;
var PATH_COMPONENT = String.raw`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`;
var PATH = String.raw`${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
var TAG = String.raw`[\w][\w.-]{0,127}`;
var REFERENCE = new RegExp(
  String.raw`^(?:(?<host>${HOST})/)?(?<path>${PATH})(?::(?<tag>${TAG}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$`
);
var REGISTRY_HOST = new RegExp(`^${HOST}$`);
var REPOSITORY_PATH = new RegExp(`^${PATH}$`);
var IMAGE_TAG = new RegExp(`^${TAG}$`);
var DOCKER_HUB_HOSTS = /* @__PURE__ */ new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);
function isDockerHub(host) {
  return DOCKER_HUB_HOSTS.has(host.toLowerCase());
}
function isRegistryHost(component) {
  return component.includes(".") || component.includes(":") || component === "localhost";
}
function parseImageReference(value) {
  const groups = REFERENCE.exec(value)?.groups;
  if (!groups) return void 0;
  const { host, path = "", tag, digest } = groups;
  if (host !== void 0 && !isRegistryHost(host)) {
    return REPOSITORY_PATH.test(`${host}/${path}`) ? { repository: `${host}/${path}`, tag, digest } : void 0;
  }
  return { host, repository: path, tag, digest };
}

// src/cleanup.ts
import { rmSync } from "node:fs";
import { constants, tmpdir } from "node:os";
function runTempDir() {
  return process.env.RUNNER_TEMP || process.env.AGENT_TEMPDIRECTORY || tmpdir();
}
var pending = /* @__PURE__ */ new Set();
var SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];
var onPendingChange;
function trackPending(listener) {
  onPendingChange = listener;
}
var interruptHandlers = /* @__PURE__ */ new Set();
function whenInterrupted(handler) {
  if (interruptHandlers.size === 0) for (const signal of SIGNALS) process.once(signal, onSignal);
  interruptHandlers.add(handler);
  return () => {
    interruptHandlers.delete(handler);
    if (interruptHandlers.size === 0) for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  };
}
function removedOnExit(path) {
  const remove = () => rmSync(path, { recursive: true, force: true });
  const dropHandler = whenInterrupted(remove);
  pending.add(path);
  onPendingChange?.([...pending]);
  return () => {
    remove();
    dropHandler();
    pending.delete(path);
    onPendingChange?.([...pending]);
  };
}
function onSignal(signal) {
  for (const handler of interruptHandlers) {
    try {
      handler(signal);
    } catch {
    }
  }
  process.exit(128 + constants.signals[signal]);
}

// src/registry/registry.ts
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
var ACR_NAME = /^[a-zA-Z0-9]{5,50}$/;
function loginServer(registry, cloud) {
  if (!isRegistryHost(registry)) {
    const suffix = knownCloud(cloud)?.acrSuffix;
    if (!ACR_NAME.test(registry))
      throw new UserError(
        `input 'registry': '${registry}' is neither an ACR name (5-50 letters and digits) nor a login server (host.domain or host:port)`
      );
    if (suffix === void 0)
      throw new UserError(
        `input 'registry': give the login server of the registry (host.domain), not the name '${registry}', for the custom cloud`
      );
    return `${registry.toLowerCase()}.${suffix}`;
  }
  if (!REGISTRY_HOST.test(registry))
    throw new UserError(
      `input 'registry': '${registry}' is not a registry login server (host.domain or host:port, no scheme or path)`
    );
  return registry.toLowerCase();
}
function basicAuth(credentials) {
  return Buffer.from(`${credentials.username}:${credentials.password}`, "utf8").toString("base64");
}
var SHARED_ENTRIES = ["cli-plugins", "buildx", "contexts"];
function writeDockerConfig(server, credentials) {
  const own = process.env.DOCKER_CONFIG || join(homedir(), ".docker");
  const existing = readConfig(join(own, "config.json"));
  const config = {
    ...existing,
    auths: { ...existing.auths, [authsKey(server)]: { auth: basicAuth(credentials) } }
  };
  delete config.credsStore;
  const credHelpers = { ...existing.credHelpers };
  delete credHelpers[server];
  config.credHelpers = credHelpers;
  const dir = mkdtempSync(join(runTempDir(), "aks-functions-deploy-docker-"));
  const remove = removedOnExit(dir);
  writeFileSync(join(dir, "config.json"), JSON.stringify(config), { mode: 384 });
  for (const entry of SHARED_ENTRIES) {
    if (existsSync(join(own, entry))) symlinkSync(join(own, entry), join(dir, entry));
  }
  return { dir, remove };
}
function authsKey(server) {
  return isDockerHub(server) ? "https://index.docker.io/v1/" : server;
}
function readConfig(file) {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8"));
    return typeof parsed === "object" && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

// src/inputs/schema.ts
var ALL = ["render", "deploy", "delete"];
var BUILD = ["render", "deploy"];
var DEPLOY = ["deploy"];
var CLUSTER = ["deploy", "delete"];
var INPUTS = [
  // app
  {
    name: "app-path",
    group: "app",
    kind: "path",
    commands: BUILD,
    default: ".",
    description: "Folder of the function app (the one holding host.json)."
  },
  {
    name: "name",
    group: "app",
    kind: "string",
    commands: ALL,
    requiredBy: ALL,
    description: "App name: a lower-case RFC 1123 label of at most 47 characters, starting with a letter. Names the Deployments, Service, ScaledObject and Secrets."
  },
  {
    name: "namespace",
    group: "app",
    kind: "string",
    commands: ALL,
    default: "default",
    description: "Kubernetes namespace; created when missing."
  },
  {
    name: "triggers",
    group: "app",
    kind: "text",
    commands: BUILD,
    description: "For code-first apps without function.json (Node.js v4, Python v2): a YAML list of functions, each `{name, type, ...binding properties}`."
  },
  // image
  {
    name: "image",
    group: "image",
    kind: "string",
    commands: BUILD,
    requiredBy: ["render"],
    description: "Deploy this image and skip the build."
  },
  {
    name: "registry",
    group: "image",
    kind: "string",
    commands: DEPLOY,
    description: "Registry to push the built image to: an ACR name (myacr) or a login server (myacr.azurecr.io, host:port)."
  },
  {
    name: "repository",
    group: "image",
    kind: "string",
    commands: DEPLOY,
    description: "Repository in the registry. Default: the app name."
  },
  {
    name: "tag",
    group: "image",
    kind: "string",
    commands: DEPLOY,
    description: "Image tag. Default: the commit SHA of the run, else a hash of the build inputs."
  },
  {
    name: "build",
    group: "image",
    kind: "enum",
    commands: DEPLOY,
    values: ["docker", "acr", "none"],
    description: "How to build: docker (the local Docker), acr (ACR Tasks, in Azure: no Docker needed), none. Default: none when image is given, else docker."
  },
  {
    name: "dockerfile",
    visibleRule: "build != none",
    group: "image",
    kind: "path",
    commands: DEPLOY,
    default: "Dockerfile",
    description: "Dockerfile, relative to the build context."
  },
  {
    name: "build-context",
    visibleRule: "build != none",
    group: "image",
    kind: "path",
    commands: DEPLOY,
    description: "Build context. Default: app-path."
  },
  {
    name: "build-args",
    visibleRule: "build != none",
    group: "image",
    kind: "text",
    commands: DEPLOY,
    description: "Build arguments, one KEY=VALUE a line."
  },
  {
    name: "platform",
    visibleRule: "build != none",
    group: "image",
    kind: "string",
    commands: DEPLOY,
    default: "linux/amd64",
    description: "Target platform of the image."
  },
  {
    name: "target",
    visibleRule: "build != none",
    group: "image",
    kind: "string",
    commands: DEPLOY,
    description: "Build stage of a multi-stage Dockerfile to build."
  },
  // registry
  {
    name: "registry-username",
    visibleRule: "registryLogin != azure",
    group: "registry",
    kind: "string",
    commands: DEPLOY,
    description: "Registry user name; without it, see registry-login."
  },
  {
    name: "registry-password",
    visibleRule: "registryLogin != azure",
    group: "registry",
    kind: "string",
    commands: DEPLOY,
    secret: true,
    description: "Registry password or token."
  },
  {
    name: "docker-registry-service-connection",
    group: "registry",
    kind: "string",
    commands: DEPLOY,
    serviceConnection: "dockerregistry",
    description: "A Docker Registry service connection to log into instead of registry-username and registry-password: user name and password, or an Azure Container Registry with a service principal. Sets registry when neither registry nor image is given."
  },
  {
    name: "registry-login",
    group: "registry",
    kind: "enum",
    commands: DEPLOY,
    default: "auto",
    values: ["auto", "azure", "docker"],
    description: "Without a user name: azure exchanges the Azure identity's token at the registry (ACR); docker uses Docker's own login; auto: azure for the cloud's ACR login servers (*.azurecr.io), else docker."
  },
  // azure
  {
    name: "azure-subscription",
    group: "azure",
    kind: "string",
    commands: CLUSTER,
    serviceConnection: "AzureRM",
    description: "An Azure Resource Manager service connection: its identity (workload identity federation, service principal secret or certificate, managed identity) and subscription. Inputs given here override it."
  },
  {
    name: "client-id",
    group: "azure",
    kind: "string",
    commands: CLUSTER,
    description: "Client (application) ID of the Azure identity."
  },
  { name: "tenant-id", group: "azure", kind: "string", commands: CLUSTER, description: "Entra ID tenant." },
  {
    name: "subscription-id",
    group: "azure",
    kind: "string",
    commands: CLUSTER,
    description: "Subscription of the AKS cluster."
  },
  {
    name: "client-secret",
    visibleRule: "auth = auto || auth = secret",
    group: "azure",
    kind: "string",
    commands: CLUSTER,
    secret: true,
    description: "Client secret, for auth: secret."
  },
  {
    name: "client-certificate",
    visibleRule: "auth = auto || auth = secret",
    group: "azure",
    kind: "text",
    commands: CLUSTER,
    secret: true,
    description: "Client certificate for auth: secret instead of a client secret: PEM with the private key, or the path of such a file."
  },
  {
    name: "auth",
    group: "azure",
    kind: "enum",
    commands: CLUSTER,
    default: "auto",
    values: ["auto", "oidc", "secret", "azure-cli", "managed-identity"],
    description: "How to get the Azure identity."
  },
  {
    name: "cloud",
    group: "azure",
    kind: "string",
    commands: CLUSTER,
    default: "AzureCloud",
    description: "AzureCloud, AzureChinaCloud, AzureUSGovernment, or the https ARM endpoint of a custom cloud."
  },
  // cluster
  {
    name: "resource-group",
    group: "cluster",
    kind: "string",
    commands: CLUSTER,
    description: "Resource group of the AKS cluster."
  },
  { name: "cluster-name", group: "cluster", kind: "string", commands: CLUSTER, description: "AKS cluster name." },
  {
    name: "admin",
    group: "cluster",
    kind: "boolean",
    commands: CLUSTER,
    default: "false",
    description: "Use the cluster admin credentials."
  },
  {
    name: "kubernetes-service-connection",
    group: "cluster",
    kind: "string",
    commands: CLUSTER,
    serviceConnection: "kubernetes",
    description: "A Kubernetes service connection instead of resource-group and cluster-name or kubeconfig: a kubeconfig (with its context), or a service account token."
  },
  {
    name: "kubeconfig",
    group: "cluster",
    kind: "string",
    commands: CLUSTER,
    secret: true,
    description: "A kubeconfig (path or content) instead of resource-group and cluster-name."
  },
  // settings
  {
    name: "settings-file",
    group: "settings",
    kind: "path",
    commands: BUILD,
    description: "A local.settings.json whose Values become app settings."
  },
  {
    name: "app-settings",
    group: "settings",
    kind: "text",
    commands: BUILD,
    secret: true,
    description: "App settings, one KEY=VALUE a line; override settings-file. Treated as secret."
  },
  {
    name: "secret-name",
    group: "settings",
    kind: "string",
    commands: BUILD,
    description: "Use this existing Secret for app settings instead of generating one."
  },
  {
    name: "config-map-name",
    group: "settings",
    kind: "string",
    commands: BUILD,
    description: "Also load app settings from this existing ConfigMap."
  },
  // scaling
  {
    name: "min-replicas",
    group: "scaling",
    kind: "integer",
    commands: BUILD,
    default: "0",
    description: "Minimum replicas of the event-driven Deployment (raised to 1 for triggers KEDA cannot wake)."
  },
  {
    name: "max-replicas",
    group: "scaling",
    kind: "integer",
    commands: BUILD,
    description: "Maximum replicas of the event-driven Deployment. Default: KEDA's (100)."
  },
  {
    name: "polling-interval",
    group: "scaling",
    kind: "duration",
    commands: BUILD,
    description: "How often KEDA checks the event sources (seconds, or 30s, 1m). Default: KEDA's (30s)."
  },
  {
    name: "cooldown-period",
    group: "scaling",
    kind: "duration",
    commands: BUILD,
    description: "How long after the last event KEDA scales to zero. Default: KEDA's (5m)."
  },
  {
    name: "http-replicas",
    group: "scaling",
    kind: "integer",
    commands: BUILD,
    default: "1",
    description: "Replicas of the HTTP Deployment (at least 1)."
  },
  {
    name: "service-type",
    group: "scaling",
    kind: "enum",
    commands: BUILD,
    default: "LoadBalancer",
    values: ["LoadBalancer", "ClusterIP", "NodePort"],
    description: "Type of the HTTP Service."
  },
  {
    name: "pull-secret",
    group: "scaling",
    kind: "string",
    commands: BUILD,
    description: "imagePullSecret for the pods (not needed when AKS is attached to the ACR)."
  },
  // keda
  {
    name: "keda",
    group: "keda",
    kind: "enum",
    commands: DEPLOY,
    default: "auto",
    values: ["auto", "install", "addon", "skip"],
    description: "auto: install KEDA when none is present; install: install or upgrade to keda-version; addon: enable the AKS add-on; skip: leave KEDA alone."
  },
  {
    name: "keda-version",
    visibleRule: "keda = auto || keda = install",
    group: "keda",
    kind: "string",
    commands: DEPLOY,
    default: "2.20.2",
    description: "KEDA version to install."
  },
  {
    name: "keda-namespace",
    visibleRule: "keda = auto || keda = install",
    group: "keda",
    kind: "string",
    commands: DEPLOY,
    default: "keda",
    description: "Namespace to install KEDA into."
  },
  {
    name: "keda-manifest-url",
    visibleRule: "keda = auto || keda = install",
    group: "keda",
    kind: "string",
    commands: DEPLOY,
    description: "Where to fetch the KEDA install manifest. Default: the KEDA release for keda-version."
  },
  {
    name: "keda-manifest-sha256",
    visibleRule: "keda = auto || keda = install",
    group: "keda",
    kind: "string",
    commands: DEPLOY,
    description: "SHA-256 the KEDA manifest must have. Default: the hash this project keeps for keda-version (2.19.0, 2.20.2)."
  },
  // rollout
  {
    name: "wait",
    group: "rollout",
    kind: "boolean",
    commands: DEPLOY,
    default: "true",
    description: "Wait for the rollout to be healthy."
  },
  {
    name: "timeout",
    visibleRule: "wait = true",
    group: "rollout",
    kind: "duration",
    commands: DEPLOY,
    default: "10m",
    description: "One deadline for the whole rollout."
  },
  {
    name: "rollback-on-failure",
    visibleRule: "wait = true",
    group: "rollout",
    kind: "boolean",
    commands: DEPLOY,
    default: "false",
    description: "Restore the previous revision when the rollout fails."
  },
  {
    name: "prune",
    group: "rollout",
    kind: "boolean",
    commands: DEPLOY,
    default: "true",
    description: "Delete objects of this app that are no longer rendered."
  },
  {
    name: "force-conflicts",
    group: "rollout",
    kind: "boolean",
    commands: DEPLOY,
    default: "false",
    description: "Take over fields another field manager owns."
  },
  // output
  {
    name: "dry-run",
    group: "output",
    kind: "boolean",
    commands: DEPLOY,
    default: "false",
    description: "Validate and render only; change nothing."
  },
  {
    name: "manifests-output",
    group: "output",
    kind: "path",
    commands: BUILD,
    cliAlias: "output",
    description: "Write the rendered objects to this file."
  },
  {
    name: "show-secrets",
    group: "output",
    kind: "boolean",
    commands: BUILD,
    default: "false",
    description: "Show Secret values in rendered output instead of a placeholder."
  }
];
function camelCase(name) {
  return name.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());
}

// src/keda/releases.ts
var KEDA_MANIFEST_SHA256 = {
  "2.19.0": "02e301da197f720bb6dd7c692eb10a86e2a700ad3ffe9e7ab8184677d1c93424",
  "2.20.2": "33c5ebbbae1632ea40cb4148c629868b15e24ebeb9f42c16d04ac2d37cc7f3f6"
};
function releaseUrl(version) {
  return `https://github.com/kedacore/keda/releases/download/v${version}/keda-${version}.yaml`;
}

// src/inputs/resolve.ts
var NAME_MAX_LENGTH = 47;
var MAX_INTEGER = 2147483647;
var MAX_DURATION_SECONDS = 24 * 3600;
var DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
var DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
var SETTING_KEY = /^[-._a-zA-Z0-9]+$/;
var InputValues = class {
  constructor(command, raw) {
    this.command = command;
    for (const spec of INPUTS) {
      const given = raw[spec.name];
      if (given !== void 0 && given.trim() !== "" && !spec.commands.includes(command)) {
        throw new UserError(`input '${spec.name}' does not apply to ${command}`);
      }
    }
    for (const spec of INPUTS.filter((input) => input.commands.includes(command))) {
      const given = raw[spec.name];
      const value = given === void 0 || given.trim() === "" ? spec.default : spec.kind === "text" ? given : given.trim();
      if (value === void 0) {
        if (spec.requiredBy?.includes(command)) throw new UserError(`input '${spec.name}' is required`);
        continue;
      }
      this.values.set(spec.name, checkKind(spec, value));
    }
  }
  command;
  values = /* @__PURE__ */ new Map();
  string(name) {
    return this.values.get(name);
  }
  required(name) {
    const value = this.values.get(name);
    if (value === void 0) throw new UserError(`input '${name}' is required for ${this.command}`);
    return value;
  }
  boolean(name) {
    return this.values.get(name)?.toLowerCase() === "true";
  }
  integer(name) {
    const value = this.values.get(name);
    return value === void 0 ? void 0 : Number(value);
  }
  seconds(name) {
    const value = this.values.get(name);
    return value === void 0 ? void 0 : durationSeconds(value);
  }
};
function checkKind(spec, value) {
  const shown = spec.secret ? "" : ` '${value}'`;
  switch (spec.kind) {
    case "boolean":
      if (!/^(true|false)$/i.test(value)) throw new UserError(`input '${spec.name}':${shown} is not true or false`);
      return value.toLowerCase();
    case "integer":
      if (!/^\d+$/.test(value)) throw new UserError(`input '${spec.name}':${shown} is not a whole number of 0 or more`);
      if (Number(value) > MAX_INTEGER) throw new UserError(`input '${spec.name}':${shown} is more than ${MAX_INTEGER}`);
      return value;
    case "duration": {
      const seconds = durationSeconds(value);
      if (seconds === void 0)
        throw new UserError(
          `input '${spec.name}':${shown} is not a duration (seconds, or a number with s, m or h: 30s, 5m, 1h30m)`
        );
      if (seconds > MAX_DURATION_SECONDS) throw new UserError(`input '${spec.name}':${shown} is more than 24h`);
      return value;
    }
    case "enum": {
      const match = spec.values?.find((allowed) => allowed.toLowerCase() === value.toLowerCase());
      if (!match) throw new UserError(`input '${spec.name}':${shown} is not one of ${spec.values?.join(", ")}`);
      return match;
    }
    default:
      return value;
  }
}
function durationSeconds(value) {
  if (/^\d+$/.test(value)) return Number(value);
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (!match || value === "") return void 0;
  const [, hours = "0", minutes = "0", seconds = "0"] = match;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}
function checkAppName(name) {
  if (name.length > NAME_MAX_LENGTH || !DNS_LABEL.test(name)) {
    throw new UserError(
      `input 'name': '${name}' is not a valid app name: use lower-case letters, digits and '-', start with a letter, end with a letter or digit, at most ${NAME_MAX_LENGTH} characters (so that '${name.slice(0, 20)}\u2026-http' and the other generated names stay valid)`
    );
  }
  return name;
}
function checkLabel(input, value, max = 63) {
  if (value !== void 0 && (value.length > max || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value))) {
    throw new UserError(
      `input '${input}': '${value}' is not a valid Kubernetes name (lower-case letters, digits and '-', at most ${max} characters)`
    );
  }
  return value;
}
function checkObjectName(input, value) {
  if (value !== void 0 && (value.length > 253 || !DNS_SUBDOMAIN.test(value))) {
    throw new UserError(
      `input '${input}': '${value}' is not a valid Kubernetes object name (lower-case letters, digits, '-' and '.')`
    );
  }
  return value;
}
function checkImageReference(input, value) {
  if (parseImageReference(value) === void 0) {
    throw new UserError(
      `input '${input}': '${value}' is not a valid image reference ([registry/]repository[:tag][@sha256:digest])`
    );
  }
  return value;
}
function parseKeyValueLines(input, text) {
  const result = /* @__PURE__ */ Object.create(null);
  (text ?? "").split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "" || line.trimStart().startsWith("#")) return;
    const equals = line.indexOf("=");
    const key = equals < 0 ? "" : line.slice(0, equals).trim();
    if (equals <= 0 || key === "") throw new UserError(`input '${input}', line ${index + 1}: expected KEY=VALUE`);
    if (!SETTING_KEY.test(key)) {
      throw new UserError(
        `input '${input}', line ${index + 1}: '${key}' is not a valid setting name (letters, digits, '-', '_' and '.'; use '__' for nesting)`
      );
    }
    result[key] = line.slice(equals + 1);
  });
  return result;
}
function isValidSettingKey(key) {
  return SETTING_KEY.test(key);
}
function resolveScaling(values) {
  const minReplicas = values.integer("min-replicas") ?? 0;
  const maxReplicas = values.integer("max-replicas");
  if (maxReplicas !== void 0 && maxReplicas < 1) throw new UserError(`input 'max-replicas': must be at least 1`);
  if (maxReplicas !== void 0 && minReplicas > maxReplicas) {
    throw new UserError(`input 'min-replicas' (${minReplicas}) is greater than input 'max-replicas' (${maxReplicas})`);
  }
  const pollingIntervalSeconds = values.seconds("polling-interval");
  if (pollingIntervalSeconds === 0) throw new UserError(`input 'polling-interval': must be at least 1 second`);
  const httpReplicas = values.integer("http-replicas") ?? 1;
  if (httpReplicas < 1)
    throw new UserError(`input 'http-replicas': must be at least 1 (HTTP functions need a replica to answer)`);
  return {
    minReplicas,
    maxReplicas,
    pollingIntervalSeconds,
    cooldownSeconds: values.seconds("cooldown-period"),
    httpReplicas,
    serviceType: values.required("service-type"),
    pullSecret: checkObjectName("pull-secret", values.string("pull-secret"))
  };
}
function resolveAppSource(values) {
  const appSettings = parseKeyValueLines("app-settings", values.string("app-settings"));
  const secretName = values.string("secret-name");
  if (secretName !== void 0 && (Object.keys(appSettings).length > 0 || values.string("settings-file") !== void 0)) {
    throw new UserError(
      `input 'secret-name' is set together with settings-file or app-settings: use an existing Secret or generated settings, not both`
    );
  }
  return {
    appPath: values.required("app-path"),
    settingsFile: values.string("settings-file"),
    appSettings,
    triggers: values.string("triggers")
  };
}
function resolveRenderOptions(values, image) {
  return { ...resolveAppObjects(values), image: checkImageReference("image", image) };
}
function resolveAppObjects(values) {
  return {
    name: checkAppName(values.required("name")),
    namespace: checkLabel("namespace", values.required("namespace")),
    scaling: resolveScaling(values),
    secretName: checkObjectName("secret-name", values.string("secret-name")),
    configMapName: checkObjectName("config-map-name", values.string("config-map-name"))
  };
}
function resolveRenderCommand(raw) {
  const values = new InputValues("render", raw);
  return {
    render: resolveRenderOptions(values, values.required("image")),
    app: resolveAppSource(values),
    manifestsOutput: values.string("manifests-output"),
    showSecrets: values.boolean("show-secrets")
  };
}
function resolveDeployCommand(raw) {
  const values = new InputValues("deploy", raw);
  const image = resolveImagePlan(values);
  const dryRun = values.boolean("dry-run");
  const cluster = resolveCluster(values, !dryRun);
  const timeoutSeconds = values.seconds("timeout") ?? 600;
  if (timeoutSeconds === 0) throw new UserError(`input 'timeout': must be at least 1 second`);
  const mode = values.required("keda");
  if (mode === "addon" && !(cluster !== void 0 && "aks" in cluster))
    throw new UserError(`input 'keda': addon needs an AKS cluster given by resource-group and cluster-name`);
  if (values.required("keda-namespace") !== "keda")
    throw new UserError(`input 'keda-namespace': KEDA's install manifest installs into 'keda' only`);
  const version = values.required("keda-version");
  if (!/^\d+\.\d+\.\d+$/.test(version))
    throw new UserError(`input 'keda-version': '${version}' is not a version like 2.20.2`);
  const manifestSha256 = values.string("keda-manifest-sha256")?.toLowerCase();
  if (manifestSha256 !== void 0 && !/^[a-f0-9]{64}$/.test(manifestSha256))
    throw new UserError(`input 'keda-manifest-sha256': '${manifestSha256}' is not a SHA-256 (64 hex digits)`);
  if (mode !== "skip" && manifestSha256 === void 0 && KEDA_MANIFEST_SHA256[version] === void 0) {
    throw new UserError(
      `input 'keda-version': no SHA-256 is known for KEDA ${version}'s manifest; give input 'keda-manifest-sha256', or use ${Object.keys(KEDA_MANIFEST_SHA256).join(" or ")}`
    );
  }
  return {
    render: resolveAppObjects(values),
    image,
    registryLogin: values.required("registry-login"),
    app: resolveAppSource(values),
    manifestsOutput: values.string("manifests-output"),
    showSecrets: values.boolean("show-secrets"),
    dryRun,
    cluster,
    azure: resolveAzure(values),
    keda: { mode, version, manifestUrl: values.string("keda-manifest-url"), manifestSha256 },
    rollout: {
      wait: values.boolean("wait"),
      timeoutSeconds,
      rollbackOnFailure: values.boolean("rollback-on-failure"),
      prune: values.boolean("prune"),
      forceConflicts: values.boolean("force-conflicts")
    }
  };
}
var PUSH_TARGET_INPUTS = ["registry", "repository", "tag"];
var PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
function resolveImagePlan(values) {
  const image = values.string("image");
  const build = values.string("build") ?? (image === void 0 ? "docker" : "none");
  const pushTarget = PUSH_TARGET_INPUTS.filter((name) => values.string(name) !== void 0);
  if (image !== void 0 && pushTarget.length > 0 && values.string("build") !== "none") {
    throw new UserError(
      `inputs 'image' and '${pushTarget[0]}' both name the image: give image to deploy it (or, with build: docker, to push the build there), or registry with repository and tag`
    );
  }
  const credentials = registryCredentials(values);
  const platform = values.required("platform");
  if (!PLATFORM.test(platform))
    throw new UserError(`input 'platform': '${platform}' is not a platform like linux/amd64 or linux/arm64/v8`);
  if (build === "none") {
    if (image === void 0) throw new UserError(`input 'image' is required when input 'build' is none`);
    if (pushTarget.length > 0)
      throw new UserError(
        `input '${pushTarget[0]}' is for pushing a build, but input 'build' is none: the image is deployed as given`
      );
    return {
      build: "none",
      image: checkImageReference("image", image),
      platform,
      ...credentials ? { credentials } : {}
    };
  }
  const target = image === void 0 ? pushTargetFromInputs(values) : pushTargetFromImage(image, values.required("cloud"));
  const stage = values.string("target");
  if (stage !== void 0 && !/^[a-zA-Z0-9][-\w.]*$/.test(stage))
    throw new UserError(`input 'target': '${stage}' is not a build stage name`);
  if (build === "acr") {
    if (credentials !== void 0)
      throw new UserError(
        `input 'registry-username': build: acr signs in with the Azure identity, not a user name and password`
      );
    if (values.required("registry-login") === "docker")
      throw new UserError(
        `input 'registry-login': build: acr signs in with the Azure identity (azure or auto), not Docker's login`
      );
    if (values.string("subscription-id") === void 0)
      throw new UserError(`input 'subscription-id' is required for build: acr (the registry's subscription)`);
  }
  return {
    build,
    ...target,
    target: stage,
    subscriptionId: values.string("subscription-id"),
    context: values.string("build-context") ?? values.required("app-path"),
    dockerfile: values.required("dockerfile"),
    buildArgs: parseKeyValueLines("build-args", values.string("build-args")),
    platform,
    ...credentials ? { credentials } : {}
  };
}
function registryCredentials(values) {
  const username = values.string("registry-username");
  const password = values.string("registry-password");
  if (username === void 0 !== (password === void 0)) {
    throw new UserError(
      `input '${username === void 0 ? "registry-username" : "registry-password"}' is required with input '${username === void 0 ? "registry-password" : "registry-username"}'`
    );
  }
  return username !== void 0 && password !== void 0 ? { username, password } : void 0;
}
function pushTargetFromInputs(values) {
  const registry = values.string("registry");
  if (registry === void 0)
    throw new UserError(
      `input 'registry' is required to push the built image (or give input 'image' to deploy a built one)`
    );
  const repository = values.string("repository") ?? values.required("name");
  if (!REPOSITORY_PATH.test(repository))
    throw new UserError(
      `input 'repository': '${repository}' is not a repository path (lower-case letters, digits, '.', '_', '-', '/' between parts)`
    );
  const tag = values.string("tag");
  if (tag !== void 0 && !IMAGE_TAG.test(tag))
    throw new UserError(
      `input 'tag': '${tag}' is not an image tag (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-')`
    );
  return { server: loginServer(registry, values.required("cloud")), repository, tag };
}
function pushTargetFromImage(image, cloud) {
  const reference = parseImageReference(checkImageReference("image", image));
  if (reference.digest)
    throw new UserError(
      `input 'image': '${image}' has a digest, but build: docker pushes a new image; drop the digest, or set build: none to deploy it as is`
    );
  if (reference.host === void 0)
    throw new UserError(
      `input 'image': '${image}' does not name a registry to push to; use registry.example/${image} or input 'registry'`
    );
  return { server: loginServer(reference.host, cloud), repository: reference.repository, tag: reference.tag };
}
function resolveDeleteCommand(raw) {
  const values = new InputValues("delete", raw);
  return {
    name: checkAppName(values.required("name")),
    namespace: checkLabel("namespace", values.required("namespace")),
    cluster: resolveCluster(values, true),
    azure: resolveAzure(values)
  };
}
function resolveCluster(values, required) {
  const kubeconfig = values.string("kubeconfig");
  const resourceGroup = values.string("resource-group");
  const clusterName = values.string("cluster-name");
  if (kubeconfig !== void 0 && (resourceGroup !== void 0 || clusterName !== void 0)) {
    throw new UserError(
      `input 'kubeconfig' is given together with '${resourceGroup !== void 0 ? "resource-group" : "cluster-name"}': give a kubeconfig, or an AKS cluster, not both`
    );
  }
  if (kubeconfig !== void 0) return { kubeconfig };
  if (resourceGroup === void 0 && clusterName === void 0) {
    if (required)
      throw new UserError(
        `input 'resource-group' and 'cluster-name' (an AKS cluster), or 'kubeconfig', are required (or dry-run: true to render only)`
      );
    return void 0;
  }
  if (resourceGroup === void 0 || clusterName === void 0) {
    throw new UserError(
      `input '${resourceGroup === void 0 ? "resource-group" : "cluster-name"}' is required with input '${resourceGroup === void 0 ? "cluster-name" : "resource-group"}'`
    );
  }
  if (!/^[-\w.()]{1,90}$/.test(resourceGroup) || resourceGroup.endsWith("."))
    throw new UserError(`input 'resource-group': '${resourceGroup}' is not a resource group name`);
  if (!/^[a-zA-Z0-9][-_a-zA-Z0-9]{0,62}$/.test(clusterName))
    throw new UserError(`input 'cluster-name': '${clusterName}' is not an AKS cluster name`);
  const subscriptionId = values.string("subscription-id");
  if (subscriptionId === void 0)
    throw new UserError(`input 'subscription-id' is required with an AKS cluster (resource-group and cluster-name)`);
  if (!GUID.test(subscriptionId))
    throw new UserError(`input 'subscription-id': '${subscriptionId}' is not a subscription ID (a GUID)`);
  return { aks: { subscriptionId, resourceGroup, clusterName, admin: values.boolean("admin") } };
}
var GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function resolveAzure(values) {
  const cloud = values.required("cloud");
  if (knownCloud(cloud) === void 0 && !isCustomCloudUrl(cloud)) {
    throw new UserError(
      `input 'cloud': '${cloud}' is not AzureCloud, AzureChinaCloud, AzureUSGovernment or the https URL of a custom cloud's Resource Manager`
    );
  }
  const clientId = values.string("client-id");
  if (clientId !== void 0 && !GUID.test(clientId))
    throw new UserError(`input 'client-id': '${clientId}' is not a client ID (a GUID)`);
  const tenantId = values.string("tenant-id");
  if (tenantId !== void 0 && !GUID.test(tenantId) && !/^[a-z0-9][-a-z0-9.]*\.[a-z]{2,}$/i.test(tenantId))
    throw new UserError(`input 'tenant-id': '${tenantId}' is not a tenant ID (a GUID or a domain)`);
  return {
    cloud,
    auth: values.required("auth"),
    clientId,
    tenantId,
    clientSecret: values.string("client-secret"),
    clientCertificate: values.string("client-certificate")
  };
}

export {
  pRetry,
  apiStatus,
  isNotFound,
  withRetries,
  UserError,
  oneLine,
  describeFailure,
  knownCloud,
  isKnownAuthority,
  KEDA_MANIFEST_SHA256,
  releaseUrl,
  IMAGE_TAG,
  isDockerHub,
  parseImageReference,
  trackPending,
  whenInterrupted,
  basicAuth,
  writeDockerConfig,
  INPUTS,
  camelCase,
  isValidSettingKey,
  resolveRenderCommand,
  resolveDeployCommand,
  resolveDeleteCommand
};
