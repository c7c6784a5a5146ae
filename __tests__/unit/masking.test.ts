import { statSync } from 'node:fs';
import { join } from 'node:path';
import { appSummary, discoverStage, writeManifests } from '../../src/commands/render.js';
import { INPUTS } from '../../src/inputs/schema.js';
import { mask, type Platform } from '../../src/platform.js';
import { render } from '../../src/render/render.js';
import { SECRET_PLACEHOLDER } from '../../src/render/manifest.js';
import { isShownSetting, NOTHING_SHOWN, settingsNamingTriggerEntities } from '../../src/render/secret-values.js';
import { maskSecretInput } from '../../src/shells/ci-step.js';
import { app, fn, options } from './app-builder.js';
import { appWith, workFolder } from './temp-app.js';

const work = workFolder('masking');
const SECRET = 'Endpoint=sb://bus/;SharedAccessKey=bWFza2VkLXZhbHVl';

/** A platform that records what it was told to mask. */
function recording() {
  const masked: string[] = [];
  const platform: Platform = {
    info: () => {},
    warning: () => {},
    setSecret: (value) => masked.push(value),
    setOutput: () => {},
    run: {},
  };
  return { platform, masked };
}

const input = (name: string) => {
  const spec = INPUTS.find((candidate) => candidate.name === name);
  if (!spec) throw new Error(`no input ${name}`);
  return spec;
};

describe('masking', () => {
  test('line by line, and values too short to be credentials are left alone', () => {
    const { platform, masked } = recording();
    mask(platform, 'first-line\r\nab\n\nsecond-line');
    expect(masked).toEqual(['first-line', 'second-line']);
  });

  test('app-settings are masked value by value, all but those known to name something', async () => {
    const { platform, masked } = recording();
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----';
    await maskSecretInput(
      input('app-settings'),
      `Bus=${SECRET}\nFUNCTIONS_WORKER_RUNTIME=node\nStorage__accountName=shop\nJobsQueue=orders\nDB_PASS=hunter22\n` +
        `Cert<<EOF\n${pem}\nEOF`,
      platform,
      new Set(),
    );
    // Whether a binding reads JobsQueue is not known yet: it is masked with what nothing vouches for.
    expect(masked).toEqual([SECRET, 'orders', 'hunter22', ...pem.split('\n')]);
  });

  test('plain configuration and values the log shows as inputs anyway stay readable; a secret equal to one does not', async () => {
    const { platform, masked } = recording();
    await maskSecretInput(
      input('app-settings'),
      'ENABLE_CACHE=true\nRETRIES=1500\nRATIO=0.25\nAPP=orders\nTARGET_NS=shop-prod\nLOG_LEVEL=Information\n' +
        'ACCOUNT=482913\nSEED=0.91827364519283746\nADMIN_PIN=4829\nAPI_KEY=orders\nMOTTO=swordfish\n' +
        'ASPNETCORE_ENVIRONMENT=Production\nAzureWebJobsSecretStorageType=kubernetes\nStorage__credential=managedidentity',
      platform,
      new Set(['orders', 'shop-prod']),
    );
    // Masked, `true` would be *** in every line of the job's log, and `orders` in the job's image output (which
    // GitHub then drops); a long number or a word nothing vouches for may be a credential; a name may say secret.
    expect(masked).toEqual(['482913', '0.91827364519283746', '4829', 'orders', 'swordfish']);
  });

  test('app-settings that are not well-formed are masked line by line, as any secret text', async () => {
    const { platform, masked } = recording();
    await maskSecretInput(input('app-settings'), `Bus=${SECRET}\nnot a setting`, platform, new Set());
    expect(masked).toEqual([`Bus=${SECRET}`, SECRET, 'not a setting']);
  });

  test('an input that is not secret is not masked', async () => {
    const { platform, masked } = recording();
    await maskSecretInput(input('name'), 'orders-app', platform, new Set());
    expect(masked).toEqual([]);
  });

  test('a credential a trigger reads by %Name% is masked: only the names of what KEDA watches are shown', async () => {
    const { platform, masked } = recording();
    const root = appWith(work, {
      'host.json': '{"version":"2.0"}',
      'K/function.json': JSON.stringify({
        bindings: [
          {
            type: 'kafkaTrigger',
            direction: 'in',
            name: 'e',
            brokerList: 'broker:9092',
            topic: '%Topic%',
            username: '%KafkaUser%',
            password: '%KafkaSecretWord%',
          },
        ],
      }),
    });
    const settings = { Topic: 'clicks', KafkaUser: 'svc-clicks', KafkaSecretWord: 'Tr0ub4dor&3' };
    await discoverStage(
      { app: { appPath: root, appSettings: settings }, render: {}, shownInputs: new Set() },
      platform,
    );
    const base64 = (value: string) => Buffer.from(value).toString('base64');
    expect(masked).toEqual(['svc-clicks', base64('svc-clicks'), 'Tr0ub4dor&3', base64('Tr0ub4dor&3')]);
  });

  test('discovery masks every setting and its base64 form before anything prints, but a runtime and what a binding reads', async () => {
    const { platform, masked } = recording();
    const root = appWith(work, {
      'host.json': '{"version":"2.0"}',
      'Q/function.json': '{"bindings":[{"type":"queueTrigger","direction":"in","name":"m","queueName":"%Queue%"}]}',
    });
    const settings = { Bus: SECRET, FUNCTIONS_WORKER_RUNTIME: 'node', Queue: 'orders', Other: 'hunter2' };
    await discoverStage(
      { app: { appPath: root, appSettings: settings }, render: {}, shownInputs: new Set() },
      platform,
    );
    const base64 = (value: string) => Buffer.from(value).toString('base64');
    expect(masked).toEqual([SECRET, base64(SECRET), 'hunter2', base64('hunter2')]);
  });
});

