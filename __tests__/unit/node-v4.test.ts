import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { discoverApp } from '../../src/discovery/discover.js';
import { UserError } from '../../src/errors.js';
import { REPO_ROOT, runCli } from './shared-fixtures.js';
import { workFolder } from './temp-app.js';

/**
 * Node.js v4 apps read from their source must give what @azure/functions itself registers: every app of the corpus is
 * indexed statically and by the real library (4.16.5, with durable-functions 3.5.0) through the stand-in core module.
 */

const FIXTURES = join(REPO_ROOT, '__tests__', 'fixtures', 'node-v4');
const CORE_STANDIN = join(REPO_ROOT, '__tests__', 'fixtures', 'functions-core');
const ORACLE = join(REPO_ROOT, '__tests__', 'unit', 'node-v4-oracle.mjs');
const work = workFolder('node-v4');

type Binding = Record<string, unknown>;
interface Indexed {
  name: string;
  bindings: Binding[];
}

/** Apps whose registrations are computed: the library runs them, the static indexer refuses them cleanly. */
const COMPUTED: Record<string, RegExp> = {
  'computed-variable': /variable\.js:6: function 'computedVariable': 'queueName' is the variable 'queueName'/,
  'computed-env': /env\.js:3: function 'fromEnvironment': 'queueName' is an expression/,
  'computed-import': /imported\.js:4: function 'importedOptions': its options are a spread of a property read/,
  'computed-loop': /loop\.js:4: app\.storageQueue\('\?'\): registered inside a loop/,
  'computed-call': /call\.js:7: function 'calledName': 'queueName' is a call/,
};
const APPS = readdirSync(FIXTURES).sort();
const LITERAL_APPS = APPS.filter((app) => !(app in COMPUTED));

