import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  notThroughRunCommand
} from "./chunk-2YTUPEG6.js";
import {
  IMAGE_TAG,
  REPOSITORY_PATH,
  loginServer,
  parseImageReference
} from "./chunk-YAX33JQR.js";
import {
  KEDA_MANIFEST_SHA256
} from "./chunk-CHEWDH2Y.js";
import {
  prometheusAddressProblem,
  prometheusAuthModes
} from "./chunk-DLRMTJLB.js";
import {
  isValidSettingKey
} from "./chunk-PEBGFQGG.js";
import {
  KEYS_SECRET_PREFIX
} from "./chunk-RX4NZAIJ.js";
import {
  isCustomCloudUrl,
  knownCloud
} from "./chunk-ZSHJFUU6.js";
import {
  UserError
} from "./chunk-TE2V2DN4.js";

// src/inputs/schema/spec.ts
var APP = ["render", "deploy", "delete"];
var BUILD = ["render", "deploy"];
var DEPLOY = ["deploy"];
var CLUSTER = ["deploy", "delete", "remove-keda"];
var KEDA_MANIFEST = ["deploy", "remove-keda"];
var REMOVE_KEDA = ["remove-keda"];

// src/inputs/schema/app.ts
var APP_INPUTS = [
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
    commands: APP,
    requiredBy: APP,
    description: "App name: a lower-case RFC 1123 label of at most 47 characters, starting with a letter. Names the Deployments, Service, ScaledObject and Secrets."
  },
  {
    name: "namespace",
    group: "app",
    kind: "string",
    commands: APP,
    default: "default",
    description: "Kubernetes namespace; created when missing."
  },
  {
    name: "indexer",
    group: "app",
    kind: "enum",
    commands: BUILD,
    default: "static",
    values: ["static", "runtime"],
    description: "How a code-first app's functions are found: static reads its source and runs none of it; runtime loads the app in a child process with its own installed libraries and records what they register (Node.js v4: @azure/functions; Python v2: azure-functions, with the app's .venv or python3), for registrations computed as the app loads. runtime runs the app's code, with the app settings as its environment, and needs the app's dependencies installed and its build done."
  },
  {
    name: "triggers",
    group: "app",
    kind: "text",
    commands: BUILD,
    description: "The last resort for code-first apps whose functions neither indexer reads: a YAML list of functions, each `{name, type, ...binding properties}`. Replaces what discovery would find, whatever the indexer."
  }
];
var SETTINGS_INPUTS = [
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
    description: "App settings, one KEY=VALUE a line, or a multi-line value (a PEM) as KEY<<EOF, its lines, then EOF; override settings-file. Every value is masked in the log but the worker runtime, the parts of an identity-based connection (\u2026__accountName, \u2026__fullyQualifiedNamespace), booleans, numbers of up to five digits, log levels, environment names and values equal to an input that is not secret (the name, the namespace), unless those look secret."
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
  }
];
var SCALING_INPUTS = [
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
    description: "How often KEDA checks the event sources and the HTTP Prometheus query (seconds, or 30s, 1m). Default: KEDA's (30s)."
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
    description: "Replicas of the HTTP Deployment (at least 1); with http-scaler prometheus, the fewest KEDA keeps."
  },
  {
    name: "http-scaler",
    group: "scaling",
    kind: "enum",
    commands: BUILD,
    default: "fixed",
    values: ["fixed", "prometheus"],
    description: "How the HTTP Deployment scales: fixed (http-replicas), or prometheus: a KEDA ScaledObject on a Prometheus query, from http-replicas up to http-max-replicas, one replica per http-prometheus-threshold of the query's value."
  },
  {
    name: "http-max-replicas",
    group: "scaling",
    kind: "integer",
    commands: BUILD,
    visibleRule: "httpScaler = prometheus",
    description: "With http-scaler prometheus: the most replicas of the HTTP Deployment. Default: KEDA's (100)."
  },
  {
    name: "http-prometheus-server-address",
    group: "scaling",
    kind: "string",
    commands: BUILD,
    visibleRule: "httpScaler = prometheus",
    description: "With http-scaler prometheus (required): the URL of the Prometheus server KEDA queries (http or https), or %Setting% naming the app setting that holds it."
  },
  {
    name: "http-prometheus-query",
    group: "scaling",
    kind: "string",
    commands: BUILD,
    visibleRule: "httpScaler = prometheus",
    description: "With http-scaler prometheus (required): the PromQL query, returning one value (such as the request rate); %Setting% in it is replaced by that app setting."
  },
  {
    name: "http-prometheus-threshold",
    group: "scaling",
    kind: "string",
    commands: BUILD,
    visibleRule: "httpScaler = prometheus",
    description: "With http-scaler prometheus (required): how much of the query's value one replica handles, a number above 0 (KEDA's threshold)."
  },
  {
    name: "http-prometheus-auth",
    group: "scaling",
    kind: "text",
    commands: BUILD,
    secret: true,
    visibleRule: "httpScaler = prometheus",
    description: "With http-scaler prometheus: how KEDA signs in to Prometheus, one parameter=value a line: bearerToken; username and password; customAuthHeader and customAuthValue; cert and key (ca alone for a private CA); or podIdentity=azure-workload (and identityId) for Azure Monitor managed Prometheus. A value written %Setting% is read from that app setting; any other is kept in a generated Secret."
  },
  {
    name: "http-scale-down-stabilization",
    group: "scaling",
    kind: "duration",
    commands: BUILD,
    visibleRule: "httpScaler = prometheus",
    description: "With http-scaler prometheus: how long the load must stay low before HTTP replicas are removed. Default: the HPA's (5m)."
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
    description: "imagePullSecret for the pods (not needed when AKS is attached to the ACR, except on virtual nodes)."
  },
  {
    name: "virtual-nodes",
    group: "scaling",
    kind: "enum",
    commands: BUILD,
    default: "none",
    values: ["none", "events", "all"],
    description: "Run pods on AKS virtual nodes (Azure Container Instances): none, events (the event-driven Deployment) or all (the HTTP Deployment too), with the node selector and tolerations AKS documents."
  }
];
var OUTPUT_INPUTS = [
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

// src/inputs/schema/cluster.ts
var AZURE_INPUTS = [
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
    description: "Client certificate for auth: secret instead of a client secret: PEM with the private key (or its base64), or the path of such a file. Convert a PFX with openssl pkcs12 -nodes."
  },
  {
    name: "auth",
    group: "azure",
    kind: "enum",
    commands: CLUSTER,
    default: "auto",
    values: ["auto", "oidc", "secret", "workload-identity", "azure-cli", "managed-identity"],
    description: "How to get the Azure identity."
  },
  {
    name: "audience",
    visibleRule: "auth = auto || auth = oidc",
    group: "azure",
    kind: "string",
    commands: CLUSTER,
    description: "Audience of the GitHub OIDC token, as the federated credential names it. Default: the audience of the cloud (api://AzureADTokenExchange, api://AzureADTokenExchangeUSGov or api://AzureADTokenExchangeChina); set it for a custom cloud."
  },
  {
    name: "cloud",
    group: "azure",
    kind: "string",
    commands: CLUSTER,
    default: "AzureCloud",
    description: "AzureCloud, AzureChinaCloud, AzureUSGovernment, or the https ARM endpoint of a custom cloud."
  }
];
var CLUSTER_INPUTS = [
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
    name: "private-cluster",
    group: "cluster",
    kind: "enum",
    commands: DEPLOY,
    default: "auto",
    values: ["auto", "true", "false"],
    description: "How to reach an AKS cluster's API server. auto: directly, unless ARM says the cluster is private and its API server cannot be reached from here, then through AKS run command; true: always through AKS run command; false: always directly."
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
  }
];
var KEDA_INPUTS = [
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
    commands: KEDA_MANIFEST,
    description: "A mirror of the KEDA install manifest (http(s) URL or file path), downloaded through the tool cache. Default: the manifest the step carries for keda-version, no download."
  },
  {
    name: "keda-manifest-sha256",
    visibleRule: "keda = auto || keda = install",
    group: "keda",
    kind: "string",
    commands: KEDA_MANIFEST,
    description: "SHA-256 the KEDA manifest must have. Default: the reproduced release hash of keda-version (2.19.0, 2.20.2)."
  },
  {
    name: "force",
    group: "keda",
    kind: "boolean",
    commands: REMOVE_KEDA,
    default: "false",
    description: "Delete every ScaledObject and ScaledJob in the cluster before KEDA, instead of refusing while one exists: KEDA's operator finalizes them while it still runs. What they scaled keeps the replicas KEDA last gave it."
  },
  {
    name: "removal-timeout",
    cliAlias: "timeout",
    group: "keda",
    kind: "duration",
    commands: REMOVE_KEDA,
    default: "5m",
    description: "One deadline for KEDA's removal, until its CRDs and its namespace are gone."
  }
];
var ROLLOUT_INPUTS = [
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
    name: "allow-scaler-errors",
    visibleRule: "wait = true",
    group: "rollout",
    kind: "boolean",
    commands: DEPLOY,
    default: "false",
    description: "Accept a ScaledObject whose scaler cannot read its source yet (e.g. its queue is created later): a warning with KEDA's reason instead of a failed rollout."
  },
  {
    name: "verify-idle-version",
    visibleRule: "wait = true",
    group: "rollout",
    kind: "boolean",
    commands: DEPLOY,
    default: "true",
    description: "Prove a new version that KEDA keeps at zero replicas: one pod of it, with every function disabled so it takes no event, must become ready, and is removed then. Off: such a version is first started by the first event."
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
  {
    name: "deploy-lease",
    group: "rollout",
    kind: "enum",
    commands: DEPLOY,
    default: "if-permitted",
    values: ["if-permitted", "required", "off"],
    description: "The Lease that keeps two deploys of the app from running at once. if-permitted: take it, or warn and go on when this identity may not use Leases; required: fail instead; off: do not take one."
  }
];

