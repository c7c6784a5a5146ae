import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  foreignObjects,
  isAllowed,
  listManaged,
  ownedBy,
  removeObjects
} from "./chunk-MSE3FXV5.js";
import {
  runInformers
} from "./chunk-4LNII7FL.js";
import {
  AppObjectsApi
} from "./chunk-JF7WQEYM.js";
import {
  ObjectAppsV1Api,
  ObjectBatchV1Api,
  ObjectCoreV1Api,
  ObjectCustomObjectsApi,
  PatchStrategy,
  makeInformer
} from "./chunk-UOWXIDHC.js";
import {
  looksSecret
} from "./chunk-EX3WWKRI.js";
import {
  DEPLOYED_IMAGE_ANNOTATION,
  FIELD_MANAGER,
  REVISION_ANNOTATION,
  VERIFIED_TEMPLATE_ANNOTATION,
  WORKLOAD_IDENTITY_USE_LABEL,
  appLabels,
  instanceSelector,
  objectKey
} from "./chunk-RX4NZAIJ.js";
import {
  UserError,
  apiStatus,
  describeFailure,
  isNamespaceTerminating,
  isNotFound,
  oneLine,
  withRetries
} from "./chunk-TE2V2DN4.js";

// src/apply/replicas-handover.ts
var HANDOVER_FIELD_MANAGER = "aks-functions-deploy-handover";
async function handOverReplicas(objects, deployments) {
  const released = deployments.filter(
    (object) => object.kind === "Deployment" && object.spec?.replicas === void 0
  );
  await Promise.all(
    released.map(async (object) => {
      const { name, namespace } = object.metadata;
      const live = await withRetries(
        () => objects.read({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace } })
      ).catch((error) => {
        if (isNotFound(error)) return void 0;
        throw error;
      });
      const replicas = live?.spec?.replicas;
      if (replicas === void 0 || !appliesReplicas(live)) return;
      const count = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace }, spec: { replicas } };
      await withRetries(
        () => objects.patch(count, void 0, void 0, HANDOVER_FIELD_MANAGER, true, PatchStrategy.ServerSideApply)
      );
    })
  );
}
function appliesReplicas(deployment) {
  return (deployment.metadata?.managedFields ?? []).some((entry) => {
    const fields = entry.fieldsV1;
    return entry.manager === FIELD_MANAGER && entry.operation === "Apply" && fields?.["f:spec"]?.["f:replicas"] !== void 0;
  });
}

