import { WAYS_OUT } from '../code-first.js';
import { FUNCTION, isValueObject, type Value, type ValueObject } from './literal.js';

/**
 * What @azure/functions 4.x (and durable-functions 3.x) do with a registration, redone on values read from the
 * source: the same defaults, the same `type`s, the same binding list the worker hands the host (lib/app.js,
 * lib/trigger.js, lib/input.js, lib/output.js, converters/toCoreFunctionMetadata.js of @azure/functions 4.16).
 */

export const AZURE_FUNCTIONS = '@azure/functions';
export const DURABLE_FUNCTIONS = 'durable-functions';

/** `app.<method>` → the trigger type its `trigger.<method>` helper gives. */
const TRIGGER_TYPES: Readonly<Record<string, string>> = {
  http: 'httpTrigger',
  timer: 'timerTrigger',
  storageBlob: 'blobTrigger',
  storageQueue: 'queueTrigger',
  serviceBusQueue: 'serviceBusTrigger',
  serviceBusTopic: 'serviceBusTrigger',
  eventHub: 'eventHubTrigger',
  eventGrid: 'eventGridTrigger',
  cosmosDB: 'cosmosDBTrigger',
  warmup: 'warmupTrigger',
  sql: 'sqlTrigger',
  mySql: 'mysqlTrigger',
  webPubSub: 'webPubSubTrigger',
  connectorTrigger: 'connectorTrigger',
};

const INPUT_TYPES: Readonly<Record<string, string>> = {
  storageBlob: 'blob',
  table: 'table',
  cosmosDB: 'cosmosDB',
  sql: 'sql',
  mySql: 'mysql',
  webPubSubConnection: 'webPubSubConnection',
  webPubSubContext: 'webPubSubContext',
};

const OUTPUT_TYPES: Readonly<Record<string, string>> = {
  http: 'http',
  storageBlob: 'blob',
  table: 'table',
  storageQueue: 'queue',
  serviceBusQueue: 'serviceBus',
  serviceBusTopic: 'serviceBus',
  eventHub: 'eventHub',
  eventGrid: 'eventGrid',
  cosmosDB: 'cosmosDB',
  sql: 'sql',
  mySql: 'mysql',
  webPubSub: 'webPubSub',
};

const HTTP_SHORTCUTS: Readonly<Record<string, string>> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  patch: 'PATCH',
  deleteRequest: 'DELETE',
};

const DURABLE_TRIGGERS: Readonly<Record<string, string>> = {
  orchestration: 'orchestrationTrigger',
  activity: 'activityTrigger',
  entity: 'entityTrigger',
};

/** `app.get` and its kin: names HTTP clients and caches use too (`client.get('users', config)`). */
export const SHORTCUT_METHODS: ReadonlySet<string> = new Set(Object.keys(HTTP_SHORTCUTS));

/** Registrations the library converts with logic of its own that this indexer does not redo. */
const UNSUPPORTED = new Set(['mcpTool', 'mcpResource', 'mcpPrompt']);

/** The methods of `app` (either library's) that register a function: what a call on an unknown `app` looks like. */
export const REGISTRATION_METHODS: ReadonlySet<string> = new Set([
  ...Object.keys(TRIGGER_TYPES),
  ...Object.keys(HTTP_SHORTCUTS),
  ...Object.keys(DURABLE_TRIGGERS),
  'generic',
  ...UNSUPPORTED,
]);

/**
 * What a registration writes into the options object it is given (lib/app.js convertToHttpOptions and http's
 * `options.return ||=`; durable-functions' client.js addClientInput pushes onto `extraInputs`): a change for any other
 * code that reads that object.
 */
export function optionsWrittenBy(method: readonly string[]): string | undefined {
  const [library, , name, clientMethod] = method;
  if (library === DURABLE_FUNCTIONS) return name === 'client' && clientMethod !== undefined ? 'extraInputs' : undefined;
  if (library !== AZURE_FUNCTIONS || name === undefined || clientMethod !== undefined) return undefined;
  if (HTTP_SHORTCUTS[name] !== undefined) return 'methods';
  return name === 'http' ? 'return' : undefined;
}