// src/inputs/schema/image.ts
var IMAGE_INPUTS = [
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
  }
];
var REGISTRY_INPUTS = [
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
  }
];

// src/inputs/schema/identity.ts
var WORKLOAD_IDENTITY_INPUTS = [
  {
    name: "workload-identity",
    group: "azure",
    kind: "string",
    commands: BUILD,
    description: "Client ID of the user-assigned managed identity the app's pods run as (Azure workload identity): their service accounts name it, KEDA's TriggerAuthentications use it. Default: the first <connection>__clientId of the app settings."
  },
  {
    name: "workload-identity-tenant",
    group: "azure",
    kind: "string",
    commands: BUILD,
    description: "Tenant of the workload identity, when it is not the cluster's (the service accounts' azure.workload.identity/tenant-id)."
  },
  {
    name: "workload-identity-resource-ids",
    group: "azure",
    kind: "text",
    commands: DEPLOY,
    description: "Resource IDs of the app's managed identities, one a line (/subscriptions/\u2026/resourceGroups/\u2026/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>): where deploy finds them to add their federated credentials, with no role beyond one on each identity (Managed Identity Contributor). Without it, an identity is found by its client ID in a list of the cluster's resource group's identities, then the subscription's, which needs Reader there."
  },
  {
    name: "federated-credentials",
    group: "azure",
    kind: "enum",
    commands: DEPLOY,
    default: "ensure",
    values: ["ensure", "check"],
    description: "ensure: create on each managed identity the federated credentials its pods and KEDA's operator need (issuer: the AKS cluster's OIDC issuer); check: only warn of missing ones, for identities managed elsewhere."
  }
];

