import { UserError } from '../errors.js';
import type { AksCluster } from '../azure/aks.js';
import { isCustomCloudUrl, knownCloud } from '../azure/clouds.js';
import type { IdentityOptions } from '../azure/identity.js';
import { KEDA_MANIFEST_SHA256 } from '../keda/releases.js';
import { IMAGE_TAG, type ImageReference, parseImageReference, REPOSITORY_PATH } from '../registry/reference.js';
import { loginServer, type RegistryCredentials } from '../registry/registry.js';
import { type Command, type InputSpec, INPUTS } from './schema.js';

/** Raw input strings by kebab-case name, as a shell read them. */
export type RawInputs = Readonly<Record<string, string | undefined>>;

export type ServiceType = 'LoadBalancer' | 'ClusterIP' | 'NodePort';

export interface ScalingOptions {
  readonly minReplicas: number;
  readonly maxReplicas?: number;
  readonly pollingIntervalSeconds?: number;
  readonly cooldownSeconds?: number;
  readonly httpReplicas: number;
  readonly serviceType: ServiceType;
  readonly pullSecret?: string;
}

/** Where the app and its settings come from (the discovery stage's input). */
export interface AppSource {
  readonly appPath: string;
  readonly settingsFile?: string;
  /** From the app-settings input; override the settings file. */
  readonly appSettings: Readonly<Record<string, string>>;
  /** The triggers input, still as text: discovery parses it. */
  readonly triggers?: string;
}

/** What render needs besides the app. */
export interface RenderOptions {
  readonly name: string;
  readonly namespace: string;
  readonly image: string;
  readonly scaling: ScalingOptions;
  /** Existing objects that hold the settings instead of a generated Secret. */
  readonly secretName?: string;
  readonly configMapName?: string;
}

export interface RenderCommandOptions {
  readonly app: AppSource;
  readonly render: RenderOptions;
  readonly manifestsOutput?: string;
  readonly showSecrets: boolean;
}

export const NAME_MAX_LENGTH = 47;
const MAX_INTEGER = 2_147_483_647;
const MAX_DURATION_SECONDS = 24 * 3600;
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SETTING_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * Inputs checked against the schema: every given input applies to the command
 * and has a well-formed value, before anything reads it.
 */
export class InputValues {
  private readonly values = new Map<string, string>();

  constructor(
    readonly command: Command,
    raw: RawInputs,
  ) {
    for (const spec of INPUTS) {
      const given = raw[spec.name];
      if (given !== undefined && given.trim() !== '' && !spec.commands.includes(command)) {
        throw new UserError(`input '${spec.name}' does not apply to ${command}`);
      }
    }
    for (const spec of INPUTS.filter((input) => input.commands.includes(command))) {
      const given = raw[spec.name];
      const value =
        given === undefined || given.trim() === '' ? spec.default : spec.kind === 'text' ? given : given.trim();
      if (value === undefined) {
        if (spec.requiredBy?.includes(command)) throw new UserError(`input '${spec.name}' is required`);
        continue;
      }
      this.values.set(spec.name, checkKind(spec, value));
    }
  }

  string(name: string): string | undefined {
    return this.values.get(name);
  }

  required(name: string): string {
    const value = this.values.get(name);
    if (value === undefined) throw new UserError(`input '${name}' is required for ${this.command}`);
    return value;
  }

  boolean(name: string): boolean {
    return this.values.get(name)?.toLowerCase() === 'true';
  }

  integer(name: string): number | undefined {
    const value = this.values.get(name);
    return value === undefined ? undefined : Number(value);
  }

  seconds(name: string): number | undefined {
    const value = this.values.get(name);
    return value === undefined ? undefined : durationSeconds(value);
  }
}

