import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { discoverApp } from '../../src/discovery/discover.js';
import { UserError } from '../../src/errors.js';
import { officialIndex } from './node-v4-oracle.js';
import { shopRenderTests } from './rendered.js';
import { REPO_ROOT } from './shared-fixtures.js';
import { appWith, workFolder } from './temp-app.js';

/**
 * Node.js v4 apps read from their source must give what @azure/functions itself registers: every app of the corpus is
 * indexed statically and by the real library (4.16.5, with durable-functions 3.5.0), loaded by the runtime indexer.
 */

const FIXTURES = join(REPO_ROOT, '__tests__', 'fixtures', 'node-v4');
const work = workFolder('node-v4');

type Binding = Record<string, unknown>;
interface Indexed {
  name: string;
  bindings: Binding[];
}

/** Apps whose registrations are computed: the library runs them, the static indexer refuses them cleanly. */
const COMPUTED: Record<string, RegExp> = {
  'computed-variable': /variable\.js:6: function 'computedVariable': 'queueName' is 'queueName', a let variable/,
  'computed-env': /env\.js:3: function 'fromEnvironment': 'queueName' is an expression/,
  'computed-import': /imported\.js:4: function 'importedOptions': its options are a spread of a property read/,
  'computed-loop': /loop\.js:4: app\.storageQueue\('\?'\): registered inside a loop/,
  'computed-call': /call\.js:7: function 'calledName': 'queueName' is a call/,
  'computed-render': /regions\.js:9: app\.storageQueue\('\?'\): registered inside a loop/,
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

let official = new Map<string, Indexed[]>();
beforeAll(async () => {
  const copies = APPS.map(installedCopy);
  official = new Map(
    await Promise.all(APPS.map(async (app, i) => [app, await officialIndex(copies[i] as string)] as const)),
  );
}, 60_000);

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
  shopRenderTests(app, 'shop\\.ts', settings.ShopStorage as string, ['code-was-run.marker', 'dist']);
});

/** package.json of a Node.js v4 app: `main`, and the dependency that makes it one. */
const MANIFEST = (main: string) => JSON.stringify({ main, dependencies: { '@azure/functions': '^4.0.0' } });