// src/inputs/schema.ts
var INPUTS = [
  ...APP_INPUTS,
  ...IMAGE_INPUTS,
  ...REGISTRY_INPUTS,
  ...AZURE_INPUTS,
  ...WORKLOAD_IDENTITY_INPUTS,
  ...CLUSTER_INPUTS,
  ...SETTINGS_INPUTS,
  ...SCALING_INPUTS,
  ...KEDA_INPUTS,
  ...ROLLOUT_INPUTS,
  ...OUTPUT_INPUTS
];
function camelCase(name) {
  return name.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());
}

// src/inputs/checks.ts
var NAME_MAX_LENGTH = 47;
var DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
var DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
var GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function checkAppName(name) {
  if (name.length > NAME_MAX_LENGTH || !DNS_LABEL.test(name)) {
    throw new UserError(
      `input 'name': '${name}' is not a valid app name: use lower-case letters, digits and '-', start with a letter, end with a letter or digit, at most ${NAME_MAX_LENGTH} characters (so that '${name.slice(0, 20)}\u2026-http' and the other generated names stay valid)`
    );
  }
  if (name.startsWith(KEYS_SECRET_PREFIX)) {
    throw new UserError(
      `input 'name': '${name}' starts with '${KEYS_SECRET_PREFIX}': the app's settings Secret, named after it, would be the keys Secret of app '${name.slice(KEYS_SECRET_PREFIX.length)}'; choose another name`
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
  const lines = (text ?? "").split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    const where = `input '${input}', line ${index + 1}`;
    const equals = line.indexOf("=");
    const heredoc = line.indexOf("<<");
    const isHeredoc = heredoc >= 0 && (equals < 0 || heredoc < equals);
    const split = isHeredoc ? heredoc : equals;
    const key = split < 0 ? "" : line.slice(0, split).trim();
    if (key === "") throw new UserError(`${where}: expected KEY=VALUE or KEY<<DELIMITER`);
    if (!isValidSettingKey(key)) {
      throw new UserError(
        `${where}: the key is not a valid setting name (letters, digits, '-', '_' and '.'; use '__' for nesting)`
      );
    }
    if (!isHeredoc) {
      result[key] = line.slice(equals + 1);
      if (/^\s*-----BEGIN /.test(result[key]) && !result[key].includes("-----END "))
        throw new UserError(`${where}: a PEM value spans several lines: write it as KEY<<DELIMITER`);
      continue;
    }
    const delimiter = line.slice(heredoc + 2).trim();
    if (delimiter === "" || /\s/.test(delimiter)) throw new UserError(`${where}: KEY<<DELIMITER needs a delimiter`);
    const end = lines.findIndex((other, at) => at > index && other.trim() === delimiter);
    if (end < 0) throw new UserError(`${where}: KEY<<DELIMITER has no line with its DELIMITER to end the value`);
    result[key] = lines.slice(index + 1, end).join("\n");
    index = end;
  }
  return result;
}

// src/inputs/http-scaling.ts
var PROMETHEUS_INPUTS = [
  "http-max-replicas",
  "http-prometheus-server-address",
  "http-prometheus-query",
  "http-prometheus-threshold",
  "http-prometheus-auth",
  "http-scale-down-stabilization"
];
var KEDA_MAX_REPLICAS = 100;
var DECIMAL = /^(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
function resolveHttpPrometheus(values, httpReplicas) {
  if (values.required("http-scaler") !== "prometheus") {
    const stray = PROMETHEUS_INPUTS.find((name) => values.string(name) !== void 0);
    if (stray) throw new UserError(`input '${stray}' applies only with http-scaler: prometheus`);
    return void 0;
  }
  const required = (name, what) => {
    const value = values.string(name);
    if (value === void 0) throw new UserError(`input '${name}' is required with http-scaler: prometheus (${what})`);
    return value;
  };
  const serverAddress = required("http-prometheus-server-address", "the Prometheus server KEDA queries");
  const problem = serverAddress.includes("%") ? void 0 : prometheusAddressProblem(serverAddress);
  if (problem) throw new UserError(`input 'http-prometheus-server-address' ${problem}`);
  const query = required("http-prometheus-query", "the PromQL query whose value scales the HTTP Deployment");
  const threshold = required("http-prometheus-threshold", "how much of the query's value one replica handles");
  if (!DECIMAL.test(threshold) || !(Number(threshold) > 0) || !Number.isFinite(Number(threshold)))
    throw new UserError(
      `input 'http-prometheus-threshold': '${threshold}' is not a number above 0 (how much of the query's value one replica handles, such as 100 or 0.5)`
    );
  const maxReplicas = values.integer("http-max-replicas");
  if ((maxReplicas ?? KEDA_MAX_REPLICAS) < httpReplicas)
    throw new UserError(
      `input 'http-replicas' (${httpReplicas}), the fewest replicas KEDA keeps, is more than ` + (maxReplicas !== void 0 ? `input 'http-max-replicas' (${maxReplicas})` : `KEDA's default maximum (${KEDA_MAX_REPLICAS}): give http-max-replicas`)
    );
  const auth = parseKeyValueLines("http-prometheus-auth", values.string("http-prometheus-auth"));
  prometheusAuthModes(auth);
  return {
    serverAddress,
    query,
    threshold,
    ...maxReplicas !== void 0 ? { maxReplicas } : {},
    ...values.string("http-scale-down-stabilization") !== void 0 ? { scaleDownStabilizationSeconds: values.seconds("http-scale-down-stabilization") } : {},
    auth: { ...auth }
  };
}

// src/inputs/identity.ts
function resolveWorkloadIdentity(values) {
  const clientId = values.string("workload-identity");
  const tenantId = values.string("workload-identity-tenant");
  if (clientId !== void 0 && !GUID.test(clientId))
    throw new UserError(
      `input 'workload-identity': '${clientId}' is not a client ID (a GUID): give the client ID of the user-assigned managed identity (az identity show --query clientId)`
    );
  if (tenantId !== void 0 && !GUID.test(tenantId))
    throw new UserError(`input 'workload-identity-tenant': '${tenantId}' is not a tenant ID (a GUID)`);
  if (tenantId !== void 0 && clientId === void 0)
    throw new UserError(`input 'workload-identity-tenant' is given without input 'workload-identity'`);
  return clientId === void 0 ? void 0 : { clientId, ...tenantId ? { tenantId } : {} };
}
var IDENTITY_RESOURCE_ID = /^\/subscriptions\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/resourceGroups\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/]+$/i;
function resolveFederation(values) {
  const lines = (values.string("workload-identity-resource-ids") ?? "").split(/\r?\n/).map((line) => line.trim());
  const resourceIds = lines.filter((line, index) => {
    if (line === "") return false;
    if (!IDENTITY_RESOURCE_ID.test(line))
      throw new UserError(
        `input 'workload-identity-resource-ids': line ${index + 1} is not the resource ID of a user-assigned managed identity (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>; az identity show --query id)`
      );
    return true;
  });
  return { mode: values.required("federated-credentials"), resourceIds };
}

// src/inputs/app.ts
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
  const httpPrometheus = resolveHttpPrometheus(values, httpReplicas);
  return {
    minReplicas,
    maxReplicas,
    pollingIntervalSeconds,
    cooldownSeconds: values.seconds("cooldown-period"),
    httpReplicas,
    ...httpPrometheus ? { httpPrometheus } : {},
    serviceType: values.required("service-type"),
    pullSecret: checkObjectName("pull-secret", values.string("pull-secret")),
    virtualNodes: values.required("virtual-nodes")
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
    triggers: values.string("triggers"),
    indexer: values.required("indexer")
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
    configMapName: checkObjectName("config-map-name", values.string("config-map-name")),
    workloadIdentity: resolveWorkloadIdentity(values)
  };
}

