import { createHash } from 'node:crypto';
import { redactSecrets, SECRET_PLACEHOLDER, toYaml } from '../../src/render/manifest.js';
import { render } from '../../src/render/render.js';
import { app, find, fn, kinds, options } from './app-builder.js';

const queue = fn('ProcessOrder', { type: 'queueTrigger', queueName: 'orders' });
const http = fn('GetOrder', { type: 'httpTrigger', authLevel: 'function' });
const settings = {
  AzureWebJobsStorage: 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=k==',
  FUNCTIONS_WORKER_RUNTIME: 'node',
};

describe('render: the objects of an HTTP + queue app', () => {
  const { objects, warnings } = render(app([queue, http], settings), options());

  test('are in apply order', () => {
    expect(kinds(objects)).toEqual([
      'Namespace/shop',
      'Secret/orders',
      'Secret/func-keys-kube-secret-orders',
      'ServiceAccount/orders-function-keys',
      'Role/orders-function-keys',
      'RoleBinding/orders-function-keys',
      'Service/orders-http',
      'Deployment/orders',
      'Deployment/orders-http',
      'ScaledObject/orders',
    ]);
    expect(warnings).toEqual([]);
  });

  test('every namespaced object carries the app labels and the namespace', () => {
    for (const object of objects.filter((o) => o.kind !== 'Namespace')) {
      expect(object.metadata.namespace).toBe('shop');
      expect(object.metadata.labels).toMatchObject({
        'app.kubernetes.io/name': 'orders',
        'app.kubernetes.io/instance': 'orders',
        'app.kubernetes.io/managed-by': 'aks-functions-deploy',
      });
    }
    // Shared by other apps: it names none of them.
    expect(find(objects, 'Namespace', 'shop').metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'aks-functions-deploy',
    });
  });

  test('the settings Secret holds every setting, base64-encoded', () => {
    const secret = find(objects, 'Secret', 'orders');
    expect(secret.type).toBe('Opaque');
    expect(Object.keys(secret.data)).toEqual(['AzureWebJobsStorage', 'FUNCTIONS_WORKER_RUNTIME']);
    expect(Buffer.from(secret.data.FUNCTIONS_WORKER_RUNTIME, 'base64').toString()).toBe('node');
  });

  test('the event-driven Deployment has no replicas: they belong to KEDA', () => {
    const deployment = find(objects, 'Deployment', 'orders');
    expect(deployment.spec.replicas).toBeUndefined();
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe('myacr.azurecr.io/orders:1.0.0');
    expect(container.env).toEqual([{ name: 'AzureFunctionsJobHost__functions__0', value: 'ProcessOrder' }]);
    expect(container.envFrom).toEqual([{ secretRef: { name: 'orders' } }]);
    expect(deployment.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/instance': 'orders',
      'app.kubernetes.io/component': 'events',
    });
    expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
    expect(deployment.spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  test('containers have probes on the host ping and resource requests', () => {
    for (const name of ['orders', 'orders-http']) {
      const container = find(objects, 'Deployment', name).spec.template.spec.containers[0];
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
        expect(container[probe].httpGet).toEqual({ path: '/admin/host/ping', port: 'http' });
      }
      expect(container.ports).toEqual([{ name: 'http', containerPort: 80, protocol: 'TCP' }]);
      expect(container.resources.requests).toEqual({ cpu: '100m', memory: '256Mi' });
    }
  });

  test('the HTTP Deployment runs only the HTTP functions, with replicas and the keys store', () => {
    const deployment = find(objects, 'Deployment', 'orders-http');
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    const pod = deployment.spec.template.spec;
    expect(pod.serviceAccountName).toBe('orders-function-keys');
    expect(pod.containers[0].env).toEqual([
      { name: 'AzureFunctionsJobHost__functions__0', value: 'GetOrder' },
      { name: 'AzureWebJobsSecretStorageType', value: 'kubernetes' },
      { name: 'AzureWebJobsKubernetesSecretName', value: 'secrets/func-keys-kube-secret-orders' },
    ]);
  });

  test('the Service sends port 80 to the HTTP pods', () => {
    const service = find(objects, 'Service', 'orders-http');
    expect(service.spec.type).toBe('LoadBalancer');
    expect(service.spec.selector).toEqual({
      'app.kubernetes.io/instance': 'orders',
      'app.kubernetes.io/component': 'http',
    });
    expect(service.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
  });

  test('function keys: an empty Secret the host fills, and RBAC limited to it', () => {
    const keys = find(objects, 'Secret', 'func-keys-kube-secret-orders');
    expect(keys.data).toBeUndefined();
    const role = find(objects, 'Role', 'orders-function-keys');
    expect(role.rules).toEqual([
      {
        apiGroups: [''],
        resources: ['secrets'],
        resourceNames: ['func-keys-kube-secret-orders'],
        verbs: ['get', 'list', 'watch', 'update', 'patch'],
      },
    ]);
    const binding = find(objects, 'RoleBinding', 'orders-function-keys');
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'orders-function-keys',
    });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'orders-function-keys', namespace: 'shop' }]);
    // Every generated name is a valid lower-case Kubernetes name (the anchors put function names in them).
    for (const object of objects) expect(object.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
  });

  test('the ScaledObject targets the event-driven Deployment', () => {
    const scaled = find(objects, 'ScaledObject', 'orders');
    expect(scaled.apiVersion).toBe('keda.sh/v1alpha1');
    expect(scaled.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders' });
    expect(scaled.spec.minReplicaCount).toBe(0);
    expect(scaled.spec.maxReplicaCount).toBeUndefined();
  });
});

