import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Parser, type ReadEntry } from 'tar';
import { UserError } from '../../src/errors.js';
import { packContext } from '../../src/image/acr-tasks.js';
import { buildInputsHash } from '../../src/image/build-inputs.js';
import { planImage } from '../../src/image/plan.js';
import { dockerBuild, runCli } from './shared-fixtures.js';
import { appWith, workFolder } from './temp-app.js';

const work = workFolder('build-files');
const APP = {
  Dockerfile: 'FROM scratch\nCOPY . /home/site/wwwroot\n',
  'host.json': '{"version":"2.0"}',
  'Q/function.json': '{"bindings":[{"type":"queueTrigger","direction":"in","name":"m","queueName":"q"}]}',
};

const options = dockerBuild;

const fifo = (path: string) => {
  rmSync(path, { recursive: true, force: true });
  expect(spawnSync('mkfifo', [path]).status).toBe(0);
};
const folder = (path: string) => {
  rmSync(path, { force: true });
  mkdirSync(path);
};
const link = (target: string) => (path: string) => {
  rmSync(path, { recursive: true, force: true });
  symlinkSync(target, path);
};

async function refusal(plan: Promise<unknown>): Promise<string> {
  const error = await plan.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(UserError);
  return (error as Error).message;
}

describe('build files that are not files: one error naming the file, at plan time', () => {
  test.each([
    [
      'a Dockerfile that is a folder',
      'Dockerfile',
      folder,
      "input 'dockerfile': @/Dockerfile: is a folder, not a file",
    ],
    [
      'a Dockerfile that is a FIFO',
      'Dockerfile',
      fifo,
      "input 'dockerfile': @/Dockerfile: not a regular file (a device, FIFO or socket)",
    ],
    [
      'a Dockerfile -> /dev/zero',
      'Dockerfile',
      link('/dev/zero'),
      "input 'dockerfile': @/Dockerfile: not a regular file (a device, FIFO or socket)",
    ],
    [
      'a dangling Dockerfile symlink',
      'Dockerfile',
      link('missing'),
      "input 'dockerfile': @/Dockerfile: is a symlink to a file that does not exist",
    ],
    ['a .dockerignore that is a folder', '.dockerignore', folder, '@/.dockerignore: is a folder, not a file'],
    [
      'a .dockerignore that is a FIFO',
      '.dockerignore',
      fifo,
      '@/.dockerignore: not a regular file (a device, FIFO or socket)',
    ],
    ['a .dockerignore symlink loop', '.dockerignore', link('.dockerignore'), '@/.dockerignore: is a symlink loop'],
    [
      'a FIFO in the context',
      'Q/pipe',
      fifo,
      '@/Q/pipe: not a regular file, folder or symlink (a device, FIFO or socket), which cannot go into the build ' +
        'context; add it to .dockerignore',
    ],
  ])('%s', async (_, path, make, message) => {
    const context = appWith(work, APP);
    make(join(context, path));
    expect(await refusal(planImage(options(context), undefined, true))).toBe(message.replace('@', context));
  });

  test('a FIFO that .dockerignore leaves out is never opened, and the plan goes on', async () => {
    const context = appWith(work, { ...APP, '.dockerignore': 'Q/pipe\n' });
    fifo(join(context, 'Q', 'pipe'));
    expect((await planImage(options(context), undefined, true)).reference).toMatch(/:inputs-[a-f0-9]{16}$/);
  });

  test('symlinks in the context count as links, as Docker sends them: a dangling one or a loop is no error', () => {
    const hashOf = (make: (context: string) => void) => {
      const context = appWith(work, APP);
      make(context);
      return buildInputsHash({ context, dockerfile: join(context, 'Dockerfile'), buildArgs: {}, platform: 'linux' });
    };
    const dangling = hashOf((context) => symlinkSync('missing-a', join(context, 'Q', 'data')));
    expect(hashOf((context) => symlinkSync('missing-b', join(context, 'Q', 'data')))).not.toBe(dangling);
    expect(hashOf((context) => symlinkSync('data', join(context, 'Q', 'data')))).toMatch(/^[a-f0-9]{64}$/);
  });

  test('through the bundle: a FIFO .dockerignore and a FIFO in the context end at once, one error line, no stack', () => {
    for (const path of ['.dockerignore', 'Q/pipe']) {
      const context = appWith(work, APP);
      fifo(join(context, path));
      const run = runCli(['deploy', '--dry-run', '--app-path', context, '--name', 'orders', '--registry', 'reg.io']);
      expect(run.signal).toBeNull();
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trim().split('\n');
      expect(lines.filter((line) => line.startsWith('error: '))).toEqual([
        expect.stringMatching(new RegExp(`^error: ${join(context, path)}: not a regular file`)),
      ]);
      expect(run.stderr).not.toMatch(/^\s+at /m);
    }
  });
});

