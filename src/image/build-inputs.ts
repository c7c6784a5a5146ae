import { createHash, type Hash } from 'node:crypto';
import { type Dirent, lstatSync, readdirSync, readlinkSync, readSync, realpathSync } from 'node:fs';
import { isAbsolute, join, posix, relative, sep } from 'node:path';
import dockerignoreModule from '@balena/dockerignore';
import { UserError } from '../errors.js';
import { isPresent, openProblem, readUserFile, withUserFile } from '../files.js';

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
    const stat = inContext(inputs.context, path, () => lstatSync(full));
    field(path);
    if (stat.isSymbolicLink()) {
      // Docker sends a symlink as the link itself, never what it points at (which may be outside the context).
      field(`link:${inContext(inputs.context, path, () => readlinkSync(full))}`);
    } else if (stat.isFile()) {
      field(`mode:${stat.mode & 0o111 ? 'x' : '-'}`);
      hashContent(hash, full);
    } else {
      throw specialFile(inputs.context, path);
    }
  }
  field(readUserFile(inputs.dockerfile, inputs.dockerfile));
  for (const [key, value] of Object.entries(inputs.buildArgs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    field(`${key}=${value}`);
  field(inputs.platform);
  field(inputs.target ?? '');
  return hash.digest('hex');
}

/** A file's bytes into the hash in pieces: a context may hold files larger than a Buffer can. */
function hashContent(hash: Hash, full: string): void {
  withUserFile(full, full, (fd, size) => {
    hash.update(`${size}:`);
    const chunk = Buffer.allocUnsafe(1024 * 1024);
    let left = size;
    // The size as stat gave it: a file that grows meanwhile is hashed as it was, one that shrinks is an error.
    while (left > 0) {
      const read = readSync(fd, chunk, 0, Math.min(chunk.length, left), null);
      if (read === 0) throw new UserError(`${full}: changed while it was read`, full);
      hash.update(chunk.subarray(0, read));
      left -= read;
    }
  });
}

/** Context-relative POSIX paths, sorted, of what Docker would send. */
export function contextFiles(context: string): string[] {
  const ignoreFile = join(context, '.dockerignore');
  const patterns = isPresent(ignoreFile, ignoreFile)
    ? readUserFile(ignoreFile, ignoreFile).toString('utf8').split(/\r?\n/)
    : [];
  const ignored = dockerignore().add(patterns);
  // The fixed start of each `!` exception: an ignored folder is only read when one could match inside it.
  const exceptions = patterns
    .filter((pattern) => pattern.trim().startsWith('!'))
    .map((pattern) => pattern.trim().slice(1).replace(/^\/+/, '').split(/[*?[]/)[0] as string);
  const mayHoldException = (folder: string) =>
    exceptions.some((start) => start === '' || start.startsWith(`${folder}/`) || `${folder}/`.startsWith(start));
  const files: string[] = [];
  const walk = (folder: string) => {
    const entries: Dirent[] = inContext(context, folder, () =>
      readdirSync(join(context, folder), { withFileTypes: true }),
    );
    for (const entry of entries) {
      const path = folder === '' ? entry.name : posix.join(folder, entry.name);
      // A symlink to a folder is not a folder here: the walk never leaves the context through one.
      if (entry.isDirectory()) {
        if (!ignored.ignores(path) || mayHoldException(path)) walk(path);
      } else if (!ignored.ignores(path)) {
        if (!entry.isFile() && !entry.isSymbolicLink()) throw specialFile(context, path);
        files.push(path);
      }
    }
  };
  walk('');
  return files.sort();
}

/**
 * The Dockerfile's path inside the context, with '/', by real paths: a folder symlinked out of the context does not
 * bring its files in. Undefined when the Dockerfile is outside.
 */
export function dockerfileInContext(context: string, dockerfile: string): string | undefined {
  const inside = relative(realpathSync(context), realpathSync(dockerfile));
  if (isAbsolute(inside) || inside === '..' || inside.startsWith(`..${sep}`)) return undefined;
  return inside.split(sep).join('/');
}

/**
 * A FIFO, socket or device has no content an image could hold: Docker's builders each treat them their own way
 * (sockets are skipped, FIFOs sent empty), and reading one may block. In an app's context one is a leftover.
 */
function specialFile(context: string, path: string): UserError {
  const full = join(context, path);
  return new UserError(
    `${full}: not a regular file, folder or symlink (a device, FIFO or socket), which cannot go into the build ` +
      'context; add it to .dockerignore',
    full,
  );
}

/** A file system call on `path` in the context, its failure one error that names the path. */
function inContext<T>(context: string, path: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    const full = join(context, path);
    throw new UserError(`${full}: ${openProblem(full, error)}`, full);
  }
}