function checkKind(spec: InputSpec, value: string): string {
  const shown = spec.secret ? '' : ` '${value}'`;
  switch (spec.kind) {
    case 'boolean':
      if (!/^(true|false)$/i.test(value)) throw new UserError(`input '${spec.name}':${shown} is not true or false`);
      return value.toLowerCase();
    case 'integer':
      if (!/^\d+$/.test(value)) throw new UserError(`input '${spec.name}':${shown} is not a whole number of 0 or more`);
      // Kubernetes counts replicas in 32 bits.
      if (Number(value) > MAX_INTEGER) throw new UserError(`input '${spec.name}':${shown} is more than ${MAX_INTEGER}`);
      return value;
    case 'duration': {
      const seconds = durationSeconds(value);
      if (seconds === undefined)
        throw new UserError(
          `input '${spec.name}':${shown} is not a duration (seconds, or a number with s, m or h: 30s, 5m, 1h30m)`,
        );
      if (seconds > MAX_DURATION_SECONDS) throw new UserError(`input '${spec.name}':${shown} is more than 24h`);
      return value;
    }
    case 'enum': {
      const match = spec.values?.find((allowed) => allowed.toLowerCase() === value.toLowerCase());
      if (!match) throw new UserError(`input '${spec.name}':${shown} is not one of ${spec.values?.join(', ')}`);
      return match;
    }
    default:
      return value;
  }
}

/** `90`, `90s`, `5m`, `1h30m` → seconds; anything else → undefined. */
export function durationSeconds(value: string): number | undefined {
  if (/^\d+$/.test(value)) return Number(value);
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (!match || value === '') return undefined;
  const [, hours = '0', minutes = '0', seconds = '0'] = match;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}

export function checkAppName(name: string): string {
  if (name.length > NAME_MAX_LENGTH || !DNS_LABEL.test(name)) {
    throw new UserError(
      `input 'name': '${name}' is not a valid app name: use lower-case letters, digits and '-', start with a letter, end with a letter or digit, at most ${NAME_MAX_LENGTH} characters (so that '${name.slice(0, 20)}…-http' and the other generated names stay valid)`,
    );
  }
  return name;
}

function checkLabel(input: string, value: string | undefined, max = 63): string | undefined {
  if (value !== undefined && (value.length > max || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value))) {
    throw new UserError(
      `input '${input}': '${value}' is not a valid Kubernetes name (lower-case letters, digits and '-', at most ${max} characters)`,
    );
  }
  return value;
}

function checkObjectName(input: string, value: string | undefined): string | undefined {
  if (value !== undefined && (value.length > 253 || !DNS_SUBDOMAIN.test(value))) {
    throw new UserError(
      `input '${input}': '${value}' is not a valid Kubernetes object name (lower-case letters, digits, '-' and '.')`,
    );
  }
  return value;
}

export function checkImageReference(input: string, value: string): string {
  if (parseImageReference(value) === undefined) {
    throw new UserError(
      `input '${input}': '${value}' is not a valid image reference ([registry/]repository[:tag][@sha256:digest])`,
    );
  }
  return value;
}

/**
 * KEY=VALUE lines (blank lines and # comments skipped). Values are secret, so
 * errors name the line and the key, never the value.
 */
export function parseKeyValueLines(input: string, text: string | undefined): Record<string, string> {
  // No prototype: a key named `constructor` or `__proto__` is a key like any other.
  const result: Record<string, string> = Object.create(null);
  (text ?? '').split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const equals = line.indexOf('=');
    const key = equals < 0 ? '' : line.slice(0, equals).trim();
    if (equals <= 0 || key === '') throw new UserError(`input '${input}', line ${index + 1}: expected KEY=VALUE`);
    if (!SETTING_KEY.test(key)) {
      throw new UserError(
        `input '${input}', line ${index + 1}: '${key}' is not a valid setting name (letters, digits, '-', '_' and '.'; use '__' for nesting)`,
      );
    }
    result[key] = line.slice(equals + 1);
  });
  return result;
}

export function isValidSettingKey(key: string): boolean {
  return SETTING_KEY.test(key);
}

