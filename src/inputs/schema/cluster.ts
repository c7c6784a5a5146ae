import { CLUSTER, DEPLOY, type InputSpec, KEDA_MANIFEST, REMOVE_KEDA } from './spec.js';

/** Where the app goes: the Azure identity, the cluster, KEDA and the rollout. */

export const AZURE_INPUTS: readonly InputSpec[] = [
  {
    name: 'azure-subscription',
    group: 'azure',
    kind: 'string',
    commands: CLUSTER,
    serviceConnection: 'AzureRM',
    description:
      'An Azure Resource Manager service connection: its identity (workload identity federation, service principal secret or certificate, managed identity) and subscription. Inputs given here override it.',
  },
  {
    name: 'client-id',
    group: 'azure',
    kind: 'string',
    commands: CLUSTER,
    description: 'Client (application) ID of the Azure identity.',
  },
  { name: 'tenant-id', group: 'azure', kind: 'string', commands: CLUSTER, description: 'Entra ID tenant.' },
  {
    name: 'subscription-id',
    group: 'azure',
    kind: 'string',
    commands: CLUSTER,
    description: 'Subscription of the AKS cluster.',
  },
  {
    name: 'client-secret',
    visibleRule: 'auth = auto || auth = secret',
    group: 'azure',
    kind: 'string',
    commands: CLUSTER,
    secret: true,
    description: 'Client secret, for auth: secret.',
  },
  {
    name: 'client-certificate',
    visibleRule: 'auth = auto || auth = secret',
    group: 'azure',
    kind: 'text',
    commands: CLUSTER,
    secret: true,
    description:
      'Client certificate for auth: secret instead of a client secret: PEM with the private key (or its base64), or the path of such a file. Convert a PFX with openssl pkcs12 -nodes.',
  },
  {
    name: 'auth',
    group: 'azure',
    kind: 'enum',
    commands: CLUSTER,
    default: 'auto',
    values: ['auto', 'oidc', 'secret', 'workload-identity', 'azure-cli', 'managed-identity'],
    description: 'How to get the Azure identity.',
  },
  {
    name: 'audience',
    visibleRule: 'auth = auto || auth = oidc',
    group: 'azure',
    kind: 'string',
    commands: CLUSTER,
    description:
      'Audience of the GitHub OIDC token, as the federated credential names it. Default: the audience of the cloud (api://AzureADTokenExchange, api://AzureADTokenExchangeUSGov or api://AzureADTokenExchangeChina); set it for a custom cloud.',
  },
  {
    name: 'cloud',
    group: 'azure',
    kind: 'string',
    commands: CLUSTER,
    default: 'AzureCloud',
    description: 'AzureCloud, AzureChinaCloud, AzureUSGovernment, or the https ARM endpoint of a custom cloud.',
  },
];

export const CLUSTER_INPUTS: readonly InputSpec[] = [
  {
    name: 'resource-group',
    group: 'cluster',
    kind: 'string',
    commands: CLUSTER,
    description: 'Resource group of the AKS cluster.',
  },
  { name: 'cluster-name', group: 'cluster', kind: 'string', commands: CLUSTER, description: 'AKS cluster name.' },
  {
    name: 'admin',
    group: 'cluster',
    kind: 'boolean',
    commands: CLUSTER,
    default: 'false',
    description: 'Use the cluster admin credentials.',
  },
  {
    name: 'private-cluster',
    group: 'cluster',
    kind: 'enum',
    commands: DEPLOY,
    default: 'auto',
    values: ['auto', 'true', 'false'],
    description:
      "How to reach an AKS cluster's API server. auto: directly, unless ARM says the cluster is private and its API server cannot be reached from here, then through AKS run command; true: always through AKS run command; false: always directly.",
  },
  {
    name: 'kubernetes-service-connection',
    group: 'cluster',
    kind: 'string',
    commands: CLUSTER,
    serviceConnection: 'kubernetes',
    description:
      'A Kubernetes service connection instead of resource-group and cluster-name or kubeconfig: a kubeconfig (with its context), or a service account token.',
  },
  {
    name: 'kubeconfig',
    group: 'cluster',
    kind: 'string',
    commands: CLUSTER,
    secret: true,
    description: 'A kubeconfig (path or content) instead of resource-group and cluster-name.',
  },
];

