import {
  AppsV1Api,
  type KubeConfig,
  type KubernetesObject,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
} from '@kubernetes/client-node';
import { withRetries } from '../cluster/status.js';
import { WORKLOAD_IDENTITY_USE_LABEL } from '../inventory/labels.js';
import type { Log } from '../platform.js';
import type { KedaFound } from './keda.js';

/**
 * KEDA's operator signs in as a TriggerAuthentication's identity with the token the workload identity webhook
 * projects into its pod, which the webhook does only for pods labelled azure.workload.identity/use. KEDA's Helm chart
 * sets the label with podIdentity.azureWorkload.enabled; its manifest does not, so our install adds it; the AKS
 * add-on's operator has it once workload identity is enabled on the cluster.
 */

const OPERATOR = 'keda-operator';

/** KEDA's manifest with its operator's pods labelled for the webhook (inert on a cluster without it). */
export function labelOperatorPods(objects: KubernetesObject[]): KubernetesObject[] {
  return objects.map((object) => {
    if (object.kind !== 'Deployment' || object.metadata?.name !== OPERATOR) return object;
    const deployment = object as V1Deployment;
    const template = deployment.spec?.template;
    return {
      ...deployment,
      spec: {
        ...deployment.spec,
        template: {
          ...template,
          metadata: {
            ...template?.metadata,
            labels: { ...template?.metadata?.labels, [WORKLOAD_IDENTITY_USE_LABEL]: 'true' },
          },
        },
      },
    } as KubernetesObject;
  });
}

/**
 * When the app's scalers sign in by workload identity: KEDA's operator must carry the label. One we installed gets
 * it (its pods restart); KEDA installed otherwise is its installer's, so a warning names the fix.
 */
export async function kedaOperatorIdentity(
  config: KubeConfig,
  found: KedaFound | undefined,
  objects: readonly KubernetesObject[],
  log: Log,
): Promise<void> {
  const scalersUseIdentity = objects.some(
    (object) =>
      object.kind === 'TriggerAuthentication' &&
      (object as { spec?: { podIdentity?: { provider?: string } } }).spec?.podIdentity?.provider === 'azure-workload',
  );
  if (!scalersUseIdentity || !found) return;
  const apps = config.makeApiClient(AppsV1Api);
  const target = { name: OPERATOR, namespace: found.namespace };
  const operator = await withRetries(() => apps.readNamespacedDeployment(target));
  if (operator.spec?.template.metadata?.labels?.[WORKLOAD_IDENTITY_USE_LABEL] === 'true') return;
  if (found.installedBy !== 'manifest') {
    const fix =
      found.installedBy === 'helm'
        ? 'upgrade its Helm release with --set podIdentity.azureWorkload.enabled=true'
        : `enable workload identity on the cluster (az aks update --enable-workload-identity), then restart it ` +
          `(kubectl rollout restart deployment/${OPERATOR} -n ${found.namespace})`;
    log.warning(
      `KEDA's operator in namespace ${found.namespace} is not set up for workload identity (its pods lack the ` +
        `${WORKLOAD_IDENTITY_USE_LABEL} label), so the app's scalers cannot sign in: ${fix}`,
    );
    return;
  }
  log.info(`KEDA: labelling its operator's pods for workload identity (${WORKLOAD_IDENTITY_USE_LABEL})`);
  await withRetries(() =>
    apps.patchNamespacedDeployment(
      { ...target, body: { spec: { template: { metadata: { labels: { [WORKLOAD_IDENTITY_USE_LABEL]: 'true' } } } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    ),
  );
}
