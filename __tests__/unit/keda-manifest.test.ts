import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import type { KedaPolicy } from '../../src/keda/keda.js';
import { loadManifest } from '../../src/keda/manifest.js';
import { KEDA_MANIFEST_SHA256 } from '../../src/keda/releases.js';
import { REPO_ROOT, sharedPath } from './shared-fixtures.js';

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
const carried = (version: string) => readFileSync(join(REPO_ROOT, 'keda', 'manifests', `keda-${version}.yaml`));
const provenance = JSON.parse(readFileSync(join(REPO_ROOT, 'keda', 'manifests', 'PROVENANCE.json'), 'utf8')) as {
  version: string;
  tag: string;
  sha256: string;
}[];
const policy = (extra: Partial<KedaPolicy> = {}): KedaPolicy => ({ mode: 'auto', version: '2.20.2', ...extra });

// A mirror: the carried manifest at /keda-<v>.yaml, the shared hand-rendered fixture at /fixture/keda-<v>.yaml.
let server: Server;
let requests: string[];
let base: string;
let toolCache: string;
const savedEnv = { ...process.env };
beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const version = /keda-(\d+\.\d+\.\d+)\.yaml/.exec(request.url ?? '')?.[1] ?? '';
    response.end(
      request.url?.startsWith('/fixture/')
        ? readFileSync(sharedPath('fixtures', 'keda', `keda-${version}.yaml`))
        : carried(version),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((done) => server.close(done)));
beforeEach(() => {
  requests = [];
  toolCache = mkdtempSync(join(tmpdir(), 'afd-tool-cache-'));
  process.env.RUNNER_TOOL_CACHE = toolCache;
});
afterEach(() => {
  rmSync(toolCache, { recursive: true, force: true });
  process.env = { ...savedEnv };
  jest.restoreAllMocks();
});

describe('the KEDA manifests the product carries', () => {
  test.each(['2.19.0', '2.20.2'])(
    'KEDA %s: the hash the product expects is the reproduced release manifest, as its provenance records',
    (version) => {
      const recorded = provenance.find((entry) => entry.version === version);
      expect(recorded?.tag).toBe(`v${version}`);
      expect(KEDA_MANIFEST_SHA256[version]).toBe(sha256(carried(version)));
      expect(recorded?.sha256).toBe(sha256(carried(version)));
    },
  );

  test('the default install uses the embedded manifest: nothing fetched, the tool cache untouched', async () => {
    const fetching = jest.spyOn(globalThis, 'fetch');
    const { objects, source } = await loadManifest(policy());
    expect(fetching).not.toHaveBeenCalled();
    expect(requests).toEqual([]);
    expect(readdirSync(toolCache)).toEqual([]);
    expect(source).toBe(
      `the embedded KEDA 2.20.2 manifest (reproduced from kedacore/keda v2.20.2, sha256 ${sha256(carried('2.20.2'))})`,
    );
    const crds = objects.filter((object) => object.kind === 'CustomResourceDefinition').map((o) => o.metadata?.name);
    expect(crds).toContain('scaledobjects.keda.sh');
    const operator = objects.find(
      (object) => object.kind === 'Deployment' && object.metadata?.name === 'keda-operator',
    );
    expect(operator?.metadata?.labels?.['app.kubernetes.io/version']).toBe('2.20.2');
  });

  test('the embedded manifest is checked like any other: a keda-manifest-sha256 it does not have refuses it', async () => {
    await expect(loadManifest(policy({ manifestSha256: 'a'.repeat(64) }))).rejects.toThrow(
      `the KEDA manifest from the embedded manifest has SHA-256 ${sha256(carried('2.20.2'))}, not the expected ` +
        `${'a'.repeat(64)} (input 'keda-manifest-sha256'): refusing to apply it`,
    );
  });
});

