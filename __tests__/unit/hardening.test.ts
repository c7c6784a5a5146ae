import type { KubeConfig } from '@kubernetes/client-node';
import { type LeasePolicy, requireLeasePermission, takeAppLease } from '../../src/apply/lease.js';
import { isNamespaceTerminating } from '../../src/cluster/status.js';
import { ApiException, type V1Secret } from '@kubernetes/client-node';
import { clusterSettingsHashKey } from '../../src/commands/deploy-cluster.js';
import { describeFailure, UserError } from '../../src/errors.js';
import { resolveRenderCommand } from '../../src/inputs/resolve.js';
import { notOwnedBecause } from '../../src/inventory/inventory.js';
import { appLabels, FIELD_MANAGER, keysSecretName, SETTINGS_HASH_KEY_ANNOTATION } from '../../src/inventory/labels.js';
import type { FunctionDefinition } from '../../src/discovery/model.js';
import { render } from '../../src/render/render.js';
import { isSecretSetting, looksSecret } from '../../src/render/secret-values.js';
import { app, find, fn, options } from './app-builder.js';
import { runCli } from './shared-fixtures.js';
import { appWith, workFolder } from './temp-app.js';

const work = workFolder('hardening');
const base = { image: 'reg.io/orders:1', 'app-path': 'examples/orders' };

describe("what is an app's in a shared namespace", () => {
  test("an app named like another app's keys Secret is refused: its settings Secret would be that Secret", () => {
    const named = keysSecretName('a');
    expect(() => resolveRenderCommand({ ...base, name: named })).toThrow(UserError);
    expect(() => resolveRenderCommand({ ...base, name: named })).toThrow(
      `input 'name': '${named}' starts with 'func-keys-kube-secret-': the app's settings Secret, named after it, ` +
        `would be the keys Secret of app 'a'; choose another name`,
    );
    // A name that merely contains the words is fine.
    expect(resolveRenderCommand({ ...base, name: 'my-func-keys-kube-secret-a' }).render.name).toBe(
      'my-func-keys-kube-secret-a',
    );
  });

  test("an object is the app's by its instance label, or, unlabelled, when this product wrote it", () => {
    const secret = (metadata: object) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', ...metadata } });
    expect(notOwnedBecause(secret({ labels: appLabels('a') }), 'a')).toBeUndefined();
    expect(notOwnedBecause(secret({ labels: appLabels('b') }), 'a')).toBe("belongs to app 'b'");
    // Labelled as another app's, even though we wrote it: the label decides.
    expect(notOwnedBecause(secret({ labels: appLabels('b'), managedFields: [{ manager: FIELD_MANAGER }] }), 'a')).toBe(
      "belongs to app 'b'",
    );
    // What the Functions host leaves when it replaces the keys Secret: no labels, our apply still on record.
    expect(
      notOwnedBecause(secret({ managedFields: [{ manager: 'dotnet' }, { manager: FIELD_MANAGER }] }), 'a'),
    ).toBeUndefined();
    expect(notOwnedBecause(secret({ managedFields: [{ manager: 'kubectl-create' }] }), 'a')).toBe(
      'was not created by aks-functions-deploy',
    );
    expect(notOwnedBecause(secret({}), 'a')).toBe('was not created by aks-functions-deploy');
  });
});

describe('a failure is one line, whoever wrote its message', () => {
  test.each([
    ['an apiserver Status', { code: 500, body: JSON.stringify({ message: 'etcd\nfailed \u001b[31mred\u001b[0m' }) }],
    ['an apiserver body that is not JSON', { code: 404, body: '404 page not found\n\u001b]0;title\u0007' }],
    ['an unexpected exception', new Error('first line\nsecond line\r\u001b[2J')],
  ])('%s', (_, error) => {
    const { message } = describeFailure(error);
    expect(message.split('\n')).toHaveLength(1);
    // eslint-disable-next-line no-control-regex
    expect(message).not.toMatch(/[\u0000-\u001f\u007f]/);
    // Shown escaped, not dropped.
    expect(message).toMatch(/\\n|\\r/);
  });
});

