import { type CoordinationV1Api, type V1Lease, V1MicroTime } from '@kubernetes/client-node';
import { UserError } from '../errors.js';
import { apiStatus, withRetries } from '../cluster/status.js';

/** How long a lease outlives its last renewal: a deploy that died frees the app this long after. */
const LEASE_SECONDS = 30;
const POLL_MS = 1000;

export interface DeployLease {
  /** Frees the app for the next deploy. */
  release(): Promise<void>;
}

/**
 * One deploy of an app at a time: a Lease in its namespace, held from the
 * apply to the end of the wait and renewed while held. A second deploy waits
 * for it until `deadline`. A lease nobody renews lapses; whether it has is
 * judged by this process's own clock, from when it first saw that version of
 * the lease, so clocks that disagree do not matter.
 */
export async function holdDeployLease(api: CoordinationV1Api, namespace: string, app: string, holder: string, deadline: number, log: (message: string) => void): Promise<DeployLease> {
  const name = `aks-functions-deploy.${app}`;
  const firstSeen = new Map<string, number>();
  let waitingFor: string | undefined;
  for (;;) {
    const taken = await tryTake(api, namespace, name, holder, firstSeen);
    if ('lease' in taken) {
      if (waitingFor !== undefined) log(`the other deploy of ${app} is done: deploying`);
      return heldLease(api, taken.lease);
    }
    if (Date.now() >= deadline) throw new UserError(`another deploy of ${app} (${taken.holder}) still holds Lease ${name} in namespace ${namespace}; try again when it is done`);
    if (waitingFor !== taken.holder) log(`waiting for another deploy of ${app} to finish (${taken.holder} holds Lease ${name})`);
    waitingFor = taken.holder;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function tryTake(api: CoordinationV1Api, namespace: string, name: string, holder: string, firstSeen: Map<string, number>): Promise<{ lease: V1Lease } | { holder: string }> {
  // Lease times are MicroTime: six fractional digits, which a plain Date does not give.
  const now = new V1MicroTime();
  const body: V1Lease = { metadata: { name, namespace }, spec: { holderIdentity: holder, leaseDurationSeconds: LEASE_SECONDS, acquireTime: now, renewTime: now } };
  try {
    return { lease: await withRetries(() => api.createNamespacedLease({ namespace, body })) };
  } catch (error) {
    if (apiStatus(error)?.code !== 409) throw error;
  }
  const current = await withRetries(() => api.readNamespacedLease({ name, namespace }));
  const version = current.metadata?.resourceVersion ?? '';
  if (!firstSeen.has(version)) firstSeen.set(version, Date.now());
  const duration = (current.spec?.leaseDurationSeconds ?? LEASE_SECONDS) * 1000;
  const lapsed = !current.spec?.holderIdentity || Date.now() - (firstSeen.get(version) as number) > duration;
  if (!lapsed) return { holder: current.spec?.holderIdentity as string };
  try {
    // Only this version: when another deploy takes it first, the replace conflicts.
    return { lease: await api.replaceNamespacedLease({ name, namespace, body: { ...body, metadata: { ...body.metadata, resourceVersion: version } } }) };
  } catch (error) {
    if (apiStatus(error)?.code === 409) return { holder: 'a deploy that just took it' };
    throw error;
  }
}

function heldLease(api: CoordinationV1Api, taken: V1Lease): DeployLease {
  let lease = taken;
  let renewing: Promise<unknown> = Promise.resolve();
  const { name, namespace } = lease.metadata as { name: string; namespace: string };
  const renewal = setInterval(() => {
    const body = { ...lease, spec: { ...lease.spec, renewTime: new V1MicroTime() } };
    renewing = api.replaceNamespacedLease({ name, namespace, body }).then(
      (renewed) => (lease = renewed),
      // A missed renewal is made up by the next one, well inside the lease's duration.
      () => undefined,
    );
  }, (LEASE_SECONDS * 1000) / 3);
  renewal.unref();
  return {
    async release() {
      clearInterval(renewal);
      await renewing;
      // Only if it is still ours; if the delete fails, the lease lapses by itself.
      await api.deleteNamespacedLease({ name, namespace, body: { preconditions: { resourceVersion: lease.metadata?.resourceVersion } } }).catch(() => undefined);
    },
  };
}