// src/apply/apply.ts
var WORKLOADS = /* @__PURE__ */ new Set(["Deployment", "ScaledObject"]);
async function applyObjects(clients, objects, options) {
  const results = [];
  const record = (result) => {
    results.push(result);
    options.onApplied?.(result);
  };
  const state = await namespaceState(clients.core, options.namespace);
  const exists = state !== "absent";
  const takeLease = async () => {
    try {
      await options.takeLease?.();
    } catch (error) {
      if (isNamespaceTerminating(error)) throw terminating(options.namespace);
      if (state === "unknown" && isNotFound(error))
        throw new UserError(
          `namespace ${options.namespace} does not exist, and this identity may not read namespaces (so it cannot create one either): create it, or grant get on namespaces`
        );
      throw error;
    }
  };
  if (exists) await takeLease();
  const managed = await listManaged(clients.objects, options.namespace);
  const applicable = objects.filter((candidate) => candidate.kind !== "Namespace");
  if (!options.dryRun) refuseUnservedKinds(applicable, managed.unserved);
  refuseOtherAppsObjects(objects, managed.objects, options);
  await refuseForeignObjects(clients.objects, applicable, managed.objects, options);
  if (exists && !options.dryRun) await rehearse(clients, checkable(applicable, managed.objects), options);
  await options.beforeChanges?.();
  const namespace = objects.find((object) => object.kind === "Namespace");
  if (namespace) {
    record(
      exists ? { kind: "Namespace", name: namespace.metadata.name, action: "unchanged" } : await createNamespace(clients.core, namespace, options.dryRun)
    );
  }
  if (!exists) await takeLease();
  const existing = ownedBy(managed.objects, options.app);
  if (!options.dryRun) await handOverReplicas(clients.objects, applicable);
  const wave = (object) => WORKLOADS.has(object.kind) ? 2 : bindsRoleToBeCreated(object, applicable, managed.objects) ? 1 : 0;
  for (const objectsOfWave of [0, 1, 2].map((index) => applicable.filter((object) => wave(object) === index))) {
    const settled = await Promise.allSettled(
      objectsOfWave.map((object) => applyOne(clients, object, existing, options))
    );
    const failed = settled.find((outcome) => outcome.status === "rejected");
    for (const outcome of settled) if (outcome.status === "fulfilled") record(outcome.value);
    if (failed) throw failed.reason;
  }
  if (options.prune) {
    const rendered = new Set(objects.map(objectKey));
    const gone = [...existing.keys()].filter((key) => !rendered.has(key));
    await removeObjects(
      clients.objects,
      options.namespace,
      gone,
      options.dryRun,
      (kind, name) => record({ kind, name, action: "pruned" })
    );
  }
  return results;
}
function terminating(namespace) {
  return new UserError(`namespace ${namespace} is being deleted: wait until it is gone, then deploy again`);
}
async function namespaceState(core, name) {
  try {
    const found = await withRetries(() => core.readNamespace({ name }));
    if (found.metadata?.deletionTimestamp || found.status?.phase === "Terminating") throw terminating(name);
    return "exists";
  } catch (error) {
    if (isNotFound(error)) return "absent";
    if (apiStatus(error)?.code === 403) return "unknown";
    throw error;
  }
}
function refuseUnservedKinds(objects, unserved) {
  const missing = [...new Set(objects.map((object) => `${object.apiVersion}/${object.kind}`))].filter(
    (kind) => unserved.has(kind)
  );
  if (missing.length === 0) return;
  const keda = missing.some((kind) => kind.startsWith("keda.sh/"));
  throw new UserError(
    `the cluster does not serve ${missing.join(", ")}` + (keda ? ": KEDA is not installed there; install it, or let the step install it (keda: auto)" : "") + "; nothing was changed"
  );
}
function checkable(objects, managed) {
  return objects.filter((object) => !bindsRoleToBeCreated(object, objects, managed));
}
function bindsRoleToBeCreated(object, objects, managed) {
  const role = object.roleRef;
  if (object.kind !== "RoleBinding" || role?.kind !== "Role") return false;
  const key = `Role/${role.name}`;
  return !managed.has(key) && objects.some((candidate) => objectKey(candidate) === key);
}
async function rehearse(clients, objects, options) {
  const settled = await Promise.allSettled(objects.map((object) => serverSideApply(clients, object, options, true)));
  const index = settled.findIndex((outcome) => outcome.status === "rejected");
  if (index < 0) return;
  const reason = settled[index].reason;
  const error = applyError(objects[index], reason);
  if (!(error instanceof UserError)) throw error;
  throw new UserError(`${error.message} (in a server-side dry run of the whole app: nothing was changed)`);
}
function refuseOtherAppsObjects(objects, managed, options) {
  for (const object of objects) {
    const owner = managed.get(objectKey(object))?.instance;
    if (owner !== void 0 && owner !== options.app) {
      throw new UserError(
        `${objectKey(object)} in namespace ${options.namespace} belongs to app '${owner}': choose another name for this app`
      );
    }
  }
}
async function refuseForeignObjects(client, objects, managed, options) {
  const unlisted = objects.filter((object) => !managed.has(objectKey(object)));
  const [first, ...more] = await foreignObjects(client, options.namespace, unlisted, options.app);
  if (first === void 0) return;
  throw new UserError(
    `${first.key} in namespace ${options.namespace} ${first.why}${more.length > 0 ? ` (and ${more.length} more of the app's objects)` : ""}: an app takes over nothing it did not create; remove it or choose another name for this app`
  );
}
async function applyOne(clients, object, existing, options) {
  const before = existing.get(objectKey(object));
  try {
    const after = await serverSideApply(clients, object, options, options.dryRun);
    return { kind: object.kind, name: object.metadata.name, action: changeOf(before, after) };
  } catch (error) {
    if (options.dryRun && isNotFound(error))
      return { kind: object.kind, name: object.metadata.name, action: "skipped" };
    throw applyError(object, error);
  }
}
function serverSideApply(clients, object, options, dryRun) {
  const body = withDeployRecord(object, options.annotations);
  return withRetries(
    () => clients.objects.patch(
      body,
      void 0,
      dryRun ? "All" : void 0,
      FIELD_MANAGER,
      options.forceConflicts,
      PatchStrategy.ServerSideApply
    )
  );
}
function withDeployRecord(object, annotations) {
  const record = WORKLOADS.has(object.kind) ? annotations : {};
  return { ...object, metadata: { ...object.metadata, annotations: { ...object.metadata.annotations, ...record } } };
}
async function createNamespace(core, namespace, dryRun) {
  const name = namespace.metadata.name;
  try {
    await withRetries(() => core.createNamespace({ body: namespace, dryRun: dryRun ? "All" : void 0 }));
  } catch (error) {
    if (apiStatus(error)?.code === 409) return { kind: "Namespace", name, action: "unchanged" };
    throw applyError(namespace, error);
  }
  return { kind: "Namespace", name, action: "created" };
}
function changeOf(before, after) {
  if (before === void 0) return "created";
  const same = before.generation !== void 0 ? before.generation === after.metadata?.generation : before.resourceVersion === after.metadata?.resourceVersion;
  return same ? "unchanged" : "configured";
}
function applyError(object, error) {
  const status = apiStatus(error);
  if (!status) return error;
  const where = `${object.kind}/${object.metadata.name}`;
  if (status.code === 409) {
    const fields = (status.details?.causes ?? []).map((cause) => `${cause.field} (${cause.message})`).join(", ");
    return new UserError(
      `${where}: fields owned by another field manager: ${fields || status.message}; set force-conflicts: true to take them over`
    );
  }
  if (isNamespaceTerminating(error)) return terminating(object.metadata.namespace ?? object.metadata.name);
  if (status.code === 403) return new UserError(`${where}: forbidden: ${status.message}`);
  if (status.code === 422 || status.code === 400)
    return new UserError(`${where}: rejected by the cluster: ${status.message}`);
  return new UserError(`${where}: apply failed (${status.code}): ${status.message}`);
}

// src/wait/rollback.ts
async function rollBack(config, namespace, rendered) {
  const apps = config.makeApiClient(ObjectAppsV1Api);
  const objects = AppObjectsApi.forConfig(config);
  const done = [];
  for (const object of rendered.filter((candidate) => candidate.kind === "Deployment")) {
    const name = object.metadata.name;
    const deployment = await apps.readNamespacedDeployment({ name, namespace });
    const current = Number(deployment.metadata?.annotations?.[REVISION_ANNOTATION] ?? 0);
    const labelSelector = Object.entries(deployment.spec?.selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`).join(",");
    const sets = await apps.listNamespacedReplicaSet({ namespace, labelSelector });
    const previous = sets.items.filter((set2) => set2.metadata?.ownerReferences?.some((owner) => owner.uid === deployment.metadata?.uid)).map((set2) => [Number(set2.metadata?.annotations?.[REVISION_ANNOTATION] ?? 0), set2]).filter(([revision2]) => revision2 < current).sort(([a], [b]) => b - a)[0];
    if (!previous) {
      done.push(`Deployment/${name}: no earlier revision to go back to`);
      continue;
    }
    const [revision, set] = previous;
    const template = structuredClone(set.spec?.template);
    delete template?.metadata?.labels?.["pod-template-hash"];
    const { spec } = object;
    const body = { ...object, spec: { ...spec, template } };
    await withRetries(
      () => objects.patch(body, void 0, void 0, FIELD_MANAGER, true, PatchStrategy.ServerSideApply)
    );
    done.push(
      `Deployment/${name}: rolled back to revision ${revision} (${set.spec?.template?.spec?.containers[0]?.image})`
    );
  }
  return done;
}

// src/wait/verdicts.ts
var FAILING_REASONS = /* @__PURE__ */ new Set([
  "ErrImagePull",
  "ImagePullBackOff",
  "InvalidImageName",
  "CrashLoopBackOff",
  "CreateContainerConfigError",
  "CreateContainerError",
  "RunContainerError"
]);
var PROVIDER_FAILED = "ProviderFailed";
var NOT_READY_GRACE_MS = 1e4;
var DEFAULT_POLLING_SECONDS = 30;
var CHECK_MARGIN_MS = 5e3;
var SCALER_ERROR_REASON = "TriggerError";
var TEMPLATE_HASH_LABEL = "pod-template-hash";
function currentSet(deployment, sets) {
  const revision = deployment.metadata?.annotations?.[REVISION_ANNOTATION];
  return sets.find(
    (set) => set.metadata?.ownerReferences?.some((owner) => owner.uid === deployment.metadata?.uid) && set.metadata?.annotations?.[REVISION_ANNOTATION] === revision
  );
}
function newPods(deployment, sets, pods) {
  const hash = deployment && currentSet(deployment, sets)?.metadata?.labels?.[TEMPLATE_HASH_LABEL];
  return hash === void 0 ? [] : pods.filter((pod) => pod.metadata?.labels?.[TEMPLATE_HASH_LABEL] === hash);
}
function deploymentVerdict(deployment, newPods2, image) {
  if (!deployment) return { state: "pending", why: "not seen yet" };
  const recorded = deployment.metadata?.annotations?.[DEPLOYED_IMAGE_ANNOTATION];
  if (image !== void 0 && recorded !== void 0 && recorded !== image) {
    return {
      state: "failed",
      why: `replaced by another deploy of this app while this one waited: it now runs ${recorded}`,
      superseded: true
    };
  }
  const status = deployment.status ?? {};
  if ((status.observedGeneration ?? 0) < (deployment.metadata?.generation ?? 0))
    return { state: "pending", why: "the controller has not seen the new version yet" };
  for (const pod of newPods2) {
    const failure = podFailure(pod);
    if (failure) return failure;
  }
  const progressing = status.conditions?.find((condition) => condition.type === "Progressing");
  if (progressing?.status === "False" && progressing.reason === "ProgressDeadlineExceeded") {
    return { state: "failed", why: `progress deadline exceeded: ${progressing.message ?? ""}` };
  }
  const desired = deployment.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const total = status.replicas ?? 0;
  if (updated >= desired && available >= desired && total === desired) return { state: "ok" };
  return {
    state: "pending",
    why: `${updated} of ${desired} replicas updated, ${available} available, ${total - updated} old`
  };
}
function podFailure(pod) {
  const name = pod.metadata?.name ?? "";
  for (const status of pod.status?.containerStatuses ?? []) {
    const waiting = status.state?.waiting;
    if (waiting?.reason && FAILING_REASONS.has(waiting.reason)) {
      const restarts = status.restartCount > 0 ? `, ${status.restartCount} restarts` : "";
      return {
        state: "failed",
        events: { kind: "Pod", name },
        why: `pod ${name}, container ${status.name}: ${waiting.reason}${restarts}${waiting.message ? ` (${waiting.message})` : ""}`
      };
    }
  }
  if (pod.status?.reason === PROVIDER_FAILED) {
    return {
      state: "failed",
      events: { kind: "Pod", name },
      why: `pod ${name} refused by its virtual node (${PROVIDER_FAILED}): ${pod.status.message ?? ""}`.trim()
    };
  }
  const scheduled = pod.status?.conditions?.find((condition) => condition.type === "PodScheduled");
  if (scheduled?.status === "False" && scheduled.reason === "Unschedulable") {
    return {
      state: "failed",
      events: { kind: "Pod", name },
      why: `pod ${name} cannot be scheduled: ${scheduled.message ?? ""}`
    };
  }
  return void 0;
}
function isPodReady(pod) {
  return pod.status?.conditions?.some((condition) => condition.type === "Ready" && condition.status === "True") ?? false;
}
function scaledObjectVerdict(scaled, types, notReady, name, allowScalerErrors) {
  if (!scaled) return { state: "pending", why: "not seen yet" };
  const ready = scaled.status?.conditions?.find((condition) => condition.type === "Ready");
  const reported = (scaled.status?.triggersTypes ?? "").split(",").filter(Boolean).sort().join(",");
  const reconciled = reported === [...new Set(types)].sort().join(",");
  const active = scaled.status?.conditions?.find((condition) => condition.type === "Active");
  const checked = active?.status === "True" || active?.status === "False";
  const now = Date.now();
  const seen = notReady.get(name);
  if (ready?.status === "True" && reconciled && checked) {
    const checkMs = (scaled.spec?.pollingInterval ?? DEFAULT_POLLING_SECONDS) * 1e3 + CHECK_MARGIN_MS;
    if (seen !== void 0 && now - seen.last < checkMs)
      return { state: "pending", why: "Ready again, but its scalers failed KEDA's last check" };
    notReady.delete(name);
    return { state: "ok" };
  }
  if (ready?.status === "True" && reconciled) return { state: "pending", why: "KEDA has not checked its scalers yet" };
  if (ready?.status === "False") {
    const since = seen?.since ?? now;
    notReady.set(name, { since, last: now });
    const why = `${`not Ready: ${ready.reason ?? ""} ${ready.message ?? ""}`.trim()}; trigger ${[...new Set(types)].join(", ")}`;
    if (now - since < NOT_READY_GRACE_MS) return { state: "pending", why };
    if (allowScalerErrors && ready.reason === SCALER_ERROR_REASON) return { state: "ok", scalerError: why };
    return { state: "failed", why, events: { kind: "ScaledObject", name } };
  }
  return { state: "pending", why: "KEDA has not reconciled it yet" };
}
function recentWarnings(events, limit = 3) {
  const time = (event) => new Date(event.lastTimestamp ?? event.eventTime ?? event.metadata.creationTimestamp ?? 0).getTime();
  const lines = events.filter((event) => event.type === "Warning").sort((a, b) => time(b) - time(a)).map((event) => {
    const message = looksSecret(event.message ?? "") ? "(message withheld: it may hold a credential)" : event.message;
    return oneLine(`${event.reason ?? ""}: ${summary(message ?? "")}`);
  });
  return [...new Set(lines)].slice(0, limit).join(" | ");
}
function summary(message) {
  const lines = message.split(/\r?\n/).map((line) => line.trim());
  const body = lines.findIndex((line) => line.startsWith("<"));
  return (body < 0 ? lines : lines.slice(0, body)).filter((line) => line && !/^-+$/.test(line)).join(" ");
}
function loadBalancerVerdict(service) {
  const ingress = service?.status?.loadBalancer?.ingress?.[0];
  const address = ingress?.ip ?? ingress?.hostname;
  return address ? { state: "ok", address } : { state: "pending", why: "no load balancer address yet" };
}

// src/wait/rollout.ts
var RolloutFailure = class extends UserError {
};
var RolloutSuperseded = class extends RolloutFailure {
};
async function waitForRollout(config, targets, timeoutSeconds, allowScalerErrors) {
  const started = Date.now();
  const watch = watchApp(config, targets);
  const notReady = /* @__PURE__ */ new Map();
  const readySeen = /* @__PURE__ */ new Set();
  const verdicts = () => currentVerdicts(watch, targets, notReady, readySeen, allowScalerErrors);
  const core = config.makeApiClient(ObjectCoreV1Api);
  const outcome = await settle(Object.values(watch), verdicts, notReady, timeoutSeconds).catch(
    async (reason) => {
      if (!Array.isArray(reason)) throw reason;
      const [id, verdict] = reason;
      if (verdict.superseded) throw new RolloutSuperseded(`${id}: ${verdict.why}`);
      const events = verdict.events ? await warningEvents(core, targets.namespace, verdict.events) : "";
      throw new RolloutFailure(`${id}: ${verdict.why}${events}`);
    }
  );
  const warnings = [];
  for (const [id, verdict] of outcome) {
    if (verdict.state !== "ok" || !verdict.scalerError) continue;
    const name = id.slice("ScaledObject/".length);
    const events = await warningEvents(core, targets.namespace, { kind: "ScaledObject", name });
    warnings.push(
      oneLine(
        `${id}: accepted by allow-scaler-errors, its scaler cannot read its source: ${verdict.scalerError}${events}`
      )
    );
  }
  const addresses = Object.fromEntries(
    outcome.flatMap(
      ([id, verdict]) => verdict.state === "ok" && verdict.address ? [[id.slice("Service/".length), verdict.address]] : []
    )
  );
  return {
    seconds: (Date.now() - started) / 1e3,
    addresses,
    warnings,
    scaledVersions: scaledVersions(watch, targets, readySeen)
  };
}
var versionKey = (deployment, templateHash) => `${deployment}@${templateHash}`;
function scaledVersions(watch, targets, readySeen) {
  const { namespace } = targets;
  return targets.scaledDeployments.flatMap((name) => {
    const deployment = watch.deployments.get(name, namespace);
    const templateHash = deployment && currentSet(deployment, watch.replicaSets.list(namespace))?.metadata?.labels?.[TEMPLATE_HASH_LABEL];
    return deployment && templateHash ? [{ deployment, templateHash, readySeen: readySeen.has(versionKey(name, templateHash)) }] : [];
  });
}
function watchApp(config, targets) {
  const { namespace } = targets;
  const apps = config.makeApiClient(ObjectAppsV1Api);
  const core = config.makeApiClient(ObjectCoreV1Api);
  const selector = instanceSelector(targets.app);
  const informer = (path, list) => makeInformer(config, path, list, selector);
  const custom = config.makeApiClient(ObjectCustomObjectsApi);
  const listScaledObjects = async () => await custom.listNamespacedCustomObject({
    group: "keda.sh",
    version: "v1alpha1",
    namespace,
    plural: "scaledobjects",
    labelSelector: selector
  });
  return {
    deployments: informer(
      `/apis/apps/v1/namespaces/${namespace}/deployments`,
      () => apps.listNamespacedDeployment({ namespace, labelSelector: selector })
    ),
    pods: informer(
      `/api/v1/namespaces/${namespace}/pods`,
      () => core.listNamespacedPod({ namespace, labelSelector: selector })
    ),
    services: informer(
      `/api/v1/namespaces/${namespace}/services`,
      () => core.listNamespacedService({ namespace, labelSelector: selector })
    ),
    replicaSets: informer(
      `/apis/apps/v1/namespaces/${namespace}/replicasets`,
      () => apps.listNamespacedReplicaSet({ namespace, labelSelector: selector })
    ),
    ...Object.keys(targets.scaledObjects).length > 0 ? { scaledObjects: informer(`/apis/keda.sh/v1alpha1/namespaces/${namespace}/scaledobjects`, listScaledObjects) } : {}
  };
}
function currentVerdicts(watch, targets, notReady, readySeen, allowScalerErrors) {
  const { namespace } = targets;
  return [
    ...targets.deployments.map((name) => {
      const deployment = watch.deployments.get(name, namespace);
      const pods = newPods(deployment, watch.replicaSets.list(namespace), watch.pods.list(namespace));
      for (const pod of pods.filter(isPodReady))
        readySeen.add(versionKey(name, pod.metadata?.labels?.[TEMPLATE_HASH_LABEL]));
      const verdict = deploymentVerdict(deployment, pods, targets.image);
      if (verdict.state === "ok" && targets.scaledDeployments.includes(name) && !currentSet(deployment, watch.replicaSets.list(namespace)))
        return [`Deployment/${name}`, { state: "pending", why: "its new ReplicaSet is not seen yet" }];
      return [`Deployment/${name}`, verdict];
    }),
    ...Object.entries(targets.scaledObjects).map(([name, types]) => [
      `ScaledObject/${name}`,
      scaledObjectVerdict(watch.scaledObjects?.get(name, namespace), types, notReady, name, allowScalerErrors)
    ]),
    ...targets.loadBalancers.map((name) => [
      `Service/${name}`,
      loadBalancerVerdict(watch.services.get(name, namespace))
    ])
  ];
}
async function settle(informers, verdicts, notReady, timeoutSeconds) {
  let running;
  let deadline;
  let recheck;
  try {
    return await new Promise((resolve, reject) => {
      const judge = () => {
        const current = verdicts();
        const failed = current.find(([, verdict]) => verdict.state === "failed");
        if (failed) reject(failed);
        else if (current.every(([, verdict]) => verdict.state === "ok")) resolve(current);
        else if (notReady.size > 0 && recheck === void 0)
          recheck = setTimeout(() => (recheck = void 0, judge()), NOT_READY_GRACE_MS);
      };
      deadline = setTimeout(() => {
        const pending = verdicts().filter(([, verdict]) => verdict.state !== "ok");
        const why = pending.map(([id, verdict]) => `${id}: ${"why" in verdict ? verdict.why : ""}`).join("; ");
        reject(new RolloutFailure(`rollout not healthy after ${timeoutSeconds}s: ${why}`));
      }, timeoutSeconds * 1e3);
      running = runInformers(informers, judge);
      running.started.then(judge, reject);
    });
  } finally {
    clearTimeout(deadline);
    clearTimeout(recheck);
    await running?.stop();
  }
}
async function warningEvents(core, namespace, object) {
  try {
    const events = await core.listNamespacedEvent({
      namespace,
      fieldSelector: `involvedObject.kind=${object.kind},involvedObject.name=${object.name}`
    });
    const warnings = recentWarnings(events.items);
    return warnings ? `; events: ${warnings}` : "";
  } catch {
    return "";
  }
}

// src/wait/verify.ts
var VERIFY_FIELD_MANAGER = "aks-functions-deploy-verify";
var VERIFIES_LABEL = "aks-functions-deploy/verifies";
var JOB_UID_LABEL = "batch.kubernetes.io/controller-uid";
var ALLOW_LIST_ENTRY = /^AzureFunctionsJobHost__functions__\d+$/;
var FINISHED_JOB_SECONDS = 60;
async function proveScaledVersions(config, app, versions, deadline) {
  return Promise.all(
    versions.map(async (version) => {
      const name = version.deployment.metadata?.name;
      const namespace = version.deployment.metadata?.namespace;
      if (version.deployment.metadata?.annotations?.[VERIFIED_TEMPLATE_ANNOTATION] === version.templateHash)
        return { deployment: name, how: "proven before" };
      const id = `Deployment/${name}`;
      if (version.readySeen) {
        await asRolloutFailure(id, "recording that a pod of it was ready", recordProof(config, version));
        return { deployment: name, how: "a pod was ready" };
      }
      const refused = await missingJobPermission(config, namespace);
      if (refused) return { deployment: name, how: "not proven", why: refused };
      const started = Date.now();
      const leftBehind = await runVerificationPod(config, app, version.deployment, deadline);
      await asRolloutFailure(id, "recording its proof", recordProof(config, version));
      return {
        deployment: name,
        how: "verification pod ready",
        seconds: (Date.now() - started) / 1e3,
        why: leftBehind
      };
    })
  );
}
async function missingJobPermission(config, namespace) {
  const verbs = ["create", "delete"];
  const allowed = await Promise.all(verbs.map((verb) => isAllowed(config, namespace, verb, "batch", "jobs")));
  if (allowed.every(Boolean)) return void 0;
  return `this identity may not create and delete Jobs in namespace ${namespace}, which the verification pod needs: grant it create and delete on jobs.batch there, or set verify-idle-version: false to deploy such versions unproven`;
}
async function asRolloutFailure(id, doing, work) {
  try {
    return await work;
  } catch (error) {
    if (error instanceof RolloutFailure) throw error;
    throw new RolloutFailure(`${id}: ${doing} failed: ${describeFailure(error).message}`);
  }
}
function verificationJob(app, deployment, deadlineSeconds) {
  const name = deployment.metadata?.name;
  const template = deployment.spec?.template ?? {};
  const labels = { ...appLabels(app), [VERIFIES_LABEL]: name };
  const identity = template.metadata?.labels?.[WORKLOAD_IDENTITY_USE_LABEL];
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      // A Job's name is a label value on its pods: 63 characters at most.
      generateName: `${name.slice(0, 48)}-verify-`,
      namespace: deployment.metadata?.namespace,
      labels,
      ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name, uid: deployment.metadata?.uid }]
    },
    spec: {
      activeDeadlineSeconds: deadlineSeconds,
      ttlSecondsAfterFinished: FINISHED_JOB_SECONDS,
      template: {
        metadata: {
          labels: { ...labels, ...identity ? { [WORKLOAD_IDENTITY_USE_LABEL]: identity } : {} },
          annotations: template.metadata?.annotations
        },
        spec: {
          ...template.spec,
          containers: (template.spec?.containers ?? []).map(withFunctionsDisabled),
          // A crash restarts the container, as in a Deployment's pod, so it ends in CrashLoopBackOff.
          restartPolicy: "OnFailure"
        }
      }
    }
  };
}
function withFunctionsDisabled(container) {
  const functions = (container.env ?? []).filter((entry) => ALLOW_LIST_ENTRY.test(entry.name) && entry.value);
  const disabled = functions.map((entry) => ({ name: `AzureWebJobs.${entry.value}.Disabled`, value: "true" }));
  const names = new Set(disabled.map((entry) => entry.name));
  return { ...container, env: [...(container.env ?? []).filter((entry) => !names.has(entry.name)), ...disabled] };
}
function verificationVerdict(pod) {
  if (!pod) return { state: "pending", why: "its pod has not been created yet" };
  const failure = podFailure(pod);
  if (failure) return failure;
  if (pod.status?.phase === "Failed" || pod.status?.phase === "Succeeded")
    return {
      state: "failed",
      events: { kind: "Pod", name: pod.metadata?.name ?? "" },
      why: `pod ${pod.metadata?.name} ended (${pod.status.phase}): ${pod.status.reason ?? ""} ${pod.status.message ?? ""}`.trim()
    };
  if (isPodReady(pod)) return { state: "ok" };
  return { state: "pending", why: `pod ${pod.metadata?.name} is not ready yet` };
}
async function runVerificationPod(config, app, deployment, deadline) {
  const namespace = deployment.metadata?.namespace;
  const name = deployment.metadata?.name;
  const id = `Deployment/${name}`;
  const batch = config.makeApiClient(ObjectBatchV1Api);
  const core = config.makeApiClient(ObjectCoreV1Api);
  const seconds = Math.max(1, Math.ceil((deadline - Date.now()) / 1e3));
  const job = await asRolloutFailure(
    id,
    "creating its verification Job",
    batch.createNamespacedJob({ namespace, body: verificationJob(app, deployment, seconds + FINISHED_JOB_SECONDS) })
  );
  const jobName = job.metadata?.name;
  const labelSelector = `${JOB_UID_LABEL}=${job.metadata?.uid}`;
  const pods = makeInformer(
    config,
    `/api/v1/namespaces/${namespace}/pods`,
    () => core.listNamespacedPod({ namespace, labelSelector }),
    labelSelector
  );
  const context = `the new version, which KEDA keeps at zero replicas, does not start (verification Job ${jobName})`;
  const pod = () => pods.list(namespace)[0];
  const notCreated = jobCreateFailures(core, namespace, jobName, () => pod() !== void 0);
  let failure;
  try {
    await Promise.race([
      settle([pods], () => [[id, verificationVerdict(pod())]], /* @__PURE__ */ new Map(), seconds),
      notCreated.failure
    ]).catch(async (reason) => {
      if (reason instanceof RolloutFailure) {
        const current = pod();
        const events2 = [
          await warningEvents(core, namespace, { kind: "Job", name: jobName }),
          current ? await warningEvents(core, namespace, { kind: "Pod", name: current.metadata?.name ?? "" }) : ""
        ].join("");
        throw new RolloutFailure(`${id}: ${context}: ${reason.message}${events2}`);
      }
      if (!Array.isArray(reason)) throw reason;
      const verdict = reason[1];
      const events = verdict.events ? await warningEvents(core, namespace, verdict.events) : "";
      throw new RolloutFailure(`${id}: ${context}: ${verdict.why}${events}`);
    });
  } catch (error) {
    failure = error ?? new Error("the verification failed");
  }
  notCreated.stop();
  const leftBehind = await batch.deleteNamespacedJob({ name: jobName, namespace, propagationPolicy: "Background" }).then(
    () => void 0,
    (error) => isNotFound(error) ? void 0 : `verification Job ${jobName} could not be deleted (${describeFailure(error).message}): its deadline stops its pod within ${seconds + FINISHED_JOB_SECONDS}s and it is removed ${FINISHED_JOB_SECONDS}s later`
  );
  if (failure === void 0) return leftBehind;
  if (leftBehind && failure instanceof RolloutFailure) throw new RolloutFailure(`${failure.message}; ${leftBehind}`);
  throw failure;
}
var CREATE_CHECK_MS = 3e3;
function isLastingCreateFailure(event) {
  return event.type === "Warning" && event.reason === "FailedCreate" && !/exceeded quota/i.test(event.message ?? "");
}
function jobCreateFailures(core, namespace, jobName, hasPod) {
  let timer;
  let stopped = false;
  const failure = new Promise((_, reject) => {
    const look = async () => {
      if (stopped) return;
      if (!hasPod()) {
        const refused = await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.kind=Job,involvedObject.name=${jobName}` }).then((events) => events.items.filter(isLastingCreateFailure)).catch(() => []);
        if (refused.length > 0 && !stopped)
          return reject([
            `Job/${jobName}`,
            { state: "failed", why: `cannot create its pod: ${recentWarnings(refused)}` }
          ]);
      }
      if (!stopped) timer = setTimeout(() => void look(), CREATE_CHECK_MS);
    };
    timer = setTimeout(() => void look(), CREATE_CHECK_MS);
  });
  failure.catch(() => void 0);
  return {
    failure,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    }
  };
}
async function recordProof(config, version) {
  const { name, namespace } = version.deployment.metadata;
  const body = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace, annotations: { [VERIFIED_TEMPLATE_ANNOTATION]: version.templateHash } }
  };
  await AppObjectsApi.forConfig(config).patch(
    body,
    void 0,
    void 0,
    VERIFY_FIELD_MANAGER,
    void 0,
    PatchStrategy.MergePatch
  );
}

