import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { AppObjectsApi } from '../../src/inventory/client.js';

// A bare HTTP server standing in for an apiserver: it answers core discovery and any list, and records each path.
let server: Server;
let paths: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    paths.push(path);
    response.setHeader('content-type', 'application/json');
    if (path === '/api/v1') {
      // Answer late, so requests made at once are all waiting on discovery together.
      setTimeout(() => {
        response.end(
          JSON.stringify({
            kind: 'APIResourceList',
            groupVersion: 'v1',
            resources: [{ name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['list'] }],
          }),
        );
      }, 50);
      return;
    }
    response.end(JSON.stringify({ kind: 'List', apiVersion: 'v1', metadata: {}, items: [] }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  paths = [];
});

function client(): AppObjectsApi {
  const config = new KubeConfig();
  const { port } = server.address() as AddressInfo;
  config.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u', namespace: 'ns' }],
    currentContext: 'x',
  });
  return AppObjectsApi.forConfig(config);
}

describe('the app objects client', () => {
  test('the kinds an app owns go straight to their paths, with no discovery request', async () => {
    const objects = client();
    await Promise.all([
      objects.list('v1', 'Service', 'ns'),
      objects.list('apps/v1', 'Deployment', 'ns'),
      objects.list('keda.sh/v1alpha1', 'ScaledObject', 'ns'),
    ]);
    expect(paths.sort()).toEqual([
      '/api/v1/namespaces/ns/services',
      '/apis/apps/v1/namespaces/ns/deployments',
      '/apis/keda.sh/v1alpha1/namespaces/ns/scaledobjects',
    ]);
  });

  test('another kind is discovered once per apiVersion, however many requests wait for it', async () => {
    const objects = client();
    await Promise.all([
      objects.list('v1', 'Pod', 'ns'),
      objects.list('v1', 'Pod', 'ns'),
      objects.list('v1', 'Pod', 'ns'),
    ]);
    await objects.list('v1', 'Pod', 'ns');
    expect(paths.filter((path) => path === '/api/v1')).toHaveLength(1);
    expect(paths.filter((path) => path === '/api/v1/namespaces/ns/pods')).toHaveLength(4);
  });
});