describe("the app's deploy Lease where Leases are refused", () => {
  // client-node's ApiException, as the apiserver's Status arrives in it.
  const refusal = (causes: object[] = []) =>
    Object.assign(new Error('HTTP-Code: 403'), {
      code: 403,
      body: JSON.stringify({ kind: 'Status', code: 403, reason: 'Forbidden', details: { causes } }),
    });
  const take = async (policy: LeasePolicy, error: object) => {
    const warnings: string[] = [];
    let asked = 0;
    const api = {
      createNamespacedLease: () => {
        asked++;
        return Promise.reject(error);
      },
    };
    const config = { makeApiClient: () => api } as unknown as KubeConfig;
    const log = { info: () => undefined, warning: (message: string) => warnings.push(message) };
    const outcome = await takeAppLease(config, 'team', 'orders', policy, Date.now() + 1000, {}, log).then(
      (lease) => ({ lease, failure: undefined as unknown }),
      (failure: unknown) => ({ lease: undefined, failure }),
    );
    return { ...outcome, warnings, asked };
  };

  test('if-permitted goes on without it, and says so and how to refuse that', async () => {
    const { lease, warnings } = await take('if-permitted', refusal());
    expect(lease).toBeUndefined();
    expect(warnings).toEqual([
      'no permission to create Leases in namespace team: going on without the guard against a concurrent deploy ' +
        'of orders (deploy-lease: required refuses this; off does not try)',
    ]);
  });

  test('required refuses to go on, naming the permission', async () => {
    const { failure, warnings } = await take('required', refusal());
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as Error).message).toMatch(
      /^no permission to create Leases in namespace team, which deploy-lease: required needs: grant .*leases\.coordination\.k8s\.io/,
    );
    expect(warnings).toEqual([]);
  });

  test('required asks before anything changes whether this identity may create the Lease', async () => {
    const asked: unknown[] = [];
    const reviewing = (allowed: boolean) =>
      ({
        makeApiClient: () => ({
          createSelfSubjectAccessReview: async ({ body }: { body: unknown }) => {
            asked.push(body);
            return { status: { allowed } };
          },
        }),
      }) as unknown as KubeConfig;
    await expect(requireLeasePermission(reviewing(true), 'team')).resolves.toBeUndefined();
    await expect(requireLeasePermission(reviewing(false), 'team')).rejects.toThrow(
      /^no permission to create Leases in namespace team, which deploy-lease: required needs/,
    );
    expect(asked[0]).toEqual({
      spec: {
        resourceAttributes: { namespace: 'team', verb: 'create', group: 'coordination.k8s.io', resource: 'leases' },
      },
    });
  });

  test('off never asks', async () => {
    const { lease, asked } = await take('off', refusal());
    expect(lease).toBeUndefined();
    expect(asked).toBe(0);
  });

  test('a 403 because the namespace is being deleted is not a missing permission', async () => {
    const terminating = refusal([{ reason: 'NamespaceTerminating', field: 'metadata.namespace' }]);
    expect(isNamespaceTerminating(terminating)).toBe(true);
    expect(isNamespaceTerminating(refusal())).toBe(false);
    const { failure, warnings } = await take('if-permitted', terminating);
    expect(failure).toBe(terminating);
    expect(warnings).toEqual([]);
  });
});

