import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  base64Values,
  hash,
  objectFactory,
  settingsSecret
} from "./chunk-FRU7Y7RN.js";
import {
  yaml
} from "./chunk-7FBAEKCG.js";
import {
  codeFirstFunctions
} from "./chunk-QWX7QZYT.js";
import {
  mask
} from "./chunk-TEGGAPAS.js";
import {
  connection,
  describe,
  expectSetting,
  firstLabel,
  identityValue,
  present,
  prometheusScaler,
  required,
  resolved,
  settingReference,
  storageAccount,
  valueOrEnv,
  workloadIdentity
} from "./chunk-DLRMTJLB.js";
import {
  isValidSettingKey,
  stringProperty
} from "./chunk-PEBGFQGG.js";
import {
  isSecretSetting,
  isShownSetting,
  looksSecret,
  settingsNamingTriggerEntities
} from "./chunk-EX3WWKRI.js";
import {
  MANAGED_BY,
  SETTINGS_HASH_KEY_ANNOTATION,
  WORKLOAD_IDENTITY_USE_LABEL,
  componentSelector,
  keysSecretName
} from "./chunk-RX4NZAIJ.js";
import {
  isObject,
  readJsonFile
} from "./chunk-KT26BUDG.js";
import {
  isPresent
} from "./chunk-7NIGNZU7.js";
import {
  UserError,
  oneLine
} from "./chunk-TE2V2DN4.js";

// src/commands/render.ts
import {
  closeSync,
  constants,
  existsSync as existsSync2,
  fchmodSync,
  fstatSync,
  ftruncateSync,
  lstatSync,
  openSync,
  writeFileSync
} from "node:fs";
import { dirname } from "node:path";

