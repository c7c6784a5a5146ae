import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appWith as appWithFiles, workFolder } from './temp-app.js';
import yaml from 'js-yaml';
import { REPO_ROOT, runCli as cli } from './shared-fixtures.js';

const work = workFolder('cli');

const appWith = (files: Record<string, string>) => appWithFiles(work, files);

const HOST = '{"version":"2.0"}';
const QUEUE = '{"bindings":[{"type":"queueTrigger","direction":"in","name":"m","queueName":"q"}]}';
const render = (app: string, ...extra: string[]) => [
  'render',
  '--app-path',
  app,
  '--name',
  'orders',
  '--image',
  'reg.io/orders:1',
  ...extra,
];

describe('render: bad input gives one error line, a non-zero exit, no stack and no output', () => {
  const cases: [string, () => string[], RegExp][] = [
    [
      'invalid JSON in function.json',
      () => render(appWith({ 'host.json': HOST, 'F/function.json': '{"bindings": [}' })),
      /F\/function\.json:1:15: invalid JSON: value expected$/,
    ],
    [
      'invalid JSON in host.json',
      () => render(appWith({ 'host.json': '{"version": "2.0",', 'F/function.json': QUEUE })),
      /host\.json:1:\d+: invalid JSON/,
    ],
    [
      'invalid JSON in local.settings.json',
      () => {
        const app = appWith({
          'host.json': HOST,
          'F/function.json': QUEUE,
          'local.settings.json': '{"Values": {"A": "1",}}',
        });
        return render(app, '--settings-file', join(app, 'local.settings.json'));
      },
      /local\.settings\.json:1:\d+: invalid JSON/,
    ],
    ['missing host.json', () => render(appWith({ 'F/function.json': QUEUE })), /input 'app-path': no host\.json in/],
    [
      'missing app folder',
      () => render(join(work, 'does-not-exist')),
      /input 'app-path': '.*does-not-exist' does not exist/,
    ],
    [
      'bindings that are not a list',
      () => render(appWith({ 'host.json': HOST, 'F/function.json': '{"bindings": {"type": "queueTrigger"}}' })),
      /F\/function\.json: function 'F': "bindings" must be a list/,
    ],
    ['no functions', () => render(appWith({ 'host.json': HOST })), /no functions found/],
    [
      'a name with upper case',
      () => ['render', '--app-path', 'examples/orders', '--name', 'Orders', '--image', 'r/o:1'],
      /input 'name': 'Orders'/,
    ],
    [
      'a name with underscores',
      () => ['render', '--app-path', 'examples/orders', '--name', 'my_orders', '--image', 'r/o:1'],
      /input 'name': 'my_orders'/,
    ],
    [
      'a name too long for the derived names',
      () => ['render', '--app-path', 'examples/orders', '--name', 'a'.repeat(48), '--image', 'r/o:1'],
      /at most 47 characters/,
    ],
    [
      'min > max replicas',
      () => render('examples/orders', '--min-replicas', '3', '--max-replicas', '1'),
      /input 'min-replicas' \(3\) is greater than input 'max-replicas' \(1\)/,
    ],
    [
      'a non-numeric duration',
      () => render('examples/orders', '--cooldown-period', 'later'),
      /input 'cooldown-period': 'later' is not a duration/,
    ],
    [
      'a negative duration',
      () => render('examples/orders', '--polling-interval=-5'),
      /input 'polling-interval': '-5' is not a duration/,
    ],
    [
      'an unknown service type',
      () => render('examples/orders', '--service-type', 'Ingress'),
      /input 'service-type': 'Ingress' is not one of/,
    ],
    ['an unknown option', () => render('examples/orders', '--replicas', '3'), /unknown option '--replicas'/],
    [
      'an option of another command',
      () => render('examples/orders', '--kubeconfig', 'x'),
      /unknown option '--kubeconfig'/,
    ],
    ['an unknown command', () => ['publish'], /unknown command 'publish'/],
    ['a missing option value', () => ['render', '--name'], /option '--name <value>' argument missing/],
    [
      'a missing required input',
      () => ['render', '--app-path', 'examples/orders', '--image', 'r/o:1'],
      /input 'name' is required/,
    ],
    [
      'an unresolved %Setting%',
      () =>
        render(
          appWith({
            'host.json': HOST,
            'F/function.json': '{"bindings":[{"type":"queueTrigger","direction":"in","name":"m","queueName":"%Q%"}]}',
          }),
        ),
      /F\/function\.json: function 'F': "queueName" refers to app setting 'Q'/,
    ],
    [
      'a trigger with direction out only',
      () =>
        render(
          appWith({
            'host.json': HOST,
            'F/function.json': '{"bindings":[{"type":"queue","direction":"out","name":"o"}]}',
          }),
        ),
      /function 'F': no trigger binding/,
    ],
    [
      'encrypted settings',
      () => {
        const app = appWith({
          'host.json': HOST,
          'F/function.json': QUEUE,
          's.json': '{"IsEncrypted": true, "Values": {}}',
        });
        return render(app, '--settings-file', join(app, 's.json'));
      },
      /the settings are encrypted/,
    ],
    [
      'an app-settings line without =',
      () => render('examples/orders', '--app-settings', 'JUSTAKEY'),
      /input 'app-settings', line 1: expected KEY=VALUE/,
    ],
    [
      'an output path that cannot be written',
      () => render('examples/orders', '--output', work),
      /input 'manifests-output': cannot write .* \(EISDIR\)/,
    ],
    [
      'a bad triggers input',
      () => render(appWith({ 'host.json': HOST }), '--triggers', 'name: [unclosed'),
      /input 'triggers': invalid YAML at line \d+/,
    ],
  ];

  test.each(cases)('%s', (_, args, message) => {
    const result = cli(args());
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(message);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  test('--debug adds the stack trace', () => {
    const result = cli([...render('examples/orders', '--service-type', 'Ingress'), '--debug']);
    expect(result.stderr).toMatch(/^error: /);
    expect(result.stderr).toMatch(/^\s+at /m);
  });
});

describe('render output', () => {
  const SECRET_VALUES = ['s3cr3t-account-key-Zx81', 'Endpoint=sb://bus/;SharedAccessKey=Qm9v9'];

  test('prints only YAML objects on stdout, warnings on stderr', () => {
    const result = cli([
      'render',
      '--app-path',
      'examples/telemetry',
      '--name',
      'telemetry',
      '--image',
      'reg.io/telemetry:1',
      '--settings-file',
      'examples/telemetry/local.settings.json',
    ]);
    expect(result.status).toBe(0);
    const objects = yaml.loadAll(result.stdout) as { kind: string }[];
    expect(objects.map((o) => o.kind)).toEqual([
      'Secret',
      'Deployment',
      'TriggerAuthentication',
      'TriggerAuthentication',
      'ScaledObject',
    ]);
    const warnings = result.stderr.trimEnd().split('\n');
    expect(warnings.every((line) => line.startsWith('warning: '))).toBe(true);
    expect(result.stderr).toMatch(/NightlyRollup.*timerTrigger/);
  });

  test('no app-setting value appears without --show-secrets, in any encoding', () => {
    const app = appWith({
      'host.json': HOST,
      'F/function.json': QUEUE,
      'local.settings.json': JSON.stringify({ Values: { AzureWebJobsStorage: SECRET_VALUES[0] } }),
    });
    const output = join(work, 'out.yaml');
    const args = render(
      app,
      '--settings-file',
      join(app, 'local.settings.json'),
      '--app-settings',
      `Bus=${SECRET_VALUES[1]}`,
    );
    const shown = cli(args);
    cli([...args, '--output', output]);
    const written = readFileSync(output, 'utf8');
    expect(shown.stdout).toContain('kind: Secret');
    // Each offline render keys the settings-hash afresh: only that differs between the two runs (quoted by the YAML
    // writer when it happens to be all digits).
    const unhashed = (text: string) => text.replace(/(settings-hash: )('?)[0-9a-f]{16}\2$/gm, '$1…');
    expect(unhashed(written)).toBe(unhashed(shown.stdout));
    for (const text of [shown.stdout, shown.stderr, written]) {
      for (const value of SECRET_VALUES) {
        expect(text).not.toContain(value);
        expect(text).not.toContain(Buffer.from(value).toString('base64'));
      }
    }
    const secret = (yaml.loadAll(shown.stdout) as Record<string, any>[]).find(
      (o) => o.kind === 'Secret' && o.metadata.name === 'orders',
    );
    expect(Object.keys(secret?.data)).toEqual(['AzureWebJobsStorage', 'Bus']);
    // The key of the pods' settings-hash is hidden with the values it protects.
    expect(secret?.metadata.annotations['aks-functions-deploy/settings-hash-key']).toBe(
      '<redacted: use --show-secrets>',
    );
  });

  test('a syntax error in the settings file does not quote its values', () => {
    const app = appWith({
      'host.json': HOST,
      'F/function.json': QUEUE,
      's.json': `{"Values": {"Key": "${SECRET_VALUES[0]}" "B": 1}}`,
    });
    const result = cli(render(app, '--settings-file', join(app, 's.json')));
    expect(result.stderr).toMatch(/^error: .*s\.json:1:\d+: invalid JSON: comma expected\n$/);
    expect(result.stderr).not.toContain(SECRET_VALUES[0]);
  });

  test('--show-secrets shows them', () => {
    const result = cli(render('examples/orders', '--app-settings', `Bus=${SECRET_VALUES[1]}`, '--show-secrets'));
    const secret = (yaml.loadAll(result.stdout) as Record<string, any>[]).find(
      (o) => o.kind === 'Secret' && o.metadata.name === 'orders',
    );
    expect(Buffer.from(secret?.data.Bus, 'base64').toString()).toBe(SECRET_VALUES[1]);
    expect(Buffer.from(secret?.metadata.annotations['aks-functions-deploy/settings-hash-key'], 'base64')).toHaveLength(
      32,
    );
  });

  test('--output writes the file and leaves stdout empty', () => {
    const output = join(work, 'orders.yaml');
    const result = cli(render('examples/orders', '--output', output));
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect((yaml.loadAll(readFileSync(output, 'utf8')) as { kind: string }[]).map((o) => o.kind)).toContain(
      'ScaledObject',
    );
  });

  test('--version and --help', () => {
    expect(cli(['--version']).stdout.trim()).toBe(
      JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version,
    );
    const help = cli(['render', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--service-type LoadBalancer|ClusterIP|NodePort');
  });
});

describe('the bundle these tests run', () => {
  test('is built by the unit test command before jest starts, so a stale dist/ is never what is tested', () => {
    const scripts = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts;
    expect(scripts['test:unit']).toMatch(/^npm run build && node .*jest\.js --selectProjects unit$/);
    expect(scripts.test).toMatch(/^npm run test:unit && /);
  });
});
