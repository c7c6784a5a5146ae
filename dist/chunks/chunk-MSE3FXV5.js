import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  ObjectAuthorizationV1Api
} from "./chunk-UOWXIDHC.js";
import {
  FIELD_MANAGER,
  MANAGED_SELECTOR,
  OWNED_KINDS,
  instanceOf,
  objectKey
} from "./chunk-RX4NZAIJ.js";
import {
  isNotFound,
  withRetries
} from "./chunk-TE2V2DN4.js";

// src/inventory/inventory.ts
async function listManaged(client, namespace) {
  const unserved = /* @__PURE__ */ new Set();
  const lists = await Promise.all(
    OWNED_KINDS.map(
      ({ apiVersion, kind }) => withRetries(
        () => client.list(apiVersion, kind, namespace, void 0, void 0, void 0, void 0, MANAGED_SELECTOR)
      ).then(
        (list) => ({ kind, items: list.items }),
        (error) => {
          if (!isNotFound(error)) throw error;
          unserved.add(`${apiVersion}/${kind}`);
          return { kind, items: [] };
        }
      )
    )
  );
  const objects = /* @__PURE__ */ new Map();
  for (const { kind, items } of lists) {
    for (const item of items) {
      const { labels, resourceVersion, generation } = item.metadata ?? {};
      objects.set(objectKey({ kind, metadata: item.metadata }), {
        instance: instanceOf(labels),
        resourceVersion,
        generation
      });
    }
  }
  return { objects, unserved };
}
function ownedBy(managed, app) {
  return new Map([...managed].filter(([, object]) => object.instance === app));
}
function notOwnedBecause(object, app) {
  const instance = instanceOf(object.metadata?.labels);
  if (instance === app) return void 0;
  if (instance !== void 0) return `belongs to app '${instance}'`;
  const writers = object.metadata?.managedFields?.map((entry) => entry.manager) ?? [];
  return writers.includes(FIELD_MANAGER) ? void 0 : `was not created by ${FIELD_MANAGER}`;
}
async function foreignObjects(client, namespace, objects, app) {
  const found = await Promise.all(
    objects.map(async ({ apiVersion, kind, metadata }) => {
      const spec = { apiVersion, kind, metadata: { name: metadata.name, namespace } };
      try {
        const why = notOwnedBecause(await withRetries(() => client.read(spec)), app);
        return why === void 0 ? [] : [{ key: objectKey(spec), why }];
      } catch (error) {
        if (isNotFound(error)) return [];
        throw error;
      }
    })
  );
  return found.flat();
}
async function removeObjects(client, namespace, keys, dryRun, onRemoved) {
  for (const owned of OWNED_KINDS) {
    for (const key of keys) {
      if (!key.startsWith(`${owned.kind}/`)) continue;
      const name = key.slice(owned.kind.length + 1);
      const object = { apiVersion: owned.apiVersion, kind: owned.kind, metadata: { name, namespace } };
      let existed = true;
      try {
        await withRetries(
          () => client.delete(object, void 0, dryRun ? "All" : void 0, void 0, void 0, "Background")
        );
      } catch (error) {
        if (!isNotFound(error)) throw error;
        existed = false;
      }
      onRemoved(owned.kind, name, existed);
    }
  }
}

// src/cluster/permissions.ts
async function isAllowed(config, namespace, verb, group, resource) {
  const review = await withRetries(
    () => config.makeApiClient(ObjectAuthorizationV1Api).createSelfSubjectAccessReview({
      body: { spec: { resourceAttributes: { namespace, verb, group, resource } } }
    })
  );
  return review.status?.allowed === true;
}

export {
  listManaged,
  ownedBy,
  notOwnedBecause,
  foreignObjects,
  removeObjects,
  isAllowed
};