// src/discovery/discover.ts
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
var FUNCTION_NAME = /^[a-z][a-z0-9_-]{0,127}$/i;
async function discoverApp(source, settingsFromExistingObjects) {
  const warnings = [];
  const root = source.appPath;
  if (!existsSync(root)) throw new UserError(`input 'app-path': '${root}' does not exist`);
  if (!statSync(root).isDirectory()) throw new UserError(`input 'app-path': '${root}' is not a folder`);
  const hostPath = join(root, "host.json");
  if (!isPresent(hostPath, shown(root, hostPath))) {
    throw new UserError(
      `input 'app-path': no host.json in '${root}': point app-path at the function app's root folder`
    );
  }
  const host = readHost(hostPath, shown(root, hostPath), warnings);
  const declared = [
    ...functionJsonFunctions(root, warnings),
    ...metadataFunctions(root),
    ...source.triggers === void 0 ? [] : triggersInputFunctions(source.triggers)
  ];
  const settings = readSettings(source, settingsFromExistingObjects);
  const codeFirst = async () => (await codeFirstFunctions(root, source.indexer ?? "static", settings.values, warnings)).map(
    (fn) => defineFunction(fn.name, fn.source, fn.bindings)
  );
  const functions = (declared.length > 0 ? declared : await codeFirst()).filter(
    (fn) => host.only === void 0 || host.only.has(fn.name.toLowerCase())
  );
  const seen = /* @__PURE__ */ new Map();
  for (const fn of functions) {
    const earlier = seen.get(fn.name.toLowerCase());
    if (earlier)
      throw new UserError(`${fn.source}: function '${fn.name}' is also defined in ${earlier.source}`, fn.source);
    seen.set(fn.name.toLowerCase(), fn);
  }
  if (functions.length === 0) {
    throw new UserError(
      `no functions found in '${root}': expected <function>/function.json, functions.metadata (.NET isolated), app.* registrations in the files package.json "main" names (Node.js v4), decorated functions in function_app.py or the file PYTHON_SCRIPT_FILE_NAME names (Python v2), or the triggers input` + buildOutputHint(root)
    );
  }
  return {
    app: { root, host: host.settings, functions, settings },
    warnings
  };
}
function buildOutputHint(root) {
  const names = listFolder(root).map((entry) => entry.name);
  if (names.some((name) => /\.(cs|fs|vb)proj$/.test(name))) {
    return `; this is a .NET project: point app-path at its publish output, which holds functions.metadata (e.g. bin/Release/net8.0/publish after 'dotnet publish -c Release')`;
  }
  if (names.includes("pom.xml")) {
    return `; this is a Maven project: point app-path at the Azure Functions Maven plugin's staging folder, which holds a function.json for each function (target/azure-functions/<functionAppName> after 'mvn package')`;
  }
  return "";
}
function shown(root, path) {
  return join(root, relative(root, path));
}
function readHost(path, shownAs, warnings) {
  const json = readJsonFile(path, shownAs);
  if (!isObject(json)) throw new UserError(`${shownAs}: must be a JSON object`, shownAs);
  if (json.version !== "2.0") {
    warnings.push(
      `${shownAs}: "version" is ${JSON.stringify(json.version)}, not "2.0": the Functions runtime 2.x and later expect "2.0"`
    );
  }
  const extensions = isObject(json.extensions) ? json.extensions : {};
  const http = isObject(extensions.http) ? extensions.http : {};
  const routePrefix = typeof http.routePrefix === "string" ? http.routePrefix : "api";
  const durable = isObject(extensions.durableTask) ? extensions.durableTask : {};
  const provider = isObject(durable.storageProvider) ? durable.storageProvider : void 0;
  const number = (value) => Number.isSafeInteger(value) && value > 0 ? value : void 0;
  const durableStorage = provider && typeof provider.type === "string" ? {
    type: provider.type,
    connectionStringName: typeof provider.connectionStringName === "string" ? provider.connectionStringName : void 0,
    maxConcurrentOrchestrators: number(durable.maxConcurrentOrchestratorFunctions),
    maxConcurrentActivities: number(durable.maxConcurrentActivityFunctions)
  } : void 0;
  let only;
  if (json.functions !== void 0) {
    if (!Array.isArray(json.functions) || !json.functions.every((name) => typeof name === "string")) {
      throw new UserError(`${shownAs}: "functions" must be a list of function names`, shownAs);
    }
    only = new Set(json.functions.map((name) => name.toLowerCase()));
  }
  return { settings: { routePrefix, durableStorage }, only };
}
function functionJsonFunctions(root, warnings) {
  const result = [];
  const folders = listFolder(root).filter((entry) => entry.isDirectory() && !entry.name.startsWith(".") && entry.name !== "node_modules").map((entry) => entry.name).sort();
  for (const folder of folders) {
    const path = join(root, folder, "function.json");
    const source = shown(root, path);
    if (!isPresent(path, source)) continue;
    const json = readJsonFile(path, source);
    if (!isObject(json)) throw new UserError(`${source}: must be a JSON object`, source);
    if (json.disabled === true) {
      warnings.push(`${source}: function '${folder}' is disabled ("disabled": true) and is not deployed`);
      continue;
    }
    result.push(defineFunction(folder, source, json.bindings));
  }
  return result;
}
function listFolder(root) {
  try {
    return readdirSync(root, { withFileTypes: true });
  } catch (error) {
    throw new UserError(`input 'app-path': cannot list '${root}' (${error.code})`);
  }
}
function metadataFunctions(root) {
  const path = join(root, "functions.metadata");
  const source = shown(root, path);
  if (!isPresent(path, source)) return [];
  const json = readJsonFile(path, source);
  if (!Array.isArray(json)) throw new UserError(`${source}: must be a JSON list of functions`, source);
  return json.map((entry, index) => {
    if (!isObject(entry) || typeof entry.name !== "string") {
      throw new UserError(`${source}: entry ${index + 1} has no "name"`, source);
    }
    return defineFunction(entry.name, source, entry.bindings);
  });
}
function triggersInputFunctions(text) {
  const source = "input 'triggers'";
  let entries;
  try {
    entries = yaml.load(text);
  } catch (error) {
    const problem = error;
    throw new UserError(
      `${source}: invalid YAML${problem.mark ? ` at line ${problem.mark.line + 1}` : ""}: ${problem.reason}`
    );
  }
  if (!Array.isArray(entries)) throw new UserError(`${source}: must be a YAML list of {name, type, ...} entries`);
  return entries.map((entry, index) => {
    if (!isObject(entry) || typeof entry.name !== "string" || typeof entry.type !== "string") {
      throw new UserError(`${source}, entry ${index + 1}: needs a "name" and a "type" (e.g. queueTrigger)`);
    }
    const { name, ...binding } = entry;
    return defineFunction(name, source, [{ direction: "in", ...binding }]);
  });
}
function defineFunction(name, source, bindings) {
  const where = `${source}: function '${name}'`;
  if (!FUNCTION_NAME.test(name)) {
    throw new UserError(
      `${where}: not a valid function name (a letter, then letters, digits, '_' or '-', at most 128)`,
      source
    );
  }
  if (!Array.isArray(bindings)) throw new UserError(`${where}: "bindings" must be a list`, source);
  const checked = bindings.map((binding, index) => {
    if (!isObject(binding) || typeof binding.type !== "string" || binding.type.trim() === "") {
      throw new UserError(`${where}: binding ${index + 1} has no "type"`, source);
    }
    return binding;
  });
  const triggers = checked.filter(
    (binding) => /trigger$/i.test(binding.type) && String(binding.direction ?? "in").toLowerCase() !== "out"
  );
  if (triggers.length !== 1) {
    throw new UserError(
      triggers.length === 0 ? `${where}: no trigger binding (a binding whose type ends in "Trigger")` : `${where}: ${triggers.length} trigger bindings (${triggers.map((t) => t.type).join(", ")}); a function has exactly one`,
      source
    );
  }
  return { name, source, trigger: triggers[0], bindings: checked };
}
function readSettings(source, fromExistingObjects) {
  const values = /* @__PURE__ */ Object.create(null);
  if (source.settingsFile !== void 0) {
    const file = source.settingsFile;
    if (!existsSync(file)) throw new UserError(`input 'settings-file': '${file}' does not exist`);
    const json = readJsonFile(file, file);
    if (!isObject(json)) throw new UserError(`${file}: must be a JSON object`, file);
    if (json.IsEncrypted === true) {
      throw new UserError(
        `${file}: the settings are encrypted ("IsEncrypted": true); decrypt them with 'func settings decrypt' first`,
        file
      );
    }
    if (json.Values !== void 0 && !isObject(json.Values))
      throw new UserError(`${file}: "Values" must be an object`, file);
    for (const [key, value] of Object.entries(json.Values ?? {})) {
      if (!isValidSettingKey(key)) {
        throw new UserError(
          `${file}: "Values" key '${key}' is not a valid setting name (letters, digits, '-', '_' and '.'; use '__' for nesting)`,
          file
        );
      }
      if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
        throw new UserError(`${file}: "Values" key '${key}' must have a string value`, file);
      }
      values[key] = String(value);
    }
  }
  Object.assign(values, source.appSettings);
  return { values, complete: !fromExistingObjects && Object.keys(values).length > 0 };
}