describe('a setting inlined into ScaledObject metadata must not look like a secret', () => {
  const CONN = 'Endpoint=sb://hub.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=Zm9vYmFyYmF6cXV4';
  const hub = (trigger: Record<string, string>) =>
    fn('Hub', { type: 'eventHubTrigger', eventHubName: 'telemetry', ...trigger });
  const scalerMetadata = (functions: FunctionDefinition[], settings: Record<string, string>) =>
    (find(render(app(functions, settings), options()).objects, 'ScaledObject', 'orders').spec.triggers[0]?.metadata ??
      {}) as Record<string, string>;
  const failure = (act: () => unknown): UserError => {
    try {
      act();
    } catch (error) {
      if (error instanceof UserError) return error;
      throw error;
    }
    throw new Error('no error');
  };

  test('a connection string as consumerGroup is refused, naming the function, property and setting, not the value', () => {
    const error = failure(() => scalerMetadata([hub({ consumerGroup: '%Conn%' })], { Conn: CONN }));
    expect(error.message).toMatch(
      /^Hub\/function\.json: function 'Hub': "consumerGroup" refers to app setting 'Conn', whose value looks like a secret .*use an app setting that holds only the consumerGroup$/,
    );
    for (const part of [CONN, 'SharedAccessKey=', 'Zm9vYmFyYmF6cXV4']) expect(error.message).not.toContain(part);
  });

  test('a queue name from a setting holding a storage key is refused too', () => {
    const queue = fn('Orders', { type: 'queueTrigger', queueName: '%Queue%' });
    const key = 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0a2V5dmFsdWU=';
    expect(() => scalerMetadata([queue], { Queue: key })).toThrow(/"queueName" refers to app setting 'Queue'/);
  });

  test('a field KEDA can read from the environment says to write the setting alone', () => {
    const error = failure(() => scalerMetadata([hub({ eventHubName: 'hub-%Conn%' })], { Conn: CONN }));
    expect(error.message).toMatch(/"eventHubName" as '%Conn%' alone, .*\(eventHubNameFromEnv\)$/);
    expect(error.message).not.toContain(CONN);
  });

  test('a plain value is still inlined, and a %Setting% field with a FromEnv form still reads the environment', () => {
    const metadata = scalerMetadata([hub({ consumerGroup: '%Group%', eventHubName: '%Hub%' })], {
      Group: 'orders-consumers',
      Hub: CONN,
    });
    expect(metadata).toMatchObject({ consumerGroup: 'orders-consumers', eventHubNameFromEnv: 'Hub' });
    expect(metadata.eventHubName).toBeUndefined();
  });

  test.each([
    ['an account key', 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abc'],
    ['a shared access key', 'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=r;SharedAccessKey=k'],
    ['a SQL password', 'Server=tcp:db,1433;User ID=app;Password=hunter2'],
    ['an ODBC pwd', 'Driver={x};Uid=app;pwd=hunter2'],
    ['a SAS URL', 'https://a.blob.core.windows.net/c?sv=2022-11-02&sig=abc%3D'],
    ['a URL with a password', 'amqp://user:pa55@rabbit:5672/vhost'],
    ['an endpoint connection string', 'Endpoint=https://x.azconfig.io;Id=abc;Secret=xyz'],
    ['a PEM block', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----'],
    ['a base64 key', 'xezSAfvW3RT4wjJQA8TLrfL+rPqn/3xhKM4Feeluih0='],
    ['a hex token', 'fca5fd1743fd5ae64b0c8091f6c53aed72839540'],
    ['a Redis connection string', 'cache.redis.cache.windows.net:6380,password=hunter2,ssl=True'],
  ])('%s looks secret', (_, value) => {
    expect(looksSecret(value)).toBe(true);
  });

  test.each([
    'orders',
    '$Default',
    'orders-processing-consumer-group-production',
    'MyApplicationEventHubConsumerGroup01',
    'TelemetryIngestionPipelineSubscriptionA1B2',
    'a1b2c3d4-e5f6-7890-abcd-ef1234567890',
    'https://ns.servicebus.windows.net/',
    'UseDevelopmentStorage=true',
    // Entity names as random-looking as keys, but without base64's `+` or `=`.
    'OrderCreatedV2-Subscription-EU1-Prod-7',
    'orders.v2.Created-EU-1-x9Y8z7W6-retry',
    'projects/abc/topics/orders-v2-EU-West-2024-09',
    'evt-hub-ns-9f8e7d6c5b4a39281726354433221100',
  ])('%s does not', (value) => {
    expect(looksSecret(value)).toBe(false);
  });

  test.each([
    'StorageAccountKey',
    'APPINSIGHTS_INSTRUMENTATIONKEY',
    'APPLICATIONINSIGHTS_CONNECTION_STRING',
    'ServiceBusConnection',
    'Kafka__Password',
    'db.pwd',
    'SAS_TOKEN',
    'Api-Key',
    'Client__Secret',
    'SigningCertificate',
  ])('a setting named %s is secret, whatever its value', (name) => {
    expect(isSecretSetting(name, 'orders')).toBe(true);
  });

  test.each([
    'FUNCTIONS_WORKER_RUNTIME',
    'AzureWebJobsStorage__accountName',
    'SharedAccessKeyName',
    'OrdersQueue',
    'KeyVaultName',
    'AuditBus__fullyQualifiedNamespace',
  ])('a setting named %s is secret only by its value', (name) => {
    expect(isSecretSetting(name, 'orders')).toBe(false);
    expect(isSecretSetting(name, CONN)).toBe(true);
  });

  test('a setting longer than any name is secret without being scanned', () => {
    expect(isSecretSetting('Blob', 'v'.repeat(2049))).toBe(true);
    expect(isSecretSetting('Blob', 'v'.repeat(2048))).toBe(false);
  });

  test('a setting whose name says it is a secret is never inlined into the ScaledObject, and named, not quoted', () => {
    const queue = fn('Orders', { type: 'queueTrigger', queueName: '%QueueToken%' });
    const error = failure(() => scalerMetadata([queue], { QueueToken: 'orders-token-value' }));
    expect(error.message).toMatch(/"queueName" refers to app setting 'QueueToken', whose name says it holds a secret/);
    expect(error.message).not.toContain('orders-token-value');
  });

  test('render (the bundle) refuses it with one error line, and never prints the value', () => {
    const renderHub = (trigger: Record<string, string>) =>
      runCli([
        'render',
        '--app-path',
        appWith(work, {
          'host.json': '{"version":"2.0"}',
          'Hub/function.json': JSON.stringify({
            bindings: [{ type: 'eventHubTrigger', direction: 'in', name: 'e', eventHubName: 'h', ...trigger }],
          }),
        }),
        '--name',
        'orders',
        '--image',
        'reg.io/orders:1',
        '--app-settings',
        `Conn=${CONN}`,
      ]);
    const refused = renderHub({ consumerGroup: '%Conn%' });
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^error: [^\n]*"consumerGroup" refers to app setting 'Conn'[^\n]*\n$/);
    // Where KEDA reads it from the environment, the YAML names the setting only.
    const rendered = renderHub({ eventHubName: '%Conn%' });
    expect(rendered.status).toBe(0);
    expect(rendered.stdout).toContain('eventHubNameFromEnv: Conn');
    for (const text of [refused.stderr, rendered.stdout, rendered.stderr]) {
      expect(text).not.toContain(CONN);
      expect(text).not.toContain(Buffer.from(CONN).toString('base64'));
    }
  });
});

describe("a deploy keys the settings-hash with the key of the app's own settings Secret", () => {
  const KEY = Buffer.alloc(32, 9).toString('base64');
  // The one call the key needs, answered from a fixed Secret (or a failure), counting the requests.
  const core = (answer: V1Secret | ApiException<string>) => {
    const requests: { name: string; namespace: string }[] = [];
    return {
      requests,
      readNamespacedSecret: async (request: { name: string; namespace: string }) => {
        requests.push(request);
        if (answer instanceof ApiException) throw answer;
        return answer;
      },
    };
  };
  const secret = (labels: Record<string, string> | undefined, key: string | undefined = KEY): V1Secret => ({
    metadata: { name: 'orders', labels, ...(key ? { annotations: { [SETTINGS_HASH_KEY_ANNOTATION]: key } } : {}) },
  });

  test("the key of a Secret labelled as the app's is reused, in one GET", async () => {
    const api = core(secret({ ...appLabels('orders'), 'app.kubernetes.io/component': 'settings' }));
    await expect(clusterSettingsHashKey(api, 'orders', 'shop')).resolves.toBe(KEY);
    expect(api.requests).toEqual([{ name: 'orders', namespace: 'shop' }]);
  });

  test.each([
    ["another app's labels", secret(appLabels('billing'))],
    ['no labels', secret(undefined)],
    ['a managed-by label but not the instance', secret({ 'app.kubernetes.io/managed-by': 'aks-functions-deploy' })],
    ["the app's labels but a key not of our making", secret(appLabels('orders'), 'short')],
    ["the app's labels and no key", secret(appLabels('orders'), '')],
  ])('a Secret with %s gives a new key', async (_, found) => {
    const key = await clusterSettingsHashKey(core(found), 'orders', 'shop');
    expect(key).not.toBe(KEY);
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
  });

  test('no Secret yet: a new key each time; any other failure stops the deploy', async () => {
    const missing = new ApiException(404, 'Not Found', '{"code":404}', {});
    const first = await clusterSettingsHashKey(core(missing), 'orders', 'shop');
    expect(Buffer.from(first, 'base64')).toHaveLength(32);
    expect(await clusterSettingsHashKey(core(missing), 'orders', 'shop')).not.toBe(first);
    const forbidden = new ApiException(403, 'Forbidden', '{"code":403,"message":"no"}', {});
    await expect(clusterSettingsHashKey(core(forbidden), 'orders', 'shop')).rejects.toThrow(
      new UserError(
        'reading Secret/orders in namespace shop (its settings-hash key) is forbidden: grant this identity get on ' +
          'secrets there',
      ),
    );
    const broken = new ApiException(400, 'Bad Request', '{"code":400,"message":"bad"}', {});
    await expect(clusterSettingsHashKey(core(broken), 'orders', 'shop')).rejects.toBe(broken);
  });
});