describe('what the static indexer does not read: one clean error naming the file and line, and the way out', () => {
  const HEAD = "const { app, output } = require('@azure/functions');\n";
  const cases: [string, string, RegExp][] = [
    [
      'a let variable',
      "let q = 'a';\napp.storageQueue('f', { queueName: q, handler() {} });",
      /index\.js:3: function 'f': 'queueName' is 'q', a let variable/,
    ],
    [
      'a template with a value in it',
      "const p = 'x';\napp.storageQueue('f', { queueName: `${p}-q`, handler() {} });",
      /index\.js:3: function 'f': 'queueName' is a template with \$\{…\} in it/,
    ],
    [
      'a computed property name',
      "app.storageQueue('f', { ['queue' + 'Name']: 'q', handler() {} });",
      /index\.js:2: function 'f': its options are a property with a computed name/,
    ],
    [
      'an imported value',
      "const { NAME } = require('./names');\napp.storageQueue('f', { queueName: NAME, handler() {} });",
      /index\.js:3: function 'f': 'queueName' is 'NAME', imported from another module/,
    ],
    [
      'an imported handler given alone',
      "const { handle } = require('./names');\napp.get('f', handle);",
      /index\.js:3: function 'f': its options are 'handle', imported from another module/,
    ],
    [
      'a call',
      "app.storageQueue('f', { queueName: String('q'), handler() {} });",
      /index\.js:2: function 'f': 'queueName' is a call/,
    ],
    [
      'an output helper given a variable',
      "let o = { queueName: 'q' };\napp.http('f', { extraOutputs: [output.storageQueue(o)], handler() {} });",
      /function 'f': 'extraOutputs\[0\] \(output\.storageQueue argument 1\)' is 'o', a let variable/,
    ],
    [
      'a computed function name',
      "const names = ['a'];\napp.http(names[0], { handler() {} });",
      /index\.js:3: function '\?': 'name \(argument 1\)' is a property read/,
    ],
    [
      'a name that is not a string',
      'app.http(42, { handler() {} });',
      /function '\?': 'name \(argument 1\)' is not a string/,
    ],
    [
      'a registration inside a function',
      "function register() {\n  app.http('f', { handler() {} });\n}\nregister();",
      /index\.js:3: app\.http\('f'\): registered inside a function/,
    ],
    [
      'a registration inside an if',
      "if (process.env.X) app.http('f', { handler() {} });",
      /index\.js:2: app\.http\('f'\): registered inside an if/,
    ],
    [
      'app handed to other code',
      "require('./names').register(app);",
      /index\.js:2: 'app' is used other than by calling its methods/,
    ],
    [
      'a method taken from app',
      "const http = app.http;\nhttp('f', { handler() {} });",
      /index\.js:2: 'app' is used other than by calling its methods/,
    ],
    [
      'a module loaded by a computed path',
      "for (const f of ['a']) require('./' + f);",
      /index\.js:2: loads a module by a path made at run time/,
    ],
    [
      'a computed load in a function the module calls as it loads',
      "function loadAll() {\n  for (const f of ['a']) require('./' + f);\n}\nloadAll();",
      /index\.js:3: loads a module by a path made at run time/,
    ],
    [
      'a computed load in a function handed to a call as the module loads',
      "const load = (f) => require('./' + f);\n['a'].forEach(load);",
      /index\.js:2: loads a module by a path made at run time/,
    ],
    [
      'a computed load in a function called where it stands',
      "(() => require('./' + 'a'))();",
      /index\.js:2: loads a module by a path made at run time/,
    ],
    [
      'a computed load in a function called by one the module calls',
      "function one(f) {\n  return require('./' + f);\n}\nfunction all() {\n  one('a');\n}\nall();",
      /index\.js:3: loads a module by a path made at run time/,
    ],
    [
      'an MCP registration',
      "app.mcpTool('f', { toolName: 't', description: 'd', handler() {} });",
      /index\.js:2: app\.mcpTool\('f'\): app\.mcpTool registrations are not read from source yet/,
    ],
    [
      'app.generic with no trigger',
      "app.generic('f', { handler() {} });",
      /app\.generic\('f'\): app\.generic needs a 'trigger'/,
    ],
    [
      'a method @azure/functions does not have',
      "app.kafka('f', { handler() {} });",
      /app\.kafka\('f'\): 'app\.kafka' is not a registration of @azure\/functions 4/,
    ],
    [
      'code nested too deeply to read',
      `x = ${'['.repeat(20000)}${']'.repeat(20000)};`,
      /index\.js: nested too deeply to be read/,
    ],
    ['a syntax error', "app.http('f', { handler() {} );", /index\.js:2: cannot parse it: Unexpected token/],
    [
      'app from a package or a tsconfig paths alias',
      "const az = require('@shop/az');\naz.app.http('f', { handler() {} });",
      /index\.js:3: function 'f': registered on an 'app' that does not come from @azure\/functions/,
    ],
    [
      'app from a module whose exports are computed',
      "const { app: shared } = require('./names');\nshared.storageQueue('f', { queueName: 'q', handler() {} });",
      /index\.js:3: function 'f': registered on an 'app' that does not come from @azure\/functions/,
    ],
    [
      'app from an inline require of a package',
      "require('@shop/az').app.timer('f', { schedule: '0 * * * * *', handler() {} });",
      /index\.js:2: function 'f': registered on an 'app' that does not come from @azure\/functions/,
    ],
    [
      'a loaded module that mentions the library and cannot be parsed',
      "require('./broken');",
      /broken\.js:2: cannot parse it/,
    ],
  ];

  test.each(cases)('%s', async (_, code, message) => {
    const root = appWith(work, {
      'host.json': '{"version":"2.0"}',
      'package.json': MANIFEST('index.js'),
      'index.js': HEAD + code,
      'names.js': "module.exports = { NAME: 'q', handle() {}, register() {}, app: {} };",
      'broken.js': "const { app } = require('@azure/functions');\napp.http('f', {;",
    });
    const refused = discoverApp({ appPath: root, appSettings: {} }, false);
    await expect(refused).rejects.toThrow(UserError);
    await expect(refused).rejects.toThrow(message);
    // The way out, except where the library itself would refuse the app.
    await expect(refused).rejects.toThrow(/'triggers' input|cannot parse|needs a 'trigger'|not a registration of/);
  });

  test('a main that matches nothing, with no TypeScript source for it, says so', async () => {
    const root = appWith(work, { 'host.json': '{"version":"2.0"}', 'package.json': MANIFEST('dist/*.js') });
    await expect(discoverApp({ appPath: root, appSettings: {} }, false)).rejects.toThrow(
      /package\.json: "main" \('dist\/\*\.js'\) matches no file, and no TypeScript source/,
    );
  });

  test('an app with no package.json main and no function.json has no functions', async () => {
    const root = appWith(work, { 'host.json': '{"version":"2.0"}', 'package.json': '{}', 'index.js': HEAD });
    await expect(discoverApp({ appPath: root, appSettings: {} }, false)).rejects.toThrow(
      /no functions found.*package\.json "main"/,
    );
  });

  test('app.setup and hooks register nothing; a helper module reached from main adds nothing', async () => {
    const root = appWith(work, {
      'host.json': '{"version":"2.0"}',
      'package.json': MANIFEST('index.js'),
      'index.js': `${HEAD}require('./names');\napp.setup({ enableHttpStream: true });\napp.hook.appStart(() => {});\napp.http('only', { handler() {} });`,
      'names.js': 'module.exports = {};',
    });
    const { app } = await discoverApp({ appPath: root, appSettings: {} }, false);
    expect(app.functions.map((fn) => [fn.name, fn.source])).toEqual([['only', `${join(root, 'index.js')}:5`]]);
  });
});

