import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  require_semver
} from "./chunk-F56KB3A3.js";
import {
  KubernetesObjectApi,
  ObjectApiextensionsV1Api,
  ObjectApiregistrationV1Api,
  ObjectAppsV1Api,
  PatchStrategy,
  loadAllYaml,
  makeInformer
} from "./chunk-UOWXIDHC.js";
import {
  EMBEDDED_KEDA,
  KEDA_MANIFEST_SHA256
} from "./chunk-CHEWDH2Y.js";
import {
  FIELD_MANAGER,
  WORKLOAD_IDENTITY_USE_LABEL
} from "./chunk-RX4NZAIJ.js";
import {
  debug
} from "./chunk-LXA5KJQK.js";
import {
  cp,
  mkdirP,
  rmRF
} from "./chunk-GVZNERBE.js";
import {
  readUserFile
} from "./chunk-7NIGNZU7.js";
import {
  UserError,
  apiStatus,
  isNotFound,
  withRetries
} from "./chunk-TE2V2DN4.js";
import {
  __toESM
} from "./chunk-J2GP2G6B.js";

// src/keda/workload-identity.ts
var OPERATOR = "keda-operator";
function labelOperatorPods(objects) {
  return objects.map((object) => {
    if (object.kind !== "Deployment" || object.metadata?.name !== OPERATOR) return object;
    const deployment = object;
    const template = deployment.spec?.template;
    return {
      ...deployment,
      spec: {
        ...deployment.spec,
        template: {
          ...template,
          metadata: {
            ...template?.metadata,
            labels: { ...template?.metadata?.labels, [WORKLOAD_IDENTITY_USE_LABEL]: "true" }
          }
        }
      }
    };
  });
}
function kedaOperatorWarning(found, objects) {
  const scalersUseIdentity = objects.some(
    (object) => object.kind === "TriggerAuthentication" && object.spec?.podIdentity?.provider === "azure-workload"
  );
  if (!scalersUseIdentity || !found || found.operator.workloadIdentity) return void 0;
  const deployment = `Deployment ${OPERATOR} in namespace ${found.namespace}`;
  const fixes = {
    helm: `upgrade its Helm release (${found.evidence}) with --set podIdentity.azureWorkload.enabled=true, which labels the pods`,
    "aks-addon": `enable workload identity on the cluster (az aks update --enable-workload-identity), then restart it (kubectl rollout restart deployment/${OPERATOR} -n ${found.namespace})`,
    manifest: `add the label ${WORKLOAD_IDENTITY_USE_LABEL}: "true" to the pod template (spec.template.metadata.labels) of ${deployment} where it is defined (the manifests or GitOps repository it is applied from) and apply them, or let this step install or upgrade KEDA (keda: install with a newer keda-version)`
  };
  return `KEDA's operator (${deployment}) is not set up for workload identity: its pods lack the ${WORKLOAD_IDENTITY_USE_LABEL} label, so the app's scalers cannot sign in. This deploy did not install that KEDA and leaves it as it is: ${fixes[found.installedBy]}; its pods restart with the change`;
}

// src/wait/informers.ts
function runInformers(informers, changed) {
  let stopped = false;
  for (const informer of informers) {
    let backoff = 250;
    for (const event of ["add", "update", "delete"]) informer.on(event, changed);
    informer.on("connect", () => {
      backoff = 250;
    });
    informer.on("error", () => {
      if (stopped) return;
      setTimeout(() => {
        if (!stopped) informer.start().catch(() => void 0);
      }, backoff).unref();
      backoff = Math.min(backoff * 2, 4e3);
    });
  }
  const started = Promise.all(informers.map((informer) => informer.start())).then(() => void 0);
  return {
    started,
    stop: async () => {
      stopped = true;
      await started.catch(() => void 0);
      await Promise.all(informers.map((informer) => informer.stop()));
    }
  };
}
async function untilInformed(informers, done, timeoutSeconds, timedOut) {
  let running;
  let deadline;
  try {
    await new Promise((resolve, reject) => {
      let listed = false;
      const judge = () => {
        if (listed && done()) resolve();
      };
      deadline = setTimeout(() => reject(timedOut()), timeoutSeconds * 1e3);
      running = runInformers(informers, judge);
      running.started.then(() => {
        listed = true;
        judge();
      }, reject);
    });
  } finally {
    clearTimeout(deadline);
    await running?.stop();
  }
}

