import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import { UserError } from './errors.js';

/** Far more than any host.json, function.json, settings file or kubeconfig holds. */
export const USER_FILE_LIMIT = 4 * 1024 * 1024;

/**
 * Reads a file the user gave, or one in their app: a regular file only, of at most `limit` bytes. A FIFO would
 * block and /dev/zero never ends, so the file is opened without blocking and checked before a byte is read.
 * Errors name the file (`shownAs`), never its content.
 */
export function readUserFile(path: string, shownAs: string, limit = USER_FILE_LIMIT): Buffer {
  return withUserFile(path, shownAs, (fd, size) => readAtMost(fd, size, limit, shownAs));
}

/**
 * Opens a regular file the user gave (as readUserFile does: without blocking, checked before a byte is read) and
 * hands `use` its descriptor and size. Errors from `use` that are not UserErrors become one that names the file.
 */
export function withUserFile<T>(path: string, shownAs: string, use: (fd: number, size: number) => T): T {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new UserError(`${shownAs}: ${openProblem(path, error)}`, shownAs);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new UserError(`${shownAs}: is a folder, not a file`, shownAs);
    if (!stat.isFile()) throw new UserError(`${shownAs}: not a regular file (a device, FIFO or socket)`, shownAs);
    return use(fd, stat.size);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${shownAs}: cannot read (${codeOf(error)})`, shownAs);
  } finally {
    closeSync(fd);
  }
}

/** Reads to the end, growing from the size the file claims (it can be wrong: a file still growing), never past `limit`. */
function readAtMost(fd: number, claimed: number, limit: number, shownAs: string): Buffer {
  const tooLarge = () => new UserError(`${shownAs}: larger than the ${limit / 1024 / 1024} MiB limit`, shownAs);
  if (claimed > limit) throw tooLarge();
  let buffer = Buffer.allocUnsafe(Math.min(limit, Math.max(claimed, 64 * 1024)) + 1);
  let length = 0;
  for (;;) {
    const read = readSync(fd, buffer, length, buffer.length - length, null);
    if (read === 0) return buffer.subarray(0, length);
    length += read;
    if (length > limit) throw tooLarge();
    if (length === buffer.length) {
      const grown = Buffer.allocUnsafe(Math.min(limit, buffer.length * 2) + 1);
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
  }
}

/** What a failed open means, in words: a symlink to nothing is not the same as no file. */
export function openProblem(path: string, error: unknown): string {
  const code = codeOf(error);
  if (code === 'ENOENT') return isSymlink(path) ? 'is a symlink to a file that does not exist' : 'does not exist';
  if (code === 'ELOOP') return 'is a symlink loop';
  if (code === 'EACCES' || code === 'EPERM') return `cannot read: permission denied (${code})`;
  return `cannot read (${code})`;
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'unknown error';
}

/**
 * The file an input names (a secret input that may hold content instead), or undefined when nothing is at that
 * path. Errors are readUserFile's, naming the input rather than the path, which a secret input's log shows as ***,
 * and annotating no file.
 */
export function readInputFile(path: string, input: string): Buffer | undefined {
  const shownAs = `input '${input}'`;
  try {
    return isPresent(path, shownAs) ? readUserFile(path, shownAs) : undefined;
  } catch (error) {
    throw error instanceof UserError ? new UserError(error.message) : error;
  }
}

/**
 * Whether anything is at `path` (a dangling symlink counts: it is there, and broken). Only "nothing there" is
 * false; anything else is an error, not an absence, or a function behind it would silently go missing.
 */
export function isPresent(path: string, shownAs: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (error) {
    const code = codeOf(error);
    // A name too long for the file system names nothing (and is more likely content than a path).
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENAMETOOLONG') return false;
    throw new UserError(`${shownAs}: cannot read (${code})`, shownAs);
  }
}
