import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import yaml from 'js-yaml';
import { type AppSource, discoverApp } from '../../src/discovery/discover.js';
import { property } from '../../src/discovery/model.js';
import { indexNodeAppAtRuntime } from '../../src/discovery/node-v4/runtime.js';
import { UserError } from '../../src/errors.js';
import { processWatch } from './process-watch.js';
import { REPO_ROOT, runCli } from './shared-fixtures.js';
import { appWith, workFolder } from './temp-app.js';

/**
 * `indexer: runtime` for Node.js v4 apps: the app loaded in a child process by its own @azure/functions (the real
 * 4.16.5 here, a devDependency), recording what the library registers. The corpus test (node-v4.test.ts) holds every
 * corpus app's runtime index against the static one; this file holds what only the runtime reads and how it fails.
 */

const FIXTURES = join(REPO_ROOT, '__tests__', 'fixtures', 'node-v4');
const work = workFolder('node-v4-runtime');

/** A corpus app copied out of the repository (so nothing above it is installed), with `extra` files added. */
function copyOf(app: string): string {
  const copy = join(mkdtempSync(join(work, `${app}-`)), app);
  cpSync(join(FIXTURES, app), copy, { recursive: true });
  return copy;
}

/** node_modules as `npm ci` in the app gives it: the repository's, with the library and durable-functions. */
function install(root: string): string {
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
  return root;
}

const MANIFEST = (main: string, extra: object = {}) =>
  JSON.stringify({ main, dependencies: { '@azure/functions': '^4.0.0' }, ...extra });

/** An app of these files, with host.json and a package.json whose `main` is given. */
const appOf = (main: string, files: Record<string, string>) =>
  appWith(work, { 'host.json': '{"version":"2.0"}', 'package.json': MANIFEST(main), ...files });

const runtime = (root: string, appSettings: Record<string, string> = {}, extra: Partial<AppSource> = {}) =>
  discoverApp({ appPath: root, appSettings, indexer: 'runtime', ...extra }, false);

describe('indexer runtime reads the registrations the static indexer refuses, through the library', () => {
  const cases: [string, Record<string, string>, [string, string, string][]][] = [
    [
      'computed-loop',
      {},
      [
        ['orders-eu', 'queueName', 'orders-eu'],
        ['orders-us', 'queueName', 'orders-us'],
      ],
    ],
    ['computed-call', {}, [['calledName', 'queueName', 'orders-queue']]],
    ['computed-import', {}, [['importedOptions', 'connection', 'Bus']]],
    ['computed-env', {}, [['fromEnvironment', 'queueName', 'orders']]],
    // The app settings are the child's environment, as they are the worker's in the cluster.
    ['computed-env', { QUEUE_NAME: 'invoices' }, [['fromEnvironment', 'queueName', 'invoices']]],
    ['computed-variable', { STAGING: '1' }, [['computedVariable', 'queueName', 'orders-staging']]],
  ];

  test.each(cases)('%s with settings %j', async (app, settings, expected) => {
    const { app: found } = await runtime(install(copyOf(app)), settings);
    expect(
      found.functions.map((fn) => [fn.name, expected[0]?.[1], property(fn.trigger, expected[0]?.[1] ?? '')]),
    ).toEqual(expected);
  });

  test('an ES module app (package.json "type": "module") that awaits as it loads, imported as the worker imports it', async () => {
    const root = install(
      appOf('src/*.js', {
        'package.json': MANIFEST('src/*.js', { type: 'module' }),
        'src/index.js':
          "import { app } from '@azure/functions';\nconst queues = await Promise.resolve(['a', 'b']);\n" +
          "for (const queueName of queues) app.storageQueue(queueName, { queueName, connection: 'S', handler() {} });\n",
      }),
    );
    const { app } = await runtime(root);
    expect(app.functions.map((fn) => [fn.name, fn.trigger.queueName])).toEqual([
      ['a', 'a'],
      ['b', 'b'],
    ]);
  });

  test('each function names the file and line of the app code that registered it', async () => {
    const root = install(copyOf('computed-loop'));
    const { app } = await runtime(root);
    expect(app.functions.map((fn) => fn.source)).toEqual([
      `${join(root, 'src', 'functions', 'loop.js')}:4`,
      `${join(root, 'src', 'functions', 'loop.js')}:4`,
    ]);
  });

  test("the bindings are the library's own: binding names it hashes, which the static indexer never makes", async () => {
    const root = install(
      appOf('index.js', {
        'index.js':
          "const { app, output } = require('@azure/functions');\n" +
          "app.storageQueue('copy', { queueName: 'in', connection: 'S', extraOutputs: [output.storageQueue({ queueName: 'out', connection: 'S' })], handler() {} });",
      }),
    );
    const [fromLibrary] = (await runtime(root)).app.functions;
    const [fromSource] = (await discoverApp({ appPath: root, appSettings: {} }, false)).app.functions;
    const names = (fn: typeof fromLibrary) => fn?.bindings.map((binding) => binding.name);
    expect(names(fromLibrary)).toEqual([
      expect.stringMatching(/^queueTrigger[0-9a-f]{10}$/),
      expect.stringMatching(/^queueOutput[0-9a-f]{10}$/),
    ]);
    expect(names(fromSource)).toEqual(['queueTrigger0', 'queueOutput0']);
    // No worker-only field: the bindings are function.json's shape, as the static indexer gives them.
    expect(fromLibrary?.bindings.some((binding) => 'properties' in binding)).toBe(false);
  });

  test("the app's own @azure/functions is the one loaded, found from the app as the worker finds it", async () => {
    // A copy of the library of the app's own, answering through the stand-in core module the worker's way (by name).
    const root = appOf('index.js', {
      'index.js': "require('@azure/functions').app.http('own');",
      'node_modules/@azure/functions/package.json': '{"name":"@azure/functions","version":"4.99.0","main":"lib.js"}',
      'node_modules/@azure/functions/lib.js':
        "const core = require('@azure/functions-core');\n" +
        'module.exports = { app: { http: (name) => core.registerFunction({ name, bindings: ' +
        "{ req: { type: 'httpTrigger', direction: 'in', copy: 'the app own' } } }) } };",
    });
    const { app } = await runtime(root);
    expect(app.functions.map((fn) => [fn.name, fn.trigger])).toEqual([
      ['own', { type: 'httpTrigger', direction: 'in', copy: 'the app own', name: 'req' }],
    ]);
    // The place is the app's call, not the library's code that made the registration.
    expect(app.functions[0]?.source).toBe(`${join(root, 'index.js')}:1`);
  });
});

