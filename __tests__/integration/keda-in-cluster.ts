// KEDA in the local stack's cluster, changed by hand as an admin or another tool would: removed without this
// product, so a test starts from a cluster without KEDA whatever the test files before it left (jest orders the
// files by size and past duration); marked as Helm or AKS mark theirs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { REPO, until } from './run-cli.js';

/**
 * KEDA's objects first, while KEDA can still run their finalizers, then everything its manifest made
 * (`kubectl delete -f`), the APIService included, whose absence would otherwise stall the namespace's deletion.
 */
export async function removeKedaByHand(kc: k8s.KubeConfig): Promise<void> {
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  const apiextensions = kc.makeApiClient(k8s.ApiextensionsV1Api);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  for (const plural of ['scaledobjects', 'triggerauthentications']) {
    const found = (await custom
      .listClusterCustomObject({ group: 'keda.sh', version: 'v1alpha1', plural })
      .catch(() => ({ items: [] }))) as { items: k8s.KubernetesObject[] };
    for (const item of found.items) {
      await custom
        .deleteNamespacedCustomObject({
          group: 'keda.sh',
          version: 'v1alpha1',
          plural,
          namespace: item.metadata?.namespace as string,
          name: item.metadata?.name as string,
        })
        .catch(() => undefined);
    }
  }
  const manifest = readFileSync(join(REPO, 'keda', 'manifests', 'keda-2.20.2.yaml'), 'utf8');
  const installed = k8s.loadAllYaml(manifest) as k8s.KubernetesObject[];
  for (const object of installed.reverse()) await objects.delete(object).catch(() => undefined);
  const crds = async () =>
    (await apiextensions.listCustomResourceDefinition()).items.filter((item) => item.spec.group === 'keda.sh');
  await until(async () => (await crds()).length === 0, 120);
  await until(async () => !(await core.listNamespace()).items.some((ns) => ns.metadata?.name === 'keda'), 120);
}

/** The KEDA operator, found where KEDA's APIService says, with `annotations` merged in for `body`. */
export async function withOperatorAnnotations(
  kc: k8s.KubeConfig,
  annotations: Record<string, string>,
  body: () => Promise<void>,
): Promise<void> {
  const apiService = await kc
    .makeApiClient(k8s.ApiregistrationV1Api)
    .readAPIService({ name: 'v1beta1.external.metrics.k8s.io' });
  const target = { name: 'keda-operator', namespace: apiService.spec?.service?.namespace as string };
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const patch = (values: Record<string, string | null>) =>
    apps.patchNamespacedDeployment(
      { ...target, body: { metadata: { annotations: values } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
  await patch(annotations);
  try {
    await body();
  } finally {
    await patch(Object.fromEntries(Object.keys(annotations).map((key) => [key, null])));
  }
}
