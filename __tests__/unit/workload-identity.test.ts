import { loadAllYaml, type V1Deployment } from '@kubernetes/client-node';
import { answers, credentialName, federationNeeds } from '../../src/azure/federation-needs.js';
import { EMBEDDED_KEDA } from '../../src/keda/embedded.js';
import type { KedaFound } from '../../src/keda/keda.js';
import { kedaOperatorWarning, OPERATOR } from '../../src/keda/workload-identity.js';
import { toYaml } from '../../src/render/manifest.js';
import { render } from '../../src/render/render.js';
import { resolveRenderCommand } from '../../src/inputs/resolve.js';
import { verificationJob } from '../../src/wait/verify.js';
import { app, find, fn, kinds, options } from './app-builder.js';

const APP_ID = '0b8a3d4e-1f2a-4c3b-9d8e-7f6a5b4c3d2e';
const BUS_ID = '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f';
const CONTAINER_ID = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

const queue = fn('ProcessOrder', { type: 'queueTrigger', queueName: 'orders', connection: 'Store' });
const bus = fn('Audit', { type: 'serviceBusTrigger', queueName: 'audit', connection: 'Bus' });
const http = fn('GetOrder', { type: 'httpTrigger', authLevel: 'function' });
/** An app that reaches Storage and Service Bus by identity only: not one key or connection string. */
const identitySettings = {
  FUNCTIONS_WORKER_RUNTIME: 'node',
  Store__queueServiceUri: 'https://shopstore.queue.core.windows.net',
  Store__credential: 'managedidentity',
  Store__clientId: APP_ID,
  Bus__fullyQualifiedNamespace: 'shopbus.servicebus.windows.net',
  Bus__credential: 'managedidentity',
};

const podSpec = (objects: ReturnType<typeof render>['objects'], name: string) =>
  find(objects, 'Deployment', name).spec.template;

describe('render of an identity-based app: every pod and KEDA with the same managed identity', () => {
  const { objects, warnings } = render(app([queue, bus, http], identitySettings), options());

  test("the event pods' own ServiceAccount and the keys account both name the identity", () => {
    expect(kinds(objects)).toEqual([
      'Namespace/shop',
      'Secret/orders',
      'Secret/func-keys-kube-secret-orders',
      'ServiceAccount/orders',
      'ServiceAccount/orders-function-keys',
      'Role/orders-function-keys',
      'RoleBinding/orders-function-keys',
      'Service/orders-http',
      'Deployment/orders',
      'Deployment/orders-http',
      expect.stringMatching(/^TriggerAuthentication\/orders-workload-identity-[0-9a-f]{8}$/),
      'ScaledObject/orders',
    ]);
    expect(warnings).toEqual([]);
    for (const account of ['orders', 'orders-function-keys'])
      expect(find(objects, 'ServiceAccount', account).metadata.annotations).toEqual({
        'azure.workload.identity/client-id': APP_ID,
      });
    // No role is bound to the event pods' account: the keys Role stays with the HTTP pods alone.
    expect(find(objects, 'RoleBinding', 'orders-function-keys').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'orders-function-keys', namespace: 'shop' },
    ]);
    expect(find(objects, 'ServiceAccount', 'orders').automountServiceAccountToken).toBe(false);
  });

  test('every Deployment runs as an annotated account, labelled for the webhook', () => {
    const events = podSpec(objects, 'orders');
    const web = podSpec(objects, 'orders-http');
    expect(events.metadata.labels['azure.workload.identity/use']).toBe('true');
    expect(web.metadata.labels['azure.workload.identity/use']).toBe('true');
    expect(events.spec.serviceAccountName).toBe('orders');
    expect(web.spec.serviceAccountName).toBe('orders-function-keys');
    // The webhook's token is a projected volume of its own; the event pods still get no Kubernetes API token.
    expect(events.spec.automountServiceAccountToken).toBe(false);
    // The selector stays what it was: the label is on the pods only.
    expect(find(objects, 'Deployment', 'orders').spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/instance': 'orders',
      'app.kubernetes.io/component': 'events',
    });
  });

  test("the TriggerAuthentication signs KEDA in as the same identity: the connection's, else the app's", () => {
    const auths = objects.filter((object) => object.kind === 'TriggerAuthentication') as Record<string, any>[];
    // Storage names APP_ID itself; Service Bus names none and gets the app's default, the same one.
    expect(auths.map((auth) => auth.spec)).toEqual([
      { podIdentity: { provider: 'azure-workload', identityId: APP_ID } },
    ]);
    const triggers = find(objects, 'ScaledObject', 'orders').spec.triggers as Record<string, any>[];
    expect(triggers.map((trigger) => trigger.authenticationRef.name)).toEqual([
      auths[0]?.metadata.name,
      auths[0]?.metadata.name,
    ]);
  });

  test('no secret anywhere: no Secret holds a key, and no object a connection string', () => {
    const yaml = toYaml(objects);
    expect(yaml).not.toMatch(/AccountKey|SharedAccessKey|Password/i);
    expect(objects.filter((object) => object.kind === 'Secret' && (object as any).data?.AzureWebJobsStorage)).toEqual(
      [],
    );
  });

  test("a verification pod of the event Deployment keeps the identity's label and account", () => {
    const deployment = find(objects, 'Deployment', 'orders');
    const job = verificationJob('orders', { ...deployment, metadata: { ...deployment.metadata, uid: 'u' } }, 60);
    expect(job.spec?.template.metadata?.labels?.['azure.workload.identity/use']).toBe('true');
    expect(job.spec?.template.spec?.serviceAccountName).toBe('orders');
  });
});