describe("the deploy log's summary of the app", () => {
  test('names the functions, the worker runtime and what each trigger watches; withholds a credential', () => {
    const functions = [
      fn('Orders', { type: 'queueTrigger', queueName: 'orders' }),
      // A credential spelled out in function.json itself, not through a setting.
      fn('Hub', {
        type: 'eventHubTrigger',
        eventHubName: 'hub',
        consumerGroup: 'xezSAfvW3RT4wjJQA8TLrfL+rPqn/3xhKM4Feeluih0=',
      }),
    ];
    const settings = { FUNCTIONS_WORKER_RUNTIME: 'node', AzureWebJobsStorage: SECRET };
    const lines = appSummary(app(functions, settings), render(app(functions, settings), options()).objects);
    expect(lines[0]).toBe('functions: Orders (queueTrigger), Hub (eventHubTrigger); worker runtime node');
    expect(lines).toContain(
      'ScaledObject orders: azure-queue (queueName: orders, connectionFromEnv: AzureWebJobsStorage)',
    );
    const hub = lines.find((line) => line.includes('azure-eventhub')) ?? '';
    expect(hub).toContain('consumerGroup: (withheld: it looks like a credential)');
    expect(lines.join('\n')).not.toContain('xezSAfvW3RT4wjJQA8TLrfL');
  });

  test('leaves out a worker runtime setting that holds a secret', () => {
    const functions = [fn('Orders', { type: 'queueTrigger', queueName: 'orders' })];
    const settings = { FUNCTIONS_WORKER_RUNTIME: SECRET };
    expect(appSummary(app(functions, settings), [])).toEqual(['functions: Orders (queueTrigger)']);
  });
});

describe('manifests as the user sees them', () => {
  const objects = render(app([fn('Q', { type: 'queueTrigger', queueName: 'q' })], { Bus: SECRET }), options()).objects;
  const encoded = Buffer.from(SECRET).toString('base64');

  test('Secret values are redacted unless show-secrets, the keys kept', () => {
    const shown = writeManifests(objects, { showSecrets: false });
    expect(shown).toContain(`Bus: '${SECRET_PLACEHOLDER}'`);
    expect(shown).not.toContain(encoded);
    expect(writeManifests(objects, { showSecrets: true })).toContain(`Bus: ${encoded}`);
  });

  test('a manifests file holding secrets is readable by its owner only', () => {
    const mode = (showSecrets: boolean) => {
      const path = join(work, 'manifests.yaml');
      writeManifests(objects, { showSecrets, manifestsOutput: path });
      return statSync(path).mode & 0o777;
    };
    // The shown manifests are redacted: only the file with the values needs the owner-only mode.
    expect(mode(true) & 0o077).toBe(0);
  });
});

describe('which settings the log may show', () => {
  const none = NOTHING_SHOWN;
  test.each([
    ['a JWT', 'AUTH', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
    ['a prefixed token', 'GITHUB', 'ghp_R2d2C3poR2d2C3poR2d2C3poR2d2C3po1234'],
    ['a password whose name ends otherwise', 'DB_PASS', 'pa55word'],
    ['a password named with pass at the end', 'KafkaPass', 'Tr0ub4dor&3'],
    ['a webhook URL', 'SLACK_WEBHOOK_URL', 'https://hooks.slack.com/services/T000/B000/XXXXXXXX'],
    ['a plain value nothing vouches for', 'Foo', 'hunter2'],
  ])('%s is masked', (_, name, value) => {
    expect(isShownSetting(name, value, none)).toBe(false);
  });

  test('a worker runtime, the parts of an identity-based connection and what a binding reads are shown', () => {
    expect(isShownSetting('FUNCTIONS_WORKER_RUNTIME', 'node', none)).toBe(true);
    expect(isShownSetting('Storage__accountName', 'shop', none)).toBe(true);
    expect(isShownSetting('Bus__fullyQualifiedNamespace', 'shop.servicebus.windows.net', none)).toBe(true);
    const read = {
      ...none,
      namingTriggerEntities: settingsNamingTriggerEntities([
        { trigger: { type: 'queueTrigger', queueName: '%Queue%-%Region%', connection: '%Storage%' } },
      ]),
    };
    expect([...read.namingTriggerEntities].sort()).toEqual(['Queue', 'Region']);
    expect(isShownSetting('Queue', 'orders', read)).toBe(true);
    expect(isShownSetting('Storage', 'orders', read)).toBe(false);
    // A binding reading a setting does not make a secret one shown.
    expect(isShownSetting('Queue', 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=k==', read)).toBe(false);
  });
});