describe('which apps are read as Node.js v4 apps', () => {
  const REGISTERS = "const { app } = require('@azure/functions');\napp.http('ping', { handler() {} });";

  test('a Python app with a tooling package.json is not: it is read as the Python app it is', async () => {
    const root = appWith(work, {
      'host.json': '{"version":"2.0"}',
      'package.json': JSON.stringify({ main: 'index.js', devDependencies: { prettier: '^3.0.0' } }),
      'function_app.py': 'import azure.functions as func\n',
    });
    const refused = discoverApp({ appPath: root, appSettings: {} }, false);
    await expect(refused).rejects.toThrow(/function_app\.py: no FunctionApp \(or DFApp\).*'triggers' input/);
    await expect(discoverApp({ appPath: root, appSettings: {} }, false)).rejects.not.toThrow(/matches no file/);
  });

  test('settings naming another worker runtime win over a dependency on the library', async () => {
    const root = appWith(work, {
      'host.json': '{"version":"2.0"}',
      'package.json': MANIFEST('index.js'),
      'index.js': REGISTERS,
    });
    await expect(
      discoverApp({ appPath: root, appSettings: { FUNCTIONS_WORKER_RUNTIME: 'python' } }, false),
    ).rejects.toThrow(/no functions found/);
  });

  test('the node worker runtime makes an app one, with no dependency listed', async () => {
    const root = appWith(work, {
      'host.json': '{"version":"2.0"}',
      'package.json': '{"main":"index.js"}',
      'index.js': REGISTERS,
    });
    const { app } = await discoverApp({ appPath: root, appSettings: { FUNCTIONS_WORKER_RUNTIME: 'node' } }, false);
    expect(app.functions.map((fn) => fn.name)).toEqual(['ping']);
    await expect(discoverApp({ appPath: root, appSettings: {} }, false)).rejects.toThrow(/no functions found/);
  });
});