// src/wait/watch.ts
function rolloutTargets(app, namespace, objects, image) {
  const spec = (object) => object.spec;
  const named = (kind, also = () => true) => objects.filter((object) => object.kind === kind && also(object)).map((object) => object.metadata.name);
  const scaled = objects.filter((object) => object.kind === "ScaledObject");
  const scaledObjects = scaled.map((object) => [
    object.metadata.name,
    spec(object)?.triggers?.map((trigger) => trigger.type) ?? []
  ]);
  const scaleTarget = (object) => object.spec?.scaleTargetRef;
  return {
    app,
    namespace,
    deployments: named("Deployment"),
    scaledObjects: Object.fromEntries(scaledObjects),
    loadBalancers: named("Service", (object) => spec(object)?.type === "LoadBalancer"),
    // KEDA's default target kind is a Deployment.
    scaledDeployments: [
      ...new Set(
        scaled.flatMap((object) => {
          const target = scaleTarget(object);
          return target?.name && (target.kind ?? "Deployment") === "Deployment" ? [target.name] : [];
        })
      )
    ],
    image
  };
}
async function watchRollout(config, objects, targets, options) {
  const deadline = Date.now() + options.timeoutSeconds * 1e3;
  try {
    const report = await waitForRollout(config, targets, options.timeoutSeconds, options.allowScalerErrors);
    const proofs = options.verifyIdleVersion ? await proveScaledVersions(config, targets.app, report.scaledVersions, deadline) : [];
    return { ...report, proofs };
  } catch (error) {
    if (!(error instanceof RolloutFailure) || error instanceof RolloutSuperseded || !options.rollbackOnFailure)
      throw error;
    const undone = await rollBack(config, targets.namespace, objects);
    throw new RolloutFailure(
      `${error.message}; rollback-on-failure: ${undone.join("; ")} (other objects keep the new version)`
    );
  }
}

export {
  WORKLOADS,
  applyObjects,
  withDeployRecord,
  newPods,
  deploymentVerdict,
  scaledObjectVerdict,
  recentWarnings,
  loadBalancerVerdict,
  RolloutFailure,
  rolloutTargets,
  watchRollout
};
