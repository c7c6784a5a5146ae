import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildInputsHash } from '../../src/build/build-inputs.js';
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
    buildInputsHash({ context, dockerfile: join(context, 'Dockerfile'), buildArgs: extra.buildArgs ?? {}, platform: extra.platform ?? 'linux/amd64' });

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
    const auth = (JSON.parse(readFileSync(file, 'utf8')) as { auths: Record<string, { auth: string }> }).auths['reg.example.com:5000']?.auth;
    expect(Buffer.from(auth ?? '', 'base64').toString('utf8')).toBe('bot:pw:with-colon');
    config.remove();
    expect(existsSync(config.dir)).toBe(false);
  });

  test('remove is safe to call twice (cleanup and the post step may both run)', () => {
    const config = writeDockerConfig('reg.example.com', { username: 'bot', password: 'pw' });
    writeFileSync(join(config.dir, 'extra'), 'x');
    config.remove();
    expect(() => config.remove()).not.toThrow();
  });
});
