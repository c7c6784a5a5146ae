import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  applyObjects,
  rolloutTargets,
  watchRollout
} from "./chunk-EZVEJZ22.js";
import {
  federationNeeds
} from "./chunk-JK6NVZRX.js";
import {
  requireLeasePermission,
  takeAppLease
} from "./chunk-FYFW34D6.js";
import "./chunk-MSE3FXV5.js";
import {
  OPERATOR,
  ensureKeda,
  findKeda,
  kedaOperatorWarning
} from "./chunk-4LNII7FL.js";
import {
  connectCluster,
  connectDirectly
} from "./chunk-EAY7ROMA.js";
import {
  AppObjectsApi
} from "./chunk-JF7WQEYM.js";
import "./chunk-F56KB3A3.js";
import "./chunk-KFKGVJW5.js";
import {
  ObjectCoreV1Api
} from "./chunk-UOWXIDHC.js";
import {
  stage,
  timed
} from "./chunk-LOFZNQUG.js";
import {
  isSettingsHashKey,
  newSettingsHashKey
} from "./chunk-FRU7Y7RN.js";
import "./chunk-7FBAEKCG.js";
import {
  mask
} from "./chunk-TEGGAPAS.js";
import "./chunk-L75XPDAN.js";
import "./chunk-O5VYS5TV.js";
import "./chunk-CHEWDH2Y.js";
import {
  stringProperty
} from "./chunk-PEBGFQGG.js";
import "./chunk-EX3WWKRI.js";
import {
  SETTINGS_HASH_KEY_ANNOTATION,
  appLabels,
  deployRecordAnnotations,
  keysSecretName
} from "./chunk-RX4NZAIJ.js";
import "./chunk-LXA5KJQK.js";
import "./chunk-GVZNERBE.js";
import "./chunk-7NIGNZU7.js";
import {
  UserError,
  apiStatus,
  describeFailure,
  isNotFound,
  withRetries
} from "./chunk-TE2V2DN4.js";
import "./chunk-J2GP2G6B.js";

// src/report/function-urls.ts
import { isIPv6 } from "node:net";
var MASTER_KEY = "host.master";
var HOST_FUNCTION_KEY = "host.function.default";
var functionKey = (name) => `functions.${name.toLowerCase()}.default`;
function httpRoutes(app) {
  const prefix = trimSlashes(app.host.routePrefix.trim());
  return app.functions.filter((fn) => fn.trigger.type.toLowerCase() === "httptrigger").map((fn) => {
    const given = stringProperty(fn.trigger, "route");
    const route = given === "" ? fn.name : trimSlashes(given);
    return {
      function: fn.name,
      route: [prefix, route].filter((part) => part !== "").join("/"),
      authLevel: authLevel(stringProperty(fn.trigger, "authLevel"))
    };
  });
}
function functionUrls(routes, address, keysSecretData, includeKeys) {
  const keys = decodeKeys(keysSecretData);
  const origin = `http://${isIPv6(address) ? `[${address}]` : address}`;
  const urls = [];
  const keysUsed = /* @__PURE__ */ new Set();
  const missingKeys = [];
  for (const { function: name, route, authLevel: authLevel2 } of routes) {
    let url = `${origin}/${route}`;
    if (authLevel2 !== "anonymous") {
      const key = authLevel2 === "admin" ? keys.get(MASTER_KEY) : keys.get(functionKey(name)) ?? keys.get(HOST_FUNCTION_KEY);
      if (key === void 0) {
        missingKeys.push(name);
      } else if (includeKeys) {
        url += `?code=${encodeURIComponent(key)}`;
        keysUsed.add(key);
      }
    }
    urls.push([name, url]);
  }
  return { urls: Object.fromEntries(urls), keysUsed: [...keysUsed], missingKeys };
}
function authLevel(given) {
  switch (given.toLowerCase()) {
    case "anonymous":
      return "anonymous";
    case "admin":
    case "system":
      return "admin";
    default:
      return "function";
  }
}
function trimSlashes(value) {
  return value.replace(/^\/+|\/+$/g, "");
}
function decodeKeys(data) {
  const keys = /* @__PURE__ */ new Map();
  for (const [name, encoded] of Object.entries(data ?? {})) {
    const value = Buffer.from(encoded, "base64").toString("utf8").trim();
    const key = name.toLowerCase();
    if (value !== "" && (key === name || !keys.has(key))) keys.set(key, value);
  }
  return keys;
}