// src/keda/installed-by.ts
var ADDON_HELM_RELEASE = "aks-managed-keda";
var AKS_MANAGED_LABEL = "kubernetes.azure.com/managedby";
var ADDON_MANAGER_LABEL = "addonmanager.kubernetes.io/mode";
var HELM_RELEASE_ANNOTATION = "meta.helm.sh/release-name";
var HELM_RELEASE_NAMESPACE_ANNOTATION = "meta.helm.sh/release-namespace";
function kedaManager(objects, addonEnabled) {
  const label = (key) => objects.map((object) => object.labels?.[key]).find((value) => value !== void 0);
  const annotation = (key) => objects.map((object) => object.annotations?.[key]).find((value) => value !== void 0);
  const release = annotation(HELM_RELEASE_ANNOTATION);
  const addonMarker = release === ADDON_HELM_RELEASE ? `its Helm release ${ADDON_HELM_RELEASE}` : label(AKS_MANAGED_LABEL) === "aks" ? `its label ${AKS_MANAGED_LABEL}: aks` : label(ADDON_MANAGER_LABEL) !== void 0 ? `its label ${ADDON_MANAGER_LABEL}` : void 0;
  if (addonEnabled === true) return { installedBy: "aks-addon", evidence: "ARM: the add-on is enabled" };
  if (addonMarker && addonEnabled === false) {
    throw new UserError(
      `KEDA in this cluster is the AKS add-on's (${addonMarker}), but ARM says the add-on is disabled: AKS is removing it; wait until it is gone (keda: auto then installs KEDA), or enable the add-on (keda: addon)`
    );
  }
  if (addonMarker) return { installedBy: "aks-addon", evidence: addonMarker };
  if (release !== void 0) {
    const releaseNamespace = annotation(HELM_RELEASE_NAMESPACE_ANNOTATION);
    return {
      installedBy: "helm",
      evidence: `Helm release ${release}${releaseNamespace ? ` in namespace ${releaseNamespace}` : ""}`,
      helmRelease: { name: release, namespace: releaseNamespace }
    };
  }
  if (label("app.kubernetes.io/managed-by") === "Helm" || label("helm.sh/chart") !== void 0)
    return { installedBy: "helm", evidence: "its Helm labels" };
  return { installedBy: "manifest", evidence: "KEDA's manifest" };
}

// src/keda/manifest.ts
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync as writeFileSync2 } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join as join2 } from "node:path";

// node_modules/@actions/tool-cache/lib/tool-cache.js
import * as fs from "fs";

// node_modules/@actions/tool-cache/lib/manifest.js
var semver = __toESM(require_semver(), 1);

