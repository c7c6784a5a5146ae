import { UserError } from '../errors.js';
import { type AppSettings, type FunctionDefinition, type HostSettings, stringProperty } from '../discovery/model.js';

/**
 * The trigger → KEDA mapping (DESIGN.md §4): where each function runs and, for
 * event-driven ones, the KEDA trigger that wakes and scales it.
 */

/** How KEDA authenticates to the event source when metadata alone is not enough. */
export interface AuthPlan {
  /** Short word for the TriggerAuthentication's name. */
  readonly purpose: string;
  readonly podIdentity?: { readonly provider: 'azure-workload'; readonly identityId?: string };
  /** Parameters KEDA reads from the container's environment (app settings). */
  readonly env?: readonly { readonly parameter: string; readonly name: string }[];
  /** Parameters with a fixed value, kept in a Secret of the TriggerAuthentication's name. */
  readonly literals?: Readonly<Record<string, string>>;
}

export interface ScalerPlan {
  readonly type: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly auth?: AuthPlan;
}

export type TriggerPlan =
  /** Served by the HTTP Deployment behind the Service. */
  | { readonly part: 'http'; readonly warning?: string }
  /** Runs in the event-driven Deployment, scaled by KEDA. */
  | { readonly part: 'events'; readonly scaler: ScalerPlan }
  /** Runs in the event-driven Deployment, which then never scales below one replica. */
  | { readonly part: 'events'; readonly alwaysOn: string };

interface Context {
  readonly fn: FunctionDefinition;
  readonly settings: AppSettings;
  readonly host: HostSettings;
  readonly warn: (message: string) => void;
}

// Triggers whose events arrive as HTTP requests (webhooks), so they must sit
// behind the Service: KEDA cannot see them coming.
const WEBHOOK_TRIGGERS = new Set([
  'eventgridtrigger',
  'authenticationeventstrigger',
  'signalrtrigger',
  'mcptooltrigger',
]);
const DURABLE_TRIGGERS = new Set(['orchestrationtrigger', 'activitytrigger', 'entitytrigger']);

export function planTrigger(
  fn: FunctionDefinition,
  settings: AppSettings,
  host: HostSettings,
  warn: (message: string) => void,
): TriggerPlan {
  const context: Context = { fn, settings, host, warn };
  const type = fn.trigger.type.toLowerCase();
  switch (type) {
    case 'httptrigger':
      return { part: 'http' };
    case 'queuetrigger':
      return { part: 'events', scaler: storageQueue(context) };
    case 'blobtrigger':
      if (stringProperty(fn.trigger, 'source').toLowerCase() === 'eventgrid') {
        return { part: 'http', warning: webhookWarning(fn, 'blobTrigger with source EventGrid') };
      }
      return { part: 'events', scaler: storageBlob(context) };
    case 'servicebustrigger':
      return { part: 'events', scaler: serviceBus(context) };
    case 'eventhubtrigger':
      return { part: 'events', scaler: eventHub(context) };
    case 'kafkatrigger':
      return { part: 'events', scaler: kafka(context) };
    case 'rabbitmqtrigger':
      return { part: 'events', scaler: rabbitMq(context) };
    case 'timertrigger':
      return {
        part: 'events',
        alwaysOn: `${describe(fn)} runs on a schedule, which KEDA cannot wake: the app keeps at least one replica`,
      };
  }
  if (WEBHOOK_TRIGGERS.has(type)) return { part: 'http', warning: webhookWarning(fn, fn.trigger.type) };
  if (DURABLE_TRIGGERS.has(type)) {
    const storage = host.durableStorage;
    if (storage?.type.toLowerCase() === 'mssql') {
      return {
        part: 'events',
        scaler: {
          type: 'mssql',
          metadata: {
            // The Durable SQL provider's own scale recommendation; target 1 maps it 1:1 to replicas.
            query: `SELECT dt.GetScaleRecommendation(${storage.maxConcurrentOrchestrators ?? 10}, ${storage.maxConcurrentActivities ?? 10})`,
            targetValue: '1',
            connectionStringFromEnv: storage.connectionStringName ?? 'SQLDB_Connection',
          },
        },
      };
    }
    return {
      part: 'events',
      alwaysOn: `${describe(fn)} uses the Durable ${storage?.type ?? 'Azure Storage'} backend, which KEDA cannot scale: the app keeps at least one replica (the mssql storage provider scales to zero)`,
    };
  }
  return {
    part: 'events',
    alwaysOn: `${describe(fn)}: KEDA has no scaler for ${fn.trigger.type}, so the app keeps at least one replica`,
  };
}

function describe(fn: FunctionDefinition): string {
  return `${fn.source}: function '${fn.name}' (${fn.trigger.type})`;
}

