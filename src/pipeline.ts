import { writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { CoordinationV1Api, CoreV1Api, type KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import { type AppliedObject, applyObjects, appSelector, OWNED_KINDS } from './apply/apply.js';
import { type DeployLease, holdDeployLease } from './apply/lease.js';
import { acrCredentials } from './azure/acr.js';
import { type AzurePlan, planAzure } from './azure/azure.js';
import { knownCloud } from './azure/clouds.js';
import { whenInterrupted } from './cleanup.js';
import { connectCluster } from './cluster/connect.js';
import { apiStatus, isNotFound, withRetries } from './cluster/status.js';
import { discoverApp } from './discovery/discover.js';
import { describeFailure, oneLine, UserError } from './errors.js';
import { acrBuildAndPush } from './build/acr-tasks.js';
import { BUILD_INPUTS_LABEL, buildAndPush, type DockerBuild } from './build/docker.js';
import { inputsTag, type PlannedImage, planImage } from './build/plan.js';
import type { FunctionApp } from './discovery/model.js';
import type {
  ClusterSource,
  DeleteCommandOptions,
  DeployCommandOptions,
  BuildPlan,
  GivenImagePlan,
  ImagePlan,
  RenderCommandOptions,
  RenderOptions,
} from './inputs/resolve.js';
import { ensureKeda, type KedaOptions } from './keda/keda.js';
import { inGroup, mask, type Platform } from './platform.js';
import { redactSecrets, toYaml } from './render/manifest.js';
import { lookUpImage } from './registry/lookup.js';
import { type ImageReference, parseImageReference } from './registry/reference.js';
import { basicAuth, type RegistryCredentials, writeDockerConfig } from './registry/registry.js';
import { readEndpoints } from './report/endpoints.js';
import { ANNOTATION_PREFIX, type KubeObject, keysSecretName, render } from './render/render.js';
import { rollBack } from './wait/rollback.js';
import { type RolloutReport, RolloutFailure, RolloutSuperseded, waitForRollout } from './wait/rollout.js';

/**
 * The product sentence, top to bottom: discover and render the app, get the
 * cluster, ensure KEDA, apply, wait for the rollout to be healthy, report.
 */

export interface RenderResult {
  readonly objects: readonly KubeObject[];
  /** The YAML as the user asked to see it: Secret values redacted unless show-secrets. */
  readonly manifests: string;
}

/** discover → render → write: the `render` command. */
export function renderApp(options: RenderCommandOptions, platform: Platform): RenderResult {
  const app = discover(options, platform);
  const objects = renderObjects(app, options.render, platform);
  return { objects, manifests: writeManifests(objects, options) };
}

function discover(
  options: Pick<RenderCommandOptions, 'app'> & { render: Pick<RenderOptions, 'secretName' | 'configMapName'> },
  platform: Platform,
): FunctionApp {
  const settingsFromExistingObjects =
    options.render.secretName !== undefined || options.render.configMapName !== undefined;
  const discovery = discoverApp(options.app, settingsFromExistingObjects);
  // Shown values are base64 in a Secret: mask that form too.
  for (const value of Object.values(discovery.app.settings.values)) {
    mask(platform, value);
    mask(platform, Buffer.from(value, 'utf8').toString('base64'));
  }
  for (const warning of discovery.warnings) platform.warning(oneLine(warning));
  return discovery.app;
}

function renderObjects(app: FunctionApp, options: RenderOptions, platform: Platform): readonly KubeObject[] {
  const rendered = render(app, options);
  for (const warning of rendered.warnings) platform.warning(oneLine(warning));
  return rendered.objects;
}

/** The YAML as the user asked to see it (Secret values redacted unless show-secrets), written to manifests-output when given. */
function writeManifests(
  objects: readonly KubeObject[],
  options: Pick<RenderCommandOptions, 'showSecrets' | 'manifestsOutput'>,
): string {
  const manifests = toYaml(options.showSecrets ? objects : redactSecrets(objects));
  if (options.manifestsOutput !== undefined) {
    try {
      writeFileSync(options.manifestsOutput, manifests, { mode: options.showSecrets ? 0o600 : 0o644 });
    } catch (error) {
      throw new UserError(
        `input 'manifests-output': cannot write ${options.manifestsOutput} (${(error as NodeJS.ErrnoException).code})`,
      );
    }
  }
  return manifests;
}

/** Seconds each stage took: the `timings` output. */
export interface StageTimings {
  /** Azure sign-in, before either half starts. */
  signIn?: number;
  /** Registry login, build and push, or the digest lookup of a given image. */
  image?: number;
  /** Cluster credentials and connection, the KEDA add-on or install. */
  cluster?: number;
  apply?: number;
  rollout?: number;
  /** The whole deploy, from discovery to the report. */
  total?: number;
}

export interface DeployResult extends RenderResult {
  /** The image deployed, by digest when it is known. */
  readonly image: string;
  readonly applied: readonly AppliedObject[];
  readonly kedaVersion?: string;
  readonly rollout?: RolloutReport;
  readonly serviceIp?: string;
  /** As in the function-urls output. */
  readonly functionUrls?: Readonly<Record<string, string>>;
  readonly timings?: StageTimings;
}

export async function deployApp(options: DeployCommandOptions, platform: Platform): Promise<DeployResult> {
  const progress: DeployProgress = { stage: 'Discover and render the app', applied: [] };
  // A cancelled job stops the process where no `finally` runs: say how far the deploy got.
  const stopReporting = whenInterrupted((signal) => platform.warning(interruptedReport(signal, progress)));
  try {
    return await deployStages(options, platform, progress);
  } finally {
    stopReporting();
  }
}

/** Where a deploy is: the stage under way and what it has applied so far. */
interface DeployProgress {
  stage: string;
  readonly applied: AppliedObject[];
  /** The app's deploy Lease: left held by a killed deploy, it lapses on its own. */
  leaseHeld?: boolean;
}

function interruptedReport(signal: NodeJS.Signals, progress: DeployProgress): string {
  const applied = progress.applied.filter((object) => ['created', 'configured', 'pruned'].includes(object.action));
  const changes =
    applied.length === 0
      ? "none of the app's objects was changed"
      : `changed so far: ${applied.map((object) => `${object.kind}/${object.name} (${object.action})`).join(', ')}`;
  const lease = progress.leaseHeld ? "; the app's deploy Lease lapses in 30 s" : '';
  return `stopped by ${signal} during "${progress.stage}": ${changes}; the rollout was not checked${lease}`;
}

async function deployStages(
  options: DeployCommandOptions,
  platform: Platform,
  progress: DeployProgress,
): Promise<DeployResult> {
  const started = performance.now();
  const timings: StageTimings = {};
  const stage = <T>(title: string, work: () => Promise<T>): Promise<T> => {
    progress.stage = title;
    return inGroup(platform, title, work);
  };
  // Everything checkable is checked before the first change: the app renders, the build can start, the identity is complete.
  const { app, planned, rendered } = await stage('Discover and render the app', async () => {
    const app = discover(options, platform);
    const planned = await planImage(
      options.image,
      platform.run.commit,
      options.dryRun || options.cluster === undefined,
    );
    for (const warning of planned.warnings) platform.warning(warning);
    return { app, planned, rendered: renderObjects(app, { ...options.render, image: planned.reference }, platform) };
  });
  let objects = rendered;
  if (options.cluster === undefined) {
    const manifests = writeManifests(objects, options);
    platform.setOutput('manifests', manifests);
    platform.setOutput('image', planned.reference);
    platform.info(`dry run: rendered ${objects.length} objects, no cluster given`);
    return { objects, manifests, image: planned.reference, applied: [] };
  }
  const cluster = options.cluster;
  const registryAzure = logsInWithAzure(options);
  const azure = 'aks' in cluster || registryAzure ? planAzure(options.azure, platform) : undefined;
  const { name, namespace } = options.render;
  const needsKeda = objects.some((object) => object.kind === 'ScaledObject' || object.kind === 'TriggerAuthentication');
  // Sign in before anything starts: a wrong identity or cloud is known before a build or the cluster changes.
  if (azure) await stage('Sign in to Azure', () => timed(timings, 'signIn', () => azure.session()));

  // The build never waits for the cluster, nor the cluster for the build: one heading for both, as their lines interleave.
  const [image, { config, keda }] = await stage('Build the image and prepare the cluster', () =>
    bothSettled(
      platform,
      timed(timings, 'image', () => buildImage(options.image, planned, registryAzure ? azure : undefined, platform)),
      timed(timings, 'cluster', () => prepareCluster(cluster, azure, options, needsKeda, platform)),
    ),
  );
  platform.setOutput('image', image.image);
  if (image.digest) platform.setOutput('digest', image.digest);
  if (keda?.version) platform.setOutput('keda-version', keda.version);
  // Same app, same options, only the image differs: the warnings were shown already.
  if (image.image !== planned.reference) objects = render(app, { ...options.render, image: image.image }).objects;
  const manifests = writeManifests(objects, options);
  platform.setOutput('manifests', manifests);

  // One deploy of the app at a time, from its apply to the end of its wait.
  let lease: DeployLease | undefined;
  const takeLease = async () => {
    if (options.dryRun) return;
    lease = await appLease(config, namespace, name, Date.now() + options.rollout.timeoutSeconds * 1000, platform);
    progress.leaseHeld = lease !== undefined;
  };
  try {
    const applied = await stage('Apply', () =>
      timed(timings, 'apply', async () => {
        const applied = await applyObjects(clientsFor(config), objects, {
          app: name,
          namespace,
          force: options.rollout.forceConflicts,
          prune: options.rollout.prune,
          dryRun: options.dryRun,
          annotations: deployRecord(image.image, platform),
          afterNamespace: takeLease,
          onApplied: (object) => {
            progress.applied.push(object);
            platform.info(`${object.action.padEnd(10)} ${object.kind}/${object.name}`);
          },
        });
        if (applied.every((object) => object.action === 'unchanged'))
          platform.info('nothing changed: the cluster already runs this version');
        return applied;
      }),
    );
    const deployments = objects.filter((object) => object.kind === 'Deployment').map((object) => object.metadata.name);
    platform.setOutput('deployments', JSON.stringify(deployments));
    const finished = <R extends DeployResult>(result: R): R => {
      timings.total = seconds(started);
      platform.setOutput('timings', JSON.stringify(timings));
      return { ...result, timings };
    };
    const result = { objects, manifests, image: image.image, applied, kedaVersion: keda?.version };
    if (options.dryRun || !options.rollout.wait) return finished(result);

    // Awaited here, so the lease is held until the wait is over.
    return await stage('Wait for the rollout', async () => {
      const rollout = await timed(timings, 'rollout', () => watchRollout(config, objects, image.image, options));
      platform.info(`rollout healthy in ${rollout.seconds.toFixed(1)}s`);
      platform.setOutput('rollout-seconds', rollout.seconds.toFixed(1));
      return finished({
        ...result,
        rollout,
        ...(await healthyAppEndpoints(config, app, objects, options, rollout, platform)),
      });
    });
  } finally {
    await lease?.release();
  }
}

/** Connects to the cluster, then makes sure of KEDA: the AKS add-on enabled when asked for, else KEDA found or installed. */
async function prepareCluster(
  cluster: ClusterSource,
  azure: AzurePlan | undefined,
  options: DeployCommandOptions,
  needsKeda: boolean,
  platform: Platform,
) {
  const access = await connectCluster(cluster, azure, platform);
  let addonEnabled = access.kedaAddon;
  if (options.keda.mode === 'addon' && !addonEnabled && !options.dryRun && access.enableKedaAddon) {
    platform.info('AKS: enabling the KEDA add-on');
    await access.enableKedaAddon();
    addonEnabled = true;
  }
  const kedaOptions: KedaOptions = { ...options.keda, timeoutSeconds: options.rollout.timeoutSeconds, addonEnabled };
  const keda =
    needsKeda && !options.dryRun
      ? await ensureKeda(access.config, kedaOptions, (message) => platform.info(message))
      : undefined;
  return { config: access.config, keda };
}

/** The service address and function URLs of a healthy app; a report that cannot be made must not turn the deploy into a failure. */
async function healthyAppEndpoints(
  config: KubeConfig,
  app: FunctionApp,
  objects: readonly KubeObject[],
  options: DeployCommandOptions,
  rollout: RolloutReport,
  platform: Platform,
) {
  const service = objects.find((object) => object.kind === 'Service')?.metadata.name;
  if (service === undefined) return undefined;
  return reportEndpoints(clientsFor(config).core, app, options, service, rollout, platform).catch((error: unknown) => {
    platform.warning(
      `deployed, but the service address and function URLs could not be read: ${describeFailure(error).message}`,
    );
    return undefined;
  });
}

/** Waits for the app's rollout; on failure, restores the previous revision when asked to. */
async function watchRollout(
  config: KubeConfig,
  objects: readonly KubeObject[],
  image: string,
  options: DeployCommandOptions,
): Promise<RolloutReport> {
  const { name, namespace } = options.render;
  try {
    return await waitForRollout(
      config,
      {
        app: name,
        namespace,
        deployments: objects.filter((object) => object.kind === 'Deployment').map((object) => object.metadata.name),
        scaledObjects: Object.fromEntries(
          objects
            .filter((object) => object.kind === 'ScaledObject')
            .map((object) => [
              object.metadata.name,
              (object as { spec?: { triggers?: { type: string }[] } }).spec?.triggers?.map((trigger) => trigger.type) ??
                [],
            ]),
        ),
        loadBalancers: objects
          .filter(
            (object) =>
              object.kind === 'Service' && (object as { spec?: { type?: string } }).spec?.type === 'LoadBalancer',
          )
          .map((object) => object.metadata.name),
        image,
      },
      options.rollout.timeoutSeconds,
    );
  } catch (error) {
    if (!(error instanceof RolloutFailure) || error instanceof RolloutSuperseded || !options.rollout.rollbackOnFailure)
      throw error;
    const undone = await rollBack(config, namespace, objects);
    throw new RolloutFailure(
      `${error.message}; rollback-on-failure: ${undone.join('; ')} (other objects keep the new version)`,
    );
  }
}

/** Runs `work`, recording how long it took under `stage`, also when it fails. */
async function timed<T>(timings: StageTimings, stage: keyof StageTimings, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    timings[stage] = seconds(started);
  }
}

function seconds(since: number): number {
  return Math.round(performance.now() - since) / 1000;
}

/** service-ip and function-urls; keys only with show-secrets, and masked before anything can print them. */
async function reportEndpoints(
  core: CoreV1Api,
  app: FunctionApp,
  options: DeployCommandOptions,
  service: string,
  rollout: RolloutReport,
  platform: Platform,
): Promise<{ serviceIp?: string; functionUrls: Record<string, string> }> {
  const { name, namespace } = options.render;
  const endpoints = await readEndpoints(core, {
    app,
    namespace,
    service,
    loadBalancerAddress: rollout.addresses[service],
    keysSecret: keysSecretName(name),
    includeKeys: options.showSecrets,
  });
  // URLs carry keys URL-encoded: mask that spelling too.
  for (const key of endpoints.functionUrls.keysUsed)
    [key, encodeURIComponent(key)].forEach((form) => mask(platform, form));
  if (endpoints.serviceIp) platform.setOutput('service-ip', endpoints.serviceIp);
  platform.setOutput(
    'function-urls',
    JSON.stringify(endpoints.functionUrls.urls),
    endpoints.functionUrls.keysUsed.length > 0,
  );
  const { missingKeys } = endpoints.functionUrls;
  if (missingKeys.length > 0 && options.showSecrets) {
    platform.info(
      `no key in the URLs of ${missingKeys.join(', ')}: ${endpoints.keysUnreadable ?? `the Functions host has not written its keys to Secret ${keysSecretName(name)} yet (it does on first start)`}`,
    );
  }
  return { serviceIp: endpoints.serviceIp, functionUrls: endpoints.functionUrls.urls };
}

/**
 * Whether the registry login is the Azure identity's ACR token (else the user
 * name and password given, or Docker's own login).
 */
function logsInWithAzure(options: DeployCommandOptions): boolean {
  const plan = options.image;
  if (plan.build === 'acr') return true;
  if (plan.credentials || options.registryLogin === 'docker') return false;
  if (options.registryLogin === 'azure') return true;
  // auto: an Azure token goes only to the cloud's own registries, never to another host.
  const server = plan.build === 'none' ? (parseImageReference(plan.image)?.host ?? 'docker.io') : plan.server;
  const acrSuffix = knownCloud(options.azure.cloud)?.acrSuffix;
  return acrSuffix !== undefined && server.endsWith(`.${acrSuffix}`);
}

/** The registry login: as given, or an ACR refresh token for the Azure identity; masked either way. */
async function registryLogin(
  server: string,
  given: RegistryCredentials | undefined,
  azure: AzurePlan | undefined,
  platform: Platform,
): Promise<RegistryCredentials | undefined> {
  let credentials = given;
  if (credentials === undefined && azure !== undefined) {
    const session = await azure.session();
    credentials = await acrCredentials(session.credential, session.cloud, server, session.tenantId, platform);
    platform.info(`registry: logged into ${server} with the Azure identity`);
  }
  if (credentials) {
    mask(platform, credentials.password);
    mask(platform, basicAuth(credentials));
  }
  return credentials;
}

/**
 * A given image by tag is deployed by the digest the tag points at now, so
 * what runs cannot change when the tag moves. When the registry cannot be
 * read from here, the tag is deployed, with a warning.
 */
async function pinDigest(
  plan: GivenImagePlan,
  azure: AzurePlan | undefined,
  platform: Platform,
): Promise<DeployedImage> {
  const reference = parseImageReference(plan.image) as ImageReference;
  if (reference.digest) return { image: plan.image, digest: reference.digest };
  const host = reference.host ?? 'docker.io';
  const tag = reference.tag ?? 'latest';
  let found;
  try {
    found = await lookUpImage(
      host,
      reference.repository,
      tag,
      plan.platform,
      await registryLogin(host, plan.credentials, azure, platform),
    );
  } catch (error) {
    platform.warning(
      `deploying ${plan.image} by its tag: its digest could not be read (${describeFailure(error).message})`,
    );
    return { image: plan.image };
  }
  if (!found)
    throw new UserError(
      `input 'image': ${plan.image} is not in its registry (no tag ${tag} in ${host}/${reference.repository})`,
    );
  const name = plan.image.slice(0, plan.image.length - (reference.tag ? reference.tag.length + 1 : 0));
  return { image: `${name}@${found.digest}`, digest: found.digest };
}

/** Registry login, build and push; the login lives in a per-run Docker config that is gone when this returns. */
async function buildImage(
  plan: ImagePlan,
  planned: PlannedImage,
  azure: AzurePlan | undefined,
  platform: Platform,
): Promise<DeployedImage> {
  if (plan.build === 'none') return pinDigest(plan, azure, platform);
  // A dry run builds nothing.
  if (planned.build === undefined) return { image: planned.reference };
  const via = planned.build.via;
  // ACR Tasks need no registry login of ours: the login only lets us look for an earlier build.
  const credentials = await registryLogin(plan.server, plan.credentials, azure, platform).catch((error: unknown) => {
    if (via === 'docker') throw error;
    platform.info(`could not log into ${plan.server} to look for an earlier build (${describeFailure(error).message})`);
    return undefined;
  });
  const built = await alreadyBuilt(plan, planned.build.spec, credentials, platform);
  if (built) return built;
  if (via === 'acr') {
    platform.info(`building ${planned.reference} with ACR Tasks`);
    const session = await (azure as AzurePlan).session();
    const pushed = await acrBuildAndPush(
      session,
      {
        ...planned.build.spec,
        server: plan.server,
        path: plan.repository,
        subscriptionId: plan.subscriptionId as string,
      },
      (line) => platform.info(line),
    );
    platform.info(`pushed ${pushed.image}`);
    return pushed;
  }
  const docker = planned.build.docker;
  const login = credentials ? writeDockerConfig(plan.server, credentials) : undefined;
  try {
    platform.info(`building ${planned.reference}`);
    const pushed = await buildAndPush(docker, planned.build.spec, login?.dir, (line) => platform.info(line)).catch(
      (error: unknown) => {
        // An ACR that accepts the identity's login yet refuses the push: the identity lacks the role.
        if (
          azure !== undefined &&
          plan.credentials === undefined &&
          error instanceof UserError &&
          /^docker push failed .*(unauthorized|denied)/i.test(error.message)
        ) {
          throw new UserError(`${error.message}; give the Azure identity the AcrPush role on registry ${plan.server}`);
        }
        throw error;
      },
    );
    platform.info(`pushed ${pushed.image}`);
    return pushed;
  } finally {
    login?.remove();
  }
}

/**
 * The tag in the registry, when it was built from these very inputs: a re-run
 * deploys it by digest and builds nothing. Docker builds carry the inputs'
 * hash as a label; ACR Tasks cannot add one, so there only a tag made from
 * that hash says so.
 */
async function alreadyBuilt(
  plan: BuildPlan,
  spec: DockerBuild,
  credentials: RegistryCredentials | undefined,
  platform: Platform,
): Promise<DeployedImage | undefined> {
  try {
    const found = await lookUpImage(plan.server, plan.repository, spec.tag, plan.platform, credentials);
    const sameInputs =
      plan.build === 'docker'
        ? found?.labels[BUILD_INPUTS_LABEL] === spec.inputsHash
        : spec.tag === inputsTag(spec.inputsHash);
    if (!found || !sameInputs) return undefined;
    platform.info(`${spec.repository}:${spec.tag} is in the registry, built from the same inputs: build skipped`);
    return { image: `${spec.repository}@${found.digest}`, digest: found.digest };
  } catch (error) {
    // Only a shortcut: when the registry cannot say, build.
    platform.info(
      `could not read ${spec.repository}:${spec.tag} from the registry (${describeFailure(error).message}): building`,
    );
    return undefined;
  }
}

interface DeployedImage {
  readonly image: string;
  readonly digest?: string;
}

/**
 * Both results once both have finished, so a failure never leaves the other
 * half running unseen. When both fail, the second reason is not lost: it is
 * shown as a warning, and the first becomes the error.
 */
async function bothSettled<A, B>(platform: Platform, first: Promise<A>, second: Promise<B>): Promise<[A, B]> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (
    a.status === 'rejected' &&
    b.status === 'rejected' &&
    describeFailure(a.reason).message !== describeFailure(b.reason).message
  ) {
    platform.warning(`also failed: ${describeFailure(b.reason).message}`);
  }
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
}