// src/report/endpoints.ts
async function readEndpoints(core, query) {
  const service = await withRetries(
    () => core.readNamespacedService({ name: query.service, namespace: query.namespace })
  );
  const address = query.loadBalancerAddress ?? `${query.service}.${query.namespace}.svc.cluster.local`;
  let keys;
  let keysUnreadable;
  if (query.includeKeys) {
    try {
      keys = (await withRetries(() => core.readNamespacedSecret({ name: query.keysSecret, namespace: query.namespace }))).data;
    } catch (error) {
      if (apiStatus(error)?.code === 403)
        keysUnreadable = `this identity may not read Secret ${query.namespace}/${query.keysSecret}`;
      else if (!isNotFound(error)) throw error;
    }
  }
  const clusterIp = service.spec?.clusterIP;
  return {
    serviceIp: query.loadBalancerAddress ?? (clusterIp && clusterIp !== "None" ? clusterIp : void 0),
    functionUrls: functionUrls(httpRoutes(query.app), address, keys, query.includeKeys),
    keysUnreadable
  };
}

// src/commands/deploy-cluster.ts
async function prepareCluster(cluster, azure, options, needs, platform) {
  const access = "config" in cluster ? cluster : await connectCluster(cluster, azure, platform);
  if ("runCommand" in access)
    return (await import("./deploy-private-ZVCXXW3Z.js")).preparePrivateCluster(access, options, needs, platform);
  const { name, namespace } = options.render;
  const federation = needs.identity ? await planAppFederation(access, options, needs.identity, platform) : void 0;
  if (federation?.missing && options.dryRun && options.federation.mode === "ensure")
    platform.info(`dry run: ${federation.missing} federated credentials would be created`);
  const [key, keda] = await Promise.allSettled([
    needs.settingsHashKey ? clusterSettingsHashKey(access.config.makeApiClient(ObjectCoreV1Api), name, namespace) : Promise.resolve(void 0),
    ensureKedaFor(access, options, needs.keda, platform)
  ]);
  if (key.status === "rejected") throw key.reason;
  if (keda.status === "rejected") throw keda.reason;
  if (key.value !== void 0) mask(platform, key.value);
  if (needs.identity && needs.keda && options.keda.mode !== "skip") {
    const warning = kedaOperatorWarning(await findKeda(access.config, access.kedaAddon), needs.identity.objects);
    if (warning) platform.warning(warning);
  }
  return { config: access.config, kedaVersion: keda.value, settingsHashKey: key.value, federation };
}
async function planAppFederation(access, options, identity, platform) {
  if (!access.planFederation) {
    platform.warning(
      `the cluster is given by kubeconfig, so the federated credentials of managed identity ${identity.clientIds.join(", ")} are not checked: each needs one for the app's service accounts on the cluster's OIDC issuer (and KEDA's operator for its scalers)`
    );
    return void 0;
  }
  const found = await findKeda(access.config, access.kedaAddon);
  const kedaOperator = found ? { namespace: found.namespace, serviceAccount: found.operator.serviceAccount } : {
    namespace: access.kedaAddon || options.keda.mode === "addon" ? "kube-system" : "keda",
    serviceAccount: OPERATOR
  };
  const needs = federationNeeds(identity.objects, identity.clientIds, kedaOperator);
  return access.planFederation(needs, options.federation, platform);
}
async function ensureKedaFor(access, options, needsKeda, platform) {
  let addonEnabled = access.kedaAddon;
  if (options.keda.mode === "addon" && !addonEnabled && !options.dryRun && access.enableKedaAddon) {
    platform.info("AKS: enabling the KEDA add-on");
    await access.enableKedaAddon();
    addonEnabled = true;
  }
  if (!needsKeda || options.dryRun) return void 0;
  const kedaOptions = { ...options.keda, timeoutSeconds: options.rollout.timeoutSeconds, addonEnabled };
  return (await ensureKeda(access.config, kedaOptions, platform)).version;
}
async function clusterSettingsHashKey(core, app, namespace) {
  let secret;
  try {
    secret = await withRetries(() => core.readNamespacedSecret({ name: app, namespace }));
  } catch (error) {
    if (apiStatus(error)?.code === 403)
      throw new UserError(
        `reading Secret/${app} in namespace ${namespace} (its settings-hash key) is forbidden: grant this identity get on secrets there`
      );
    if (!isNotFound(error)) throw error;
  }
  const labels = secret?.metadata?.labels ?? {};
  const owned = Object.entries(appLabels(app)).every(([label, value]) => labels[label] === value);
  const key = secret?.metadata?.annotations?.[SETTINGS_HASH_KEY_ANNOTATION];
  return owned && isSettingsHashKey(key) ? key : newSettingsHashKey();
}
async function applyAndWait(prepared, app, objects, options, platform, record) {
  if ("access" in prepared)
    return (await import("./deploy-private-ZVCXXW3Z.js")).applyAndWaitPrivate(prepared, objects, options, platform, record);
  const { config, federation } = prepared;
  const { name, namespace } = options.render;
  let lease;
  const takeLease = async () => {
    if (options.dryRun) return;
    const deadline = Date.now() + options.rollout.timeoutSeconds * 1e3;
    lease = await takeAppLease(config, namespace, name, options.apply.lease, deadline, platform.run, platform);
    record.leaseHeld = lease !== void 0;
  };
  try {
    const applied = await stage(record, platform, "Apply", async () => {
      if (options.apply.lease === "required" && !options.dryRun) await requireLeasePermission(config, namespace);
      const beforeChanges = options.dryRun ? void 0 : federation?.create;
      return timed(
        record,
        "apply",
        () => applyStage(config, objects, options, { takeLease, beforeChanges }, platform, record)
      );
    });
    record.deployments = objects.filter((object) => object.kind === "Deployment").map((object) => object.metadata.name);
    const image = record.image;
    const result = { objects, manifests: record.manifests, image, applied, kedaVersion: record.kedaVersion };
    if (options.dryRun || !options.rollout.wait) return result;
    return await stage(record, platform, "Wait for the rollout", async () => {
      const targets = rolloutTargets(name, namespace, objects, image);
      const rollout = await timed(record, "rollout", () => watchRollout(config, objects, targets, options.rollout));
      for (const warning of rollout.warnings) platform.warning(warning);
      for (const proof of rollout.proofs) {
        if (proof.how === "verification pod ready" && proof.why !== void 0)
          platform.warning(`Deployment/${proof.deployment}: its new version is proven, but its ${proof.why}`);
        else if (proof.how === "verification pod ready")
          platform.info(
            `Deployment/${proof.deployment}: its new version, which KEDA keeps at zero replicas, became ready in a verification pod that took no event (${proof.seconds?.toFixed(1)}s); the pod is removed`
          );
        if (proof.how === "not proven")
          platform.warning(
            `Deployment/${proof.deployment}: its new version, which KEDA keeps at zero replicas, is not proven to start (it will first run on the first event): ${proof.why}`
          );
      }
      platform.info(`rollout healthy in ${rollout.seconds.toFixed(1)}s`);
      record.rollout = rollout;
      await reportEndpoints(config, app, objects, options, rollout, platform, record);
      return { ...result, rollout, serviceIp: record.serviceIp, functionUrls: record.functionUrls };
    });
  } finally {
    await lease?.release();
  }
}
async function applyStage(config, objects, options, hooks, platform, record) {
  const clients = { objects: AppObjectsApi.forConfig(config), core: config.makeApiClient(ObjectCoreV1Api) };
  const applied = await applyObjects(clients, objects, {
    ...options.apply,
    app: options.render.name,
    namespace: options.render.namespace,
    dryRun: options.dryRun,
    annotations: deployRecordAnnotations(record.image, platform.run),
    ...hooks,
    onApplied: (object) => {
      record.applied.push(object);
      platform.info(`${object.action.padEnd(10)} ${object.kind}/${object.name}`);
    }
  });
  if (applied.every((object) => object.action === "unchanged"))
    platform.info("nothing changed: the cluster already runs this version");
  return applied;
}
async function reportEndpoints(config, app, objects, options, rollout, platform, record) {
  const service = objects.find((object) => object.kind === "Service")?.metadata.name;
  if (service === void 0) return;
  const { name, namespace } = options.render;
  try {
    const endpoints = await readEndpoints(config.makeApiClient(ObjectCoreV1Api), {
      app,
      namespace,
      service,
      loadBalancerAddress: rollout.addresses[service],
      keysSecret: keysSecretName(name),
      includeKeys: options.showSecrets
    });
    const { urls, keysUsed, missingKeys } = endpoints.functionUrls;
    for (const key of keysUsed) [key, encodeURIComponent(key)].forEach((form) => mask(platform, form));
    Object.assign(record, {
      serviceIp: endpoints.serviceIp,
      functionUrls: urls,
      functionUrlsHaveKeys: keysUsed.length > 0
    });
    if (missingKeys.length > 0 && options.showSecrets) {
      const why = endpoints.keysUnreadable ?? `the Functions host has not written its keys to Secret ${keysSecretName(name)} yet (it does on first start)`;
      platform.info(`no key in the URLs of ${missingKeys.join(", ")}: ${why}`);
    }
  } catch (error) {
    platform.warning(
      `deployed, but the service address and function URLs could not be read: ${describeFailure(error).message}`
    );
  }
}
export {
  applyAndWait,
  clusterSettingsHashKey,
  connectDirectly,
  prepareCluster
};
