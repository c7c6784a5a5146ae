import { type HttpRoute, functionUrls, httpRoutes } from '../../src/report/function-urls.js';
import { app, fn } from './app-builder.js';

/** A keys Secret's `data`, as the API returns it: values base64-encoded. */
function secretData(keys: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(keys).map(([name, value]) => [name, Buffer.from(value).toString('base64')]));
}

const route = (name: string, path: string, authLevel: HttpRoute['authLevel']): HttpRoute => ({
  function: name,
  route: path,
  authLevel,
});

describe('httpRoutes', () => {
  test('the route defaults to the function name, under the api prefix', () => {
    expect(httpRoutes(app([fn('GetOrder', { type: 'httpTrigger', authLevel: 'anonymous' })]))).toEqual([
      { function: 'GetOrder', route: 'api/GetOrder', authLevel: 'anonymous' },
    ]);
  });

  test('a route template is kept as written', () => {
    const routes = httpRoutes(
      app([
        fn('GetOrder', { type: 'httpTrigger', route: 'orders/{id}' }),
        fn('ListOrders', { type: 'httpTrigger', route: '{page:int?}' }),
      ]),
    );
    expect(routes.map((r) => r.route)).toEqual(['api/orders/{id}', 'api/{page:int?}']);
  });

  test("an empty routePrefix adds no slash; a custom one is used; slashes around either don't double up", () => {
    const functions = [
      fn('GetOrder', { type: 'httpTrigger', route: 'orders/{id}' }),
      fn('Ping', { type: 'httpTrigger' }),
    ];
    expect(httpRoutes(app(functions, {}, { routePrefix: '' })).map((r) => r.route)).toEqual(['orders/{id}', 'Ping']);
    expect(httpRoutes(app(functions, {}, { routePrefix: 'shop/v1' })).map((r) => r.route)).toEqual([
      'shop/v1/orders/{id}',
      'shop/v1/Ping',
    ]);
    expect(
      httpRoutes(app([fn('GetOrder', { type: 'httpTrigger', route: '/orders/' })], {}, { routePrefix: '/v2/' }))[0]
        ?.route,
    ).toBe('v2/orders');
  });

  test('the trigger type and property names match in any case', () => {
    const routes = httpRoutes(app([fn('GetOrder', { type: 'HttpTrigger', Route: 'orders', AuthLevel: 'Admin' })]));
    expect(routes).toEqual([{ function: 'GetOrder', route: 'api/orders', authLevel: 'admin' }]);
  });

  test('authLevel defaults to function, as in the host', () => {
    const routes = httpRoutes(
      app([
        fn('A', { type: 'httpTrigger' }),
        fn('B', { type: 'httpTrigger', authLevel: 'function' }),
        fn('C', { type: 'httpTrigger', authLevel: 'ANONYMOUS' }),
        fn('D', { type: 'httpTrigger', authLevel: 'admin' }),
        // Only the master key is handed out for system-level functions.
        fn('E', { type: 'httpTrigger', authLevel: 'System' }),
      ]),
    );
    expect(routes.map((r) => r.authLevel)).toEqual(['function', 'function', 'anonymous', 'admin', 'admin']);
  });

  test('only httpTrigger functions have routes: webhooks and event triggers do not', () => {
    const routes = httpRoutes(
      app([
        fn('OnEvent', { type: 'eventGridTrigger' }),
        fn('OnBlob', { type: 'blobTrigger', path: 'in/{name}', source: 'EventGrid' }),
        fn('OnQueue', { type: 'queueTrigger', queueName: 'orders' }),
        fn('GetOrder', { type: 'httpTrigger' }),
      ]),
    );
    expect(routes.map((r) => r.function)).toEqual(['GetOrder']);
  });
});

