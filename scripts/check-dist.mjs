// Fails when the committed dist/ is not what `npm run build` makes from src/:
// users run the committed bundle, so a stale one ships old behaviour.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const fresh = mkdtempSync(join(tmpdir(), 'afd-dist-'));
try {
  execFileSync(process.execPath, ['scripts/build.mjs', '--outdir', fresh], { stdio: 'inherit' });
  const files = (dir) =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : [path];
    });
  const listed = (dir) => new Map(files(dir).map((path) => [relative(dir, path), readFileSync(path)]));
  const built = listed(fresh);
  const committed = listed('dist');
  const stale = [...new Set([...built.keys(), ...committed.keys()])].filter(
    (name) => !built.get(name)?.equals(committed.get(name) ?? Buffer.alloc(0)) || !committed.has(name),
  );
  if (stale.length > 0) {
    console.error(`error: dist/ is stale (${stale.join(', ')}): run npm run build and commit dist/`);
    process.exit(1);
  }
  console.log('dist/ matches a fresh build');
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
