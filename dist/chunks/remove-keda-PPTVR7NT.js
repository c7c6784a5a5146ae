import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  findKeda,
  kedaManager,
  loadManifest,
  untilInformed
} from "./chunk-4LNII7FL.js";
import {
  connectDirectly
} from "./chunk-EAY7ROMA.js";
import {
  AppObjectsApi
} from "./chunk-JF7WQEYM.js";
import "./chunk-F56KB3A3.js";
import "./chunk-KFKGVJW5.js";
import {
  ObjectApiextensionsV1Api,
  ObjectAppsV1Api,
  ObjectAutoscalingV2Api,
  ObjectBatchV1Api,
  ObjectCoreV1Api,
  ObjectCustomObjectsApi,
  makeInformer
} from "./chunk-UOWXIDHC.js";
import {
  planAzure
} from "./chunk-A5VRGEI7.js";
import "./chunk-7FBAEKCG.js";
import "./chunk-5NHKPN6R.js";
import "./chunk-TEGGAPAS.js";
import "./chunk-7MDPWMVI.js";
import "./chunk-L75XPDAN.js";
import {
  KEDA_MANIFEST_SHA256
} from "./chunk-CHEWDH2Y.js";
import {
  FIELD_MANAGER
} from "./chunk-RX4NZAIJ.js";
import "./chunk-ZSHJFUU6.js";
import "./chunk-LXA5KJQK.js";
import "./chunk-GVZNERBE.js";
import "./chunk-7NIGNZU7.js";
import {
  UserError,
  apiStatus,
  describeFailure,
  isNotFound,
  withRetries
} from "./chunk-TE2V2DN4.js";
import "./chunk-J2GP2G6B.js";