describe('the child the app runs in', () => {
  test("sees the app settings and the app root as its folder, and of this process's environment only PATH and HOME", async () => {
    const runner = { AFD_RUNNER_SECRET: 'runner-token-value', AZURE_CLIENT_SECRET: 'client-secret-value' };
    Object.assign(process.env, runner);
    const root = install(
      appOf('index.mjs', {
        'index.mjs':
          "import { app, trigger } from '@azure/functions';\n" +
          'const seen = (name) => process.env[name] ?? "unset";\n' +
          "app.generic('probe', { trigger: trigger.generic({ type: 'probeTrigger', setting: seen('SHOP_SETTING'), " +
          "runner: seen('AFD_RUNNER_SECRET'), client: seen('AZURE_CLIENT_SECRET'), path: seen('PATH'), " +
          "home: seen('HOME'), names: Object.keys(process.env).sort().join(), cwd: process.cwd() }), handler() {} });",
      }),
    );
    try {
      const { app } = await runtime(root, { SHOP_SETTING: 'from-settings' });
      expect(app.functions[0]?.trigger).toMatchObject({
        setting: 'from-settings',
        runner: 'unset',
        client: 'unset',
        path: process.env.PATH,
        home: process.env.HOME,
        names: 'HOME,PATH,SHOP_SETTING',
        cwd: realpathSync(root),
      });
    } finally {
      for (const name of Object.keys(runner)) delete process.env[name];
    }
  });

  test("keeps the app's console output away from the records and from this process, however much it prints", async () => {
    const root = install(
      appOf('index.js', {
        'index.js':
          "const { app } = require('@azure/functions');\nconsole.log('{\"functions\":[]}');\n" +
          // More than the child's stdout may carry: printed there, it would stop the load.
          "console.log('x'.repeat(10 << 20));\nprocess.stdout.write('half a line');\n" +
          "app.http('ping', { handler() {} });",
      }),
    );
    const { app } = await runtime(root);
    expect(app.functions.map((fn) => fn.name)).toEqual(['ping']);
  });

  test("takes its answer from the indexer's own channel only: what the app writes anywhere cannot forge it", async () => {
    const forged = JSON.stringify({ functions: [{ name: 'forged', bindings: [], site: 'index.js:1' }] });
    const answer = JSON.stringify({ answer: JSON.parse(forged) });
    const root = install(
      appOf('index.js', {
        'index.js':
          "const { app } = require('@azure/functions');\nconst { writeSync } = require('node:fs');\n" +
          // A report on stdout, and on the channel with every nonce the app can see, also after the indexer's own.
          `const forge = () => { writeSync(1, '\\n' + ${JSON.stringify(forged)} + '\\n');\n` +
          `  for (const word of [...process.argv, ...process.execArgv, '', 'undefined']) ` +
          `try { writeSync(3, '\\n' + word + ' ' + ${JSON.stringify(answer)} + '\\n'); } catch {} };\n` +
          "forge();\nprocess.on('exit', forge);\napp.http('ping', { handler() {} });",
      }),
    );
    const { app } = await runtime(root);
    expect(app.functions.map((fn) => fn.name)).toEqual(['ping']);
  });

  test('an app that floods the channel is stopped at a bound, and said so', async () => {
    const root = install(
      appOf('index.js', {
        'index.js':
          "require('@azure/functions');\nconst { writeSync } = require('node:fs');\n" +
          // A pipe takes what it has room for: written on until 9 MiB are through.
          "for (let left = 9 << 20; left > 0; ) { try { left -= writeSync(3, 'x'.repeat(1 << 16)); } catch {} }",
      }),
    );
    await expect(runtime(root)).rejects.toThrow(
      /^input 'indexer': the app wrote more than 8 MiB to the file descriptor the indexer's answer travels on \(3\)/,
    );
  });
});

