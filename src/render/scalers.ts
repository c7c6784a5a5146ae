import { UserError } from '../errors.js';
import { stringProperty } from '../discovery/model.js';
import type { AuthPlan, ScalerPlan } from './plans.js';
import {
  type Context,
  connection,
  expectSetting,
  firstLabel,
  identityValue,
  present,
  required,
  resolved,
  settingReference,
  storageAccount,
  valueOrEnv,
  workloadIdentity,
} from './trigger-context.js';

/** One KEDA scaler a trigger type: the metadata and authentication KEDA needs for the function's source. */

export function storageQueue(context: Context): ScalerPlan {
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

export function storageBlob(context: Context): ScalerPlan {
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

export function serviceBus(context: Context): ScalerPlan {
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

export function eventHub(context: Context): ScalerPlan {
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
        `${fn.source}: function '${fn.name}': the event hub connection '${conn.setting}' is a connection ` +
          `string but '${storage.setting}' is identity-based; KEDA needs both the same way`,
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

export function kafka(context: Context): ScalerPlan {
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
        `${fn.source}: function '${fn.name}': kafkaTrigger "authenticationMode" '${mode}' is not one KEDA ` +
          `supports (plain, scramSha256, scramSha512, gssapi, oauthBearer)`,
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

export function rabbitMq(context: Context): ScalerPlan {
  const { fn } = context;
  const queueName = required(context, 'queueName');
  const setting = stringProperty(fn.trigger, 'connectionStringSetting') || stringProperty(fn.trigger, 'connection');
  if (!setting) {
    throw new UserError(
      `${fn.source}: function '${fn.name}': rabbitMQTrigger needs "connectionStringSetting" (the app setting ` +
        `holding the amqp:// URI)`,
      fn.source,
    );
  }
  const host = settingReference(setting) ?? setting;
  expectSetting(context, host);
  return { type: 'rabbitmq', metadata: { queueName, hostFromEnv: host, mode: 'QueueLength', value: '5' } };
}
