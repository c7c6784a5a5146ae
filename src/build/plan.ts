import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { UserError } from '../errors.js';
import type { ImagePlan } from '../inputs/resolve.js';
import { IMAGE_TAG } from '../registry/reference.js';
import { buildInputsHash, contextFiles } from './build-inputs.js';
import { type DockerBuild, findDocker } from './docker.js';

export interface PlannedImage {
  /** What render uses before the push: the given image, or `server/repository:tag`. */
  readonly reference: string;
  /** Absent: nothing to build (an image was given, or a dry run). */
  readonly build?: { readonly via: 'docker'; readonly docker: string; readonly spec: DockerBuild } | { readonly via: 'acr'; readonly spec: DockerBuild };
  readonly warnings: readonly string[];
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
export async function planImage(plan: ImagePlan, commit: string | undefined, dryRun: boolean): Promise<PlannedImage> {
  if (plan.build === 'none') return { reference: plan.image, warnings: [] };
  if (!existsSync(plan.context) || !statSync(plan.context).isDirectory()) {
    throw new UserError(`input 'build-context': ${plan.context} is not a folder`);
  }
  const dockerfile = isAbsolute(plan.dockerfile) ? plan.dockerfile : join(plan.context, plan.dockerfile);
  if (!existsSync(dockerfile) || !statSync(dockerfile).isFile()) {
    throw new UserError(`input 'dockerfile': ${dockerfile} does not exist (it is read relative to the build context ${plan.context})`);
  }
  const inContext = relative(plan.context, dockerfile);
  if (plan.build === 'acr' && (isAbsolute(inContext) || inContext === '..' || inContext.startsWith(`..${sep}`))) {
    throw new UserError(`input 'dockerfile': ${dockerfile} is outside the build context ${plan.context}; build: acr uploads only the context`);
  }
  const files = contextFiles(plan.context);
  const warnings = files
    .filter((file) => LOCAL_SECRETS.test(file))
    .map((file) => `${join(plan.context, file)} goes into the image: its settings (often secrets) can be read by anyone who can pull it; add it to .dockerignore`);
  const inputs = { context: plan.context, dockerfile, buildArgs: plan.buildArgs, platform: plan.platform, target: plan.target };
  const inputsHash = buildInputsHash(inputs, files);
  const tag = plan.tag ?? (commit !== undefined && IMAGE_TAG.test(commit) ? commit : inputsTag(inputsHash));
  const repository = `${plan.server}/${plan.repository}`;
  const reference = `${repository}:${tag}`;
  const spec = { ...inputs, repository, tag, inputsHash };
  // A dry run builds nothing, and ACR builds in Azure: neither needs Docker here.
  if (dryRun) return { reference, warnings };
  if (plan.build === 'acr') return { reference, warnings, build: { via: 'acr', spec } };
  return { reference, warnings, build: { via: 'docker', docker: await findDocker(), spec } };
}