function webhookWarning(fn: FunctionDefinition, what: string): string {
  return `${describe(fn)}: ${what} events arrive as webhooks, so it runs in the HTTP Deployment behind the Service, which KEDA does not scale`;
}

/** `%Name%` → `Name`; anything else → undefined. */
function settingReference(value: string): string | undefined {
  return /^%([^%]+)%$/.exec(value)?.[1];
}

/** Replaces `%Name%` with the setting's value now: for fields KEDA cannot read from the environment. */
function resolved(context: Context, key: string, value: string): string {
  return value.replace(/%([^%]+)%/g, (_, name: string) => {
    const setting = context.settings.values[name];
    if (setting === undefined) {
      throw new UserError(
        `${context.fn.source}: function '${context.fn.name}': "${key}" refers to app setting '${name}', which is not in the app settings (settings-file or app-settings)`,
        context.fn.source,
      );
    }
    return setting;
  });
}

/** A property the trigger cannot do without, as written (`%Setting%` kept). */
function present(context: Context, key: string): string {
  const value = stringProperty(context.fn.trigger, key);
  if (value === '') {
    throw new UserError(
      `${context.fn.source}: function '${context.fn.name}': ${context.fn.trigger.type} needs "${key}"`,
      context.fn.source,
    );
  }
  return value;
}

function required(context: Context, key: string): string {
  return resolved(context, key, present(context, key));
}

/** Warns when KEDA will look for a setting in the container's environment that the given settings lack. */
function expectSetting(context: Context, name: string): void {
  if (context.settings.complete && context.settings.values[name] === undefined) {
    context.warn(
      `${context.fn.source}: function '${context.fn.name}' needs app setting '${name}', which is not in the app settings: KEDA will not be able to read the event source`,
    );
  }
}

/**
 * A field KEDA can read either from metadata or from the container's
 * environment (`<key>FromEnv`): `%Setting%` points it at the environment.
 */
function valueOrEnv(context: Context, key: string, value: string): Record<string, string> {
  const setting = settingReference(value);
  if (setting === undefined) return { [key]: resolved(context, key, value) };
  expectSetting(context, setting);
  return { [`${key}FromEnv`]: setting };
}

interface Connection {
  readonly setting: string;
  /** `<setting>__<suffix>` values (suffix lower-cased) of an identity-based connection. */
  readonly identity?: Readonly<Record<string, string>>;
}

/**
 * The app setting a `connection` property names, found as the host finds it:
 * `AzureWebJobs<name>` first, then `<name>`, in any case; then the
 * `<name>__…` section of an identity-based connection. Empty means the
 * trigger's default. The setting's own spelling is what KEDA must read.
 */
function connection(context: Context, given: string, defaultSetting: string): Connection {
  const name = settingReference(given) ?? (given || defaultSetting);
  const keys = Object.keys(context.settings.values);
  for (const candidate of [`AzureWebJobs${name}`, name]) {
    const key = keys.find((existing) => existing.toLowerCase() === candidate.toLowerCase());
    if (key !== undefined) return { setting: key };
  }
  for (const candidate of [`AzureWebJobs${name}`, name]) {
    const prefix = `${candidate}__`.toLowerCase();
    const identity = Object.fromEntries(
      Object.entries(context.settings.values)
        .filter(([key]) => key.toLowerCase().startsWith(prefix))
        .map(([key, value]) => [key.slice(prefix.length).toLowerCase(), value]),
    );
    if (Object.keys(identity).length > 0) return { setting: candidate, identity };
  }
  expectSetting(context, name);
  return { setting: name };
}

function workloadIdentity(identity: Readonly<Record<string, string>>): AuthPlan {
  const identityId = identity.clientid;
  return {
    purpose: 'workload-identity',
    podIdentity: { provider: 'azure-workload', ...(identityId ? { identityId } : {}) },
  };
}

function identityValue(context: Context, conn: Connection, what: string, ...suffixes: string[]): string {
  for (const suffix of suffixes) {
    const value = conn.identity?.[suffix.toLowerCase()];
    if (value) return value;
  }
  throw new UserError(
    `${context.fn.source}: function '${context.fn.name}': connection '${conn.setting}' is identity-based but ${suffixes.map((s) => `${conn.setting}__${s}`).join(' or ')} is not set (KEDA needs the ${what})`,
    context.fn.source,
  );
}

/** The first DNS label of a host name or URL: the account or namespace name. */
function firstLabel(context: Context, conn: Connection, value: string): string {
  const isUrl = /^[a-z]+:\/\//i.test(value);
  const host = isUrl && URL.canParse(value) ? new URL(value).hostname : isUrl ? '' : value;
  const label = host.split('.')[0] ?? '';
  if (label === '')
    throw new UserError(
      `${context.fn.source}: function '${context.fn.name}': connection '${conn.setting}' names no host (a malformed URL in its identity settings)`,
      context.fn.source,
    );
  return label;
}