export function resolveScaling(values: InputValues): ScalingOptions {
  const minReplicas = values.integer('min-replicas') ?? 0;
  const maxReplicas = values.integer('max-replicas');
  if (maxReplicas !== undefined && maxReplicas < 1) throw new UserError(`input 'max-replicas': must be at least 1`);
  if (maxReplicas !== undefined && minReplicas > maxReplicas) {
    throw new UserError(`input 'min-replicas' (${minReplicas}) is greater than input 'max-replicas' (${maxReplicas})`);
  }
  const pollingIntervalSeconds = values.seconds('polling-interval');
  if (pollingIntervalSeconds === 0) throw new UserError(`input 'polling-interval': must be at least 1 second`);
  const httpReplicas = values.integer('http-replicas') ?? 1;
  if (httpReplicas < 1)
    throw new UserError(`input 'http-replicas': must be at least 1 (HTTP functions need a replica to answer)`);
  return {
    minReplicas,
    maxReplicas,
    pollingIntervalSeconds,
    cooldownSeconds: values.seconds('cooldown-period'),
    httpReplicas,
    serviceType: values.required('service-type') as ServiceType,
    pullSecret: checkObjectName('pull-secret', values.string('pull-secret')),
  };
}

export function resolveAppSource(values: InputValues): AppSource {
  const appSettings = parseKeyValueLines('app-settings', values.string('app-settings'));
  const secretName = values.string('secret-name');
  if (
    secretName !== undefined &&
    (Object.keys(appSettings).length > 0 || values.string('settings-file') !== undefined)
  ) {
    throw new UserError(
      `input 'secret-name' is set together with settings-file or app-settings: use an existing Secret or generated settings, not both`,
    );
  }
  return {
    appPath: values.required('app-path'),
    settingsFile: values.string('settings-file'),
    appSettings,
    triggers: values.string('triggers'),
  };
}

export function resolveRenderOptions(values: InputValues, image: string): RenderOptions {
  return { ...resolveAppObjects(values), image: checkImageReference('image', image) };
}

/** Render options that do not depend on the image. */
function resolveAppObjects(values: InputValues): Omit<RenderOptions, 'image'> {
  return {
    name: checkAppName(values.required('name')),
    namespace: checkLabel('namespace', values.required('namespace')) as string,
    scaling: resolveScaling(values),
    secretName: checkObjectName('secret-name', values.string('secret-name')),
    configMapName: checkObjectName('config-map-name', values.string('config-map-name')),
  };
}

/** The `render` command: every input checked before any file is read. */
export function resolveRenderCommand(raw: RawInputs): RenderCommandOptions {
  const values = new InputValues('render', raw);
  return {
    render: resolveRenderOptions(values, values.required('image')),
    app: resolveAppSource(values),
    manifestsOutput: values.string('manifests-output'),
    showSecrets: values.boolean('show-secrets'),
  };
}

export type KedaMode = 'auto' | 'install' | 'addon' | 'skip';

/** The image to deploy: given, or built here and pushed. */
export type ImagePlan = GivenImagePlan | BuildPlan;

export interface GivenImagePlan {
  readonly build: 'none';
  readonly image: string;
  /** To read the tag's digest from the registry; absent: the Azure identity for an ACR, else anonymous. */
  readonly credentials?: RegistryCredentials;
  readonly platform: string;
}

export interface BuildPlan {
  /** docker: the local Docker; acr: ACR Tasks, with the Azure identity. */
  readonly build: 'docker' | 'acr';
  /** Registry login server, e.g. myacr.azurecr.io or 127.0.0.1:5000. */
  readonly server: string;
  /** Path in the registry, e.g. team/orders. */
  readonly repository: string;
  /** Absent: the run's commit, else the build-inputs hash. */
  readonly tag?: string;
  readonly context: string;
  /** As given: relative to the context. */
  readonly dockerfile: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly platform: string;
  /** The stage of a multi-stage Dockerfile. */
  readonly target?: string;
  /** The registry's subscription, for build: acr. */
  readonly subscriptionId?: string;
  /** Absent: the Azure identity, or Docker's own login (docker login, az acr login). */
  readonly credentials?: RegistryCredentials;
}

export type RegistryLogin = 'auto' | 'azure' | 'docker';

