import { writeFileSync } from 'node:fs';
import { discoverApp } from './discovery/discover.js';
import type { RenderCommandOptions } from './inputs/resolve.js';
import { mask, type Platform } from './platform.js';
import { redactSecrets, toYaml } from './render/manifest.js';
import { type KubeObject, render } from './render/render.js';

export interface RenderResult {
  readonly objects: readonly KubeObject[];
  /** The YAML as the user asked to see it: Secret values redacted unless show-secrets. */
  readonly manifests: string;
}

/** discover → render → write: the `render` command and every dry run. */
export function renderApp(options: RenderCommandOptions, platform: Platform): RenderResult {
  const settingsFromExistingObjects = options.render.secretName !== undefined || options.render.configMapName !== undefined;
  const discovery = discoverApp(options.app, settingsFromExistingObjects);
  for (const value of Object.values(discovery.app.settings.values)) mask(platform, value);
  for (const warning of discovery.warnings) platform.warning(warning);

  const rendered = render(discovery.app, options.render);
  for (const warning of rendered.warnings) platform.warning(warning);

  const manifests = toYaml(options.showSecrets ? rendered.objects : redactSecrets(rendered.objects));
  if (options.manifestsOutput !== undefined) {
    writeFileSync(options.manifestsOutput, manifests, { mode: options.showSecrets ? 0o600 : 0o644 });
  }
  return { objects: rendered.objects, manifests };
}