/** Every entry of a tar.gz: its path, type, link target and content. */
async function entriesOf(tar: NodeJS.ReadableStream) {
  const entries: { path: string; type: string; linkpath?: string; content: string }[] = [];
  const parser = new Parser({
    onReadEntry: (entry: ReadEntry) => {
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () =>
        entries.push({
          path: entry.path.replace(/^\.\//, ''),
          type: entry.type,
          linkpath: entry.linkpath,
          content: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
    tar.on('error', reject);
    tar.pipe(parser);
  });
  return entries;
}

describe('the context ACR Tasks gets: nothing from outside it', () => {
  const OUTSIDE = 'afd-outside-content-0123456789';
  const outside = () => appWith(work, { 'outside.txt': OUTSIDE, 'dir/secret.txt': OUTSIDE, 'dir/Dockerfile': OUTSIDE });

  test('symlinks to an outside folder and file are packed as links, never what they point at', async () => {
    const elsewhere = outside();
    const context = appWith(work, APP);
    symlinkSync(join(elsewhere, 'dir'), join(context, 'link'));
    symlinkSync('/etc', join(context, 'etc'));
    symlinkSync(join(elsewhere, 'outside.txt'), join(context, 'file-link'));
    const packed = packContext(context, join(context, 'Dockerfile'));
    const entries = await entriesOf(packed.tar);
    expect(entries.filter((entry) => entry.content.includes(OUTSIDE))).toEqual([]);
    expect(
      entries.filter((entry) => entry.type === 'SymbolicLink').map(({ path, linkpath }) => [path, linkpath]),
    ).toEqual([
      ['etc', '/etc'],
      ['file-link', join(elsewhere, 'outside.txt')],
      ['link', join(elsewhere, 'dir')],
    ]);
    expect(entries.map((entry) => entry.path).sort()).toEqual(
      ['Dockerfile', 'Q/function.json', 'etc', 'file-link', 'host.json', 'link'].sort(),
    );
    expect(packed.dockerfile).toBe('Dockerfile');
  });

  test('a Dockerfile reached through a folder symlinked out of the context is refused before anything is built', async () => {
    const elsewhere = outside();
    const context = appWith(work, APP);
    symlinkSync(join(elsewhere, 'dir'), join(context, 'link'));
    const planned = planImage(
      options(context, { build: 'acr', dockerfile: 'link/Dockerfile', subscriptionId: 'sub' }),
      undefined,
      false,
    );
    expect(await refusal(planned)).toBe(
      `input 'dockerfile': ${join(context, 'link', 'Dockerfile')} is outside the build context ${context}; ` +
        'build: acr uploads only the context',
    );
  });

  test('a Dockerfile reached through a symlinked folder inside the context is packed once, by its real path', async () => {
    const context = appWith(work, { ...APP, 'build/Dockerfile.acr': 'FROM scratch\n' });
    symlinkSync('build', join(context, 'docker'));
    const packed = packContext(context, join(context, 'docker', 'Dockerfile.acr'));
    expect(packed.dockerfile).toBe('build/Dockerfile.acr');
    const entries = await entriesOf(packed.tar);
    expect(entries.filter((entry) => entry.path.startsWith('docker')).map((entry) => [entry.path, entry.type])).toEqual(
      [['docker', 'SymbolicLink']],
    );
  });
});
