import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { UserError } from '../errors.js';
import { isPresent, readUserFile } from '../files.js';
import { IMAGE_TAG } from '../registry/reference.js';
import type { RegistryCredentials } from '../registry/registry.js';
import { buildInputsHash, contextFiles, dockerfileInContext } from './build-inputs.js';
import { type DockerBuild, findDocker } from './docker.js';

/** How to log into the registry without a user name and password. */
export type RegistryLogin = 'auto' | 'azure' | 'docker';

/** The image stage's input: an image to deploy as given, or a build to push. */
export type ImageOptions = GivenImageOptions | BuildImageOptions;

export interface GivenImageOptions {
  readonly build: 'none';
  readonly image: string;
  /** To read the tag's digest from the registry; absent: the Azure identity for an ACR, else anonymous. */
  readonly credentials?: RegistryCredentials;
  readonly platform: string;
  readonly login: RegistryLogin;
}

export interface BuildImageOptions {
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
  /** The registry's subscription: for build: acr, and where ARM is asked about a registry that refuses a push. */
  readonly subscriptionId?: string;
  /** Absent: the Azure identity, or Docker's own login (docker login, az acr login). */
  readonly credentials?: RegistryCredentials;
  readonly login: RegistryLogin;
}

/**
 * The image as far as it can be known before anything changes, by the route
 * that will get it: `given` is deployed by the digest its tag points at,
 * `unbuilt` (a dry run) as it is named, `docker` and `acr` are built and
 * pushed. `reference` is what render uses until the push gives a digest.
 */
export type PlannedImage = PlannedBase &
  (
    | { readonly route: 'given'; readonly options: GivenImageOptions }
    | { readonly route: 'unbuilt' }
    | {
        readonly route: 'docker';
        readonly options: BuildImageOptions;
        readonly docker: string;
        readonly spec: DockerBuild;
      }
    | { readonly route: 'acr'; readonly options: BuildImageOptions; readonly spec: DockerBuild }
  );

interface PlannedBase {
  readonly reference: string;
  readonly warnings: readonly string[];
}

/** The image the cluster runs: by digest when it is known. */
export interface DeployedImage {
  readonly image: string;
  readonly digest?: string;
}

/** The tag made from the build inputs' hash, when neither a tag nor a commit is given. */
export function inputsTag(inputsHash: string): string {
  return `inputs-${inputsHash.slice(0, 16)}`;
}

/** Files that hold secrets during development and must not travel into an image. */
const LOCAL_SECRETS = /(^|\/)local\.settings\.json$/;

/**
 * Everything about the image that can be checked without changing anything:
 * the context and Dockerfile exist, Docker is there, and the tag (the run's
 * commit, else the build-inputs hash) is known.
 */
export async function planImage(
  options: ImageOptions,
  commit: string | undefined,
  dryRun: boolean,
): Promise<PlannedImage> {
  if (options.build === 'none') return { route: 'given', reference: options.image, warnings: [], options };
  const dockerfile = checkBuildFiles(options);
  const files = contextFiles(options.context);
  const warnings = files
    .filter((file) => LOCAL_SECRETS.test(file))
    .map(
      (file) =>
        `${join(options.context, file)} goes into the image: its settings (often secrets) can be read by anyone ` +
        'who can pull it; add it to .dockerignore',
    );
  const { context, buildArgs, platform, target } = options;
  const inputs = { context, dockerfile, buildArgs, platform, target };
  const inputsHash = buildInputsHash(inputs, files);
  const tag = options.tag ?? (commit !== undefined && IMAGE_TAG.test(commit) ? commit : inputsTag(inputsHash));
  const repository = `${options.server}/${options.repository}`;
  const reference = `${repository}:${tag}`;
  const spec = { ...inputs, repository, tag, inputsHash };
  // A dry run builds nothing, and ACR builds in Azure: neither needs Docker here.
  if (dryRun) return { route: 'unbuilt', reference, warnings };
  if (options.build === 'acr') return { route: 'acr', reference, warnings, options, spec };
  return { route: 'docker', reference, warnings, options, spec, docker: await findDocker() };
}

/** The Dockerfile's path, once it and the context are known to exist (and, for ACR, the one inside the other). */
function checkBuildFiles(options: BuildImageOptions): string {
  if (!existsSync(options.context) || !statSync(options.context).isDirectory()) {
    throw new UserError(`input 'build-context': ${options.context} is not a folder`);
  }
  const dockerfile = isAbsolute(options.dockerfile) ? options.dockerfile : join(options.context, options.dockerfile);
  if (!isPresent(dockerfile, `input 'dockerfile': ${dockerfile}`)) {
    throw new UserError(
      `input 'dockerfile': ${dockerfile} does not exist (it is read relative to the build context ${options.context})`,
    );
  }
  try {
    readUserFile(dockerfile, dockerfile);
  } catch (error) {
    throw new UserError(`input 'dockerfile': ${(error as UserError).message}`, dockerfile);
  }
  // By real paths: a Dockerfile reached through a folder symlinked out of the context is outside it.
  if (options.build === 'acr' && dockerfileInContext(options.context, dockerfile) === undefined) {
    throw new UserError(
      `input 'dockerfile': ${dockerfile} is outside the build context ${options.context}; ` +
        'build: acr uploads only the context',
    );
  }
  return dockerfile;
}
