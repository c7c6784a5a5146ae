import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import yaml from 'js-yaml';
import { discoverApp } from '../../src/discovery/discover.js';
import type { IndexedFunction } from '../../src/discovery/code-first.js';
import { indexPythonAppAtRuntime } from '../../src/discovery/python-v2/runtime.js';
import { UserError } from '../../src/errors.js';
import { oraclePython, pinnedVersion, workerIndex, type WorkerIndex, WorkerRefusal } from './python-oracle.js';
import { processWatch } from './process-watch.js';
import { shopRenderTests } from './rendered.js';
import { REPO_ROOT, runCli } from './shared-fixtures.js';
import { appWith, workFolder } from './temp-app.js';

/**
 * Python v2 apps read from their source must give what azure-functions itself registers: every app of the corpus is
 * indexed statically and by the real library (the versions python-oracle-requirements.txt pins), imported the way the
 * worker imports it (python-worker-index.py, kept apart from the product's runtime indexer so that the two are held
 * against the worker, not against each other).
 */

const FIXTURES = join(REPO_ROOT, '__tests__', 'fixtures', 'python-v2');
const work = workFolder('python-v2');

/** Apps whose registrations are computed: the library runs them, the static indexer refuses them cleanly. */
const COMPUTED: Record<string, RegExp> = {
  'computed-env': /function_app\.py:8: function 'orders': 'queue_name' is a subscript/,
  'computed-call': /function_app\.py:11: function 'billing': 'queue_name' is a call/,
  'computed-fstring': /function_app\.py:7: function 'items': 'route' is an f-string with \{…\} fields/,
  'computed-loop': /function_app\.py:6: @app\.function_name: registered inside a loop/,
  'computed-if': /function_app\.py:8: @app\.timer_trigger: registered inside an if/,
  'computed-factory':
    /function_app\.py:8: function 'made': decorated by @app\.queue_trigger, and 'app' is not a FunctionApp, DFApp or Blueprint the source shows \(bound to what a call returns\)/,
  'computed-reassigned':
    /function_app\.py:9: function 'orders': 'queue_name' is 'QUEUE', a variable bound more than once/,
  'computed-star-import':
    /function_app\.py:5: 'from deployment_settings import \*' binds every public name of the app's module 'deployment_settings' here/,
  'computed-match-capture': /function_app\.py:14: function 'orders': 'queue_name' is 'QUEUE', bound inside a match/,
  'computed-match-mapping': /function_app\.py:13: function 'orders': 'queue_name' is 'QUEUE', bound inside a match/,
  'computed-walrus-argument':
    /function_app\.py:11: function 'orders': 'queue_name' is 'QUEUE', a variable bound more than once/,
  'computed-walrus-keywords':
    /function_app\.py:9: function 'orders': 'queue_name' is 'QUEUE', a variable bound more than once/,
  'computed-module-attribute':
    /function_app\.py:7: the app's module 'function_app' is used other than by reading a name from it/,
  'computed-self-attribute':
    /function_app\.py:7: 'function_app\.QUEUE' is assigned or deleted through the app's module 'function_app'/,
  'computed-blueprint-replaced':
    /function_app\.py:8: 'reports\.bp' is assigned or deleted through the app's module 'reports'/,
  'computed-blueprint-call':
    /function_app\.py:12: 'reports\.bp' is used other than by its decorators and register_functions\(\)/,
  'computed-globals': /function_app\.py:7: 'globals' reaches a module's names without a statement that binds them/,
  'computed-sys-modules': /patches\.py:3: 'sys\.modules' reaches a module's names without a statement that binds them/,
  'computed-unicode-name':
    /function_app\.py:10: function 'orders': 'queue_name' is 'QUEUE', a variable bound more than once/,
  'computed-import-in-try':
    /function_app\.py:12: the app's module 'optional_reports' registers functions, and is imported inside a try block/,
};
/** Apps the worker itself refuses to index: the static index refuses them too, with these errors. */
const REFUSED: Record<string, { worker: RegExp; static: RegExp }> = {
  'stdlib-http-module': {
    worker: /AttributeError: module 'http' has no attribute 'bp'/,
    static: /http\.py: the app's module 'http' has the name of a module of Python's standard library/,
  },
  'stdlib-queue-module': {
    worker: /ImportError: cannot import name 'bp' from 'queue'/,
    static: /queue\.py: the app's module 'queue' has the name of a module of Python's standard library/,
  },
  'stdlib-email-package': {
    worker: /ImportError: cannot import name 'bp' from 'email'/,
    static: /email\/__init__\.py: the app's module 'email' has the name of a module of Python's standard library/,
  },
  'duplicate-function-name': {
    worker: /ValueError: Function handle does not have a unique function name/,
    static:
      /function_app\.py:11: function 'handle': a second function of that name \(the first is at .*function_app\.py:6\)/,
  },
  'blueprint-registered-twice': {
    worker: /ValueError: Function reports_v1 does not have a unique function name/,
    static: /reports\.py:6: function 'reports_v1': a second function of that name .*its Blueprint is registered twice/,
  },
  'app-alias': {
    worker: /ValueError: More than one FunctionApp or other top level function app instances are defined/,
    static: /function_app\.py:4: 'app' is used other than by its decorators and register_functions\(\)/,
  },
};
const APPS = readdirSync(FIXTURES).sort();
const LITERAL_APPS = APPS.filter((app) => !(app in COMPUTED) && !(app in REFUSED));