// src/inputs/cluster.ts
function resolveCluster(values, required) {
  const kubeconfig = values.string("kubeconfig");
  const resourceGroup = values.string("resource-group");
  const clusterName = values.string("cluster-name");
  if (kubeconfig !== void 0 && (resourceGroup !== void 0 || clusterName !== void 0)) {
    throw new UserError(
      `input 'kubeconfig' is given together with '${resourceGroup !== void 0 ? "resource-group" : "cluster-name"}': give a kubeconfig, or an AKS cluster, not both`
    );
  }
  if (kubeconfig !== void 0) {
    if (values.string("private-cluster") === "true")
      throw new UserError(
        `input 'private-cluster': true needs an AKS cluster (resource-group and cluster-name), not a kubeconfig`
      );
    return { kubeconfig };
  }
  if (resourceGroup === void 0 && clusterName === void 0) {
    if (required)
      throw new UserError(
        `input 'resource-group' and 'cluster-name' (an AKS cluster), or 'kubeconfig', are required` + (values.command === "deploy" ? " (or dry-run: true to render only)" : "")
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
  const privateCluster = values.string("private-cluster") ?? "false";
  return { aks: { subscriptionId, resourceGroup, clusterName, admin: values.boolean("admin"), privateCluster } };
}
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
  const audience = values.string("audience");
  if (audience !== void 0 && /\s/.test(audience))
    throw new UserError(`input 'audience': '${audience}' is not an audience (an application ID URI, no spaces)`);
  return {
    cloud,
    auth: values.required("auth"),
    audience,
    clientId,
    tenantId,
    clientSecret: values.string("client-secret"),
    clientCertificate: values.string("client-certificate")
  };
}

// src/inputs/image.ts
var PUSH_TARGET_INPUTS = ["registry", "repository", "tag"];
var PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
function resolveImage(values) {
  const image = values.string("image");
  const build = values.string("build") ?? (image === void 0 ? "docker" : "none");
  const pushTarget = PUSH_TARGET_INPUTS.filter((name) => values.string(name) !== void 0);
  if (image !== void 0 && pushTarget.length > 0 && values.string("build") !== "none") {
    throw new UserError(
      `inputs 'image' and '${pushTarget[0]}' both name the image: give image to deploy it (or, with build: docker, to push the build there), or registry with repository and tag`
    );
  }
  const credentials = registryCredentials(values);
  const login = values.required("registry-login");
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
      login,
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
    if (login === "docker")
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
    login,
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

// src/inputs/values.ts
function shownInputValues(raw) {
  return new Set(
    INPUTS.filter((spec) => !spec.secret && spec.kind !== "text").flatMap((spec) => {
      const value = raw[spec.name]?.trim();
      return value ? [value] : [];
    })
  );
}
var MAX_INTEGER = 2147483647;
var MAX_DURATION_SECONDS = 24 * 3600;
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

// src/inputs/resolve.ts
function resolveRenderCommand(raw) {
  const values = new InputValues("render", raw);
  return {
    render: resolveRenderOptions(values, values.required("image")),
    app: resolveAppSource(values),
    manifestsOutput: values.string("manifests-output"),
    showSecrets: values.boolean("show-secrets"),
    shownInputs: shownInputValues(raw)
  };
}
function resolveDeployCommand(raw) {
  const values = new InputValues("deploy", raw);
  const image = resolveImage(values);
  const dryRun = values.boolean("dry-run");
  const cluster = resolveCluster(values, !dryRun);
  const timeoutSeconds = positiveSeconds(values, "timeout");
  const keda = resolveKeda(values, cluster !== void 0 && "aks" in cluster);
  const rollbackOnFailure = values.boolean("rollback-on-failure");
  if (cluster !== void 0 && "aks" in cluster && cluster.aks.privateCluster === "true") {
    const refusal = notThroughRunCommand({ dryRun, rollbackOnFailure });
    if (refusal) throw refusal;
  }
  return {
    render: resolveAppObjects(values),
    image,
    app: resolveAppSource(values),
    manifestsOutput: values.string("manifests-output"),
    showSecrets: values.boolean("show-secrets"),
    shownInputs: shownInputValues(raw),
    dryRun,
    cluster,
    azure: resolveAzure(values),
    keda,
    federation: resolveFederation(values),
    apply: {
      prune: values.boolean("prune"),
      forceConflicts: values.boolean("force-conflicts"),
      lease: values.required("deploy-lease")
    },
    rollout: {
      wait: values.boolean("wait"),
      timeoutSeconds,
      rollbackOnFailure,
      allowScalerErrors: values.boolean("allow-scaler-errors"),
      verifyIdleVersion: values.boolean("verify-idle-version")
    }
  };
}
function resolveKeda(values, onAks) {
  const mode = values.required("keda");
  if (mode === "addon" && !onAks) {
    throw new UserError(`input 'keda': addon needs an AKS cluster given by resource-group and cluster-name`);
  }
  if (values.required("keda-namespace") !== "keda") {
    throw new UserError(`input 'keda-namespace': KEDA's install manifest installs into 'keda' only`);
  }
  const version = values.required("keda-version");
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    throw new UserError(`input 'keda-version': '${version}' is not a version like 2.20.2`);
  }
  const manifestSha256 = kedaManifestSha256(values);
  const manifestUrl = values.string("keda-manifest-url");
  if (mode !== "skip" && KEDA_MANIFEST_SHA256[version] === void 0) {
    const missing = [
      manifestUrl === void 0 ? "'keda-manifest-url' (a copy of its install manifest)" : void 0,
      manifestSha256 === void 0 ? "'keda-manifest-sha256'" : void 0
    ].filter((input) => input !== void 0);
    if (missing.length > 0) {
      const known = Object.keys(KEDA_MANIFEST_SHA256).join(" or ");
      throw new UserError(
        `input 'keda-version': this step carries the manifests of KEDA ${known} only; for KEDA ${version} give input ${missing.join(" and ")}, or use ${known}`
      );
    }
  }
  return { mode, version, manifestUrl, manifestSha256 };
}
function kedaManifestSha256(values) {
  const manifestSha256 = values.string("keda-manifest-sha256")?.toLowerCase();
  if (manifestSha256 !== void 0 && !/^[a-f0-9]{64}$/.test(manifestSha256)) {
    throw new UserError(`input 'keda-manifest-sha256': '${manifestSha256}' is not a SHA-256 (64 hex digits)`);
  }
  return manifestSha256;
}
function positiveSeconds(values, name) {
  const seconds = values.seconds(name);
  if (seconds === 0) throw new UserError(`input '${name}': must be at least 1 second`);
  return seconds;
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
function resolveRemoveKedaCommand(raw) {
  const values = new InputValues("remove-keda", raw);
  return {
    cluster: resolveCluster(values, true),
    azure: resolveAzure(values),
    keda: {
      force: values.boolean("force"),
      timeoutSeconds: positiveSeconds(values, "removal-timeout"),
      manifestUrl: values.string("keda-manifest-url"),
      manifestSha256: kedaManifestSha256(values)
    }
  };
}

// src/report/summary.ts
function summaryMarkdown(app, namespace, result) {
  const rows = [
    ["image", `\`${result.image}\``],
    ["namespace", `\`${namespace}\``],
    ...result.kedaVersion ? [["KEDA", result.kedaVersion]] : [],
    [
      "rollout",
      result.rollout ? `healthy in ${result.rollout.seconds.toFixed(1)}s` : result.applied.length > 0 ? "not waited for" : "dry run: nothing applied"
    ],
    ...result.serviceIp ? [["service address", `\`${result.serviceIp}\``]] : [],
    ...result.timings?.total !== void 0 ? [["time", stageTimes(result.timings)]] : []
  ];
  const lines = [
    `### ${app} deployed`,
    "",
    "| | |",
    "|---|---|",
    ...rows.map(([name, value]) => `| ${name} | ${value} |`),
    ""
  ];
  if (result.applied.length > 0) {
    lines.push(
      "| object | change |",
      "|---|---|",
      ...result.applied.map((object) => `| ${object.kind}/${object.name} | ${object.action} |`),
      ""
    );
  }
  const urls = Object.entries(result.functionUrls ?? {});
  if (urls.length > 0)
    lines.push("| function | URL |", "|---|---|", ...urls.map(([name, url]) => `| ${name} | ${withoutKey(url)} |`), "");
  return lines.join("\n");
}
function stageTimes(timings) {
  const stages = Object.entries(timings).filter(([stage, value]) => stage !== "total" && value !== void 0);
  return `${timings.total}s (${stages.map(([stage, value]) => `${stage} ${value}s`).join(", ")})`;
}
function withoutKey(url) {
  const parsed = new URL(url);
  parsed.searchParams.delete("code");
  return decodeURI(parsed.toString());
}

export {
  parseKeyValueLines,
  INPUTS,
  camelCase,
  shownInputValues,
  resolveRenderCommand,
  resolveDeployCommand,
  resolveDeleteCommand,
  resolveRemoveKedaCommand,
  summaryMarkdown
};
