import {
  closeSync,
  constants,
  existsSync,
  fchmodSync,
  fstatSync,
  ftruncateSync,
  lstatSync,
  openSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { type AppSource, discoverApp } from '../discovery/discover.js';
import type { FunctionApp } from '../discovery/model.js';
import { oneLine, UserError } from '../errors.js';
import { type Log, mask, type Platform } from '../platform.js';
import { redactSecrets, toYaml } from '../render/manifest.js';
import { type KubeObject, render, type RenderOptions } from '../render/render.js';
import {
  isSecretSetting,
  isShownSetting,
  looksSecret,
  settingsNamingTriggerEntities,
} from '../render/secret-values.js';

/** The `render` command: discover the app, render it, print or write the YAML. Loads no cluster or Azure client. */

export interface RenderCommandOptions {
  readonly app: AppSource;
  readonly render: RenderOptions;
  readonly manifestsOutput?: string;
  readonly showSecrets: boolean;
  /** The values of the inputs that are not secret: a setting equal to one is not masked. */
  readonly shownInputs: ReadonlySet<string>;
}

export interface RenderResult {
  readonly objects: readonly KubeObject[];
  /** The YAML as the user asked to see it: Secret values redacted unless show-secrets. */
  readonly manifests: string;
}

/** discover → render → write. */
export async function renderApp(options: RenderCommandOptions, platform: Platform): Promise<RenderResult> {
  const app = await discoverStage(options, platform);
  const objects = renderStage(app, options.render, platform);
  return { objects, manifests: writeManifests(objects, options) };
}

/** The discovery stage: the app's functions and settings, with every secret setting masked before anything prints. */
export async function discoverStage(
  options: {
    app: AppSource;
    render: Pick<RenderOptions, 'secretName' | 'configMapName'>;
    shownInputs: ReadonlySet<string>;
  },
  platform: Platform,
): Promise<FunctionApp> {
  const settingsFromExistingObjects =
    options.render.secretName !== undefined || options.render.configMapName !== undefined;
  const discovery = await discoverApp(options.app, settingsFromExistingObjects);
  // A worker runtime, or a queue name a trigger reads by %Name%, stays readable. Masked values are base64 in a
  // Secret: mask that form too.
  const shown = {
    namingTriggerEntities: settingsNamingTriggerEntities(discovery.app.functions),
    inputValues: options.shownInputs,
  };
  for (const [name, value] of Object.entries(discovery.app.settings.values)) {
    if (isShownSetting(name, value, shown)) continue;
    mask(platform, value);
    mask(platform, Buffer.from(value, 'utf8').toString('base64'));
  }
  for (const warning of discovery.warnings) platform.warning(oneLine(warning));
  return discovery.app;
}

/** The render stage: the pure render, its warnings passed to the log. */
export function renderStage(app: FunctionApp, options: RenderOptions, log: Log): readonly KubeObject[] {
  const rendered = render(app, options);
  for (const warning of rendered.warnings) log.warning(oneLine(warning));
  return rendered.objects;
}

/**
 * What a person reading a deploy's log wants to know of the app: its functions and worker runtime, and what each KEDA
 * trigger watches. Render refuses to inline a secret setting, but a function.json may spell out a credential itself; a
 * value that looks like one is withheld, as the CLI masks nothing.
 */
export function appSummary(app: FunctionApp, objects: readonly KubeObject[]): string[] {
  const runtime = app.settings.values.FUNCTIONS_WORKER_RUNTIME;
  const shownRuntime =
    runtime !== undefined && !isSecretSetting('FUNCTIONS_WORKER_RUNTIME', runtime) ? `; worker runtime ${runtime}` : '';
  const functions = app.functions.map((fn) => `${fn.name} (${fn.trigger.type})`).join(', ');
  const lines = [`functions: ${functions || 'none'}${shownRuntime}`];
  for (const object of objects.filter((candidate) => candidate.kind === 'ScaledObject')) {
    const { triggers } = (
      object as KubeObject & { spec: { triggers: { type: string; metadata: Record<string, string> }[] } }
    ).spec;
    for (const trigger of triggers) {
      const metadata = Object.entries(trigger.metadata).map(
        ([key, value]) => `${key}: ${looksSecret(value) ? '(withheld: it looks like a credential)' : value}`,
      );
      lines.push(`ScaledObject ${object.metadata.name}: ${trigger.type} (${metadata.join(', ')})`);
    }
  }
  return lines;
}

/**
 * The YAML as the user asked to see it (Secret values redacted unless show-secrets), written to manifests-output when
 * given.
 */
export function writeManifests(
  objects: readonly KubeObject[],
  options: Pick<RenderCommandOptions, 'showSecrets' | 'manifestsOutput'>,
): string {
  const manifests = toYaml(options.showSecrets ? objects : redactSecrets(objects));
  if (options.manifestsOutput !== undefined) writeOutputFile(options.manifestsOutput, manifests, options.showSecrets);
  return manifests;
}

/**
 * What writing manifests-output would refuse, checked before a deploy's first change (the file is written only after
 * the build and the cluster's preparation): a symlink, something other than a regular file, a missing folder.
 */
export function checkManifestsOutput(path: string | undefined): void {
  if (path === undefined) return;
  const problem = (what: string) => new UserError(`input 'manifests-output': ${what}`);
  let found;
  try {
    found = lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw problem(`cannot write ${path} (${code})`);
    if (!existsSync(dirname(path))) throw problem(`cannot write ${path}: its folder does not exist`);
    return;
  }
  if (found.isSymbolicLink()) throw problem(`${path} is a symlink: give the path of the file itself`);
  if (!found.isFile()) throw problem(`${path} is not a regular file (a folder, device, FIFO or socket)`);
}

/**
 * Writes manifests-output in place. A symlink there is refused, not followed: its target (anywhere, anyone's) would
 * get the Secret values, and replacing the link would silently undo how the user laid out their files. With secrets
 * the file is made 0600 before a byte is written, also when it existed with a wider mode.
 */
function writeOutputFile(path: string, content: string, secret: boolean): void {
  const problem = (what: string) => new UserError(`input 'manifests-output': ${what}`);
  const cannotWrite = (error: unknown) => problem(`cannot write ${path} (${(error as NodeJS.ErrnoException).code})`);
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO with no reader fails at once (ENXIO) instead of hanging the step.
    fd = openSync(
      path,
      constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK,
      secret ? 0o600 : 0o644,
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP')
      throw problem(`${path} is a symlink: give the path of the file itself`);
    throw cannotWrite(error);
  }
  try {
    if (!fstatSync(fd).isFile()) throw problem(`${path} is not a regular file (a device, FIFO or socket)`);
    if (secret) fchmodSync(fd, 0o600);
    // Truncated only now: a device or FIFO above is left as it was.
    ftruncateSync(fd);
    writeFileSync(fd, content);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw cannotWrite(error);
  } finally {
    closeSync(fd);
  }
}