/** Removes exactly this app's objects: what carries its labels, and its keys Secret (the host may rewrite its labels). */
export async function deleteApp(options: DeleteCommandOptions, platform: Platform): Promise<string[]> {
  const azure = 'aks' in options.cluster ? planAzure(options.azure, platform) : undefined;
  const { config } = await connectCluster(options.cluster, azure, platform);
  // Not in the middle of a deploy of the app. No namespace: nothing to delete, nothing to guard.
  const lease = await appLease(config, options.namespace, options.name, Date.now() + DELETE_WAIT_MS, platform).catch(
    (error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    },
  );
  try {
    return await deleteObjects(clientsFor(config).objects, options, platform);
  } finally {
    await lease?.release();
  }
}

/** How long a delete waits for a deploy of the app under way. */
const DELETE_WAIT_MS = 10 * 60 * 1000;

/** The app's deploy Lease, or none (with a warning) where this identity may not use Leases. */
async function appLease(
  config: KubeConfig,
  namespace: string,
  app: string,
  deadline: number,
  platform: Platform,
): Promise<DeployLease | undefined> {
  // Unique even among the parallel jobs and re-runs of one CI run.
  const holder = `${platform.run.url ?? hostname()}, process ${process.pid}, ${randomUUID().slice(0, 8)}`;
  try {
    return await holdDeployLease(clientsFor(config).coordination, namespace, app, holder, deadline, platform);
  } catch (error) {
    if (apiStatus(error)?.code !== 403) throw error;
    platform.warning(
      `no permission on Leases in namespace ${namespace}: going on without the guard against a concurrent deploy of ${app}`,
    );
    return undefined;
  }
}