export interface DeployCommandOptions extends Omit<RenderCommandOptions, 'render'> {
  readonly render: Omit<RenderOptions, 'image'>;
  readonly image: ImagePlan;
  /** How to log into the registry without a user name and password. */
  readonly registryLogin: RegistryLogin;
  readonly dryRun: boolean;
  /** Absent only for a dry run that renders without a cluster. */
  readonly cluster?: ClusterSource;
  readonly azure: AzureOptions;
  readonly keda: {
    readonly mode: KedaMode;
    readonly version: string;
    readonly manifestUrl?: string;
    readonly manifestSha256?: string;
  };
  readonly rollout: {
    readonly wait: boolean;
    readonly timeoutSeconds: number;
    readonly rollbackOnFailure: boolean;
    readonly prune: boolean;
    readonly forceConflicts: boolean;
  };
}

/** The `deploy` command (and the Action and the task): every input checked before anything runs. */
export function resolveDeployCommand(raw: RawInputs): DeployCommandOptions {
  const values = new InputValues('deploy', raw);
  const image = resolveImagePlan(values);
  const dryRun = values.boolean('dry-run');
  const cluster = resolveCluster(values, !dryRun);
  const timeoutSeconds = values.seconds('timeout') ?? 600;
  if (timeoutSeconds === 0) throw new UserError(`input 'timeout': must be at least 1 second`);
  const mode = values.required('keda') as KedaMode;
  if (mode === 'addon' && !(cluster !== undefined && 'aks' in cluster))
    throw new UserError(`input 'keda': addon needs an AKS cluster given by resource-group and cluster-name`);
  // KEDA's install manifest puts everything in 'keda'; detection finds KEDA in any namespace.
  if (values.required('keda-namespace') !== 'keda')
    throw new UserError(`input 'keda-namespace': KEDA's install manifest installs into 'keda' only`);
  const version = values.required('keda-version');
  if (!/^\d+\.\d+\.\d+$/.test(version))
    throw new UserError(`input 'keda-version': '${version}' is not a version like 2.20.2`);
  const manifestSha256 = values.string('keda-manifest-sha256')?.toLowerCase();
  if (manifestSha256 !== undefined && !/^[a-f0-9]{64}$/.test(manifestSha256))
    throw new UserError(`input 'keda-manifest-sha256': '${manifestSha256}' is not a SHA-256 (64 hex digits)`);
  if (mode !== 'skip' && manifestSha256 === undefined && KEDA_MANIFEST_SHA256[version] === undefined) {
    throw new UserError(
      `input 'keda-version': no SHA-256 is known for KEDA ${version}'s manifest; give input 'keda-manifest-sha256', or use ${Object.keys(KEDA_MANIFEST_SHA256).join(' or ')}`,
    );
  }
  return {
    render: resolveAppObjects(values),
    image,
    registryLogin: values.required('registry-login') as RegistryLogin,
    app: resolveAppSource(values),
    manifestsOutput: values.string('manifests-output'),
    showSecrets: values.boolean('show-secrets'),
    dryRun,
    cluster,
    azure: resolveAzure(values),
    keda: { mode, version, manifestUrl: values.string('keda-manifest-url'), manifestSha256 },
    rollout: {
      wait: values.boolean('wait'),
      timeoutSeconds,
      rollbackOnFailure: values.boolean('rollback-on-failure'),
      prune: values.boolean('prune'),
      forceConflicts: values.boolean('force-conflicts'),
    },
  };
}

const PUSH_TARGET_INPUTS = ['registry', 'repository', 'tag'] as const;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;

/**
 * `image` alone deploys that image; `registry` (+ `repository`, `tag`) or an
 * `image` with build: docker names where the build is pushed.
 */