function storageAccount(context: Context, conn: Connection, service: 'queue' | 'blob'): Record<string, string> {
  const name =
    conn.identity?.accountname ??
    firstLabel(context, conn, identityValue(context, conn, 'storage account', 'accountName', `${service}ServiceUri`));
  return { accountName: name };
}

function storageQueue(context: Context): ScalerPlan {
  const queueName = required(context, 'queueName');
  const conn = connection(context, stringProperty(context.fn.trigger, 'connection'), 'AzureWebJobsStorage');
  if (conn.identity) {
    return {
      type: 'azure-queue',
      metadata: { queueName, ...storageAccount(context, conn, 'queue') },
      auth: workloadIdentity(conn.identity),
    };
  }
  return { type: 'azure-queue', metadata: { queueName, connectionFromEnv: conn.setting } };
}

function storageBlob(context: Context): ScalerPlan {
  const path = required(context, 'path');
  const slash = path.indexOf('/');
  const blobContainerName = slash < 0 ? path : path.slice(0, slash);
  // The literal folders of the path after the container narrow what KEDA counts;
  // KEDA adds the '/' itself, and a partial name cannot be a prefix.
  const literal = slash < 0 ? '' : (path.slice(slash + 1).split('{')[0] ?? '');
  const blobPrefix = literal.slice(0, Math.max(literal.lastIndexOf('/'), 0));
  const metadata = { blobContainerName, ...(blobPrefix ? { blobPrefix } : {}) };
  const conn = connection(context, stringProperty(context.fn.trigger, 'connection'), 'AzureWebJobsStorage');
  if (conn.identity) {
    return {
      type: 'azure-blob',
      metadata: { ...metadata, ...storageAccount(context, conn, 'blob') },
      auth: workloadIdentity(conn.identity),
    };
  }
  return { type: 'azure-blob', metadata: { ...metadata, connectionFromEnv: conn.setting } };
}

function serviceBus(context: Context): ScalerPlan {
  const { fn } = context;
  const queue = stringProperty(fn.trigger, 'queueName');
  const topic = stringProperty(fn.trigger, 'topicName');
  let entity: Record<string, string>;
  if (queue) {
    entity = { queueName: resolved(context, 'queueName', queue) };
  } else if (topic) {
    entity = {
      topicName: resolved(context, 'topicName', topic),
      subscriptionName: required(context, 'subscriptionName'),
    };
  } else {
    throw new UserError(
      `${fn.source}: function '${fn.name}': serviceBusTrigger needs "queueName", or "topicName" and "subscriptionName"`,
      fn.source,
    );
  }
  const conn = connection(context, stringProperty(context.fn.trigger, 'connection'), 'AzureWebJobsServiceBus');
  if (conn.identity) {
    const namespace = firstLabel(
      context,
      conn,
      identityValue(context, conn, 'Service Bus namespace', 'fullyQualifiedNamespace'),
    );
    return { type: 'azure-servicebus', metadata: { ...entity, namespace }, auth: workloadIdentity(conn.identity) };
  }
  return { type: 'azure-servicebus', metadata: { ...entity, connectionFromEnv: conn.setting } };
}

function eventHub(context: Context): ScalerPlan {
  const { fn } = context;
  // `path` is the 1.x spelling of eventHubName.
  const hubName = stringProperty(fn.trigger, 'eventHubName') || stringProperty(fn.trigger, 'path');
  const consumerGroup = stringProperty(fn.trigger, 'consumerGroup');
  const conn = connection(context, stringProperty(context.fn.trigger, 'connection'), 'AzureWebJobsEventHub');
  const storage = connection(context, '', 'AzureWebJobsStorage');
  const metadata: Record<string, string> = {
    ...(hubName ? valueOrEnv(context, 'eventHubName', hubName) : {}),
    consumerGroup: consumerGroup ? resolved(context, 'consumerGroup', consumerGroup) : '$Default',
    // Read the checkpoints the Functions host writes, not KEDA's own layout.
    checkpointStrategy: 'azureFunction',
  };
  if (storage.identity) {
    metadata.storageAccountName =
      storage.identity.accountname ??
      firstLabel(
        context,
        storage,
        identityValue(context, storage, 'checkpoint storage account', 'accountName', 'blobServiceUri'),
      );
  } else {
    metadata.storageConnectionFromEnv = storage.setting;
  }
  if (!conn.identity) {
    if (storage.identity) {
      // KEDA uses one credential for both: a pod identity would need the hub by identity too.
      throw new UserError(
        `${fn.source}: function '${fn.name}': the event hub connection '${conn.setting}' is a connection string but '${storage.setting}' is identity-based; KEDA needs both the same way`,
        fn.source,
      );
    }
    return { type: 'azure-eventhub', metadata: { ...metadata, connectionFromEnv: conn.setting } };
  }
  if (!hubName) {
    throw new UserError(
      `${fn.source}: function '${fn.name}': an identity-based eventHubTrigger needs "eventHubName"`,
      fn.source,
    );
  }
  metadata.eventHubNamespace = firstLabel(
    context,
    conn,
    identityValue(context, conn, 'Event Hubs namespace', 'fullyQualifiedNamespace'),
  );
  return { type: 'azure-eventhub', metadata, auth: workloadIdentity(conn.identity) };
}

