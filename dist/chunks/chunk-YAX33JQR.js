import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  removedOnExit,
  runTempDir
} from "./chunk-O5VYS5TV.js";
import {
  knownCloud
} from "./chunk-ZSHJFUU6.js";
import {
  UserError
} from "./chunk-TE2V2DN4.js";

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

export {
  REPOSITORY_PATH,
  IMAGE_TAG,
  isDockerHub,
  parseImageReference,
  loginServer,
  basicAuth,
  writeDockerConfig
};