/** The app's local.settings.json Values: what the worker's environment and the deploy's settings would hold. */
function settingsOf(app: string): Record<string, string> {
  const file = join(FIXTURES, app, 'local.settings.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')).Values as Record<string, string>) : {};
}

/** A copy to import: the app's code may write beside itself (render-app does), and the fixtures stay as they are. */
function copyOf(app: string): string {
  const copy = join(mkdtempSync(join(work, `${app}-`)), app);
  cpSync(join(FIXTURES, app), copy, { recursive: true });
  return copy;
}

/**
 * Nothing is normalised but the order of the functions (the host keys them by name) and the folder in `source`
 * (the oracle reads a copy): binding names are the app's own arguments in Python, enums are written by name on both
 * sides, and what the library adds for the host (route and auth level defaults, None left out) the indexer adds too.
 */
function comparable(functions: readonly IndexedFunction[], root: string, withoutLine = new Set<string>()) {
  return functions
    .map((fn) => ({
      name: fn.name,
      source: withoutLine.has(fn.name)
        ? fn.source.slice(root.length).replace(/:\d+$/, '')
        : fn.source.slice(root.length),
      bindings: fn.bindings,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

const official = new Map<string, WorkerIndex>();
const copies = new Map<string, string>();
beforeAll(async () => {
  for (const app of APPS) {
    const copy = copyOf(app);
    copies.set(app, copy);
    official.set(app, await workerIndex(copy, settingsOf(app)));
  }
}, 900_000);

async function staticIndex(app: string): Promise<IndexedFunction[]> {
  const { app: found } = await discoverApp({ appPath: join(FIXTURES, app), appSettings: settingsOf(app) }, false);
  return found.functions.map((fn) => ({ name: fn.name, source: fn.source, bindings: [...fn.bindings] }));
}

describe(`Python v2 apps: the static index equals what azure-functions ${pinnedVersion('azure-functions')} (and azure-functions-durable ${pinnedVersion('azure-functions-durable')}) registers`, () => {
  test('the corpus is large enough to mean something', () => {
    expect(LITERAL_APPS.length).toBeGreaterThanOrEqual(30);
    expect(Object.keys(COMPUTED).length).toBeGreaterThanOrEqual(5);
  });

  test.each(LITERAL_APPS)('%s', async (app) => {
    const expected = official.get(app);
    if (expected instanceof Error) throw expected;
    expect(expected?.length).toBeGreaterThan(0);
    const copy = copies.get(app) as string;
    // A function the library defines itself (AsgiFunctionApp's) has no line of the app's to give.
    const withoutLine = new Set((expected ?? []).filter((fn) => !/:\d+$/.test(fn.source)).map((fn) => fn.name));
    expect(comparable(await staticIndex(app), FIXTURES, withoutLine)).toEqual(
      comparable(expected ?? [], join(copy, '..')),
    );
  });

  test.each(Object.entries(COMPUTED))(
    '%s: the library registers it, the static index refuses it cleanly',
    async (app, message) => {
      const registered = official.get(app);
      if (registered instanceof Error) throw registered;
      expect(registered?.length).toBeGreaterThan(0);
      const refused = staticIndex(app);
      await expect(refused).rejects.toThrow(UserError);
      await expect(staticIndex(app)).rejects.toThrow(message);
      await expect(staticIndex(app)).rejects.toThrow(
        /write it as a literal|at the top level of the module|create it|import the names it needs|bind names|read names from it/,
      );
      await expect(staticIndex(app)).rejects.toThrow(/'triggers' input/);
    },
  );

  test.each(Object.entries(REFUSED))(
    '%s: the worker refuses it, and so does the static index',
    async (app, { worker, static: message }) => {
      const answer = official.get(app);
      expect(answer).toBeInstanceOf(WorkerRefusal);
      expect((answer as WorkerRefusal).message).toMatch(worker);
      const refused = staticIndex(app);
      await expect(refused).rejects.toThrow(UserError);
      await expect(staticIndex(app)).rejects.toThrow(message);
    },
  );
});

describe('the runtime indexer', () => {
  test("an interpreter without the app's dependencies: a clean error naming the install command", async () => {
    const bare = join(mkdtempSync(join(work, 'bare-')), 'venv');
    expect(spawnSync('python3', ['-m', 'venv', '--without-pip', bare]).status).toBe(0);
    const python = join(bare, 'bin', 'python');
    const app = copyOf('http-basic');
    const refused = indexPythonAppAtRuntime(app, python);
    await expect(refused).rejects.toThrow(UserError);
    await expect(refused).rejects.toThrow(
      `the app's dependencies are not installed for ${python} ('import azure.functions' fails): install them first ` +
        `(${python} -m pip install -r ${join(app, 'requirements.txt')})`,
    );
  });

  /** http-basic with `code` added to its script. */
  const appAdding = (code: string) => {
    const app = copyOf('http-basic');
    const script = join(app, 'function_app.py');
    writeFileSync(script, `${readFileSync(script, 'utf8')}\n${code}\n`);
    return app;
  };

  test('an app that ignores SIGTERM and starts a process of its own: the time limit ends both, and names the script', async () => {
    const watch = await processWatch(work, 'python-time-limit');
    // A minute at most: long past the limit, and no process left behind for good when the test fails.
    const holder =
      'import os, socket, time\ns = socket.socket(socket.AF_UNIX)\n' +
      `s.connect(${JSON.stringify(watch.path)})\ns.sendall(str(os.getpid()).encode())\ntime.sleep(60)\n`;
    const app = appAdding(
      'import signal, subprocess, sys, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n' +
        `subprocess.Popen([sys.executable, '-c', ${JSON.stringify(holder)}])\ntime.sleep(60)`,
    );
    try {
      const refused = indexPythonAppAtRuntime(app, oraclePython(), {}, 5_000);
      await watch.connected;
      await expect(refused).rejects.toThrow(
        new RegExp(
          `^${join(app, 'function_app.py')}: indexer 'runtime' stopped importing it with .*python at its time limit ` +
            `of 5 s: it must not wait for anything as it loads`,
        ),
      );
      await watch.gone;
    } finally {
      watch.close();
    }
  }, 30_000);

  test("an app whose import fails: the place and the first line of its message, the settings' values hidden", async () => {
    const app = appAdding('import os\nraise RuntimeError(f"cannot reach {os.environ[\'DB\']}\\nsecond line")');
    const refused = indexPythonAppAtRuntime(app, oraclePython(), { DB: 'Server=db;Password=hunter2-secret' });
    await expect(refused).rejects.toThrow(UserError);
    const message = await refused.catch((error: Error) => error.message);
    expect(message).toMatch(
      new RegExp(
        `^${join(app, 'function_app.py')}:\\d+: importing the app raised RuntimeError: cannot reach \\*\\*\\* ` +
          `\\(indexer 'runtime'\\)$`,
      ),
    );
  });

  test('code compiled from a string that raises with no message: the line of the app that ran it, one clean line', async () => {
    const app = appAdding('exec("def boom():\\n    raise KeyError()\\nboom()\\n")');
    const line =
      readFileSync(join(app, 'function_app.py'), 'utf8')
        .split('\n')
        .findIndex((text) => text.startsWith('exec(')) + 1;
    expect(line).toBeGreaterThan(0);
    await expect(indexPythonAppAtRuntime(app, oraclePython())).rejects.toThrow(
      `${join(app, 'function_app.py')}:${line}: importing the app raised KeyError with no message (indexer 'runtime')`,
    );
  });

  test('a function compiled from a string, its source in linecache: named by the script, not by <string>', async () => {
    const app = appAdding(
      'import linecache\nsource = "def made(req):\\n    return None\\n"\n' +
        "linecache.cache['<string>'] = (len(source), None, source.splitlines(True), '<string>')\n" +
        "scope = {}\nexec(compile(source, '<string>', 'exec'), scope)\napp.route(route='made')(scope['made'])",
    );
    const functions = await indexPythonAppAtRuntime(app, oraclePython());
    expect(functions.find((fn) => fn.name === 'made')?.source).toBe(join(app, 'function_app.py'));
  });

  test("takes its answer from the indexer's own channel only: what the app prints or writes cannot forge it", async () => {
    const forged = JSON.stringify({ functions: [{ name: 'forged', file: null, line: null, bindings: [] }] });
    const app = appAdding(
      'import atexit, os, sys\n' +
        `forged = ${JSON.stringify(forged)}\n` +
        'def forge():\n' +
        "    print('\\naks-functions-deploy-index:' + forged, flush=True)\n" +
        '    for word in sys.argv + [os.environ.get(name, "") for name in os.environ] + [""]:\n' +
        '        try:\n' +
        "            os.write(3, ('\\n' + word + ' {\"answer\": ' + forged + '}\\n').encode())\n" +
        '        except OSError:\n' +
        '            pass\n' +
        'forge()\natexit.register(forge)',
    );
    const functions = await indexPythonAppAtRuntime(app, oraclePython());
    expect(functions.map((fn) => fn.name)).not.toContain('forged');
    expect(functions.length).toBeGreaterThan(0);
  });

  test("sees the app settings, the app root as its folder, and of this process's environment only PATH and HOME", async () => {
    const runner = { AFD_RUNNER_SECRET: 'runner-token-value', AZURE_CLIENT_SECRET: 'client-secret-value' };
    Object.assign(process.env, runner);
    const app = appAdding(
      'import os\n' +
        "@app.generic_trigger(arg_name='req', type='probeTrigger', names=','.join(sorted(os.environ)), " +
        "path=os.environ.get('PATH'), home=os.environ.get('HOME'), cwd=os.getcwd())\ndef probe(req):\n    pass",
    );
    try {
      const functions = await indexPythonAppAtRuntime(app, oraclePython(), { SHOP_SETTING: 'from-settings' });
      expect(functions.find((fn) => fn.name === 'probe')?.bindings[0]).toMatchObject({
        // What Python itself adds to its environment (LC_CTYPE, for a UTF-8 locale) is its own.
        names: expect.stringMatching(/^HOME,(LC_CTYPE,)?PATH,SHOP_SETTING$/),
        path: process.env.PATH,
        home: process.env.HOME,
        cwd: realpathSync(app),
      });
    } finally {
      for (const name of Object.keys(runner)) delete process.env[name];
    }
  });
});

describe('the runtime indexer counts and orders functions as the worker does', () => {
  test.each(APPS)(
    '%s',
    async (app) => {
      const worker = official.get(app);
      const copy = copies.get(app) as string;
      const product = indexPythonAppAtRuntime(copy, oraclePython(), settingsOf(app));
      if (worker instanceof WorkerRefusal) {
        await expect(product).rejects.toThrow(UserError);
        if (app === 'app-alias') {
          await expect(product).rejects.toThrow(
            `${join(copy, 'function_app.py')}: importing it binds 2 top-level names to FunctionApps (app, api), ` +
              'which the worker refuses even when they are one app: keep one name',
          );
        }
      } else {
        // Nothing sorted: the same functions, in the order the worker hands them to the host.
        expect(await product).toEqual(worker);
      }
    },
    30_000,
  );
});

describe('indexer: runtime, as discovery picks it', () => {
  const runtimeIndex = (appPath: string, appSettings: Record<string, string> = {}) =>
    discoverApp({ appPath, appSettings, indexer: 'runtime' }, false).then(({ app }) =>
      app.functions.map((fn) => ({ name: fn.name, source: fn.source, bindings: [...fn.bindings] })),
    );

  test("a computed app is read by azure-functions in the app's own .venv", async () => {
    const app = copyOf('computed-loop');
    // The venv the app's dependencies are installed in, where `func init` puts it.
    symlinkSync(join(oraclePython(), '..', '..'), join(app, '.venv'));
    const expected = official.get('computed-loop');
    if (expected instanceof Error) throw expected;
    expect(comparable(await runtimeIndex(app), join(app, '..'))).toEqual(
      comparable(expected ?? [], join(copies.get('computed-loop') as string, '..')),
    );
  });

  test("an app-path relative to the working folder (../…), given to the CLI: the app's .venv and script found", () => {
    const app = copyOf('computed-loop');
    symlinkSync(join(oraclePython(), '..', '..'), join(app, '.venv'));
    const appPath = relative(REPO_ROOT, app);
    expect(appPath).toMatch(/^\.\.\//);
    const run = runCli([
      'render',
      '--app-path',
      appPath,
      '--name',
      'sync',
      '--image',
      'reg.io/sync:1',
      '--indexer',
      'runtime',
    ]);
    expect([run.status, run.stderr]).toEqual([0, '']);
    const scaled = (yaml.loadAll(run.stdout) as any[]).find((o) => o.kind === 'ScaledObject');
    expect(scaled.spec.triggers.map((t: any) => t.metadata.queueName)).toEqual(['sync-east', 'sync-west']);
  });

  test("an app-path relative to this process's working folder: the app's .venv and script found from it", async () => {
    const app = copyOf('computed-loop');
    symlinkSync(join(oraclePython(), '..', '..'), join(app, '.venv'));
    const functions = await runtimeIndex(relative(process.cwd(), app));
    expect(functions.map((fn) => [fn.name, fn.bindings[0]?.queueName])).toEqual([
      ['sync_east', 'sync-east'],
      ['sync_west', 'sync-west'],
    ]);
  });

  test('without a .venv, python3 on PATH is asked, and its missing library is one clean error', async () => {
    const app = copyOf('computed-loop');
    // A PATH whose python3 has nothing installed, whatever the machine's has.
    const bin = mkdtempSync(join(work, 'bin-'));
    expect(spawnSync('python3', ['-m', 'venv', '--without-pip', join(bin, 'venv')]).status).toBe(0);
    symlinkSync(join(bin, 'venv', 'bin', 'python'), join(bin, 'python3'));
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      const refused = runtimeIndex(app);
      await expect(refused).rejects.toThrow(UserError);
      await expect(runtimeIndex(app)).rejects.toThrow(
        /the app's dependencies are not installed for python3 \('import azure.functions' fails\): install them first \(python3 -m pip install -r .*requirements\.txt\)/,
      );
    } finally {
      process.env.PATH = path;
    }
  });
});

test("the render app's code leaves its mark when the library imports it (so the render test below can tell it did not)", () => {
  expect(existsSync(join(copies.get('render-app') as string, 'code-was-run.marker'))).toBe(true);
});

describe('a Python v2 app with nothing installed, rendered by the CLI', () => {
  const app = join(mkdtempSync(join(work, 'render-')), 'shop');
  cpSync(join(FIXTURES, 'render-app'), app, { recursive: true });
  const settings = settingsOf('render-app');
  shopRenderTests(app, 'function_app\\.py', settings.ShopStorage as string, ['code-was-run.marker', '__pycache__']);
});

describe('what the static indexer does not read: one clean error naming the file and line, and the way out', () => {
  const HEAD = 'import azure.functions as func\napp = func.FunctionApp()\n';
  const QUEUE = (value: string) =>
    `@app.queue_trigger(arg_name="m", queue_name=${value}, connection="S")\ndef f(m): pass\n`;
  const cases: [string, string, RegExp][] = [
    [
      'a variable bound twice',
      `Q = "a"\nQ = "b"\n${QUEUE('Q')}`,
      /py:5: function 'f': 'queue_name' is 'Q', a variable bound more than once/,
    ],
    ['a call', QUEUE('str(1)'), /py:3: function 'f': 'queue_name' is a call/],
    [
      'an f-string with a field',
      `N = 1\n${QUEUE('f"q{N}"')}`,
      /py:4: function 'f': 'queue_name' is an f-string with \{…\} fields/,
    ],
    [
      'an attribute read',
      `import names\n${QUEUE('names.QUEUE')}`,
      /py:4: function 'f': 'queue_name' is an attribute read/,
    ],
    ['a subscript', `QS = ["a"]\n${QUEUE('QS[0]')}`, /py:4: function 'f': 'queue_name' is a subscript/],
    ['an expression', QUEUE('"a" + "b"'), /py:3: function 'f': 'queue_name' is an expression/],
    [
      'a constant of another module',
      `from names import QUEUE\n${QUEUE('QUEUE')}`,
      /'queue_name' is 'QUEUE', imported from another module/,
    ],
    [
      'a name bound later',
      `${QUEUE('LATER')}LATER = "q"\n`,
      /py:3: function 'f': 'queue_name' is 'LATER', a name the module has not bound by then/,
    ],
    [
      'a list the module changes',
      `QS = ["a"]\nQS.append("b")\n${QUEUE('QS[0]')}`.replace('QS[0]', 'QS'),
      /'queue_name' is 'QS', a list or dict the module also uses elsewhere/,
    ],
    ['a bytes literal', QUEUE('b"q"'), /'queue_name' is a bytes literal/],
    [
      'a registration inside a function',
      `def register():\n    ${QUEUE('"q"').replace('\n', '\n    ')}`,
      /py:4: @app\.queue_trigger: registered inside a function/,
    ],
    [
      'a registration inside a try',
      `try:\n    ${QUEUE('"q"').replace('\n', '\n    ')}except ImportError: pass\n`,
      /py:4: @app\.queue_trigger: registered inside a try block/,
    ],
    [
      'a registration inside a class',
      `class C:\n    ${QUEUE('"q"').replace('\n', '\n    ')}`,
      /py:4: @app\.queue_trigger: registered inside a class/,
    ],
    [
      'app handed to other code',
      'import names\nnames.setup(app)\n',
      /py:4: 'app' is used other than by its decorators and register_functions\(\)/,
    ],
    ['a decorator method taken from app', 'register = app.route\n', /py:3: 'app' is used other than by its decorators/],
    ['app used inside a function', 'def setup():\n    return app\n', /py:4: 'app' is used inside a function/],
    [
      'an app made by a call',
      'import names\nother = names.make()\n@other.route(route="x", auth_level="anonymous")\ndef f(req): pass\n',
      /py:5: function 'f': decorated by @other\.route, and 'other' is not a FunctionApp, DFApp or Blueprint the source shows \(bound to what a call returns\)/,
    ],
    [
      'an app from a package',
      'from shared_functions import bp\n@bp.queue_trigger(arg_name="m", queue_name="q", connection="S")\ndef f(m): pass\n',
      /py:4: function 'f': decorated by @bp\.queue_trigger, and 'bp' is not a FunctionApp, DFApp or Blueprint the source shows \(imported from a package \('shared_functions'\)\)/,
    ],
    [
      "a decorator of its own below the app's",
      `import functools\n@app.queue_trigger(arg_name="m", queue_name="q", connection="S")\n@functools.cache\ndef f(m): pass\n`,
      /py:4: function 'f': a decorator that is not the app's stands below @app\.…/,
    ],
    [
      'a Blueprint the source does not show',
      'import names\napp.register_functions(names.make())\n',
      /py:4: app\.register_functions\(\.\.\.\): registers something the source does not show to be a Blueprint/,
    ],
    [
      'an MCP trigger',
      '@app.mcp_tool_trigger(arg_name="c", tool_name="t", description="d")\ndef f(c): pass\n',
      /py:3: @app\.mcp_tool_trigger on function 'f': @mcp_tool_trigger is not read from source yet/,
    ],
    [
      'code nested too deeply to read',
      `X = ${'('.repeat(20000)}1${')'.repeat(20000)}\n`,
      /function_app\.py: nested too deeply to be read|function_app\.py:3: cannot parse it/,
    ],
    [
      'a star import from a module of the app',
      `from names import *\n${QUEUE('"q"')}`,
      /py:3: 'from names import \*' binds every public name of the app's module 'names' here/,
    ],
    [
      'a star import from elsewhere, after the name',
      `Q = "q"\nfrom os.path import *\n${QUEUE('Q')}`,
      /py:5: function 'f': decorated by @app\.queue_trigger, and 'app' is not a FunctionApp, DFApp or Blueprint the source shows \(a name 'from os\.path import \*' may have bound again\)/,
    ],
    [
      'a star import inside a try',
      `Q = "q"\ntry:\n    from os.path import *\nexcept ImportError: pass\n${QUEUE('Q')}`,
      /py:7: function 'f': decorated by @app\.queue_trigger, and 'app' is not .* \(a name 'from os\.path import \*' may have bound again\)/,
    ],
    [
      'a match case capturing the name',
      `Q = "q"\nmatch "other":\n    case Q:\n        pass\n${QUEUE('Q')}`,
      /py:7: function 'f': 'queue_name' is 'Q', bound inside a match/,
    ],
    [
      'a match mapping pattern capturing the name',
      `Q = "q"\nmatch {"a": "z"}:\n    case {"a": Q}:\n        pass\n${QUEUE('Q')}`,
      /'queue_name' is 'Q', bound inside a match/,
    ],
    [
      'a match star pattern capturing the name',
      `Q = "q"\nmatch [1, 2]:\n    case [1, *Q]:\n        pass\n${QUEUE('Q')}`,
      /'queue_name' is 'Q', bound inside a match/,
    ],
    [
      'a match as-pattern binding the name',
      `Q = "q"\nmatch "other":\n    case "other" as Q:\n        pass\n${QUEUE('Q')}`,
      /'queue_name' is 'Q', bound inside a match/,
    ],
    [
      'a match case body assigning the name',
      `Q = "q"\nmatch 1:\n    case 1:\n        Q = "other"\n${QUEUE('Q')}`,
      /'queue_name' is 'Q', bound inside a match/,
    ],
    [
      'a walrus as a call argument',
      `Q = "q"\nprint(Q := "other")\n${QUEUE('Q')}`,
      /py:5: function 'f': 'queue_name' is 'Q', a variable bound more than once/,
    ],
    [
      'a type statement',
      `Q = "q"\ntype Q = str\n${QUEUE('Q')}`,
      /py:5: function 'f': 'queue_name' is 'Q', bound by a statement/,
    ],
    [
      "a module's name assigned",
      'import names\nnames.QUEUE = "other"\n',
      /py:4: 'names\.QUEUE' is assigned or deleted through the app's module 'names'/,
    ],
    ["a module's name deleted", 'import names\ndel names.QUEUE\n', /py:4: 'names\.QUEUE' is assigned or deleted/],
    ["a module's name added to", 'import names\nnames.QUEUE += "-v2"\n', /py:4: 'names\.QUEUE' is assigned or deleted/],
    [
      "a module's name assigned by a loop",
      'import names\nfor names.QUEUE in ["a"]: pass\n',
      /py:4: 'names\.QUEUE' is assigned or deleted/,
    ],
    [
      "a module's item assigned inside a function",
      'import names\ndef tune():\n    names.TABLES["q"] = "other"\n',
      /py:5: 'names\.TABLES' is assigned or deleted through the app's module 'names'/,
    ],
    [
      "the script's own module assigned through",
      'import function_app\nfunction_app.Q = "other"\n',
      /py:4: 'function_app\.Q' is assigned or deleted through the app's module 'function_app'/,
    ],
    [
      "a library's name assigned",
      'func.AuthLevel = None\n',
      /py:3: 'func\.AuthLevel' is assigned or deleted through the library's 'func'/,
    ],
    [
      'a module handed to setattr',
      'import names\nsetattr(names, "QUEUE", "other")\n',
      /py:4: the app's module 'names' is used other than by reading a name from it \(names\.name\)/,
    ],
    [
      "a module's __dict__",
      'import names\nspace = names.__dict__\n',
      /py:4: the app's module 'names' is used other than by reading a name from it/,
    ],
    [
      'a module imported in a function and handed on',
      'def module():\n    import names\n    return names\n',
      /py:5: the app's module 'names' is used inside a function other than by reading a name from it/,
    ],
    ['globals()', 'globals()["Q"] = "other"\n', /py:3: 'globals' reaches a module's names/],
    ['globals() in a function', 'def tune():\n    globals()["Q"] = "x"\n', /py:4: 'globals' reaches a module's names/],
    ['vars() at the top level', 'vars()["Q"] = "other"\n', /py:3: 'vars' reaches a module's names/],
    ['locals() at the top level', 'locals()["Q"] = "other"\n', /py:3: 'locals' reaches a module's names/],
    ['exec()', 'exec("Q = 1")\n', /py:3: 'exec' reaches a module's names/],
    ['sys.modules', 'import sys\nsys.modules[__name__].Q = 1\n', /py:4: 'sys\.modules' reaches a module's names/],
    ['sys.modules by another name', 'import sys as system\nm = system.modules\n', /py:4: 'sys\.modules' reaches/],
    ['modules taken from sys', 'from sys import modules\n', /py:3: 'sys\.modules' reaches a module's names/],
    [
      'importlib.import_module',
      'import importlib\nimportlib.import_module("function_app")\n',
      /py:4: 'import_module' reaches a module's names/,
    ],
    ['__import__', '__import__("function_app")\n', /py:3: '__import__' reaches a module's names/],
    [
      'a module run from its file',
      'import importlib.util\nspec = importlib.util.spec_from_file_location("x", "names.py")\n' +
        'importlib.util.module_from_spec(spec).__loader__.exec_module(None)\n',
      /py:5: 'exec_module' reaches a module's names/,
    ],
    [
      'a module that registers functions, imported inside a try',
      'try:\n    import extra\nexcept ImportError: pass\n',
      /py:4: the app's module 'extra' registers functions, and is imported inside a try block/,
    ],
    [
      'a module that registers functions, imported inside a function',
      'def load():\n    from . import extra\nload()\n'.replace('from . import extra', 'import extra'),
      /py:4: the app's module 'extra' registers functions, and is imported inside a function/,
    ],
    [
      "a Blueprint of another module's called to register",
      'import shared\nshared.bp.queue_trigger(arg_name="m", queue_name="q", connection="S")(print)\n',
      /py:4: 'shared\.bp' is used other than by its decorators and register_functions\(\)/,
    ],
    [
      'a Blueprint of a module imported in a function, called to register',
      'def later():\n    import shared\n    shared.bp.queue_trigger(arg_name="m", queue_name="q", connection="S")(print)\n',
      /py:5: 'shared\.bp' is used inside a function/,
    ],
    [
      "a Blueprint of another module's decorating inside a function",
      'import shared\ndef later():\n    @shared.bp.queue_trigger(arg_name="m", queue_name="q", connection="S")\n    def g(m): pass\n',
      /py:5: @shared\.bp\.queue_trigger: registered inside a function/,
    ],
  ];

  test.each(cases)('%s', async (_, code, message) => {
    const root = appWith(work, {
      'host.json': '{"version":"2.0"}',
      'function_app.py': HEAD + code,
      'names.py': 'QUEUE = "q"\nTABLES = {}\n\ndef setup(app): pass\n\ndef make(): pass\n',
      'shared.py': 'import azure.functions as func\nbp = func.Blueprint()\n',
      'extra.py':
        'from function_app import app\n@app.queue_trigger(arg_name="m", queue_name="x", connection="S")\ndef g(m): pass\n',
    });
    const refused = discoverApp({ appPath: root, appSettings: {} }, false);
    await expect(refused).rejects.toThrow(UserError);
    await expect(refused).rejects.toThrow(message);
    await expect(refused).rejects.toThrow(/'triggers' input/);
  });

  // What the library itself refuses: the app would not start, so there is no way out to offer but fixing it.
  const broken: [string, string, RegExp][] = [
    [
      'a durable orchestration trigger that is not nearest the def',
      'import azure.durable_functions as df\ndfapp = df.DFApp()\n@dfapp.orchestration_trigger(context_name="c")\n@dfapp.function_name("x")\ndef f(c): pass\n',
      /py:5: function 'x': @dfapp\.orchestration_trigger must be the decorator nearest the def/,
    ],
    [
      'a keyword spread of something not a dict',
      '@app.queue_trigger("m", **["q"])\ndef f(m): pass\n',
      /py:3: @app\.queue_trigger on function 'f': a \*\* spread of something that is not a dict/,
    ],
    [
      'a decorator FunctionApp does not have',
      '@app.kafka(arg_name="m")\ndef f(m): pass\n',
      /py:3: @app\.kafka on function 'f': 'kafka' is not a decorator of azure-functions' FunctionApp/,
    ],
    [
      'a required argument missing',
      '@app.queue_trigger(arg_name="m", connection="S")\ndef f(m): pass\n',
      /py:3: @app\.queue_trigger on function 'f': the required argument 'queue_name' is missing/,
    ],
    [
      'a keyword the decorator does not take',
      '@app.table_input(arg_name="t", connection="S", table_name="T", rows=3)\n@app.queue_trigger("m", "q", "S")\ndef f(m, t): pass\n',
      /py:3: @app\.table_input on function 'f': 'rows' is not a parameter of it/,
    ],
    [
      'an auth level that is not one',
      '@app.route(route="x", auth_level="public")\ndef f(req): pass\n',
      /py:3: @app\.route on function 'f': 'auth_level' 'public' is not one of FUNCTION, ANONYMOUS, ADMIN/,
    ],
    [
      'two triggers',
      '@app.queue_trigger("m", "q", "S")\n@app.timer_trigger("t", "0 * * * * *")\ndef f(m, t): pass\n',
      /py:3: @app\.queue_trigger on function 'f': a second trigger/,
    ],
    [
      'no trigger',
      '@app.queue_output("m", "q", "S")\ndef f(m): pass\n',
      /py:3: function 'f': it has no trigger decorator/,
    ],
    [
      'a second FunctionApp',
      'other = func.FunctionApp()\n',
      /function_app\.py: more than one FunctionApp at the top level \(app, other\)/,
    ],
    ['a syntax error', '@app.route(route="x"\ndef f(req): pass\n', /function_app\.py:\d: cannot parse it as Python/],
  ];

  test.each(broken)('%s', async (_, code, message) => {
    const root = appWith(work, { 'host.json': '{"version":"2.0"}', 'function_app.py': HEAD + code });
    await expect(discoverApp({ appPath: root, appSettings: {} }, false)).rejects.toThrow(message);
  });
});

describe('which apps are read as Python v2 apps', () => {
  const APP =
    'import azure.functions as func\napp = func.FunctionApp()\n@app.route(route="ping")\ndef ping(req): pass\n';

  test('function_app.py makes an app one, with no settings given', async () => {
    const root = appWith(work, { 'host.json': '{"version":"2.0"}', 'function_app.py': APP });
    const { app } = await discoverApp({ appPath: root, appSettings: {} }, false);
    expect(app.functions.map((fn) => [fn.name, fn.source])).toEqual([['ping', `${join(root, 'function_app.py')}:3`]]);
  });

  test('settings naming another worker runtime win over the file', async () => {
    const root = appWith(work, { 'host.json': '{"version":"2.0"}', 'function_app.py': APP });
    const refused = discoverApp({ appPath: root, appSettings: { FUNCTIONS_WORKER_RUNTIME: 'dotnet-isolated' } }, false);
    await expect(refused).rejects.toThrow(
      /no functions found.*decorated functions in function_app\.py .*\(Python v2\)/,
    );
  });

  test('PYTHON_SCRIPT_FILE_NAME names the script; function_app.py is then not read', async () => {
    const root = appWith(work, {
      'host.json': '{"version":"2.0"}',
      'main.py': APP.replace('def ping', 'def main_ping'),
      'function_app.py': 'this is not Python (',
    });
    const settings = { FUNCTIONS_WORKER_RUNTIME: 'python', PYTHON_SCRIPT_FILE_NAME: 'main.py' };
    const { app } = await discoverApp({ appPath: root, appSettings: settings }, false);
    expect(app.functions.map((fn) => fn.name)).toEqual(['main_ping']);
  });

  test('a PYTHON_SCRIPT_FILE_NAME in a subfolder is refused: the worker imports the file by name from the root', async () => {
    const root = appWith(work, { 'host.json': '{"version":"2.0"}', 'src/app.py': APP });
    const settings = { PYTHON_SCRIPT_FILE_NAME: 'src/app.py' };
    await expect(discoverApp({ appPath: root, appSettings: settings }, false)).rejects.toThrow(
      /setting PYTHON_SCRIPT_FILE_NAME: 'src\/app\.py' is not a Python module in the app's root folder/,
    );
  });

  test("a handler's own parameter or variable named like the app is its own, not the app", async () => {
    const root = appWith(work, {
      'host.json': '{"version":"2.0"}',
      'function_app.py': `${APP}def helper(app):\n    return app\n\ndef other():\n    app = 1\n    return app\n`,
    });
    const { app } = await discoverApp({ appPath: root, appSettings: {} }, false);
    expect(app.functions.map((fn) => fn.name)).toEqual(['ping']);
  });

  test("a handler's own use of vars, setattr and __dict__, and a module imported in a function that registers nothing, are the handler's", async () => {
    const root = appWith(work, {
      'host.json': '{"version":"2.0"}',
      'function_app.py':
        `${APP}@app.route(route="orders")\ndef orders(req):\n    import formats\n    setattr(req, "seen", True)\n` +
        `    return formats.dumps(vars(req), req.__dict__, globals=None)\n`,
      'formats.py': 'def dumps(*values):\n    return str(values)\n',
    });
    const { app } = await discoverApp({ appPath: root, appSettings: {} }, false);
    expect(app.functions.map((fn) => fn.name)).toEqual(['ping', 'orders']);
  });

  test("a folder without __init__.py named like a standard module is not the module: the standard library's is", async () => {
    const root = appWith(work, {
      'host.json': '{"version":"2.0"}',
      'function_app.py': `import logging\n${APP}`,
      'logging/settings.json': '{}',
    });
    const { app } = await discoverApp({ appPath: root, appSettings: {} }, false);
    expect(app.functions.map((fn) => fn.name)).toEqual(['ping']);
  });

  test('a script named like a standard module is refused: the worker would import the standard one', async () => {
    const root = appWith(work, { 'host.json': '{"version":"2.0"}', 'queue.py': APP });
    const settings = { FUNCTIONS_WORKER_RUNTIME: 'python', PYTHON_SCRIPT_FILE_NAME: 'queue.py' };
    await expect(discoverApp({ appPath: root, appSettings: settings }, false)).rejects.toThrow(
      /queue\.py: the app's module 'queue' has the name of a module of Python's standard library/,
    );
  });

  test("a helper module that cannot be parsed and imports one of the app's modules is refused", async () => {
    const root = appWith(work, {
      'host.json': '{"version":"2.0"}',
      'function_app.py': `${APP}import reports\n`,
      // Parenthesized context managers (Python 3.10) are beyond the grammar; the app object is not.
      'reports.py':
        'from function_app import app\n@app.route(route="r")\ndef r(req):\n' +
        '    with (open("a") as a, open("b") as b):\n        pass\n',
    });
    await expect(discoverApp({ appPath: root, appSettings: {} }, false)).rejects.toThrow(
      /reports\.py:4: cannot parse it as Python/,
    );
  });

  test('a helper module that cannot be parsed and names no library does not stop the deploy', async () => {
    const root = appWith(work, {
      'host.json': '{"version":"2.0"}',
      'function_app.py': `import legacy\n${APP}`,
      'legacy.py': 'print "python 2"\nexec "x = 1"\n',
    });
    const { app } = await discoverApp({ appPath: root, appSettings: {} }, false);
    expect(app.functions.map((fn) => fn.name)).toEqual(['ping']);
  });
});