const KAFKA_SASL: Readonly<Record<string, string>> = {
  plain: 'plaintext',
  scramsha256: 'scram_sha256',
  scramsha512: 'scram_sha512',
  gssapi: 'gssapi',
  oauthbearer: 'oauthbearer',
};

function kafka(context: Context): ScalerPlan {
  const { fn, settings } = context;
  const brokerList = present(context, 'brokerList');
  // Like the Kafka extension, a bare brokerList may name an app setting.
  const brokers =
    settingReference(brokerList) !== undefined
      ? valueOrEnv(context, 'bootstrapServers', brokerList)
      : settings.values[brokerList] !== undefined || !/^[^\s,]+:\d+(,[^\s,]+:\d+)*$/.test(brokerList)
        ? valueOrEnv(context, 'bootstrapServers', `%${brokerList}%`)
        : { bootstrapServers: brokerList };
  const topic = present(context, 'topic');
  const metadata: Record<string, string> = {
    ...brokers,
    ...valueOrEnv(context, 'topic', topic),
    ...valueOrEnv(context, 'consumerGroup', stringProperty(fn.trigger, 'consumerGroup') || '$Default'),
  };
  const protocol = stringProperty(fn.trigger, 'protocol').toLowerCase();
  const mode = stringProperty(fn.trigger, 'authenticationMode').toLowerCase().replace(/[-_]/g, '');
  const usesSasl = protocol.startsWith('sasl');
  if (protocol === 'ssl' || protocol === 'saslssl') metadata.tls = 'enable';
  if (usesSasl) {
    const sasl = Object.hasOwn(KAFKA_SASL, mode || 'plain') ? KAFKA_SASL[mode || 'plain'] : undefined;
    if (!sasl) {
      throw new UserError(
        `${fn.source}: function '${fn.name}': kafkaTrigger "authenticationMode" '${mode}' is not one KEDA supports (plain, scramSha256, scramSha512, gssapi, oauthBearer)`,
        fn.source,
      );
    }
    metadata.sasl = sasl;
  }
  const env: { parameter: string; name: string }[] = [];
  const literals: Record<string, string> = {};
  for (const parameter of ['username', 'password']) {
    const value = stringProperty(fn.trigger, parameter);
    if (!value) continue;
    // As for brokerList, a bare value that names an app setting means that setting.
    const setting = settingReference(value) ?? (settings.values[value] !== undefined ? value : undefined);
    if (setting === undefined) {
      literals[parameter] = value;
    } else {
      expectSetting(context, setting);
      env.push({ parameter, name: setting });
    }
  }
  if (usesSasl && env.length + Object.keys(literals).length === 0) {
    throw new UserError(
      `${fn.source}: function '${fn.name}': kafkaTrigger uses SASL but has no "username" and "password"`,
      fn.source,
    );
  }
  const auth: AuthPlan | undefined =
    env.length + Object.keys(literals).length > 0
      ? { purpose: 'kafka', ...(env.length ? { env } : {}), ...(Object.keys(literals).length ? { literals } : {}) }
      : undefined;
  return { type: 'kafka', metadata, ...(auth ? { auth } : {}) };
}

function rabbitMq(context: Context): ScalerPlan {
  const { fn } = context;
  const queueName = required(context, 'queueName');
  const setting = stringProperty(fn.trigger, 'connectionStringSetting') || stringProperty(fn.trigger, 'connection');
  if (!setting) {
    throw new UserError(
      `${fn.source}: function '${fn.name}': rabbitMQTrigger needs "connectionStringSetting" (the app setting holding the amqp:// URI)`,
      fn.source,
    );
  }
  const host = settingReference(setting) ?? setting;
  expectSetting(context, host);
  return { type: 'rabbitmq', metadata: { queueName, hostFromEnv: host, mode: 'QueueLength', value: '5' } };
}
