import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildInputsHash, contextFiles } from '../../src/image/build-inputs.js';
import { trackPending } from '../../src/cleanup.js';
import { planImage } from '../../src/image/plan.js';
import { dockerBuild } from './shared-fixtures.js';
import { writeDockerConfig } from '../../src/registry/registry.js';
import { appWith, workFolder } from './temp-app.js';

const work = workFolder('build');

describe('the build-inputs hash', () => {
  const files = {
    Dockerfile: 'FROM scratch\nCOPY . /home/site/wwwroot\n',
    'host.json': '{"version":"2.0"}',
    'Orders/function.json': '{"bindings":[]}',
    '.dockerignore': 'local.settings.json\nnode_modules\n',
    'local.settings.json': '{"Values":{}}',
    'node_modules/x/index.js': 'module.exports = 1',
  };
  const hashOf = (context: string, extra: { buildArgs?: Record<string, string>; platform?: string } = {}) =>
    buildInputsHash({
      context,
      dockerfile: join(context, 'Dockerfile'),
      buildArgs: extra.buildArgs ?? {},
      platform: extra.platform ?? 'linux/amd64',
    });

  test('the same inputs in another folder give the same hash', () => {
    expect(hashOf(appWith(work, files))).toBe(hashOf(appWith(work, files)));
    expect(hashOf(appWith(work, files))).toMatch(/^[a-f0-9]{64}$/);
  });

  test('a changed file, a new file, a build argument or the platform changes it', () => {
    const reference = hashOf(appWith(work, files));
    expect(hashOf(appWith(work, { ...files, 'host.json': '{"version":"2.0" }' }))).not.toBe(reference);
    expect(hashOf(appWith(work, { ...files, 'Billing/function.json': '{}' }))).not.toBe(reference);
    expect(hashOf(appWith(work, files), { buildArgs: { NODE: '20' } })).not.toBe(reference);
    expect(hashOf(appWith(work, files), { platform: 'linux/arm64' })).not.toBe(reference);
    const context = appWith(work, files);
    expect(
      buildInputsHash({
        context,
        dockerfile: join(context, 'Dockerfile'),
        buildArgs: {},
        platform: 'linux/amd64',
        target: 'runtime',
      }),
    ).not.toBe(reference);
  });

  test('a file moved to another path changes it, even with the same bytes', () => {
    const { 'Orders/function.json': moved, ...rest } = files;
    expect(hashOf(appWith(work, { ...rest, 'Billing/function.json': moved }))).not.toBe(hashOf(appWith(work, files)));
  });

  test('what .dockerignore leaves out of the context does not count', () => {
    const reference = hashOf(appWith(work, files));
    expect(hashOf(appWith(work, { ...files, 'local.settings.json': '{"Values":{"A":"changed"}}' }))).toBe(reference);
    expect(hashOf(appWith(work, { ...files, 'node_modules/y/index.js': 'changed' }))).toBe(reference);
  });

  test('a .dockerignore exception brings a file back into the hash', () => {
    const withException = { ...files, '.dockerignore': 'node_modules\n!node_modules/x\n' };
    const reference = hashOf(appWith(work, withException));
    expect(hashOf(appWith(work, { ...withException, 'node_modules/x/index.js': 'changed' }))).not.toBe(reference);
  });
});

