import { existsSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { runCli } from './shared-fixtures.js';

/**
 * `render` of an app by the bundled CLI, as a user runs it (defaults, the app's local.settings.json as the settings
 * file), and the objects it printed.
 */
export function renderedApp(app: string, name: string) {
  const run = runCli([
    'render',
    '--app-path',
    app,
    '--name',
    name,
    '--image',
    `reg.io/${name}:1`,
    '--settings-file',
    join(app, 'local.settings.json'),
  ]);
  const objects = run.status === 0 ? (yaml.loadAll(run.stdout) as any[]) : [];
  const find = (kind: string, objectName: string) =>
    objects.find((o) => o.kind === kind && o.metadata.name === objectName);
  /** The functions a Deployment's host runs. */
  const functionsOf = (deployment: any): string[] =>
    deployment.spec.template.spec.containers[0].env
      .filter((e: { name: string }) => e.name.startsWith('AzureFunctionsJobHost__functions__'))
      .map((e: { value: string }) => e.value);
  return { run, find, functionsOf };
}

/**
 * The tests both code-first render apps must pass (each is a "shop": an HTTP checkout writing to the orders queue
 * named by %OrdersQueue%, a queue-triggered fulfil on ShopStorage, a daily report timer): rendered with nothing
 * installed, the right scalers, the HTTP split, the timer warning at `timerSource`, no secret, and none of `untouched`
 * (what running or building the app's code would have made) made.
 */
export function shopRenderTests(app: string, timerSource: string, secret: string, untouched: string[]): void {
  const { run, find, functionsOf } = renderedApp(app, 'shop');

  test('renders, and says the timer keeps a replica', () => {
    expect(run.stderr).toMatch(
      new RegExp(`^warning: .*${timerSource}:\\d+: function 'report' \\(timerTrigger\\) runs on a schedule`, 'm'),
    );
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
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
    for (const path of untouched) expect(existsSync(join(app, path))).toBe(false);
  });
}
