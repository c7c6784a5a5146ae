import { execFile } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { isDeepStrictEqual, promisify } from 'node:util';
import yaml from 'js-yaml';
import { describeFailure, UserError } from '../../src/errors.js';
import { type RawInputs, resolveRenderCommand } from '../../src/inputs/resolve.js';
import { INPUTS } from '../../src/inputs/schema.js';
import { type RenderResult, renderApp } from '../../src/commands/render.js';
import type { Platform } from '../../src/platform.js';
import { redactSecrets } from '../../src/render/manifest.js';
import { REPO_ROOT, sharedPath } from './shared-fixtures.js';
import { workFolder } from './temp-app.js';

/**
 * Bad-input fuzz of the render path: generated malformed function.json,
 * host.json, local.settings.json and inputs, alone and combined. Each case
 * must be a valid render or one clean `error:` line: no crash, no stack, no
 * multi-line message, no planted secret in a message, a warning or the
 * redacted YAML.
 *
 * Reproducible: a fixed seed, or AFD_FUZZ_SEED=<n>; AFD_FUZZ_CASE=<i> replays
 * one case. Every failure names the seed, the case and what was done to it.
 */

// ---------------------------------------------------------------- seeded PRNG

function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

const DEFAULT_SEED = 20_250_611;
const SEED = ((text) =>
  text === undefined || text.trim() === ''
    ? DEFAULT_SEED
    : /^\d+$/.test(text.trim())
      ? Number(text.trim()) >>> 0
      : hash32(text))(process.env.AFD_FUZZ_SEED);
const ONLY_CASE =
  process.env.AFD_FUZZ_CASE === undefined || process.env.AFD_FUZZ_CASE === ''
    ? undefined
    : Number(process.env.AFD_FUZZ_CASE);
const REPLAY = `AFD_FUZZ_SEED=${SEED}`;

