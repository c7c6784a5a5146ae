import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workFolder } from './temp-app.js';
import { discoverApp } from '../../src/discovery/discover.js';
import { UserError } from '../../src/errors.js';
import { render } from '../../src/render/render.js';
import { options } from './app-builder.js';
import { sharedPath } from './shared-fixtures.js';

/**
 * Every function.json the Functions tooling generates (../shared/fixtures)
 * renders, or is refused with a clean error; mapped triggers get their scaler.
 */
const TEMPLATES = sharedPath('fixtures', 'function-templates');
const SCALER_OF: Record<string, string> = {
  queuetrigger: 'azure-queue',
  blobtrigger: 'azure-blob',
  servicebustrigger: 'azure-servicebus',
  eventhubtrigger: 'azure-eventhub',
  kafkatrigger: 'kafka',
  rabbitmqtrigger: 'rabbitmq',
};
const names = readdirSync(TEMPLATES).sort();
const work = workFolder('templates');

async function renderTemplate(template: string) {
  const root = join(work, template);
  mkdirSync(join(root, 'Fn'), { recursive: true });
  writeFileSync(join(root, 'host.json'), '{"version":"2.0"}');
  copyFileSync(join(TEMPLATES, template, 'function.json'), join(root, 'Fn', 'function.json'));
  const { app } = await discoverApp({ appPath: root, appSettings: {} }, false);
  return { app, rendered: render(app, options()) };
}

const outcomes = new Map<string, string>();

test.each(names)('%s renders or is refused cleanly', async (template) => {
  try {
    const { app, rendered } = await renderTemplate(template);
    const type = app.functions[0]?.trigger.type.toLowerCase() as string;
    const scaled = rendered.objects.find((o) => o.kind === 'ScaledObject') as Record<string, any> | undefined;
    const webhook = type === 'blobtrigger' && String(app.functions[0]?.trigger.source).toLowerCase() === 'eventgrid';
    const expected = webhook ? undefined : SCALER_OF[type];
    if (expected) {
      expect(scaled?.spec.triggers.map((t: { type: string }) => t.type)).toEqual([expected]);
    } else if (type === 'httptrigger' || webhook) {
      expect(rendered.objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['Service', 'Deployment']));
      expect(scaled).toBeUndefined();
    } else {
      // Not wakeable by KEDA: a warning naming the trigger, and never zero replicas.
      expect(rendered.warnings.join('\n')).toContain(app.functions[0]?.trigger.type);
      expect(scaled).toBeUndefined();
      const deployment = rendered.objects.find((o) => o.kind === 'Deployment') as Record<string, any>;
      expect(deployment.spec.replicas).toBeGreaterThanOrEqual(1);
    }
    outcomes.set(template, `rendered ${type}`);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    expect(error.message.startsWith(`${join(work, template, 'Fn', 'function.json')}: function 'Fn': `)).toBe(true);
    expect(error.message).not.toMatch(/\n/);
    outcomes.set(template, `refused: ${error.message}`);
  }
});

test('only templates with blank required fields are refused', () => {
  const refused = [...outcomes].filter(([, outcome]) => outcome.startsWith('refused'));
  // The RabbitMQ templates ship with an empty queueName and connection: nothing to scale on.
  expect(refused.map(([name]) => name)).toEqual(names.filter((name) => name.startsWith('RabbitMQTrigger')));
});