test('a loaded module that names neither library nor app does not stop the deploy, whatever its syntax', async () => {
  const root = appWith(work, {
    'host.json': '{"version":"2.0"}',
    'package.json': MANIFEST('index.js'),
    // The pipeline operator: a proposal no plugin here enables.
    'index.js': "const { app } = require('@azure/functions');\nrequire('./pipe');\napp.http('ping', { handler() {} });",
    'pipe.js': 'module.exports = (x) => x |> String(%);',
  });
  const { app } = await discoverApp({ appPath: root, appSettings: {} }, false);
  expect(app.functions.map((fn) => fn.name)).toEqual(['ping']);
});

test('syntax beyond the standard that apps use parses: legacy decorators, accessor fields, import assert', async () => {
  const root = appWith(work, {
    'host.json': '{"version":"2.0"}',
    'package.json': MANIFEST('src/*.ts'),
    'src/index.ts':
      "import { app } from '@azure/functions';\nimport limits from './limits.json' assert { type: 'json' };\n" +
      'const track = (): PropertyDecorator => () => undefined;\n' +
      'class Counter {\n  @track() accessor count = limits.start;\n}\n' +
      "app.http('count', { handler: async () => ({ jsonBody: new Counter().count }) });",
    'src/limits.json': '{"start":1}',
  });
  const { app } = await discoverApp({ appPath: root, appSettings: {} }, false);
  expect(app.functions.map((fn) => fn.name)).toEqual(['count']);
});

test('a call that only looks like a registration (no app, no handler, from a package) is not one', async () => {
  const root = appWith(work, {
    'host.json': '{"version":"2.0"}',
    'package.json': MANIFEST('index.js'),
    'index.js':
      "const { app } = require('@azure/functions');\nconst axios = require('axios');\n" +
      "axios.get('https://example.org', { timeout: 5 });\napp.http('ping', { handler() {} });",
  });
  const { app } = await discoverApp({ appPath: root, appSettings: {} }, false);
  expect(app.functions.map((fn) => fn.name)).toEqual(['ping']);
});

describe('a TypeScript app with build output and sources', () => {
  const TSCONFIG = JSON.stringify({ compilerOptions: { outDir: 'dist', rootDir: 'src' } });
  const REGISTER = (name: string) => `app.http('${name}', { handler: async () => ({}) });\n`;
  const IMPORT = "import { app } from '@azure/functions';\n";
  const withBuild = (sourceAge: number, buildAge: number) => {
    const root = appWith(work, {
      'host.json': '{"version":"2.0"}',
      'package.json': MANIFEST('dist/functions/*.js'),
      'tsconfig.json': TSCONFIG,
      'src/functions/shop.ts': IMPORT + REGISTER('checkout') + REGISTER('refund'),
      'dist/functions/shop.js': "const { app } = require('@azure/functions');\n" + REGISTER('checkout'),
    });
    const now = Date.now() / 1000;
    utimesSync(join(root, 'src/functions/shop.ts'), now - sourceAge, now - sourceAge);
    utimesSync(join(root, 'dist/functions/shop.js'), now - buildAge, now - buildAge);
    return root;
  };

  test('sources edited since the build: the build output is read (the worker runs it), and a warning names both', async () => {
    const root = withBuild(60, 3600);
    const { app, warnings } = await discoverApp({ appPath: root, appSettings: {} }, false);
    expect(app.functions.map((fn) => fn.name)).toEqual(['checkout']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      `package.json: "main" ('dist/functions/*.js') is read from the build output, but ` +
        `${join(root, 'src', 'functions', 'shop.ts')} is newer than it`,
    );
  });

  test('a build newer than its sources: no warning', async () => {
    const { warnings } = await discoverApp({ appPath: withBuild(3600, 60), appSettings: {} }, false);
    expect(warnings).toEqual([]);
  });
});

test('the triggers input replaces the source: the app is not parsed at all', async () => {
  const root = appWith(work, {
    'host.json': '{"version":"2.0"}',
    'package.json': MANIFEST('index.js'),
    'index.js': "const { app } = require('@azure/functions');\napp.http('fromSource', { handler() {} ",
  });
  const { app } = await discoverApp(
    { appPath: root, appSettings: {}, triggers: '[{name: given, type: queueTrigger, queueName: q}]' },
    false,
  );
  expect(app.functions.map((fn) => fn.name)).toEqual(['given']);
});