/** `input.generic(o)` and its kin name the binding object they are given and return it: not a copy. */
export function returnsItsArgument(method: readonly string[]): boolean {
  return method.length === 3 && ['trigger', 'input', 'output'].includes(method[1] as string) && method[2] === 'generic';
}

/** `app.*` calls that configure the app and register nothing. */
export const NOT_REGISTRATIONS = new Set(['setup', 'hook']);

/** webPubSub's deprecated `connection` becomes the `connections` list. */
function withConnections(options: ValueObject): ValueObject {
  const { connection, ...rest } = options;
  const connections = rest.connections ?? (connection ? [connection] : undefined);
  return connections === undefined ? rest : { ...rest, connections };
}

/** The value of `trigger.*`, `input.*`, `output.*` (and durable-functions' `input.durableClient()`) calls. */
export function helperCall(callee: readonly string[], args: readonly Value[]): Value | undefined {
  const [library, kind, method, extra] = callee;
  if (method === undefined || extra !== undefined) return undefined;
  if (library === DURABLE_FUNCTIONS) {
    if (kind === 'input' && method === 'durableClient') return { type: 'durableClient' };
    if (kind === 'trigger' && DURABLE_TRIGGERS[method]) return { type: DURABLE_TRIGGERS[method] };
    return undefined;
  }
  if (library !== AZURE_FUNCTIONS) return undefined;
  // Not an options object: the caller reports the call as one it cannot read.
  const options = args[0];
  if (!isValueObject(options)) return undefined;
  if (kind === 'trigger') return triggerBinding(method, options);
  if (kind === 'input') {
    if (method === 'generic') return options;
    const type = INPUT_TYPES[method];
    if (type === undefined) return undefined;
    return { ...(method === 'webPubSubContext' ? withConnections(options) : options), type };
  }
  if (kind === 'output') {
    if (method === 'generic') return options;
    const type = OUTPUT_TYPES[method];
    return type === undefined ? undefined : { ...options, type };
  }
  return undefined;
}

function triggerBinding(method: string, options: ValueObject): ValueObject | undefined {
  if (method === 'generic') return options;
  const type = TRIGGER_TYPES[method];
  if (type === undefined) return undefined;
  if (method === 'http') {
    const authLevel = options.authLevel || 'anonymous';
    return { ...options, authLevel, methods: options.methods || ['GET', 'POST'], type };
  }
  return { ...(method === 'webPubSub' ? withConnections(options) : options), type };
}

/** A registration read from the source: the library path of the call, the function's name and its arguments. */
export interface Registration {
  readonly method: readonly string[];
  readonly args: readonly Value[];
}

/**
 * The function.json-shaped bindings of one registration, or a message saying why the library would not register
 * it (thrown by the caller with the file and line).
 */
export function registrationBindings({ method, args }: Registration): ValueObject[] | string {
  const [library, , name, clientMethod] = method;
  if (library === DURABLE_FUNCTIONS) {
    if (name === 'client' && clientMethod !== undefined) {
      const options = optionsOf(args[1], `app.client.${clientMethod}`);
      if (typeof options === 'string') return options;
      const inputs = Array.isArray(options.extraInputs) ? options.extraInputs : [];
      const hasClient = inputs.some((input) => isValueObject(input) && input.type === 'durableClient');
      const extraInputs = hasClient ? inputs : [...inputs, { type: 'durableClient' }];
      return registrationBindings({
        method: [AZURE_FUNCTIONS, 'app', clientMethod],
        args: [args[0], { ...options, extraInputs }],
      });
    }
    const type = name === undefined ? undefined : DURABLE_TRIGGERS[name];
    if (type === undefined || clientMethod !== undefined)
      return `'df.app.${method.slice(2).join('.')}' is not a durable-functions registration`;
    const options = optionsOf(args[1], `df.app.${name}`);
    if (typeof options === 'string') return options;
    return coreBindings({ trigger: { type }, ...options });
  }
  if (name === undefined || clientMethod !== undefined)
    return `'app.${method.slice(2).join('.')}' is not a registration of @azure/functions 4`;
  if (UNSUPPORTED.has(name)) return `app.${name} registrations are not read from source yet: ${WAYS_OUT}`;
  const shortcut = HTTP_SHORTCUTS[name];
  const options = optionsOf(args[1], `app.${name}`);
  if (typeof options === 'string') return options;
  if (shortcut !== undefined) return httpBindings({ ...options, methods: [shortcut] });
  if (name === 'http') return httpBindings(options);
  if (name === 'generic') {
    if (!isValueObject(options.trigger)) return `app.generic needs a 'trigger' (e.g. trigger.generic({...}))`;
    return coreBindings(options);
  }
  if (TRIGGER_TYPES[name] === undefined) return `'app.${name}' is not a registration of @azure/functions 4`;
  return coreBindings(options, name);
}

