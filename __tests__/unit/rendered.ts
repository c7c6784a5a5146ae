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
