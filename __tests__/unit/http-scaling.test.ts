import { UserError } from '../../src/errors.js';
import { resolveRenderCommand } from '../../src/inputs/resolve.js';
import { render, type PrometheusScaling } from '../../src/render/render.js';
import { rolloutTargets } from '../../src/wait/watch.js';
import { app, find, fn, kinds, options } from './app-builder.js';

const queue = fn('ProcessOrder', { type: 'queueTrigger', queueName: 'orders' });
const http = fn('GetOrder', { type: 'httpTrigger', authLevel: 'function' });
const SETTINGS = { AzureWebJobsStorage: 'UseDevelopmentStorage=true', PromHost: 'prometheus.monitoring' };
const QUERY = 'sum(rate(http_requests_total{service="orders-http"}[1m]))';
const PROMETHEUS: PrometheusScaling = {
  serverAddress: 'http://prometheus.monitoring:9090',
  query: QUERY,
  threshold: '50',
  auth: {},
};
const renderWith = (
  prometheus: Partial<PrometheusScaling>,
  scaling: Parameters<typeof options>[1] = {},
  settings: Record<string, string> = SETTINGS,
) =>
  render(app([queue, http], settings), options({}, { httpPrometheus: { ...PROMETHEUS, ...prometheus }, ...scaling }));

describe('render with http-scaler prometheus', () => {
  const { objects, warnings } = renderWith({ maxReplicas: 20 }, { httpReplicas: 2, pollingIntervalSeconds: 5 });

  test('a second ScaledObject, for the HTTP Deployment, last in apply order', () => {
    expect(kinds(objects).slice(-3)).toEqual([
      'Deployment/orders-http',
      'ScaledObject/orders',
      'ScaledObject/orders-http',
    ]);
    expect(warnings).toEqual([]);
  });

  test('the HTTP Deployment has no replicas: they belong to the HPA', () => {
    const deployment = find(objects, 'Deployment', 'orders-http');
    expect(deployment.spec.replicas).toBeUndefined();
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
  });

  test('the ScaledObject scales it from http-replicas (never 0) to http-max-replicas on the query', () => {
    const scaled = find(objects, 'ScaledObject', 'orders-http');
    expect(scaled.metadata.labels['app.kubernetes.io/component']).toBe('http');
    expect(scaled.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders-http' },
      minReplicaCount: 2,
      maxReplicaCount: 20,
      pollingInterval: 5,
      triggers: [
        {
          type: 'prometheus',
          metadata: { serverAddress: 'http://prometheus.monitoring:9090', query: QUERY, threshold: '50' },
        },
      ],
    });
  });

  test("the rollout waits for it as for the event-driven one, and proves the HTTP Deployment's version", () => {
    const targets = rolloutTargets('orders', 'shop', objects, 'img');
    expect(targets.scaledObjects).toEqual({ orders: ['azure-queue'], 'orders-http': ['prometheus'] });
    expect(targets.scaledDeployments).toEqual(['orders', 'orders-http']);
  });

  test('without it, the HTTP Deployment keeps its fixed count and there is no second ScaledObject', () => {
    const fixed = render(app([queue, http], SETTINGS), options({}, { httpReplicas: 3 })).objects;
    expect(find(fixed, 'Deployment', 'orders-http').spec.replicas).toBe(3);
    expect(kinds(fixed).filter((kind) => kind.startsWith('ScaledObject/'))).toEqual(['ScaledObject/orders']);
  });

  test("scale-down stabilization goes to the HPA KEDA makes, through the ScaledObject's advanced settings", () => {
    const scaled = find(renderWith({ scaleDownStabilizationSeconds: 0 }).objects, 'ScaledObject', 'orders-http');
    expect(scaled.spec.advanced).toEqual({
      horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } },
    });
    expect(find(objects, 'ScaledObject', 'orders-http').spec.advanced).toBeUndefined();
  });

  test('%Setting% in the address and the query is resolved; a trailing slash of the address is dropped', () => {
    const { metadata } = find(
      renderWith({ serverAddress: 'http://%PromHost%:9090/', query: 'up{host="%PromHost%"} % 7 + up % 3' }).objects,
      'ScaledObject',
      'orders-http',
    ).spec.triggers[0];
    expect(metadata.serverAddress).toBe('http://prometheus.monitoring:9090');
    // PromQL's modulo is no setting reference.
    expect(metadata.query).toBe('up{host="prometheus.monitoring"} % 7 + up % 3');
  });

  test('an app with no HTTP function: a warning, and nothing to scale', () => {
    const rendered = render(app([queue], SETTINGS), options({}, { httpPrometheus: PROMETHEUS }));
    expect(kinds(rendered.objects).filter((kind) => kind.startsWith('ScaledObject/'))).toEqual(['ScaledObject/orders']);
    expect(rendered.warnings).toEqual([
      expect.stringMatching(/^http-scaler: prometheus, but the app has no HTTP functions/),
    ]);
  });
});