describe('render options', () => {
  test('scaling inputs reach the ScaledObject', () => {
    const { objects } = render(
      app([queue]),
      options({}, { minReplicas: 2, maxReplicas: 7, pollingIntervalSeconds: 5, cooldownSeconds: 60 }),
    );
    expect(find(objects, 'ScaledObject', 'orders').spec).toMatchObject({
      minReplicaCount: 2,
      maxReplicaCount: 7,
      pollingInterval: 5,
      cooldownPeriod: 60,
    });
  });

  test('service type, HTTP replicas and pull secret', () => {
    const { objects } = render(
      app([http]),
      options({}, { serviceType: 'ClusterIP', httpReplicas: 3, pullSecret: 'acr-pull' }),
    );
    expect(find(objects, 'Service', 'orders-http').spec.type).toBe('ClusterIP');
    const deployment = find(objects, 'Deployment', 'orders-http');
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.template.spec.imagePullSecrets).toEqual([{ name: 'acr-pull' }]);
  });

  test('an existing Secret and ConfigMap replace the generated Secret', () => {
    const { objects } = render(app([queue]), options({ secretName: 'orders-prod', configMapName: 'orders-config' }));
    expect(kinds(objects)).not.toContain('Secret/orders');
    const container = find(objects, 'Deployment', 'orders').spec.template.spec.containers[0];
    expect(container.envFrom).toEqual([
      { secretRef: { name: 'orders-prod' } },
      { configMapRef: { name: 'orders-config' } },
    ]);
  });

  test('no settings: no Secret and no envFrom', () => {
    const { objects } = render(app([queue]), options());
    expect(kinds(objects)).not.toContain('Secret/orders');
    expect(find(objects, 'Deployment', 'orders').spec.template.spec.containers[0].envFrom).toBeUndefined();
  });

  test('the default namespace is not rendered as an object', () => {
    const { objects } = render(app([queue]), options({ namespace: 'default' }));
    expect(kinds(objects)).not.toContain('Namespace/default');
  });
});