describe("a mirror's KEDA manifest (keda-manifest-url)", () => {
  test('a copy whose hash is not the reproduced release hash is refused without keda-manifest-sha256', async () => {
    // The hand-rendered fixture: "2.20.2" quoted where KEDA's release build writes it bare.
    const fixture = readFileSync(sharedPath('fixtures', 'keda', 'keda-2.20.2.yaml'));
    for (const manifestUrl of [
      `${base}/fixture/keda-2.20.2.yaml`,
      sharedPath('fixtures', 'keda', 'keda-2.20.2.yaml'),
    ]) {
      await expect(loadManifest(policy({ manifestUrl }))).rejects.toThrow(
        new RegExp(
          `has SHA-256 ${sha256(fixture)}, not the expected ${sha256(carried('2.20.2'))} \\(KEDA 2\\.20\\.2's\\): refusing to apply it`,
        ),
      );
    }
    // Nothing refused is cached: the next run would find it under the hash it lacks.
    expect(readdirSync(toolCache)).toEqual([]);
    const accepted = await loadManifest(
      policy({ manifestUrl: `${base}/fixture/keda-2.20.2.yaml`, manifestSha256: sha256(fixture) }),
    );
    expect(accepted.source).toBe(`${base}/fixture/keda-2.20.2.yaml (sha256 ${sha256(fixture)}, downloaded)`);
  });

  test('an http copy goes through the tool cache: the second load on the runner downloads nothing', async () => {
    const url = `${base}/keda-2.19.0.yaml?sig=mirror-token-123`;
    const written = jest.spyOn(process.stdout, 'write');
    const first = await loadManifest(policy({ version: '2.19.0', manifestUrl: url }));
    const second = await loadManifest(policy({ version: '2.19.0', manifestUrl: url }));
    expect(requests).toEqual(['/keda-2.19.0.yaml?sig=mirror-token-123']);
    const hash = sha256(carried('2.19.0'));
    expect(first.source).toBe(`${base}/keda-2.19.0.yaml (sha256 ${hash}, downloaded)`);
    expect(second.source).toBe(`${base}/keda-2.19.0.yaml (sha256 ${hash}, from the tool cache)`);
    expect(second.objects).toEqual(first.objects);
    expect(readdirSync(toolCache)).toEqual([`aks-functions-deploy-keda-manifest-${hash}`]);
    // tool-cache's ::debug:: lines (the whole URL, token and all) never reach stdout.
    expect(written.mock.calls.map(([chunk]) => String(chunk)).join('')).not.toMatch(/::debug::|mirror-token/);
  });

  test('outside GitHub (no RUNNER_TOOL_CACHE) the cache is a per-user folder, and the environment is left as it was', async () => {
    delete process.env.RUNNER_TOOL_CACHE;
    delete process.env.AGENT_TOOLSDIRECTORY;
    process.env.XDG_CACHE_HOME = toolCache;
    await loadManifest(policy({ manifestUrl: `${base}/keda-2.20.2.yaml` }));
    await loadManifest(policy({ manifestUrl: `${base}/keda-2.20.2.yaml` }));
    expect(requests).toHaveLength(1);
    const cached = join(toolCache, 'aks-functions-deploy', 'tool-cache');
    expect(readdirSync(cached)).toEqual([`aks-functions-deploy-keda-manifest-${sha256(carried('2.20.2'))}`]);
    expect(process.env.RUNNER_TOOL_CACHE).toBeUndefined();
    expect(existsSync(join(cached, readdirSync(cached)[0] as string, '2.20.2'))).toBe(true);
  });

  test('a mirror that answers 404 is one error naming the input, without the query', async () => {
    const missing = createServer((_, response) => {
      response.statusCode = 404;
      response.end();
    });
    await new Promise<void>((done) => missing.listen(0, '127.0.0.1', done));
    const origin = `http://127.0.0.1:${(missing.address() as AddressInfo).port}`;
    try {
      await expect(loadManifest(policy({ manifestUrl: `${origin}/keda.yaml?sig=secret-sig` }))).rejects.toThrow(
        new Error(`input 'keda-manifest-url': ${origin}/keda.yaml answered 404`),
      );
    } finally {
      await new Promise((done) => missing.close(done));
    }
  });
});

test('a mirror nobody answers at is one error at once: no retries printing the URL, no query in the error', async () => {
  const closed = createServer();
  await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise((done) => closed.close(done));
  const written = jest.spyOn(process.stdout, 'write');
  try {
    await expect(loadManifest(policy({ manifestUrl: `${origin}/keda.yaml?sig=secret-sig` }))).rejects.toThrow(
      new Error(`input 'keda-manifest-url': cannot download the KEDA manifest from ${origin}/keda.yaml (ECONNREFUSED)`),
    );
    expect(written.mock.calls.map(([chunk]) => String(chunk)).join('')).not.toMatch(/secret-sig/);
  } finally {
    written.mockRestore();
  }
});

describe('the bundle (npm run build)', () => {
  const chunks = join(REPO_ROOT, 'dist', 'chunks');
  test.each(['2.19.0', '2.20.2'])(
    "carries KEDA %s's manifest as a chunk that only an install imports",
    async (version) => {
      const [chunk, ...others] = readdirSync(chunks).filter((name) => name.startsWith(`keda-${version}-`));
      expect(others).toEqual([]);
      const { default: text } = (await import(join(chunks, chunk as string))) as { default: string };
      expect(sha256(text)).toBe(KEDA_MANIFEST_SHA256[version]);
      // Imported once, dynamically: the CLI, the Action and the task start without reading it.
      const references = [
        ...readdirSync(chunks).map((name) => join(chunks, name)),
        ...['cli.js', 'action.js', 'action-post.js', 'task.js'].map((name) => join(REPO_ROOT, 'dist', name)),
      ].flatMap(
        (file) =>
          readFileSync(file, 'utf8').match(new RegExp(`(?:import\\(|from |import )"\\./(?:chunks/)?${chunk}"`, 'g')) ??
          [],
      );
      expect(references).toEqual([`import("./${chunk}"`]);
    },
  );
});