// src/render/manifest.ts
var SECRET_PLACEHOLDER = "<redacted: use --show-secrets>";
function redactSecrets(objects) {
  return objects.map((object) => {
    if (object.kind !== "Secret") return object;
    const secret = object;
    const hide = (values) => values && Object.fromEntries(Object.keys(values).map((key) => [key, SECRET_PLACEHOLDER]));
    const annotations = secret.metadata.annotations;
    return {
      ...secret,
      ...annotations?.[SETTINGS_HASH_KEY_ANNOTATION] !== void 0 ? {
        metadata: {
          ...secret.metadata,
          annotations: { ...annotations, [SETTINGS_HASH_KEY_ANNOTATION]: SECRET_PLACEHOLDER }
        }
      } : {},
      ...secret.data ? { data: hide(secret.data) } : {},
      ...secret.stringData ? { stringData: hide(secret.stringData) } : {}
    };
  });
}
function toYaml(objects) {
  return objects.map((object) => yaml.dump(object, { noRefs: true, lineWidth: -1 })).join("---\n");
}

// src/render/identity.ts
var CLIENT_ID_ANNOTATION = "azure.workload.identity/client-id";
var TENANT_ID_ANNOTATION = "azure.workload.identity/tenant-id";
var GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
var IDENTITY_PART = /__(?:accountname|(?:blob|queue|table)serviceuri|serviceuri|fullyqualifiednamespace|credential|clientid)$/i;
function appIdentity(settings, options, warn) {
  const fromSettings = Object.entries(settings.values).filter(([key]) => /__clientid$/i.test(key)).map(([key, value]) => {
    if (!GUID.test(value.trim()))
      throw new UserError(`app setting '${key}' is not a client ID (a GUID): it names a managed identity`);
    return value.trim().toLowerCase();
  });
  const clientIds = [.../* @__PURE__ */ new Set([...options?.clientId ? [options.clientId.toLowerCase()] : [], ...fromSettings])];
  const [defaultClientId] = clientIds;
  if (defaultClientId === void 0) {
    const connections = Object.keys(settings.values).filter((key) => IDENTITY_PART.test(key));
    if (connections.length > 0)
      warn(
        `app settings ${connections.map((key) => `'${key}'`).join(", ")} make identity-based connections, but no managed identity is named (input 'workload-identity', or a <connection>__clientId setting): the pods get no Azure identity and cannot sign in to those services`
      );
    return void 0;
  }
  return { defaultClientId, clientIds, ...options?.tenantId ? { tenantId: options.tenantId } : {} };
}
function identityAnnotations(identity) {
  return {
    [CLIENT_ID_ANNOTATION]: identity.defaultClientId,
    ...identity.tenantId ? { [TENANT_ID_ANNOTATION]: identity.tenantId } : {}
  };
}
function eventServiceAccount(name, identity, make) {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { ...make(name, "events"), annotations: identityAnnotations(identity) },
    // The pods run with no Kubernetes API token: the webhook's projected Azure token is a volume of its own.
    automountServiceAccountToken: false
  };
}

// src/render/keda-objects.ts
function kedaObjects(app, spec, scalers, make, identity) {
  const secrets = [];
  const triggerAuthentications = [];
  const triggers = scalers.map((scaler) => {
    const trigger = { type: scaler.type, metadata: scaler.metadata };
    if (scaler.auth) {
      const auth = triggerAuthentication(withIdentity(scaler.auth, identity), app, spec.container, make);
      if (!triggerAuthentications.some((known) => known.metadata.name === auth.object.metadata.name)) {
        triggerAuthentications.push(auth.object);
        if (auth.secret) secrets.push(auth.secret);
      }
      trigger.authenticationRef = { name: auth.object.metadata.name };
    }
    return trigger;
  });
  const { maxReplicas, pollingIntervalSeconds, cooldownSeconds, scaleDownStabilizationSeconds } = spec;
  const scaledObject = {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: make(spec.name, spec.component),
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: spec.name },
      minReplicaCount: spec.minReplicas,
      ...maxReplicas !== void 0 ? { maxReplicaCount: maxReplicas } : {},
      ...pollingIntervalSeconds !== void 0 ? { pollingInterval: pollingIntervalSeconds } : {},
      ...cooldownSeconds !== void 0 ? { cooldownPeriod: cooldownSeconds } : {},
      // KEDA hands this to the HPA it makes (autoscaling/v2 behavior).
      ...scaleDownStabilizationSeconds !== void 0 ? {
        advanced: {
          horizontalPodAutoscalerConfig: {
            behavior: { scaleDown: { stabilizationWindowSeconds: scaleDownStabilizationSeconds } }
          }
        }
      } : {},
      triggers
    }
  };
  return { secrets, triggerAuthentications, scaledObjects: [scaledObject] };
}
function withIdentity(auth, identity) {
  if (!auth.podIdentity || auth.podIdentity.identityId || !identity) return auth;
  return { ...auth, podIdentity: { ...auth.podIdentity, identityId: identity.defaultClientId } };
}
function triggerAuthentication(auth, app, container, make) {
  const shape = { ...auth, literals: Object.keys(auth.literals ?? {}) };
  const objectName = `${app}-${auth.purpose}-${hash(shape).slice(0, 8)}`;
  const literals = Object.entries(auth.literals ?? {});
  const secret = literals.length > 0 ? {
    apiVersion: "v1",
    kind: "Secret",
    metadata: make(objectName, "trigger-auth"),
    type: "Opaque",
    data: base64Values(Object.fromEntries(literals))
  } : void 0;
  const object = {
    apiVersion: "keda.sh/v1alpha1",
    kind: "TriggerAuthentication",
    metadata: make(objectName, "trigger-auth"),
    spec: {
      ...auth.podIdentity ? { podIdentity: auth.podIdentity } : {},
      ...auth.env ? { env: auth.env.map(({ parameter, name }) => ({ parameter, name, containerName: container })) } : {},
      ...secret ? { secretTargetRef: literals.map(([parameter]) => ({ parameter, name: objectName, key: parameter })) } : {}
    }
  };
  return { object, ...secret ? { secret } : {} };
}