/** mulberry32: small, fast, good enough to pick mutations. */
class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  float(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  int(n: number): number {
    return Math.floor(this.float() * n);
  }
  between(low: number, high: number): number {
    return low + this.int(high - low + 1);
  }
  chance(p: number): boolean {
    return this.float() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  hex(length: number): string {
    let text = '';
    while (text.length < length) text += this.int(16).toString(16);
    return text;
  }
}

// ---------------------------------------------------------------- the cases

/** A file of the app: JSON to serialize, raw text, or a folder where a file is expected. */
type Content =
  { readonly json: unknown } | { readonly text: string } | { readonly bytes: Buffer } | { readonly dir: true };

type Family = 'function.json' | 'host.json' | 'settings' | 'inputs' | 'combined' | 'corpus';

interface FuzzCase {
  readonly index: number;
  readonly family: Family;
  readonly steps: string[];
  /** By path relative to the app root. */
  readonly files: Map<string, Content>;
  /** Raw inputs besides app-path; `@ROOT@` is the app folder, `@CASE@` the case's own folder. */
  readonly inputs: Record<string, string>;
  /** Planted values that must never be shown. */
  readonly secrets: string[];
}

const PROTO_NAMES = ['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty'];
const HUGE = 'h'.repeat(200_000);
const SECRET_KEYS = [
  'AzureWebJobsStorage',
  'Storage',
  'ServiceBus',
  'EventHub',
  'RabbitConn',
  'KafkaPassword',
  'PlantedSecret',
  'SqlConn',
  'ApiKey',
];

function baseSettings(secret: string): Record<string, unknown> {
  return {
    FUNCTIONS_WORKER_RUNTIME: 'node',
    AzureWebJobsStorage: `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${secret};EndpointSuffix=core.windows.net`,
    Storage: `DefaultEndpointsProtocol=https;AccountName=orders;AccountKey=${secret}`,
    ServiceBus: `Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=${secret}`,
    EventHub: `Endpoint=sb://hubs.servicebus.windows.net/;SharedAccessKeyName=read;SharedAccessKey=${secret}`,
    RabbitConn: `amqp://user:${secret}@rabbit:5672/`,
    KafkaPassword: secret,
    PlantedSecret: secret,
    SqlConn: `Server=sql;Database=durable;Password=${secret}`,
    JobsQueue: 'jobs',
    HubName: 'telemetry',
    BrokerList: 'kafka-0:9092,kafka-1:9092',
    KafkaUser: 'svc-functions',
    Cosmos: 'AccountEndpoint=https://cosmos.documents.azure.com:443/',
  };
}

const HAND_MADE: Readonly<Record<string, readonly Record<string, unknown>[]>> = {
  queue: [
    { type: 'queueTrigger', direction: 'in', name: 'msg', queueName: 'orders', connection: 'Storage' },
    { type: 'queue', direction: 'out', name: 'next', queueName: 'shipments', connection: 'Storage' },
  ],
  queueSetting: [{ type: 'queueTrigger', direction: 'in', name: 'msg', queueName: '%JobsQueue%' }],
  http: [
    {
      type: 'httpTrigger',
      direction: 'in',
      name: 'req',
      authLevel: 'function',
      methods: ['get', 'post'],
      route: 'orders/{id}',
    },
    { type: 'http', direction: 'out', name: 'res' },
  ],
  timer: [{ type: 'timerTrigger', direction: 'in', name: 'timer', schedule: '0 */5 * * * *' }],
  blob: [
    { type: 'blobTrigger', direction: 'in', name: 'image', path: 'uploads/incoming/{name}', connection: 'Storage' },
  ],
  serviceBusQueue: [
    { type: 'serviceBusTrigger', direction: 'in', name: 'm', queueName: 'jobs', connection: 'ServiceBus' },
  ],
  serviceBusTopic: [
    {
      type: 'serviceBusTrigger',
      direction: 'in',
      name: 'm',
      topicName: 'events',
      subscriptionName: 'audit',
      connection: 'ServiceBus',
    },
  ],
  eventHub: [
    {
      type: 'eventHubTrigger',
      direction: 'in',
      name: 'events',
      eventHubName: '%HubName%',
      consumerGroup: '$Default',
      connection: 'EventHub',
      cardinality: 'many',
    },
  ],
  kafka: [
    {
      type: 'kafkaTrigger',
      direction: 'in',
      name: 'event',
      brokerList: 'BrokerList',
      topic: 'orders',
      consumerGroup: 'functions',
      protocol: 'saslSsl',
      authenticationMode: 'plain',
      username: 'KafkaUser',
      password: '%KafkaPassword%',
    },
  ],
  rabbit: [
    { type: 'rabbitMQTrigger', direction: 'in', name: 'msg', queueName: 'work', connectionStringSetting: 'RabbitConn' },
  ],
  orchestrator: [{ type: 'orchestrationTrigger', direction: 'in', name: 'context' }],
  cosmos: [
    {
      type: 'cosmosDBTrigger',
      direction: 'in',
      name: 'docs',
      connection: 'Cosmos',
      databaseName: 'db',
      containerName: 'items',
    },
  ],
};

/** The 140 real function.json files of the Functions templates. */
const TEMPLATES: readonly { readonly name: string; readonly json: Record<string, unknown> }[] = (() => {
  const folder = sharedPath('fixtures', 'function-templates');
  return readdirSync(folder)
    .sort()
    .map((name) => ({
      name,
      json: JSON.parse(readFileSync(join(folder, name, 'function.json'), 'utf8').replace(/^\uFEFF/, '')) as Record<
        string,
        unknown
      >,
    }));
})();

const FUNCTION_NAMES = ['Orders', 'Resize', 'Api', 'Nightly', 'Ingest', 'Audit', 'Worker', 'Billing'];

function clone<T>(value: T): T {
  return structuredClone(value);
}

function baseCase(index: number, family: Family, rng: Rng): FuzzCase {
  const secret = `afd-secret-${rng.hex(20)}`;
  const appSecret = `afd-secret-${rng.hex(20)}`;
  const c: FuzzCase = {
    index,
    family,
    steps: [],
    files: new Map(),
    inputs: { name: 'orders', image: 'reg.example.io/orders:1.0.0' },
    secrets: [secret, appSecret],
  };

  const host: Record<string, unknown> = { version: '2.0', logging: { logLevel: { default: 'Information' } } };
  if (rng.chance(0.3)) host.extensions = { http: { routePrefix: rng.pick(['api', '', 'v1/api']) } };
  if (rng.chance(0.25)) {
    host.extensions = {
      ...(host.extensions as object | undefined),
      durableTask: {
        storageProvider: { type: 'mssql', connectionStringName: 'SqlConn' },
        maxConcurrentActivityFunctions: 4,
        maxConcurrentOrchestratorFunctions: 2,
      },
    };
  }
  c.files.set('host.json', { json: host });

  const names = [...FUNCTION_NAMES];
  const take = () => names.splice(rng.int(names.length), 1)[0] as string;
  const count = rng.between(1, 3);
  const described: string[] = [];
  for (let i = 0; i < count; i++) {
    const folder = take();
    if (rng.chance(0.7)) {
      const kind = rng.pick(Object.keys(HAND_MADE));
      c.files.set(`${folder}/function.json`, { json: { bindings: clone(HAND_MADE[kind]) } });
      described.push(`${folder}=${kind}`);
    } else {
      const template = rng.pick(TEMPLATES);
      c.files.set(`${folder}/function.json`, { json: clone(template.json) });
      described.push(`${folder}=${template.name}`);
    }
  }
  if (rng.chance(0.1)) {
    const folder = take();
    c.files.set('functions.metadata', {
      json: [
        {
          name: folder,
          scriptFile: 'App.dll',
          bindings: clone(HAND_MADE[rng.pick(['queue', 'http', 'serviceBusQueue'])]),
        },
      ],
    });
    described.push(`functions.metadata:${folder}`);
  }
  if (rng.chance(0.08)) {
    c.inputs.triggers = '- name: CodeFirst\n  type: queueTrigger\n  queueName: code-first\n';
    described.push('triggers input');
  }
  if (rng.chance(0.75)) {
    c.files.set('local.settings.json', {
      json: { IsEncrypted: false, Values: baseSettings(secret), ConnectionStrings: {} },
    });
    c.inputs['settings-file'] = '@ROOT@/local.settings.json';
    described.push('settings file');
  }
  if (rng.chance(0.4)) {
    c.inputs['app-settings'] = `ApiKey=${appSecret}\nJobsQueue=jobs-from-input`;
    described.push('app-settings');
  }
  if (rng.chance(0.3)) c.inputs.namespace = 'shop';
  c.steps.push(`base: ${described.join(', ')}`);
  return c;
}

// ---------------------------------------------------------------- mutations

/** Applies itself and says what it did, or answers undefined when it does not apply to this case. */
type Mutation = (c: FuzzCase, rng: Rng) => string | undefined;

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 40)}…(${text.length} chars)` : text;
}

function serialize(content: Content): string | Buffer {
  if ('text' in content) return content.text;
  if ('bytes' in content) return content.bytes;
  if ('dir' in content) return '';
  // "@INF@" stands for a number JSON.stringify cannot write.
  return JSON.stringify(content.json, null, 2).replaceAll('"@INF@"', '1e999');
}

function functionPaths(c: FuzzCase): string[] {
  return [...c.files.keys()].filter((path) => path.endsWith('/function.json'));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A function.json that is still a JSON object with a bindings list. */
function pickFunctionJson(
  c: FuzzCase,
  rng: Rng,
): { path: string; json: Record<string, unknown>; bindings: unknown[] } | undefined {
  const candidates = functionPaths(c).filter((path) => {
    const content = c.files.get(path);
    return content !== undefined && 'json' in content && isRecord(content.json) && Array.isArray(content.json.bindings);
  });
  if (candidates.length === 0) return undefined;
  const path = rng.pick(candidates);
  const json = (c.files.get(path) as { json: Record<string, unknown> }).json;
  return { path, json, bindings: json.bindings as unknown[] };
}

function isTrigger(binding: unknown): binding is Record<string, unknown> {
  return isRecord(binding) && typeof binding.type === 'string' && /trigger$/i.test(binding.type);
}

function pickTrigger(c: FuzzCase, rng: Rng): { path: string; trigger: Record<string, unknown> } | undefined {
  const fn = pickFunctionJson(c, rng);
  const trigger = fn?.bindings.find(isTrigger);
  return fn && trigger ? { path: fn.path, trigger } : undefined;
}

/** Text-level damage to a JSON file of the app, the one `choose` names. */
function textMutations(choose: (c: FuzzCase, rng: Rng) => string | undefined): Mutation[] {
  const asText = (c: FuzzCase, path: string) => {
    const content = c.files.get(path);
    return content === undefined || !('json' in content || 'text' in content)
      ? undefined
      : (serialize(content) as string);
  };
  const damage =
    (how: (c: FuzzCase, rng: Rng, path: string, text: string) => string | undefined): Mutation =>
    (c, rng) => {
      const path = choose(c, rng);
      const text = path === undefined ? undefined : asText(c, path);
      if (path === undefined || text === undefined) return undefined;
      const step = how(c, rng, path, text);
      return step === undefined ? undefined : `${path}: ${step}`;
    };
  return [
    damage((c, rng, path, text) => {
      if (text.length < 2) return undefined;
      const at = rng.int(text.length - 1) + 1;
      c.files.set(path, { text: text.slice(0, at) });
      return `truncated at ${at} of ${text.length}`;
    }),
    damage((c, rng, path) => {
      const text = rng.pick(['', ' \n\t', '\uFEFF', '\u0000', 'null', '{}x', '\uFFFD\uFFFD', '{"bindings": [}']);
      c.files.set(path, { text });
      return `replaced by ${show(text)}`;
    }),
    damage((c, rng, path, text) => {
      const twice = rng.chance(0.3);
      c.files.set(path, { text: `${twice ? '\uFEFF\uFEFF' : '\uFEFF'}${text}` });
      return twice ? 'two BOMs' : 'a UTF-8 BOM';
    }),
    damage((c, rng, path, text) => {
      const [what, bytes] = rng.pick<[string, Buffer]>([
        ['UTF-16 with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
        [
          'bytes that are not UTF-8',
          Buffer.concat([
            Buffer.from(text.slice(0, text.length >> 1)),
            Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
            Buffer.from(text.slice(text.length >> 1)),
          ]),
        ],
      ]);
      c.files.set(path, { bytes });
      return what;
    }),
    damage((c, rng, path, text) => {
      if (!text.trimStart().startsWith('{')) return undefined;
      const depth = rng.pick([50, 2_000, 20_000, 100_000]);
      const closed = rng.chance(0.5);
      const nested = `${'['.repeat(depth)}${closed ? ']'.repeat(depth) + ',' : ''}`;
      c.files.set(path, { text: text.replace('{', `{"nested": ${nested}`) });
      return `${closed ? 'valid' : 'unclosed'} nesting ${depth} deep`;
    }),
    damage((c, _rng, path) => {
      c.files.set(path, { dir: true });
      return 'a folder instead of a file';
    }),
    damage((c, rng, path, text) => {
      const lines = text.split('\n');
      const at = rng.int(lines.length);
      const how = rng.pick(['a // comment', 'a trailing comma', 'single quotes', 'a stray control character']);
      let damaged: string;
      if (how === 'a // comment') damaged = [...lines.slice(0, at), '// commented', ...lines.slice(at)].join('\n');
      else if (how === 'a trailing comma') damaged = text.replace(/\n(\s*)([}\]])/, ',\n$1$2');
      else if (how === 'single quotes') damaged = text.replaceAll('"', "'");
      else damaged = [...lines.slice(0, at), `${lines[at] ?? ''}\u0007`, ...lines.slice(at + 1)].join('\n');
      if (damaged === text) return undefined;
      c.files.set(path, { text: damaged });
      return `${how} (line ${at + 1})`;
    }),
  ];
}

const TYPE_VALUES: unknown[] = [
  5,
  '',
  '   ',
  null,
  {},
  [],
  true,
  'QUEUETRIGGER',
  'queuetrigger',
  'queueTrigger\n',
  'queue\nTrigger',
  ' queueTrigger ',
  'Trigger',
  'fooTrigger',
  'ƒTrigger',
  `${'x'.repeat(100_000)}Trigger`,
  'constructor',
  'toStringTrigger',
  'httpTrigger',
  'cosmosDBTrigger',
  'timerTrigger',
  'orchestrationTrigger',
  'activityTrigger',
  'eventGridTrigger',
  'blobTrigger',
  'kafkaTrigger',
  'rabbitMQTrigger',
  'serviceBusTrigger',
  'eventHubTrigger',
  'queueTrigger',
  'sqlTrigger',
  'signalRTrigger',
];

const KEYS_BY_TRIGGER: Readonly<Record<string, readonly string[]>> = {
  queuetrigger: ['queueName', 'connection'],
  blobtrigger: ['path', 'connection', 'source'],
  servicebustrigger: ['queueName', 'topicName', 'subscriptionName', 'connection'],
  eventhubtrigger: ['eventHubName', 'path', 'consumerGroup', 'connection'],
  kafkatrigger: ['brokerList', 'topic', 'consumerGroup', 'protocol', 'authenticationMode', 'username', 'password'],
  rabbitmqtrigger: ['queueName', 'connectionStringSetting', 'connection'],
  timertrigger: ['schedule', 'runOnStartup'],
  httptrigger: ['route', 'methods', 'authLevel'],
};

// Setting references here never name a setting that holds a planted secret.
const VALUES_BY_KEY: Readonly<Record<string, readonly unknown[]>> = {
  protocol: ['plaintext', 'ssl', 'saslSsl', 'SASL_PLAINTEXT', 'saslPlaintext', 'none', '', 5],
  authenticationMode: [
    'plain',
    'PLAIN',
    'scram-sha-512',
    'ScramSha256',
    'oauth_bearer',
    'gssapi',
    'NotAMode',
    '',
    ...PROTO_NAMES,
  ],
  source: ['EventGrid', 'eventgrid', 'LogsAndContainerScan', 5, ''],
  connection: [
    '',
    'Storage',
    'AzureWebJobsStorage',
    'Missing',
    '%Storage%',
    '%Missing%',
    'ServiceBus',
    'EventHub',
    ...PROTO_NAMES,
  ],
  connectionStringSetting: ['', 'RabbitConn', '%RabbitConn%', 'Missing', ...PROTO_NAMES],
  brokerList: [
    'BrokerList',
    '%BrokerList%',
    'b:9092',
    'b:9092,c:9093',
    'not a list',
    'b:x',
    '%Missing%',
    ...PROTO_NAMES,
  ],
  username: ['KafkaUser', '%KafkaUser%', '$ConnectionString', '', '%Missing%', ...PROTO_NAMES],
  password: ['%KafkaPassword%', 'KafkaPassword', 'literal-password', '', '%Missing%', ...PROTO_NAMES],
  path: ['uploads/{name}', 'uploads', '/', '{name}', 'c/a/b/{x}/y', '%JobsQueue%/x', '%Missing%/x'],
};

const GENERIC_VALUES: readonly unknown[] = [
  '',
  '   ',
  5,
  -1,
  1.5,
  true,
  null,
  [],
  {},
  ['a'],
  { nested: { deep: 1 } },
  HUGE,
  '%Missing%',
  '%JobsQueue%',
  '%HubName%',
  '%constructor%',
  '%toString%',
  '%__proto__%',
  '%valueOf%',
  '%%',
  '%a%b%',
  '%JobsQueue',
  'q\nq',
  'q\r\nq',
  'nul\u0000',
  '\u202eevil',
  '😀-items',
  '\ud800',
  'Ω',
  'x/{name}',
  '/lead',
  'a b',
];

const FUNCTION_MUTATIONS: Mutation[] = [
  ...textMutations((c, rng) => rng.pick(functionPaths(c))),
  (c, rng) => {
    const path = rng.pick(functionPaths(c));
    if (path === undefined) return undefined;
    const value = rng.pick([null, [], 'bindings', 42, true, [{ bindings: [] }]]);
    c.files.set(path, { json: value });
    return `${path}: ${show(value)} instead of an object`;
  },
  (c, rng) => {
    const fn = pickFunctionJson(c, rng);
    if (!fn) return undefined;
    const value = rng.pick([
      undefined,
      {},
      'queueTrigger',
      5,
      null,
      true,
      [],
      [null],
      [5],
      ['queueTrigger'],
      [[]],
      { 0: fn.bindings[0] },
    ]);
    if (value === undefined) delete fn.json.bindings;
    else fn.json.bindings = value;
    return `${fn.path}: bindings ${value === undefined ? 'removed' : `= ${show(value)}`}`;
  },
  (c, rng) => {
    const fn = pickFunctionJson(c, rng);
    if (!fn || fn.bindings.length === 0) return undefined;
    const at = rng.int(fn.bindings.length);
    const value = rng.pick([
      null,
      5,
      'x',
      [],
      {},
      { type: 5 },
      { type: '' },
      { type: '  ' },
      { type: null },
      { type: {} },
      { name: 'x' },
      { type: ['queueTrigger'] },
    ]);
    fn.bindings[at] = value;
    return `${fn.path}: binding ${at + 1} = ${show(value)}`;
  },
  (c, rng) => {
    const found = pickTrigger(c, rng);
    if (!found) return undefined;
    const value = rng.pick(TYPE_VALUES);
    found.trigger.type = value;
    return `${found.path}: trigger type = ${show(value)}`;
  },
  (c, rng) => {
    const found = pickTrigger(c, rng);
    if (!found) return undefined;
    const value = rng.pick(['out', 'OUT', 'Out', 'inout', 'In', 5, null, {}, [], '', 'in\n', undefined]);
    if (value === undefined) delete found.trigger.direction;
    else found.trigger.direction = value;
    return `${found.path}: trigger direction = ${show(value)}`;
  },
  (c, rng) => {
    const fn = pickFunctionJson(c, rng);
    if (!fn) return undefined;
    fn.json.bindings = fn.bindings.filter((binding) => !isTrigger(binding));
    return `${fn.path}: trigger removed`;
  },
  (c, rng) => {
    const fn = pickFunctionJson(c, rng);
    if (!fn) return undefined;
    const type = rng.pick(
      TYPE_VALUES.filter((t): t is string => typeof t === 'string' && /trigger$/i.test(t) && t.length < 100),
    );
    fn.bindings.splice(rng.int(fn.bindings.length + 1), 0, {
      type,
      direction: rng.pick(['in', 'IN', undefined]),
      name: 'second',
      queueName: 'q2',
    });
    return `${fn.path}: a second trigger ${type}`;
  },
  (c, rng) => {
    const found = pickTrigger(c, rng);
    if (!found) return undefined;
    const keys = KEYS_BY_TRIGGER[String(found.trigger.type).toLowerCase()] ?? Object.keys(found.trigger);
    const key = rng.chance(0.85) ? rng.pick(keys) : rng.pick(Object.keys(found.trigger));
    const specific = VALUES_BY_KEY[key];
    const value = specific && rng.chance(0.6) ? rng.pick(specific) : rng.pick(GENERIC_VALUES);
    found.trigger[rng.chance(0.15) ? key.toUpperCase() : key] = value;
    return `${found.path}: trigger ${key} = ${show(value)}`;
  },
  (c, rng) => {
    const found = pickTrigger(c, rng);
    if (!found) return undefined;
    const keys = Object.keys(found.trigger).filter(
      (key) => typeof found.trigger[key] === 'string' && !['type', 'direction', 'name'].includes(key),
    );
    if (keys.length === 0) return undefined;
    const key = rng.pick(keys);
    const name = rng.pick(PROTO_NAMES);
    const value = rng.chance(0.5) ? name : `%${name}%`;
    found.trigger[key] = value;
    return `${found.path}: trigger ${key} = ${show(value)} (an Object.prototype name)`;
  },
  (c, rng) => {
    const found = pickTrigger(c, rng);
    if (!found) return undefined;
    const key = rng.pick(Object.keys(found.trigger));
    delete found.trigger[key];
    return `${found.path}: trigger ${key} removed`;
  },
  (c, rng) => {
    const path = rng.pick(functionPaths(c));
    if (path === undefined) return undefined;
    const folder = rng.pick([
      'my.func',
      '1abc',
      'a b',
      'ƒunc',
      'x'.repeat(129),
      'a\nb',
      'tab\tname',
      '.hidden',
      'node_modules',
      'Ünïcode',
      '-dash',
      'ok_name-2',
      'orders',
    ]);
    const content = c.files.get(path) as Content;
    c.files.delete(path);
    c.files.set(`${folder}/function.json`, content);
    return `${path}: folder renamed to ${show(folder)}`;
  },
  (c, rng) => {
    const fn = pickFunctionJson(c, rng);
    if (!fn) return undefined;
    const value = rng.pick([true, 'true', 1, false, null]);
    fn.json.disabled = value;
    return `${fn.path}: disabled = ${show(value)}`;
  },
  (c, rng) => {
    const path = rng.pick(functionPaths(c));
    if (path === undefined) return undefined;
    const name = path.split('/')[0] as string;
    const twin = rng.chance(0.5) ? name.toLowerCase() : name.toUpperCase();
    if (rng.chance(0.5)) c.files.set(`${twin}/function.json`, { json: { bindings: clone(HAND_MADE.timer) } });
    else c.files.set('functions.metadata', { json: [{ name: twin, bindings: clone(HAND_MADE.timer) }] });
    return `function ${name} defined twice (as ${twin})`;
  },
  (c, rng) => {
    const value = rng.pick<Content>([
      { json: {} },
      { json: [null] },
      { json: [{ name: 5 }] },
      { json: [{ name: 'Meta', bindings: 'x' }] },
      { json: [{ name: 'Meta', bindings: [{ type: 'queueTrigger', name: 'm', queueName: 'meta' }] }] },
      {
        json: [
          {
            name: 'Meta',
            bindings: [{ type: 'QueueTrigger', direction: 'In', name: 'm', queueName: 'meta', connection: 'Store' }],
          },
        ],
      },
      { text: '[{"name": "Meta",' },
      { text: '' },
      { dir: true },
    ]);
    c.files.set('functions.metadata', value);
    return `functions.metadata = ${'dir' in value ? 'a folder' : show('text' in value ? value.text : 'json' in value ? value.json : 'bytes')}`;
  },
  (c, rng) => {
    const path = rng.pick(functionPaths(c));
    const content = path === undefined ? undefined : c.files.get(path);
    if (path === undefined || content === undefined || !('json' in content) || !isRecord(content.json))
      return undefined;
    const second = rng.pick(['5', '[]', 'null', '{"type": "queueTrigger"}']);
    c.files.set(path, { text: `{"bindings": ${JSON.stringify(content.json.bindings ?? [])}, "bindings": ${second}}` });
    return `${path}: "bindings" twice, the second ${second}`;
  },
  (c, rng) => {
    const fn = pickFunctionJson(c, rng);
    if (!fn) return undefined;
    const many = rng.pick([500, 5_000]);
    for (let i = 0; i < many; i++)
      fn.bindings.push({ type: 'queue', direction: 'out', name: `out${i}`, queueName: `q${i}` });
    return `${fn.path}: ${many} more output bindings`;
  },
];

const HOST_MUTATIONS: Mutation[] = [
  ...textMutations((c) => (c.files.has('host.json') ? 'host.json' : undefined)),
  (c) => {
    if (!c.files.has('host.json')) return undefined;
    c.files.delete('host.json');
    return 'host.json missing';
  },
  (c, rng) => {
    const host = hostJson(c);
    if (!host) return undefined;
    const value = rng.pick([2, 2.0, null, '1.0', ['2.0'], '2.0 ', '', {}, undefined, '3.0']);
    if (value === undefined) delete host.version;
    else host.version = value;
    return `host.json version = ${show(value)}`;
  },
  (c, rng) => {
    const host = hostJson(c);
    if (!host) return undefined;
    const value = rng.pick([
      'garbage',
      [],
      5,
      null,
      { http: 'x' },
      { http: { routePrefix: 5 } },
      { http: { routePrefix: null } },
      { http: { routePrefix: '\n/x' } },
      { http: { routePrefix: 'x'.repeat(10_000) } },
      { durableTask: 'x' },
      { durableTask: { storageProvider: 'mssql' } },
      { durableTask: { storageProvider: { type: 5 } } },
      { durableTask: { storageProvider: { type: 'mssql', connectionStringName: 5 } } },
      {
        durableTask: {
          storageProvider: { type: 'MSSQL', connectionStringName: 'SqlConn' },
          maxConcurrentActivityFunctions: '@INF@',
          maxConcurrentOrchestratorFunctions: -3,
        },
      },
      {
        durableTask: {
          storageProvider: { type: 'mssql' },
          maxConcurrentActivityFunctions: 1.5,
          maxConcurrentOrchestratorFunctions: '8',
        },
      },
      { durableTask: { storageProvider: { type: 'netherite' } } },
      { durableTask: { storageProvider: { type: '' } } },
      { durableTask: { storageProvider: { type: 'mssql', connectionStringName: '%constructor%' } } },
      { durableTask: { storageProvider: { type: 'mssql', connectionStringName: 'constructor' } } },
    ]);
    host.extensions = value;
    return `host.json extensions = ${show(value)}`;
  },
  (c, rng) => {
    const host = hostJson(c);
    if (!host) return undefined;
    const first = functionPaths(c)[0]?.split('/')[0] ?? 'Orders';
    const value = rng.pick([
      'F',
      [1],
      [],
      ['nomatch'],
      [null],
      5,
      {},
      [first.toUpperCase()],
      [first, first],
      ['constructor'],
    ]);
    host.functions = value;
    return `host.json functions = ${show(value)}`;
  },
  (c, rng) => {
    if (!c.files.has('host.json')) return undefined;
    const value = rng.pick([[], null, 'host', 42, [{ version: '2.0' }]]);
    c.files.set('host.json', { json: value });
    return `host.json = ${show(value)}`;
  },
  (c, rng) => {
    const host = hostJson(c);
    if (!host) return undefined;
    const [key, value] = rng.pick<[string, unknown]>([
      ['logging', 5],
      ['watchDirectories', 'x'],
      ['customHandler', []],
      ['functionTimeout', '99:99:99'],
      ['__proto__', { polluted: true }],
      ['extensionBundle', { id: 5, version: null }],
    ]);
    host[key] = value;
    return `host.json ${key} = ${show(value)}`;
  },
  (c, rng) => {
    // A durable function, for the storage provider to matter.
    const folder = rng.pick(['Orchestrate', 'Activity']);
    c.files.set(`${folder}/function.json`, {
      json: {
        bindings: [
          {
            type: rng.pick(['orchestrationTrigger', 'activityTrigger', 'entityTrigger']),
            direction: 'in',
            name: 'ctx',
          },
        ],
      },
    });
    return `${folder}: a durable function`;
  },
];

const DEFAULT_CONNECTIONS: Readonly<Record<string, readonly string[]>> = {
  queuetrigger: ['AzureWebJobsStorage'],
  blobtrigger: ['AzureWebJobsStorage'],
  servicebustrigger: ['AzureWebJobsServiceBus'],
  eventhubtrigger: ['AzureWebJobsEventHub', 'AzureWebJobsStorage'],
};

/** The settings the case's triggers take their connections from. */
function usedConnections(c: FuzzCase): string[] {
  const used = new Set<string>();
  for (const path of functionPaths(c)) {
    const content = c.files.get(path);
    const bindings =
      content !== undefined && 'json' in content && isRecord(content.json) && Array.isArray(content.json.bindings)
        ? content.json.bindings
        : [];
    for (const trigger of bindings.filter(isTrigger)) {
      const type = String(trigger.type).toLowerCase();
      const defaults = DEFAULT_CONNECTIONS[type] ?? [];
      if (type === 'eventhubtrigger') used.add('AzureWebJobsStorage');
      if (typeof trigger.connection === 'string' && trigger.connection.trim() !== '')
        used.add(trigger.connection.replace(/^%(.*)%$/, '$1'));
      else defaults.slice(0, 1).forEach((name) => used.add(name));
    }
  }
  return [...used].filter((name) => !PROTO_NAMES.includes(name));
}

function hostJson(c: FuzzCase): Record<string, unknown> | undefined {
  const content = c.files.get('host.json');
  return content !== undefined && 'json' in content && isRecord(content.json) ? content.json : undefined;
}

/** The Values of local.settings.json, created (and given as settings-file) when the case has none. */
function settingsValues(c: FuzzCase): Record<string, unknown> | undefined {
  let content = c.files.get('local.settings.json');
  if (content === undefined) {
    content = { json: { IsEncrypted: false, Values: baseSettings(c.secrets[0] as string) } };
    c.files.set('local.settings.json', content);
    c.inputs['settings-file'] = '@ROOT@/local.settings.json';
  }
  if (!('json' in content) || !isRecord(content.json)) return undefined;
  if (!isRecord(content.json.Values)) content.json.Values = {};
  return content.json.Values as Record<string, unknown>;
}

function settingsJson(c: FuzzCase): Record<string, unknown> | undefined {
  settingsValues(c);
  const content = c.files.get('local.settings.json');
  return content !== undefined && 'json' in content && isRecord(content.json) ? content.json : undefined;
}

const URL_VALUES = [
  'https://',
  'https://acct.queue.core.windows.net',
  'https://acct.blob.core.windows.net/',
  'acct.queue.core.windows.net',
  '',
  'http://[::1',
  'https:// bad host',
  'ns.servicebus.windows.net',
  'sb://ns.servicebus.windows.net/',
  '😀',
  'acct',
  'HTTPS://ACCT.QUEUE.CORE.WINDOWS.NET',
  'ftp://',
  'x://y',
];

const APP_SETTINGS_TEXTS = [
  'JUSTAKEY',
  '=@SECRET@',
  'a b=@SECRET@',
  'ключ=@SECRET@',
  'A=1\r\nB=@SECRET@',
  '# comment\n\nA=1',
  'A=',
  'A=1\nA=2',
  '__proto__=@SECRET@',
  'constructor=x',
  `K=${'v'.repeat(100_000)}`,
  'A=1\n  =2',
  'ApiKey=@SECRET@\n@SECRET@',
  'JobsQueue',
  'a:b=@SECRET@',
  '\t=\t',
  'A==B',
  '  Spaced  =  value  ',
  'Storage__accountName=acct',
  'Storage__queueServiceUri=https://',
  'AzureWebJobsStorage__accountName=acct\nAzureWebJobsStorage=',
  'JobsQueue=%constructor%',
];

const SETTINGS_MUTATIONS: Mutation[] = [
  ...textMutations((c) => {
    if (!c.files.has('local.settings.json')) settingsValues(c);
    return 'local.settings.json';
  }),
  (c, rng) => {
    const json = settingsJson(c);
    if (!json) return undefined;
    const value = rng.pick([true, 'true', 1, null, false, 'yes']);
    json.IsEncrypted = value;
    return `local.settings.json IsEncrypted = ${show(value)}`;
  },
  (c, rng) => {
    const json = settingsJson(c);
    if (!json) return undefined;
    const value = rng.pick([[], 'A=1', null, 5, true, [['A', '1']], undefined]);
    if (value === undefined) delete json.Values;
    else json.Values = value;
    return `local.settings.json Values = ${show(value)}`;
  },
  (c, rng) => {
    const values = settingsValues(c);
    if (!values) return undefined;
    const key = rng.pick([...SECRET_KEYS.filter((k) => k !== 'ApiKey'), 'JobsQueue', 'HubName', 'BrokerList']);
    const secret = c.secrets[0] as string;
    const value = rng.pick([
      { x: secret },
      [secret],
      null,
      {},
      [],
      42,
      true,
      1.5,
      -0,
      '@INF@',
      { nested: { deeper: [secret] } },
    ]);
    values[key] = value;
    return `local.settings.json Values.${key} = ${show(value)}`;
  },
  (c, rng) => {
    const values = settingsValues(c);
    if (!values) return undefined;
    const key = rng.pick(['a:b', '', 'a b', 'ключ', 'a\nb', 'x'.repeat(1000), 'A=B', '$X', 'a/b', 'tab\t', '\u0000']);
    values[key] = c.secrets[0];
    return `local.settings.json Values key ${show(key)} (holding a secret)`;
  },
  (c) => {
    const values = settingsValues(c);
    if (!values) return undefined;
    values.Huge = 'v'.repeat(500_000);
    return 'local.settings.json a 500 kB value';
  },
  (c, rng) => {
    const values = settingsValues(c);
    if (!values) return undefined;
    const key = rng.pick([
      'JobsQueue',
      'HubName',
      'BrokerList',
      'Storage',
      'AzureWebJobsStorage',
      'ServiceBus',
      'RabbitConn',
      'KafkaUser',
      'EventHub',
    ]);
    delete values[key];
    return `local.settings.json Values.${key} removed`;
  },
  (c, rng) => {
    const values = settingsValues(c);
    if (!values) return undefined;
    // Mostly a connection the app's triggers read, so that the identity path runs.
    const used = usedConnections(c);
    const connection =
      used.length > 0 && rng.chance(0.8)
        ? rng.pick(used)
        : rng.pick(['Storage', 'AzureWebJobsStorage', 'ServiceBus', 'EventHub']);
    // The suffixes each kind of connection is read by, mostly; sometimes any.
    const fitting = /servicebus|eventhub/i.test(connection)
      ? ['fullyQualifiedNamespace']
      : ['accountName', 'queueServiceUri', 'blobServiceUri'];
    const suffix = rng.chance(0.7)
      ? rng.pick(fitting)
      : rng.pick(['clientId', 'credential', '', 'accountName', 'fullyQualifiedNamespace']);
    const value = rng.pick(URL_VALUES);
    // The host reads AzureWebJobs<name> before <name>, and either before the identity-based form.
    delete values[connection];
    delete values[`AzureWebJobs${connection}`];
    values[`${connection}__${suffix}`] = value;
    return `local.settings.json identity-based ${connection}__${suffix} = ${show(value)}`;
  },
  (c, rng) => {
    const values = settingsValues(c);
    if (!values) return undefined;
    const key = rng.pick(PROTO_NAMES);
    const value = rng.pick(['x', 'jobs', '', 5]);
    // Defined as an own property, as JSON.parse makes it, even for __proto__.
    Object.defineProperty(values, key, { value, enumerable: true, configurable: true, writable: true });
    return `local.settings.json Values.${key} = ${show(value)}`;
  },
  (c, rng) => {
    const json = settingsJson(c);
    if (!json) return undefined;
    const [key, value] = rng.pick<[string, unknown]>([
      ['ConnectionStrings', 5],
      ['ConnectionStrings', { Db: c.secrets[0] }],
      ['Host', 'x'],
      ['Host', { LocalHttpPort: 'x', CORS: 5 }],
      ['values', { Lower: 'case' }],
    ]);
    json[key] = value;
    return `local.settings.json ${key} = ${show(value)}`;
  },
  (c, rng) => {
    const values = settingsValues(c);
    if (!values) return undefined;
    const secret = c.secrets[0] as string;
    const [key, value] = rng.pick<[string, string]>([
      ['AccountKey', secret],
      ['Password', secret],
      ['ClientSecret', `${secret}~`],
      ['SAS', `?sv=2022&sig=${secret}`],
    ]);
    values[key] = value;
    return `local.settings.json Values.${key} looks like a secret`;
  },
  (c, rng) => {
    const value = rng.pick([
      '@CASE@/nope.json',
      '@ROOT@',
      '@ROOT@/host.json',
      '@CASE@',
      '@ROOT@/local.settings.json/x',
    ]);
    c.inputs['settings-file'] = value;
    return `settings-file = ${value}`;
  },
  (c, rng) => {
    const text = rng.pick(APP_SETTINGS_TEXTS).replaceAll('@SECRET@', c.secrets[1] as string);
    c.inputs['app-settings'] =
      rng.chance(0.5) && c.inputs['app-settings'] ? `${c.inputs['app-settings']}\n${text}` : text;
    return `app-settings ${show(text)}`;
  },
  (c, rng) => {
    const value = rng.pick(['existing-settings', 'Existing', 'a..b']);
    c.inputs['secret-name'] = value;
    if (rng.chance(0.5)) c.inputs['config-map-name'] = rng.pick(['app-config', 'App_Config', '']);
    return `secret-name = ${show(value)} (with ${c.inputs['settings-file'] || c.inputs['app-settings'] ? 'settings' : 'no settings'})`;
  },
];

const INPUT_VALUES: Readonly<Record<string, readonly string[]>> = {
  name: [
    'Orders',
    'my_orders',
    'a'.repeat(48),
    'a'.repeat(47),
    '1orders',
    'orders-',
    '-orders',
    'or ders',
    'ördérs',
    'orders\n',
    'ord\ners',
    'ord\rers',
    'ord\u0000ers',
    'a\u202eb',
    '',
    '   ',
    'a--b',
    'x',
    'orders.v2',
    '😀',
    'constructor',
    '__proto__',
    'x'.repeat(100_000),
  ],
  namespace: [
    'Shop',
    'kube_system',
    'a'.repeat(64),
    'a'.repeat(63),
    '-x',
    'x.y',
    'default',
    'shop',
    '9lives',
    'ns\n',
    '',
    'kube-system',
  ],
  image: [
    'reg.example.io/orders:1',
    'Reg.Example.io/orders:1',
    'reg.example.io/Orders:1',
    'orders',
    'orders:',
    ':1',
    'reg.example.io//x',
    'reg.example.io/x@sha256:abc',
    `reg.example.io/x@sha256:${'a'.repeat(64)}`,
    'reg.example.io:99999999/x',
    `reg.example.io/x:${'a'.repeat(129)}`,
    'x y',
    'reg.example.io/x:1\nfoo',
    '',
    'https://reg.example.io/x',
    'reg.example.io/x:-1',
    'localhost/x:1',
    '127.0.0.1:5000/x:latest',
    `${'a'.repeat(100_000)}!`,
    'team/orders:1',
  ],
  'min-replicas': [
    '-1',
    '1.5',
    '1e3',
    '0x10',
    '2147483648',
    '99999999999999999999',
    ' 3 ',
    '',
    '007',
    '٣',
    '+1',
    'NaN',
    'Infinity',
    '2147483647',
    '0',
    '5',
  ],
  'max-replicas': ['0', '-1', '1', '2', '2147483647', '2147483648', 'ten', '', '1 000'],
  'polling-interval': [
    '0',
    '-5',
    '5x',
    '1h1h',
    '25h',
    '86401',
    '1.5s',
    '',
    '30s',
    '1h30m',
    '90',
    'PT5M',
    'm',
    '1m1h',
    '24h',
    '24h1s',
    '999999999999999999999s',
    '5 m',
    '0s',
  ],
  'cooldown-period': ['0', '-5', 'later', '1d', '', '300', '5m', '0h0m0s', '10000000000000000000000000h'],
  'http-replicas': ['0', '-1', '3', 'x', '', '2147483647'],
  'service-type': [
    'Ingress',
    'loadbalancer',
    'NODEPORT',
    'ClusterIP',
    '',
    'Load Balancer',
    'constructor',
    'ExternalName',
  ],
  'pull-secret': ['UPPER', 'a..b', 'a'.repeat(254), 'regcred', 'a.b-c', '-x', 'x\ny', ''],
  'virtual-nodes': ['none', 'events', 'ALL', 'aci', '', 'constructor'],
  'http-scaler': ['fixed', 'prometheus', 'Prometheus', 'keda', ''],
  'http-max-replicas': ['0', '5', '', 'x'],
  'http-scale-down-stabilization': ['0', '5m', 'soon', ''],
  'config-map-name': ['app-config', 'App_Config', 'x'.repeat(300), ''],
  'show-secrets': ['true', 'TRUE', 'false', 'yes', '1', ''],
  'manifests-output': ['@CASE@/out.yaml', '@CASE@', '@CASE@/missing/out.yaml', '@ROOT@/host.json/x'],
  'app-path': ['@CASE@/missing', '@ROOT@/host.json', '@CASE@', '@ROOT@/Orders'],
  triggers: [
    '- name: CodeFirst\n  type: queueTrigger\n  queueName: code-first\n',
    'name: [unclosed',
    '{}',
    '- 1',
    '- name: X',
    '- name: Bad.Name\n  type: queueTrigger\n',
    '['.repeat(500),
    '- &a {name: Twice, type: timerTrigger}\n- *a\n',
    '- name: T\n  type: timerTrigger\n  schedule: !!binary aGVsbG8=\n',
    '- name: T\n  type: "\\t"\n',
    '- name: T\n  type: queueTrigger\n  queueName: "%toString%"\n',
    '\t- bad: indent',
    '- name: 5\n  type: queueTrigger',
    '- name: Q\n  type: !!js/function "function(){}"\n',
    `- name: Huge\n  type: queueTrigger\n  queueName: ${'q'.repeat(50_000)}\n`,
    '---\n- name: A\n  type: timerTrigger\n---\n- name: B\n  type: timerTrigger\n',
    '- name: Api2\n  type: httpTrigger\n  direction: out\n',
    '- {name: K, type: kafkaTrigger, brokerList: "b:1", topic: t, protocol: SASL_SSL}\n',
  ],
};

/** Inputs of the deploy or delete command only: refused by render. */
const WRONG_COMMAND: readonly [string, (secret: string) => string][] = [
  ['kubeconfig', () => 'apiVersion: v1'],
  ['registry', () => 'myacr'],
  ['dry-run', () => 'true'],
  ['timeout', () => '5m'],
  ['keda', () => 'skip'],
  ['client-secret', (secret) => secret],
  ['registry-password', (secret) => secret],
  ['resource-group', () => 'rg'],
];

const INPUT_MUTATIONS: Mutation[] = [
  ...Object.entries(INPUT_VALUES).map(([name, values]): Mutation => (c, rng) => {
    const value = rng.pick(values);
    c.inputs[name] = value;
    return `input ${name} = ${show(value)}`;
  }),
  (c, rng) => {
    const [name, value] = rng.pick(WRONG_COMMAND);
    c.inputs[name] = value(c.secrets[1] as string);
    return `input ${name} (not a render input)`;
  },
  (c, rng) => {
    const [min, max] = rng.pick([
      ['5', '2'],
      ['1', '0'],
      ['2147483647', '1'],
      ['3', '3'],
    ]);
    c.inputs['min-replicas'] = min;
    c.inputs['max-replicas'] = max;
    return `inputs min-replicas ${min}, max-replicas ${max}`;
  },
  (c, rng) => {
    // The HTTP Prometheus scaler, its credentials planted where a user might put them.
    const secret = c.secrets[1] as string;
    c.inputs['http-scaler'] = 'prometheus';
    c.inputs['http-prometheus-server-address'] = rng.pick([
      'http://prometheus:9090',
      'http://%PromHost%:9090/',
      `https://keda:${secret}@prom:9090`,
      'prom:9090',
      '%Missing%',
      '',
    ]);
    c.inputs['http-prometheus-query'] = rng.pick(['sum(rate(x[1m]))', 'up % 2', 'up{a="%Missing%"}', '']);
    c.inputs['http-prometheus-threshold'] = rng.pick(['10', '0.5', '0', '-1', 'x', '2e3', '']);
    c.inputs['http-prometheus-auth'] = rng.pick([
      `bearerToken=${secret}`,
      `username=u\npassword=${secret}`,
      secret,
      `bearerToken=${secret}\nusername=u`,
      `podIdentity=azure-workload\nbearerToken=${secret}`,
      `customAuthHeader=X\ncustomAuthValue=${secret}`,
      'bearerToken=%Token%',
      '',
    ]);
    return 'inputs http-scaler prometheus, its address, query, threshold and auth';
  },
  (c) => {
    delete c.inputs.name;
    return 'input name missing';
  },
  (c) => {
    delete c.inputs.image;
    return 'input image missing';
  },
];

