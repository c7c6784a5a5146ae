import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, posix } from 'node:path';
import dockerignoreModule from '@balena/dockerignore';

// A CommonJS package whose types declare a default export: imported from ESM, the default is the factory itself.
const dockerignore = dockerignoreModule as unknown as typeof dockerignoreModule.default;

/** Everything that decides what `docker build` produces. */
export interface BuildInputs {
  readonly context: string;
  /** Path of the Dockerfile (it is sent even when .dockerignore lists it). */
  readonly dockerfile: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly platform: string;
  readonly target?: string;
}

/**
 * A SHA-256 over the build context as Docker sends it (.dockerignore applied),
 * the Dockerfile, the build arguments and the platform: the same inputs give
 * the same hash, so it can tag the image (and mark it, with a label).
 */
export function buildInputsHash(inputs: BuildInputs, files: readonly string[] = contextFiles(inputs.context)): string {
  const hash = createHash('sha256');
  const field = (value: string | Buffer) => {
    hash.update(`${Buffer.byteLength(value)}:`);
    hash.update(value);
  };
  for (const path of files) {
    const full = join(inputs.context, path);
    const stat = lstatSync(full);
    field(path);
    field(stat.isSymbolicLink() ? `link:${readlinkSync(full)}` : `mode:${stat.mode & 0o111 ? 'x' : '-'}`);
    if (stat.isFile()) field(readFileSync(full));
  }
  field(readFileSync(inputs.dockerfile));
  for (const [key, value] of Object.entries(inputs.buildArgs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    field(`${key}=${value}`);
  field(inputs.platform);
  field(inputs.target ?? '');
  return hash.digest('hex');
}

/** Context-relative POSIX paths, sorted, of what Docker would send. */
export function contextFiles(context: string): string[] {
  const ignoreFile = join(context, '.dockerignore');
  const patterns = existsSync(ignoreFile) ? readFileSync(ignoreFile, 'utf8').split(/\r?\n/) : [];
  const ignored = dockerignore().add(patterns);
  // The fixed start of each `!` exception: an ignored folder is only read when one could match inside it.
  const exceptions = patterns
    .filter((pattern) => pattern.trim().startsWith('!'))
    .map((pattern) => pattern.trim().slice(1).replace(/^\/+/, '').split(/[*?[]/)[0] as string);
  const mayHoldException = (folder: string) =>
    exceptions.some((start) => start === '' || start.startsWith(`${folder}/`) || `${folder}/`.startsWith(start));
  const files: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(context, relative), { withFileTypes: true })) {
      const path = relative === '' ? entry.name : posix.join(relative, entry.name);
      if (entry.isDirectory()) {
        if (!ignored.ignores(path) || mayHoldException(path)) walk(path);
      } else if (!ignored.ignores(path)) {
        files.push(path);
      }
    }
  };
  walk('');
  return files.sort();
}
