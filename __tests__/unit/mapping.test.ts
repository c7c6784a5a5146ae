import { UserError } from '../../src/errors.js';
import { render } from '../../src/render/render.js';
import { app, find, fn, kinds, options } from './app-builder.js';

/** One test a row of DESIGN.md §4's trigger → KEDA table, asserting the ScaledObject it yields. */
function triggersOf(functions: Parameters<typeof app>[0], settings: Record<string, string> = {}, host = {}) {
  const rendered = render(app(functions, settings, host), options());
  const scaled = find(rendered.objects, 'ScaledObject', 'orders');
  return {
    triggers: scaled.spec.triggers as {
      type: string;
      metadata: Record<string, string>;
      authenticationRef?: { name: string };
    }[],
    scaled,
    rendered,
  };
}

describe('trigger → KEDA mapping', () => {
  test('queueTrigger → azure-queue with queueName and the default connection', () => {
    const { triggers } = triggersOf([fn('Orders', { type: 'queueTrigger', queueName: 'orders', connection: '' })]);
    expect(triggers).toEqual([
      { type: 'azure-queue', metadata: { queueName: 'orders', connectionFromEnv: 'AzureWebJobsStorage' } },
    ]);
  });

  test('queueTrigger with a named connection and a %Setting% queue name resolved at render time', () => {
    const { triggers } = triggersOf(
      [fn('Orders', { type: 'QUEUETRIGGER', queueName: '%OrdersQueue%', connection: 'OrdersStorage' })],
      { OrdersQueue: 'orders-prod', OrdersStorage: 'UseDevelopmentStorage=true' },
    );
    expect(triggers[0]).toEqual({
      type: 'azure-queue',
      metadata: { queueName: 'orders-prod', connectionFromEnv: 'OrdersStorage' },
    });
  });

  test('blobTrigger → azure-blob with the container from path and the literal prefix', () => {
    const { triggers } = triggersOf([
      fn('Images', { type: 'blobTrigger', path: 'uploads/incoming/{name}.png', connection: '' }),
    ]);
    expect(triggers[0]).toEqual({
      type: 'azure-blob',
      metadata: { blobContainerName: 'uploads', blobPrefix: 'incoming', connectionFromEnv: 'AzureWebJobsStorage' },
    });
  });

  test('a partial blob name is not a prefix: only its folders are (KEDA adds the delimiter)', () => {
    const { triggers } = triggersOf([fn('Images', { type: 'blobTrigger', path: 'uploads/in/2024/img-{name}' })]);
    expect(triggers[0]?.metadata.blobPrefix).toBe('in/2024');
    const flat = triggersOf([fn('Images', { type: 'blobTrigger', path: 'uploads/img-{name}' })]);
    expect(flat.triggers[0]?.metadata.blobPrefix).toBeUndefined();
  });

  test('a connection is found as the host finds it: AzureWebJobs<name> first, any case', () => {
    // Both spellings are set for each connection, the bare one first, so only the lookup order can pick.
    const { triggers, rendered } = triggersOf(
      [
        fn('A', { type: 'queueTrigger', queueName: 'a', connection: 'MyStorage' }),
        fn('B', { type: 'queueTrigger', queueName: 'b', connection: 'otherstorage' }),
      ],
      {
        MyStorage: 'UseDevelopmentStorage=true',
        AzureWebJobsMyStorage: 'UseDevelopmentStorage=true',
        OtherStorage: 'UseDevelopmentStorage=true',
        AZUREWEBJOBSOTHERSTORAGE: 'UseDevelopmentStorage=true',
      },
    );
    expect(triggers.map((t) => t.metadata.connectionFromEnv)).toEqual([
      'AzureWebJobsMyStorage',
      'AZUREWEBJOBSOTHERSTORAGE',
    ]);
    expect(rendered.warnings).toEqual([]);
  });

  test('<name> is used when AzureWebJobs<name> is not set, and a set connection string wins over identity settings', () => {
    const { triggers } = triggersOf([fn('A', { type: 'queueTrigger', queueName: 'a', connection: 'MyStorage' })], {
      AzureWebJobsMyStorage__accountName: 'acct',
      mystorage: 'UseDevelopmentStorage=true',
    });
    expect(triggers[0]?.metadata).toEqual({ queueName: 'a', connectionFromEnv: 'mystorage' });
  });

  test('several %Setting% references in one value are all resolved', () => {
    const { triggers } = triggersOf(
      [fn('Orders', { type: 'queueTrigger', queueName: '%Prefix%-orders-%Stage%', connection: 'Store' })],
      { Prefix: 'shop', Stage: 'prod', Store: 'UseDevelopmentStorage=true' },
    );
    expect(triggers[0]?.metadata.queueName).toBe('shop-orders-prod');
  });

  test('blobTrigger with only a container in path has no prefix', () => {
    const { triggers } = triggersOf([
      fn('Images', { type: 'blobTrigger', path: 'samples-workitems/{name}', connection: 'Blobs' }),
    ]);
    expect(triggers[0]?.metadata).toEqual({ blobContainerName: 'samples-workitems', connectionFromEnv: 'Blobs' });
  });

  test('serviceBusTrigger on a queue → azure-servicebus with the AzureWebJobsServiceBus default', () => {
    const { triggers } = triggersOf([fn('Sb', { type: 'serviceBusTrigger', queueName: 'jobs', connection: '' })]);
    expect(triggers[0]).toEqual({
      type: 'azure-servicebus',
      metadata: { queueName: 'jobs', connectionFromEnv: 'AzureWebJobsServiceBus' },
    });
  });

  test('serviceBusTrigger on a topic → topicName + subscriptionName', () => {
    const { triggers } = triggersOf([
      fn('Sb', { type: 'serviceBusTrigger', topicName: 'events', subscriptionName: 'audit', connection: 'Bus' }),
    ]);
    expect(triggers[0]?.metadata).toEqual({ topicName: 'events', subscriptionName: 'audit', connectionFromEnv: 'Bus' });
  });

  test('serviceBusTrigger with a topic and no subscription is refused', () => {
    expect(() => triggersOf([fn('Sb', { type: 'serviceBusTrigger', topicName: 'events' })])).toThrow(
      /needs "subscriptionName"/,
    );
  });

  test('eventHubTrigger → azure-eventhub reading the Functions checkpoints', () => {
    const { triggers } = triggersOf([
      fn('Hub', { type: 'eventHubTrigger', eventHubName: 'telemetry', connection: 'HubConn', consumerGroup: '' }),
    ]);
    expect(triggers[0]).toEqual({
      type: 'azure-eventhub',
      metadata: {
        eventHubName: 'telemetry',
        consumerGroup: '$Default',
        checkpointStrategy: 'azureFunction',
        storageConnectionFromEnv: 'AzureWebJobsStorage',
        connectionFromEnv: 'HubConn',
      },
    });
  });

  test('eventHubTrigger with %Setting% hub name reads it from the environment', () => {
    const { triggers } = triggersOf([
      fn('Hub', { type: 'eventHubTrigger', eventHubName: '%HubName%', consumerGroup: 'cg1' }),
    ]);
    expect(triggers[0]?.metadata).toMatchObject({
      eventHubNameFromEnv: 'HubName',
      consumerGroup: 'cg1',
      connectionFromEnv: 'AzureWebJobsEventHub',
    });
    expect(triggers[0]?.metadata.eventHubName).toBeUndefined();
  });

  test('kafkaTrigger with SASL → kafka trigger plus a TriggerAuthentication', () => {
    const { triggers, rendered } = triggersOf([
      fn('Events', {
        type: 'kafkaTrigger',
        brokerList: '%BrokerList%',
        topic: 'clicks',
        consumerGroup: 'fn',
        protocol: 'saslSsl',
        authenticationMode: 'plain',
        username: '$ConnectionString',
        password: '%KafkaPassword%',
      }),
    ]);
    const trigger = triggers[0];
    expect(trigger?.type).toBe('kafka');
    expect(trigger?.metadata).toEqual({
      bootstrapServersFromEnv: 'BrokerList',
      topic: 'clicks',
      consumerGroup: 'fn',
      tls: 'enable',
      sasl: 'plaintext',
    });
    const authName = trigger?.authenticationRef?.name as string;
    expect(authName).toMatch(/^orders-kafka-[0-9a-f]{8}$/);
    const auth = find(rendered.objects, 'TriggerAuthentication', authName);
    expect(auth.spec.env).toEqual([{ parameter: 'password', name: 'KafkaPassword', containerName: 'orders' }]);
    expect(auth.spec.secretTargetRef).toEqual([{ parameter: 'username', name: authName, key: 'username' }]);
    const literals = find(rendered.objects, 'Secret', authName);
    expect(Buffer.from(literals.data.username, 'base64').toString()).toBe('$ConnectionString');
  });

  test('kafkaTrigger username and password that name app settings are read from them', () => {
    const { triggers, rendered } = triggersOf(
      [
        fn('Events', {
          type: 'kafkaTrigger',
          brokerList: 'b:9092',
          topic: 't',
          protocol: 'SaslPlaintext',
          authenticationMode: 'ScramSha512',
          username: 'KafkaUser',
          password: 'KafkaPassword',
        }),
      ],
      { KafkaUser: 'u', KafkaPassword: 'p' },
    );
    expect(triggers[0]?.metadata.sasl).toBe('scram_sha512');
    const auth = find(rendered.objects, 'TriggerAuthentication', triggers[0]?.authenticationRef?.name as string);
    expect(auth.spec).toEqual({
      env: [
        { parameter: 'username', name: 'KafkaUser', containerName: 'orders' },
        { parameter: 'password', name: 'KafkaPassword', containerName: 'orders' },
      ],
    });
    expect(rendered.objects.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name)).toEqual(['orders']);
  });

  test('a TriggerAuthentication name does not depend on the literal values', () => {
    const named = (password: string) =>
      triggersOf([
        fn('E', {
          type: 'kafkaTrigger',
          brokerList: 'b:9092',
          topic: 't',
          protocol: 'saslSsl',
          username: 'u',
          password,
        }),
      ]).triggers[0]?.authenticationRef?.name;
    expect(named('one')).toBe(named('two'));
  });

  test('kafkaTrigger with protocol ssl and no SASL keeps TLS, with no SASL and no TriggerAuthentication', () => {
    const { triggers, rendered } = triggersOf([
      fn('Events', { type: 'kafkaTrigger', brokerList: 'b1:9093', topic: 'clicks', protocol: 'Ssl' }),
    ]);
    expect(triggers[0]).toEqual({
      type: 'kafka',
      metadata: { bootstrapServers: 'b1:9093', topic: 'clicks', consumerGroup: '$Default', tls: 'enable' },
    });
    expect(rendered.objects.some((o) => o.kind === 'TriggerAuthentication')).toBe(false);
  });

  test.each(['saslSsl', 'SaslPlaintext'])('kafkaTrigger with protocol %s and no credentials is refused', (protocol) => {
    expect(() =>
      triggersOf([fn('Events', { type: 'kafkaTrigger', brokerList: 'b:9092', topic: 't', protocol })]),
    ).toThrow(
      new UserError(
        'Events/function.json: function \'Events\': kafkaTrigger uses SASL but has no "username" and "password"',
      ),
    );
  });

  test('kafkaTrigger with a literal broker list and no SASL needs no TriggerAuthentication', () => {
    const { triggers, rendered } = triggersOf([
      fn('Events', { type: 'kafkaTrigger', brokerList: 'b1:9092,b2:9092', topic: 'clicks' }),
    ]);
    expect(triggers[0]).toEqual({
      type: 'kafka',
      metadata: { bootstrapServers: 'b1:9092,b2:9092', topic: 'clicks', consumerGroup: '$Default' },
    });
    expect(rendered.objects.some((o) => o.kind === 'TriggerAuthentication')).toBe(false);
  });

  test('rabbitMQTrigger → rabbitmq with hostFromEnv from connectionStringSetting', () => {
    const { triggers } = triggersOf([
      fn('Rabbit', { type: 'rabbitMQTrigger', queueName: 'work', connectionStringSetting: 'RabbitConn' }),
    ]);
    expect(triggers[0]).toEqual({
      type: 'rabbitmq',
      metadata: { queueName: 'work', hostFromEnv: 'RabbitConn', mode: 'QueueLength', value: '5' },
    });
  });

  test('rabbitMQTrigger without a queue name is refused, naming the function', () => {
    expect(() =>
      triggersOf([fn('Rabbit', { type: 'rabbitMqTrigger', queueName: '', connectionStringSetting: 'X' })]),
    ).toThrow('Rabbit/function.json: function \'Rabbit\': rabbitMqTrigger needs "queueName"');
  });

  test('durable triggers with the mssql storage provider → mssql scaler', () => {
    const { triggers } = triggersOf(
      [fn('Orchestrator', { type: 'orchestrationTrigger' }), fn('Activity', { type: 'activityTrigger' })],
      {},
      {
        durableStorage: {
          type: 'mssql',
          connectionStringName: 'SqlConn',
          maxConcurrentOrchestrators: 4,
          maxConcurrentActivities: 8,
        },
      },
    );
    // Both durable functions share the task hub: one trigger.
    expect(triggers).toEqual([
      {
        type: 'mssql',
        metadata: {
          query: 'SELECT dt.GetScaleRecommendation(4, 8)',
          targetValue: '1',
          connectionStringFromEnv: 'SqlConn',
        },
      },
    ]);
  });

  test('functions on the same source share one trigger', () => {
    const { triggers } = triggersOf([
      fn('A', { type: 'queueTrigger', queueName: 'q' }),
      fn('B', { type: 'queueTrigger', queueName: 'q' }),
      fn('C', { type: 'queueTrigger', queueName: 'other' }),
    ]);
    expect(triggers.map((t) => t.metadata.queueName)).toEqual(['q', 'other']);
  });
});

