import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { discoverApp } from '../../src/discovery/discover.js';
import { UserError } from '../../src/errors.js';
import { runCli as cli } from './shared-fixtures.js';
import { appWith as appWithFiles, workFolder } from './temp-app.js';

const work = workFolder('user-files');
const HOST = '{"version":"2.0"}';
const QUEUE = '{"bindings":[{"type":"queueTrigger","direction":"in","name":"m","queueName":"q"}]}';
const appWith = (files: Record<string, string>) => appWithFiles(work, files);
const discover = (root: string, settingsFile?: string) =>
  discoverApp({ appPath: root, appSettings: {}, settingsFile }, false);

async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('not refused');
}

describe('a function the app has but discovery cannot read is an error, not a smaller app (the next prune would delete it)', () => {
  test.each([
    [
      'a dangling function.json symlink',
      (path: string) => symlinkSync(join(path, '..', 'missing.json'), path),
      'is a symlink to a file that does not exist',
    ],
    ['a function.json symlink loop', (path: string) => symlinkSync(path, path), 'is a symlink loop'],
    ['a function.json that is a folder', (path: string) => mkdirSync(path), 'is a folder, not a file'],
  ])('%s', async (_, make, problem) => {
    const root = appWith({ 'host.json': HOST, 'Good/function.json': QUEUE });
    mkdirSync(join(root, 'Broken'));
    make(join(root, 'Broken', 'function.json'));
    expect(await refusal(() => discover(root))).toBe(`${join(root, 'Broken', 'function.json')}: ${problem}`);
  });

  test('a dangling host.json symlink is a broken host.json, not an app without one', async () => {
    const root = appWith({ 'Good/function.json': QUEUE });
    symlinkSync(join(root, 'missing.json'), join(root, 'host.json'));
    expect(await refusal(() => discover(root))).toBe(
      `${join(root, 'host.json')}: is a symlink to a file that does not exist`,
    );
  });

  test('the same app without the broken folder is read as before', async () => {
    const root = appWith({ 'host.json': HOST, 'Good/function.json': QUEUE });
    expect((await discover(root)).app.functions.map((f) => f.name)).toEqual(['Good']);
  });
});

const render = (app: string, ...extra: string[]) => [
  'render',
  '--app-path',
  app,
  '--name',
  'orders',
  '--image',
  'reg.io/o:1',
  ...extra,
];

describe('files that are devices, FIFOs or too large: one error line, at once', () => {
  const fifo = (path: string) => {
    rmSync(path, { force: true });
    expect(spawnSync('mkfifo', [path]).status).toBe(0);
  };

  test.each([
    [
      'host.json that is a FIFO',
      (root: string) => fifo(join(root, 'host.json')),
      [],
      'host.json: not a regular file (a device, FIFO or socket)',
    ],
    [
      'host.json -> /dev/zero',
      (root: string) => {
        rmSync(join(root, 'host.json'));
        symlinkSync('/dev/zero', join(root, 'host.json'));
      },
      [],
      'host.json: not a regular file (a device, FIFO or socket)',
    ],
    [
      'function.json that is a FIFO',
      (root: string) => fifo(join(root, 'Q', 'function.json')),
      [],
      'Q/function.json: not a regular file (a device, FIFO or socket)',
    ],
    [
      '--settings-file /dev/zero',
      () => undefined,
      ['--settings-file', '/dev/zero'],
      '/dev/zero: not a regular file (a device, FIFO or socket)',
    ],
  ])('%s', (_, make, extra, message) => {
    const root = appWith({ 'host.json': HOST, 'Q/function.json': QUEUE });
    make(root);
    const run = cli(render(root, ...(extra as string[])));
    expect(run.signal).toBeNull();
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe(`error: ${message.startsWith('/') ? message : join(root, message)}`);
  });

  test('a settings file over the 4 MiB limit is refused by its size, and none of it is shown', () => {
    const root = appWith({ 'host.json': HOST, 'Q/function.json': QUEUE });
    const settings = join(root, 'huge.settings.json');
    writeFileSync(settings, JSON.stringify({ Values: { AzureWebJobsStorage: 'afd-secret-'.repeat(500_000) } }));
    const run = cli(render(root, '--settings-file', settings));
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(`error: ${settings}: larger than the 4 MiB limit`);
  });
});