const FAMILY_PLAN: readonly {
  family: Family;
  count: number;
  mutations: readonly [number, number];
  pool: readonly Mutation[];
}[] = [
  { family: 'function.json', count: 200, mutations: [1, 3], pool: FUNCTION_MUTATIONS },
  { family: 'host.json', count: 100, mutations: [1, 2], pool: HOST_MUTATIONS },
  { family: 'settings', count: 160, mutations: [1, 3], pool: SETTINGS_MUTATIONS },
  { family: 'inputs', count: 140, mutations: [1, 2], pool: INPUT_MUTATIONS },
  {
    family: 'combined',
    count: 200,
    mutations: [2, 5],
    pool: [...FUNCTION_MUTATIONS, ...HOST_MUTATIONS, ...SETTINGS_MUTATIONS, ...INPUT_MUTATIONS],
  },
];

function generate(
  index: number,
  family: Family,
  mutations: readonly [number, number],
  pool: readonly Mutation[],
): FuzzCase {
  const rng = new Rng(hash32(`${SEED}/${index}`));
  const c = baseCase(index, family, rng);
  // A few untouched apps keep the valid-render side of the oracle honest.
  const count = rng.chance(0.04) ? 0 : rng.between(mutations[0], mutations[1]);
  for (let applied = 0; applied < count; applied++) {
    for (let attempt = 0; attempt < 12; attempt++) {
      const step = rng.pick(pool)(c, rng);
      if (step !== undefined) {
        c.steps.push(step);
        break;
      }
    }
  }
  return c;
}