describe('functionUrls', () => {
  const keys = secretData({
    'host.master': 'master-key',
    'host.function.default': 'host-key',
    'host.systemKey.default': 'system-key',
    'functions.getorder.default': 'getorder-key',
  });

  test('anonymous functions never get a key', () => {
    const result = functionUrls([route('Ping', 'api/ping', 'anonymous')], '10.0.0.5', keys, true);
    expect(result).toEqual({ urls: { Ping: 'http://10.0.0.5/api/ping' }, keysUsed: [], missingKeys: [] });
  });

  test("a function-level function gets its own key, found by its lower-cased name, before the host's", () => {
    const result = functionUrls(
      [route('GetOrder', 'api/orders/{id}', 'function'), route('ListOrders', 'api/orders', 'function')],
      'orders.example.com',
      keys,
      true,
    );
    expect(result.urls).toEqual({
      GetOrder: 'http://orders.example.com/api/orders/{id}?code=getorder-key',
      ListOrders: 'http://orders.example.com/api/orders?code=host-key',
    });
    expect(result.keysUsed).toEqual(['getorder-key', 'host-key']);
    expect(result.missingKeys).toEqual([]);
  });

  test('an admin function gets the master key, not a function key', () => {
    const result = functionUrls([route('GetOrder', 'api/admin', 'admin')], '10.0.0.5', keys, true);
    expect(result.urls).toEqual({ GetOrder: 'http://10.0.0.5/api/admin?code=master-key' });
    expect(result.keysUsed).toEqual(['master-key']);
  });

  test("a function key written with the function's own casing is found too; the host's lower-case one wins", () => {
    const mixed = secretData({ 'functions.GetOrder.default': 'mixed-key' });
    expect(functionUrls([route('GetOrder', 'api/orders', 'function')], 'h', mixed, true).urls.GetOrder).toBe(
      'http://h/api/orders?code=mixed-key',
    );
    const both = secretData({ 'functions.getorder.default': 'lower-key', 'functions.GetOrder.default': 'mixed-key' });
    expect(functionUrls([route('GetOrder', 'api/orders', 'function')], 'h', both, true).urls.GetOrder).toBe(
      'http://h/api/orders?code=lower-key',
    );
  });

  test('a key used twice is listed once', () => {
    const result = functionUrls([route('A', 'api/a', 'function'), route('B', 'api/b', 'function')], 'h', keys, true);
    expect(result.keysUsed).toEqual(['host-key']);
  });

  test('without the Secret (first deploy), keyed functions are listed as missing and have no code', () => {
    const routes = [
      route('Ping', 'api/ping', 'anonymous'),
      route('GetOrder', 'api/orders', 'function'),
      route('Admin', 'api/admin', 'admin'),
    ];
    for (const data of [undefined, {}]) {
      expect(functionUrls(routes, '10.0.0.5', data, true)).toEqual({
        urls: {
          Ping: 'http://10.0.0.5/api/ping',
          GetOrder: 'http://10.0.0.5/api/orders',
          Admin: 'http://10.0.0.5/api/admin',
        },
        keysUsed: [],
        missingKeys: ['GetOrder', 'Admin'],
      });
    }
  });

  test('a key missing for one level only makes those functions missing', () => {
    const data = secretData({ 'host.function.default': 'host-key', 'host.master': '' });
    const result = functionUrls(
      [route('GetOrder', 'api/orders', 'function'), route('Admin', 'api/admin', 'admin')],
      'h',
      data,
      true,
    );
    expect(result.urls).toEqual({ GetOrder: 'http://h/api/orders?code=host-key', Admin: 'http://h/api/admin' });
    expect(result.missingKeys).toEqual(['Admin']);
  });

  test('a function key of another function is not used', () => {
    const data = secretData({ 'functions.other.default': 'other-key' });
    const result = functionUrls([route('GetOrder', 'api/orders', 'function')], 'h', data, true);
    expect(result).toEqual({ urls: { GetOrder: 'http://h/api/orders' }, keysUsed: [], missingKeys: ['GetOrder'] });
  });

  test('without includeKeys no key ever reaches the URLs, but missing keys are still reported', () => {
    const routes = [
      route('GetOrder', 'api/orders', 'function'),
      route('Admin', 'api/admin', 'admin'),
      route('Ping', 'api/ping', 'anonymous'),
    ];
    const partial = secretData({ 'functions.getorder.default': 'getorder-key' });
    const result = functionUrls(routes, '10.0.0.5', partial, false);
    expect(result).toEqual({
      urls: {
        GetOrder: 'http://10.0.0.5/api/orders',
        Admin: 'http://10.0.0.5/api/admin',
        Ping: 'http://10.0.0.5/api/ping',
      },
      keysUsed: [],
      missingKeys: ['Admin'],
    });
    const all = JSON.stringify(functionUrls(routes, '10.0.0.5', keys, false));
    for (const secret of ['master-key', 'host-key', 'system-key', 'getorder-key', 'code='])
      expect(all).not.toContain(secret);
  });

  test('IPv6 addresses are bracketed; IPv4, host names and in-cluster DNS names are not', () => {
    const routes = [route('Ping', 'api/ping', 'anonymous')];
    expect(functionUrls(routes, '2001:db8::1', undefined, true).urls.Ping).toBe('http://[2001:db8::1]/api/ping');
    expect(functionUrls(routes, '[2001:db8::1]', undefined, true).urls.Ping).toBe('http://[2001:db8::1]/api/ping');
    expect(functionUrls(routes, '20.1.2.3', undefined, true).urls.Ping).toBe('http://20.1.2.3/api/ping');
    expect(functionUrls(routes, 'orders-http.shop.svc.cluster.local', undefined, true).urls.Ping).toBe(
      'http://orders-http.shop.svc.cluster.local/api/ping',
    );
  });

  test('the key is URL-encoded in the query; keysUsed holds it as it is', () => {
    const key = 'ab+c/d==&x=1';
    const result = functionUrls(
      [route('GetOrder', 'api/orders', 'function')],
      'h',
      secretData({ 'functions.getorder.default': key }),
      true,
    );
    expect(result.urls.GetOrder).toBe('http://h/api/orders?code=ab%2Bc%2Fd%3D%3D%26x%3D1');
    expect(result.keysUsed).toEqual([key]);
  });

  test('an empty route (root path with no prefix) gives the bare address', () => {
    expect(functionUrls([route('Root', '', 'anonymous')], 'h', undefined, true).urls.Root).toBe('http://h/');
  });

  test('works end to end from the app', () => {
    const routes = httpRoutes(
      app(
        [
          fn('GetOrder', { type: 'httpTrigger', route: 'orders/{id}' }),
          fn('OnQueue', { type: 'queueTrigger', queueName: 'q' }),
        ],
        {},
        { routePrefix: '' },
      ),
    );
    expect(functionUrls(routes, '10.0.0.5', keys, true).urls).toEqual({
      GetOrder: 'http://10.0.0.5/orders/{id}?code=getorder-key',
    });
  });
});
