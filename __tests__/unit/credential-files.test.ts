import { lstatSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployApp } from '../../src/commands/deploy.js';
import { writeManifests } from '../../src/commands/render.js';
import { UserError } from '../../src/errors.js';
import { resolveDeployCommand } from '../../src/inputs/resolve.js';
import type { Platform } from '../../src/platform.js';
import type { KubeObject } from '../../src/render/render.js';
import { runTask } from '../task-runner/run-task.js';
import { captureSecrets } from '../captured.js';
import { workFolder } from './temp-app.js';

const work = workFolder('credential-files');
const SETTING = 'Endpoint=sb://bus/;SharedAccessKey=bWFuaWZlc3RzLW91dHB1dA==';
const SETTING_BASE64 = Buffer.from(SETTING).toString('base64');
captureSecrets([SETTING, SETTING_BASE64]);

const secret: KubeObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'orders' },
  data: { AzureWebJobsStorage: SETTING_BASE64 },
} as KubeObject;

function recordingPlatform() {
  const outputs: [string, string, boolean | undefined][] = [];
  const platform: Platform = {
    info: () => undefined,
    warning: () => undefined,
    setSecret: () => undefined,
    setOutput: (name, value, isSecret) => outputs.push([name, value, isSecret]),
    run: {},
  };
  return { platform, outputs };
}

describe('manifests-output with show-secrets', () => {
  test('an existing 0644 file is 0600 after, with the secrets in it', () => {
    const path = join(work, 'existing.yaml');
    writeFileSync(path, 'old content that is longer than nothing\n'.repeat(100), { mode: 0o644 });
    expect(statSync(path).mode & 0o777).toBe(0o644);
    writeManifests([secret], { showSecrets: true, manifestsOutput: path });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toContain(SETTING_BASE64);
    expect(readFileSync(path, 'utf8')).not.toContain('old content');
  });

  test('a symlink at the path is refused with one error, and its target is never written', () => {
    const target = join(work, 'target.yaml');
    const link = join(work, 'link.yaml');
    writeFileSync(target, 'kept\n', { mode: 0o644 });
    symlinkSync(target, link);
    const write = () => writeManifests([secret], { showSecrets: true, manifestsOutput: link });
    expect(write).toThrow(UserError);
    expect(write).toThrow(`input 'manifests-output': ${link} is a symlink: give the path of the file itself`);
    expect(readFileSync(target, 'utf8')).toBe('kept\n');
    expect(statSync(target).mode & 0o777).toBe(0o644);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  test('the manifests output of a deploy with show-secrets is published as secret, and without it as plain', async () => {
    const inputs = {
      name: 'orders',
      'app-path': 'examples/orders',
      image: 'myacr.azurecr.io/orders:1',
      'dry-run': 'true',
      'app-settings': `AzureWebJobsStorage=${SETTING}`,
    };
    for (const showSecrets of [true, false]) {
      const { platform, outputs } = recordingPlatform();
      await deployApp(resolveDeployCommand({ ...inputs, 'show-secrets': String(showSecrets) }), platform);
      const manifests = outputs.filter(([name]) => name === 'manifests');
      expect(manifests).toHaveLength(1);
      expect(manifests[0]?.[1].includes(SETTING_BASE64)).toBe(showSecrets);
      expect(manifests[0]?.[2] ?? false).toBe(showSecrets);
    }
  });
});

describe("the Azure Pipelines task's manifests output with show-secrets", () => {
  const inputs = {
    name: 'orders',
    appPath: 'examples/orders',
    image: 'myacr.azurecr.io/orders:1',
    dryRun: 'true',
    showSecrets: 'true',
    appSettings: `AzureWebJobsStorage=${SETTING}`,
  };
  const manifestsVariable = (stdout: string) =>
    stdout.split('\n').filter((line) => line.startsWith('##vso[task.setvariable variable=manifests;'));

  test('is never a plain variable: withheld with a warning where the agent keeps no multi-line secret', async () => {
    const result = await runTask({ inputs });
    expect(result.succeeded).toBe(true);
    expect(manifestsVariable(result.stdout)).toEqual([]);
    const shown = result.stdout.split('\n').filter((line) => !line.startsWith('##vso[task.setsecret]'));
    expect(shown.filter((line) => line.includes(SETTING_BASE64))).toEqual([]);
    expect(result.warningIssues).toContainEqual(
      expect.stringMatching(/^output 'manifests' is not set: it holds secrets/),
    );
  });

  test('is a secret output variable where the agent allows multi-line secrets', async () => {
    const result = await runTask({ inputs, env: { SYSTEM_UNSAFEALLOWMULTILINESECRET: 'true' } });
    expect(result.succeeded).toBe(true);
    const lines = manifestsVariable(result.stdout);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^##vso\[task\.setvariable variable=manifests;isOutput=true;issecret=true;\]/);
  });
});
