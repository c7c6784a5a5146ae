import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  isAllowed
} from "./chunk-MSE3FXV5.js";
import {
  ObjectCoordinationV1Api,
  V1MicroTime
} from "./chunk-UOWXIDHC.js";
import {
  UserError,
  apiStatus,
  isNamespaceTerminating,
  isNotFound,
  withRetries
} from "./chunk-TE2V2DN4.js";

// src/apply/lease.ts
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
var LEASE_SECONDS = 30;
var RENEW_MS = 5e3;
var POLL_MS = 1e3;
var RELEASE_MS = 5e3;
async function takeAppLease(config, namespace, app, policy, deadline, run, log) {
  if (policy === "off") return void 0;
  const holder = `${run.url ?? hostname()}, process ${process.pid}, ${randomUUID().slice(0, 8)}`;
  try {
    return await holdDeployLease(config.makeApiClient(ObjectCoordinationV1Api), namespace, app, holder, deadline, log);
  } catch (error) {
    if (apiStatus(error)?.code !== 403 || isNamespaceTerminating(error)) throw error;
    if (policy === "required") throw leaseRequired(namespace);
    log.warning(
      `no permission to create Leases in namespace ${namespace}: going on without the guard against a concurrent deploy of ${app} (deploy-lease: required refuses this; off does not try)`
    );
    return void 0;
  }
}
async function requireLeasePermission(config, namespace) {
  if (!await isAllowed(config, namespace, "create", "coordination.k8s.io", "leases")) throw leaseRequired(namespace);
}
function leaseRequired(namespace) {
  return new UserError(
    `no permission to create Leases in namespace ${namespace}, which deploy-lease: required needs: grant this identity create, get, update and delete on leases.coordination.k8s.io there, or set deploy-lease: if-permitted`
  );
}
async function holdDeployLease(api, namespace, app, holder, deadline, log) {
  const name = `aks-functions-deploy.${app}`;
  const firstSeen = /* @__PURE__ */ new Map();
  let waitingFor;
  for (; ; ) {
    const attempt = await tryTake(api, namespace, name, holder, firstSeen);
    if ("lease" in attempt) {
      if (waitingFor !== void 0) log.info(`Lease ${name} is free: deploying`);
      return heldLease(api, attempt.lease, holder, log);
    }
    if ("again" in attempt) continue;
    if (Date.now() >= deadline)
      throw new UserError(
        `another deploy of ${app} (${attempt.holder}) still holds Lease ${name} in namespace ${namespace}; try again when it is done`
      );
    if (waitingFor !== attempt.holder)
      log.info(`waiting for another deploy of ${app} to finish (${attempt.holder} holds Lease ${name})`);
    waitingFor = attempt.holder;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
async function tryTake(api, namespace, name, holder, firstSeen) {
  const now = new V1MicroTime();
  const body = {
    metadata: { name, namespace },
    spec: { holderIdentity: holder, leaseDurationSeconds: LEASE_SECONDS, acquireTime: now, renewTime: now }
  };
  try {
    return { lease: await withRetries(() => api.createNamespacedLease({ namespace, body })) };
  } catch (error) {
    if (apiStatus(error)?.code !== 409) throw error;
  }
  let current;
  try {
    current = await withRetries(() => api.readNamespacedLease({ name, namespace }));
  } catch (error) {
    if (isNotFound(error)) return { again: true };
    throw error;
  }
  const version = current.metadata?.resourceVersion ?? "";
  if (!firstSeen.has(version)) firstSeen.set(version, performance.now());
  const duration = (current.spec?.leaseDurationSeconds ?? LEASE_SECONDS) * 1e3;
  const lapsed = !current.spec?.holderIdentity || performance.now() - firstSeen.get(version) > duration;
  if (!lapsed) return { holder: current.spec?.holderIdentity };
  try {
    return {
      lease: await api.replaceNamespacedLease({
        name,
        namespace,
        body: { ...body, metadata: { ...body.metadata, resourceVersion: version } }
      })
    };
  } catch (error) {
    if (isNotFound(error)) return { again: true };
    if (apiStatus(error)?.code === 409) return { holder: "a deploy that just took it" };
    throw error;
  }
}
function heldLease(api, taken, holder, log) {
  let lease = taken;
  let lost = false;
  let renewing = Promise.resolve();
  const { name, namespace } = lease.metadata;
  const renew = async () => {
    try {
      lease = await api.replaceNamespacedLease({
        name,
        namespace,
        body: { ...lease, spec: { ...lease.spec, renewTime: new V1MicroTime() } }
      });
    } catch (error) {
      if (apiStatus(error)?.code !== 409 && !isNotFound(error)) return;
      const current = await api.readNamespacedLease({ name, namespace }).catch(() => void 0);
      if (current?.spec?.holderIdentity === holder) {
        lease = current;
      } else if (current || isNotFound(error)) {
        lost = true;
        clearInterval(renewal);
        log.warning(
          `Lease ${name} is no longer held by this deploy (${current?.spec?.holderIdentity ?? "deleted"}): another deploy of the app may run alongside`
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
        await api.deleteNamespacedLease({
          name,
          namespace,
          body: { preconditions: { resourceVersion: lease.metadata?.resourceVersion } }
        }).catch(() => void 0);
      })();
      let timer;
      const givenUp = new Promise((resolve) => {
        timer = setTimeout(resolve, RELEASE_MS);
        timer.unref();
      });
      await Promise.race([released, givenUp]);
      clearTimeout(timer);
    }
  };
}

export {
  takeAppLease,
  requireLeasePermission
};
