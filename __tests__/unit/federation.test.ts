import type { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { createCredentials, type Missing, waitBefore } from '../../src/azure/federation-create.js';
import { findIdentities, type FoundIdentity } from '../../src/azure/federation-identities.js';
import type { FederatedCredential } from '../../src/azure/federation-needs.js';
import { resolveDeployCommand, resolveRenderCommand } from '../../src/inputs/resolve.js';

const SUBSCRIPTION = '11111111-2222-4333-8444-555555555555';
const OTHER_SUBSCRIPTION = '66666666-7777-4888-9999-000000000000';
const APP_ID = '0b8a3d4e-1f2a-4c3b-9d8e-7f6a5b4c3d2e';
const BUS_ID = '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f';
const cluster = { subscriptionId: SUBSCRIPTION, resourceGroup: 'rg-aks', clusterName: 'aks', admin: false };
const identityId = (subscription: string, group: string, name: string) =>
  `/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;

/** ARM's refusal as @azure/core-rest-pipeline's RestError carries it. */
const refused = (statusCode: number, message: string, headers: Record<string, string> = {}) =>
  Object.assign(new Error(message), {
    statusCode,
    response: { headers: { get: (name: string) => headers[name.toLowerCase()] } },
  });

async function* pages<T>(items: T[], failure?: Error): AsyncIterable<T> {
  if (failure) throw failure;
  yield* items;
}

describe('finding the identities: by resource ID with no listing, else listed by client ID', () => {
  const orders = { id: identityId(SUBSCRIPTION, 'rg-identities', 'id-orders'), name: 'id-orders', clientId: APP_ID };
  const bus = { id: identityId(OTHER_SUBSCRIPTION, 'rg-central', 'id-bus'), name: 'id-bus', clientId: BUS_ID };
  const needs = [
    { clientId: APP_ID, subjects: ['system:serviceaccount:shop:orders'] },
    { clientId: BUS_ID, subjects: ['system:serviceaccount:shop:orders'] },
  ];

  /** A subscription's identity client: what it may list (else the refusal) and get; every call recorded. */
  function clients(listing: Error | undefined, calls: string[]) {
    return (subscription: string) =>
      ({
        userAssignedIdentities: {
          listByResourceGroup: (group: string) => (calls.push(`list ${group}`), pages([orders, bus], listing)),
          listBySubscription: () => (calls.push(`list ${subscription}`), pages([orders, bus], listing)),
          get: async (group: string, name: string) => {
            calls.push(`get ${subscription}/${group}/${name}`);
            const found = [orders, bus].find((identity) => identity.id === identityId(subscription, group, name));
            if (!found) throw refused(404, `The Resource '${name}' was not found.`);
            return found;
          },
        },
      }) as unknown as ManagedServiceIdentityClient;
  }
  const forbidden = refused(
    403,
    "The client 'deployer' does not have authorization to perform action " +
      "'Microsoft.ManagedIdentity/userAssignedIdentities/read' over scope '/subscriptions/s/resourceGroups/rg-aks'.",
  );

  test('a deployer that may not list names both ways out, and federated-credentials: check', async () => {
    const calls: string[] = [];
    const act = findIdentities(clients(forbidden, calls), cluster, needs, { resourceIds: [], mode: 'ensure' });
    await expect(act).rejects.toThrow(
      new RegExp(
        `^Azure refused to list the user-assigned managed identities of resource group rg-aks, where managed ` +
          `identity ${APP_ID}, ${BUS_ID} is looked for by client ID: The client 'deployer' does not have ` +
          `authorization .* Give its resource ID in input 'workload-identity-resource-ids' \\(then a role on the ` +
          `identity itself is enough, such as Managed Identity Contributor\\), or give this identity the 'Reader' ` +
          `role on resource group rg-aks \\(when the managed identity is there\\) or subscription ${SUBSCRIPTION}; ` +
          `or set federated-credentials: check and manage its federated credentials yourself$`,
      ),
    );
    expect(calls).toEqual(['list rg-aks']);
  });

  test('given by resource ID, every identity is read where it is (any subscription) and nothing is listed', async () => {
    const calls: string[] = [];
    const found = await findIdentities(clients(forbidden, calls), cluster, needs, {
      resourceIds: [bus.id, orders.id.toLowerCase().replace('/resourcegroups/', '/resourceGroups/')],
      mode: 'ensure',
    });
    expect(calls).toEqual([
      `get ${OTHER_SUBSCRIPTION}/rg-central/id-bus`,
      `get ${SUBSCRIPTION}/rg-identities/id-orders`,
    ]);
    expect(found.get(BUS_ID)).toEqual({
      clientId: BUS_ID,
      subscriptionId: OTHER_SUBSCRIPTION,
      resourceGroup: 'rg-central',
      name: 'id-bus',
      id: bus.id,
    });
    expect(found.get(APP_ID)?.resourceGroup).toBe('rg-identities');
  });

  test('one given by resource ID, the other still listed: only the one not given is looked for', async () => {
    const calls: string[] = [];
    const found = await findIdentities(clients(undefined, calls), cluster, needs, {
      resourceIds: [bus.id],
      mode: 'ensure',
    });
    expect(calls).toEqual([`get ${OTHER_SUBSCRIPTION}/rg-central/id-bus`, 'list rg-aks']);
    expect([...found.keys()].sort()).toEqual([APP_ID, BUS_ID].sort());
  });

  test('a resource ID of an identity the app does not use is an error naming both client IDs', async () => {
    const act = findIdentities(clients(undefined, []), cluster, needs.slice(1), {
      resourceIds: [orders.id],
      mode: 'ensure',
    });
    await expect(act).rejects.toThrow(
      `input 'workload-identity-resource-ids': managed identity id-orders has client ID ${APP_ID}, which the app ` +
        `does not use (it uses ${BUS_ID}, from input 'workload-identity' and the app settings' <connection>__clientId)`,
    );
  });

  test('a resource ID that names no identity is a 404 naming the input', async () => {
    const act = findIdentities(clients(undefined, []), cluster, needs, {
      resourceIds: [identityId(SUBSCRIPTION, 'rg-identities', 'id-gone')],
      mode: 'ensure',
    });
    await expect(act).rejects.toThrow(/^cannot read managed identity id-gone: .* 'workload-identity-resource-ids'/);
  });
});

