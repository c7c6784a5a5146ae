import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared beside the clone (as CI lays it out), or AFD_SHARED_DIR. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED_DIR = process.env.AFD_SHARED_DIR ?? resolve(REPO_ROOT, '../shared');

export function sharedPath(...parts: string[]): string {
  const path = join(SHARED_DIR, ...parts);
  if (!existsSync(path))
    throw new Error(`${path} is missing: the tests need ../shared beside the clone (or AFD_SHARED_DIR)`);
  return path;
}