function resolveImagePlan(values: InputValues): ImagePlan {
  const image = values.string('image');
  const build = values.string('build') ?? (image === undefined ? 'docker' : 'none');
  const pushTarget = PUSH_TARGET_INPUTS.filter((name) => values.string(name) !== undefined);
  if (image !== undefined && pushTarget.length > 0 && values.string('build') !== 'none') {
    throw new UserError(
      `inputs 'image' and '${pushTarget[0]}' both name the image: give image to deploy it (or, with build: docker, to push the build there), or registry with repository and tag`,
    );
  }
  const credentials = registryCredentials(values);
  const platform = values.required('platform');
  if (!PLATFORM.test(platform))
    throw new UserError(`input 'platform': '${platform}' is not a platform like linux/amd64 or linux/arm64/v8`);
  if (build === 'none') {
    if (image === undefined) throw new UserError(`input 'image' is required when input 'build' is none`);
    if (pushTarget.length > 0)
      throw new UserError(
        `input '${pushTarget[0]}' is for pushing a build, but input 'build' is none: the image is deployed as given`,
      );
    return {
      build: 'none',
      image: checkImageReference('image', image),
      platform,
      ...(credentials ? { credentials } : {}),
    };
  }
  const target =
    image === undefined ? pushTargetFromInputs(values) : pushTargetFromImage(image, values.required('cloud'));
  const stage = values.string('target');
  if (stage !== undefined && !/^[a-zA-Z0-9][-\w.]*$/.test(stage))
    throw new UserError(`input 'target': '${stage}' is not a build stage name`);
  if (build === 'acr') {
    // ACR Tasks run in Azure with the identity's rights: there is no Docker login to give.
    if (credentials !== undefined)
      throw new UserError(
        `input 'registry-username': build: acr signs in with the Azure identity, not a user name and password`,
      );
    if (values.required('registry-login') === 'docker')
      throw new UserError(
        `input 'registry-login': build: acr signs in with the Azure identity (azure or auto), not Docker's login`,
      );
    if (values.string('subscription-id') === undefined)
      throw new UserError(`input 'subscription-id' is required for build: acr (the registry's subscription)`);
  }
  return {
    build: build as 'docker' | 'acr',
    ...target,
    target: stage,
    subscriptionId: values.string('subscription-id'),
    context: values.string('build-context') ?? values.required('app-path'),
    dockerfile: values.required('dockerfile'),
    buildArgs: parseKeyValueLines('build-args', values.string('build-args')),
    platform,
    ...(credentials ? { credentials } : {}),
  };
}

type PushTarget = Pick<BuildPlan, 'server' | 'repository' | 'tag'>;

function registryCredentials(values: InputValues): RegistryCredentials | undefined {
  const username = values.string('registry-username');
  const password = values.string('registry-password');
  if ((username === undefined) !== (password === undefined)) {
    throw new UserError(
      `input '${username === undefined ? 'registry-username' : 'registry-password'}' is required with input '${username === undefined ? 'registry-password' : 'registry-username'}'`,
    );
  }
  return username !== undefined && password !== undefined ? { username, password } : undefined;
}

function pushTargetFromInputs(values: InputValues): PushTarget {
  const registry = values.string('registry');
  if (registry === undefined)
    throw new UserError(
      `input 'registry' is required to push the built image (or give input 'image' to deploy a built one)`,
    );
  const repository = values.string('repository') ?? values.required('name');
  if (!REPOSITORY_PATH.test(repository))
    throw new UserError(
      `input 'repository': '${repository}' is not a repository path (lower-case letters, digits, '.', '_', '-', '/' between parts)`,
    );
  const tag = values.string('tag');
  if (tag !== undefined && !IMAGE_TAG.test(tag))
    throw new UserError(
      `input 'tag': '${tag}' is not an image tag (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-')`,
    );
  return { server: loginServer(registry, values.required('cloud')), repository, tag };
}

/** With build: docker, `image` is the push target: `server/repository[:tag]`, no digest (the build makes it). */
function pushTargetFromImage(image: string, cloud: string): PushTarget {
  const reference = parseImageReference(checkImageReference('image', image)) as ImageReference;
  if (reference.digest)
    throw new UserError(
      `input 'image': '${image}' has a digest, but build: docker pushes a new image; drop the digest, or set build: none to deploy it as is`,
    );
  if (reference.host === undefined)
    throw new UserError(
      `input 'image': '${image}' does not name a registry to push to; use registry.example/${image} or input 'registry'`,
    );
  return { server: loginServer(reference.host, cloud), repository: reference.repository, tag: reference.tag };
}

export interface DeleteCommandOptions {
  readonly name: string;
  readonly namespace: string;
  readonly cluster: ClusterSource;
  readonly azure: AzureOptions;
}

