// Checks the example workflows with actionlint, built from its Go module once
// and cached by version (like the local cluster's binaries).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const VERSION = 'v1.7.12';
const dir = join(
  process.env.AFD_CACHE_DIR ?? join(homedir(), '.cache', 'aks-functions-deploy'),
  `actionlint-${VERSION}`,
);
const actionlint = join(dir, 'actionlint');
if (!existsSync(actionlint)) {
  console.error(`building actionlint ${VERSION} into ${dir}`);
  const built = spawnSync('go', ['install', `github.com/rhysd/actionlint/cmd/actionlint@${VERSION}`], {
    stdio: 'inherit',
    env: { ...process.env, GOBIN: dir },
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
const workflows = readdirSync('examples/github')
  .filter((file) => file.endsWith('.yml'))
  .map((file) => join('examples/github', file));
const checked = spawnSync(actionlint, workflows, { stdio: 'inherit' });
if (checked.status === 0) console.error(`actionlint: ${workflows.join(', ')} pass`);
process.exit(checked.status ?? 1);
