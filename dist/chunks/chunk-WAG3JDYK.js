import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  publishDeploy,
  stage,
  timed
} from "./chunk-LOFZNQUG.js";
import {
  httpRequest,
  isLoopback,
  planAzure
} from "./chunk-A5VRGEI7.js";
import {
  appIdentity,
  appSummary,
  checkManifestsOutput,
  discoverStage,
  render,
  renderStage,
  writeManifests
} from "./chunk-CXSE4WTF.js";
import {
  mask
} from "./chunk-TEGGAPAS.js";
import {
  buildInputsHash,
  contextFiles,
  dockerfileInContext
} from "./chunk-4CJ2H4GN.js";
import {
  IMAGE_TAG,
  basicAuth,
  isDockerHub,
  parseImageReference,
  writeDockerConfig
} from "./chunk-YAX33JQR.js";
import {
  SETTINGS_HASH_KEY_ANNOTATION
} from "./chunk-RX4NZAIJ.js";
import {
  knownCloud
} from "./chunk-ZSHJFUU6.js";
import {
  getExecOutput,
  which
} from "./chunk-GVZNERBE.js";
import {
  isPresent,
  readUserFile
} from "./chunk-7NIGNZU7.js";
import {
  UserError,
  describeFailure,
  pRetry
} from "./chunk-TE2V2DN4.js";

// src/registry/lookup.ts
import { connect } from "node:tls";
var MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json"
].join(", ");
async function lookUpImage(server, repository, tag, platform, credentials) {
  const hub = isDockerHub(server);
  const host = hub ? "registry-1.docker.io" : server;
  if (hub && !repository.includes("/")) repository = `library/${repository}`;
  const base = `${await scheme(host)}://${host}/v2/${repository}`;
  const session = new RegistrySession(repository, credentials);
  const tagged = await session.get(`${base}/manifests/${tag}`, MANIFEST_TYPES);
  if (tagged.status === 404) return void 0;
  if (tagged.status !== 200) throw new Error(`registry ${server} answered ${tagged.status} for ${repository}:${tag}`);
  const digest = tagged.header("docker-content-digest");
  let manifest = tagged.body;
  if (manifest.manifests) {
    const [os, architecture, variant] = platform.split("/");
    const match = manifest.manifests.find(
      (entry) => entry.platform?.os === os && entry.platform?.architecture === architecture && (variant === void 0 || entry.platform?.variant === variant)
    );
    if (!match) return digest ? { digest, labels: {} } : void 0;
    manifest = (await session.get(`${base}/manifests/${match.digest}`, MANIFEST_TYPES)).body;
  }
  if (!digest || !manifest.config)
    throw new Error(`registry ${server} gave no digest or config for ${repository}:${tag}`);
  const config = await session.get(`${base}/blobs/${manifest.config.digest}`, "*/*");
  const labels = config.body?.config?.Labels ?? {};
  return { digest, labels };
}
var RegistrySession = class {
  constructor(repository, credentials) {
    this.repository = repository;
    this.credentials = credentials;
  }
  repository;
  credentials;
  authorization;
  async get(url, accept) {
    let response = await this.send(url, accept);
    if (response.status === 401 && await this.logIn(response.header("www-authenticate") ?? ""))
      response = await this.send(url, accept);
    const location = response.header("location");
    if (response.status >= 300 && response.status < 400 && location)
      response = await httpRequest({ url: new URL(location, url).toString(), headers: { accept } });
    return response;
  }
  send(url, accept) {
    return httpRequest({
      url,
      headers: { accept, ...this.authorization ? { authorization: this.authorization } : {} }
    });
  }
  /** Answers the registry's challenge; false when there is nothing to answer it with. */
  async logIn(challenge) {
    const basic = this.credentials ? `Basic ${basicAuth(this.credentials)}` : void 0;
    if (/^basic/i.test(challenge)) {
      this.authorization = basic;
      return basic !== void 0;
    }
    const parameters = Object.fromEntries(
      [...challenge.matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value2]) => [key?.toLowerCase(), value2])
    );
    if (!/^bearer/i.test(challenge) || !parameters.realm) return false;
    const realm = new URL(parameters.realm);
    if (parameters.service) realm.searchParams.set("service", parameters.service);
    realm.searchParams.set("scope", `repository:${this.repository}:pull`);
    const token = await httpRequest({ url: realm.toString(), headers: basic ? { authorization: basic } : {} });
    const value = token.body?.token ?? token.body?.access_token;
    if (token.status !== 200 || !value) return false;
    this.authorization = `Bearer ${value}`;
    return true;
  }
};
var schemes = /* @__PURE__ */ new Map();
function scheme(server) {
  const [host = "", port = "443"] = server.split(":");
  if (!isLoopback(host)) return Promise.resolve("https");
  let known = schemes.get(server);
  if (!known) {
    known = new Promise((resolve) => {
      const socket = connect({
        host,
        port: Number(port),
        servername: host === "localhost" ? host : void 0,
        rejectUnauthorized: false
      });
      socket.setTimeout(3e3, () => socket.destroy(new Error("timeout")));
      socket.once("secureConnect", () => (socket.end(), resolve("https")));
      socket.once("error", () => resolve("http"));
    });
    schemes.set(server, known);
  }
  return known;
}