export function resolveDeleteCommand(raw: RawInputs): DeleteCommandOptions {
  const values = new InputValues('delete', raw);
  return {
    name: checkAppName(values.required('name')),
    namespace: checkLabel('namespace', values.required('namespace')) as string,
    cluster: resolveCluster(values, true) as ClusterSource,
    azure: resolveAzure(values),
  };
}

/** A kubeconfig (path or content), or an AKS cluster whose credentials come through ARM. */
export type ClusterSource = { readonly kubeconfig: string } | { readonly aks: AksCluster };

function resolveCluster(values: InputValues, required: boolean): ClusterSource | undefined {
  const kubeconfig = values.string('kubeconfig');
  const resourceGroup = values.string('resource-group');
  const clusterName = values.string('cluster-name');
  if (kubeconfig !== undefined && (resourceGroup !== undefined || clusterName !== undefined)) {
    throw new UserError(
      `input 'kubeconfig' is given together with '${resourceGroup !== undefined ? 'resource-group' : 'cluster-name'}': give a kubeconfig, or an AKS cluster, not both`,
    );
  }
  if (kubeconfig !== undefined) return { kubeconfig };
  if (resourceGroup === undefined && clusterName === undefined) {
    if (required)
      throw new UserError(
        `input 'resource-group' and 'cluster-name' (an AKS cluster), or 'kubeconfig', are required (or dry-run: true to render only)`,
      );
    return undefined;
  }
  if (resourceGroup === undefined || clusterName === undefined) {
    throw new UserError(
      `input '${resourceGroup === undefined ? 'resource-group' : 'cluster-name'}' is required with input '${resourceGroup === undefined ? 'cluster-name' : 'resource-group'}'`,
    );
  }
  // ARM's own rules for these names, so a typo is caught here and not as a 404.
  if (!/^[-\w.()]{1,90}$/.test(resourceGroup) || resourceGroup.endsWith('.'))
    throw new UserError(`input 'resource-group': '${resourceGroup}' is not a resource group name`);
  if (!/^[a-zA-Z0-9][-_a-zA-Z0-9]{0,62}$/.test(clusterName))
    throw new UserError(`input 'cluster-name': '${clusterName}' is not an AKS cluster name`);
  const subscriptionId = values.string('subscription-id');
  if (subscriptionId === undefined)
    throw new UserError(`input 'subscription-id' is required with an AKS cluster (resource-group and cluster-name)`);
  if (!GUID.test(subscriptionId))
    throw new UserError(`input 'subscription-id': '${subscriptionId}' is not a subscription ID (a GUID)`);
  return { aks: { subscriptionId, resourceGroup, clusterName, admin: values.boolean('admin') } };
}

export interface AzureOptions extends IdentityOptions {
  /** A cloud name, or the https ARM endpoint of a custom cloud. */
  readonly cloud: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function resolveAzure(values: InputValues): AzureOptions {
  const cloud = values.required('cloud');
  if (knownCloud(cloud) === undefined && !isCustomCloudUrl(cloud)) {
    throw new UserError(
      `input 'cloud': '${cloud}' is not AzureCloud, AzureChinaCloud, AzureUSGovernment or the https URL of a custom cloud's Resource Manager`,
    );
  }
  const clientId = values.string('client-id');
  if (clientId !== undefined && !GUID.test(clientId))
    throw new UserError(`input 'client-id': '${clientId}' is not a client ID (a GUID)`);
  const tenantId = values.string('tenant-id');
  // A tenant may be named by its domain too (contoso.onmicrosoft.com).
  if (tenantId !== undefined && !GUID.test(tenantId) && !/^[a-z0-9][-a-z0-9.]*\.[a-z]{2,}$/i.test(tenantId))
    throw new UserError(`input 'tenant-id': '${tenantId}' is not a tenant ID (a GUID or a domain)`);
  return {
    cloud,
    auth: values.required('auth') as AzureOptions['auth'],
    clientId,
    tenantId,
    clientSecret: values.string('client-secret'),
    clientCertificate: values.string('client-certificate'),
  };
}
