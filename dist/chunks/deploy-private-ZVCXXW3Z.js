import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  RolloutFailure,
  WORKLOADS,
  deploymentVerdict,
  loadBalancerVerdict,
  newPods,
  recentWarnings,
  rolloutTargets,
  scaledObjectVerdict,
  withDeployRecord
} from "./chunk-EZVEJZ22.js";
import {
  federationNeeds
} from "./chunk-JK6NVZRX.js";
import {
  notOwnedBecause
} from "./chunk-MSE3FXV5.js";
import {
  KEDA_CRDS,
  METRICS_APISERVICE,
  OPERATOR,
  describeKeda,
  kedaBeingDeleted,
  kedaOperatorWarning,
  otherMetricsAdapter,
  planKeda
} from "./chunk-4LNII7FL.js";
import "./chunk-JF7WQEYM.js";
import "./chunk-F56KB3A3.js";
import {
  dumpYaml
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
import {
  END_MARKER,
  RUN_COMMAND_LIMITS,
  notThroughRunCommand,
  safeLine
} from "./chunk-2YTUPEG6.js";
import "./chunk-O5VYS5TV.js";
import "./chunk-CHEWDH2Y.js";
import "./chunk-EX3WWKRI.js";
import {
  FIELD_MANAGER,
  MANAGED_SELECTOR,
  OWNED_KINDS,
  SETTINGS_HASH_KEY_ANNOTATION,
  appLabels,
  deployRecordAnnotations,
  instanceOf,
  instanceSelector,
  objectKey
} from "./chunk-RX4NZAIJ.js";
import "./chunk-JSKFYQMA.js";
import "./chunk-LXA5KJQK.js";
import "./chunk-GVZNERBE.js";
import "./chunk-7NIGNZU7.js";
import {
  UserError
} from "./chunk-TE2V2DN4.js";
import "./chunk-J2GP2G6B.js";

// src/cluster/private-steps.ts
import { randomBytes } from "node:crypto";
var SECTION = "@@afd";
var FAILED = "@@afd-failed";
var quote = (value) => `'${value.replace(/'/g, `'\\''`)}'`;
var PRELUDE = [
  `section() { printf '\\n${SECTION} %s\\n' "$1"; }`,
  `failed() { printf '\\n${FAILED}\\n'; }`,
  `stop() { failed; printf '\\n${SECTION} stopped %s\\n${END_MARKER}\\n' "$1"; exit 1; }`,
  // kubectl's warnings (deprecations, policy) go to stderr: shown only when the command fails, never inside its JSON.
  `quiet() { "$@" 2>stderr.txt || { cat stderr.txt; return 1; }; }`
];
function resourceOf(object) {
  const group = object.apiVersion.includes("/") ? object.apiVersion.split("/")[0] : "";
  return group ? `${object.kind.toLowerCase()}.${group}` : object.kind.toLowerCase();
}
var METADATA_FIELDS = `{.metadata.name}{"\\t"}{.metadata.generation}{"\\t"}{.metadata.resourceVersion}{"\\t"}{.metadata.labels}{"\\t"}{.metadata.managedFields[*].manager}{"\\n"}`;
var METADATA_LINES = `-o jsonpath='{range .items[*]}${METADATA_FIELDS}{end}'`;
var APPLIED_LINES = `-o jsonpath='{range .items[*]}{.kind}{"\\t"}${METADATA_FIELDS}{end}{.kind}{"\\t"}${METADATA_FIELDS}'`;
var PAD_FILE = "pad.txt";
function stateStep(namespace, objects, settingsSecret) {
  const ns = quote(namespace);
  const lines = [
    ...PRELUDE,
    `section namespace`,
    `quiet kubectl get namespace ${ns} --ignore-not-found -o json || failed`
  ];
  for (const kind of OWNED_KINDS) {
    lines.push(
      `section ${quote(`list ${kind.kind}`)}`,
      `quiet kubectl get ${resourceOf(kind)} -n ${ns} -l ${quote(MANAGED_SELECTOR)} ${METADATA_LINES} || failed`
    );
  }
  for (const object of objects.filter((candidate) => candidate.kind !== "Namespace")) {
    lines.push(
      `section ${quote(`get ${objectKey(object)}`)}`,
      `quiet kubectl get ${resourceOf(object)} ${quote(object.metadata.name)} -n ${ns} --ignore-not-found -o jsonpath='${METADATA_FIELDS}' || failed`
    );
  }
  if (settingsSecret) {
    const path = `{.metadata.annotations.${SETTINGS_HASH_KEY_ANNOTATION.replace(/\./g, "\\.")}}`;
    lines.push(
      `section settings-key`,
      // A failed read is a failed section (its reason, never the key), not a new key that restarts every pod.
      `key=$(kubectl get secret ${quote(settingsSecret.name)} -n ${ns} --ignore-not-found -o jsonpath='${path}' 2>stderr.txt) || { cat stderr.txt; failed; key=; }`,
      `(set -- $(cat ${PAD_FILE}); for byte in $(printf %s "$key" | od -An -v -tu1); do [ $# -gt 0 ] || break; printf '%s ' $(( byte ^ $1 )); shift; done; echo)`
    );
  }
  lines.push(
    `section keda-apiservice`,
    `quiet kubectl get apiservice ${METRICS_APISERVICE} --ignore-not-found -o json || failed`,
    `section keda-crd`,
    `quiet kubectl get crd ${KEDA_CRDS[0]} --ignore-not-found -o jsonpath='{.metadata}' || failed`,
    `section keda-operator`,
    `kns=$(quiet kubectl get apiservice ${METRICS_APISERVICE} --ignore-not-found -o jsonpath='{.spec.service.namespace}') || { printf '%s\\n' "$kns"; failed; kns=; }`,
    `if [ -n "$kns" ]; then quiet kubectl get deployment keda-operator -n "$kns" --ignore-not-found -o json || failed; fi`,
    `printf '\\n${END_MARKER}\\n'`
  );
  const files = { "state.sh": lines.join("\n") + "\n" };
  if (settingsSecret) files[PAD_FILE] = settingsSecret.pad.join(" ") + "\n";
  return { title: "read the cluster state", command: "sh state.sh", files };
}
var list = (items) => JSON.stringify({ apiVersion: "v1", kind: "List", items });
function applyStep(plan) {
  const ns = quote(plan.namespace);
  const apply = `kubectl apply --server-side --field-manager=${FIELD_MANAGER}${plan.forceConflicts ? " --force-conflicts" : ""}`;
  const files = {};
  const lines = [...PRELUDE];
  if (plan.keda) {
    files["keda.yaml"] = plan.keda.map((object) => dumpYaml(object)).join("---\n");
    const wait = `--timeout=${plan.kedaTimeoutSeconds}s`;
    lines.push(
      `section keda`,
      `quiet kubectl apply --server-side --field-manager=${FIELD_MANAGER} --force-conflicts -f keda.yaml -o name || stop keda`,
      `kubectl wait --for=condition=Established ${KEDA_CRDS.map((crd) => `crd/${crd}`).join(" ")} ${wait} 2>&1 || stop keda`,
      `kns=$(kubectl get apiservice ${METRICS_APISERVICE} -o jsonpath='{.spec.service.namespace}')`,
      // Its progress lines are dropped, its reason for failing (stderr) kept.
      `kubectl rollout status deployment/keda-operator -n "$kns" ${wait} 2>&1 >/dev/null || stop keda`
    );
  }
  if (plan.createNamespace) {
    files["namespace.json"] = JSON.stringify(plan.createNamespace);
    lines.push(
      `section namespace`,
      `quiet kubectl create -f namespace.json -o name || kubectl get namespace ${ns} -o name 2>&1 || stop namespace`
    );
  }
  if (plan.rehearsed.length > 0) {
    files["rehearsal.json"] = list(plan.rehearsed);
    lines.push(`section dry-run`, `quiet ${apply} --dry-run=server -f rehearsal.json -o name || stop dry-run`);
  }
  plan.waves.forEach((wave, index) => {
    if (wave.length === 0) return;
    files[`wave${index}.json`] = list(wave);
    lines.push(
      `section ${quote(`apply ${index}`)}`,
      `quiet ${apply} -f wave${index}.json ${APPLIED_LINES} || stop apply`
    );
  });
  if (plan.prune.length > 0) {
    const names = plan.prune.map((key) => {
      const [kind, name] = key.split("/");
      const owned = OWNED_KINDS.find((candidate) => candidate.kind === kind) ?? { apiVersion: "v1", kind };
      return quote(`${resourceOf(owned)}/${name}`);
    });
    lines.push(
      `section prune`,
      `quiet kubectl delete -n ${ns} ${names.join(" ")} --ignore-not-found --cascade=background -o name || stop prune`
    );
  }
  lines.push(`printf '\\n${END_MARKER}\\n'`);
  files["apply.sh"] = lines.join("\n") + "\n";
  return { title: "apply the app", command: "sh apply.sh", files };
}
var STUCK = [
  "ErrImagePull",
  "ImagePullBackOff",
  "InvalidImageName",
  "CrashLoopBackOff",
  "CreateContainerConfigError"
];
function waitStep(app, namespace, targets, seconds, minimumSeconds = 0) {
  const ns = quote(namespace);
  const selector = quote(instanceSelector(app));
  const done = `[ "$(date +%s)" -ge "$min" ] && break`;
  const condition = (type) => `'{.status.conditions[?(@.type=="${type}")].status}'`;
  const lines = [
    ...PRELUDE,
    `end=$(( $(date +%s) + ${Math.max(1, Math.floor(seconds))} ))`,
    `min=$(( $(date +%s) + ${Math.max(0, Math.floor(Math.min(minimumSeconds, seconds)))} ))`,
    `while [ "$(date +%s)" -lt "$end" ]; do`,
    // A kubectl error (a 403) ends the loop at once: the sections after it report it.
    `  waiting=$(kubectl get pods -n ${ns} -l ${selector} -o jsonpath='{range .items[*]}{range .status.containerStatuses[*]}{.state.waiting.reason}{" "}{end}{.status.reason}{" "}{end}' 2>/dev/null) || break`,
    `  case " $waiting " in ${[...STUCK, "ProviderFailed"].map((reason) => `*${reason}*`).join("|")}) ${done} ;; esac`,
    `  settled=yes`,
    ...targets.deployments.map(
      (name) => `  [ $settled = yes ] && { kubectl rollout status deployment/${quote(name)} -n ${ns} --timeout=1s >/dev/null 2>&1 || settled=no; }`
    ),
    ...targets.scaledObjects.flatMap((name) => [
      `  ready=$(kubectl get scaledobject ${quote(name)} -n ${ns} -o jsonpath=${condition("Ready")} 2>/dev/null) || break`,
      `  [ "$ready" = False ] && { ${done}; }`,
      `  active=$(kubectl get scaledobject ${quote(name)} -n ${ns} -o jsonpath=${condition("Active")} 2>/dev/null) || break`,
      `  [ -n "$active" ] || settled=no`
    ]),
    `  [ $settled = yes ] && { ${done}; }`,
    `  sleep 2`,
    `done`,
    `section workloads`,
    `quiet kubectl get deployments.apps,replicasets.apps,pods,services -n ${ns} -l ${selector} -o json || failed`,
    `section scaledobjects`,
    targets.scaledObjects.length > 0 ? `quiet kubectl get scaledobjects.keda.sh -n ${ns} -l ${selector} -o json || failed` : `echo '{"items":[]}'`,
    `section events`,
    `quiet kubectl get events -n ${ns} --field-selector type=Warning -o json || failed`,
    `printf '\\n${END_MARKER}\\n'`
  ];
  return { title: "wait for the rollout", command: "sh wait.sh", files: { "wait.sh": lines.join("\n") + "\n" } };
}
function sections(logs) {
  const found = /* @__PURE__ */ new Map();
  const parts = logs.split(new RegExp(`^${SECTION} `, "m")).slice(1);
  for (const part of parts) {
    const newline = part.indexOf("\n");
    const name = (newline < 0 ? part : part.slice(0, newline)).trim();
    const body = newline < 0 ? "" : part.slice(newline + 1);
    const failed = body.includes(FAILED);
    found.set(name, { text: body.replace(FAILED, "").trim(), failed });
  }
  return found;
}
function sectionJson(section) {
  if (section === void 0 || section.failed || section.text === "") return void 0;
  return parsed(section.text);
}
function parsed(text) {
  try {
    return JSON.parse(text);
  } catch {
    throw new UserError(
      `the AKS run command printed something that is not kubectl's JSON (${text.length} characters), so the cluster's answer cannot be read; deploy again, and report it if it persists`
    );
  }
}
function metadataLines(section, withKind = false) {
  const found = /* @__PURE__ */ new Map();
  if (section === void 0 || section.failed) return found;
  for (const line of section.text.split("\n")) {
    const fields = line.split("	");
    const kind = withKind ? fields.shift() : void 0;
    const [name, generation, resourceVersion, labels, managers] = fields;
    if (!name) continue;
    found.set(kind ? `${kind}/${name}` : name, {
      name,
      ...generation ? { generation: Number(generation) } : {},
      ...resourceVersion ? { resourceVersion } : {},
      ...labels ? { labels: parsed(labels) } : {},
      managedFields: (managers ?? "").split(" ").filter(Boolean).map((manager) => ({ manager }))
    });
  }
  return found;
}
function keyPad() {
  return [...randomBytes(64)];
}
function keyThroughPad(section, pad) {
  if (section?.failed) return void 0;
  const bytes = (section?.text ?? "").split(/\s+/).filter(Boolean).map(Number);
  if (bytes.length === 0 || bytes.length > pad.length) return void 0;
  return Buffer.from(bytes.map((byte, index) => byte ^ pad[index])).toString("latin1");
}