async function deleteObjects(
  objects: KubernetesObjectApi,
  options: DeleteCommandOptions,
  platform: Platform,
): Promise<string[]> {
  const deleted: string[] = [];
  for (const { apiVersion, kind } of OWNED_KINDS) {
    let names: string[];
    try {
      const list = await withRetries(() =>
        objects.list(
          apiVersion,
          kind,
          options.namespace,
          undefined,
          undefined,
          undefined,
          undefined,
          appSelector(options.name),
        ),
      );
      names = list.items.map((item) => item.metadata?.name ?? '');
    } catch (error) {
      if (isNotFound(error)) continue;
      throw error;
    }
    if (kind === 'Secret' && !names.includes(keysSecretName(options.name))) names.push(keysSecretName(options.name));
    for (const name of names) {
      try {
        await withRetries(() =>
          objects.delete(
            { apiVersion, kind, metadata: { name, namespace: options.namespace } },
            undefined,
            undefined,
            undefined,
            undefined,
            'Background',
          ),
        );
        deleted.push(`${kind}/${name}`);
        platform.info(`deleted ${kind}/${name}`);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
  }
  return deleted;
}

function clientsFor(config: KubeConfig) {
  return {
    objects: KubernetesObjectApi.makeApiClient(config),
    core: config.makeApiClient(CoreV1Api),
    coordination: config.makeApiClient(CoordinationV1Api),
  };
}

function deployRecord(image: string, platform: Platform): Record<string, string> {
  return {
    [`${ANNOTATION_PREFIX}/image`]: image,
    ...(platform.run.commit ? { [`${ANNOTATION_PREFIX}/commit`]: platform.run.commit } : {}),
    ...(platform.run.url ? { [`${ANNOTATION_PREFIX}/run`]: platform.run.url } : {}),
  };
}