// src/render/workloads.ts
var HOST_PORT = 80;
function functionDeployment(pod, deploymentName, component, functions, objectMetadata, http) {
  const labels = {
    ...objectMetadata?.labels ?? {},
    ...componentSelector(pod.app, component),
    ...pod.workloadIdentity ? { [WORKLOAD_IDENTITY_USE_LABEL]: "true" } : {}
  };
  const account = http ? { serviceAccountName: http.serviceAccount } : { ...pod.workloadIdentity ? { serviceAccountName: pod.app } : {}, automountServiceAccountToken: false };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: objectMetadata,
    spec: {
      selector: { matchLabels: componentSelector(pod.app, component) },
      template: {
        metadata: { labels, ...Object.keys(pod.annotations).length > 0 ? { annotations: pod.annotations } : {} },
        spec: {
          containers: [hostContainer(pod, deploymentName, functions, http)],
          ...account,
          ...pod.pullSecret ? { imagePullSecrets: [{ name: pod.pullSecret }] } : {}
        }
      }
    }
  };
}
function hostContainer(pod, name, functions, http) {
  const probe = (periodSeconds, failureThreshold) => ({
    // Anonymous and served by the host itself, so it answers whatever the functions do.
    httpGet: { path: "/admin/host/ping", port: "http" },
    periodSeconds,
    failureThreshold,
    timeoutSeconds: 5
  });
  return {
    name,
    image: pod.image,
    ports: [{ name: "http", containerPort: HOST_PORT, protocol: "TCP" }],
    env: [
      // Each Deployment's host loads exactly its own functions.
      ...functions.map((fn, index) => ({ name: `AzureFunctionsJobHost__functions__${index}`, value: fn.name })),
      ...http?.env ?? []
    ],
    ...pod.envFrom && pod.envFrom.length > 0 ? { envFrom: pod.envFrom } : {},
    resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } },
    // The host and its language worker can take a while to start.
    startupProbe: probe(2, 60),
    readinessProbe: probe(10, 3),
    livenessProbe: probe(20, 3),
    securityContext: { allowPrivilegeEscalation: false }
  };
}

// src/render/event-part.ts
function eventPart(parts, pod, options, make) {
  const { name } = options;
  const minReplicas = parts.alwaysOn ? Math.max(1, options.scaling.minReplicas) : options.scaling.minReplicas;
  const deployment = functionDeployment(pod, name, "events", parts.events, make(name, "events"));
  const serviceAccounts = pod.workloadIdentity ? [eventServiceAccount(name, pod.workloadIdentity, make)] : [];
  if (parts.scalers.length === 0) {
    deployment.spec = { replicas: minReplicas, ...deployment.spec };
    return { secrets: [], serviceAccounts, deployments: [deployment], triggerAuthentications: [], scaledObjects: [] };
  }
  const { maxReplicas, pollingIntervalSeconds, cooldownSeconds } = options.scaling;
  const keda = kedaObjects(
    name,
    { name, component: "events", container: name, minReplicas, maxReplicas, pollingIntervalSeconds, cooldownSeconds },
    parts.scalers,
    make,
    pod.workloadIdentity
  );
  return { ...keda, serviceAccounts, deployments: [deployment] };
}

