// Packages the Azure Pipelines task as a .vsix with tfx-cli: the task folder
// holds task.json and the committed bundle it runs, nothing else (the bundle
// needs no node_modules). The version comes from package.json, which
// task.json and vss-extension.json must match.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
const task = JSON.parse(readFileSync('task.json', 'utf8'));
const extension = JSON.parse(readFileSync('vss-extension.json', 'utf8'));
const taskVersion = `${task.version.Major}.${task.version.Minor}.${task.version.Patch}`;
if (taskVersion !== version || extension.version !== version) {
  console.error(
    `error: versions differ: package.json ${version}, task.json ${taskVersion}, vss-extension.json ${extension.version}`,
  );
  process.exit(1);
}
const stage = join('build', 'azdo');
rmSync(stage, { recursive: true, force: true });
mkdirSync(join(stage, 'task'), { recursive: true });
cpSync('task.json', join(stage, 'task', 'task.json'));
cpSync('dist', join(stage, 'task', 'dist'), { recursive: true });
cpSync('vss-extension.json', join(stage, 'vss-extension.json'));
cpSync('README.md', join(stage, 'README.md'));
const output = `aks-functions-deploy-${version}.vsix`;
const packed = spawnSync(
  join('node_modules', '.bin', 'tfx'),
  [
    'extension',
    'create',
    '--root',
    stage,
    '--manifest-globs',
    'vss-extension.json',
    '--output-path',
    output,
    '--no-prompt',
  ],
  { stdio: 'inherit' },
);
if (packed.status !== 0) process.exit(packed.status ?? 1);
console.error(`packaged ${output}`);
