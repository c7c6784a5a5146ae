// The bundle the bench runs: a snapshot of dist/, complete.

import fs from 'node:fs';
import path from 'node:path';
import { REPO, note, sleep } from './common.mjs';

/** Every relative import of every file in `dist` resolves: not caught halfway through a rebuild. */
function completeBundle(dist) {
  if (!fs.existsSync(path.join(dist, 'cli.js'))) return false;
  for (const entry of fs.readdirSync(dist, { recursive: true })) {
    const file = path.join(dist, entry);
    if (!file.endsWith('.js')) continue;
    const text = fs.readFileSync(file, 'utf8');
    // esbuild's chunk names (chunks/[name]-[hash]); other './x' strings in the bundle are its dependencies' comments.
    for (const m of text.matchAll(
      /(?:from\s*|import\s*\(\s*|import\s+)["'](\.{1,2}\/(?:chunks\/)?[\w-]+-[A-Z0-9]{8}\.js)["']/g,
    )) {
      if (!fs.existsSync(path.resolve(path.dirname(file), m[1]))) return false;
    }
  }
  return true;
}

/**
 * dist/ is rebuilt whenever src/ changes: the bench runs a copy taken at its
 * start (with a package.json saying ESM, as the repository's does), so that
 * every run measures one and the same bundle. The bundle needs no
 * node_modules, so it runs from anywhere.
 */
export async function snapshotDist(tmp) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const dir = path.join(tmp, `bundle-${attempt}`);
    try {
      fs.cpSync(path.join(REPO, 'dist'), path.join(dir, 'dist'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
      if (completeBundle(path.join(dir, 'dist'))) return path.join(dir, 'dist', 'cli.js');
    } catch {
      // dist/ changed while it was copied
    }
    fs.rmSync(dir, { recursive: true, force: true });
    note('dist/ is being rebuilt; waiting for a complete bundle');
    await sleep(3000);
  }
  throw new Error('dist/ is incomplete (missing chunks): npm run build');
}
