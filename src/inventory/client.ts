import { type KubeConfig, KubernetesObjectApi, type V1APIResource } from '@kubernetes/client-node';
import { OWNED_KINDS } from './labels.js';

/**
 * client-node's generic object client, minus the discovery round trips. The
 * stock client asks the API for an apiVersion's resource list before its first
 * request of that version, and caches only answered lists, so requests made at
 * once each ask again: a no-op redeploy spent nine discovery requests before
 * its first list. The kinds an app owns need no asking (their paths are fixed
 * by the API, KEDA's by its CRDs; a kind the cluster lacks answers the listing
 * with 404, which apply refuses up front); any other kind is discovered once
 * per apiVersion however many requests wait for it.
 */
export class AppObjectsApi extends KubernetesObjectApi {
  private readonly discovering = new Map<string, Promise<V1APIResource | undefined>>();

  static forConfig(config: KubeConfig): AppObjectsApi {
    const client = config.makeApiClient(AppObjectsApi);
    client.setDefaultNamespace(config);
    return client;
  }

  protected override async resource(apiVersion: string, kind: string): Promise<V1APIResource | undefined> {
    const owned = OWNED_RESOURCES.get(`${apiVersion}/${kind}`);
    if (owned) return owned;
    const pending = this.discovering.get(apiVersion);
    if (pending === undefined) {
      const lookup = super.resource(apiVersion, kind).finally(() => this.discovering.delete(apiVersion));
      this.discovering.set(apiVersion, lookup);
      return lookup;
    }
    // The answered list is in the stock cache now (a kind it lacks is asked for again, as a CRD may be new).
    await pending.catch(() => undefined);
    return super.resource(apiVersion, kind);
  }
}

const OWNED_RESOURCES: ReadonlyMap<string, V1APIResource> = new Map(
  OWNED_KINDS.map(({ apiVersion, kind, plural }) => [
    `${apiVersion}/${kind}`,
    { kind, name: plural, singularName: kind.toLowerCase(), namespaced: true, verbs: [] },
  ]),
);
