import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getExecOutput } from '@actions/exec';
import { which } from '@actions/io';
import pRetry from 'p-retry';
import { UserError } from '../errors.js';
import type { Log } from '../platform.js';
import type { BuildInputs } from './build-inputs.js';

/** The label that carries the build-inputs hash on every image we build. */
export const BUILD_INPUTS_LABEL = 'dev.aks-functions-deploy.build-inputs';

export interface DockerBuild extends BuildInputs {
  /** `server/repository`, without tag. */
  readonly repository: string;
  readonly tag: string;
  readonly inputsHash: string;
}

export interface PushedImage {
  /** `server/repository@sha256:…`: what the cluster runs, whatever happens to the tag later. */
  readonly image: string;
  readonly digest: string;
}

/** The Docker CLI, found before anything is built, so its absence is an input error and not a half-done deploy. */
export async function findDocker(): Promise<string> {
  const docker = await which('docker', false);
  if (!docker)
    throw new UserError(
      `input 'build': docker needs the Docker CLI on PATH; install it, or give a built image with input 'image'`,
    );
  return docker;
}

/**
 * docker build, then docker push, then the digest of what was pushed, read
 * from the image's RepoDigests as JSON. Works with the classic builder and
 * with buildx's default docker driver alike.
 */
export async function buildAndPush(
  docker: string,
  build: DockerBuild,
  dockerConfigDir: string | undefined,
  log: Log,
): Promise<PushedImage> {
  const target = `${build.repository}:${build.tag}`;
  const scratch = mkdtempSync(join(tmpdir(), 'aks-functions-deploy-build-'));
  try {
    const imageIdFile = join(scratch, 'image-id');
    const buildArgs = Object.entries(build.buildArgs).flatMap(([key, value]) => ['--build-arg', `${key}=${value}`]);
    await runDocker(docker, dockerConfigDir, log, 'build', [
      'build',
      '--file',
      build.dockerfile,
      '--platform',
      build.platform,
      '--label',
      `${BUILD_INPUTS_LABEL}=${build.inputsHash}`,
      '--tag',
      target,
      '--iidfile',
      imageIdFile,
      ...(build.target ? ['--target', build.target] : []),
      ...buildArgs,
      build.context,
    ]);
    const imageId = readFileSync(imageIdFile, 'utf8').trim();
    await pushWithRetries(() => runDocker(docker, dockerConfigDir, log, 'push', ['push', target]), log);
    const inspected = await runDocker(docker, dockerConfigDir, QUIET, 'image inspect', [
      'image',
      'inspect',
      '--format',
      '{{json .RepoDigests}}',
      imageId,
    ]);
    const repoDigests = JSON.parse(inspected) as string[] | null;
    const names = recordedNames(build.repository);
    const digest = repoDigests
      ?.map((reference) => reference.split('@'))
      .find(([name]) => names.includes(name as string))?.[1];
    if (!digest)
      throw new Error(`docker push of ${target} finished, but Docker recorded no digest for ${build.repository}`);
    return { image: `${build.repository}@${digest}`, digest };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** For a step whose output is read, not shown. */
const QUIET: Log = { info: () => undefined, warning: () => undefined };

/**
 * What a registry that is restarting or overloaded answers; a refused login or a missing repository is no reason to
 * try again.
 */
const TRANSIENT_PUSH_FAILURE =
  /connection refused|connection reset|broken pipe|i\/o timeout|TLS handshake timeout|\bEOF\b|context deadline exceeded|Client\.Timeout exceeded|\b50[0234]\b|Service Unavailable|Bad Gateway|too many requests|toomanyrequests/i;

/** docker push again, with backoff (about 15 s in all), while the registry fails in a way that passes. */
function pushWithRetries(push: () => Promise<string>, log: Log): Promise<string> {
  return pRetry(push, {
    retries: 4,
    minTimeout: 1000,
    shouldRetry: ({ error }) => TRANSIENT_PUSH_FAILURE.test(error.message),
    onFailedAttempt: ({ error, retriesLeft }) => {
      if (retriesLeft > 0 && TRANSIENT_PUSH_FAILURE.test(error.message)) log.info(`${error.message}: pushing again`);
    },
  });
}

/** Docker records Docker Hub images by their short names: docker.io/library/x as x, docker.io/team/x as team/x. */
function recordedNames(repository: string): string[] {
  const path = /^(?:docker\.io|index\.docker\.io)\/(.+)$/.exec(repository)?.[1];
  return path === undefined ? [repository] : [repository, path, path.replace(/^library\//, '')];
}

async function runDocker(
  docker: string,
  dockerConfigDir: string | undefined,
  log: Log,
  step: string,
  args: string[],
): Promise<string> {
  const lastLines: string[] = [];
  const remember = (line: string) => {
    log.info(line);
    lastLines.push(line);
    if (lastLines.length > 5) lastLines.shift();
  };
  const env = { ...process.env, ...(dockerConfigDir ? { DOCKER_CONFIG: dockerConfigDir } : {}) } as Record<
    string,
    string
  >;
  const result = await getExecOutput(docker, args, {
    silent: true,
    ignoreReturnCode: true,
    env,
    listeners: { stdline: remember, errline: remember },
  });
  if (result.exitCode !== 0) {
    const reason = lastLines.filter((line) => line.trim() !== '').at(-1) ?? 'no output';
    throw new UserError(`docker ${step} failed (exit ${result.exitCode}): ${reason}`);
  }
  return result.stdout;
}