describe('authentication to Prometheus', () => {
  const auth = (parameters: Record<string, string>, settings: Record<string, string> = SETTINGS) => {
    const rendered = renderWith({ auth: parameters }, {}, settings);
    const scaled = find(rendered.objects, 'ScaledObject', 'orders-http');
    const trigger = scaled.spec.triggers[0];
    const name = trigger.authenticationRef?.name;
    return {
      rendered,
      trigger,
      triggerAuthentication: name ? find(rendered.objects, 'TriggerAuthentication', name) : undefined,
      secret: rendered.objects.find((object) => object.kind === 'Secret' && object.metadata.name === name) as
        Record<string, any> | undefined,
    };
  };

  test('a %Setting% value is read by KEDA from the HTTP container, never written out', () => {
    const { trigger, triggerAuthentication, secret, rendered } = auth(
      { bearerToken: '%PromToken%' },
      { ...SETTINGS, PromToken: 'abc' },
    );
    expect(trigger.metadata.authModes).toBe('bearer');
    expect(triggerAuthentication?.spec).toEqual({
      env: [{ parameter: 'bearerToken', name: 'PromToken', containerName: 'orders-http' }],
    });
    expect(secret).toBeUndefined();
    expect(
      kinds(rendered.objects).indexOf(`TriggerAuthentication/${triggerAuthentication?.metadata.name}`),
    ).toBeLessThan(kinds(rendered.objects).indexOf('ScaledObject/orders'));
  });

  test('a literal value goes into a Secret of the TriggerAuthentication, not into the ScaledObject', () => {
    const { trigger, triggerAuthentication, secret } = auth({ username: 'keda', password: 'hunter2-long-password' });
    expect(trigger.metadata.authModes).toBe('basic');
    expect(JSON.stringify(trigger)).not.toContain('hunter2');
    const name = triggerAuthentication?.metadata.name;
    expect(triggerAuthentication?.spec.secretTargetRef).toEqual([
      { parameter: 'username', name, key: 'username' },
      { parameter: 'password', name, key: 'password' },
    ]);
    expect(Buffer.from(secret?.data.password, 'base64').toString()).toBe('hunter2-long-password');
  });

  test('Azure Monitor managed Prometheus: the workload identity of KEDA, and no authModes', () => {
    const id = '00000000-1111-2222-3333-444444444444';
    const { trigger, triggerAuthentication } = auth({ podIdentity: 'azure-workload', identityId: id });
    expect(trigger.metadata.authModes).toBeUndefined();
    expect(triggerAuthentication?.spec).toEqual({ podIdentity: { provider: 'azure-workload', identityId: id } });
  });

  test('TLS and a custom header give their modes; a CA alone gives none', () => {
    expect(auth({ cert: '%Cert%', key: '%Key%' }).trigger.metadata.authModes).toBe('tls');
    expect(auth({ customAuthHeader: 'X-Token', customAuthValue: '%T%' }).trigger.metadata.authModes).toBe('custom');
    expect(auth({ ca: '%Ca%' }).trigger.metadata.authModes).toBeUndefined();
  });

  test('a setting the app settings lack: a warning naming it', () => {
    expect(auth({ bearerToken: '%Missing%' }).rendered.warnings).toEqual([
      expect.stringMatching(/^input 'http-prometheus-auth': bearerToken reads app setting 'Missing', which is not in/),
    ]);
  });
});

