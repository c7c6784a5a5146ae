import type { Informer, KubernetesObject } from '@kubernetes/client-node';

/**
 * Starts informers and calls `changed` on every event. An informer restarts
 * its own watch when the server closes it; when the connection itself fails
 * (apiserver restarting) it stops, so it is restarted here, backing off.
 */
export function runInformers(
  informers: readonly Informer<KubernetesObject>[],
  changed: () => void,
): { started: Promise<void>; stop: () => Promise<void> } {
  let stopped = false;
  for (const informer of informers) {
    let backoff = 250;
    for (const event of ['add', 'update', 'delete'] as const) informer.on(event, changed);
    informer.on('connect', () => {
      backoff = 250;
    });
    informer.on('error', () => {
      if (stopped) return;
      setTimeout(() => {
        if (!stopped) informer.start().catch(() => undefined);
      }, backoff).unref();
      backoff = Math.min(backoff * 2, 4000);
    });
  }
  const started = Promise.all(informers.map((informer) => informer.start())).then(() => undefined);
  return {
    started,
    stop: async () => {
      stopped = true;
      // An informer still listing would open its watch after a stop: let the starts finish first.
      await started.catch(() => undefined);
      await Promise.all(informers.map((informer) => informer.stop()));
    },
  };
}

/**
 * Resolves once `done()` holds, judged once every informer has listed and at each event after; rejects with
 * `timedOut()` after `timeoutSeconds`. The informers stop either way.
 */
export async function untilInformed(
  informers: readonly Informer<KubernetesObject>[],
  done: () => boolean,
  timeoutSeconds: number,
  timedOut: () => Error,
): Promise<void> {
  let running: ReturnType<typeof runInformers> | undefined;
  let deadline: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      // Not while they list: an object not listed yet would read as gone.
      let listed = false;
      const judge = () => {
        if (listed && done()) resolve();
      };
      deadline = setTimeout(() => reject(timedOut()), timeoutSeconds * 1000);
      running = runInformers(informers, judge);
      running.started.then(() => {
        listed = true;
        judge();
      }, reject);
    });
  } finally {
    clearTimeout(deadline);
    await running?.stop();
  }
}