describe('the per-run Docker config', () => {
  test('holds one registry login in a private file, and is gone after remove', () => {
    const config = writeDockerConfig('reg.example.com:5000', { username: 'bot', password: 'pw:with-colon' });
    const file = join(config.dir, 'config.json');
    expect(statSync(config.dir).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const auth = (JSON.parse(readFileSync(file, 'utf8')) as { auths: Record<string, { auth: string }> }).auths[
      'reg.example.com:5000'
    ]?.auth;
    expect(Buffer.from(auth ?? '', 'base64').toString('utf8')).toBe('bot:pw:with-colon');
    config.remove();
    expect(existsSync(config.dir)).toBe(false);
  });

  test('a shell is told which logins wait for removal, so a post step can finish the job', () => {
    const seen: (readonly string[])[] = [];
    trackPending((paths) => seen.push(paths));
    const config = writeDockerConfig('reg.example.com', { username: 'bot', password: 'pw' });
    config.remove();
    expect(seen).toEqual([[config.dir], []]);
  });

  test('remove may run twice (cleanup and the post step may both run): the folder is gone, nothing left pending', () => {
    const seen: (readonly string[])[] = [];
    trackPending((paths) => seen.push(paths));
    const config = writeDockerConfig('reg.example.com', { username: 'bot', password: 'pw' });
    writeFileSync(join(config.dir, 'extra'), 'x');
    config.remove();
    config.remove();
    expect(existsSync(config.dir)).toBe(false);
    expect(seen).toEqual([[config.dir], [], []]);
  });
});

describe("the per-run Docker config, started from the user's own", () => {
  const own = workFolder('docker-own');
  const withDockerConfig = <T>(run: () => T): T => {
    const saved = process.env.DOCKER_CONFIG;
    process.env.DOCKER_CONFIG = own;
    try {
      return run();
    } finally {
      if (saved === undefined) delete process.env.DOCKER_CONFIG;
      else process.env.DOCKER_CONFIG = saved;
    }
  };

  test('keeps other logins, helpers, plugins and contexts; drops the credential store that would shadow our login', () => {
    mkdirSync(join(own, 'cli-plugins'), { recursive: true });
    writeFileSync(join(own, 'cli-plugins', 'docker-buildx'), '#!/bin/sh\n');
    writeFileSync(
      join(own, 'config.json'),
      JSON.stringify({
        auths: { 'other.example.com': { auth: 'b3RoZXI6cHc=' } },
        credsStore: 'desktop',
        credHelpers: { 'reg.example.com': 'ecr-login', 'gcr.io': 'gcloud' },
        currentContext: 'remote',
      }),
    );
    const config = withDockerConfig(() => writeDockerConfig('reg.example.com', { username: 'bot', password: 'pw' }));
    const written = JSON.parse(readFileSync(join(config.dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(written).toEqual({
      auths: {
        'other.example.com': { auth: 'b3RoZXI6cHc=' },
        'reg.example.com': { auth: Buffer.from('bot:pw').toString('base64') },
      },
      credHelpers: { 'gcr.io': 'gcloud' },
      currentContext: 'remote',
    });
    expect(readFileSync(join(config.dir, 'cli-plugins', 'docker-buildx'), 'utf8')).toBe('#!/bin/sh\n');
    config.remove();
    // The user's own folder is untouched.
    expect(existsSync(join(own, 'cli-plugins', 'docker-buildx'))).toBe(true);
    expect(JSON.parse(readFileSync(join(own, 'config.json'), 'utf8')).credsStore).toBe('desktop');
  });

  const runnerTemp = workFolder('runner-temp');
  test("Docker Hub's login goes under its index URL; the folder lives in the runner's temp folder", () => {
    const saved = process.env.RUNNER_TEMP;
    process.env.RUNNER_TEMP = runnerTemp;
    try {
      const config = withDockerConfig(() => writeDockerConfig('docker.io', { username: 'bot', password: 'pw' }));
      expect(config.dir.startsWith(`${runnerTemp}/`)).toBe(true);
      expect(Object.keys(JSON.parse(readFileSync(join(config.dir, 'config.json'), 'utf8')).auths)).toContain(
        'https://index.docker.io/v1/',
      );
      config.remove();
    } finally {
      if (saved === undefined) delete process.env.RUNNER_TEMP;
      else process.env.RUNNER_TEMP = saved;
    }
  });
});

describe('the build context', () => {
  test('an ignored folder is not read unless an exception could match inside it', () => {
    const context = appWith(work, {
      '.dockerignore': '*\n!src\n!vendor/keep.txt\n',
      'src/a.js': '',
      'node_modules/x/y.js': '',
      'vendor/keep.txt': '',
      'vendor/drop.txt': '',
    });
    expect(contextFiles(context)).toEqual(['src/a.js', 'vendor/keep.txt']);
  });
});

describe('planning the image', () => {
  const plan = dockerBuild;

  test('the tag is the given one, else the commit, else the build-inputs hash; a dry run needs no Docker', async () => {
    const context = appWith(work, { Dockerfile: 'FROM scratch\n', 'host.json': '{}' });
    expect((await planImage(plan(context, { tag: 'v1' }), 'a'.repeat(40), true)).reference).toBe(
      'reg.example.com/orders:v1',
    );
    expect((await planImage(plan(context), 'a'.repeat(40), true)).reference).toBe(
      `reg.example.com/orders:${'a'.repeat(40)}`,
    );
    const hashed = await planImage(plan(context), undefined, true);
    expect(hashed.reference).toMatch(/^reg\.example\.com\/orders:inputs-[a-f0-9]{16}$/);
    expect(hashed.route).toBe('unbuilt');
  });

  test('a local.settings.json that would go into the image is a warning', async () => {
    const leaky = appWith(work, { Dockerfile: 'FROM scratch\n', 'local.settings.json': '{}' });
    expect((await planImage(plan(leaky), undefined, true)).warnings).toEqual([
      expect.stringMatching(/local\.settings\.json goes into the image.*add it to \.dockerignore$/),
    ]);
    const ignored = appWith(work, {
      Dockerfile: 'FROM scratch\n',
      'local.settings.json': '{}',
      '.dockerignore': 'local.settings.json\n',
    });
    expect((await planImage(plan(ignored), undefined, true)).warnings).toEqual([]);
  });

  test('a missing Dockerfile or context is an input error', async () => {
    const context = appWith(work, { 'host.json': '{}' });
    await expect(planImage(plan(context), undefined, true)).rejects.toThrow(
      /^input 'dockerfile': .*Dockerfile does not exist \(it is read relative to the build context/,
    );
    await expect(planImage(plan(join(context, 'nope')), undefined, true)).rejects.toThrow(
      /^input 'build-context': .* is not a folder$/,
    );
  });
});
