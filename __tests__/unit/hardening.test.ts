import type { KubeConfig } from '@kubernetes/client-node';
import { type LeasePolicy, takeAppLease } from '../../src/apply/lease.js';
import { isNamespaceTerminating } from '../../src/cluster/status.js';
import { describeFailure, UserError } from '../../src/errors.js';
import { resolveRenderCommand } from '../../src/inputs/resolve.js';
import { notOwnedBecause } from '../../src/inventory/inventory.js';
import { appLabels, FIELD_MANAGER, keysSecretName } from '../../src/inventory/labels.js';

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
