import { realpathSync } from 'node:fs';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { ContainerRegistryManagementClient, Run } from '@azure/arm-containerregistry';
import { BlobClient, BlockBlobClient } from '@azure/storage-blob';
import { create as createTar } from 'tar';
import { armFailure, REGISTRY_TARGET } from '../azure/arm-errors.js';
import type { AzureSession } from '../azure/azure.js';
import { findRegistry, registryClient } from '../azure/registries.js';
import { UserError } from '../errors.js';
import type { Log } from '../platform.js';
import { contextFiles, dockerfileInContext } from './build-inputs.js';
import type { DockerBuild, PushedImage } from './docker.js';

export interface AcrBuild extends DockerBuild {
  /** The registry's login server, e.g. myacr.azurecr.io. */
  readonly server: string;
  readonly subscriptionId: string;
  /** Path in the registry (DockerBuild's repository has the server in front). */
  readonly path: string;
}

const TERMINAL = new Set(['Succeeded', 'Failed', 'Canceled', 'Error', 'Timeout']);
const TASKS_TARGET = { role: 'Contributor', ...REGISTRY_TARGET };
/** ACR's own limit for a run, and ours a little after it, for a run that never starts. */
const RUN_TIMEOUT_SECONDS = 3600;
const POLL_MS = 2000;

/**
 * A remote build with ACR Tasks, for runners without Docker, as `az acr
 * build` does it: the context goes up as a tar.gz, ACR builds and pushes it,
 * its log streams here, and the digest comes from the run's output images.
 */
export async function acrBuildAndPush(session: AzureSession, build: AcrBuild, log: Log): Promise<PushedImage> {
  const client = registryClient(session, build.subscriptionId);
  const fail = (doing: string) => (error: unknown) => {
    throw armFailure(error, doing, TASKS_TARGET);
  };
  const registry = await registryByLoginServer(client, build.server).catch(fail(`find the registry ${build.server}`));
  const { resourceGroup, name } = registry;

  const upload = await client.registries
    .getBuildSourceUploadUrl(resourceGroup, name)
    .catch(fail(`get an upload URL from registry ${name}`));
  if (!upload.uploadUrl || !upload.relativePath)
    throw new UserError(`registry ${name} gave no upload URL for the build context`);
  const { dockerfile, files, tar } = packContext(build.context, build.dockerfile);
  await new BlockBlobClient(upload.uploadUrl).uploadStream(tar);
  log.info(`uploaded the build context (${files.length} files) to registry ${name}`);

  const [os = 'linux', architecture = 'amd64', variant] = build.platform.split('/');
  const scheduled = await client.registries
    .beginScheduleRunAndWait(resourceGroup, name, {
      type: 'DockerBuildRequest',
      imageNames: [`${build.path}:${build.tag}`],
      isPushEnabled: true,
      sourceLocation: upload.relativePath,
      dockerFilePath: dockerfile,
      target: build.target,
      platform: { os: os === 'windows' ? 'Windows' : 'Linux', architecture, variant },
      arguments: Object.entries(build.buildArgs).map(([key, value]) => ({ name: key, value, isSecret: false })),
      timeout: RUN_TIMEOUT_SECONDS,
    })
    .catch(fail(`schedule a build on registry ${name}`));
  const runId = scheduled.runId as string;
  log.info(`ACR run ${runId} scheduled`);
  const run = await followRun(client, resourceGroup, name, runId, log).catch(
    fail(`follow ACR run ${runId} on registry ${name}`),
  );
  if (run.status !== 'Succeeded')
    throw new UserError(
      `ACR build ${runId} on registry ${name} ended ${run.status}: ${run.runErrorMessage ?? 'see its log above'}`,
    );
  const digest = run.outputImages?.find((image) => image.repository === build.path)?.digest;
  if (!digest) throw new UserError(`ACR build ${runId} succeeded but reported no digest for ${build.path}`);
  return { image: `${build.repository}@${digest}`, digest };
}

/**
 * The context as ACR Tasks gets it: a tar.gz of what Docker would send, symlinks packed as links (as Docker sends
 * them), so nothing outside the context goes up. `dockerfile` is its path in the tar, with '/'.
 */
export function packContext(
  context: string,
  dockerfilePath: string,
): { readonly dockerfile: string; readonly files: readonly string[]; readonly tar: Readable } {
  // plan.ts made sure the Dockerfile is inside the context; by its real path, no symlinked folder on the way is
  // followed out of it.
  const dockerfile = dockerfileInContext(context, dockerfilePath) as string;
  // Docker sends the Dockerfile even when .dockerignore lists it; so do we. './' keeps tar from reading '@name' as an
  // archive.
  const files = [...new Set([...contextFiles(context), dockerfile])].map((file) => `./${file}`);
  return {
    dockerfile,
    files,
    tar: Readable.from(createTar({ gzip: true, cwd: realpathSync(context), portable: true, follow: false }, files)),
  };
}

async function registryByLoginServer(
  client: ContainerRegistryManagementClient,
  server: string,
): Promise<{ resourceGroup: string; name: string }> {
  const registry = await findRegistry(client, (candidate) => candidate.loginServer?.toLowerCase() === server);
  const resourceGroup = registry?.id && /\/resourceGroups\/([^/]+)\//i.exec(registry.id)?.[1];
  if (registry?.name && resourceGroup) return { resourceGroup, name: registry.name };
  throw new UserError(
    `no container registry with login server ${server} in the subscription: check inputs 'registry' and ` +
      `'subscription-id'`,
  );
}

/**
 * Polls the run (ACR offers no watch) and prints its log as it grows, until
 * the run has ended and its log says it is complete. A run that outlives
 * ACR's own timeout is cancelled.
 */
async function followRun(
  client: ContainerRegistryManagementClient,
  resourceGroup: string,
  registry: string,
  runId: string,
  log: Log,
): Promise<Run> {
  const { logLink } = await client.runs.getLogSasUrl(resourceGroup, registry, runId);
  const logBlob = logLink ? new BlobClient(logLink) : undefined;
  const decoder = new StringDecoder('utf8');
  let offset = 0;
  let partial = '';
  /** Prints what the log blob has gained; true once ACR marked it complete. */
  const readLog = async (): Promise<boolean> => {
    if (!logBlob) return true;
    let properties;
    try {
      properties = await logBlob.getProperties();
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return false; // not written yet
      throw error;
    }
    if ((properties.contentLength ?? 0) > offset) {
      const bytes = await logBlob.downloadToBuffer(offset, (properties.contentLength ?? 0) - offset);
      offset += bytes.length;
      const lines = (partial + decoder.write(bytes)).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) log.info(line.replace(/\r$/, ''));
    }
    return Object.keys(properties.metadata ?? {}).some((key) => key.toLowerCase() === 'complete');
  };
  const deadline = Date.now() + (RUN_TIMEOUT_SECONDS + 300) * 1000;
  for (;;) {
    const run = await client.runs.get(resourceGroup, registry, runId);
    const complete = await readLog();
    if (TERMINAL.has(run.status ?? '')) {
      // The run may end a moment before its log does.
      for (let wait = 0; !complete && wait < 5 && !(await readLog()); wait++) await sleep(POLL_MS);
      if (partial) log.info(partial);
      return run;
    }
    if (Date.now() > deadline) {
      await client.runs.beginCancelAndWait(resourceGroup, registry, runId).catch(() => undefined);
      throw new UserError(`ACR run ${runId} did not finish within ${RUN_TIMEOUT_SECONDS}s; it was cancelled`);
    }
    await sleep(POLL_MS);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