describe('which identity the pods get', () => {
  test("the input names the default identity; every connection identity is still the pods' to use", () => {
    const { objects } = render(
      app([queue, bus], { ...identitySettings, Bus__clientId: BUS_ID }),
      options({ workloadIdentity: { clientId: BUS_ID.toUpperCase(), tenantId: TENANT } }),
    );
    expect(find(objects, 'ServiceAccount', 'orders').metadata.annotations).toEqual({
      'azure.workload.identity/client-id': BUS_ID,
      'azure.workload.identity/tenant-id': TENANT,
    });
    // Each connection keeps its own identity for KEDA.
    const ids = objects
      .filter((object) => object.kind === 'TriggerAuthentication')
      .map((auth) => (auth as any).spec.podIdentity.identityId);
    expect(ids.sort()).toEqual([APP_ID, BUS_ID].sort());
  });

  test('with several connection identities and no input, the first one in the settings is the default', () => {
    const { objects } = render(app([queue, bus], { ...identitySettings, Bus__clientId: BUS_ID }), options());
    expect(find(objects, 'ServiceAccount', 'orders').metadata.annotations['azure.workload.identity/client-id']).toBe(
      APP_ID,
    );
  });

  test('identity-based connections that name no identity: a warning, and pods as before', () => {
    const unnamed = Object.fromEntries(Object.entries(identitySettings).filter(([key]) => key !== 'Store__clientId'));
    const { objects, warnings } = render(app([queue, http], unnamed), options());
    expect(warnings).toEqual([
      expect.stringMatching(
        /^app settings 'Store__queueServiceUri', 'Store__credential', 'Bus__fullyQualifiedNamespace', 'Bus__credential' make identity-based connections, but no managed identity is named \(input 'workload-identity'/,
      ),
    ]);
    expect(objects.some((object) => object.kind === 'ServiceAccount' && object.metadata.name === 'orders')).toBe(false);
    expect(podSpec(objects, 'orders').metadata.labels['azure.workload.identity/use']).toBeUndefined();
    expect(podSpec(objects, 'orders').spec.serviceAccountName).toBeUndefined();
  });

  test('an app of connection strings and no input gets no identity at all', () => {
    const { objects } = render(
      app([queue, http], { Store: 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=k==' }),
      options(),
    );
    expect(kinds(objects).filter((kind) => kind.startsWith('ServiceAccount/'))).toEqual([
      'ServiceAccount/orders-function-keys',
    ]);
    expect(find(objects, 'ServiceAccount', 'orders-function-keys').metadata.annotations).toBeUndefined();
    expect(podSpec(objects, 'orders-http').metadata.labels['azure.workload.identity/use']).toBeUndefined();
  });

  test('a __clientId that is not a GUID is an error naming the setting', () => {
    expect(() => render(app([queue], { ...identitySettings, Store__clientId: 'my-identity' }), options())).toThrow(
      "app setting 'Store__clientId' is not a client ID (a GUID): it names a managed identity",
    );
  });
});

describe('the workload identity inputs', () => {
  const base = { 'app-path': '.', name: 'orders', image: 'registry.example/orders:1' };

  test('reach render options', () => {
    const resolved = resolveRenderCommand({
      ...base,
      'workload-identity': APP_ID,
      'workload-identity-tenant': TENANT,
    });
    expect(resolved.render.workloadIdentity).toEqual({ clientId: APP_ID, tenantId: TENANT });
  });

  test.each([
    [{ 'workload-identity': 'shop-identity' }, /^input 'workload-identity': 'shop-identity' is not a client ID/],
    [{ 'workload-identity': APP_ID, 'workload-identity-tenant': 'contoso' }, /^input 'workload-identity-tenant'/],
    [{ 'workload-identity-tenant': TENANT }, /^input 'workload-identity-tenant' is given without/],
    [{ 'federated-credentials': 'ensure' }, /^input 'federated-credentials' does not apply to render/],
  ])('refuse %p', (given, message) => {
    expect(() => resolveRenderCommand({ ...base, ...given })).toThrow(message);
  });
});

describe('the federated credentials an app needs', () => {
  const ISSUER = 'https://westeurope.oic.prod-aks.azure.com/tenant/guid/';
  const AUDIENCE = 'api://AzureADTokenExchange';
  const { objects } = render(
    app([queue, bus, http], { ...identitySettings, Bus__clientId: BUS_ID }),
    options({ workloadIdentity: { clientId: APP_ID } }),
  );

  test("every identity for both of the app's accounts; KEDA's operator for the identities its scalers use", () => {
    const needs = federationNeeds(objects, [APP_ID, BUS_ID, CONTAINER_ID], {
      namespace: 'kube-system',
      serviceAccount: 'keda-operator',
    });
    expect(needs).toEqual([
      {
        clientId: APP_ID,
        subjects: [
          'system:serviceaccount:shop:orders',
          'system:serviceaccount:shop:orders-function-keys',
          'system:serviceaccount:kube-system:keda-operator',
        ],
      },
      {
        clientId: BUS_ID,
        subjects: [
          'system:serviceaccount:shop:orders',
          'system:serviceaccount:shop:orders-function-keys',
          'system:serviceaccount:kube-system:keda-operator',
        ],
      },
      // Used by the pods only (an output binding, say): KEDA never signs in as it.
      {
        clientId: CONTAINER_ID,
        subjects: ['system:serviceaccount:shop:orders', 'system:serviceaccount:shop:orders-function-keys'],
      },
    ]);
  });

  test("KEDA's operator by the service account its Deployment names (a Helm install may rename it)", () => {
    const needs = federationNeeds(objects, [APP_ID], { namespace: 'keda', serviceAccount: 'keda-operator-sa' });
    expect(needs[0]?.subjects).toContain('system:serviceaccount:keda:keda-operator-sa');
    expect(needs[0]?.subjects).not.toContain('system:serviceaccount:keda:keda-operator');
  });

  test("a KEDA not installed yet is planned as the carried manifests run it: keda-operator's own account", async () => {
    for (const embedded of Object.values(EMBEDDED_KEDA)) {
      const operator = loadAllYaml((await embedded.load()).default).find(
        (object: V1Deployment) => object?.kind === 'Deployment' && object.metadata?.name === OPERATOR,
      ) as V1Deployment;
      expect(operator.spec?.template.spec?.serviceAccountName).toBe(OPERATOR);
    }
  });

  test('a credential answers only with the same issuer, subject and audience, as Entra ID compares them', () => {
    const subject = 'system:serviceaccount:shop:orders';
    const credential = { issuer: ISSUER, subject, audiences: [AUDIENCE] };
    expect(answers(credential, ISSUER, subject, AUDIENCE)).toBe(true);
    expect(answers(credential, ISSUER.slice(0, -1), subject, AUDIENCE)).toBe(false);
    expect(answers(credential, ISSUER, `${subject}-http`, AUDIENCE)).toBe(false);
    expect(answers(credential, ISSUER, subject.toUpperCase(), AUDIENCE)).toBe(false);
    expect(answers(credential, ISSUER, subject, 'api://AzureADTokenExchangeUSGov')).toBe(false);
  });

  test("names follow ARM's rule, differ by subject, and step around a name another credential holds", () => {
    const name = credentialName('aks-prod', ISSUER, 'system:serviceaccount:shop:orders', new Set());
    expect(name).toMatch(/^aks-prod-shop-orders-[0-9a-f]{8}$/);
    expect(credentialName('aks-prod', ISSUER, 'system:serviceaccount:shop:orders-http', new Set())).not.toBe(name);
    expect(credentialName('aks-prod', ISSUER, 'system:serviceaccount:shop:orders', new Set([name.toLowerCase()]))).toBe(
      `${name}-2`,
    );
    const long = credentialName('_'.repeat(3) + 'c'.repeat(200), ISSUER, 'system:serviceaccount:a:b', new Set());
    expect(long).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9-_]{2,119}$/);
  });
});

describe("KEDA's operator and the workload identity label: a KEDA this deploy did not install is only warned of", () => {
  const { objects } = render(app([queue, bus], identitySettings), options());
  const found = (installedBy: KedaFound['installedBy'], workloadIdentity = false): KedaFound => ({
    version: '2.20.2',
    namespace: 'keda',
    installedBy,
    evidence: installedBy === 'helm' ? 'Helm release keda in namespace keda' : "KEDA's manifest",
    operator: { serviceAccount: 'keda-operator', workloadIdentity },
  });

  test('one applied by others (GitOps, kubectl): the change to make, and where', () => {
    expect(kedaOperatorWarning(found('manifest'), objects)).toBe(
      "KEDA's operator (Deployment keda-operator in namespace keda) is not set up for workload identity: its pods " +
        "lack the azure.workload.identity/use label, so the app's scalers cannot sign in. This deploy did not " +
        'install that KEDA and leaves it as it is: add the label azure.workload.identity/use: "true" to the pod ' +
        'template (spec.template.metadata.labels) of Deployment keda-operator in namespace keda where it is defined ' +
        '(the manifests or GitOps repository it is applied from) and apply them, or let this step install or ' +
        'upgrade KEDA (keda: install with a newer keda-version); its pods restart with the change',
    );
  });

  test("Helm's: its chart value; the add-on's: AKS's switch and a restart", () => {
    expect(kedaOperatorWarning(found('helm'), objects)).toMatch(
      /: upgrade its Helm release \(Helm release keda in namespace keda\) with --set podIdentity\.azureWorkload\.enabled=true/,
    );
    expect(kedaOperatorWarning(found('aks-addon'), objects)).toMatch(
      /: enable workload identity on the cluster \(az aks update --enable-workload-identity\), then restart it/,
    );
  });

  test('nothing to say of a labelled operator, of no KEDA, or of scalers that use no identity', () => {
    expect(kedaOperatorWarning(found('manifest', true), objects)).toBeUndefined();
    expect(kedaOperatorWarning(undefined, objects)).toBeUndefined();
    const keyed = render(
      app([queue], { Store: 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=k==' }),
      options(),
    );
    expect(kedaOperatorWarning(found('manifest'), keyed.objects)).toBeUndefined();
  });
});