// src/render/http-part.ts
function httpPart(functions, pod, options, make, scaler) {
  const { name, namespace } = options;
  const httpName = `${name}-http`;
  const keysName = keysSecretName(name);
  const keysManager = `${name}-function-keys`;
  const service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: make(httpName, "http"),
    spec: {
      type: options.scaling.serviceType,
      selector: componentSelector(name, "http"),
      ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }]
    }
  };
  const deployment = functionDeployment(pod, httpName, "http", functions, make(httpName, "http"), {
    serviceAccount: keysManager,
    env: [
      { name: "AzureWebJobsSecretStorageType", value: "kubernetes" },
      { name: "AzureWebJobsKubernetesSecretName", value: `secrets/${keysName}` }
    ]
  });
  const { httpReplicas, httpPrometheus, pollingIntervalSeconds } = options.scaling;
  deployment.spec = {
    // Scaled, its count belongs to KEDA's HPA, and a redeploy must not reset it.
    ...scaler ? {} : { replicas: httpReplicas },
    ...deployment.spec,
    // Keep serving while a new version starts.
    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } }
  };
  const keda = scaler ? kedaObjects(
    name,
    {
      name: httpName,
      component: "http",
      container: httpName,
      minReplicas: httpReplicas,
      maxReplicas: httpPrometheus?.maxReplicas,
      pollingIntervalSeconds,
      scaleDownStabilizationSeconds: httpPrometheus?.scaleDownStabilizationSeconds
    },
    [scaler],
    make,
    pod.workloadIdentity
  ) : { secrets: [], triggerAuthentications: [], scaledObjects: [] };
  return {
    ...keda,
    // The host creates and rotates the keys itself; we only make the Secret exist
    // (so it belongs to the app) and let the host's service account manage it.
    secrets: [
      { apiVersion: "v1", kind: "Secret", metadata: make(keysName, "function-keys"), type: "Opaque" },
      ...keda.secrets
    ],
    rbac: keysRbac(keysManager, keysName, namespace, make, pod),
    services: [service],
    deployments: [deployment]
  };
}
function keysRbac(keysManager, keysName, namespace, make, pod) {
  const identity = pod.workloadIdentity ? { annotations: identityAnnotations(pod.workloadIdentity) } : {};
  return [
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { ...make(keysManager, "function-keys"), ...identity }
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: make(keysManager, "function-keys"),
      rules: [
        {
          apiGroups: [""],
          resources: ["secrets"],
          resourceNames: [keysName],
          verbs: ["get", "list", "watch", "update", "patch"]
        }
      ]
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: make(keysManager, "function-keys"),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: keysManager },
      subjects: [{ kind: "ServiceAccount", name: keysManager, namespace }]
    }
  ];
}

// src/render/scalers.ts
function storageQueue(context) {
  const queueName = required(context, "queueName");
  const conn = connection(context, stringProperty(context.fn.trigger, "connection"), "AzureWebJobsStorage");
  if (conn.identity) {
    return {
      type: "azure-queue",
      metadata: { queueName, ...storageAccount(context, conn, "queue") },
      auth: workloadIdentity(conn.identity)
    };
  }
  return { type: "azure-queue", metadata: { queueName, connectionFromEnv: conn.setting } };
}
function storageBlob(context) {
  const path = required(context, "path");
  const slash = path.indexOf("/");
  const blobContainerName = slash < 0 ? path : path.slice(0, slash);
  const literal = slash < 0 ? "" : path.slice(slash + 1).split("{")[0] ?? "";
  const blobPrefix = literal.slice(0, Math.max(literal.lastIndexOf("/"), 0));
  const metadata = { blobContainerName, ...blobPrefix ? { blobPrefix } : {} };
  const conn = connection(context, stringProperty(context.fn.trigger, "connection"), "AzureWebJobsStorage");
  if (conn.identity) {
    return {
      type: "azure-blob",
      metadata: { ...metadata, ...storageAccount(context, conn, "blob") },
      auth: workloadIdentity(conn.identity)
    };
  }
  return { type: "azure-blob", metadata: { ...metadata, connectionFromEnv: conn.setting } };
}
function serviceBus(context) {
  const { fn } = context;
  const queue = stringProperty(fn.trigger, "queueName");
  const topic = stringProperty(fn.trigger, "topicName");
  let entity;
  if (queue) {
    entity = { queueName: resolved(context, "queueName", queue) };
  } else if (topic) {
    entity = {
      topicName: resolved(context, "topicName", topic),
      subscriptionName: required(context, "subscriptionName")
    };
  } else {
    throw new UserError(
      `${fn.source}: function '${fn.name}': serviceBusTrigger needs "queueName", or "topicName" and "subscriptionName"`,
      fn.source
    );
  }
  const conn = connection(context, stringProperty(context.fn.trigger, "connection"), "AzureWebJobsServiceBus");
  if (conn.identity) {
    const namespace = firstLabel(
      context,
      conn,
      identityValue(context, conn, "Service Bus namespace", "fullyQualifiedNamespace")
    );
    return { type: "azure-servicebus", metadata: { ...entity, namespace }, auth: workloadIdentity(conn.identity) };
  }
  return { type: "azure-servicebus", metadata: { ...entity, connectionFromEnv: conn.setting } };
}
function eventHub(context) {
  const { fn } = context;
  const hubName = stringProperty(fn.trigger, "eventHubName") || stringProperty(fn.trigger, "path");
  const consumerGroup = stringProperty(fn.trigger, "consumerGroup");
  const conn = connection(context, stringProperty(context.fn.trigger, "connection"), "AzureWebJobsEventHub");
  const storage = connection(context, "", "AzureWebJobsStorage");
  const metadata = {
    ...hubName ? valueOrEnv(context, "eventHubName", hubName) : {},
    consumerGroup: consumerGroup ? resolved(context, "consumerGroup", consumerGroup) : "$Default",
    // Read the checkpoints the Functions host writes, not KEDA's own layout.
    checkpointStrategy: "azureFunction"
  };
  if (storage.identity) {
    metadata.storageAccountName = storage.identity.accountname ?? firstLabel(
      context,
      storage,
      identityValue(context, storage, "checkpoint storage account", "accountName", "blobServiceUri")
    );
  } else {
    metadata.storageConnectionFromEnv = storage.setting;
  }
  if (!conn.identity) {
    if (storage.identity) {
      throw new UserError(
        `${fn.source}: function '${fn.name}': the event hub connection '${conn.setting}' is a connection string but '${storage.setting}' is identity-based; KEDA needs both the same way`,
        fn.source
      );
    }
    return { type: "azure-eventhub", metadata: { ...metadata, connectionFromEnv: conn.setting } };
  }
  if (!hubName) {
    throw new UserError(
      `${fn.source}: function '${fn.name}': an identity-based eventHubTrigger needs "eventHubName"`,
      fn.source
    );
  }
  metadata.eventHubNamespace = firstLabel(
    context,
    conn,
    identityValue(context, conn, "Event Hubs namespace", "fullyQualifiedNamespace")
  );
  return { type: "azure-eventhub", metadata, auth: workloadIdentity(conn.identity) };
}
var KAFKA_SASL = {
  plain: "plaintext",
  scramsha256: "scram_sha256",
  scramsha512: "scram_sha512",
  gssapi: "gssapi",
  oauthbearer: "oauthbearer"
};
function kafka(context) {
  const { fn, settings } = context;
  const brokerList = present(context, "brokerList");
  const brokers = settingReference(brokerList) !== void 0 ? valueOrEnv(context, "bootstrapServers", brokerList) : settings.values[brokerList] !== void 0 || !/^[^\s,]+:\d+(,[^\s,]+:\d+)*$/.test(brokerList) ? valueOrEnv(context, "bootstrapServers", `%${brokerList}%`) : { bootstrapServers: brokerList };
  const topic = present(context, "topic");
  const metadata = {
    ...brokers,
    ...valueOrEnv(context, "topic", topic),
    ...valueOrEnv(context, "consumerGroup", stringProperty(fn.trigger, "consumerGroup") || "$Default")
  };
  const protocol = stringProperty(fn.trigger, "protocol").toLowerCase();
  const mode = stringProperty(fn.trigger, "authenticationMode").toLowerCase().replace(/[-_]/g, "");
  const usesSasl = protocol.startsWith("sasl");
  if (protocol === "ssl" || protocol === "saslssl") metadata.tls = "enable";
  if (usesSasl) {
    const sasl = Object.hasOwn(KAFKA_SASL, mode || "plain") ? KAFKA_SASL[mode || "plain"] : void 0;
    if (!sasl) {
      throw new UserError(
        `${fn.source}: function '${fn.name}': kafkaTrigger "authenticationMode" '${mode}' is not one KEDA supports (plain, scramSha256, scramSha512, gssapi, oauthBearer)`,
        fn.source
      );
    }
    metadata.sasl = sasl;
  }
  const env = [];
  const literals = {};
  for (const parameter of ["username", "password"]) {
    const value = stringProperty(fn.trigger, parameter);
    if (!value) continue;
    const setting = settingReference(value) ?? (settings.values[value] !== void 0 ? value : void 0);
    if (setting === void 0) {
      literals[parameter] = value;
    } else {
      expectSetting(context, setting);
      env.push({ parameter, name: setting });
    }
  }
  if (usesSasl && env.length + Object.keys(literals).length === 0) {
    throw new UserError(
      `${fn.source}: function '${fn.name}': kafkaTrigger uses SASL but has no "username" and "password"`,
      fn.source
    );
  }
  const auth = env.length + Object.keys(literals).length > 0 ? { purpose: "kafka", ...env.length ? { env } : {}, ...Object.keys(literals).length ? { literals } : {} } : void 0;
  return { type: "kafka", metadata, ...auth ? { auth } : {} };
}
function rabbitMq(context) {
  const { fn } = context;
  const queueName = required(context, "queueName");
  const setting = stringProperty(fn.trigger, "connectionStringSetting") || stringProperty(fn.trigger, "connection");
  if (!setting) {
    throw new UserError(
      `${fn.source}: function '${fn.name}': rabbitMQTrigger needs "connectionStringSetting" (the app setting holding the amqp:// URI)`,
      fn.source
    );
  }
  const host = settingReference(setting) ?? setting;
  expectSetting(context, host);
  return { type: "rabbitmq", metadata: { queueName, hostFromEnv: host, mode: "QueueLength", value: "5" } };
}

