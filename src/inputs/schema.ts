/**
 * The one declarative input schema. The CLI parser, action.yml, task.json and
 * the README tables are all derived from (and tested against) this list, so an
 * input is added here and nowhere else.
 */

export type Command = 'render' | 'deploy' | 'delete';

export type InputKind =
  | 'string'
  | 'path'
  | 'text' // multi-line text (YAML or KEY=VALUE lines)
  | 'boolean'
  | 'integer'
  | 'duration'
  | 'enum';

export type InputGroup =
  'app' | 'image' | 'registry' | 'azure' | 'cluster' | 'settings' | 'scaling' | 'keda' | 'rollout' | 'output';

export interface InputSpec {
  /** kebab-case: action.yml and the CLI; task.json uses the camelCase form. */
  readonly name: string;
  readonly description: string;
  readonly kind: InputKind;
  readonly group: InputGroup;
  readonly commands: readonly Command[];
  readonly default?: string;
  readonly values?: readonly string[];
  /** Masked by the shells and never echoed in errors or logs. */
  readonly secret?: boolean;
  /** Required by these commands. */
  readonly requiredBy?: readonly Command[];
  /** Another CLI spelling, e.g. `--output` for `manifests-output` on render. */
  readonly cliAlias?: string;
  /** A service connection of this type: only the Azure Pipelines task has it, not action.yml or the CLI. */
  readonly serviceConnection?: 'AzureRM' | 'dockerregistry' | 'kubernetes';
  /** task.json's visibleRule (camelCase names): when the classic editor shows the input. */
  readonly visibleRule?: string;
}

const ALL: readonly Command[] = ['render', 'deploy', 'delete'];
const BUILD: readonly Command[] = ['render', 'deploy'];
const DEPLOY: readonly Command[] = ['deploy'];
const CLUSTER: readonly Command[] = ['deploy', 'delete'];

export const INPUTS: readonly InputSpec[] = [
  // app
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
    commands: ALL,
    requiredBy: ALL,
    description:
      'App name: a lower-case RFC 1123 label of at most 47 characters, starting with a letter. Names the Deployments, Service, ScaledObject and Secrets.',
  },
  {
    name: 'namespace',
    group: 'app',
    kind: 'string',
    commands: ALL,
    default: 'default',
    description: 'Kubernetes namespace; created when missing.',
  },
  {
    name: 'triggers',
    group: 'app',
    kind: 'text',
    commands: BUILD,
    description:
      'For code-first apps without function.json (Node.js v4, Python v2): a YAML list of functions, each `{name, type, ...binding properties}`.',
  },
  // image
  {
    name: 'image',
    group: 'image',
    kind: 'string',
    commands: BUILD,
    requiredBy: ['render'],
    description: 'Deploy this image and skip the build.',
  },
  {
    name: 'registry',
    group: 'image',
    kind: 'string',
    commands: DEPLOY,
    description:
      'Registry to push the built image to: an ACR name (myacr) or a login server (myacr.azurecr.io, host:port).',
  },
  {
    name: 'repository',
    group: 'image',
    kind: 'string',
    commands: DEPLOY,
    description: 'Repository in the registry. Default: the app name.',
  },
  {
    name: 'tag',
    group: 'image',
    kind: 'string',
    commands: DEPLOY,
    description: 'Image tag. Default: the commit SHA of the run, else a hash of the build inputs.',
  },
  {
    name: 'build',
    group: 'image',
    kind: 'enum',
    commands: DEPLOY,
    values: ['docker', 'acr', 'none'],
    description:
      'How to build: docker (the local Docker), acr (ACR Tasks, in Azure: no Docker needed), none. Default: none when image is given, else docker.',
  },
  {
    name: 'dockerfile',
    visibleRule: 'build != none',
    group: 'image',
    kind: 'path',
    commands: DEPLOY,
    default: 'Dockerfile',
    description: 'Dockerfile, relative to the build context.',
  },
  {
    name: 'build-context',
    visibleRule: 'build != none',
    group: 'image',
    kind: 'path',
    commands: DEPLOY,
    description: 'Build context. Default: app-path.',
  },
  {
    name: 'build-args',
    visibleRule: 'build != none',
    group: 'image',
    kind: 'text',
    commands: DEPLOY,
    description: 'Build arguments, one KEY=VALUE a line.',
  },
  {
    name: 'platform',
    visibleRule: 'build != none',
    group: 'image',
    kind: 'string',
    commands: DEPLOY,
    default: 'linux/amd64',
    description: 'Target platform of the image.',
  },
  {
    name: 'target',
    visibleRule: 'build != none',
    group: 'image',
    kind: 'string',
    commands: DEPLOY,
    description: 'Build stage of a multi-stage Dockerfile to build.',
  },
  // registry
  {
    name: 'registry-username',
    visibleRule: 'registryLogin != azure',
    group: 'registry',
    kind: 'string',
    commands: DEPLOY,
    description: 'Registry user name; without it, see registry-login.',
  },
  {
    name: 'registry-password',
    visibleRule: 'registryLogin != azure',
    group: 'registry',
    kind: 'string',
    commands: DEPLOY,
    secret: true,
    description: 'Registry password or token.',
  },
  {
    name: 'docker-registry-service-connection',
    group: 'registry',
    kind: 'string',
    commands: DEPLOY,
    serviceConnection: 'dockerregistry',
    description:
      'A Docker Registry service connection to log into instead of registry-username and registry-password: user name and password, or an Azure Container Registry with a service principal. Sets registry when neither registry nor image is given.',
  },
  {
    name: 'registry-login',
    group: 'registry',
    kind: 'enum',
    commands: DEPLOY,
    default: 'auto',
    values: ['auto', 'azure', 'docker'],
    description:
      "Without a user name: azure exchanges the Azure identity's token at the registry (ACR); docker uses Docker's own login; auto: azure for the cloud's ACR login servers (*.azurecr.io), else docker.",
  },
  // azure
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
      'Client certificate for auth: secret instead of a client secret: PEM with the private key, or the path of such a file.',
  },
  {
    name: 'auth',
    group: 'azure',
    kind: 'enum',
    commands: CLUSTER,
    default: 'auto',
    values: ['auto', 'oidc', 'secret', 'azure-cli', 'managed-identity'],
    description: 'How to get the Azure identity.',
  },
  {
    name: 'cloud',
    group: 'azure',
    kind: 'string',
    commands: CLUSTER,
    default: 'AzureCloud',
    description: 'AzureCloud, AzureChinaCloud, AzureUSGovernment, or the https ARM endpoint of a custom cloud.',
  },
  // cluster
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
  // settings
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
    description: 'App settings, one KEY=VALUE a line; override settings-file. Treated as secret.',
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
  // scaling
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
    description: "How often KEDA checks the event sources (seconds, or 30s, 1m). Default: KEDA's (30s).",
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
    description: 'Replicas of the HTTP Deployment (at least 1).',
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
    description: 'imagePullSecret for the pods (not needed when AKS is attached to the ACR).',
  },
  // keda
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
    commands: DEPLOY,
    description: 'Where to fetch the KEDA install manifest. Default: the KEDA release for keda-version.',
  },
  {
    name: 'keda-manifest-sha256',
    visibleRule: 'keda = auto || keda = install',
    group: 'keda',
    kind: 'string',
    commands: DEPLOY,
    description:
      'SHA-256 the KEDA manifest must have. Default: the hash this project keeps for keda-version (2.19.0, 2.20.2).',
  },
  // rollout
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
  // output
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

/** `app-path` → `appPath`, the spelling of task.json. */
export function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
