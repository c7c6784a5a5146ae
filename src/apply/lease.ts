import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { CoordinationV1Api, type KubeConfig, type V1Lease, V1MicroTime } from '@kubernetes/client-node';
import { UserError } from '../errors.js';
import { apiStatus, isNamespaceTerminating, isNotFound, withRetries } from '../cluster/status.js';
import type { Log } from '../platform.js';
import { isAllowed } from '../cluster/permissions.js';

/** How long a lease outlives its last renewal: a deploy that died frees the app this long after. */
const LEASE_SECONDS = 30;
/** Renewed this often, so a few missed renewals (a restarting apiserver) still leave it held. */
const RENEW_MS = 5000;
const POLL_MS = 1000;
/** A release that gets no answer is given up on: the lease lapses by itself. */
const RELEASE_MS = 5000;

export interface DeployLease {
  /** Frees the app for the next deploy. */
  release(): Promise<void>;
}

/**
 * if-permitted: hold the Lease, or go on without it (with a warning) where this identity may not use Leases;
 * required: that is an error; off: no Lease is taken.
 */
export type LeasePolicy = 'if-permitted' | 'required' | 'off';

/**
 * The app's deploy Lease, held for a holder unique even among the parallel
 * jobs and re-runs of one CI run; none where the policy says so, or (with a
 * warning) where it allows going on when this identity may not use Leases.
 */
export async function takeAppLease(
  config: KubeConfig,
  namespace: string,
  app: string,
  policy: LeasePolicy,
  deadline: number,
  run: { readonly url?: string },
  log: Log,
): Promise<DeployLease | undefined> {
  if (policy === 'off') return undefined;
  const holder = `${run.url ?? hostname()}, process ${process.pid}, ${randomUUID().slice(0, 8)}`;
  try {
    return await holdDeployLease(config.makeApiClient(CoordinationV1Api), namespace, app, holder, deadline, log);
  } catch (error) {
    // A namespace being deleted refuses with 403 too: that is not a permission to go on without.
    if (apiStatus(error)?.code !== 403 || isNamespaceTerminating(error)) throw error;
    if (policy === 'required') throw leaseRequired(namespace);
    log.warning(
      `no permission to create Leases in namespace ${namespace}: going on without the guard against a concurrent ` +
        `deploy of ${app} (deploy-lease: required refuses this; off does not try)`,
    );
    return undefined;
  }
}

/**
 * With deploy-lease: required, whether this identity may take the Lease, asked before anything changes: into a
 * namespace that does not exist yet the Lease can only be taken after the namespace is made.
 */
export async function requireLeasePermission(config: KubeConfig, namespace: string): Promise<void> {
  if (!(await isAllowed(config, namespace, 'create', 'coordination.k8s.io', 'leases'))) throw leaseRequired(namespace);
}

function leaseRequired(namespace: string): UserError {
  return new UserError(
    `no permission to create Leases in namespace ${namespace}, which deploy-lease: required needs: grant this ` +
      'identity create, get, update and delete on leases.coordination.k8s.io there, or set deploy-lease: if-permitted',
  );
}

type Attempt = { readonly lease: V1Lease } | { readonly holder: string } | { readonly again: true };

/**
 * One deploy of an app at a time: a Lease in its namespace, held from the
 * apply to the end of the wait and renewed while held. A second deploy waits
 * for it until `deadline`. A lease nobody renews lapses; whether it has is
 * judged by this process's own monotonic clock, from when it first saw that
 * version of the lease, so clocks that disagree do not matter.
 */