describe('the input naming the identities by resource ID', () => {
  const base = { name: 'orders', image: 'reg.io/orders:1', 'app-path': 'examples/orders', kubeconfig: '/tmp/kc' };
  const orders = identityId(SUBSCRIPTION, 'rg-identities', 'id-orders');

  test('takes one resource ID a line, blank lines ignored, beside the mode', () => {
    const resolved = resolveDeployCommand({
      ...base,
      'workload-identity-resource-ids': `${orders}\n\n  ${orders.replace('id-orders', 'id-bus')}  \n`,
      'federated-credentials': 'check',
    });
    expect(resolved.federation).toEqual({
      mode: 'check',
      resourceIds: [orders, orders.replace('id-orders', 'id-bus')],
    });
    expect(resolveDeployCommand(base).federation).toEqual({ mode: 'ensure', resourceIds: [] });
  });

  test.each([
    ['a client ID', APP_ID],
    [
      'another kind of resource',
      orders.replace('Microsoft.ManagedIdentity/userAssignedIdentities', 'Microsoft.Web/sites'),
    ],
    ['a federated credential under an identity', `${orders}/federatedIdentityCredentials/aks`],
  ])('refuses %s, naming the line', (_what, value) => {
    expect(() => resolveDeployCommand({ ...base, 'workload-identity-resource-ids': `${orders}\n${value}` })).toThrow(
      /^input 'workload-identity-resource-ids': line 2 is not the resource ID of a user-assigned managed identity/,
    );
  });

  test('is not a render option: render reaches no Azure', () => {
    expect(() =>
      resolveRenderCommand({ name: 'orders', image: 'reg.io/orders:1', 'workload-identity-resource-ids': orders }),
    ).toThrow("input 'workload-identity-resource-ids' does not apply to render");
  });
});

