import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temp folder for one test file, removed after it. */
export function workFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), `afd-${prefix}-`));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/** A new app folder under `work`; `files` maps paths to contents. */
export function appWith(work: string, files: Record<string, string>): string {
  const root = mkdtempSync(join(work, 'app-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}
