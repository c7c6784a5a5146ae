import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { buildSync } from 'esbuild';
import fastGlob from 'fast-glob';
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
  'computed-mutated':
    /mutated\.js:5: function 'mutatedOptions': its options are 'options', a const changed \(a property set\) on line 4/,
  'computed-shared-options':
    /index\.js:5: function 'writeItems': its options are 'options', a const given to app\.get, which writes 'methods' into it, on line 4/,
  'computed-getter': /index\.js:4: function 'fromGetter': 'queueName' is a getter/,
  'computed-block': /index\.js:6: app\.storageQueue\('blockScoped'\): registered inside a block/,
  'computed-class-member': /index\.js:5: app\.storageQueue\('ghost'\): registered inside a function/,
  'computed-conditional-load':
    /index\.js:4: loads '\.\/functions\/legacy' inside an if, and it registers functions \(.*legacy\.js:3: app\.storageQueue\)/,
};
const APPS = readdirSync(FIXTURES).sort();
/** The example the demo and the integration tests deploy, held against the library like the corpus. */
const ORDERS_EXAMPLE = 'examples/orders';
const folderOf = (app: string) => (app === ORDERS_EXAMPLE ? join(REPO_ROOT, app) : join(FIXTURES, app));
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
function installedCopy(app: string, variant = 'source'): string {
  const copy = join(mkdtempSync(join(work, `${basename(app)}-${variant}-`)), basename(app));
  cpSync(folderOf(app), copy, { recursive: true });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(copy, 'node_modules'));
  return copy;
}

/** esbuild to CommonJS: every source file on its own, or the entry files bundled with the local modules they load. */
function esbuild(copy: string, bundle: boolean): void {
  const { outDir, rootDir = '.' } = JSON.parse(readFileSync(join(copy, 'tsconfig.json'), 'utf8')).compilerOptions;
  const manifest = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8'));
  const entries = bundle
    ? manifest.main.replace(`${outDir}/`, rootDir === '.' ? '' : `${rootDir}/`).replace(/\.js\b/g, '.ts')
    : `${rootDir === '.' ? '' : `${rootDir}/`}**/*.ts`;
  buildSync({
    entryPoints: fastGlob.sync(entries, { cwd: copy, absolute: true, ignore: ['node_modules/**', `${outDir}/**`] }),
    outdir: join(copy, outDir),
    outbase: join(copy, rootDir),
    absWorkingDir: copy,
    bundle,
    format: 'cjs',
    platform: 'node',
    ...(bundle ? { packages: 'external' as const } : {}),
    logLevel: 'error',
  });
  rmSync(join(copy, 'tsconfig.json'));
  writeFileSync(join(copy, 'package.json'), JSON.stringify({ ...manifest, type: 'commonjs' }));
}

/**
 * The ways a TypeScript app is built into what the worker runs: tsc with the app's tsconfig (the oracle builds every
 * copy that has one, so the app's own copy is that build), tsc once more with esModuleInterop where the app does not
 * set it, and esbuild to CommonJS, file by file and bundled (no tsconfig left, so the oracle runs its output as it is).
 */
const BUILDS: Record<string, ((copy: string) => void) | undefined> = {
  tsc: undefined,
  'tsc --esModuleInterop': (copy) => {
    const config = JSON.parse(readFileSync(join(copy, 'tsconfig.json'), 'utf8'));
    config.compilerOptions.esModuleInterop = true;
    writeFileSync(join(copy, 'tsconfig.json'), JSON.stringify(config));
  },
  'esbuild --format=cjs': (copy) => esbuild(copy, false),
  'esbuild --bundle --format=cjs': (copy) => esbuild(copy, true),
};
const TYPESCRIPT_APPS = APPS.filter((app) => existsSync(join(FIXTURES, app, 'tsconfig.json')));
const BUILT = TYPESCRIPT_APPS.flatMap((app) =>
  Object.keys(BUILDS)
    .filter(
      (build) =>
        !(
          build.includes('esModuleInterop') &&
          readFileSync(join(FIXTURES, app, 'tsconfig.json'), 'utf8').includes('esModuleInterop')
        ),
    )
    .map((build): [string, string] => [app, build]),
);
const builtCopies = new Map<string, string>();

