import type { ContainerServiceClient, ManagedCluster } from '@azure/arm-containerservice';
import { enableKedaAddon } from '../../src/azure/aks.js';

const cluster = { subscriptionId: 'sub', resourceGroup: 'rg-apps', clusterName: 'aks-prod', admin: false };
const where = 'AKS cluster aks-prod in resource group rg-apps';
const log = { info: () => undefined, warning: () => undefined };
const preconditionFailed = () =>
  Object.assign(new Error('The If-Match header does not match the current eTag.'), {
    statusCode: 412,
    code: 'PreConditionFailed',
  });

/**
 * ARM's managedClusters as AKS answers them: a PUT whose If-Match is not the cluster's current eTag is 412; a PUT
 * that goes through gives the cluster a new eTag. `writes` are other clients' writes, each landing just before a PUT.
 */
function armClusters(initial: ManagedCluster, otherWrites: ManagedCluster[]) {
  let current = initial;
  const puts: { body: ManagedCluster; ifMatch?: string }[] = [];
  let gets = 0;
  const managedClusters = {
    get: async () => (gets++, current),
    createOrUpdate: async (_rg: string, _name: string, body: ManagedCluster, options: { ifMatch?: string }) => {
      puts.push({ body, ifMatch: options.ifMatch });
      current = otherWrites.shift() ?? current;
      if (options.ifMatch !== undefined && options.ifMatch !== current.eTag) throw preconditionFailed();
      current = { ...body, eTag: `${current.eTag}+` };
      return current;
    },
  };
  return { client: { managedClusters } as unknown as ContainerServiceClient, puts, gets: () => gets };
}

const read = { location: 'westeurope', eTag: 'etag-1', workloadAutoScalerProfile: {} } as ManagedCluster;

describe('enabling the KEDA add-on under AKS optimistic concurrency', () => {
  test('the PUT carries the eTag the cluster was read with', async () => {
    const arm = armClusters(read, []);
    await enableKedaAddon(arm.client, cluster, read, where, log);
    expect(arm.puts).toEqual([
      { body: expect.objectContaining({ workloadAutoScalerProfile: { keda: { enabled: true } } }), ifMatch: 'etag-1' },
    ]);
  });

  test('a 412 (another write in between) is read again and retried once with the new eTag', async () => {
    const arm = armClusters(read, [{ ...read, eTag: 'etag-2', tags: { team: 'ops' } }]);
    await enableKedaAddon(arm.client, cluster, read, where, log);
    expect(arm.puts.map((put) => put.ifMatch)).toEqual(['etag-1', 'etag-2']);
    // The retry keeps what the other client wrote.
    expect(arm.puts[1]?.body.tags).toEqual({ team: 'ops' });
    expect(arm.gets()).toBe(1);
  });

  test('a second 412 is one clear error, and nothing is retried after it', async () => {
    const arm = armClusters(read, [
      { ...read, eTag: 'etag-2' },
      { ...read, eTag: 'etag-3' },
    ]);
    await expect(enableKedaAddon(arm.client, cluster, read, where, log)).rejects.toThrow(
      `cannot enable the KEDA add-on of ${where}: the cluster changed again between reading it and writing it ` +
        `(412 PreConditionFailed on its eTag)`,
    );
    expect(arm.puts).toHaveLength(2);
  });

  test('when the write in between enabled the add-on itself, nothing more is written', async () => {
    const arm = armClusters(read, [
      { ...read, eTag: 'etag-2', workloadAutoScalerProfile: { keda: { enabled: true } } },
    ]);
    await enableKedaAddon(arm.client, cluster, read, where, log);
    expect(arm.puts).toHaveLength(1);
  });
});