// src/keda/removal-plan.ts
var SCALING_KINDS = ["ScaledObject", "ScaledJob"];
var VERSION_LABEL = "app.kubernetes.io/version";
function rank(object) {
  switch (object.kind) {
    case "APIService":
    case "ValidatingWebhookConfiguration":
    case "MutatingWebhookConfiguration":
      return 0;
    case "Deployment":
      return 1;
    case "CustomResourceDefinition":
      return 3;
    case "Namespace":
      return 5;
    default:
      return object.metadata.namespace === void 0 ? 4 : 2;
  }
}
function removalPlan(objects) {
  const manifest = objects.filter(
    (object) => object.apiVersion !== void 0 && object.kind !== void 0
  );
  const crds = manifest.filter((object) => object.kind === "CustomResourceDefinition");
  const namespace = manifest.find((object) => object.kind === "Namespace")?.metadata.name;
  if (namespace === void 0) throw new Error("a KEDA manifest without its Namespace");
  const operator = manifest.find((object) => object.kind === "Deployment" && object.metadata.name === "keda-operator");
  const scalingFirst = (kind) => {
    const index = SCALING_KINDS.indexOf(kind.kind);
    return index < 0 ? SCALING_KINDS.length : index;
  };
  return {
    version: operator?.metadata.labels?.[VERSION_LABEL],
    namespace,
    customKinds: crds.map(customKind).sort((a, b) => scalingFirst(a) - scalingFirst(b)),
    deletions: manifest.map((object, index) => ({ object, index })).sort((a, b) => rank(a.object) - rank(b.object) || a.index - b.index).map(({ object }) => ({
      object,
      // Its pods first: the Deployment is gone only once KEDA's programs are.
      propagation: object.kind === "Deployment" ? "Foreground" : "Background"
    })),
    crds: crds.map((crd) => crd.metadata.name)
  };
}
function customKind(crd) {
  const spec = crd.spec;
  const stored = spec.versions.find((version) => version.storage) ?? spec.versions[0];
  return {
    kind: spec.names.kind,
    group: spec.group,
    version: stored?.name ?? "v1alpha1",
    plural: spec.names.plural,
    namespaced: spec.scope === "Namespaced"
  };
}
function shownObject(object) {
  const { name, namespace } = object.metadata ?? {};
  return namespace === void 0 ? `${object.kind}/${name}` : `${object.kind} ${namespace}/${name}`;
}
function fewOf(items, few = 5) {
  if (items.length <= few) return items.join(", ");
  return `${items.slice(0, few).join(", ")} and ${items.length - few} more`;
}
function notFromManifest(expected, found) {
  const managers = (found.metadata?.managedFields ?? []).filter((entry) => entry.operation === "Apply").map((entry) => entry.manager);
  if (!managers.includes(FIELD_MANAGER)) return "was not applied by aks-functions-deploy";
  const labels = found.metadata?.labels ?? {};
  const missing = Object.entries(expected.metadata.labels ?? {}).find(
    ([key, value]) => key !== VERSION_LABEL && labels[key] !== value
  );
  return missing ? `lacks the manifest's label ${missing[0]}: ${missing[1]}` : void 0;
}
var refusals = {
  inUse(scaling, version) {
    const counts = SCALING_KINDS.map((kind) => {
      const count = scaling.filter((object) => object.kind === kind).length;
      return count === 0 ? void 0 : `${count} ${kind}${count === 1 ? "" : "s"}`;
    }).filter((count) => count !== void 0);
    return `KEDA ${version} is in use: ${counts.join(" and ")} in the cluster (${fewOf(scaling.map(shownObject))}); delete them first (aks-functions-deploy delete --name APP for an app this product deployed), or give --force to have KEDA remove them before it goes (what they scaled keeps the replicas KEDA last gave it)`;
  },
  addon(evidence, cluster) {
    const { resourceGroup, clusterName } = cluster ?? { resourceGroup: "<resource-group>", clusterName: "<cluster>" };
    return `KEDA in this cluster is the AKS add-on's (${evidence}): AKS manages it; turn the add-on off instead: az aks update --resource-group ${resourceGroup} --name ${clusterName} --disable-keda (or set the managed cluster's workloadAutoScalerProfile.keda.enabled to false through ARM)`;
  },
  addonGoing(evidence) {
    return `KEDA in this cluster is the AKS add-on's (${evidence}), and ARM says the add-on is disabled: AKS is removing it; nothing to remove here`;
  },
  helm(found, release) {
    const uninstall = release ? `helm uninstall ${release.name} -n ${release.namespace ?? found.namespace}` : `helm uninstall <release> -n ${found.namespace} (helm list -n ${found.namespace} names the release)`;
    return `KEDA ${found.version} in namespace ${found.namespace} was installed by Helm (${found.evidence}): remove it with Helm: delete its ScaledObjects and ScaledJobs first, then ${uninstall}`;
  },
  otherNamespace(version, namespace, manifestNamespace) {
    return `KEDA ${version} runs in namespace ${namespace}, but its manifest installs into ${manifestNamespace}: this product did not install it; remove it the way it was installed`;
  },
  notOurs(version, namespace, foreign) {
    return `KEDA ${version} in namespace ${namespace} was not installed by aks-functions-deploy (${fewOf(foreign)}): remove it the way it was installed (kubectl delete -f with the manifest it was applied from)`;
  },
  notCarried(version, namespace, carried) {
    return `KEDA ${version} in namespace ${namespace} is a version this product does not carry (it carries ${carried.join(" and ")}): give --keda-manifest-url (a copy of the manifest it was installed from) and --keda-manifest-sha256, as its install did`;
  },
  otherManifest(shown, manifestVersion, version) {
    return `input 'keda-manifest-url': ${shown} installs KEDA ${manifestVersion ?? "(no version label)"}, but the cluster runs KEDA ${version}: give the manifest it was installed from`;
  },
  notKedaOnly(namespace, workloads) {
    return `namespace ${namespace} holds ${fewOf(workloads)}, which KEDA's manifest did not create; removing KEDA deletes its namespace: move or delete them first`;
  }
};

