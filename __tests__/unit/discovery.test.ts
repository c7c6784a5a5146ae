import { join } from 'node:path';
import { appWith as appWithFiles, workFolder } from './temp-app.js';
import { discoverApp } from '../../src/discovery/discover.js';
import { UserError } from '../../src/errors.js';

const work = workFolder('discovery');

const appWith = (files: Record<string, string>) => appWithFiles(work, files);

const HOST = '{"version": "2.0"}';
const queue = (name = 'q') =>
  JSON.stringify({ bindings: [{ type: 'queueTrigger', direction: 'in', name: 'm', queueName: name }] });
const discover = (
  root: string,
  extra: { settingsFile?: string; appSettings?: Record<string, string>; triggers?: string } = {},
) => discoverApp({ appPath: root, appSettings: {}, ...extra }, false);

describe('discovery', () => {
  test('function.json folders, sorted, with the trigger found among the bindings', async () => {
    const root = appWith({
      'host.json': HOST,
      'B/function.json': queue('b'),
      'A/function.json': JSON.stringify({
        bindings: [
          { type: 'blob', direction: 'in', name: 'input', path: 'x/{queueTrigger}' },
          { type: 'queueTrigger', direction: 'in', name: 'm', queueName: 'a' },
          { type: 'queue', direction: 'out', name: 'out', queueName: 'next' },
        ],
      }),
      'node_modules/pkg/function.json': queue(),
      'lib/helper.js': '',
    });
    const { app } = await discover(root);
    expect(app.functions.map((fn) => fn.name)).toEqual(['A', 'B']);
    expect(app.functions[0]?.trigger.queueName).toBe('a');
    expect(app.functions[0]?.source).toBe(join(root, 'A', 'function.json'));
  });

  test('a UTF-8 BOM is accepted', async () => {
    const { app } = await discover(
      appWith({ 'host.json': `\uFEFF${HOST}`, 'F/function.json': `\uFEFF${queue('bom')}` }),
    );
    expect(app.functions.map((f) => [f.name, f.trigger.queueName])).toEqual([['F', 'bom']]);
  });

  test('a .NET project folder with no functions: the error points at the publish output', async () => {
    const root = appWith({ 'host.json': HOST, 'Shop.csproj': '<Project Sdk="Microsoft.NET.Sdk" />' });
    await expect(discover(root)).rejects.toThrow(
      /^no functions found in '.*': .*; this is a \.NET project: point app-path at its publish output, which holds functions\.metadata \(e\.g\. bin\/Release\/net8\.0\/publish/,
    );
  });

  test("a Maven project folder with no functions: the error points at the plugin's staging folder", async () => {
    const root = appWith({ 'host.json': HOST, 'pom.xml': '<project />' });
    await expect(discover(root)).rejects.toThrow(
      /; this is a Maven project: point app-path at the Azure Functions Maven plugin's staging folder, .*target\/azure-functions\/<functionAppName>/,
    );
  });

  test('a folder that is neither project gets no build-output hint', async () => {
    await expect(discover(appWith({ 'host.json': HOST, 'README.md': '' }))).rejects.toThrow(/or the triggers input$/);
  });

  test('functions.metadata (.NET isolated), directions in any case', async () => {
    const metadata = [
      {
        name: 'Process',
        scriptFile: 'App.dll',
        bindings: [{ name: 'msg', type: 'QueueTrigger', direction: 'In', queueName: 'jobs', connection: 'Store' }],
      },
      {
        name: 'Api',
        scriptFile: 'App.dll',
        bindings: [
          { name: 'req', type: 'httpTrigger', direction: 'In' },
          { name: '$return', type: 'http', direction: 'Out' },
        ],
      },
    ];
    const { app } = await discover(appWith({ 'host.json': HOST, 'functions.metadata': JSON.stringify(metadata) }));
    expect(app.functions.map((fn) => [fn.name, fn.trigger.type])).toEqual([
      ['Process', 'QueueTrigger'],
      ['Api', 'httpTrigger'],
    ]);
  });

  test('the triggers input describes code-first functions', async () => {
    const { app } = await discover(appWith({ 'host.json': HOST }), {
      triggers: '- name: Orders\n  type: queueTrigger\n  queueName: orders\n',
    });
    expect(app.functions[0]?.trigger).toEqual({ direction: 'in', type: 'queueTrigger', queueName: 'orders' });
  });

  test("host.json's functions list and disabled functions narrow what is deployed", async () => {
    const root = appWith({
      'host.json': '{"version": "2.0", "functions": ["keep", "Off"]}',
      'Keep/function.json': queue(),
      'Drop/function.json': queue(),
      'Off/function.json': JSON.stringify({
        disabled: true,
        bindings: [{ type: 'queueTrigger', name: 'm', queueName: 'q' }],
      }),
    });
    const { app, warnings } = await discover(root);
    expect(app.functions.map((fn) => fn.name)).toEqual(['Keep']);
    expect(warnings.join('\n')).toMatch(/function 'Off' is disabled/);
  });

  test('host.json settings: route prefix, durable storage, and a warning for a missing version', async () => {
    const host = {
      extensions: {
        http: { routePrefix: '' },
        durableTask: {
          storageProvider: { type: 'mssql', connectionStringName: 'Sql' },
          maxConcurrentActivityFunctions: 3,
        },
      },
    };
    const { app, warnings } = await discover(
      appWith({ 'host.json': JSON.stringify(host), 'F/function.json': queue() }),
    );
    expect(app.host).toEqual({
      routePrefix: '',
      durableStorage: { type: 'mssql', connectionStringName: 'Sql', maxConcurrentActivities: 3 },
    });
    expect(warnings[0]).toMatch(/"version" is undefined, not "2.0"/);
  });

  test('settings: the file, then app-settings on top', async () => {
    const root = appWith({
      'host.json': HOST,
      'F/function.json': queue(),
      'local.settings.json': JSON.stringify({
        IsEncrypted: false,
        Values: { A: 'file', B: 'file', Port: 7071, Flag: true },
      }),
    });
    const { app } = await discover(root, {
      settingsFile: join(root, 'local.settings.json'),
      appSettings: { B: 'input' },
    });
    expect(app.settings).toEqual({ values: { A: 'file', B: 'input', Port: '7071', Flag: 'true' }, complete: true });
  });

  test.each([
    [
      'two triggers',
      {
        'F/function.json': JSON.stringify({
          bindings: [
            { type: 'queueTrigger', name: 'a' },
            { type: 'timerTrigger', name: 'b' },
          ],
        }),
      },
      /function 'F': 2 trigger bindings \(queueTrigger, timerTrigger\)/,
    ],
    [
      'a binding without type',
      { 'F/function.json': JSON.stringify({ bindings: [{ name: 'a' }] }) },
      /function 'F': binding 1 has no "type"/,
    ],
    ['function.json that is not an object', { 'F/function.json': '[]' }, /F[\\/]function\.json: must be a JSON object/],
    [
      'an invalid function name',
      { 'my.func/function.json': queue() },
      /function 'my\.func': not a valid function name/,
    ],
    [
      'the same function twice',
      {
        'F/function.json': queue(),
        'functions.metadata': JSON.stringify([{ name: 'f', bindings: [{ type: 'queueTrigger', name: 'm' }] }]),
      },
      /function 'f' is also defined in/,
    ],
    [
      'functions.metadata that is not a list',
      { 'functions.metadata': '{}' },
      /functions\.metadata: must be a JSON list of functions/,
    ],
    [
      'host.json functions that is not a list',
      { 'host.json': '{"version":"2.0","functions":"F"}', 'F/function.json': queue() },
      /"functions" must be a list of function names/,
    ],
  ])('%s is refused', async (_, files, message) => {
    const root = appWith({ 'host.json': HOST, ...files });
    await expect(discover(root)).rejects.toThrow(UserError);
    await expect(discover(root)).rejects.toThrow(message);
  });

  test('settings values that are objects, and keys that cannot be environment variables, are refused by key', async () => {
    const root = appWith({
      'host.json': HOST,
      'F/function.json': queue(),
      's.json': '{"Values": {"Obj": {"x": "hidden-value"}}}',
      't.json': '{"Values": {"a:b": "1"}}',
    });
    await expect(discover(root, { settingsFile: join(root, 's.json') })).rejects.toThrow(
      /"Values" key 'Obj' must have a string value/,
    );
    await expect(discover(root, { settingsFile: join(root, 't.json') })).rejects.toThrow(
      /"Values" key 'a:b' is not a valid setting name/,
    );
  });
});