/** Every app of the corpus (and every build of each TypeScript one), as the library registers it. */
async function officialIndexes(apps: string[]): Promise<Map<string, Indexed[]>> {
  const copies = new Map(apps.map((app) => [app, installedCopy(app)]));
  for (const [app, build] of BUILT) {
    const rebuild = BUILDS[build];
    const copy = rebuild === undefined ? (copies.get(app) as string) : installedCopy(app, build.replace(/\W+/g, '-'));
    rebuild?.(copy);
    builtCopies.set(`${app} ${build}`, copy);
    copies.set(`${app} ${build}`, copy);
  }
  return new Map(await Promise.all([...copies].map(async ([key, copy]) => [key, await officialIndex(copy)] as const)));
}

let official = new Map<string, Indexed[]>();
beforeAll(async () => {
  official = await officialIndexes([...APPS, ORDERS_EXAMPLE]);
}, 120_000);

test("the render app's code leaves its mark when it runs (so the render test below can tell it did not)", () => {
  expect(
    readdirSync(join(work)).some(
      (copy) => copy.startsWith('render-app-') && existsSync(join(work, copy, 'render-app', 'code-was-run.marker')),
    ),
  ).toBe(true);
});

async function staticIndex(app: string, root = folderOf(app)): Promise<Indexed[]> {
  const { app: found } = await discoverApp({ appPath: root, appSettings: {} }, false);
  return found.functions.map((fn) => ({ name: fn.name, bindings: [...fn.bindings] }));
}