// src/keda/remove-objects.ts
async function unlessNotFound(call) {
  try {
    return await withRetries(call);
  } catch (error) {
    if (isNotFound(error)) return void 0;
    throw error;
  }
}
function reference({ apiVersion, kind, metadata }) {
  return { apiVersion, kind, metadata: { name: metadata.name, namespace: metadata.namespace } };
}
async function presentObjects(client, deletions) {
  const found = await Promise.all(
    deletions.map(async (deletion) => [deletion, await unlessNotFound(() => client.read(reference(deletion.object)))])
  );
  return new Map(found.filter((entry) => entry[1] !== void 0));
}
async function deleteListed(client, deletions, present, log) {
  for (const deletion of deletions) {
    const found = present.get(deletion);
    if (found === void 0 || found.metadata?.deletionTimestamp !== void 0) continue;
    const { object, propagation } = deletion;
    await unlessNotFound(
      () => client.delete(reference(object), void 0, void 0, void 0, void 0, propagation)
    );
    log.info(`deleted ${shownObject(object)}`);
  }
}
async function checkKedaOnly(config, plan) {
  const apps = config.makeApiClient(ObjectAppsV1Api);
  const namespace = plan.namespace;
  const ours = new Set(
    plan.deletions.filter(({ object }) => object.metadata.namespace === namespace).map(({ object }) => shownObject(object))
  );
  const lists = await Promise.all([
    withRetries(() => apps.listNamespacedDeployment({ namespace })).then((list) => ["Deployment", list.items]),
    withRetries(() => apps.listNamespacedStatefulSet({ namespace })).then(
      (list) => ["StatefulSet", list.items]
    ),
    withRetries(() => apps.listNamespacedDaemonSet({ namespace })).then((list) => ["DaemonSet", list.items])
  ]);
  const others = lists.flatMap(
    ([kind, items]) => items.map((item) => shownObject({ kind, metadata: { name: item.metadata?.name, namespace } }))
  ).filter((shown) => !ours.has(shown));
  if (others.length > 0) throw new UserError(refusals.notKedaOnly(namespace, others));
}
async function deleteLeftByKeda(config, living, log) {
  const autoscaling = config.makeApiClient(ObjectAutoscalingV2Api);
  const batch = config.makeApiClient(ObjectBatchV1Api);
  const [hpas, jobs] = await Promise.all([
    withRetries(() => autoscaling.listHorizontalPodAutoscalerForAllNamespaces()),
    withRetries(() => batch.listJobForAllNamespaces())
  ]);
  for (const [kind, owner, items, remove] of [
    [
      "HorizontalPodAutoscaler",
      "ScaledObject",
      hpas.items,
      (name, namespace) => autoscaling.deleteNamespacedHorizontalPodAutoscaler({ name, namespace })
    ],
    [
      "Job",
      "ScaledJob",
      jobs.items,
      (name, namespace) => batch.deleteNamespacedJob({ name, namespace, propagationPolicy: "Background" })
    ]
  ]) {
    for (const { metadata } of items) {
      const left = metadata?.ownerReferences?.find(
        (reference2) => reference2.kind === owner && reference2.apiVersion.startsWith("keda.sh/") && !living.has(reference2.uid)
      );
      const { name, namespace } = metadata;
      if (left === void 0 || await unlessNotFound(() => remove(name, namespace)) === void 0) continue;
      log.info(`deleted ${kind} ${namespace}/${name}, left by ${owner} ${namespace}/${left.name}`);
    }
  }
}

