import type { CoreV1Api } from '@kubernetes/client-node';
import { apiStatus, isNotFound, withRetries } from '../cluster/status.js';
import type { FunctionApp } from '../discovery/model.js';
import { type FunctionUrls, functionUrls, httpRoutes } from './function-urls.js';

export interface EndpointsQuery {
  readonly app: FunctionApp;
  readonly namespace: string;
  /** The HTTP Service. */
  readonly service: string;
  /** Its LoadBalancer address, when the rollout saw one. */
  readonly loadBalancerAddress?: string;
  /** The Secret where the host keeps the function keys. */
  readonly keysSecret: string;
  /** Put the keys into the URLs (show-secrets). */
  readonly includeKeys: boolean;
}

export interface Endpoints {
  /** The LoadBalancer address, else the cluster IP. */
  readonly serviceIp?: string;
  readonly functionUrls: FunctionUrls;
  /** Why no key could be read, when the keys Secret was out of reach. */
  readonly keysUnreadable?: string;
}

/**
 * Where the app answers: outside the cluster at the LoadBalancer address,
 * else at the Service's in-cluster name.
 */
export async function readEndpoints(core: CoreV1Api, query: EndpointsQuery): Promise<Endpoints> {
  const service = await withRetries(() =>
    core.readNamespacedService({ name: query.service, namespace: query.namespace }),
  );
  const address = query.loadBalancerAddress ?? `${query.service}.${query.namespace}.svc.cluster.local`;
  let keys: Record<string, string> | undefined;
  let keysUnreadable: string | undefined;
  // Keys are read only when they are to be shown: no need for the right to read Secrets otherwise.
  if (query.includeKeys) {
    try {
      keys = (
        await withRetries(() => core.readNamespacedSecret({ name: query.keysSecret, namespace: query.namespace }))
      ).data;
    } catch (error) {
      if (apiStatus(error)?.code === 403)
        keysUnreadable = `this identity may not read Secret ${query.namespace}/${query.keysSecret}`;
      else if (!isNotFound(error)) throw error;
    }
  }
  const clusterIp = service.spec?.clusterIP;
  return {
    serviceIp: query.loadBalancerAddress ?? (clusterIp && clusterIp !== 'None' ? clusterIp : undefined),
    functionUrls: functionUrls(httpRoutes(query.app), address, keys, query.includeKeys),
    keysUnreadable,
  };
}