describe('Node.js v4 apps: the static index equals what @azure/functions registers', () => {
  test('the corpus is large enough to mean something', () => {
    expect(LITERAL_APPS.length).toBeGreaterThanOrEqual(15);
  });

  test.each([...LITERAL_APPS, ORDERS_EXAMPLE])('%s', async (app) => {
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
      await expect(staticIndex(app)).rejects.toThrow(
        /write it as a literal|register it at the top level|load it at the top/,
      );
      await expect(staticIndex(app)).rejects.toThrow(/'triggers' input/);
    },
  );

  // The worker runs the build output, not the sources: each build of each TypeScript app gives the library's index.
  // A bundle that wraps a CommonJS module (`export =`) in esbuild's lazily run __commonJS is refused, never misread.
  test.each(BUILT)('%s, built by %s', async (app, build) => {
    const copy = builtCopies.get(`${app} ${build}`) as string;
    const expected = normalised(official.get(`${app} ${build}`) ?? []);
    expect(expected.length).toBeGreaterThan(0);
    const wrapsCommonJs = fastGlob
      .sync('dist/**/*.js', { cwd: copy, absolute: true })
      .some((file) => build.startsWith('esbuild') && readFileSync(file, 'utf8').includes('__commonJS('));
    if (app in COMPUTED || wrapsCommonJs) {
      await expect(staticIndex(app, copy)).rejects.toThrow(UserError);
    } else {
      expect(expected).toEqual(normalised(official.get(app) ?? []));
      expect(normalised(await staticIndex(app, copy))).toEqual(expected);
    }
  });

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
      'a let variable assigned again',
      "let q = 'a';\nq = 'b';\napp.storageQueue('f', { queueName: q, handler() {} });",
      /index\.js:4: function 'f': 'queueName' is 'q', a let variable assigned again on line 3/,
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
      "let o = { queueName: 'q' };\no = {};\napp.http('f', { extraOutputs: [output.storageQueue(o)], handler() {} });",
      /function 'f': 'extraOutputs\[0\] \(output\.storageQueue argument 1\)' is 'o', a let variable assigned again/,
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
      'a method of app handed to other code',
      "const http = app.http;\n[http].forEach((register) => register('f', { handler() {} }));",
      /index\.js:3: 'app' is used other than by calling its methods/,
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
      'a computed load in a function handed inline to a call',
      "['a'].forEach((f) => require('./' + f));",
      /index\.js:2: loads a module by a path made at run time/,
    ],
    [
      'a module that registers, loaded in a function the module calls',
      "function loadAll() {\n  require('./registers');\n}\nloadAll();",
      /index\.js:3: loads '\.\/registers' inside a function, and it registers functions \(.*registers\.js:2: app\.http\)/,
    ],
    [
      'a module that registers, loaded in an exported function an importer calls',
      "require('./loader').loadAll();",
      /loader\.js:1: loads '\.\/registers' inside a function, and it registers functions/,
    ],
    [
      'a module that registers, loaded inside a try',
      "try {\n  require('./registers');\n} catch {}",
      /index\.js:3: loads '\.\/registers' inside a try block, and it registers functions/,
    ],
    [
      'a registration in a class instance field',
      "class Later {\n  field = app.http('f', { handler() {} });\n}",
      /index\.js:3: app\.http\('f'\): registered inside a class field/,
    ],
    [
      'a registration in a private method',
      "class Later {\n  #register() {\n    app.http('f', { handler() {} });\n  }\n}",
      /index\.js:4: app\.http\('f'\): registered inside a function/,
    ],
    [
      'a return from the module before a registration',
      "if (process.env.X) return;\napp.http('f', { handler() {} });",
      /index\.js:3: app\.http\('f'\): registered inside code the return on line 2 may skip/,
    ],
    [
      'a module that registers, loaded after a return from the module',
      "if (process.env.X) return;\nrequire('./registers');",
      /index\.js:3: loads '\.\/registers' inside code the return on line 2 may skip, and it registers functions/,
    ],
    [
      'a const changed by a method call',
      "const outs = [];\nouts.push(output.storageQueue({ queueName: 'q', connection: 'S' }));\napp.http('f', { extraOutputs: outs, handler() {} });",
      /index\.js:4: function 'f': 'extraOutputs' is 'outs', a const changed by \.push\(\) on line 3/,
    ],
    [
      'a const changed through another name for it',
      "const base = { connection: 'S' };\nconst same = base;\nObject.assign(same, { queueName: 'x' });\napp.storageQueue('f', { ...base, queueName: 'q', handler() {} });",
      /index\.js:5: function 'f': its options are 'base', a const handed to other code on line 4/,
    ],
    [
      'a const handed to other code',
      "const o = { queueName: 'q' };\nrequire('./names').register(o);\napp.storageQueue('f', { ...o, handler() {} });",
      /index\.js:4: function 'f': its options are 'o', a const handed to other code on line 3/,
    ],
    [
      'options app.http writes its return binding into, read again',
      "const o = { handler() {} };\napp.http('a', o);\napp.storageQueue('f', { ...o, queueName: 'q' });",
      /index\.js:4: function 'f': its options are 'o', a const given to app\.http, which writes 'return' into it, on line 3/,
    ],
    [
      'a value read before its declaration',
      "app.storageQueue('f', { queueName: Q, handler() {} });\nvar Q = 'q';",
      /index\.js:2: function 'f': 'queueName' is 'Q', a var variable declared on line 3, after it is read/,
    ],
    [
      'a module that does not exist',
      "require('./missing');",
      /index\.js:2: loads '\.\/missing', which cannot be resolved: no such file/,
    ],
    [
      'a package.json imports subpath nothing maps',
      "require('#functions/orders.js');",
      /index\.js:2: loads '#functions\/orders\.js', which cannot be resolved: no package\.json "imports" maps it/,
    ],
    [
      'the library taken apart with a rest element',
      "const { ...rest } = require('@azure/functions');\nrest.app.http('f', { handler() {} });",
      /index\.js:2: takes the library apart in a way the indexer does not follow/,
    ],
    [
      "the library's default export, as CommonJS reads it",
      "require('@azure/functions').default.app.http('f', { handler() {} });",
      /index\.js:2: reads the default export of @azure\/functions, which it does not have/,
    ],
    [
      "the library's default export through tsc's import helper",
      "const functions_1 = __importDefault(require('@azure/functions'));\nfunctions_1.default.app.http('f', { handler() {} });",
      /index\.js:3: reads the default export of @azure\/functions/,
    ],
    [
      "app from a bundle's lazily loaded module",
      "var import_az = __toESM(require_az());\nimport_az.app.storageQueue('f', { queueName: 'q', connection: 'S', handler() {} });",
      /index\.js:3: function 'f': registered on an 'app' that does not come from @azure\/functions/,
    ],
    [
      'a registration method taken from something the indexer cannot follow',
      "const { storageQueue } = makeApp();\nstorageQueue('f', { queueName: 'q', handler() {} });",
      /index\.js:3: function 'f': registered on an 'app' that does not come from @azure\/functions/,
    ],
    [
      'a registration method called on a module the indexer cannot follow',
      "const shared = require('@shop/az');\nconst options = { queueName: 'q' };\nshared.storageQueue('f', options);",
      /index\.js:4: function 'f': registered on an 'app' that does not come from @azure\/functions/,
    ],
    [
      'a name for app assigned again',
      "let shared = app;\nshared = require('./names').app;\nshared.http('f', { handler() {} });",
      /index\.js:3: 'app' is used other than by calling its methods/,
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
      'registers.js': "const { app } = require('@azure/functions');\napp.http('other', { handler() {} });",
      'loader.js': "exports.loadAll = () => require('./registers');",
    });
    const refused = discoverApp({ appPath: root, appSettings: {} }, false);
    await expect(refused).rejects.toThrow(UserError);
    await expect(refused).rejects.toThrow(message);
    // The way out, except where the library itself would refuse the app.
    await expect(refused).rejects.toThrow(
      /'triggers' input|cannot parse|needs a 'trigger'|not a registration of|does not have: compiled to CommonJS/,
    );
  });

  test('a module loaded through a tsconfig paths alias (which Node does not read) is refused', async () => {
    const root = appWith(work, {
      'host.json': '{"version":"2.0"}',
      'package.json': MANIFEST('dist/*.js'),
      'tsconfig.json': JSON.stringify({
        extends: './tsconfig.base.json',
        compilerOptions: { outDir: 'dist', rootDir: 'src' },
      }),
      'tsconfig.base.json': JSON.stringify({ compilerOptions: { paths: { '@/*': ['./src/*'], '*': ['./types/*'] } } }),
      'src/index.ts': "import 'express';\nimport '@/functions/orders';\n",
      'src/functions/orders.ts':
        "import { app } from '@azure/functions';\napp.http('orders', { handler: async () => ({}) });",
      'types/express/index.d.ts': 'export {};',
    });
    await expect(discoverApp({ appPath: root, appSettings: {} }, false)).rejects.toThrow(
      /index\.ts:2: loads '@\/functions\/orders', which goes through tsconfig\.json "paths" \('@\/\*'\), which Node does not read/,
    );
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

test('a call that only looks like a registration (no app, no handler, a route) is not one', async () => {
  const root = appWith(work, {
    'host.json': '{"version":"2.0"}',
    'package.json': MANIFEST('index.js'),
    'index.js':
      "const { app } = require('@azure/functions');\nconst axios = require('axios');\n" +
      "axios.get('https://example.org', { timeout: 5 });\napp.http('ping', { handler() {} });\n" +
      "const api = { client: axios };\napi.client.get('users', { timeout: 5 });\n" +
      "const server = require('express')();\nserver.app = server;\nserver.app.get('/health', (request, response) => response.end());\n" +
      // In a handler, which runs only once the app has started: a registration there fails in the library.
      "const lazy = require('lazy-app');\napp.http('pong', { handler: async () => lazy.app.http('late', { handler() {} }) });\n" +
      // A client's or a cache's get and post, as the module loads.
      "const cache = require('./cache');\ncache.get('warmup', () => {});\naxios.post('users', { name: 'x' });",
    'cache.js': 'module.exports = new Map();',
  });
  const { app } = await discoverApp({ appPath: root, appSettings: {} }, false);
  expect(app.functions.map((fn) => fn.name)).toEqual(['ping', 'pong']);
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