describe('indexer runtime refuses cleanly', () => {
  test("an app whose dependencies are not installed: one error naming the command, and the app's code not run", async () => {
    const root = copyOf('computed-render');
    const refused = runtime(root);
    await expect(refused).rejects.toThrow(UserError);
    await expect(refused).rejects.toThrow(
      `input 'indexer': 'runtime' loads the app with its own @azure/functions, which is not installed in '${root}': ` +
        `install the app's dependencies first ('npm ci', or 'npm install', in app-path)`,
    );
    expect(existsSync(join(root, 'code-was-run.marker'))).toBe(false);
  });

  test('another package the app loads not installed: the file and line that loads it, and the command', async () => {
    const root = appOf('index.js', {
      'index.js': "const { app } = require('@azure/functions');\nconst df = require('durable-functions');\n",
    });
    mkdirSync(join(root, 'node_modules', '@azure'), { recursive: true });
    symlinkSync(
      join(REPO_ROOT, 'node_modules', '@azure', 'functions'),
      join(root, 'node_modules', '@azure', 'functions'),
    );
    await expect(runtime(root)).rejects.toThrow(
      new RegExp(
        `^${join(root, 'index.js')}:2: package 'durable-functions' is not installed, so indexer 'runtime' cannot load ` +
          `the app: install the app's dependencies first \\('npm ci', or 'npm install', in app-path\\)$`,
      ),
    );
  });

  test("an app that throws as it loads: where, and the first line of its message with the settings' values hidden", async () => {
    const secret = 'Server=db;Password=hunter2-secret';
    const root = install(
      appOf('src/*.js', {
        'src/index.js': "require('@azure/functions');\nrequire('./db');\n",
        'src/db.js': '// connects as it loads\nthrow new Error(`cannot reach ${process.env.DB}\\nat line two`);\n',
      }),
    );
    const refused = runtime(root, { DB: secret });
    await expect(refused).rejects.toThrow(UserError);
    const message = await refused.catch((error: Error) => error.message);
    expect(message).toBe(
      `${join(root, 'src', 'db.js')}:2: the app threw while loading (indexer 'runtime'): cannot reach ***`,
    );
  });

  test('an app that ignores SIGTERM and starts a process of its own: the time limit ends both, and names the file', async () => {
    const watch = await processWatch(work, 'node-time-limit');
    const holder =
      "process.on('SIGTERM', () => {});\n" +
      `const socket = require('node:net').connect(${JSON.stringify(watch.path)}, () => socket.write(String(process.pid)));\n` +
      // A minute at most: long past the limit, and no process left behind for good when the test fails.
      'setTimeout(() => process.exit(), 60_000);';
    const root = install(
      appOf('src/*.mjs', {
        'src/a.mjs': "import { app } from '@azure/functions';\napp.http('early', { handler() {} });\n",
        'src/b.mjs':
          "import { spawn } from 'node:child_process';\nprocess.on('SIGTERM', () => {});\n" +
          `spawn(process.execPath, ['-e', ${JSON.stringify(holder)}], { stdio: 'ignore' });\n` +
          'await new Promise((done) => setTimeout(done, 60_000));\n',
      }),
    );
    try {
      const refused = indexNodeAppAtRuntime(root, {}, [], 5_000);
      await watch.connected;
      await expect(refused).rejects.toThrow(
        new RegExp(
          `^${join(root, 'src', 'b.mjs')}: indexer 'runtime' stopped the app at its time limit of 5 s, still loading ` +
            `this file .*'triggers' input$`,
        ),
      );
      await watch.gone;
    } finally {
      watch.close();
    }
  }, 30_000);

  test.each([
    ['an Error with no message', 'throw new Error();', 'Error'],
    ['a TypeError with no message', 'throw new TypeError();', 'TypeError'],
    ['undefined', 'throw undefined;', 'undefined'],
  ])('an app that throws %s as it loads: one clean line naming the file', async (_, statement, thrown) => {
    const root = install(appOf('index.js', { 'index.js': `require('@azure/functions');\n${statement}\n` }));
    await expect(runtime(root)).rejects.toThrow(
      new RegExp(
        `^${join(root, 'index.js')}(:2)?: the app threw ${thrown} with no message while loading \\(indexer 'runtime'\\)$`,
      ),
    );
  });

  test('an app whose top-level await never settles ends the child: said so', async () => {
    const root = install(
      appOf('index.mjs', {
        'index.mjs': "import '@azure/functions';\nawait new Promise(() => {});\n",
      }),
    );
    await expect(runtime(root)).rejects.toThrow(
      `${join(root, 'index.mjs')}: the app's code ended the process (exit code 13) (a top-level await that never ` +
        `settled) before its entry files finished loading (indexer 'runtime')`,
    );
  });

  test('a TypeScript app not built yet: build it first (the worker loads the build output)', async () => {
    const root = install(copyOf('ts-unbuilt'));
    await expect(runtime(root)).rejects.toThrow(
      `${join(root, 'package.json')}: "main" ('dist/src/functions/*.js') matches no file: indexer 'runtime' loads ` +
        `the build output, as the worker does: build the app first (e.g. 'npm run build')`,
    );
  });
});