// src/keda/remove.ts
var MANIFEST_NAMESPACE = "keda";
var SCALED_OBJECT_CRD = "scaledobjects.keda.sh";
async function uninstallKeda(config, options, log) {
  const installed = await forbiddenAsUserError(() => installedKeda(config, options));
  if (installed === void 0) {
    log.info("no KEDA installed by aks-functions-deploy in this cluster: nothing to remove");
    return { action: "absent" };
  }
  const client = AppObjectsApi.forConfig(config);
  const { plan, present, source } = await forbiddenAsUserError(() => ourKeda(client, installed, options));
  const { version } = installed;
  const scaling = (await forbiddenAsUserError(
    () => listCustom(
      config,
      plan.customKinds.filter((kind) => SCALING_KINDS.includes(kind.kind))
    )
  )).filter((object) => object.metadata?.deletionTimestamp === void 0);
  if (scaling.length > 0 && !options.force) throw new UserError(refusals.inUse(scaling, version));
  await forbiddenAsUserError(() => checkKedaOnly(config, plan));
  log.info(`removing KEDA ${version} from namespace ${plan.namespace}, as installed from ${source}`);
  const started = Date.now();
  const deadline = { at: started + options.timeoutSeconds * 1e3, seconds: options.timeoutSeconds };
  await removeCustomResources(config, plan, deadline, log);
  try {
    await deleteListed(client, plan.deletions, present, log);
    log.info(`waiting until KEDA's CRDs and namespace ${plan.namespace} are gone`);
    await untilRemoved(config, plan, deadline);
  } catch (error) {
    throw await withWhatIsLeft(error, client, plan, log);
  }
  log.info(`KEDA ${version} removed in ${((Date.now() - started) / 1e3).toFixed(1)}s`);
  return { action: "removed", version };
}
async function installedKeda(config, options) {
  if (options.addonEnabled === true)
    throw new UserError(refusals.addon("ARM: the add-on is enabled", options.aksCluster));
  const crd = await unlessNotFound(
    () => config.makeApiClient(ObjectApiextensionsV1Api).readCustomResourceDefinition({ name: SCALED_OBJECT_CRD })
  );
  const found = crd && !crd.metadata?.deletionTimestamp ? await findKeda(config) : void 0;
  if (found) {
    refuseManagedElsewhere(found, options);
    if (found.namespace !== MANIFEST_NAMESPACE)
      throw new UserError(refusals.otherNamespace(found.version, found.namespace, MANIFEST_NAMESPACE));
    return found;
  }
  const namespace = await unlessNotFound(
    () => config.makeApiClient(ObjectCoreV1Api).readNamespace({ name: MANIFEST_NAMESPACE })
  );
  const left = [crd, namespace].find(
    (object) => object?.metadata?.labels?.["app.kubernetes.io/part-of"] === "keda-operator"
  );
  if (left === void 0) return void 0;
  const version = left.metadata?.labels?.["app.kubernetes.io/version"] ?? "";
  refuseManagedElsewhere(
    { version, namespace: MANIFEST_NAMESPACE, ...kedaManager([left.metadata ?? {}], void 0) },
    options
  );
  return { version, namespace: MANIFEST_NAMESPACE };
}
function refuseManagedElsewhere(found, options) {
  if (found.installedBy === "aks-addon") {
    throw new UserError(
      options.addonEnabled === false ? refusals.addonGoing(found.evidence) : refusals.addon(found.evidence, options.aksCluster)
    );
  }
  if (found.installedBy === "helm") throw new UserError(refusals.helm(found, found.helmRelease));
}
async function ourKeda(client, installed, options) {
  const { version, namespace } = installed;
  if (KEDA_MANIFEST_SHA256[version] === void 0 && (!options.manifestUrl || !options.manifestSha256))
    throw new UserError(refusals.notCarried(version, namespace, Object.keys(KEDA_MANIFEST_SHA256)));
  const manifest = await loadManifest({ mode: "install", version, ...options });
  const plan = removalPlan(manifest.objects);
  if (plan.version !== version) throw new UserError(refusals.otherManifest(manifest.source, plan.version, version));
  if (plan.namespace !== namespace) throw new UserError(refusals.otherNamespace(version, namespace, plan.namespace));
  const present = await presentObjects(client, plan.deletions);
  const managedElsewhere = kedaManager(
    [...present.values()].map((object) => object.metadata ?? {}),
    void 0
  );
  if (managedElsewhere.installedBy !== "manifest")
    refuseManagedElsewhere({ version, namespace, ...managedElsewhere }, options);
  const foreign = [...present].flatMap(([{ object }, found]) => {
    const why = notFromManifest(object, found);
    return why === void 0 ? [] : [`${shownObject(object)} ${why}`];
  });
  if (foreign.length > 0) throw new UserError(refusals.notOurs(version, namespace, foreign));
  return { plan, present, source: manifest.source };
}
async function listCustom(config, kinds) {
  const custom = config.makeApiClient(ObjectCustomObjectsApi);
  const lists = await Promise.all(
    kinds.map(async ({ group, version, plural, kind }) => {
      const items = await unlessNotFound(
        async () => (await custom.listClusterCustomObject({ group, version, plural })).items
      );
      return (items ?? []).map((item) => ({ ...item, kind }));
    })
  );
  return lists.flat();
}
async function removeCustomResources(config, plan, deadline, log) {
  const objects = await listCustom(config, plan.customKinds);
  if (objects.length > 0) await deleteUntilFinalized(config, plan, objects, deadline, log);
  const living = await listCustom(
    config,
    plan.customKinds.filter((kind) => SCALING_KINDS.includes(kind.kind))
  );
  await deleteLeftByKeda(config, new Set(living.map((object) => object.metadata?.uid)), log);
}
async function deleteUntilFinalized(config, plan, objects, deadline, log) {
  const custom = config.makeApiClient(ObjectCustomObjectsApi);
  const kindOf = new Map(plan.customKinds.map((kind) => [kind.kind, kind]));
  for (const object of objects.filter(({ metadata }) => metadata?.deletionTimestamp === void 0)) {
    const { group, version, plural } = kindOf.get(object.kind);
    const { name, namespace } = object.metadata;
    const propagationPolicy = "Background";
    await unlessNotFound(
      () => namespace === void 0 ? custom.deleteClusterCustomObject({ group, version, plural, name, propagationPolicy }) : custom.deleteNamespacedCustomObject({ group, version, plural, namespace, name, propagationPolicy })
    );
    log.info(`deleted ${shownObject(object)}`);
  }
  log.info(`waiting for KEDA's operator to finalize ${objects.length} object${objects.length === 1 ? "" : "s"}`);
  const kinds = plan.customKinds.filter((kind) => objects.some((object) => object.kind === kind.kind));
  const informers = new Map(
    kinds.map(({ kind, group, version, plural }) => [
      kind,
      makeInformer(
        config,
        `/apis/${group}/${version}/${plural}`,
        () => custom.listClusterCustomObject({ group, version, plural })
      )
    ])
  );
  const remaining = () => objects.filter(
    ({ kind, metadata }) => informers.get(kind)?.get(metadata?.name, metadata?.namespace)
  );
  await untilInformed(
    [...informers.values()],
    () => remaining().length === 0,
    secondsLeft(deadline),
    () => new UserError(
      `KEDA's operator did not finalize ${fewOf(remaining().map(shownObject))} (finalizer.keda.sh) within the ${deadline.seconds}s of --timeout: check that it runs in namespace ${plan.namespace}, then run remove-keda again; KEDA itself is untouched`
    )
  );
}
async function untilRemoved(config, plan, deadline) {
  const apiextensions = config.makeApiClient(ObjectApiextensionsV1Api);
  const core = config.makeApiClient(ObjectCoreV1Api);
  const crds = makeInformer(
    config,
    "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
    () => apiextensions.listCustomResourceDefinition()
  );
  const namespaces = makeInformer(config, "/api/v1/namespaces", () => core.listNamespace());
  await untilInformed(
    [crds, namespaces],
    () => plan.crds.every((name) => crds.get(name) === void 0) && namespaces.get(plan.namespace) === void 0,
    secondsLeft(deadline),
    () => new UserError(
      `KEDA's CRDs and namespace were deleted, but are not gone within the ${deadline.seconds}s of --timeout`
    )
  );
}
async function withWhatIsLeft(error, client, plan, log) {
  const failure = describeFailure(error);
  const left = await presentObjects(client, plan.deletions).then(
    (present) => [...present.keys()].map(({ object }) => shownObject(object)),
    () => void 0
  );
  const what = left === void 0 ? "what is left could not be read" : left.length === 0 ? "nothing of its manifest is left" : `left: ${fewOf(left)}`;
  if (!failure.expected) {
    log.warning(`KEDA's removal stopped: ${what}`);
    return error;
  }
  return new UserError(`${failure.message}; ${what}; run remove-keda again to finish`);
}
function secondsLeft(deadline) {
  return Math.max(1, Math.ceil((deadline.at - Date.now()) / 1e3));
}
async function forbiddenAsUserError(work) {
  try {
    return await work();
  } catch (error) {
    const status = apiStatus(error);
    if (status?.code !== 403) throw error;
    throw new UserError(
      `removing KEDA needs a cluster admin (its CRDs, APIService, webhooks, cluster roles and every namespace's ScaledObjects): the Kubernetes API answered 403: ${status.message ?? status.reason ?? ""}`
    );
  }
}

// src/commands/remove-keda.ts
async function removeKeda(options, platform) {
  const { cluster } = options;
  const azure = "aks" in cluster ? planAzure(options.azure, platform) : void 0;
  const access = await connectDirectly(cluster, azure, platform);
  return uninstallKeda(
    access.config,
    { ...options.keda, addonEnabled: access.kedaAddon, aksCluster: "aks" in cluster ? cluster.aks : void 0 },
    platform
  );
}
export {
  removeKeda
};