/** Generated binding names differ by design (the library hashes, the indexer counts); `properties` is the worker's. */
function normalised(functions: Indexed[]): Indexed[] {
  const generated = /^[A-Za-z]+?(Trigger|Input|Output)[0-9a-f]+$/;
  const binding = ({ properties, ...rest }: Binding): Binding => {
    void properties;
    const name = typeof rest.name === 'string' && generated.test(rest.name) ? '(generated)' : rest.name;
    return JSON.parse(JSON.stringify({ ...rest, name }));
  };
  const order = (a: Binding, b: Binding) => JSON.stringify(a).localeCompare(JSON.stringify(b));
  return functions
    .map((fn) => ({ name: fn.name, bindings: fn.bindings.map(binding).sort(order) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A copy with the repository's node_modules beside it: the library and durable-functions, as `npm install` gives. */
function installedCopy(app: string): string {
  const copy = join(mkdtempSync(join(work, `${app}-`)), app);
  cpSync(join(FIXTURES, app), copy, { recursive: true });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(copy, 'node_modules'));
  return copy;
}

/** Every app of the corpus, loaded in one process by the oracle (tsc and the library load once). */
function officialIndexes(apps: string[]): Map<string, Indexed[]> {
  const copies = apps.map(installedCopy);
  const run = spawnSync(process.execPath, [ORACLE, ...copies], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', NODE_PATH: CORE_STANDIN },
    timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`the oracle failed: ${run.stderr}`);
  const records = JSON.parse(run.stdout) as Record<string, { name: string; bindings: Record<string, Binding> }[]>;
  return new Map(
    apps.map((app, i) => [
      app,
      (records[copies[i] as string] ?? []).map((fn) => ({
        name: fn.name,
        bindings: Object.entries(fn.bindings).map(([name, binding]) => ({ ...binding, name })),
      })),
    ]),
  );
}

let official = new Map<string, Indexed[]>();
beforeAll(() => {
  official = officialIndexes(APPS);
});

test("the render app's code leaves its mark when it runs (so the render test below can tell it did not)", () => {
  expect(
    readdirSync(join(work)).some(
      (copy) => copy.startsWith('render-app-') && existsSync(join(work, copy, 'render-app', 'code-was-run.marker')),
    ),
  ).toBe(true);
});

async function staticIndex(app: string): Promise<Indexed[]> {
  const { app: found } = await discoverApp({ appPath: join(FIXTURES, app), appSettings: {} }, false);
  return found.functions.map((fn) => ({ name: fn.name, bindings: [...fn.bindings] }));
}

describe('Node.js v4 apps: the static index equals what @azure/functions registers', () => {
  test('the corpus is large enough to mean something', () => {
    expect(LITERAL_APPS.length).toBeGreaterThanOrEqual(15);
  });

  test.each(LITERAL_APPS)('%s', async (app) => {
    const expected = normalised(official.get(app) ?? []);
    expect(expected.length).toBeGreaterThan(0);
    expect(normalised(await staticIndex(app))).toEqual(expected);
  });

  test.each(Object.entries(COMPUTED))(
    '%s: the library registers it, the static index refuses it cleanly',
    async (app, message) => {
      expect(official.get(app)?.length).toBeGreaterThan(0);
      const refused = staticIndex(app);
      await expect(refused).rejects.toThrow(UserError);
      await expect(staticIndex(app)).rejects.toThrow(message);
      await expect(staticIndex(app)).rejects.toThrow(/write it as a literal|register it at the top level/);
      await expect(staticIndex(app)).rejects.toThrow(/'triggers' input/);
    },
  );

  test('the TypeScript app is read from its sources: nothing was built in the fixture', () => {
    expect(existsSync(join(FIXTURES, 'ts-unbuilt', 'dist'))).toBe(false);
  });
});

describe('a Node.js v4 TypeScript app with nothing installed and nothing built, rendered by the CLI', () => {
  const app = join(mkdtempSync(join(work, 'render-')), 'shop');
  cpSync(join(FIXTURES, 'render-app'), app, { recursive: true });
  const settings = JSON.parse(readFileSync(join(app, 'local.settings.json'), 'utf8')).Values as Record<string, string>;
  const run = runCli([
    'render',
    '--app-path',
    app,
    '--name',
    'shop',
    '--image',
    'reg.io/shop:1',
    '--settings-file',
    join(app, 'local.settings.json'),
  ]);
  const objects = run.status === 0 ? (yaml.loadAll(run.stdout) as any[]) : [];
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const functionsOf = (deployment: any) =>
    deployment.spec.template.spec.containers[0].env
      .filter((e: { name: string }) => e.name.startsWith('AzureFunctionsJobHost__functions__'))
      .map((e: { value: string }) => e.value);

  test('renders, and says the timer keeps a replica', () => {
    expect(run.stderr).toMatch(/^warning: .*shop\.ts:\d+: function 'report' \(timerTrigger\) runs on a schedule/m);
    expect(run.stderr).not.toMatch(/^error: /m);
    expect(run.status).toBe(0);
  });

  test('the queue function scales on its queue (its %Setting% resolved), the HTTP one is split off', () => {
    const scaled = find('ScaledObject', 'shop');
    expect(scaled.spec.minReplicaCount).toBe(1);
    expect(scaled.spec.triggers).toEqual([
      {
        type: 'azure-queue',
        metadata: expect.objectContaining({ queueName: 'orders', connectionFromEnv: 'ShopStorage' }),
      },
    ]);
    expect(functionsOf(find('Deployment', 'shop'))).toEqual(['fulfil', 'report']);
    expect(functionsOf(find('Deployment', 'shop-http'))).toEqual(['checkout']);
    expect(find('Service', 'shop-http')).toBeDefined();
  });

  test("no setting value is printed, and the app's code never ran", () => {
    expect(run.stdout).not.toContain(settings.ShopStorage);
    expect(run.stderr).not.toContain(settings.ShopStorage);
    expect(existsSync(join(app, 'code-was-run.marker'))).toBe(false);
    expect(existsSync(join(app, 'dist'))).toBe(false);
  });
});
