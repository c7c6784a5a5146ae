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
}

/**
 * A SHA-256 over the build context as Docker sends it (.dockerignore applied),
 * the Dockerfile, the build arguments and the platform: the same inputs give
 * the same hash, so it can tag the image and say whether a rebuild is needed.
 */
export function buildInputsHash(inputs: BuildInputs): string {
  const hash = createHash('sha256');
  const field = (value: string | Buffer) => {
    hash.update(`${value.length}:`);
    hash.update(value);
  };
  const ignoreFile = join(inputs.context, '.dockerignore');
  const patterns = existsSync(ignoreFile) ? readFileSync(ignoreFile, 'utf8').split(/\r?\n/) : [];
  for (const path of contextFiles(inputs.context, patterns)) {
    const full = join(inputs.context, path);
    const stat = lstatSync(full);
    field(path);
    field(stat.isSymbolicLink() ? `link:${readlinkSync(full)}` : `mode:${stat.mode & 0o111 ? 'x' : '-'}`);
    if (stat.isFile()) field(readFileSync(full));
  }
  field(readFileSync(inputs.dockerfile));
  for (const [key, value] of Object.entries(inputs.buildArgs).sort(([a], [b]) => a.localeCompare(b))) field(`${key}=${value}`);
  field(inputs.platform);
  return hash.digest('hex');
}

/** Context-relative POSIX paths, sorted, of what Docker would send. */
function contextFiles(context: string, patterns: readonly string[]): string[] {
  const ignored = dockerignore().add([...patterns]);
  // Without `!` exceptions nothing inside an ignored folder comes back, so node_modules and the like are not read.
  const canSkipFolders = !patterns.some((pattern) => pattern.trim().startsWith('!'));
  const files: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(context, relative), { withFileTypes: true })) {
      const path = relative === '' ? entry.name : posix.join(relative, entry.name);
      if (entry.isDirectory()) {
        if (!(canSkipFolders && ignored.ignores(path))) walk(path);
      } else if (!ignored.ignores(path)) {
        files.push(path);
      }
    }
  };
  walk('');
  return files.sort();
}