// src/wait/run-command-wait.ts
function readSnapshot(logs) {
  const found = sections(logs);
  for (const name of ["workloads", "scaledobjects", "events"]) {
    const section = found.get(name);
    if (!section || section.failed)
      throw new UserError(
        `reading the rollout in the cluster failed (AKS run command): ${safeLine(section?.text.split("\n").at(-1) ?? "no output")}`
      );
  }
  const items = (name) => sectionJson(found.get(name))?.items ?? [];
  const workloads = items("workloads");
  const of = (kind) => workloads.filter((item) => item.kind === kind);
  return {
    deployments: of("Deployment"),
    sets: of("ReplicaSet"),
    pods: of("Pod"),
    services: of("Service"),
    scaledObjects: items("scaledobjects"),
    events: items("events")
  };
}
function snapshotVerdicts(snapshot, targets, notReady, allowScalerErrors) {
  const named = (items, name) => items.find((item) => item.metadata?.name === name);
  return [
    ...targets.deployments.map((name) => {
      const deployment = named(snapshot.deployments, name);
      return [
        `Deployment/${name}`,
        deploymentVerdict(deployment, newPods(deployment, snapshot.sets, snapshot.pods), targets.image)
      ];
    }),
    ...Object.entries(targets.scaledObjects).map(([name, types]) => [
      `ScaledObject/${name}`,
      scaledObjectVerdict(named(snapshot.scaledObjects, name), types, notReady, name, allowScalerErrors)
    ]),
    ...targets.loadBalancers.map((name) => [
      `Service/${name}`,
      loadBalancerVerdict(named(snapshot.services, name))
    ])
  ];
}
var MINIMUM_POLL_SECONDS = 10;
async function waitThroughRunCommand(run, app, objects, options, image) {
  const { name, namespace } = app;
  const targets = rolloutTargets(name, namespace, objects, image);
  const started = Date.now();
  const deadline = started + options.timeoutSeconds * 1e3;
  const notReady = /* @__PURE__ */ new Map();
  let first = true;
  for (; ; ) {
    const seconds = Math.min((deadline - Date.now()) / 1e3, RUN_COMMAND_LIMITS.runSeconds);
    const output = await run(
      waitStep(
        name,
        namespace,
        { deployments: targets.deployments, scaledObjects: Object.keys(targets.scaledObjects) },
        seconds,
        first ? 0 : MINIMUM_POLL_SECONDS
      )
    );
    first = false;
    const snapshot = readSnapshot(output.logs);
    const verdicts = snapshotVerdicts(snapshot, targets, notReady, options.allowScalerErrors);
    const failed = verdicts.find(([, verdict]) => verdict.state === "failed");
    if (failed) {
      const [id, verdict] = failed;
      const about = verdict.events;
      const related = about ? snapshot.events.filter(
        (event) => event.involvedObject.kind === about.kind && event.involvedObject.name === about.name
      ) : [];
      const warnings = recentWarnings(related);
      throw new RolloutFailure(`${id}: ${verdict.why}${warnings ? ` (${warnings})` : ""}`);
    }
    const pending = verdicts.find(([, verdict]) => verdict.state === "pending");
    if (!pending) {
      const warnings = verdicts.flatMap(
        ([id, verdict]) => verdict.state === "ok" && verdict.scalerError ? [`${id}: accepted by allow-scaler-errors, its scaler cannot read its source: ${verdict.scalerError}`] : []
      );
      const addresses = Object.fromEntries(
        verdicts.flatMap(
          ([id, verdict]) => verdict.state === "ok" && verdict.address ? [[id.slice("Service/".length), verdict.address]] : []
        )
      );
      if (targets.scaledDeployments.length > 0 && options.verifyIdleVersion)
        warnings.push(
          `the new version of ${targets.scaledDeployments.join(", ")}, which KEDA may keep at zero replicas, is not proven to start through AKS run command (no verification pod on the private path)`
        );
      return { seconds: (Date.now() - started) / 1e3, addresses, warnings, scaledVersions: [], proofs: [] };
    }
    if (Date.now() >= deadline)
      throw new RolloutFailure(
        `${pending[0]}: not healthy within ${options.timeoutSeconds}s: ${pending[1].why}`
      );
  }
}