// src/image/docker.ts
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
var BUILD_INPUTS_LABEL = "dev.aks-functions-deploy.build-inputs";
async function findDocker() {
  const docker = await which("docker", false);
  if (!docker)
    throw new UserError(
      `input 'build': docker needs the Docker CLI on PATH; install it, or give a built image with input 'image'`
    );
  return docker;
}
async function buildAndPush(docker, build, dockerConfigDir, log) {
  const target = `${build.repository}:${build.tag}`;
  const scratch = mkdtempSync(join(tmpdir(), "aks-functions-deploy-build-"));
  try {
    const imageIdFile = join(scratch, "image-id");
    const buildArgs = Object.entries(build.buildArgs).flatMap(([key, value]) => ["--build-arg", `${key}=${value}`]);
    await runDocker(docker, dockerConfigDir, log, "build", [
      "build",
      "--file",
      build.dockerfile,
      "--platform",
      build.platform,
      "--label",
      `${BUILD_INPUTS_LABEL}=${build.inputsHash}`,
      "--tag",
      target,
      "--iidfile",
      imageIdFile,
      ...build.target ? ["--target", build.target] : [],
      ...buildArgs,
      build.context
    ]);
    const imageId = readFileSync(imageIdFile, "utf8").trim();
    await pushWithRetries(() => runDocker(docker, dockerConfigDir, log, "push", ["push", target]), log);
    const inspected = await runDocker(docker, dockerConfigDir, QUIET, "image inspect", [
      "image",
      "inspect",
      "--format",
      "{{json .RepoDigests}}",
      imageId
    ]);
    const repoDigests = JSON.parse(inspected);
    const names = recordedNames(build.repository);
    const digest = repoDigests?.map((reference) => reference.split("@")).find(([name]) => names.includes(name))?.[1];
    if (!digest)
      throw new Error(`docker push of ${target} finished, but Docker recorded no digest for ${build.repository}`);
    return { image: `${build.repository}@${digest}`, digest };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
var QUIET = { info: () => void 0, warning: () => void 0 };
var TRANSIENT_PUSH_FAILURE = /connection refused|connection reset|broken pipe|i\/o timeout|TLS handshake timeout|\bEOF\b|context deadline exceeded|Client\.Timeout exceeded|\b50[0234]\b|Service Unavailable|Bad Gateway|too many requests|toomanyrequests/i;
function pushWithRetries(push, log) {
  return pRetry(push, {
    retries: 4,
    minTimeout: 1e3,
    shouldRetry: ({ error }) => TRANSIENT_PUSH_FAILURE.test(error.message),
    onFailedAttempt: ({ error, retriesLeft }) => {
      if (retriesLeft > 0 && TRANSIENT_PUSH_FAILURE.test(error.message)) log.info(`${error.message}: pushing again`);
    }
  });
}
function recordedNames(repository) {
  const path = /^(?:docker\.io|index\.docker\.io)\/(.+)$/.exec(repository)?.[1];
  return path === void 0 ? [repository] : [repository, path, path.replace(/^library\//, "")];
}
async function runDocker(docker, dockerConfigDir, log, step, args) {
  const lastLines = [];
  const remember = (line) => {
    log.info(line);
    lastLines.push(line);
    if (lastLines.length > 5) lastLines.shift();
  };
  const env = { ...process.env, ...dockerConfigDir ? { DOCKER_CONFIG: dockerConfigDir } : {} };
  const result = await getExecOutput(docker, args, {
    silent: true,
    ignoreReturnCode: true,
    env,
    listeners: { stdline: remember, errline: remember }
  });
  if (result.exitCode !== 0) {
    const reason = lastLines.filter((line) => line.trim() !== "").at(-1) ?? "no output";
    throw new UserError(`docker ${step} failed (exit ${result.exitCode}): ${reason}`);
  }
  return result.stdout;
}

// src/azure/acr-roles.ts
var ABAC_MODE = "AbacRepositoryPermissions";
var ABAC_PUSH_ROLE = "Container Registry Repository Writer";
function pushRoleAdvice(server, mode) {
  if (mode === ABAC_MODE)
    return `give the Azure identity the '${ABAC_PUSH_ROLE}' role on registry ${server}: its role assignment mode is ${ABAC_MODE}, where AcrPush grants nothing`;
  if (mode !== void 0) return `give the Azure identity the AcrPush role on registry ${server}`;
  return `give the Azure identity the AcrPush role on registry ${server}, or the '${ABAC_PUSH_ROLE}' role if its role assignment mode is ${ABAC_MODE} (which ignores AcrPush)`;
}

// src/azure/acr.ts
var ACR_TOKEN_USER = "00000000-0000-0000-0000-000000000000";
async function acrCredentials(credential, cloud, server, tenantId, platform) {
  const audiences = [
    ...cloud.acrScope ? [{ audience: "ACR", scope: cloud.acrScope }] : [],
    { audience: "ARM", scope: cloud.armScope }
  ];
  const failures = [];
  for (const { audience, scope } of audiences) {
    const attempt = await exchange(credential, audience, scope, server, tenantId);
    if ("refreshToken" in attempt) {
      mask(platform, attempt.refreshToken);
      const [declined] = failures;
      if (declined)
        platform.info(`registry ${server}: signed in with an ARM-audience token (ACR audience: ${declined.reason})`);
      return { username: ACR_TOKEN_USER, password: attempt.refreshToken };
    }
    failures.push(attempt);
  }
  throw new UserError(acrRefusal(server, failures));
}
async function exchange(credential, audience, scope, server, tenantId) {
  let accessToken;
  try {
    const token = await credential.getToken(scope);
    if (!token) return { audience, stage: "sign-in", reason: `Entra ID returned no token for ${scope}` };
    accessToken = token.token;
  } catch (error) {
    if (audience === "ARM") throw error;
    return { audience, stage: "sign-in", reason: error.message };
  }
  const url = `https://${server}/oauth2/exchange`;
  const response = await httpRequest({
    url,
    form: {
      grant_type: "access_token",
      service: server,
      access_token: accessToken,
      ...tenantId ? { tenant: tenantId } : {}
    }
  }).catch((error) => {
    throw new UserError(`cannot log into registry ${server}: ${error.message}`);
  });
  const refreshToken = response.body?.refresh_token;
  if (response.status === 200 && typeof refreshToken === "string") return { refreshToken };
  if (response.status === 404) {
    throw new UserError(
      `registry ${server} has no ACR token exchange (${url} answered 404): for a registry that is not an ACR, give registry-username and registry-password`
    );
  }
  const body = response.body;
  const detail = body?.errors?.[0]?.message ?? body?.error_description ?? "";
  return { audience, stage: "exchange", reason: `${response.status}${detail ? `: ${detail}` : ""}` };
}
function acrRefusal(server, failures) {
  const acr = failures.find((failure) => failure.audience === "ACR");
  const arm = failures.find((failure) => failure.audience === "ARM");
  if (acr?.stage === "sign-in") {
    return `registry ${server} refused the ARM-audience token (${arm.reason}) and Entra ID issued no ACR-audience token (${acr.reason}): a registry with authentication-as-arm disabled takes only ACR-audience tokens; ask for the registry's policy (az acr config authentication-as-arm show) or sign in where the ACR audience is available`;
  }
  if (acr?.stage === "exchange") {
    return `registry ${server} refused the Azure identity's ACR-audience token (${acr.reason}) and its ARM-audience token (${arm.reason}): the identity is not in the registry's tenant (check tenant-id), or has no role on it: ` + pushRoleAdvice(server, void 0);
  }
  return `registry ${server} refused the Azure identity's token (${arm.reason}): ${pushRoleAdvice(server, void 0)}`;
}

// src/image/registry-hints.ts
import { lookup } from "node:dns/promises";
async function armRegistry(azure, subscriptionId, matches) {
  if (subscriptionId === void 0) return void 0;
  try {
    const { findRegistry, registryClient } = await import("./registries-AJUR7RRW.js");
    return await findRegistry(registryClient(await azure.session(), subscriptionId), matches);
  } catch {
    return void 0;
  }
}
async function refusedPushAdvice(server, azure, subscriptionId) {
  const registry = await armRegistry(
    azure,
    subscriptionId,
    (found) => found.loginServer?.toLowerCase() === server.toLowerCase()
  );
  return pushRoleAdvice(server, registry?.roleAssignmentMode);
}
async function doesNotResolve(server) {
  if (["HTTPS_PROXY", "ALL_PROXY", "HTTP_PROXY"].some((name) => process.env[name] || process.env[name.toLowerCase()]))
    return false;
  const host = server.replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
  const code = await lookup(host).then(
    () => void 0,
    (error) => error.code
  );
  return code === "ENOTFOUND";
}
async function unresolvedRegistry(server, azure, subscriptionId) {
  const host = server.replace(/:\d+$/, "");
  if (!await doesNotResolve(server)) return void 0;
  const name = host.split(".")[0];
  const registry = azure && await armRegistry(azure, subscriptionId, (found) => found.name?.toLowerCase() === name.toLowerCase());
  if (registry?.loginServer && registry.loginServer.toLowerCase() !== server.toLowerCase()) {
    return new UserError(
      `input 'registry': ${host} does not resolve; registry ${registry.name ?? name} has the login server ${registry.loginServer} (domain name label scope ${registry.autoGeneratedDomainNameLabelScope ?? "unknown"}): give that as 'registry'`
    );
  }
  return new UserError(
    `input 'registry': ${host} does not resolve; a registry created with a domain name label scope has a login server with a hash (${name}-<hash>.azurecr.io), and it must be given by that: az acr show --name ${name} --query loginServer`
  );
}

// src/image/login.ts
function logsInWithAzure(options, cloud) {
  if (options.build === "acr") return true;
  if (options.credentials || options.login === "docker") return false;
  if (options.login === "azure") return true;
  const server = options.build === "none" ? parseImageReference(options.image)?.host ?? "docker.io" : options.server;
  const acrSuffix = knownCloud(cloud)?.acrSuffix;
  return acrSuffix !== void 0 && server.endsWith(`.${acrSuffix}`);
}
async function registryLogin(server, given, azure, platform, subscriptionId) {
  let credentials = given;
  if (credentials === void 0 && azure !== void 0) {
    const unresolved = await unresolvedRegistry(server, azure, subscriptionId);
    if (unresolved) throw unresolved;
    const session = await azure.session();
    credentials = await acrCredentials(session.credential, session.cloud, server, session.tenantId, platform);
    platform.info(`registry: logged into ${server} with the Azure identity`);
  }
  if (credentials) {
    mask(platform, credentials.password);
    mask(platform, basicAuth(credentials));
  }
  return credentials;
}

// src/image/plan.ts
import { existsSync, statSync } from "node:fs";
import { isAbsolute, join as join2 } from "node:path";
function inputsTag(inputsHash) {
  return `inputs-${inputsHash.slice(0, 16)}`;
}
var LOCAL_SECRETS = /(^|\/)local\.settings\.json$/;
async function planImage(options, commit, dryRun) {
  if (options.build === "none") return { route: "given", reference: options.image, warnings: [], options };
  const dockerfile = checkBuildFiles(options);
  const files = contextFiles(options.context);
  const warnings = files.filter((file) => LOCAL_SECRETS.test(file)).map(
    (file) => `${join2(options.context, file)} goes into the image: its settings (often secrets) can be read by anyone who can pull it; add it to .dockerignore`
  );
  const { context, buildArgs, platform, target } = options;
  const inputs = { context, dockerfile, buildArgs, platform, target };
  const inputsHash = buildInputsHash(inputs, files);
  const tag = options.tag ?? (commit !== void 0 && IMAGE_TAG.test(commit) ? commit : inputsTag(inputsHash));
  const repository = `${options.server}/${options.repository}`;
  const reference = `${repository}:${tag}`;
  const spec = { ...inputs, repository, tag, inputsHash };
  if (dryRun) return { route: "unbuilt", reference, warnings };
  if (options.build === "acr") return { route: "acr", reference, warnings, options, spec };
  return { route: "docker", reference, warnings, options, spec, docker: await findDocker() };
}
function checkBuildFiles(options) {
  if (!existsSync(options.context) || !statSync(options.context).isDirectory()) {
    throw new UserError(`input 'build-context': ${options.context} is not a folder`);
  }
  const dockerfile = isAbsolute(options.dockerfile) ? options.dockerfile : join2(options.context, options.dockerfile);
  if (!isPresent(dockerfile, `input 'dockerfile': ${dockerfile}`)) {
    throw new UserError(
      `input 'dockerfile': ${dockerfile} does not exist (it is read relative to the build context ${options.context})`
    );
  }
  try {
    readUserFile(dockerfile, dockerfile);
  } catch (error) {
    throw new UserError(`input 'dockerfile': ${error.message}`, dockerfile);
  }
  if (options.build === "acr" && dockerfileInContext(options.context, dockerfile) === void 0) {
    throw new UserError(
      `input 'dockerfile': ${dockerfile} is outside the build context ${options.context}; build: acr uploads only the context`
    );
  }
  return dockerfile;
}

// src/image/image.ts
async function obtainImage(planned, azure, platform) {
  switch (planned.route) {
    case "given":
      return pinDigest(planned.options, azure, platform);
    case "unbuilt":
      return { image: planned.reference };
    case "docker":
    case "acr": {
      const { options, spec } = planned;
      const credentials = await registryLogin(
        options.server,
        options.credentials,
        azure,
        platform,
        options.subscriptionId
      ).catch((error) => {
        if (planned.route === "docker") throw error;
        platform.info(
          `could not log into ${options.server} to look for an earlier build (${describeFailure(error).message})`
        );
        return void 0;
      });
      const built = await alreadyBuilt(options, spec, credentials, platform);
      if (built) return built;
      const pushed = planned.route === "acr" ? await acrBuild(planned.reference, options, spec, azure, platform) : await dockerBuild(planned.docker, options, spec, credentials, azure, platform);
      platform.info(`pushed ${pushed.image}`);
      return pushed;
    }
  }
}
async function pinDigest(options, azure, platform) {
  const reference = parseImageReference(options.image);
  if (reference.digest) return { image: options.image, digest: reference.digest };
  const host = reference.host ?? "docker.io";
  const tag = reference.tag ?? "latest";
  const byTag = (why) => {
    platform.warning(`deploying ${options.image} by its tag: its digest could not be read (${why})`);
    return { image: options.image };
  };
  if (await doesNotResolve(host)) return byTag(`${host} does not resolve`);
  let found;
  try {
    const credentials = await registryLogin(host, options.credentials, azure, platform);
    found = await lookUpImage(host, reference.repository, tag, options.platform, credentials);
  } catch (error) {
    return byTag(describeFailure(error).message);
  }
  if (!found) {
    throw new UserError(
      `input 'image': ${options.image} is not in its registry (no tag ${tag} in ${host}/${reference.repository})`
    );
  }
  const name = options.image.slice(0, options.image.length - (reference.tag ? reference.tag.length + 1 : 0));
  return { image: `${name}@${found.digest}`, digest: found.digest };
}
async function alreadyBuilt(options, spec, credentials, platform) {
  try {
    const found = await lookUpImage(options.server, options.repository, spec.tag, options.platform, credentials);
    const sameInputs = options.build === "docker" ? found?.labels[BUILD_INPUTS_LABEL] === spec.inputsHash : spec.tag === inputsTag(spec.inputsHash);
    if (!found || !sameInputs) return void 0;
    platform.info(`${spec.repository}:${spec.tag} is in the registry, built from the same inputs: build skipped`);
    return { image: `${spec.repository}@${found.digest}`, digest: found.digest };
  } catch (error) {
    platform.info(
      `could not read ${spec.repository}:${spec.tag} from the registry (${describeFailure(error).message}): building`
    );
    return void 0;
  }
}
async function acrBuild(reference, options, spec, azure, platform) {
  platform.info(`building ${reference} with ACR Tasks`);
  const { acrBuildAndPush } = await import("./acr-tasks-54QUMLRX.js");
  const build = {
    ...spec,
    server: options.server,
    path: options.repository,
    subscriptionId: options.subscriptionId
  };
  return acrBuildAndPush(await azure.session(), build, platform);
}
async function dockerBuild(docker, options, spec, credentials, azure, platform) {
  const login = credentials ? writeDockerConfig(options.server, credentials) : void 0;
  try {
    platform.info(`building ${spec.repository}:${spec.tag}`);
    return await buildAndPush(docker, spec, login?.dir, platform).catch(async (error) => {
      const refused = error instanceof UserError && /^docker push failed .*(unauthorized|denied)/i.test(error.message);
      if (azure !== void 0 && options.credentials === void 0 && refused) {
        const advice = await refusedPushAdvice(options.server, azure, options.subscriptionId);
        throw new UserError(`${error.message}; ${advice}`);
      }
      throw error;
    });
  } finally {
    login?.remove();
  }
}

// src/commands/deploy.ts
function deployApp(options, platform) {
  return publishDeploy(platform, (record) => deployStages(options, platform, record));
}
async function deployStages(options, platform, record) {
  const { app, planned, objects } = await stage(record, platform, "Discover and render the app", async () => {
    checkManifestsOutput(options.manifestsOutput);
    const app2 = await discoverStage(options, platform);
    const planned2 = await planImage(options.image, platform.run.commit, options.dryRun || !options.cluster);
    for (const warning of planned2.warnings) platform.warning(warning);
    const objects2 = renderStage(app2, { ...options.render, image: planned2.reference }, platform);
    for (const line of appSummary(app2, objects2)) platform.info(line);
    return { app: app2, planned: planned2, objects: objects2 };
  });
  record.manifestsHaveSecrets = options.showSecrets;
  if (options.cluster === void 0) {
    const manifests = record.manifests = writeManifests(objects, options);
    record.image = planned.reference;
    platform.info(`dry run: rendered ${objects.length} objects, no cluster given`);
    return { objects, manifests, image: planned.reference, applied: [] };
  }
  const cluster = options.cluster;
  record.timed = true;
  const registryAzure = logsInWithAzure(options.image, options.azure.cloud);
  const azure = "aks" in cluster || registryAzure ? planAzure(options.azure, platform) : void 0;
  if (azure) await stage(record, platform, "Sign in to Azure", () => timed(record, "signIn", () => azure.session()));
  const clusterStages = await import("./deploy-cluster-S5FZPLOQ.js");
  const connected = "kubeconfig" in cluster ? await clusterStages.connectDirectly(cluster, azure, platform) : void 0;
  const identity = appIdentity(app.settings, options.render.workloadIdentity, () => void 0);
  const needs = {
    objects,
    identity: identity ? { clientIds: identity.clientIds, objects } : void 0,
    keda: objects.some((object) => ["ScaledObject", "TriggerAuthentication"].includes(object.kind)),
    settingsHashKey: objects.some(
      (object) => object.metadata.annotations?.[SETTINGS_HASH_KEY_ANNOTATION] !== void 0
    )
  };
  const [image, prepared] = await stage(
    record,
    platform,
    "Build the image and prepare the cluster",
    () => bothSettled(
      platform,
      timed(record, "image", () => obtainImage(planned, registryAzure ? azure : void 0, platform)),
      timed(
        record,
        "cluster",
        () => clusterStages.prepareCluster(connected ?? cluster, azure, options, needs, platform)
      )
    )
  );
  Object.assign(record, { image: image.image, digest: image.digest, kedaVersion: prepared.kedaVersion });
  const { settingsHashKey } = prepared;
  const final = image.image === planned.reference && settingsHashKey === void 0 ? objects : render(app, { ...options.render, image: image.image, settingsHashKey }).objects;
  record.manifests = writeManifests(final, options);
  return clusterStages.applyAndWait(prepared, app, final, options, platform, record);
}
async function bothSettled(platform, first, second) {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === "rejected" && b.status === "rejected" && describeFailure(a.reason).message !== describeFailure(b.reason).message) {
    platform.warning(`also failed: ${describeFailure(b.reason).message}`);
  }
  if (a.status === "rejected") throw a.reason;
  if (b.status === "rejected") throw b.reason;
  return [a.value, b.value];
}

export {
  deployApp
};