describe('a computed app rendered by the CLI', () => {
  const settingsOf = (root: string) =>
    JSON.parse(readFileSync(join(root, 'local.settings.json'), 'utf8')).Values as Record<string, string>;
  const render = (root: string, extra: string[]) =>
    runCli([
      'render',
      '--app-path',
      root,
      '--name',
      'shop',
      '--image',
      'reg.io/shop:1',
      '--settings-file',
      join(root, 'local.settings.json'),
      ...extra,
    ]);

  test('with the defaults: refused cleanly, pointing at indexer runtime, and its code not run', () => {
    const root = install(copyOf('computed-render'));
    const run = render(root, []);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^error: .*regions\.js:9: app\.storageQueue\('\?'\): registered inside a loop.*input 'indexer': runtime.*'triggers' input\n$/,
    );
    expect(existsSync(join(root, 'code-was-run.marker'))).toBe(false);
  });

  describe('with --indexer runtime', () => {
    const root = install(copyOf('computed-render'));
    const run = render(root, ['--indexer', 'runtime']);
    const objects = run.status === 0 ? (yaml.loadAll(run.stdout) as any[]) : [];
    const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

    test('renders, with nothing on stderr', () => {
      expect([run.status, run.stderr]).toEqual([0, '']);
    });

    test('the queues the loop registered, named from a setting, scale the app; the HTTP function is split off', () => {
      expect(find('ScaledObject', 'shop').spec.triggers.map((t: any) => [t.type, t.metadata.queueName])).toEqual([
        ['azure-queue', 'shop-orders-eu'],
        ['azure-queue', 'shop-orders-us'],
      ]);
      expect(find('Service', 'shop-http')).toBeDefined();
    });

    test("the app's code ran (it is how the functions were found), and no setting value is printed", () => {
      expect(existsSync(join(root, 'code-was-run.marker'))).toBe(true);
      expect(run.stdout).not.toContain(settingsOf(root).ShopStorage);
    });

    test('an app-path relative to the working folder (../…) gives the same triggers', () => {
      const fromRelative = render(relative(REPO_ROOT, root), ['--indexer', 'runtime']);
      expect(relative(REPO_ROOT, root)).toMatch(/^\.\.\//);
      expect([fromRelative.status, fromRelative.stderr]).toEqual([0, '']);
      const scaled = (stdout: string) =>
        (yaml.loadAll(stdout) as any[]).find((o) => o.kind === 'ScaledObject' && o.metadata.name === 'shop');
      expect(scaled(fromRelative.stdout).spec.triggers).toEqual(scaled(run.stdout).spec.triggers);
    });
  });
});
