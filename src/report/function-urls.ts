import { isIPv6 } from 'node:net';
import { type FunctionApp, stringProperty } from '../discovery/model.js';

/**
 * The `function-urls` output: where each HTTP-triggered function can be
 * called once the app is up. Pure: the caller reads the Service address and
 * the keys Secret (keysSecretName() in render/render.ts) and passes them in.
 */

export type AuthLevel = 'anonymous' | 'function' | 'admin';

export interface HttpRoute {
  /** The function's name, as discovery found it. */
  readonly function: string;
  /**
   * The path the host serves the function at, without a leading slash: the
   * host's routePrefix and the function's route joined, e.g. `api/orders/{id}`.
   * Route templates are kept as written; the caller fills them in.
   */
  readonly route: string;
  readonly authLevel: AuthLevel;
}

export interface FunctionUrls {
  /** Function name → URL, in the order of the app's functions. */
  readonly urls: Record<string, string>;
  /**
   * The (decoded) key values that appear in `urls`, so the caller can mask
   * them. Empty when keys were not asked for.
   */
  readonly keysUsed: string[];
  /**
   * Functions that need a key which the keys Secret does not hold (yet): the
   * host writes its keys on first start, so right after a first deploy the
   * Secret is still empty. Their URLs have no `code`.
   */
  readonly missingKeys: string[];
}

/**
 * Data keys of the host's keys Secret (AzureWebJobsSecretStorageType=kubernetes),
 * as the Functions host's Kubernetes secrets repository writes them:
 * `host.master`, `host.function.<key>`, `host.systemKey.<key>` and
 * `functions.<function name, lower-cased>.<key>`.
 */
const MASTER_KEY = 'host.master';
const HOST_FUNCTION_KEY = 'host.function.default';
const functionKey = (name: string) => `functions.${name.toLowerCase()}.default`;

/** The callable HTTP routes of the app: `httpTrigger` functions only (webhook triggers have no route of their own). */
export function httpRoutes(app: FunctionApp): HttpRoute[] {
  const prefix = trimSlashes(app.host.routePrefix.trim());
  return app.functions
    .filter((fn) => fn.trigger.type.toLowerCase() === 'httptrigger')
    .map((fn) => {
      const given = stringProperty(fn.trigger, 'route');
      const route = given === '' ? fn.name : trimSlashes(given);
      return {
        function: fn.name,
        route: [prefix, route].filter((part) => part !== '').join('/'),
        authLevel: authLevel(stringProperty(fn.trigger, 'authLevel')),
      };
    });
}

/**
 * The URL of every route at `address` (an IP, host name or in-cluster DNS
 * name, optionally with a port), with the key each needs as `?code=` when
 * `includeKeys` is set. `keysSecretData` is the keys Secret's `data`
 * (base64 values), or undefined when the Secret does not exist.
 */
export function functionUrls(
  routes: readonly HttpRoute[],
  address: string,
  keysSecretData: Readonly<Record<string, string>> | undefined,
  includeKeys: boolean,
): FunctionUrls {
  const keys = decodeKeys(keysSecretData);
  const origin = `http://${isIPv6(address) ? `[${address}]` : address}`;
  const urls: [string, string][] = [];
  const keysUsed = new Set<string>();
  const missingKeys: string[] = [];
  for (const { function: name, route, authLevel } of routes) {
    let url = `${origin}/${route}`;
    if (authLevel !== 'anonymous') {
      const key =
        authLevel === 'admin' ? keys.get(MASTER_KEY) : (keys.get(functionKey(name)) ?? keys.get(HOST_FUNCTION_KEY));
      if (key === undefined) {
        missingKeys.push(name);
      } else if (includeKeys) {
        url += `?code=${encodeURIComponent(key)}`;
        keysUsed.add(key);
      }
    }
    urls.push([name, url]);
  }
  return { urls: Object.fromEntries(urls), keysUsed: [...keysUsed], missingKeys };
}

/**
 * The function's authLevel; the host's default is `function`. `system` keys
 * are not handed out, but the master key opens system-level functions too.
 */
function authLevel(given: string): AuthLevel {
  switch (given.toLowerCase()) {
    case 'anonymous':
      return 'anonymous';
    case 'admin':
    case 'system':
      return 'admin';
    default:
      return 'function';
  }
}

function trimSlashes(value: string): string {
  return value.replace(/^\/+|\/+$/g, '');
}

/**
 * Secret data key (lower-cased: the host lower-cases function names itself,
 * older writers may not have) → decoded value; empty values are no key.
 */
function decodeKeys(data: Readonly<Record<string, string>> | undefined): Map<string, string> {
  const keys = new Map<string, string>();
  for (const [name, encoded] of Object.entries(data ?? {})) {
    const value = Buffer.from(encoded, 'base64').toString('utf8').trim();
    const key = name.toLowerCase();
    // Should both spellings be there, the host's own (lower-case) one wins.
    if (value !== '' && (key === name || !keys.has(key))) keys.set(key, value);
  }
  return keys;
}
