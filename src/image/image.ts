import type { AzurePlan } from '../azure/azure.js';
import { describeFailure, UserError } from '../errors.js';
import type { Platform } from '../platform.js';
import { lookUpImage } from '../registry/lookup.js';
import { type ImageReference, parseImageReference } from '../registry/reference.js';
import { type RegistryCredentials, writeDockerConfig } from '../registry/registry.js';
import { BUILD_INPUTS_LABEL, buildAndPush, type DockerBuild } from './docker.js';
import { registryLogin } from './login.js';
import { doesNotResolve, refusedPushAdvice } from './registry-hints.js';
import {
  type BuildImageOptions,
  type DeployedImage,
  type GivenImageOptions,
  inputsTag,
  type PlannedImage,
} from './plan.js';

/**
 * The image stage: gets the planned image by its route and says what the
 * cluster is to run. `azure` is the identity for the registry login, when the
 * login is Azure's (logsInWithAzure). Registry logins live in a per-run
 * Docker config that is gone when this returns.
 */
export async function obtainImage(
  planned: PlannedImage,
  azure: AzurePlan | undefined,
  platform: Platform,
): Promise<DeployedImage> {
  switch (planned.route) {
    case 'given':
      return pinDigest(planned.options, azure, platform);
    case 'unbuilt':
      return { image: planned.reference };
    case 'docker':
    case 'acr': {
      const { options, spec } = planned;
      // ACR Tasks need no registry login of ours: the login only lets us look for an earlier build.
      const credentials = await registryLogin(
        options.server,
        options.credentials,
        azure,
        platform,
        options.subscriptionId,
      ).catch((error: unknown) => {
        if (planned.route === 'docker') throw error;
        platform.info(
          `could not log into ${options.server} to look for an earlier build (${describeFailure(error).message})`,
        );
        return undefined;
      });
      const built = await alreadyBuilt(options, spec, credentials, platform);
      if (built) return built;
      const pushed =
        planned.route === 'acr'
          ? await acrBuild(planned.reference, options, spec, azure as AzurePlan, platform)
          : await dockerBuild(planned.docker, options, spec, credentials, azure, platform);
      platform.info(`pushed ${pushed.image}`);
      return pushed;
    }
  }
}

/**
 * A given image by tag is deployed by the digest the tag points at now, so
 * what runs cannot change when the tag moves. When the registry cannot be
 * read from here, the tag is deployed, with a warning.
 */
async function pinDigest(
  options: GivenImageOptions,
  azure: AzurePlan | undefined,
  platform: Platform,
): Promise<DeployedImage> {
  const reference = parseImageReference(options.image) as ImageReference;
  if (reference.digest) return { image: options.image, digest: reference.digest };
  const host = reference.host ?? 'docker.io';
  const tag = reference.tag ?? 'latest';
  const byTag = (why: string): DeployedImage => {
    platform.warning(`deploying ${options.image} by its tag: its digest could not be read (${why})`);
    return { image: options.image };
  };
  if (await doesNotResolve(host)) return byTag(`${host} does not resolve`);
  let found;
  try {
    const credentials = await registryLogin(host, options.credentials, azure, platform);
    found = await lookUpImage(host, reference.repository, tag, options.platform, credentials);
  } catch (error) {
    return byTag(describeFailure(error).message);
  }
  if (!found) {
    throw new UserError(
      `input 'image': ${options.image} is not in its registry (no tag ${tag} in ${host}/${reference.repository})`,
    );
  }
  const name = options.image.slice(0, options.image.length - (reference.tag ? reference.tag.length + 1 : 0));
  return { image: `${name}@${found.digest}`, digest: found.digest };
}

/**
 * The tag in the registry, when it was built from these very inputs: a re-run
 * deploys it by digest and builds nothing. Docker builds carry the inputs'
 * hash as a label; ACR Tasks cannot add one, so there only a tag made from
 * that hash says so.
 */
async function alreadyBuilt(
  options: BuildImageOptions,
  spec: DockerBuild,
  credentials: RegistryCredentials | undefined,
  platform: Platform,
): Promise<DeployedImage | undefined> {
  try {
    const found = await lookUpImage(options.server, options.repository, spec.tag, options.platform, credentials);
    const sameInputs =
      options.build === 'docker'
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

async function acrBuild(
  reference: string,
  options: BuildImageOptions,
  spec: DockerBuild,
  azure: AzurePlan,
  platform: Platform,
): Promise<DeployedImage> {
  platform.info(`building ${reference} with ACR Tasks`);
  // The ACR and Storage clients load only for this route.
  const { acrBuildAndPush } = await import('./acr-tasks.js');
  const build = {
    ...spec,
    server: options.server,
    path: options.repository,
    subscriptionId: options.subscriptionId as string,
  };
  return acrBuildAndPush(await azure.session(), build, platform);
}

async function dockerBuild(
  docker: string,
  options: BuildImageOptions,
  spec: DockerBuild,
  credentials: RegistryCredentials | undefined,
  azure: AzurePlan | undefined,
  platform: Platform,
): Promise<DeployedImage> {
  const login = credentials ? writeDockerConfig(options.server, credentials) : undefined;
  try {
    platform.info(`building ${spec.repository}:${spec.tag}`);
    return await buildAndPush(docker, spec, login?.dir, platform).catch(async (error: unknown) => {
      // An ACR that accepts the identity's login yet refuses the push: the identity lacks the role its mode needs.
      const refused = error instanceof UserError && /^docker push failed .*(unauthorized|denied)/i.test(error.message);
      if (azure !== undefined && options.credentials === undefined && refused) {
        const advice = await refusedPushAdvice(options.server, azure, options.subscriptionId);
        throw new UserError(`${error.message}; ${advice}`);
      }
      throw error;
    });
  } finally {
    login?.remove();
  }
}