// src/render/triggers.ts
var WEBHOOK_TRIGGERS = /* @__PURE__ */ new Set([
  "eventgridtrigger",
  "authenticationeventstrigger",
  "signalrtrigger",
  "mcptooltrigger"
]);
var DURABLE_TRIGGERS = /* @__PURE__ */ new Set(["orchestrationtrigger", "activitytrigger", "entitytrigger"]);
function planTrigger(fn, settings, host, warn) {
  const context = { fn, settings, host, warn };
  const type = fn.trigger.type.toLowerCase();
  switch (type) {
    case "httptrigger":
      return { part: "http" };
    case "queuetrigger":
      return { part: "events", scaler: storageQueue(context) };
    case "blobtrigger":
      if (stringProperty(fn.trigger, "source").toLowerCase() === "eventgrid") {
        return { part: "http", warning: webhookWarning(fn, "blobTrigger with source EventGrid") };
      }
      return { part: "events", scaler: storageBlob(context) };
    case "servicebustrigger":
      return { part: "events", scaler: serviceBus(context) };
    case "eventhubtrigger":
      return { part: "events", scaler: eventHub(context) };
    case "kafkatrigger":
      return { part: "events", scaler: kafka(context) };
    case "rabbitmqtrigger":
      return { part: "events", scaler: rabbitMq(context) };
    case "timertrigger":
      return {
        part: "events",
        alwaysOn: `${describe(fn)} runs on a schedule, which KEDA cannot wake: the app keeps at least one replica`
      };
  }
  if (WEBHOOK_TRIGGERS.has(type)) return { part: "http", warning: webhookWarning(fn, fn.trigger.type) };
  if (DURABLE_TRIGGERS.has(type)) {
    const storage = host.durableStorage;
    if (storage?.type.toLowerCase() === "mssql") {
      return {
        part: "events",
        scaler: {
          type: "mssql",
          metadata: {
            // The Durable SQL provider's own scale recommendation; target 1 maps it 1:1 to replicas.
            query: `SELECT dt.GetScaleRecommendation(${storage.maxConcurrentOrchestrators ?? 10}, ${storage.maxConcurrentActivities ?? 10})`,
            targetValue: "1",
            connectionStringFromEnv: storage.connectionStringName ?? "SQLDB_Connection"
          }
        }
      };
    }
    return {
      part: "events",
      alwaysOn: `${describe(fn)} uses the Durable ${storage?.type ?? "Azure Storage"} backend, which KEDA cannot scale: the app keeps at least one replica (the mssql storage provider scales to zero)`
    };
  }
  return {
    part: "events",
    alwaysOn: `${describe(fn)}: KEDA has no scaler for ${fn.trigger.type}, so the app keeps at least one replica`
  };
}
function webhookWarning(fn, what) {
  return `${describe(fn)}: ${what} events arrive as webhooks, so it runs in the HTTP Deployment behind the Service, which KEDA does not scale`;
}