describe('pod templates change only when the image or the settings change', () => {
  // As a deploy renders: with the key the cluster's settings Secret keeps.
  const settingsHashKey = Buffer.alloc(32, 7).toString('base64');
  const template = (settingsValues: Record<string, string>, overrides = {}, scaling = {}) =>
    render(app([queue, http], settingsValues), options({ settingsHashKey, ...overrides }, scaling))
      .objects.filter((o) => o.kind === 'Deployment')
      .map((d) => JSON.stringify((d as Record<string, any>).spec.template));

  test('scaling changes leave the templates alone', () => {
    expect(
      template(settings, {}, { maxReplicas: 9, minReplicas: 1, httpReplicas: 4, serviceType: 'NodePort' }),
    ).toEqual(template(settings));
  });

  test('a changed setting value changes both templates', () => {
    const changed = template({ ...settings, FUNCTIONS_WORKER_RUNTIME: 'python' });
    expect(changed[0]).not.toEqual(template(settings)[0]);
    expect(changed[1]).not.toEqual(template(settings)[1]);
  });

  test('a new image changes both templates', () => {
    const changed = template(settings, { image: 'myacr.azurecr.io/orders:1.0.1' });
    expect(changed[0]).not.toEqual(template(settings)[0]);
    expect(changed[1]).not.toEqual(template(settings)[1]);
  });

  test('render does not mutate its inputs', () => {
    const input = app([queue, http], settings);
    const frozen = JSON.stringify(input);
    render(input, options());
    expect(JSON.stringify(input)).toBe(frozen);
  });
});

describe('the settings-hash is keyed, and the key is a secret', () => {
  const ANNOTATION = 'aks-functions-deploy/settings-hash';
  const KEY_ANNOTATION = 'aks-functions-deploy/settings-hash-key';
  const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');
  const rendered = (values: Record<string, string>, settingsHashKey?: string) =>
    render(app([queue, http], values), options({ settingsHashKey })).objects;
  const settingsHash = (values: Record<string, string>, settingsHashKey?: string) => {
    const objects = rendered(values, settingsHashKey);
    const hashes = ['orders', 'orders-http'].map(
      (name) => find(objects, 'Deployment', name).spec.template.metadata.annotations[ANNOTATION] as string,
    );
    expect(hashes[1]).toBe(hashes[0]);
    return hashes[0] as string;
  };

  test('the same settings and key give the same hash; another value or another key, another one', () => {
    const reference = settingsHash(settings, key(1));
    expect(reference).toMatch(/^[0-9a-f]{16}$/);
    expect(settingsHash({ ...settings }, key(1))).toBe(reference);
    expect(settingsHash({ ...settings, FUNCTIONS_WORKER_RUNTIME: 'python' }, key(1))).not.toBe(reference);
    expect(settingsHash(settings, key(2))).not.toBe(reference);
  });

  test('the key is on the settings Secret, and without one each render makes its own', () => {
    expect(find(rendered(settings, key(1)), 'Secret', 'orders').metadata.annotations).toEqual({
      [KEY_ANNOTATION]: key(1),
    });
    const fresh = find(rendered(settings), 'Secret', 'orders').metadata.annotations[KEY_ANNOTATION];
    expect(Buffer.from(fresh, 'base64')).toHaveLength(32);
    expect(find(rendered(settings), 'Secret', 'orders').metadata.annotations[KEY_ANNOTATION]).not.toBe(fresh);
  });

  test('a short setting cannot be found by trying values with the unkeyed formula', () => {
    const secretValue = '4821';
    const values = { PIN: secretValue };
    const shown = settingsHash(values, key(1));
    const oldFormula = (candidate: string) =>
      createHash('sha256')
        .update(JSON.stringify([['PIN', candidate]]))
        .digest('hex')
        .slice(0, 16);
    // The old annotation gave the value away in at most 10,000 tries.
    expect(oldFormula(secretValue)).not.toBe(shown);
    const found = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0')).find(
      (candidate) => oldFormula(candidate) === shown,
    );
    expect(found).toBeUndefined();
  });

  test('the YAML without show-secrets holds neither the values nor the key', () => {
    const objects = rendered(settings, key(1));
    const yaml = toYaml(redactSecrets(objects));
    expect(yaml).toContain(`${KEY_ANNOTATION}: '${SECRET_PLACEHOLDER}'`);
    for (const secret of [key(1), ...Object.values(settings)].filter((value) => value !== 'node')) {
      expect(yaml).not.toContain(secret);
      expect(yaml).not.toContain(Buffer.from(secret).toString('base64'));
    }
    // Redaction works on a copy: what is applied keeps the key.
    expect(find(objects, 'Secret', 'orders').metadata.annotations[KEY_ANNOTATION]).toBe(key(1));
  });
});