describe('triggers KEDA cannot wake', () => {
  test('timerTrigger alone: a Deployment that always runs, no ScaledObject', () => {
    const rendered = render(app([fn('Nightly', { type: 'timerTrigger', schedule: '0 0 * * * *' })]), options());
    expect(kinds(rendered.objects)).toEqual(['Namespace/shop', 'Deployment/orders']);
    expect(find(rendered.objects, 'Deployment', 'orders').spec.replicas).toBe(1);
    expect(rendered.warnings.join('\n')).toMatch(/Nightly.*timerTrigger.*at least one replica/);
  });

  test('timer next to a queue: the ScaledObject keeps at least one replica', () => {
    const { scaled, rendered } = triggersOf([
      fn('Nightly', { type: 'timerTrigger' }),
      fn('Q', { type: 'queueTrigger', queueName: 'q' }),
    ]);
    expect(scaled.spec.minReplicaCount).toBe(1);
    expect(find(rendered.objects, 'Deployment', 'orders').spec.replicas).toBeUndefined();
  });

  test.each(['cosmosDBTrigger', 'sqlTrigger', 'daprTopicTrigger', 'mysqlTrigger', 'someFutureTrigger'])(
    '%s: a warning naming it and one replica',
    (type) => {
      const rendered = render(app([fn('F', { type })]), options({}, { minReplicas: 0 }));
      expect(rendered.warnings).toHaveLength(1);
      expect(rendered.warnings[0]).toContain(type);
      expect(find(rendered.objects, 'Deployment', 'orders').spec.replicas).toBe(1);
    },
  );

  test('durable without mssql: a warning and one replica', () => {
    const rendered = render(app([fn('Orch', { type: 'orchestrationTrigger' })]), options());
    expect(rendered.warnings[0]).toMatch(/Durable Azure Storage backend/);
    expect(find(rendered.objects, 'Deployment', 'orders').spec.replicas).toBe(1);
  });

  test.each(['eventGridTrigger', 'authenticationEventsTrigger'])(
    '%s arrives by webhook: HTTP Deployment, with a warning',
    (type) => {
      const rendered = render(app([fn('Hook', { type })]), options());
      expect(rendered.warnings[0]).toContain(type);
      const http = find(rendered.objects, 'Deployment', 'orders-http');
      expect(http.spec.replicas).toBe(1);
      expect(http.spec.template.spec.containers[0].env[0]).toEqual({
        name: 'AzureFunctionsJobHost__functions__0',
        value: 'Hook',
      });
      expect(rendered.objects.some((o) => o.kind === 'ScaledObject')).toBe(false);
    },
  );

  test('blobTrigger with source EventGrid is a webhook too', () => {
    const rendered = render(app([fn('B', { type: 'blobTrigger', path: 'c/{name}', source: 'EventGrid' })]), options());
    expect(kinds(rendered.objects)).toContain('Deployment/orders-http');
    expect(kinds(rendered.objects)).not.toContain('ScaledObject/orders');
  });
});