/** The second argument: an options object, or (for the shortcuts that allow it) the handler alone. */
function optionsOf(value: Value, what: string): ValueObject | string {
  if (value === FUNCTION) return { handler: FUNCTION };
  return isValueObject(value) ? value : `${what} takes a name and an options object`;
}

function httpBindings(options: ValueObject): ValueObject[] | string {
  return coreBindings({ ...options, return: options.return || { type: 'http' } }, 'http');
}

/**
 * A binding the source gives no name: the library hashes one from the binding; any name unique in the function serves
 * the host, so its kind and place do (`queueOutput1`).
 */
function named(binding: ValueObject, suffix: string, index: number): ValueObject {
  if (typeof binding.name === 'string' && binding.name !== '') return binding;
  const type = String(binding.type);
  const kind = type.toLowerCase().endsWith(suffix.toLowerCase()) ? type : `${type}${suffix}`;
  return { ...binding, name: `${kind}${index}` };
}

/** The options convertToGenericOptions keeps for itself; the rest are the trigger's. */
const GENERIC_KEYS = new Set(['handler', 'return', 'trigger', 'extraInputs', 'extraOutputs', 'retry']);

/** convertToGenericOptions + toCoreFunctionMetadata: the trigger first, then inputs, `$return`, outputs. */
function coreBindings(options: ValueObject, triggerMethod?: string): ValueObject[] | string {
  const triggerOptions = Object.fromEntries(Object.entries(options).filter(([key]) => !GENERIC_KEYS.has(key)));
  const trigger =
    options.trigger ?? (triggerMethod === undefined ? undefined : triggerBinding(triggerMethod, triggerOptions));
  if (!isValueObject(trigger) || typeof trigger.type !== 'string') return `its trigger has no 'type'`;
  const inputs = bindingList(options.extraInputs, 'extraInputs');
  const outputs = bindingList(options.extraOutputs, 'extraOutputs');
  if (typeof inputs === 'string') return inputs;
  if (typeof outputs === 'string') return outputs;
  const returned = isValueObject(options.return) ? [{ ...options.return, name: '$return' }] : [];
  const type = /trigger$/i.test(trigger.type) ? trigger.type : `${trigger.type}Trigger`;
  const bindings: ValueObject[] = [
    named({ ...trigger, direction: 'in', type }, 'Trigger', 0),
    ...inputs.map((binding, index) => named({ ...binding, direction: 'in' }, 'Input', index)),
    ...returned.map((binding) => ({ ...binding, direction: 'out' })),
    ...outputs.map((binding, index) => named({ ...binding, direction: 'out' }, 'Output', index)),
  ];
  const names = bindings.map((binding) => binding.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) return `two bindings are named '${String(duplicate)}'; give each a name of its own`;
  return bindings;
}

function bindingList(list: Value, what: string): ValueObject[] | string {
  if (list === undefined) return [];
  return Array.isArray(list) && list.every(isValueObject) ? list : `'${what}' must be a list of bindings`;
}
