import { UserError } from '../errors.js';
import type { BuildImageOptions, ImageOptions, RegistryLogin } from '../image/plan.js';
import { IMAGE_TAG, type ImageReference, parseImageReference, REPOSITORY_PATH } from '../registry/reference.js';
import { loginServer, type RegistryCredentials } from '../registry/registry.js';
import { checkImageReference, parseKeyValueLines } from './checks.js';
import type { InputValues } from './values.js';

const PUSH_TARGET_INPUTS = ['registry', 'repository', 'tag'] as const;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;

/**
 * `image` alone deploys that image; `registry` (+ `repository`, `tag`) or an
 * `image` with build: docker names where the build is pushed.
 */
export function resolveImage(values: InputValues): ImageOptions {
  const image = values.string('image');
  const build = values.string('build') ?? (image === undefined ? 'docker' : 'none');
  const pushTarget = PUSH_TARGET_INPUTS.filter((name) => values.string(name) !== undefined);
  if (image !== undefined && pushTarget.length > 0 && values.string('build') !== 'none') {
    throw new UserError(
      `inputs 'image' and '${pushTarget[0]}' both name the image: give image to deploy it ` +
        '(or, with build: docker, to push the build there), or registry with repository and tag',
    );
  }
  const credentials = registryCredentials(values);
  const login = values.required('registry-login') as RegistryLogin;
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
      login,
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
    if (login === 'docker')
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
    login,
    ...(credentials ? { credentials } : {}),
  };
}

type PushTarget = Pick<BuildImageOptions, 'server' | 'repository' | 'tag'>;

function registryCredentials(values: InputValues): RegistryCredentials | undefined {
  const username = values.string('registry-username');
  const password = values.string('registry-password');
  if ((username === undefined) !== (password === undefined)) {
    throw new UserError(
      `input '${username === undefined ? 'registry-username' : 'registry-password'}' is required with input ` +
        `'${username === undefined ? 'registry-password' : 'registry-username'}'`,
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
      `input 'repository': '${repository}' is not a repository path (lower-case letters, digits, '.', '_', ` +
        `'-', '/' between parts)`,
    );
  const tag = values.string('tag');
  if (tag !== undefined && !IMAGE_TAG.test(tag))
    throw new UserError(
      `input 'tag': '${tag}' is not an image tag (letters, digits, '_', '.', '-'; at most 128; not starting ` +
        `with '.' or '-')`,
    );
  return { server: loginServer(registry, values.required('cloud')), repository, tag };
}

/** With build: docker, `image` is the push target: `server/repository[:tag]`, no digest (the build makes it). */
function pushTargetFromImage(image: string, cloud: string): PushTarget {
  const reference = parseImageReference(checkImageReference('image', image)) as ImageReference;
  if (reference.digest)
    throw new UserError(
      `input 'image': '${image}' has a digest, but build: docker pushes a new image; drop the digest, or set ` +
        `build: none to deploy it as is`,
    );
  if (reference.host === undefined)
    throw new UserError(
      `input 'image': '${image}' does not name a registry to push to; use registry.example/${image} or input ` +
        `'registry'`,
    );
  return { server: loginServer(reference.host, cloud), repository: reference.repository, tag: reference.tag };
}
