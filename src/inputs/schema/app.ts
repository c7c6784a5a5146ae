import { APP, BUILD, DEPLOY, type InputSpec } from './spec.js';

/** The app's inputs: where it is, its settings, how it scales, what render writes. */

export const APP_INPUTS: readonly InputSpec[] = [
  {
    name: 'app-path',
    group: 'app',
    kind: 'path',
    commands: BUILD,
    default: '.',
    description: 'Folder of the function app (the one holding host.json).',
  },
  {
    name: 'name',
    group: 'app',
    kind: 'string',
    commands: APP,
    requiredBy: APP,
    description:
      'App name: a lower-case RFC 1123 label of at most 47 characters, starting with a letter. Names the Deployments, Service, ScaledObject and Secrets.',
  },
  {
    name: 'namespace',
    group: 'app',
    kind: 'string',
    commands: APP,
    default: 'default',
    description: 'Kubernetes namespace; created when missing.',
  },
  {
    name: 'indexer',
    group: 'app',
    kind: 'enum',
    commands: BUILD,
    default: 'static',
    values: ['static', 'runtime'],
    description:
      "How a code-first app's functions are found: static reads its source and runs none of it; runtime loads the app in a child process with its own installed libraries and records what they register (Node.js v4: @azure/functions; Python v2: azure-functions, with the app's .venv or python3), for registrations computed as the app loads. runtime runs the app's code, with the app settings as its environment, and needs the app's dependencies installed and its build done.",
  },
  {
    name: 'triggers',
    group: 'app',
    kind: 'text',
    commands: BUILD,
    description:
      'The last resort for code-first apps whose functions neither indexer reads: a YAML list of functions, each `{name, type, ...binding properties}`. Replaces what discovery would find, whatever the indexer.',
  },
];

export const SETTINGS_INPUTS: readonly InputSpec[] = [
  {
    name: 'settings-file',
    group: 'settings',
    kind: 'path',
    commands: BUILD,
    description: 'A local.settings.json whose Values become app settings.',
  },
  {
    name: 'app-settings',
    group: 'settings',
    kind: 'text',
    commands: BUILD,
    secret: true,
    description:
      'App settings, one KEY=VALUE a line, or a multi-line value (a PEM) as KEY<<EOF, its lines, then EOF; override ' +
      'settings-file. Every value is masked in the log but the worker runtime, the parts of an identity-based ' +
      'connection (…__accountName, …__fullyQualifiedNamespace), booleans, numbers of up to five digits, log levels, environment names and values equal ' +
      'to an input that is not secret (the name, the namespace), unless those look secret.',
  },
  {
    name: 'secret-name',
    group: 'settings',
    kind: 'string',
    commands: BUILD,
    description: 'Use this existing Secret for app settings instead of generating one.',
  },
  {
    name: 'config-map-name',
    group: 'settings',
    kind: 'string',
    commands: BUILD,
    description: 'Also load app settings from this existing ConfigMap.',
  },
];