const CASES: readonly FuzzCase[] = (() => {
  const cases: FuzzCase[] = [];
  for (const plan of FAMILY_PLAN) {
    for (let i = 0; i < plan.count; i++) cases.push(generate(cases.length, plan.family, plan.mutations, plan.pool));
  }
  return cases;
})();

/**
 * Cases kept from earlier runs and from reading the code, as fuzzers keep their
 * crashers: inputs the random search reaches only now and then, run every time.
 */
const CORPUS: readonly { readonly what: string; readonly build: (c: FuzzCase) => void }[] = [
  {
    what: 'kafkaTrigger with SASL and authenticationMode "constructor"',
    build: (c) => setTrigger(c, { ...HAND_MADE.kafka?.[0], authenticationMode: 'constructor' }),
  },
  {
    what: 'identity-based queue connection whose queueServiceUri is "https://"',
    build: (c) => {
      const values = settingsValues(c) as Record<string, unknown>;
      delete values.Storage;
      delete values.AzureWebJobsStorage;
      values.Storage__queueServiceUri = 'https://';
    },
  },
  {
    what: 'identity-based Service Bus connection whose fullyQualifiedNamespace is "sb://bad host"',
    build: (c) => {
      setTrigger(c, HAND_MADE.serviceBusQueue?.[0] as Record<string, unknown>);
      const values = settingsValues(c) as Record<string, unknown>;
      delete values.ServiceBus;
      values.ServiceBus__fullyQualifiedNamespace = 'sb://bad host';
    },
  },
  {
    what: 'function.json that opens 100000 lists',
    build: (c) => c.files.set('Orders/function.json', { text: '['.repeat(100_000) }),
  },
  {
    what: 'local.settings.json that opens 100000 objects',
    build: (c) => c.files.set('local.settings.json', { text: '{"Values":'.repeat(100_000) }),
  },
  {
    what: 'function.json with valid nesting 100000 deep',
    build: (c) =>
      c.files.set('Orders/function.json', {
        text: `{"bindings": ${JSON.stringify(HAND_MADE.queue)}, "x": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
      }),
  },
  {
    what: 'a triggers input of two YAML documents',
    build: (c) => (c.inputs.triggers = '- name: A\n  type: timerTrigger\n---\n- name: B\n  type: timerTrigger\n'),
  },
  {
    what: 'a triggers input with a duplicate key',
    build: (c) => (c.inputs.triggers = '- name: A\n  name: B\n  type: timerTrigger\n'),
  },
  {
    what: 'queueName "%constructor%"',
    build: (c) => setTrigger(c, { ...HAND_MADE.queue?.[0], queueName: '%constructor%' }),
  },
  {
    what: 'blob path "%toString%/in"',
    build: (c) => setTrigger(c, { ...HAND_MADE.blob?.[0], path: '%toString%/in/{name}' }),
  },
  { what: 'an app name with a line break', build: (c) => (c.inputs.name = 'ord\ners') },
  {
    what: 'a function folder with a line break in its name',
    build: (c) => c.files.set('a\nb/function.json', { json: { bindings: HAND_MADE.timer } }),
  },
  {
    what: 'a trigger type with a line break',
    build: (c) => setTrigger(c, { type: 'custom\nTrigger', direction: 'in', name: 'x' }),
  },
  {
    what: 'a settings key with a line break',
    build: (c) => ((settingsValues(c) as Record<string, unknown>)['a\nb'] = c.secrets[0]),
  },
  {
    what: 'durable mssql with maxConcurrentActivityFunctions 1e999',
    build: (c) => {
      (hostJson(c) as Record<string, unknown>).extensions = {
        durableTask: {
          storageProvider: { type: 'mssql', connectionStringName: 'SqlConn' },
          maxConcurrentActivityFunctions: '@INF@',
        },
      };
      setTrigger(c, { type: 'orchestrationTrigger', direction: 'in', name: 'ctx' });
    },
  },
  {
    what: 'a settings value that is an object holding the secret',
    build: (c) => ((settingsValues(c) as Record<string, unknown>).PlantedSecret = { nested: c.secrets[0] }),
  },
  {
    what: 'an app-settings line that is only the secret',
    build: (c) => (c.inputs['app-settings'] = `A=1\n${c.secrets[1]}`),
  },
  { what: 'a client-secret given to render', build: (c) => (c.inputs['client-secret'] = c.secrets[1] as string) },
];

/** Orders/function.json with this one trigger. */
function setTrigger(c: FuzzCase, trigger: Record<string, unknown>): void {
  c.files.set('Orders/function.json', { json: { bindings: [trigger] } });
}

function corpusCase(index: number, what: string, build: (c: FuzzCase) => void): FuzzCase {
  const secret = `afd-secret-${new Rng(hash32(`${SEED}/corpus/${index}`)).hex(20)}`;
  const c: FuzzCase = {
    index,
    family: 'corpus',
    steps: [what],
    files: new Map<string, Content>([
      ['host.json', { json: { version: '2.0' } }],
      ['Orders/function.json', { json: { bindings: clone(HAND_MADE.queue) } }],
      ['local.settings.json', { json: { IsEncrypted: false, Values: baseSettings(secret) } }],
    ]),
    inputs: { name: 'orders', image: 'reg.example.io/orders:1.0.0', 'settings-file': '@ROOT@/local.settings.json' },
    secrets: [secret, `${secret}-app`],
  };
  build(c);
  return c;
}

// ---------------------------------------------------------------- running a case

const work = workFolder('fuzz');

/** Writes the case's app under `label` and returns its raw inputs. */
function materialize(c: FuzzCase, label: string): { raw: Record<string, string>; caseDir: string } {
  const caseDir = join(work, label, `case-${c.index}`);
  const root = join(caseDir, 'app');
  mkdirSync(root, { recursive: true });
  for (const [path, content] of c.files) {
    const full = join(root, path);
    if ('dir' in content) {
      mkdirSync(full, { recursive: true });
    } else {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, serialize(content));
    }
  }
  const raw: Record<string, string> = { 'app-path': root };
  for (const [name, value] of Object.entries(c.inputs))
    raw[name] = value.replaceAll('@ROOT@', root).replaceAll('@CASE@', caseDir);
  return { raw, caseDir };
}

interface InProcessRun {
  readonly result?: RenderResult;
  readonly error?: unknown;
  readonly showSecrets: boolean;
  /** Everything the core said through the platform: warnings and info lines. */
  readonly said: string[];
}

/** The CLI's render path, in process: resolve the inputs, then renderApp with a platform that keeps what it is told. */
async function runInProcess(raw: RawInputs): Promise<InProcessRun> {
  const said: string[] = [];
  const platform: Platform = {
    info: (message) => said.push(message),
    warning: (message) => said.push(message),
    setSecret: () => undefined,
    setOutput: (name, value) => {
      if (name !== 'manifests') said.push(`${name}: ${value}`);
    },
    run: {},
  };
  let showSecrets = false;
  try {
    const options = resolveRenderCommand(raw);
    showSecrets = options.showSecrets;
    return { result: await renderApp(options, platform), showSecrets, said };
  } catch (error) {
    return { error, showSecrets, said };
  }
}

// ---------------------------------------------------------------- the oracle

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LINE_BREAK = /[\r\n\u2028\u2029]/;

function leaks(text: string, secrets: readonly string[]): string | undefined {
  return secrets.find((secret) => text.includes(secret) || text.includes(Buffer.from(secret).toString('base64')));
}

/** What is wrong with a failure: it must be expected, one line, non-empty, and show no secret. */
function failureProblems(error: unknown, secrets: readonly string[]): string[] {
  const problems: string[] = [];
  const { message, expected } = describeFailure(error);
  // By name: errors from Node's own realm are not instances of the test's Error.
  const kind = isRecord(error) && typeof error.name === 'string' ? error.name : typeof error;
  if (!expected) problems.push(`unexpected failure (${kind}): ${show(message)}`);
  if (message.trim() === '') problems.push(`empty error message (${kind})`);
  if (LINE_BREAK.test(message)) problems.push(`error message of more than one line: ${show(message)}`);
  if (leaks(message, secrets)) problems.push('error message shows a planted secret value');
  return problems;
}

function isKubeObject(value: unknown): boolean {
  if (!isRecord(value) || !isRecord(value.metadata)) return false;
  return (
    typeof value.apiVersion === 'string' &&
    value.apiVersion !== '' &&
    typeof value.kind === 'string' &&
    value.kind !== '' &&
    typeof value.metadata.name === 'string'
  );
}

/** What is wrong with a render: objects that are objects, YAML that says the same, and nothing that should not be there. */
function renderProblems(result: RenderResult, showSecrets: boolean, secrets: readonly string[]): string[] {
  const problems: string[] = [];
  if (result.objects.length === 0) problems.push('rendered no objects');
  for (const object of result.objects) {
    if (!isKubeObject(object)) problems.push(`not a Kubernetes object: ${show(object)}`);
    else if (object.metadata.name.length > 253 || !DNS_SUBDOMAIN.test(object.metadata.name))
      problems.push(`invalid object name ${show(object.metadata.name)}`);
    if (object.kind === 'ScaledObject') {
      for (const trigger of (object as { spec?: { triggers?: { type: string; metadata: Record<string, unknown> }[] } })
        .spec?.triggers ?? []) {
        for (const [key, value] of Object.entries(trigger.metadata)) {
          if (typeof value !== 'string')
            problems.push(`ScaledObject trigger ${trigger.type} metadata ${key} is a ${typeof value}, not a string`);
        }
        const query = trigger.metadata.query;
        if (
          trigger.type === 'mssql' &&
          typeof query === 'string' &&
          !/^SELECT dt\.GetScaleRecommendation\(\d+, \d+\)$/.test(query)
        ) {
          problems.push(`mssql scaler query with arguments that are not whole numbers: ${show(query)}`);
        }
      }
    }
  }
  let documents: unknown[] = [];
  try {
    documents = yaml.loadAll(result.manifests);
  } catch (error) {
    problems.push(`the YAML does not parse: ${show((error as Error).message)}`);
  }
  if (!documents.every(isKubeObject)) problems.push('a YAML document is not a Kubernetes object');
  const shown = JSON.parse(JSON.stringify(showSecrets ? result.objects : redactSecrets(result.objects))) as unknown;
  if (!isDeepStrictEqual(documents, shown)) problems.push('the YAML does not say what the objects say');
  if (/\[native code\]|\[object Object\]/.test(result.manifests)) {
    problems.push(
      `the YAML holds a JavaScript built-in instead of a value: ${show(/.*(\[native code\]|\[object Object\]).*/.exec(result.manifests)?.[0].trim())}`,
    );
  }
  if (!showSecrets && leaks(result.manifests, secrets)) problems.push('the redacted YAML shows a planted secret value');
  return problems;
}

function saidProblems(said: readonly string[], secrets: readonly string[]): string[] {
  const problems: string[] = [];
  for (const line of said) {
    if (LINE_BREAK.test(line)) problems.push(`warning of more than one line: ${show(line)}`);
    if (leaks(line, secrets)) problems.push(`a warning shows a planted secret value: ${show(line.slice(0, 80))}`);
  }
  return problems;
}

function caseProblems(c: FuzzCase, run: InProcessRun): string[] {
  const problems = saidProblems(run.said, c.secrets);
  if (run.result) problems.push(...renderProblems(run.result, run.showSecrets, c.secrets));
  else problems.push(...failureProblems(run.error, c.secrets));
  return problems;
}

// ---------------------------------------------------------------- reporting

interface Finding {
  readonly c: FuzzCase;
  readonly problem: string;
}

function describeCase(c: FuzzCase): string {
  return `case ${c.index} (${c.family}): ${c.steps.join('; ')}`;
}

/** One block per kind of problem, with the first case that shows it: readable even when hundreds fail. */
function report(title: string, findings: readonly Finding[], total: number): string {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = finding.problem.replace(/\/tmp\/[^\s'"]*/g, '<path>').replace(/\d+/g, 'N');
    groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  const blocks = [...groups.values()]
    .sort((a, b) => b.length - a.length)
    .slice(0, 15)
    .map((group) => {
      const first = group[0] as Finding;
      return `- ${first.problem}\n    ${group.length} case(s), e.g. ${describeCase(first.c)}\n    replay: ${REPLAY} AFD_FUZZ_CASE=${first.c.index}`;
    });
  const cases = new Set(findings.map((finding) => finding.c.index)).size;
  return `${title}: ${cases} of ${total} cases failed the oracle (seed ${SEED}; ${groups.size} kinds of problem)\n${blocks.join('\n')}`;
}

const outcomes = { rendered: 0, refused: 0 };

// ---------------------------------------------------------------- the tests

describe(`bad-input fuzz of render (seed ${SEED})`, () => {
  test('the oracle can fail: it rejects crashes, stacks, secrets and broken renders', () => {
    const secret = 'afd-secret-0123456789abcdef';
    expect(failureProblems(new TypeError("Cannot read properties of undefined (reading 'type')"), [])).toEqual([
      expect.stringMatching(/^unexpected failure \(TypeError\)/),
    ]);
    expect(failureProblems(new RangeError('Maximum call stack size exceeded'), [])).toEqual([
      expect.stringMatching(/^unexpected failure \(RangeError\)/),
    ]);
    // A message that has become multi-line after construction is still printed as one line, escaped.
    const stacked = Object.assign(new UserError('bad input'), { message: 'bad input\n    at main (cli.js:1:1)\u2028' });
    expect(failureProblems(stacked, [])).toEqual([]);
    expect(describeFailure(stacked).message).toBe('bad input\\n    at main (cli.js:1:1)\\u2028');
    expect(failureProblems(new UserError(''), [])).toEqual([expect.stringMatching(/empty/)]);
    expect(failureProblems(new UserError(`key 'A' is ${secret}`), [secret])).toEqual([expect.stringMatching(/secret/)]);
    expect(failureProblems(new UserError(`key 'A' is ${Buffer.from(secret).toString('base64')}`), [secret])).toEqual([
      expect.stringMatching(/secret/),
    ]);
    expect(failureProblems(new UserError("input 'name': 'Orders' is not a valid app name"), [secret])).toEqual([]);

    const objects = [
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'orders' },
        data: { A: Buffer.from(secret).toString('base64') },
      },
    ];
    const good = {
      objects,
      manifests:
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: orders\ndata:\n  A: "<redacted: use --show-secrets>"\n',
    };
    expect(renderProblems(good, false, [secret])).toEqual([]);
    expect(
      renderProblems({ objects, manifests: `${good.manifests}---\n- not an object\n` }, false, [secret]),
    ).not.toEqual([]);
    expect(
      renderProblems(
        { objects, manifests: good.manifests.replace('"<redacted: use --show-secrets>"', secret) },
        false,
        [secret],
      ),
    ).not.toEqual([]);
    expect(renderProblems({ objects: [], manifests: '' }, false, [])).toEqual(['rendered no objects']);
    const scaled = [
      {
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: { name: 'o' },
        spec: { triggers: [{ type: 'kafka', metadata: { sasl: Object } }] },
      },
    ];
    expect(
      renderProblems({ objects: scaled, manifests: yaml.dump(JSON.parse(JSON.stringify(scaled[0]))) }, false, []),
    ).toEqual([expect.stringMatching(/metadata sasl is a function/)]);
    expect(saidProblems(['fine', `uses ${secret}`, 'two\nlines'], [secret])).toHaveLength(2);

    expect(
      cliProblems({ status: 1, stdout: '', stderr: 'error: boom\n    at main (dist/cli.js:1:1)\n' }, {}),
    ).not.toEqual([]);
    expect(
      cliProblems({ status: 1, stdout: '', stderr: 'error: unexpected failure: boom (--debug shows where)\n' }, {}),
    ).not.toEqual([]);
    expect(cliProblems({ status: 0, stdout: 'not: [yaml', stderr: '' }, {})).not.toEqual([]);
    expect(cliProblems({ status: 1, stdout: '', stderr: "warning: x\nerror: input 'name' is required\n" }, {})).toEqual(
      [],
    );
  });

  test(`at least 500 cases, reproducible from the seed`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(500);
    const plan = FAMILY_PLAN[0] as (typeof FAMILY_PLAN)[number];
    const again = generate(7, plan.family, plan.mutations, plan.pool);
    expect(again.steps).toEqual(CASES[7]?.steps);
    expect(again.steps.length).toBeGreaterThan(0);
  });

  for (const plan of FAMILY_PLAN) {
    const cases = CASES.filter((c) => c.family === plan.family && (ONLY_CASE === undefined || c.index === ONLY_CASE));
    const run = cases.length > 0 ? test : test.skip;
    run(`${plan.family}: ${cases.length} cases render validly or fail with one clean error line`, async () => {
      const findings: Finding[] = [];
      for (const c of cases) {
        const { raw } = materialize(c, 'in-process');
        const outcome = await runInProcess(raw);
        if (outcome.result) outcomes.rendered++;
        else outcomes.refused++;
        for (const problem of caseProblems(c, outcome)) findings.push({ c, problem });
      }
      if (findings.length > 0) throw new Error(report(plan.family, findings, cases.length));
    });
  }

  const corpus = CORPUS.map(({ what, build }, i) => corpusCase(CASES.length + i, what, build)).filter(
    (c) => ONLY_CASE === undefined || c.index === ONLY_CASE,
  );
  (corpus.length > 0 ? test : test.skip)(
    `corpus: ${corpus.length} kept cases render validly or fail with one clean error line`,
    async () => {
      const findings: Finding[] = [];
      for (const c of corpus) {
        const { raw } = materialize(c, 'corpus');
        for (const problem of caseProblems(c, await runInProcess(raw))) findings.push({ c, problem });
      }
      if (findings.length > 0) throw new Error(report('corpus', findings, corpus.length));
    },
  );

  (ONLY_CASE === undefined ? test : test.skip)(
    'both outcomes are exercised: many cases render, many are refused',
    () => {
      expect(outcomes.rendered + outcomes.refused).toBe(CASES.length);
      expect(outcomes.rendered).toBeGreaterThanOrEqual(CASES.length * 0.1);
      expect(outcomes.refused).toBeGreaterThanOrEqual(CASES.length * 0.3);
    },
  );
});

// ---------------------------------------------------------------- the real bundle

const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const BOOLEAN_INPUTS = new Set(INPUTS.filter((input) => input.kind === 'boolean').map((input) => input.name));

interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Bounded in time: a run that blocks (a FIFO opened for reading) is killed and reported, not a hung test. */
async function runCli(args: readonly string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      timeout: 20_000,
      // Node survives SIGTERM while blocked opening a FIFO.
      killSignal: 'SIGKILL',
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; signal?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number' && typeof failed.signal !== 'string') throw error;
    const status = typeof failed.code === 'number' ? failed.code : null;
    return { status, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** The raw inputs as command-line options, the way a user types them. */
function argvOf(raw: Record<string, string>): string[] {
  const args = ['render'];
  for (const [name, value] of Object.entries(raw)) {
    if (!BOOLEAN_INPUTS.has(name)) args.push(`--${name}=${value}`);
    else if (value.trim().toLowerCase() === 'true') args.push(`--${name}`);
    else if (value.trim().toLowerCase() === 'false') args.push(`--no-${name}`);
    else if (value.trim() !== '') args.push(`--${name}=${value}`);
  }
  return args;
}

interface CliExpectation {
  /** Where render writes the YAML instead of stdout. */
  readonly outputFile?: string;
  readonly showSecrets?: boolean;
  readonly secrets?: readonly string[];
  /** The in-process outcome the bundle must agree with: 'rendered', or the error message. */
  readonly inProcess?: { rendered: true } | { message: string; exact: boolean };
  /** For CLI-only mistakes: what the error line must say. */
  readonly error?: RegExp;
}

function cliProblems(result: CliResult, want: CliExpectation): string[] {
  const problems: string[] = [];
  const secrets = want.secrets ?? [];
  if (/^\s+at /m.test(result.stderr)) problems.push('a stack trace on stderr');
  if (leaks(result.stderr, secrets)) problems.push('stderr shows a planted secret value');
  const lines = result.stderr
    .replace(/\n$/, '')
    .split('\n')
    .filter((line, index, all) => line !== '' || index < all.length - 1);
  if (result.status === 0) {
    const yamlText =
      want.outputFile === undefined
        ? result.stdout
        : existsSync(want.outputFile)
          ? readFileSync(want.outputFile, 'utf8')
          : '';
    if (want.outputFile !== undefined && result.stdout !== '')
      problems.push('stdout is not empty although the YAML went to a file');
    try {
      const documents = yaml.loadAll(yamlText);
      if (documents.length === 0 || !documents.every(isKubeObject))
        problems.push('exit 0 without Kubernetes objects in the YAML');
    } catch (error) {
      problems.push(`exit 0 with YAML that does not parse: ${show((error as Error).message)}`);
    }
    if (!want.showSecrets && leaks(yamlText, secrets)) problems.push('the YAML shows a planted secret value');
    for (const line of lines)
      if (!line.startsWith('warning: '))
        problems.push(`exit 0 with a stderr line that is not a warning: ${show(line)}`);
    if (want.error) problems.push(`exit 0, expected an error matching ${want.error}`);
    if (want.inProcess && !('rendered' in want.inProcess))
      problems.push(`exit 0, but in process: error ${show(want.inProcess.message)}`);
  } else if (result.status === 1) {
    if (result.stdout !== '') problems.push('output on stdout with an error');
    const errors = lines.filter((line) => line.startsWith('error: '));
    const last = lines.at(-1) ?? '';
    if (errors.length !== 1 || !last.startsWith('error: '))
      problems.push(`stderr does not end in exactly one error line: ${show(result.stderr)}`);
    for (const line of lines.slice(0, -1))
      if (!line.startsWith('warning: '))
        problems.push(`a stderr line that is neither warning nor error: ${show(line)}`);
    if (last.endsWith('(--debug shows where)')) problems.push(`an unexpected failure: ${show(last)}`);
    if (want.error && !want.error.test(last)) problems.push(`error line ${show(last)} does not match ${want.error}`);
    if (want.inProcess && 'rendered' in want.inProcess)
      problems.push(`exit 1 (${show(last)}), but in process it rendered`);
    if (
      want.inProcess &&
      'exact' in want.inProcess &&
      want.inProcess.exact &&
      last !== `error: ${want.inProcess.message}`
    ) {
      problems.push(`error line ${show(last)} differs from the in-process message ${show(want.inProcess.message)}`);
    }
  } else {
    problems.push(`exit status ${result.status}`);
  }
  return problems;
}

/** Mistakes only a command line can make, appended to (or replacing the command of) a sampled case. */
const CLI_ONLY: readonly { what: string; argv: (args: string[]) => string[]; error?: RegExp }[] = [
  // A YAML list begins with '- ': as its own argument, it is the usual way to type the triggers input.
  {
    what: 'a triggers value after a space, beginning with "- "',
    argv: (args) => [...args, '--triggers', '- name: CliOnly\n  type: timerTrigger'],
  },
  { what: 'an app name after a space, beginning with "-"', argv: (args) => [...args, '--name', '-orders'] },
  {
    what: 'the command "constructor" alone',
    argv: () => ['constructor'],
    error: /^error: unknown command 'constructor'/,
  },
  {
    what: 'an unknown option',
    argv: (args) => [...args, '--replicas', '3'],
    error: /^error: unknown option '--replicas'/,
  },
  {
    what: 'a deploy-only option',
    argv: (args) => [...args, '--kubeconfig', 'x'],
    error: /^error: unknown option '--kubeconfig'/,
  },
  { what: 'a positional argument', argv: (args) => [...args, 'extra'], error: /^error: unexpected argument 'extra'/ },
  {
    what: 'an option without its value',
    argv: (args) => [...args, '--name'],
    error: /^error: option '--name <value>' argument missing/,
  },
  {
    what: 'a value for a boolean',
    argv: (args) => [...args, '--show-secrets=yes'],
    error: /^error: option '--show-secrets' does not take an argument/,
  },
  {
    what: 'the command "constructor" with --help',
    argv: () => ['constructor', '--help'],
    error: /^error: unknown command 'constructor'/,
  },
  ...['constructor', 'toString', '__proto__', 'hasOwnProperty', 'Render', 'publish'].map((command) => ({
    what: `the command ${show(command)}`,
    argv: (args: string[]) => [command, ...args.slice(1)],
    error: /^error: unknown command /,
  })),
];

describe('bad-input fuzz through the bundle: node dist/cli.js render', () => {
  const SAMPLE_SIZE = 25;
  const rng = new Rng(hash32(`${SEED}/cli`));
  // A process cannot take an argument with a NUL in it.
  const eligible = CASES.filter((c) => !Object.values(c.inputs).some((value) => value.includes('\u0000')));
  const sample: FuzzCase[] = ONLY_CASE === undefined ? [] : eligible.filter((c) => c.index === ONLY_CASE);
  const mistakes = ONLY_CASE === undefined ? CLI_ONLY : [];
  while (ONLY_CASE === undefined && sample.length < Math.min(SAMPLE_SIZE, eligible.length)) {
    const c = rng.pick(eligible);
    if (!sample.includes(c)) sample.push(c);
  }

  (sample.length > 0 ? test : test.skip)(
    `${sample.length} sampled cases and ${mistakes.length} command-line mistakes: exit 0 with YAML, or exit 1 with one error line and no stack`,
    async () => {
      expect(existsSync(CLI)).toBe(true);
      const jobs = [
        ...(await Promise.all(
          sample.map(async (c) => {
            const { raw, caseDir } = materialize(c, 'cli');
            // Its own copy: an in-process render may write files the bundle's run must not find.
            const copy = materialize(c, 'cli-in-process');
            const inProcess = await runInProcess(copy.raw);
            const failure = inProcess.result ? { message: '', expected: true } : describeFailure(inProcess.error);
            const weird = Object.keys(raw).some(
              (name) =>
                (BOOLEAN_INPUTS.has(name) && !/^(true|false|\s*)$/i.test(raw[name] ?? '')) ||
                WRONG_COMMAND.some(([wrong]) => wrong === name),
            );
            const expectation: CliExpectation = {
              outputFile:
                raw['manifests-output'] === undefined ? undefined : raw['manifests-output'].trim() || undefined,
              showSecrets: inProcess.showSecrets,
              secrets: c.secrets,
              inProcess: inProcess.result
                ? { rendered: true }
                : { message: failure.message.replaceAll(copy.caseDir, caseDir), exact: failure.expected && !weird },
            };
            return { c, what: 'as sampled', argv: argvOf(raw), expectation };
          }),
        )),
        ...mistakes.map((mistake, i) => {
          const c = sample[i % sample.length] as FuzzCase;
          const { raw } = materialize(c, `cli-only-${i}`);
          const expectation: CliExpectation = {
            secrets: c.secrets,
            ...(mistake.error ? { error: mistake.error } : {}),
          };
          return { c, what: mistake.what, argv: mistake.argv(argvOf(raw)), expectation };
        }),
      ];
      const findings: Finding[] = [];
      for (let start = 0; start < jobs.length; start += 4) {
        const batch = jobs.slice(start, start + 4);
        const results = await Promise.all(batch.map((job) => runCli(job.argv)));
        batch.forEach((job, i) => {
          for (const problem of cliProblems(results[i] as CliResult, job.expectation))
            findings.push({ c: job.c, problem: `${job.what}: ${problem}` });
        });
      }
      if (findings.length > 0) throw new Error(report('node dist/cli.js render', findings, jobs.length));
    },
    120_000,
  );
});

// ---------------------------------------------------------------- hostile files, through the bundle

/** What a file the CLI reads can be instead of a file; each is made at `path`. */
const HOSTILE_KINDS: readonly { what: string; make: (path: string) => void }[] = [
  { what: 'a folder', make: (path) => mkdirSync(path) },
  { what: 'a FIFO', make: (path) => expect(spawnSync('mkfifo', [path]).status).toBe(0) },
  { what: 'a symlink to /dev/zero', make: (path) => symlinkSync('/dev/zero', path) },
  { what: 'a symlink to /dev/null', make: (path) => symlinkSync('/dev/null', path) },
  { what: 'a dangling symlink', make: (path) => symlinkSync(`${path}.missing`, path) },
  { what: 'a symlink loop', make: (path) => symlinkSync(path, path) },
  // Sparse: 5 MiB of nothing on disk, over the 4 MiB limit for the files the CLI reads whole.
  {
    what: 'a file over the size limit',
    make: (path) => {
      writeFileSync(path, '');
      truncateSync(path, 5 * 1024 * 1024);
    },
  },
];

// By digest: no registry to ask, so the kubeconfig is read at once.
const DIGEST_IMAGE = `reg.io/o@sha256:${'a'.repeat(64)}`;

const HOSTILE_APP = {
  'host.json': '{"version":"2.0"}',
  'Q/function.json': '{"bindings":[{"type":"queueTrigger","direction":"in","name":"m","queueName":"q"}]}',
  'local.settings.json': '{"Values":{"AzureWebJobsStorage":"UseDevelopmentStorage=true"}}',
  Dockerfile: 'FROM scratch\n',
};

/**
 * Which file is replaced, and the command that reads it: render for the app's files, a dry-run deploy for the
 * build's (it plans the build without a cluster) and for the kubeconfig (read before any connection).
 * `fine` are kinds the CLI rightly accepts there.
 */
const HOSTILE_TARGETS: readonly {
  file: string;
  argv: (app: string, file: string) => string[];
  fine?: readonly string[];
  /** The input the file is given by, which an error may name instead of a path that is not a file. */
  input?: string;
}[] = [
  { file: 'app/host.json', argv: (app) => ['render', '--app-path', app, '--name', 'o', '--image', 'reg.io/o:1'] },
  {
    file: 'app/Q/function.json',
    argv: (app) => ['render', '--app-path', app, '--name', 'o', '--image', 'reg.io/o:1'],
  },
  {
    file: 'app/local.settings.json',
    argv: (app, file) => ['render', '--app-path', app, '--name', 'o', '--image', 'reg.io/o:1', '--settings-file', file],
  },
  {
    file: 'app/Dockerfile',
    argv: (app) => ['deploy', '--dry-run', '--app-path', app, '--name', 'o', '--registry', 'reg.io'],
  },
  {
    file: 'app/.dockerignore',
    argv: (app) => ['deploy', '--dry-run', '--app-path', app, '--name', 'o', '--registry', 'reg.io'],
  },
  // Any file of the context goes into the image as Docker sends it: folders and symlinks are fine, whatever they
  // point at (a symlink is sent as the link), and there is no size limit.
  {
    file: 'app/Q/extra',
    argv: (app) => ['deploy', '--dry-run', '--app-path', app, '--name', 'o', '--registry', 'reg.io'],
    fine: HOSTILE_KINDS.map((kind) => kind.what).filter((what) => what !== 'a FIFO'),
  },
  {
    file: 'kubeconfig',
    // It may be content, which errors never quote: a path that is no file is named by its input.
    input: "input 'kubeconfig'",
    argv: (app, file) => [
      'deploy',
      '--dry-run',
      '--app-path',
      app,
      '--name',
      'o',
      '--image',
      DIGEST_IMAGE,
      '--kubeconfig',
      file,
    ],
  },
];

/** Every path under `root` with its type, size and modification time: what a run must leave as it was. */
function snapshot(root: string): string[] {
  const lines: string[] = [];
  const walk = (path: string) => {
    const stat = lstatSync(path);
    lines.push(`${path} ${stat.mode} ${stat.size} ${stat.mtimeMs}`);
    if (stat.isDirectory()) for (const name of readdirSync(path).sort()) walk(join(path, name));
  };
  walk(root);
  return lines;
}

/** The contract for a hostile file: a refusal is one error line naming the file, a success has none. */
function hostileProblems(result: CliResult, file: string, fine: boolean, input = file): string[] {
  const problems: string[] = [];
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  const errors = lines.filter((line) => line.startsWith('error: '));
  if (/^\s+at /m.test(result.stderr)) problems.push('a stack trace on stderr');
  if (result.status === null) problems.push('did not end in time (killed)');
  else if (fine) {
    if (result.status !== 0 || errors.length > 0) problems.push(`refused a file it accepts: ${show(errors.at(-1))}`);
  } else {
    if (result.status !== 1) problems.push(`exit status ${result.status}, not 1`);
    if (result.stdout !== '') problems.push('output on stdout with an error');
    if (errors.length !== 1 || lines.at(-1) !== errors[0])
      problems.push(`stderr does not end in exactly one error line: ${show(result.stderr)}`);
    else if (!errors[0]?.includes(file) && !errors[0]?.includes(input))
      problems.push(`the error does not name ${file}: ${show(errors[0])}`);
    if (errors.some((line) => line.endsWith('(--debug shows where)'))) problems.push('an unexpected failure');
  }
  return problems;
}

describe('hostile files through the bundle: devices, FIFOs, symlinks, folders, files too large', () => {
  const cases = HOSTILE_TARGETS.flatMap((target) =>
    HOSTILE_KINDS.map((kind) => ({ target, kind, fine: target.fine?.includes(kind.what) ?? false })),
  );

  test('the oracle can fail: a killed run, a stack, a second line, an error that names another file', () => {
    const file = '/tmp/app/host.json';
    expect(hostileProblems({ status: null, stdout: '', stderr: '' }, file, false)).not.toEqual([]);
    expect(
      hostileProblems({ status: 1, stdout: '', stderr: `error: ${file}: x\n    at f (cli.js:1:1)\n` }, file, false),
    ).not.toEqual([]);
    expect(hostileProblems({ status: 1, stdout: '', stderr: 'error: /tmp/other: x\n' }, file, false)).not.toEqual([]);
    expect(hostileProblems({ status: 0, stdout: '', stderr: `error: ${file}: x\n` }, file, true)).not.toEqual([]);
    expect(hostileProblems({ status: 1, stdout: '', stderr: `warning: w\nerror: ${file}: x\n` }, file, false)).toEqual(
      [],
    );
  });

  test(`${cases.length} cases: one error line naming the file (or success where the file is fine), in time, nothing changed`, async () => {
    expect(existsSync(CLI)).toBe(true);
    const jobs = cases.map(({ target, kind, fine }, index) => {
      const caseDir = join(work, 'hostile', `case-${index}`);
      const app = join(caseDir, 'app');
      for (const [path, content] of Object.entries(HOSTILE_APP)) {
        mkdirSync(dirname(join(app, path)), { recursive: true });
        writeFileSync(join(app, path), content);
      }
      const file = join(caseDir, target.file);
      rmSync(file, { force: true });
      kind.make(file);
      return {
        what: `${target.file} is ${kind.what}`,
        input: target.input,
        file,
        fine,
        caseDir,
        argv: target.argv(app, file),
        before: snapshot(caseDir),
      };
    });
    const findings: string[] = [];
    for (let start = 0; start < jobs.length; start += 4) {
      const batch = jobs.slice(start, start + 4);
      const results = await Promise.all(batch.map((job) => runCli(job.argv)));
      batch.forEach((job, i) => {
        const problems = hostileProblems(results[i] as CliResult, job.file, job.fine, job.input);
        if (!isDeepStrictEqual(snapshot(job.caseDir), job.before)) problems.push('a file changed');
        for (const problem of problems) findings.push(`- ${job.what}: ${problem}`);
      });
    }
    if (findings.length > 0) throw new Error(`${findings.length} problem(s):\n${findings.join('\n')}`);
  }, 180_000);
});