describe('render refuses', () => {
  test.each([
    [
      { serverAddress: 'http://%Nope%:9090' },
      /^input 'http-prometheus-server-address' refers to app setting 'Nope', which is not in the app settings/,
    ],
    [{ query: 'up{job="%Nope%"}' }, /^input 'http-prometheus-query' refers to app setting 'Nope'/],
    [
      { serverAddress: '%Conn%' },
      /^input 'http-prometheus-server-address' refers to app setting 'Conn', whose value looks like a secret .* use an app setting that holds only the address/,
    ],
    [
      { serverAddress: '%Plain%' },
      /^input 'http-prometheus-server-address', with its app settings resolved, is not a URL/,
    ],
  ])('%j', (prometheus, message) => {
    const settings = { ...SETTINGS, Conn: 'https://user:pass@prom.example/', Plain: 'prometheus 9090' };
    expect(() => renderWith(prometheus, {}, settings)).toThrow(UserError);
    expect(() => renderWith(prometheus, {}, settings)).toThrow(message);
    // Never the setting's value.
    expect(() => renderWith(prometheus, {}, settings)).not.toThrow(/user:pass|prometheus 9090/);
  });
});

describe('the inputs', () => {
  const base = { name: 'orders', image: 'reg.io/orders:1', 'app-path': 'examples/orders' };
  const prometheus = {
    'http-scaler': 'prometheus',
    'http-prometheus-server-address': 'http://prometheus:9090',
    'http-prometheus-query': QUERY,
    'http-prometheus-threshold': '12.5',
  };
  const scaling = (extra: Record<string, string>) => resolveRenderCommand({ ...base, ...extra }).render.scaling;

  test('fixed is the default: no Prometheus scaling', () => {
    expect(scaling({}).httpPrometheus).toBeUndefined();
    expect(scaling({}).httpReplicas).toBe(1);
  });

  test('prometheus: what render needs, durations in seconds', () => {
    expect(
      scaling({
        ...prometheus,
        'http-max-replicas': '8',
        'http-replicas': '2',
        'http-scale-down-stabilization': '1m',
        'http-prometheus-auth': 'bearerToken=%Token%',
      }),
    ).toMatchObject({
      httpReplicas: 2,
      httpPrometheus: {
        serverAddress: 'http://prometheus:9090',
        query: QUERY,
        threshold: '12.5',
        maxReplicas: 8,
        scaleDownStabilizationSeconds: 60,
        auth: { bearerToken: '%Token%' },
      },
    });
    expect(
      scaling({ ...prometheus, 'http-scale-down-stabilization': '0' }).httpPrometheus?.scaleDownStabilizationSeconds,
    ).toBe(0);
    expect(scaling({ ...prometheus, 'http-prometheus-threshold': '2.5e2' }).httpPrometheus?.threshold).toBe('2.5e2');
  });

  const without = (name: string) => Object.fromEntries(Object.entries(prometheus).filter(([key]) => key !== name));
  test.each([
    [
      without('http-prometheus-server-address'),
      /^input 'http-prometheus-server-address' is required with http-scaler: prometheus/,
    ],
    [without('http-prometheus-query'), /^input 'http-prometheus-query' is required with http-scaler: prometheus/],
    [
      without('http-prometheus-threshold'),
      /^input 'http-prometheus-threshold' is required with http-scaler: prometheus/,
    ],
    [
      { ...prometheus, 'http-prometheus-threshold': '0' },
      /^input 'http-prometheus-threshold': '0' is not a number above 0/,
    ],
    [
      { ...prometheus, 'http-prometheus-threshold': 'lots' },
      /^input 'http-prometheus-threshold': 'lots' is not a number above 0/,
    ],
    [{ ...prometheus, 'http-prometheus-threshold': '-1' }, /is not a number above 0/],
    [{ ...prometheus, 'http-prometheus-threshold': '1e999' }, /is not a number above 0/],
    [{ ...prometheus, 'http-prometheus-threshold': '0x10' }, /is not a number above 0/],
    [
      { ...prometheus, 'http-prometheus-server-address': 'prometheus:9090' },
      /^input 'http-prometheus-server-address' is not an http:\/\/ or https:\/\/ URL/,
    ],
    [
      { ...prometheus, 'http-prometheus-server-address': 'not a url' },
      /^input 'http-prometheus-server-address' is not a URL/,
    ],
    [
      { ...prometheus, 'http-prometheus-server-address': 'https://u:p@prom:9090' },
      /^input 'http-prometheus-server-address' holds credentials/,
    ],
    [{ ...prometheus, 'http-prometheus-server-address': 'http://prom:9090/?x=1' }, /has a query or a fragment/],
    [
      { ...prometheus, 'http-replicas': '5', 'http-max-replicas': '4' },
      /^input 'http-replicas' \(5\), the fewest replicas KEDA keeps, is more than input 'http-max-replicas' \(4\)/,
    ],
    [{ ...prometheus, 'http-replicas': '101' }, /is more than KEDA's default maximum \(100\): give http-max-replicas/],
    [{ ...prometheus, 'http-scaler': 'keda' }, /^input 'http-scaler': 'keda' is not one of fixed, prometheus/],
    [{ 'http-prometheus-query': QUERY }, /^input 'http-prometheus-query' applies only with http-scaler: prometheus/],
    [{ 'http-max-replicas': '9' }, /^input 'http-max-replicas' applies only with http-scaler: prometheus/],
    [
      { 'http-scale-down-stabilization': '1m' },
      /^input 'http-scale-down-stabilization' applies only with http-scaler: prometheus/,
    ],
    [
      { ...prometheus, 'http-prometheus-auth': 'token=abc' },
      /^input 'http-prometheus-auth': a parameter is not one of KEDA's/,
    ],
    [
      { ...prometheus, 'http-prometheus-auth': 'bearerToken=a\nusername=b' },
      /bearerToken and username\/password cannot be combined/,
    ],
    [{ ...prometheus, 'http-prometheus-auth': 'password=a' }, /basic authentication needs username/],
    [{ ...prometheus, 'http-prometheus-auth': 'cert=%C%' }, /tls authentication needs cert and key/],
    [
      { ...prometheus, 'http-prometheus-auth': 'customAuthHeader=X' },
      /custom authentication needs customAuthHeader and customAuthValue/,
    ],
    [{ ...prometheus, 'http-prometheus-auth': 'podIdentity=azure' }, /podIdentity must be azure-workload/],
    [
      { ...prometheus, 'http-prometheus-auth': 'podIdentity=azure-workload\nbearerToken=x' },
      /podIdentity cannot be combined/,
    ],
    [{ ...prometheus, 'http-prometheus-auth': 'identityId=x' }, /identityId needs podIdentity=azure-workload/],
    [
      { ...prometheus, 'http-prometheus-auth': 'bearerToken' },
      /^input 'http-prometheus-auth', line 1: expected KEY=VALUE/,
    ],
  ])('%j is one error', (extra, message) => {
    const resolve = () => resolveRenderCommand({ ...base, ...extra });
    expect(resolve).toThrow(UserError);
    expect(resolve).toThrow(message);
  });

  test('an auth value is never quoted in an error', () => {
    expect(() => scaling({ ...prometheus, 'http-prometheus-auth': 'bearerToken=s3cr3t\npassword=s3cr3t' })).toThrow(
      /^(?!.*s3cr3t)/,
    );
  });
});
