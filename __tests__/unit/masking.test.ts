import { statSync } from 'node:fs';
import { join } from 'node:path';
import { appSummary, discoverStage, writeManifests } from '../../src/commands/render.js';
import { INPUTS } from '../../src/inputs/schema.js';
import { mask, type Platform } from '../../src/platform.js';
import { render } from '../../src/render/render.js';
import { SECRET_PLACEHOLDER } from '../../src/render/manifest.js';
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

  test('app-settings are masked by the secret values alone: a runtime or queue name stays readable', async () => {
    const { platform, masked } = recording();
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----';
    await maskSecretInput(
      input('app-settings'),
      `Bus=${SECRET}\nFUNCTIONS_WORKER_RUNTIME=node\nJobsQueue=orders\nDbPassword=hunter22\nCert<<EOF\n${pem}\nEOF`,
      platform,
    );
    expect(masked).toEqual([SECRET, 'hunter22', ...pem.split('\n')]);
  });

  test('app-settings that are not well-formed are masked line by line, as any secret text', async () => {
    const { platform, masked } = recording();
    await maskSecretInput(input('app-settings'), `Bus=${SECRET}\nnot a setting`, platform);
    expect(masked).toEqual([`Bus=${SECRET}`, SECRET, 'not a setting']);
  });

  test('an input that is not secret is not masked', async () => {
    const { platform, masked } = recording();
    await maskSecretInput(input('name'), 'orders-app', platform);
    expect(masked).toEqual([]);
  });

  test('discovery masks every secret setting and its base64 form before anything prints, and only those', async () => {
    const { platform, masked } = recording();
    const root = appWith(work, {
      'host.json': '{"version":"2.0"}',
      'Q/function.json': '{"bindings":[{"type":"queueTrigger","direction":"in","name":"m","queueName":"q"}]}',
    });
    await discoverStage(
      {
        app: { appPath: root, appSettings: { Bus: SECRET, FUNCTIONS_WORKER_RUNTIME: 'node', Queue: 'orders' } },
        render: {},
      },
      platform,
    );
    expect(masked).toEqual([SECRET, Buffer.from(SECRET).toString('base64')]);
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