// node_modules/@actions/tool-cache/lib/tool-cache.js
import * as os from "os";
import * as path from "path";
var semver2 = __toESM(require_semver(), 1);
import { ok } from "assert";
var __awaiter = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve) {
      resolve(value);
    });
  }
  return new (P || (P = Promise))(function(resolve, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var IS_WINDOWS = process.platform === "win32";
var IS_MAC = process.platform === "darwin";
function cacheFile(sourceFile, targetFile, tool, version, arch2) {
  return __awaiter(this, void 0, void 0, function* () {
    version = semver2.clean(version) || version;
    arch2 = arch2 || os.arch();
    debug(`Caching tool ${tool} ${version} ${arch2}`);
    debug(`source file: ${sourceFile}`);
    if (!fs.statSync(sourceFile).isFile()) {
      throw new Error("sourceFile is not a file");
    }
    const destFolder = yield _createToolPath(tool, version, arch2);
    const destPath = path.join(destFolder, targetFile);
    debug(`destination file ${destPath}`);
    yield cp(sourceFile, destPath);
    _completeToolPath(tool, version, arch2);
    return destFolder;
  });
}
function find(toolName, versionSpec, arch2) {
  if (!toolName) {
    throw new Error("toolName parameter is required");
  }
  if (!versionSpec) {
    throw new Error("versionSpec parameter is required");
  }
  arch2 = arch2 || os.arch();
  if (!isExplicitVersion(versionSpec)) {
    const localVersions = findAllVersions(toolName, arch2);
    const match = evaluateVersions(localVersions, versionSpec);
    versionSpec = match;
  }
  let toolPath = "";
  if (versionSpec) {
    versionSpec = semver2.clean(versionSpec) || "";
    const cachePath = path.join(_getCacheDirectory(), toolName, versionSpec, arch2);
    debug(`checking cache: ${cachePath}`);
    if (fs.existsSync(cachePath) && fs.existsSync(`${cachePath}.complete`)) {
      debug(`Found tool in cache ${toolName} ${versionSpec} ${arch2}`);
      toolPath = cachePath;
    } else {
      debug("not found");
    }
  }
  return toolPath;
}
function findAllVersions(toolName, arch2) {
  const versions = [];
  arch2 = arch2 || os.arch();
  const toolPath = path.join(_getCacheDirectory(), toolName);
  if (fs.existsSync(toolPath)) {
    const children = fs.readdirSync(toolPath);
    for (const child of children) {
      if (isExplicitVersion(child)) {
        const fullPath = path.join(toolPath, child, arch2 || "");
        if (fs.existsSync(fullPath) && fs.existsSync(`${fullPath}.complete`)) {
          versions.push(child);
        }
      }
    }
  }
  return versions;
}
function _createToolPath(tool, version, arch2) {
  return __awaiter(this, void 0, void 0, function* () {
    const folderPath = path.join(_getCacheDirectory(), tool, semver2.clean(version) || version, arch2 || "");
    debug(`destination ${folderPath}`);
    const markerPath = `${folderPath}.complete`;
    yield rmRF(folderPath);
    yield rmRF(markerPath);
    yield mkdirP(folderPath);
    return folderPath;
  });
}
function _completeToolPath(tool, version, arch2) {
  const folderPath = path.join(_getCacheDirectory(), tool, semver2.clean(version) || version, arch2 || "");
  const markerPath = `${folderPath}.complete`;
  fs.writeFileSync(markerPath, "");
  debug("finished caching tool");
}
function isExplicitVersion(versionSpec) {
  const c = semver2.clean(versionSpec) || "";
  debug(`isExplicit: ${c}`);
  const valid2 = semver2.valid(c) != null;
  debug(`explicit? ${valid2}`);
  return valid2;
}
function evaluateVersions(versions, versionSpec) {
  let version = "";
  debug(`evaluating ${versions.length} versions`);
  versions = versions.sort((a, b) => {
    if (semver2.gt(a, b)) {
      return 1;
    }
    return -1;
  });
  for (let i = versions.length - 1; i >= 0; i--) {
    const potential = versions[i];
    const satisfied = semver2.satisfies(potential, versionSpec);
    if (satisfied) {
      version = potential;
      break;
    }
  }
  if (version) {
    debug(`matched: ${version}`);
  } else {
    debug("match not found");
  }
  return version;
}
function _getCacheDirectory() {
  const cacheDirectory = process.env["RUNNER_TOOL_CACHE"] || "";
  ok(cacheDirectory, "Expected RUNNER_TOOL_CACHE to be defined");
  return cacheDirectory;
}

// src/keda/manifest.ts
async function loadManifest(options) {
  const expected = options.manifestSha256 ?? KEDA_MANIFEST_SHA256[options.version];
  if (expected === void 0) {
    throw new UserError(`input 'keda-manifest-sha256' is required for KEDA ${options.version}, which is not carried`);
  }
  const url = options.manifestUrl;
  const shown = url === void 0 ? "the embedded manifest" : shownUrl(url);
  let bytes;
  let source;
  if (url === void 0) {
    const embedded = EMBEDDED_KEDA[options.version];
    if (!embedded)
      throw new UserError(`input 'keda-manifest-url' is required for KEDA ${options.version}, which is not carried`);
    bytes = Buffer.from((await embedded.load()).default, "utf8");
    source = `the embedded KEDA ${options.version} manifest (reproduced from kedacore/keda ${embedded.tag}, sha256 ${embedded.sha256})`;
  } else if (/^https?:\/\//.test(url)) {
    ({ bytes, source } = await downloadManifest(url, expected, options));
  } else {
    bytes = readUserFile(url.replace(/^file:\/\//, ""), "input 'keda-manifest-url'");
    source = `${shown} (sha256 ${expected})`;
  }
  checkSha256(bytes, expected, shown, options);
  const objects = loadAllYaml(bytes.toString("utf8")).filter(
    (object) => typeof object === "object" && object !== null
  );
  if (!objects.some(
    (object) => object.kind === "CustomResourceDefinition" && object.metadata?.name === "scaledobjects.keda.sh"
  )) {
    throw new UserError(`input 'keda-manifest-url': ${shown} is not a KEDA install manifest (no ScaledObject CRD)`);
  }
  return { objects, source };
}
function checkSha256(bytes, expected, shown, options) {
  const actual = createHash("sha256").update(bytes).digest("hex");
  if (actual !== expected) {
    throw new UserError(
      `the KEDA manifest from ${shown} has SHA-256 ${actual}, not the expected ${expected} (${options.manifestSha256 ? "input 'keda-manifest-sha256'" : `KEDA ${options.version}'s`}): refusing to apply it`
    );
  }
}
function shownUrl(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "file:" ? parsed.pathname : `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url;
  }
}
async function downloadManifest(url, expected, options) {
  const shown = shownUrl(url);
  const tool = `aks-functions-deploy-keda-manifest-${expected}`;
  return withToolCache(async () => {
    const cached = find(tool, options.version);
    if (cached) {
      return {
        bytes: readFileSync(join2(cached, MANIFEST_FILE)),
        source: `${shown} (sha256 ${expected}, from the tool cache)`
      };
    }
    const response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) }).catch((error) => {
      const cause = error.cause?.code;
      const timedOut = error.name === "TimeoutError";
      throw new UserError(
        `input 'keda-manifest-url': cannot download the KEDA manifest from ${shown} (${timedOut ? "no answer in 60 s" : cause ?? "failed"})`
      );
    });
    if (!response.ok) throw new UserError(`input 'keda-manifest-url': ${shown} answered ${response.status}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    checkSha256(bytes, expected, shown, options);
    const scratch = mkdtempSync(join2(tmpdir(), "aks-functions-deploy-keda-"));
    try {
      writeFileSync2(join2(scratch, MANIFEST_FILE), bytes);
      await cacheFile(join2(scratch, MANIFEST_FILE), MANIFEST_FILE, tool, options.version);
      return { bytes, source: `${shown} (sha256 ${expected}, downloaded)` };
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
}
var DOWNLOAD_TIMEOUT_MS = 6e4;
var MANIFEST_FILE = "keda.yaml";
async function withToolCache(run) {
  const given = process.env.RUNNER_TOOL_CACHE;
  process.env.RUNNER_TOOL_CACHE = given || process.env.AGENT_TOOLSDIRECTORY || join2(process.env.XDG_CACHE_HOME || join2(homedir(), ".cache"), "aks-functions-deploy", "tool-cache");
  const write = process.stdout.write;
  process.stdout.write = ((chunk, ...rest) => typeof chunk === "string" && chunk.startsWith("::debug::") ? true : write.call(process.stdout, chunk, ...rest));
  try {
    return await run();
  } finally {
    process.stdout.write = write;
    if (given === void 0) delete process.env.RUNNER_TOOL_CACHE;
    else process.env.RUNNER_TOOL_CACHE = given;
  }
}

// src/keda/keda.ts
var MINIMUM_KEDA = "2.12.0";
var KEDA_CRDS = ["scaledobjects.keda.sh", "triggerauthentications.keda.sh"];
var METRICS_APISERVICE = "v1beta1.external.metrics.k8s.io";
async function findKeda(config, addonEnabled) {
  const apiextensions = config.makeApiClient(ObjectApiextensionsV1Api);
  try {
    let crd;
    try {
      crd = await withRetries(() => apiextensions.readCustomResourceDefinition({ name: KEDA_CRDS[0] }));
      if (crd.metadata?.deletionTimestamp) {
        throw kedaBeingDeleted();
      }
    } catch (error) {
      if (isNotFound(error)) return void 0;
      throw error;
    }
    const namespace = await kedaNamespace(config);
    if (namespace === void 0) return void 0;
    let operator;
    try {
      operator = await withRetries(
        () => config.makeApiClient(ObjectAppsV1Api).readNamespacedDeployment({ name: "keda-operator", namespace })
      );
    } catch (error) {
      if (isNotFound(error)) return void 0;
      throw error;
    }
    return describeKeda(operator, crd, namespace, addonEnabled);
  } catch (error) {
    if (apiStatus(error)?.code === 403) {
      throw new UserError(
        `checking for KEDA needs read access to CRDs, APIServices and KEDA's Deployments, which this identity lacks: grant it, or set keda: skip when KEDA is known to be installed`
      );
    }
    throw error;
  }
}
async function kedaNamespace(config) {
  let service;
  try {
    const registered = await withRetries(
      () => config.makeApiClient(ObjectApiregistrationV1Api).readAPIService({ name: METRICS_APISERVICE })
    );
    service = registered.spec?.service;
  } catch (error) {
    if (isNotFound(error)) return void 0;
    throw error;
  }
  if (!service?.namespace) return void 0;
  if (!service.name?.startsWith("keda-")) {
    throw otherMetricsAdapter(service);
  }
  return service.namespace;
}
function kedaBeingDeleted() {
  return new UserError(
    `KEDA is being uninstalled (its ScaledObject CRD is being deleted): wait until it is gone, then deploy again`
  );
}
function otherMetricsAdapter(service) {
  return new UserError(
    `KEDA's CRDs are installed, but the external metrics API (APIService ${METRICS_APISERVICE}) is served by ${service.namespace}/${service.name ?? ""}, not by KEDA: KEDA cannot scale anything while another metrics adapter holds that API`
  );
}
function describeKeda(operator, crd, namespace, addonEnabled) {
  const labels = operator.metadata?.labels ?? {};
  const image = operator.spec?.template.spec?.containers[0]?.image ?? "";
  const version = (labels["app.kubernetes.io/version"] ?? image.split(":").pop() ?? "").replace(/^v/, "");
  const pods = operator.spec?.template;
  return {
    version,
    namespace,
    ...kedaManager([operator.metadata ?? {}, crd.metadata ?? {}], addonEnabled),
    operator: {
      // A pod that names no service account runs as its namespace's default one (the ServiceAccount admission
      // controller); serviceAccount is serviceAccountName's deprecated spelling.
      serviceAccount: pods?.spec?.serviceAccountName || pods?.spec?.serviceAccount || "default",
      workloadIdentity: pods?.metadata?.labels?.[WORKLOAD_IDENTITY_USE_LABEL] === "true"
    }
  };
}
async function ensureKeda(config, options, log) {
  if (options.mode === "skip") return { action: "skipped" };
  const found = await findKeda(config, options.addonEnabled);
  const plan = await planKeda(found, options, log);
  if (plan.action === "addon") return useAddon(config, found, options, log);
  if (plan.action === "present") return plan;
  await applyManifest(config, plan.objects);
  await waitForKeda(config, options.timeoutSeconds);
  return { version: options.version, action: plan.action };
}
async function planKeda(found, options, log) {
  if (options.addonEnabled === true || found?.installedBy === "aks-addon") return { action: "addon" };
  if (options.mode === "addon") {
    throw new UserError(
      `input 'keda': addon, but the AKS KEDA add-on is not enabled on this cluster: enable it (az aks update --enable-keda), or use keda: auto`
    );
  }
  if (found && (options.mode === "auto" || compareVersions(found.version, options.version) >= 0)) {
    if (compareVersions(found.version, MINIMUM_KEDA) < 0) {
      throw new UserError(
        `KEDA ${found.version} in namespace ${found.namespace} is older than ${MINIMUM_KEDA}, which the generated scalers need: upgrade it (keda: install)`
      );
    }
    log.info(`KEDA ${found.version} is present in namespace ${found.namespace} (${found.evidence})`);
    return { version: found.version, action: "present" };
  }
  if (found?.installedBy === "helm") {
    throw new UserError(
      `KEDA ${found.version} in namespace ${found.namespace} was installed by Helm (${found.evidence}): upgrade it with Helm, or use keda: auto; a manifest applied over a Helm release would fight it`
    );
  }
  const manifest = await loadManifest(options);
  log.info(
    `${found ? `upgrading KEDA ${found.version} to` : "installing KEDA"} ${options.version} from ${manifest.source}`
  );
  return { action: found ? "upgraded" : "installed", objects: labelOperatorPods(manifest.objects) };
}
async function useAddon(config, found, options, log) {
  if (!found) {
    log.info("waiting for the AKS KEDA add-on to be ready");
    await waitForKeda(config, options.timeoutSeconds);
    return { version: (await findKeda(config, options.addonEnabled))?.version, action: "present" };
  }
  if (compareVersions(found.version, MINIMUM_KEDA) < 0) {
    throw new UserError(
      `the AKS KEDA add-on runs KEDA ${found.version}, older than ${MINIMUM_KEDA}, which the generated scalers need: upgrade the cluster's Kubernetes version`
    );
  }
  if (options.mode === "install" && compareVersions(found.version, options.version) < 0) {
    log.warning(
      `keda: install asks for KEDA ${options.version}, but the cluster runs the AKS add-on's KEDA ${found.version}, which only AKS upgrades (with the cluster's Kubernetes version): using it as it is`
    );
  }
  log.info(`KEDA ${found.version} is the AKS add-on (${found.evidence}): Azure manages it`);
  return { version: found.version, action: "present" };
}
async function applyManifest(config, objects) {
  const client = KubernetesObjectApi.makeApiClient(config);
  const rank = (object) => object.kind === "CustomResourceDefinition" ? 0 : object.kind === "Namespace" ? 1 : 2;
  for (const object of [...objects].sort((a, b) => rank(a) - rank(b))) {
    await withRetries(
      () => client.patch(object, void 0, void 0, FIELD_MANAGER, true, PatchStrategy.ServerSideApply)
    );
  }
}
async function waitForKeda(config, timeoutSeconds) {
  const apiextensions = config.makeApiClient(ObjectApiextensionsV1Api);
  const apiregistration = config.makeApiClient(ObjectApiregistrationV1Api);
  const apps = config.makeApiClient(ObjectAppsV1Api);
  const crds = makeInformer(
    config,
    "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
    () => apiextensions.listCustomResourceDefinition()
  );
  const apiServices = makeInformer(
    config,
    "/apis/apiregistration.k8s.io/v1/apiservices",
    () => apiregistration.listAPIService()
  );
  const operators = makeInformer(
    config,
    "/apis/apps/v1/deployments",
    () => apps.listDeploymentForAllNamespaces()
  );
  const ready = () => {
    const established = KEDA_CRDS.every(
      (name) => crds.get(name)?.status?.conditions?.some((c) => c.type === "Established" && c.status === "True")
    );
    const namespace = apiServices.get(METRICS_APISERVICE)?.spec?.service?.namespace;
    const operator = namespace === void 0 ? void 0 : operators.get("keda-operator", namespace);
    return established === true && operator !== void 0 && isRolledOut(operator);
  };
  await untilInformed(
    [crds, apiServices, operators],
    ready,
    timeoutSeconds,
    () => new UserError(`KEDA did not become ready within ${timeoutSeconds}s`)
  );
}
function isRolledOut(deployment) {
  const status = deployment.status ?? {};
  const desired = deployment.spec?.replicas ?? 1;
  return (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0) && (status.updatedReplicas ?? 0) === desired && (status.availableReplicas ?? 0) === desired && (status.replicas ?? 0) === desired;
}
function compareVersions(a, b) {
  const parts = (version) => version.replace(/^v/, "").split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  const [left, right] = [parts(a), parts(b)];
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

export {
  runInformers,
  untilInformed,
  kedaManager,
  loadManifest,
  OPERATOR,
  kedaOperatorWarning,
  KEDA_CRDS,
  METRICS_APISERVICE,
  findKeda,
  kedaBeingDeleted,
  otherMetricsAdapter,
  describeKeda,
  ensureKeda,
  planKeda
};
