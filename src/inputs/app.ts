import { UserError } from '../errors.js';
import type { AppSource, Indexer } from '../discovery/discover.js';
import type { RenderOptions, ScalingOptions, ServiceType, VirtualNodes } from '../render/render.js';
import { checkAppName, checkImageReference, checkLabel, checkObjectName, parseKeyValueLines } from './checks.js';
import { resolveHttpPrometheus } from './http-scaling.js';
import { resolveWorkloadIdentity } from './identity.js';
import type { InputValues } from './values.js';

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
  const httpPrometheus = resolveHttpPrometheus(values, httpReplicas);
  return {
    minReplicas,
    maxReplicas,
    pollingIntervalSeconds,
    cooldownSeconds: values.seconds('cooldown-period'),
    httpReplicas,
    ...(httpPrometheus ? { httpPrometheus } : {}),
    serviceType: values.required('service-type') as ServiceType,
    pullSecret: checkObjectName('pull-secret', values.string('pull-secret')),
    virtualNodes: values.required('virtual-nodes') as VirtualNodes,
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
      `input 'secret-name' is set together with settings-file or app-settings: use an existing Secret or ` +
        `generated settings, not both`,
    );
  }
  return {
    appPath: values.required('app-path'),
    settingsFile: values.string('settings-file'),
    appSettings,
    triggers: values.string('triggers'),
    indexer: values.required('indexer') as Indexer,
  };
}

export function resolveRenderOptions(values: InputValues, image: string): RenderOptions {
  return { ...resolveAppObjects(values), image: checkImageReference('image', image) };
}

/** Render options that do not depend on the image. */
export function resolveAppObjects(values: InputValues): Omit<RenderOptions, 'image'> {
  return {
    name: checkAppName(values.required('name')),
    namespace: checkLabel('namespace', values.required('namespace')) as string,
    scaling: resolveScaling(values),
    secretName: checkObjectName('secret-name', values.string('secret-name')),
    configMapName: checkObjectName('config-map-name', values.string('config-map-name')),
    workloadIdentity: resolveWorkloadIdentity(values),
  };
}