// src/commands/deploy-private.ts
function readState(logs, objects, addonEnabled, pad = []) {
  const found = sections(logs);
  const managed = /* @__PURE__ */ new Map();
  const unserved = /* @__PURE__ */ new Set();
  for (const kind of OWNED_KINDS) {
    const section = found.get(`list ${kind.kind}`);
    if (section?.failed) {
      if (!/resource type|could not find the requested resource/i.test(section.text))
        throw listFailure(kind.kind, section);
      unserved.add(`${kind.apiVersion}/${kind.kind}`);
    }
    for (const [name, metadata] of metadataLines(section)) managed.set(`${kind.kind}/${name}`, metadata);
  }
  const existing = /* @__PURE__ */ new Map();
  for (const object of objects) {
    const key = objectKey(object);
    const section = found.get(`get ${key}`);
    if (section?.failed && unserved.has(`${object.apiVersion}/${object.kind}`)) continue;
    const metadata = metadataLines(read(section, key)).get(object.metadata.name);
    if (metadata) existing.set(key, metadata);
  }
  const settingsKey = found.get("settings-key");
  read(settingsKey, "the settings Secret's settings-hash key");
  return {
    namespace: sectionJson(read(found.get("namespace"), "the namespace")),
    managed,
    unserved,
    existing,
    keda: readKeda(found, addonEnabled),
    settingsHashKey: keyThroughPad(settingsKey, pad)
  };
}
function readKeda(found, addonEnabled) {
  const crd = sectionJson(read(found.get("keda-crd"), "KEDA's ScaledObject CRD"));
  const apiService = sectionJson(read(found.get("keda-apiservice"), "the external metrics APIService"));
  const operator = sectionJson(read(found.get("keda-operator"), "KEDA's operator"));
  if (!crd) return void 0;
  if (crd.deletionTimestamp) throw kedaBeingDeleted();
  const service = apiService?.spec?.service;
  if (!service?.namespace) return void 0;
  if (!service.name?.startsWith("keda-")) throw otherMetricsAdapter(service);
  return operator ? describeKeda(operator, { metadata: crd }, service.namespace, addonEnabled) : void 0;
}
function read(section, what) {
  if (!section?.failed) return section;
  throw new UserError(
    `reading ${what} in the cluster failed (AKS run command): ${safeLine(section.text.split("\n").at(-1) || "kubectl gave no reason")}; nothing was changed`
  );
}
function listFailure(kind, section) {
  return new UserError(
    `listing the app's ${kind} objects failed in the cluster: ${safeLine(section.text.split("\n").at(-1) ?? "")}`
  );
}
async function preparePrivateCluster(access, options, needs, platform) {
  const refusal = notThroughRunCommand({
    dryRun: options.dryRun,
    rollbackOnFailure: options.rollout.rollbackOnFailure
  });
  if (refusal) throw refusal;
  if (options.keda.mode === "addon" && !access.kedaAddon && access.enableKedaAddon) {
    platform.info("AKS: enabling the KEDA add-on");
    await access.enableKedaAddon();
  }
  const { name, namespace } = options.render;
  const pad = keyPad();
  const settingsSecret = needs.settingsHashKey ? { name, pad } : void 0;
  const output = await access.runCommand(stateStep(namespace, needs.objects, settingsSecret));
  const state = readState(output.logs, needs.objects, access.kedaAddon, pad);
  if (state.namespace?.status?.phase === "Terminating")
    throw new UserError(`namespace ${namespace} is being deleted: wait until it is gone, then deploy again`);
  const secret = state.existing.get(`Secret/${name}`);
  const owned = Object.entries(appLabels(name)).every(([label, value]) => secret?.labels?.[label] === value);
  const key = state.settingsHashKey;
  const settingsHashKey = needs.settingsHashKey ? owned && isSettingsHashKey(key) ? key : newSettingsHashKey() : void 0;
  if (settingsHashKey !== void 0) mask(platform, settingsHashKey);
  let kedaVersion;
  let kedaObjects;
  if (needs.keda && options.keda.mode !== "skip") {
    const kedaOptions = {
      ...options.keda,
      timeoutSeconds: options.rollout.timeoutSeconds,
      addonEnabled: access.kedaAddon
    };
    const plan = await planKeda(state.keda, kedaOptions, platform);
    if (plan.action === "addon") kedaVersion = state.keda?.version;
    else if (plan.action === "present") kedaVersion = plan.version;
    else [kedaVersion, kedaObjects] = [options.keda.version, plan.objects];
  }
  let federation;
  if (needs.identity && access.planFederation) {
    const kedaOperator = state.keda ? { namespace: state.keda.namespace, serviceAccount: state.keda.operator.serviceAccount } : {
      namespace: access.kedaAddon || options.keda.mode === "addon" ? "kube-system" : "keda",
      serviceAccount: OPERATOR
    };
    federation = await access.planFederation(
      federationNeeds(needs.identity.objects, needs.identity.clientIds, kedaOperator),
      options.federation,
      platform
    );
    const warning = needs.keda ? kedaOperatorWarning(state.keda, needs.identity.objects) : void 0;
    if (warning) platform.warning(warning);
  }
  return { access, state, kedaVersion, kedaObjects, settingsHashKey, federation };
}
async function applyAndWaitPrivate(prepared, objects, options, platform, record) {
  const { name, namespace } = options.render;
  const { state, access } = prepared;
  const image = record.image;
  const applied = await stage(
    record,
    platform,
    "Apply",
    () => timed(record, "apply", async () => {
      refuseOthers(objects, state, name, namespace);
      await prepared.federation?.create?.();
      const annotations = deployRecordAnnotations(image, platform.run);
      const applicable = objects.filter((object) => object.kind !== "Namespace").map((object) => withDeployRecord(object, annotations));
      const waves = [
        applicable.filter((object) => !WORKLOADS.has(object.kind)),
        applicable.filter((object) => WORKLOADS.has(object.kind))
      ];
      const rendered = new Set(objects.map(objectKey));
      const prune = options.apply.prune ? [...state.managed].filter(([key, metadata]) => instanceOf(metadata.labels) === name && !rendered.has(key)).map(([key]) => key) : [];
      const namespaceObject = objects.find((object) => object.kind === "Namespace");
      const output = await access.runCommand(
        applyStep({
          namespace,
          keda: prepared.kedaObjects,
          kedaTimeoutSeconds: options.rollout.timeoutSeconds,
          createNamespace: state.namespace ? void 0 : namespaceObject,
          // A RoleBinding to a Role not yet there cannot be dry-run: the direct path checks it at apply too.
          rehearsed: state.namespace ? applicable.filter((object) => object.kind !== "RoleBinding") : [],
          waves,
          forceConflicts: options.apply.forceConflicts,
          prune
        })
      );
      return appliedObjects(output, objects, state, prune, platform);
    })
  );
  record.deployments = objects.filter((object) => object.kind === "Deployment").map((object) => object.metadata.name);
  const result = { objects, manifests: record.manifests, image, applied, kedaVersion: record.kedaVersion };
  if (!options.rollout.wait) return result;
  return stage(record, platform, "Wait for the rollout", async () => {
    const rollout = await timed(
      record,
      "rollout",
      () => waitThroughRunCommand(access.runCommand, options.render, objects, options.rollout, image)
    );
    for (const warning of rollout.warnings) platform.warning(warning);
    platform.info(`rollout healthy in ${rollout.seconds.toFixed(1)}s`);
    record.rollout = rollout;
    const service = Object.values(rollout.addresses)[0];
    if (service) record.serviceIp = service;
    return { ...result, rollout, serviceIp: record.serviceIp };
  });
}
function refuseOthers(objects, state, app, namespace) {
  for (const object of objects) {
    const metadata = state.existing.get(objectKey(object));
    if (object.kind === "Namespace" || metadata === void 0) continue;
    const why = notOwnedBecause({ metadata }, app);
    if (why)
      throw new UserError(
        `${objectKey(object)} in namespace ${namespace} ${why}: an app takes over nothing it did not create; remove it or choose another name for this app; nothing was changed`
      );
  }
  const missing = [...new Set(objects.map((object) => `${object.apiVersion}/${object.kind}`))].filter(
    (kind) => state.unserved.has(kind) && !kind.startsWith("keda.sh/")
  );
  if (missing.length > 0) throw new UserError(`the cluster does not serve ${missing.join(", ")}; nothing was changed`);
}
function appliedObjects(output, objects, state, prune, platform) {
  const found = sections(output.logs);
  const stopped = [...found.keys()].find((key) => key.startsWith("stopped "));
  if (stopped || output.exitCode !== 0) {
    const failed = [...found.entries()].find(([, section]) => section.failed);
    const reason = failed ? failed[1].text.split("\n").filter(Boolean).map(safeLine).join(" ") : `exit ${output.exitCode}`;
    const step = stopped?.slice("stopped ".length) ?? "apply";
    const nothing = step === "dry-run" || step === "keda" ? "; nothing of the app was changed" : "; the objects before it were applied";
    throw new UserError(`${step} failed in the cluster (AKS run command): ${reason}${nothing}`);
  }
  const after = /* @__PURE__ */ new Map();
  for (const [key, section] of found) {
    if (key.startsWith("apply ")) for (const [id, metadata] of metadataLines(section, true)) after.set(id, metadata);
  }
  const results = objects.map((object) => {
    const key = objectKey(object);
    const before = state.existing.get(key);
    const now = after.get(key);
    const same = before && (before.generation !== void 0 ? before.generation === now?.generation : before.resourceVersion === now?.resourceVersion);
    return {
      kind: object.kind,
      name: object.metadata.name,
      action: before === void 0 ? "created" : same ? "unchanged" : "configured"
    };
  });
  for (const key of prune) {
    const [kind, name] = key.split("/");
    results.push({ kind, name, action: "pruned" });
  }
  for (const object of results) platform.info(`${object.action.padEnd(10)} ${object.kind}/${object.name}`);
  return results;
}
export {
  applyAndWaitPrivate,
  preparePrivateCluster,
  readState
};