// src/render/virtual-nodes.ts
var VIRTUAL_NODE_SELECTOR = {
  "kubernetes.io/role": "agent",
  "kubernetes.io/os": "linux",
  type: "virtual-kubelet"
};
var VIRTUAL_NODE_TOLERATIONS = [
  // The add-on taints its node virtual-kubelet.io/provider=azure:NoSchedule (azure-aci cmd/virtual-kubelet/main.go).
  { key: "virtual-kubelet.io/provider", operator: "Exists" },
  // Earlier ACI connectors' taint.
  { key: "azure.com/aci", effect: "NoSchedule" }
];
function onVirtualNodes(deployment) {
  const template = deployment.spec?.template;
  const containers = (template?.spec?.containers ?? []).map(({ startupProbe, ...container }) => {
    const startWindow = (startupProbe?.periodSeconds ?? 0) * (startupProbe?.failureThreshold ?? 0);
    return container.livenessProbe && startWindow > 0 ? { ...container, livenessProbe: { ...container.livenessProbe, initialDelaySeconds: startWindow } } : container;
  });
  return {
    ...deployment,
    spec: {
      ...deployment.spec,
      template: {
        ...template,
        spec: {
          ...template?.spec,
          containers,
          nodeSelector: { ...template?.spec?.nodeSelector, ...VIRTUAL_NODE_SELECTOR },
          tolerations: [...template?.spec?.tolerations ?? [], ...VIRTUAL_NODE_TOLERATIONS]
        }
      }
    }
  };
}
function placeOnVirtualNodes(events, http, scaling) {
  const virtualNodes = scaling.virtualNodes ?? "none";
  if (virtualNodes === "none") return { deployments: [...events, ...http], warnings: [] };
  const moved = virtualNodes === "all" ? [...events, ...http] : events;
  const deployments = [...events, ...http].map(
    (deployment) => moved.includes(deployment) ? onVirtualNodes(deployment) : deployment
  );
  if (moved.length === 0)
    return {
      deployments,
      warnings: [
        `virtual-nodes: ${virtualNodes}, but the app has no event-driven functions: no pod runs on virtual nodes`
      ]
    };
  const names = moved.map((deployment) => `Deployment/${deployment.metadata?.name}`).join(", ");
  const warnings = scaling.pullSecret === void 0 ? [
    `virtual-nodes: ${names} run on virtual nodes, which cannot pull from a private registry (ACR included) with the cluster's identity: unless the image is public, give pull-secret (an image pull Secret in the format ACI accepts), or the pods fail with InaccessibleImage`
  ] : [];
  return { deployments, warnings };
}

// src/render/render.ts
function render(app, options) {
  const warnings = [];
  const parts = splitFunctions(app, (message) => warnings.push(message));
  const make = objectFactory(options.name, options.namespace);
  const settings = settingsSecret(app.settings.values, options, make);
  const pod = {
    app: options.name,
    image: options.image,
    envFrom: [
      ...settings.secretName ? [{ secretRef: { name: settings.secretName } }] : [],
      ...options.configMapName ? [{ configMapRef: { name: options.configMapName } }] : []
    ],
    annotations: settings.podAnnotations,
    pullSecret: options.scaling.pullSecret,
    workloadIdentity: appIdentity(app.settings, options.workloadIdentity, (message) => warnings.push(message))
  };
  const namespaces = options.namespace === "default" ? [] : [
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: options.namespace, labels: { "app.kubernetes.io/managed-by": MANAGED_BY } }
    }
  ];
  const events = parts.events.length > 0 ? eventPart(parts, pod, options, make) : void 0;
  const { httpPrometheus } = options.scaling;
  if (httpPrometheus && parts.http.length === 0)
    warnings.push("http-scaler: prometheus, but the app has no HTTP functions: there is no HTTP Deployment to scale");
  const httpScaler = httpPrometheus && parts.http.length > 0 ? prometheusScaler(httpPrometheus, app.settings, (message) => warnings.push(message)) : void 0;
  const http = parts.http.length > 0 ? httpPart(parts.http, pod, options, make, httpScaler) : void 0;
  const placed = placeOnVirtualNodes(events?.deployments ?? [], http?.deployments ?? [], options.scaling);
  warnings.push(...placed.warnings);
  const objects = [
    ...namespaces,
    ...settings.objects,
    ...events?.secrets ?? [],
    ...http?.secrets ?? [],
    ...events?.serviceAccounts ?? [],
    ...http?.rbac ?? [],
    ...http?.services ?? [],
    ...placed.deployments,
    ...events?.triggerAuthentications ?? [],
    ...http?.triggerAuthentications ?? [],
    ...events?.scaledObjects ?? [],
    ...http?.scaledObjects ?? []
  ];
  return { objects, warnings };
}
function splitFunctions(app, warn) {
  const parts = { http: [], events: [], scalers: [], alwaysOn: false };
  let alwaysOn = false;
  const scalerKeys = /* @__PURE__ */ new Set();
  for (const fn of app.functions) {
    const plan = planTrigger(fn, app.settings, app.host, warn);
    if (plan.part === "http") {
      parts.http.push(fn);
      if (plan.warning) warn(plan.warning);
      continue;
    }
    parts.events.push(fn);
    if ("alwaysOn" in plan) {
      warn(plan.alwaysOn);
      alwaysOn = true;
    } else {
      const key = JSON.stringify(plan.scaler);
      if (!scalerKeys.has(key)) parts.scalers.push(plan.scaler);
      scalerKeys.add(key);
    }
  }
  return { ...parts, alwaysOn };
}