describe('app settings in bindings', () => {
  test('an unresolvable %Setting% is an error naming the setting and the function', () => {
    const act = () => triggersOf([fn('Orders', { type: 'queueTrigger', queueName: '%Missing%' })], { Other: 'x' });
    expect(act).toThrow(UserError);
    expect(act).toThrow("Orders/function.json: function 'Orders': \"queueName\" refers to app setting 'Missing'");
  });

  test('a connection setting missing from complete settings gives a warning', () => {
    const { rendered } = triggersOf([fn('Orders', { type: 'queueTrigger', queueName: 'q', connection: 'Nope' })], {
      Other: 'x',
    });
    expect(rendered.warnings.join('\n')).toMatch(/needs app setting 'Nope'/);
  });

  test('no warning when an existing Secret may hold the setting', () => {
    const rendered = render(
      app([fn('Orders', { type: 'queueTrigger', queueName: 'q', connection: 'Nope' })], { Other: 'x' }, {}, false),
      options(),
    );
    expect(rendered.warnings).toEqual([]);
  });
});

describe('identity-based connections', () => {
  test('queue via workload identity: accountName + TriggerAuthentication with podIdentity', () => {
    const { triggers, rendered } = triggersOf(
      [fn('Q', { type: 'queueTrigger', queueName: 'q', connection: 'Store' })],
      {
        Store__queueServiceUri: 'https://acct1.queue.core.windows.net',
        Store__clientId: '11111111-2222-3333-4444-555555555555',
      },
    );
    expect(triggers[0]?.metadata).toEqual({ queueName: 'q', accountName: 'acct1' });
    const auth = find(rendered.objects, 'TriggerAuthentication', triggers[0]?.authenticationRef?.name as string);
    expect(auth.spec).toEqual({
      podIdentity: { provider: 'azure-workload', identityId: '11111111-2222-3333-4444-555555555555' },
    });
  });

  test('service bus via identity: namespace from fullyQualifiedNamespace', () => {
    const { triggers } = triggersOf([fn('Sb', { type: 'serviceBusTrigger', queueName: 'jobs', connection: 'Bus' })], {
      Bus__fullyQualifiedNamespace: 'mybus.servicebus.windows.net',
    });
    expect(triggers[0]?.metadata).toEqual({ queueName: 'jobs', namespace: 'mybus' });
    expect(triggers[0]?.authenticationRef?.name).toMatch(/^orders-workload-identity-/);
  });

  test('event hub via identity: eventHubNamespace, and storage by account name', () => {
    const { triggers } = triggersOf([fn('Hub', { type: 'eventHubTrigger', eventHubName: 'h', connection: 'Hub' })], {
      Hub__fullyQualifiedNamespace: 'hubs.servicebus.windows.net',
      AzureWebJobsStorage__accountName: 'chk',
    });
    expect(triggers[0]?.metadata).toMatchObject({
      eventHubNamespace: 'hubs',
      storageAccountName: 'chk',
      eventHubName: 'h',
    });
    expect(triggers[0]?.metadata.connectionFromEnv).toBeUndefined();
  });

  test('event hub by connection string with identity-based checkpoint storage is refused', () => {
    expect(() =>
      triggersOf([fn('Hub', { type: 'eventHubTrigger', eventHubName: 'h', connection: 'Hub' })], {
        Hub: 'Endpoint=sb://x/',
        AzureWebJobsStorage__accountName: 'chk',
      }),
    ).toThrow(/'Hub' is a connection string but 'AzureWebJobsStorage' is identity-based/);
  });

  test('identity-based connection without the account is refused, naming the settings', () => {
    expect(() =>
      triggersOf([fn('Q', { type: 'queueTrigger', queueName: 'q', connection: 'Store' })], {
        Store__credential: 'managedidentity',
      }),
    ).toThrow(/Store__accountName or Store__queueServiceUri is not set/);
  });
});
