import type { AppSettings, Binding, FunctionApp, FunctionDefinition, HostSettings } from '../../src/discovery/model.js';
import type { KubeObject, RenderOptions } from '../../src/render/render.js';

/** In-memory apps for the pure parts: no files needed to test render. */
export function fn(name: string, trigger: Record<string, unknown> & { type: string }): FunctionDefinition {
  const binding = { direction: 'in', name: 'item', ...trigger } as Binding;
  return { name, source: `${name}/function.json`, trigger: binding, bindings: [binding] };
}

export function app(
  functions: FunctionDefinition[],
  settings: Record<string, string> = {},
  host: Partial<HostSettings> = {},
  complete = Object.keys(settings).length > 0,
): FunctionApp {
  const appSettings: AppSettings = { values: settings, complete };
  return { root: '/app', host: { routePrefix: 'api', ...host }, functions, settings: appSettings };
}

export const OPTIONS: RenderOptions = {
  name: 'orders',
  namespace: 'shop',
  image: 'myacr.azurecr.io/orders:1.0.0',
  scaling: { minReplicas: 0, httpReplicas: 1, serviceType: 'LoadBalancer' },
};

export function options(
  overrides: Partial<RenderOptions> = {},
  scaling: Partial<RenderOptions['scaling']> = {},
): RenderOptions {
  return { ...OPTIONS, ...overrides, scaling: { ...OPTIONS.scaling, ...scaling } };
}

export function find(objects: readonly KubeObject[], kind: string, name: string): Record<string, any> {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found as Record<string, any>;
}

export function kinds(objects: readonly KubeObject[]): string[] {
  return objects.map((object) => `${object.kind}/${object.metadata.name}`);
}