// src/commands/render.ts
async function renderApp(options, platform) {
  const app = await discoverStage(options, platform);
  const objects = renderStage(app, options.render, platform);
  return { objects, manifests: writeManifests(objects, options) };
}
async function discoverStage(options, platform) {
  const settingsFromExistingObjects = options.render.secretName !== void 0 || options.render.configMapName !== void 0;
  const discovery = await discoverApp(options.app, settingsFromExistingObjects);
  const shown2 = {
    namingTriggerEntities: settingsNamingTriggerEntities(discovery.app.functions),
    inputValues: options.shownInputs
  };
  for (const [name, value] of Object.entries(discovery.app.settings.values)) {
    if (isShownSetting(name, value, shown2)) continue;
    mask(platform, value);
    mask(platform, Buffer.from(value, "utf8").toString("base64"));
  }
  for (const warning of discovery.warnings) platform.warning(oneLine(warning));
  return discovery.app;
}
function renderStage(app, options, log) {
  const rendered = render(app, options);
  for (const warning of rendered.warnings) log.warning(oneLine(warning));
  return rendered.objects;
}
function appSummary(app, objects) {
  const runtime = app.settings.values.FUNCTIONS_WORKER_RUNTIME;
  const shownRuntime = runtime !== void 0 && !isSecretSetting("FUNCTIONS_WORKER_RUNTIME", runtime) ? `; worker runtime ${runtime}` : "";
  const functions = app.functions.map((fn) => `${fn.name} (${fn.trigger.type})`).join(", ");
  const lines = [`functions: ${functions || "none"}${shownRuntime}`];
  for (const object of objects.filter((candidate) => candidate.kind === "ScaledObject")) {
    const { triggers } = object.spec;
    for (const trigger of triggers) {
      const metadata = Object.entries(trigger.metadata).map(
        ([key, value]) => `${key}: ${looksSecret(value) ? "(withheld: it looks like a credential)" : value}`
      );
      lines.push(`ScaledObject ${object.metadata.name}: ${trigger.type} (${metadata.join(", ")})`);
    }
  }
  return lines;
}
function writeManifests(objects, options) {
  const manifests = toYaml(options.showSecrets ? objects : redactSecrets(objects));
  if (options.manifestsOutput !== void 0) writeOutputFile(options.manifestsOutput, manifests, options.showSecrets);
  return manifests;
}
function checkManifestsOutput(path) {
  if (path === void 0) return;
  const problem = (what) => new UserError(`input 'manifests-output': ${what}`);
  let found;
  try {
    found = lstatSync(path);
  } catch (error) {
    const code = error.code;
    if (code !== "ENOENT") throw problem(`cannot write ${path} (${code})`);
    if (!existsSync2(dirname(path))) throw problem(`cannot write ${path}: its folder does not exist`);
    return;
  }
  if (found.isSymbolicLink()) throw problem(`${path} is a symlink: give the path of the file itself`);
  if (!found.isFile()) throw problem(`${path} is not a regular file (a folder, device, FIFO or socket)`);
}
function writeOutputFile(path, content, secret) {
  const problem = (what) => new UserError(`input 'manifests-output': ${what}`);
  const cannotWrite = (error) => problem(`cannot write ${path} (${error.code})`);
  let fd;
  try {
    fd = openSync(
      path,
      constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK,
      secret ? 384 : 420
    );
  } catch (error) {
    if (error.code === "ELOOP")
      throw problem(`${path} is a symlink: give the path of the file itself`);
    throw cannotWrite(error);
  }
  try {
    if (!fstatSync(fd).isFile()) throw problem(`${path} is not a regular file (a device, FIFO or socket)`);
    if (secret) fchmodSync(fd, 384);
    ftruncateSync(fd);
    writeFileSync(fd, content);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw cannotWrite(error);
  } finally {
    closeSync(fd);
  }
}

export {
  appIdentity,
  render,
  renderApp,
  discoverStage,
  renderStage,
  appSummary,
  writeManifests,
  checkManifestsOutput
};