export const SCALING_INPUTS: readonly InputSpec[] = [
  {
    name: 'min-replicas',
    group: 'scaling',
    kind: 'integer',
    commands: BUILD,
    default: '0',
    description: 'Minimum replicas of the event-driven Deployment (raised to 1 for triggers KEDA cannot wake).',
  },
  {
    name: 'max-replicas',
    group: 'scaling',
    kind: 'integer',
    commands: BUILD,
    description: "Maximum replicas of the event-driven Deployment. Default: KEDA's (100).",
  },
  {
    name: 'polling-interval',
    group: 'scaling',
    kind: 'duration',
    commands: BUILD,
    description:
      "How often KEDA checks the event sources and the HTTP Prometheus query (seconds, or 30s, 1m). Default: KEDA's (30s).",
  },
  {
    name: 'cooldown-period',
    group: 'scaling',
    kind: 'duration',
    commands: BUILD,
    description: "How long after the last event KEDA scales to zero. Default: KEDA's (5m).",
  },
  {
    name: 'http-replicas',
    group: 'scaling',
    kind: 'integer',
    commands: BUILD,
    default: '1',
    description: 'Replicas of the HTTP Deployment (at least 1); with http-scaler prometheus, the fewest KEDA keeps.',
  },
  {
    name: 'http-scaler',
    group: 'scaling',
    kind: 'enum',
    commands: BUILD,
    default: 'fixed',
    values: ['fixed', 'prometheus'],
    description:
      "How the HTTP Deployment scales: fixed (http-replicas), or prometheus: a KEDA ScaledObject on a Prometheus query, from http-replicas up to http-max-replicas, one replica per http-prometheus-threshold of the query's value.",
  },
  {
    name: 'http-max-replicas',
    group: 'scaling',
    kind: 'integer',
    commands: BUILD,
    visibleRule: 'httpScaler = prometheus',
    description: "With http-scaler prometheus: the most replicas of the HTTP Deployment. Default: KEDA's (100).",
  },
  {
    name: 'http-prometheus-server-address',
    group: 'scaling',
    kind: 'string',
    commands: BUILD,
    visibleRule: 'httpScaler = prometheus',
    description:
      'With http-scaler prometheus (required): the URL of the Prometheus server KEDA queries (http or https), or %Setting% naming the app setting that holds it.',
  },
  {
    name: 'http-prometheus-query',
    group: 'scaling',
    kind: 'string',
    commands: BUILD,
    visibleRule: 'httpScaler = prometheus',
    description:
      'With http-scaler prometheus (required): the PromQL query, returning one value (such as the request rate); %Setting% in it is replaced by that app setting.',
  },
  {
    name: 'http-prometheus-threshold',
    group: 'scaling',
    kind: 'string',
    commands: BUILD,
    visibleRule: 'httpScaler = prometheus',
    description:
      "With http-scaler prometheus (required): how much of the query's value one replica handles, a number above 0 (KEDA's threshold).",
  },
  {
    name: 'http-prometheus-auth',
    group: 'scaling',
    kind: 'text',
    commands: BUILD,
    secret: true,
    visibleRule: 'httpScaler = prometheus',
    description:
      'With http-scaler prometheus: how KEDA signs in to Prometheus, one parameter=value a line: bearerToken; username and password; customAuthHeader and customAuthValue; cert and key (ca alone for a private CA); or podIdentity=azure-workload (and identityId) for Azure Monitor managed Prometheus. A value written %Setting% is read from that app setting; any other is kept in a generated Secret.',
  },
  {
    name: 'http-scale-down-stabilization',
    group: 'scaling',
    kind: 'duration',
    commands: BUILD,
    visibleRule: 'httpScaler = prometheus',
    description:
      "With http-scaler prometheus: how long the load must stay low before HTTP replicas are removed. Default: the HPA's (5m).",
  },
  {
    name: 'service-type',
    group: 'scaling',
    kind: 'enum',
    commands: BUILD,
    default: 'LoadBalancer',
    values: ['LoadBalancer', 'ClusterIP', 'NodePort'],
    description: 'Type of the HTTP Service.',
  },
  {
    name: 'pull-secret',
    group: 'scaling',
    kind: 'string',
    commands: BUILD,
    description: 'imagePullSecret for the pods (not needed when AKS is attached to the ACR, except on virtual nodes).',
  },
  {
    name: 'virtual-nodes',
    group: 'scaling',
    kind: 'enum',
    commands: BUILD,
    default: 'none',
    values: ['none', 'events', 'all'],
    description:
      'Run pods on AKS virtual nodes (Azure Container Instances): none, events (the event-driven Deployment) or all (the HTTP Deployment too), with the node selector and tolerations AKS documents.',
  },
];

export const OUTPUT_INPUTS: readonly InputSpec[] = [
  {
    name: 'dry-run',
    group: 'output',
    kind: 'boolean',
    commands: DEPLOY,
    default: 'false',
    description: 'Validate and render only; change nothing.',
  },
  {
    name: 'manifests-output',
    group: 'output',
    kind: 'path',
    commands: BUILD,
    cliAlias: 'output',
    description: 'Write the rendered objects to this file.',
  },
  {
    name: 'show-secrets',
    group: 'output',
    kind: 'boolean',
    commands: BUILD,
    default: 'false',
    description: 'Show Secret values in rendered output instead of a placeholder.',
  },
];