export const KEDA_INPUTS: readonly InputSpec[] = [
  {
    name: 'keda',
    group: 'keda',
    kind: 'enum',
    commands: DEPLOY,
    default: 'auto',
    values: ['auto', 'install', 'addon', 'skip'],
    description:
      'auto: install KEDA when none is present; install: install or upgrade to keda-version; addon: enable the AKS add-on; skip: leave KEDA alone.',
  },
  {
    name: 'keda-version',
    visibleRule: 'keda = auto || keda = install',
    group: 'keda',
    kind: 'string',
    commands: DEPLOY,
    default: '2.20.2',
    description: 'KEDA version to install.',
  },
  {
    name: 'keda-namespace',
    visibleRule: 'keda = auto || keda = install',
    group: 'keda',
    kind: 'string',
    commands: DEPLOY,
    default: 'keda',
    description: 'Namespace to install KEDA into.',
  },
  {
    name: 'keda-manifest-url',
    visibleRule: 'keda = auto || keda = install',
    group: 'keda',
    kind: 'string',
    commands: KEDA_MANIFEST,
    description:
      'A mirror of the KEDA install manifest (http(s) URL or file path), downloaded through the tool cache. ' +
      'Default: the manifest the step carries for keda-version, no download.',
  },
  {
    name: 'keda-manifest-sha256',
    visibleRule: 'keda = auto || keda = install',
    group: 'keda',
    kind: 'string',
    commands: KEDA_MANIFEST,
    description:
      'SHA-256 the KEDA manifest must have. Default: the reproduced release hash of keda-version (2.19.0, 2.20.2).',
  },
  {
    name: 'force',
    group: 'keda',
    kind: 'boolean',
    commands: REMOVE_KEDA,
    default: 'false',
    description:
      "Delete every ScaledObject and ScaledJob in the cluster before KEDA, instead of refusing while one exists: KEDA's operator finalizes them while it still runs. What they scaled keeps the replicas KEDA last gave it.",
  },
  {
    name: 'removal-timeout',
    cliAlias: 'timeout',
    group: 'keda',
    kind: 'duration',
    commands: REMOVE_KEDA,
    default: '5m',
    description: "One deadline for KEDA's removal, until its CRDs and its namespace are gone.",
  },
];

export const ROLLOUT_INPUTS: readonly InputSpec[] = [
  {
    name: 'wait',
    group: 'rollout',
    kind: 'boolean',
    commands: DEPLOY,
    default: 'true',
    description: 'Wait for the rollout to be healthy.',
  },
  {
    name: 'timeout',
    visibleRule: 'wait = true',
    group: 'rollout',
    kind: 'duration',
    commands: DEPLOY,
    default: '10m',
    description: 'One deadline for the whole rollout.',
  },
  {
    name: 'rollback-on-failure',
    visibleRule: 'wait = true',
    group: 'rollout',
    kind: 'boolean',
    commands: DEPLOY,
    default: 'false',
    description: 'Restore the previous revision when the rollout fails.',
  },
  {
    name: 'allow-scaler-errors',
    visibleRule: 'wait = true',
    group: 'rollout',
    kind: 'boolean',
    commands: DEPLOY,
    default: 'false',
    description:
      "Accept a ScaledObject whose scaler cannot read its source yet (e.g. its queue is created later): a warning with KEDA's reason instead of a failed rollout.",
  },
  {
    name: 'verify-idle-version',
    visibleRule: 'wait = true',
    group: 'rollout',
    kind: 'boolean',
    commands: DEPLOY,
    default: 'true',
    description:
      'Prove a new version that KEDA keeps at zero replicas: one pod of it, with every function disabled so it takes no event, must become ready, and is removed then. Off: such a version is first started by the first event.',
  },
  {
    name: 'prune',
    group: 'rollout',
    kind: 'boolean',
    commands: DEPLOY,
    default: 'true',
    description: 'Delete objects of this app that are no longer rendered.',
  },
  {
    name: 'force-conflicts',
    group: 'rollout',
    kind: 'boolean',
    commands: DEPLOY,
    default: 'false',
    description: 'Take over fields another field manager owns.',
  },
  {
    name: 'deploy-lease',
    group: 'rollout',
    kind: 'enum',
    commands: DEPLOY,
    default: 'if-permitted',
    values: ['if-permitted', 'required', 'off'],
    description:
      'The Lease that keeps two deploys of the app from running at once. if-permitted: take it, or warn and go on when this identity may not use Leases; required: fail instead; off: do not take one.',
  },
];