export async function holdDeployLease(
  api: CoordinationV1Api,
  namespace: string,
  app: string,
  holder: string,
  deadline: number,
  log: Log,
): Promise<DeployLease> {
  const name = `aks-functions-deploy.${app}`;
  const firstSeen = new Map<string, number>();
  let waitingFor: string | undefined;
  for (;;) {
    const attempt = await tryTake(api, namespace, name, holder, firstSeen);
    if ('lease' in attempt) {
      if (waitingFor !== undefined) log.info(`Lease ${name} is free: deploying`);
      return heldLease(api, attempt.lease, holder, log);
    }
    // Released between our create and our read: try at once.
    if ('again' in attempt) continue;
    if (Date.now() >= deadline)
      throw new UserError(
        `another deploy of ${app} (${attempt.holder}) still holds Lease ${name} in namespace ${namespace}; try ` +
          `again when it is done`,
      );
    if (waitingFor !== attempt.holder)
      log.info(`waiting for another deploy of ${app} to finish (${attempt.holder} holds Lease ${name})`);
    waitingFor = attempt.holder;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function tryTake(
  api: CoordinationV1Api,
  namespace: string,
  name: string,
  holder: string,
  firstSeen: Map<string, number>,
): Promise<Attempt> {
  // Lease times are MicroTime: six fractional digits, which a plain Date does not give.
  const now = new V1MicroTime();
  const body: V1Lease = {
    metadata: { name, namespace },
    spec: { holderIdentity: holder, leaseDurationSeconds: LEASE_SECONDS, acquireTime: now, renewTime: now },
  };
  try {
    return { lease: await withRetries(() => api.createNamespacedLease({ namespace, body })) };
  } catch (error) {
    if (apiStatus(error)?.code !== 409) throw error;
  }
  let current: V1Lease;
  try {
    current = await withRetries(() => api.readNamespacedLease({ name, namespace }));
  } catch (error) {
    if (isNotFound(error)) return { again: true };
    throw error;
  }
  const version = current.metadata?.resourceVersion ?? '';
  if (!firstSeen.has(version)) firstSeen.set(version, performance.now());
  const duration = (current.spec?.leaseDurationSeconds ?? LEASE_SECONDS) * 1000;
  const lapsed = !current.spec?.holderIdentity || performance.now() - (firstSeen.get(version) as number) > duration;
  if (!lapsed) return { holder: current.spec?.holderIdentity as string };
  try {
    // Only this version: when another deploy takes it first, the replace conflicts.
    return {
      lease: await api.replaceNamespacedLease({
        name,
        namespace,
        body: { ...body, metadata: { ...body.metadata, resourceVersion: version } },
      }),
    };
  } catch (error) {
    if (isNotFound(error)) return { again: true };
    if (apiStatus(error)?.code === 409) return { holder: 'a deploy that just took it' };
    throw error;
  }
}

function heldLease(api: CoordinationV1Api, taken: V1Lease, holder: string, log: Log): DeployLease {
  let lease = taken;
  let lost = false;
  let renewing: Promise<unknown> = Promise.resolve();
  const { name, namespace } = lease.metadata as { name: string; namespace: string };
  const renew = async () => {
    try {
      lease = await api.replaceNamespacedLease({
        name,
        namespace,
        body: { ...lease, spec: { ...lease.spec, renewTime: new V1MicroTime() } },
      });
    } catch (error) {
      // A renewal whose answer was lost leaves a newer version behind: still ours if it names us.
      if (apiStatus(error)?.code !== 409 && !isNotFound(error)) return; // missed: the next tick tries again
      const current = await api.readNamespacedLease({ name, namespace }).catch(() => undefined);
      if (current?.spec?.holderIdentity === holder) {
        lease = current;
      } else if (current || isNotFound(error)) {
        lost = true;
        clearInterval(renewal);
        log.warning(
          `Lease ${name} is no longer held by this deploy (${current?.spec?.holderIdentity ?? 'deleted'}): ` +
            `another deploy of the app may run alongside`,
        );
      }
    }
  };
  const renewal = setInterval(() => {
    renewing = renew();
  }, RENEW_MS);
  renewal.unref();
  return {
    async release() {
      clearInterval(renewal);
      if (lost) return;
      const released = (async () => {
        await renewing;
        // Only if it is still ours; if the delete fails, the lease lapses by itself.
        await api
          .deleteNamespacedLease({
            name,
            namespace,
            body: { preconditions: { resourceVersion: lease.metadata?.resourceVersion } },
          })
          .catch(() => undefined);
      })();
      let timer: NodeJS.Timeout | undefined;
      const givenUp = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, RELEASE_MS);
        timer.unref();
      });
      await Promise.race([released, givenUp]);
      clearTimeout(timer);
    },
  };
}
