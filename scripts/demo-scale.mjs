// The demo's scale test, 0 → N → 0, as the Functions-on-KEDA guides run it:
// fill the queue, watch the event-driven Deployment's replica count, drain the
// queue as the function's consumers would, and see it go back to 0. Real: KEDA's
// operator (0 → 1 and back to 0), its metrics API server and the HPA controller
// (1 → N on KEDA's external metric). Simulated: kwok's pods run no Functions
// host, so the demo takes the messages off the queue itself, at a rate
// proportional to the ready replicas.
import * as k8s from '@kubernetes/client-node';

/** What one ready replica takes off the queue per second in the demo (a real host takes more). */
export const MESSAGES_PER_REPLICA_PER_SECOND = 3;

/** Runs an informer until the returned stop is called; a watch that fails is started again. */
function inform(informer, onObject) {
  informer.on('add', onObject);
  informer.on('update', onObject);
  let stopped = false;
  informer.on('error', () => !stopped && setTimeout(() => informer.start().catch(() => undefined), 500));
  const started = informer.start();
  return async () => {
    stopped = true;
    await started;
    await informer.stop();
  };
}

/** Calls `changed(desired, ready)` on every change of the Deployment's replica counts, from a watch. */
function watchReplicas(kc, namespace, name, changed) {
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const selector = `app.kubernetes.io/instance=${name},app.kubernetes.io/component=events`;
  const list = () => apps.listNamespacedDeployment({ namespace, labelSelector: selector });
  let last = '';
  return inform(k8s.makeInformer(kc, `/apis/apps/v1/namespaces/${namespace}/deployments`, list, selector), (d) => {
    const counts = [d.spec?.replicas ?? 0, d.status?.readyReplicas ?? 0];
    if (d.metadata?.name !== name || counts.join('/') === last) return;
    last = counts.join('/');
    changed(...counts);
  });
}

/**
 * Calls `scaled(by, size, message)` for each rescale the controllers report in their events: the HPA's
 * SuccessfulRescale ("New size: N; reason: ...") and KEDA's activation and deactivation ("... from A to B").
 */
function watchRescales(kc, namespace, name, scaled) {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const list = () => core.listNamespacedEvent({ namespace });
  const reported = new Map();
  return inform(k8s.makeInformer(kc, `/api/v1/namespaces/${namespace}/events`, list), (event) => {
    const { kind, name: object } = event.involvedObject ?? {};
    const message = (event.message ?? '').replace(/\(&LabelSelector\{.*\}\)/, '');
    const time = new Date(event.lastTimestamp ?? event.eventTime ?? 0).getTime();
    // An event repeated is the same object with a higher count.
    const key = `${event.metadata?.uid}/${event.count ?? 1}`;
    if (reported.has(key)) return;
    reported.set(key, true);
    if (kind === 'HorizontalPodAutoscaler' && object === `keda-hpa-${name}` && event.reason === 'SuccessfulRescale') {
      scaled('the HPA', Number(/New size: (\d+)/.exec(message)?.[1]), message, time);
    } else if (
      kind === 'ScaledObject' &&
      object === name &&
      /^KEDAScaleTarget(Activated|Deactivated)$/.test(event.reason)
    ) {
      scaled('KEDA', Number(/ to (\d+)/.exec(message)?.[1]), message, time);
    }
  });
}

/** Sends `count` messages, a few dozen at a time. */
async function fill(queue, count) {
  let next = 0;
  const sender = async () => {
    while (next < count) {
      const id = next++;
      await queue.sendMessage(Buffer.from(JSON.stringify({ id, item: 'scale test' })).toString('base64'));
    }
  };
  await Promise.all(Array.from({ length: 32 }, sender));
}

/** Takes up to `count` messages off the queue, as that many function invocations would. */
async function consume(queue, count) {
  while (count > 0) {
    const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: Math.min(32, count) });
    if (receivedMessageItems.length === 0) return;
    await Promise.all(receivedMessageItems.map((m) => queue.deleteMessage(m.messageId, m.popReceipt)));
    count -= receivedMessageItems.length;
  }
}

const sleep = (seconds) => new Promise((r) => setTimeout(r, seconds * 1000));

function rejectAfter(seconds, what) {
  return new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`${what} within ${seconds}s`)), seconds * 1000).unref(),
  );
}

/**
 * Runs the scale test on the Deployment `name` (scaled by KEDA on `queue`), printing each replica change and each
 * rescale the controllers report; returns the steps of the replica count, [{ seconds, replicas, by }], once the
 * queue is empty and the Deployment is back at 0.
 */
export async function scaleTest({ kc, namespace, name, queue, messages, deadlineSeconds = 240 }) {
  let started = Date.now();
  const seconds = () => (Date.now() - started) / 1000;
  const at = () => `   t+${seconds().toFixed(1).padStart(5)}s`;
  let running = false;
  // What the queue held at the last look, once a second (undefined until the first).
  let queued;
  const queueText = () => (queued === undefined ? 'queue filling' : `queue ≈ ${queued}`);
  let [desired, ready] = [-1, 0];
  let atRest;
  const rested = new Promise((resolve) => (atRest = resolve));
  const steps = [];
  const rescales = [];
  const stopReplicas = watchReplicas(kc, namespace, name, (nowDesired, nowReady) => {
    if (running && nowDesired !== desired) steps.push({ seconds: seconds(), replicas: nowDesired });
    [desired, ready] = [nowDesired, nowReady];
    if (desired === 0 && ready === 0) atRest();
    if (running)
      console.log(
        `${at()}  replicas ${String(desired).padStart(2)}, ready ${String(ready).padStart(2)}   ${queueText()}`,
      );
  });
  const stopRescales = watchRescales(kc, namespace, name, (by, size, message, time) => {
    // Events keep whole seconds.
    if (!running || time < Math.floor(started / 1000) * 1000) return;
    rescales.push({ by, size });
    console.log(`${at()}  ${by}: ${message}`);
  });
  let filled;
  let allSent = false;
  try {
    await Promise.race([rested, rejectAfter(60, `${name} was not at 0 replicas with its queue empty`)]);
    // A rescale KEDA reported on its way to 0 stays out of the test.
    await sleep(1.5);
    console.log(`   ${name} is at 0 replicas and its queue is empty; t+0 is the first message`);
    [started, running] = [Date.now(), true];
    filled = fill(queue, messages).then(() => {
      allSent = true;
      console.log(`${at()}  all ${messages} messages sent`);
    });
    // Once a second: the ready replicas take their share off the queue; what is left is what KEDA reads.
    while (seconds() < deadlineSeconds) {
      await sleep(1);
      await consume(queue, ready * MESSAGES_PER_REPLICA_PER_SECOND);
      const before = queued;
      queued = (await queue.getProperties()).approximateMessagesCount ?? 0;
      if (allSent && queued === 0 && before > 0)
        console.log(`${at()}  the queue is empty: KEDA takes the app to 0 after the cooldown`);
      if (allSent && queued === 0 && desired === 0) break;
    }
    if (desired !== 0)
      throw new Error(`the scale test did not end within ${deadlineSeconds}s: ${queued} queued, ${desired} replicas`);
    // The event of the last rescale may follow the replica count it set.
    await sleep(1);
  } finally {
    await filled;
    await Promise.all([stopReplicas(), stopRescales()]);
  }
  // Who made each step: the controller whose next event names that size.
  return steps.map((step) => {
    const i = rescales.findIndex((rescale) => rescale.size === step.replicas);
    return { ...step, by: i < 0 ? 'unreported' : rescales.splice(i, 1)[0].by };
  });
}