describe('writing the missing credentials: one at a time, and again after a concurrent write (409)', () => {
  const ISSUER = 'https://oidc.example/tenant/guid/';
  const AUDIENCE = 'api://AzureADTokenExchange';
  const identity: FoundIdentity = {
    clientId: APP_ID,
    subscriptionId: SUBSCRIPTION,
    resourceGroup: 'rg-identities',
    name: 'id-orders',
    id: identityId(SUBSCRIPTION, 'rg-identities', 'id-orders'),
  };
  const missing = (subject: string): Missing => ({ identity, name: `aks-${subject.split(':').pop()}`, subject });

  /**
   * An identity's credentials behind ARM: each write answers the next of `answers` (a refusal, or undefined: stored),
   * and `sideEffect` runs at a refusal, as another client's write going through meanwhile.
   */
  function arm(answers: (Error | undefined)[], sideEffect?: (stored: FederatedCredential[]) => void) {
    const stored: FederatedCredential[] = [];
    const writes: string[] = [];
    const waits: number[] = [];
    const lines: string[] = [];
    const client = {
      federatedIdentityCredentials: {
        createOrUpdate: async (_group: string, _identity: string, name: string, body: FederatedCredential) => {
          writes.push(name);
          const answer = answers.shift();
          if (answer) {
            sideEffect?.(stored);
            throw answer;
          }
          stored.push({ ...body, name });
          return body;
        },
      },
    } as unknown as ManagedServiceIdentityClient;
    const context = {
      clients: () => client,
      issuer: ISSUER,
      audience: AUDIENCE,
      listCredentials: async () => [...stored],
      log: { info: (line: string) => lines.push(line), warning: (line: string) => lines.push(`warning: ${line}`) },
      sleep: async (milliseconds: number) => void waits.push(milliseconds),
    };
    return { stored, writes, waits, lines, context };
  }
  const concurrent = () =>
    refused(
      409,
      "Too many Federated Identity Credentials are written concurrently for the managed identity '…'. Concurrent " +
        'Federated Identity Credentials writes under the same managed identity are not supported.',
    );

  test('a 409 is waited out and the write made again; the next credential follows', async () => {
    const { stored, writes, waits, lines, context } = arm([concurrent(), undefined, undefined]);
    await createCredentials([missing('s:ns:orders'), missing('s:ns:orders-http')], context);
    expect(writes).toEqual(['aks-orders', 'aks-orders', 'aks-orders-http']);
    expect(stored.map((credential) => credential.subject)).toEqual(['s:ns:orders', 's:ns:orders-http']);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(500);
    expect(lines[0]).toMatch(
      /^managed identity id-orders is being written by another client \(Azure answered 409\): writing its federated credential for s:ns:orders again in \d+\.\ds$/,
    );
  });

  test('a credential the other writer made meanwhile is success, with no second write', async () => {
    const { writes, waits, lines, context } = arm([concurrent()], (stored) =>
      stored.push({ name: 'theirs', issuer: ISSUER, subject: 's:ns:orders', audiences: [AUDIENCE] }),
    );
    await createCredentials([missing('s:ns:orders')], context);
    expect(writes).toEqual(['aks-orders']);
    expect(waits).toEqual([]);
    expect(lines).toEqual([
      'federated credential theirs on managed identity id-orders: s:ns:orders (written by another deploy meanwhile)',
    ]);
  });

  test('one for the same subject with another audience is no answer: the 409 is retried, then reported', async () => {
    const { writes, waits, context } = arm(Array.from({ length: 7 }, concurrent), (stored) => {
      if (stored.length === 0)
        stored.push({ name: 'other', issuer: ISSUER, subject: 's:ns:orders', audiences: ['api://other'] });
    });
    await expect(createCredentials([missing('s:ns:orders')], context)).rejects.toThrow(
      /^cannot add a federated credential to managed identity id-orders: Azure answered 409: Too many Federated/,
    );
    // The first write and six more, each after a wait.
    expect(writes).toHaveLength(7);
    expect(waits).toHaveLength(6);
  });

  test('any other refusal is reported at once, naming the role', async () => {
    const { writes, waits, context } = arm([refused(403, 'AuthorizationFailed: no write.')]);
    await expect(createCredentials([missing('s:ns:orders')], context)).rejects.toThrow(
      'Azure refused to add a federated credential to managed identity id-orders: AuthorizationFailed: no write. ' +
        "Give the identity the 'Managed Identity Contributor' role on the managed identity id-orders (or resource " +
        'group rg-identities).',
    );
    expect([writes.length, waits.length]).toEqual([1, 0]);
  });

  test("the waits grow from about a second to 16 s, with jitter, and honour the answer's Retry-After", async () => {
    const schedule = (random: number) => [0, 1, 2, 3, 4, 5].map((retry) => waitBefore(retry, undefined, () => random));
    expect(schedule(0)).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(schedule(1)).toEqual([1500, 3000, 6000, 12000, 24000, 24000]);
    expect(waitBefore(0, 5000, () => 0.5)).toBe(5000);
    const { waits, context } = arm([refused(409, 'Conflict', { 'retry-after': '7' }), undefined]);
    await createCredentials([missing('s:ns:orders')], context);
    expect(waits).toEqual([7000]);
  });
});
