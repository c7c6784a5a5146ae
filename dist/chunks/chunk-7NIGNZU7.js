import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  UserError
} from "./chunk-TE2V2DN4.js";

// src/files.ts
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from "node:fs";
var USER_FILE_LIMIT = 4 * 1024 * 1024;
function readUserFile(path, shownAs, limit = USER_FILE_LIMIT) {
  return withUserFile(path, shownAs, (fd, size) => readAtMost(fd, size, limit, shownAs));
}
function withUserFile(path, shownAs, use) {
  let fd;
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
function readAtMost(fd, claimed, limit, shownAs) {
  const tooLarge = () => new UserError(`${shownAs}: larger than the ${limit / 1024 / 1024} MiB limit`, shownAs);
  if (claimed > limit) throw tooLarge();
  let buffer = Buffer.allocUnsafe(Math.min(limit, Math.max(claimed, 64 * 1024)) + 1);
  let length = 0;
  for (; ; ) {
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
function openProblem(path, error) {
  const code = codeOf(error);
  if (code === "ENOENT") return isSymlink(path) ? "is a symlink to a file that does not exist" : "does not exist";
  if (code === "ELOOP") return "is a symlink loop";
  if (code === "EACCES" || code === "EPERM") return `cannot read: permission denied (${code})`;
  return `cannot read (${code})`;
}
function isSymlink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
function codeOf(error) {
  return error.code ?? "unknown error";
}
function readInputFile(path, input) {
  const shownAs = `input '${input}'`;
  try {
    return isPresent(path, shownAs) ? readUserFile(path, shownAs) : void 0;
  } catch (error) {
    throw error instanceof UserError ? new UserError(error.message) : error;
  }
}
function isPresent(path, shownAs) {
  try {
    lstatSync(path);
    return true;
  } catch (error) {
    const code = codeOf(error);
    if (code === "ENOENT" || code === "ENOTDIR" || code === "ENAMETOOLONG") return false;
    throw new UserError(`${shownAs}: cannot read (${code})`, shownAs);
  }
}

export {
  readUserFile,
  withUserFile,
  openProblem,
  readInputFile,
  isPresent
};
