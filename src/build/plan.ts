import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { UserError } from '../errors.js';
import type { ImagePlan } from '../inputs/resolve.js';
import { buildInputsHash } from './build-inputs.js';
import { type DockerBuild, findDocker } from './docker.js';

export interface PlannedImage {
  /** What render uses before the push: the given image, or `server/repository:tag`. */
  readonly reference: string;
  readonly build?: { readonly docker: string; readonly spec: DockerBuild };
}

/**
 * Everything about the image that can be checked without changing anything:
 * the context and Dockerfile exist, Docker is there, and the tag (the run's
 * commit, else the build-inputs hash) is known.
 */
export async function planImage(plan: ImagePlan, commit: string | undefined): Promise<PlannedImage> {
  if (plan.build === 'none') return { reference: plan.image };
  if (!existsSync(plan.context) || !statSync(plan.context).isDirectory()) {
    throw new UserError(`input 'build-context': ${plan.context} is not a folder`);
  }
  const dockerfile = isAbsolute(plan.dockerfile) ? plan.dockerfile : join(plan.context, plan.dockerfile);
  if (!existsSync(dockerfile) || !statSync(dockerfile).isFile()) {
    throw new UserError(`input 'dockerfile': ${dockerfile} does not exist (it is read relative to the build context ${plan.context})`);
  }
  const docker = await findDocker();
  const inputsHash = buildInputsHash({ context: plan.context, dockerfile, buildArgs: plan.buildArgs, platform: plan.platform });
  const tag = plan.tag ?? commit ?? `inputs-${inputsHash.slice(0, 16)}`;
  const repository = `${plan.server}/${plan.repository}`;
  return {
    reference: `${repository}:${tag}`,
    build: { docker, spec: { context: plan.context, dockerfile, buildArgs: plan.buildArgs, platform: plan.platform, repository, tag, inputsHash } },
  };
}
