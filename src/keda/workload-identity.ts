import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import { WORKLOAD_IDENTITY_USE_LABEL } from '../inventory/labels.js';
import type { KedaFound } from './keda.js';

/**
 * KEDA's operator signs in as a TriggerAuthentication's identity with the token the workload identity webhook
 * projects into its pod, which the webhook does only for pods labelled azure.workload.identity/use. KEDA's Helm chart
 * sets the label with podIdentity.azureWorkload.enabled; its manifest does not, so our install adds it; the AKS
 * add-on's operator has it once workload identity is enabled on the cluster.
 */

/** The operator's Deployment and, in KEDA's manifest and the AKS add-on, its service account. */
export const OPERATOR = 'keda-operator';

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
 * When the app's scalers sign in by workload identity, KEDA's operator must carry the label. Only this deploy's own
 * install or upgrade of KEDA adds it (through the manifest it applies): a KEDA it found is someone else's (Helm, the
 * AKS add-on, a GitOps tool or a colleague's kubectl apply), and patching its operator would restart every scaler in
 * the cluster and be undone by whatever owns it. So a KEDA found without the label is a warning naming the change to
 * make, and where.
 */
export function kedaOperatorWarning(
  found: KedaFound | undefined,
  objects: readonly KubernetesObject[],
): string | undefined {
  const scalersUseIdentity = objects.some(
    (object) =>
      object.kind === 'TriggerAuthentication' &&
      (object as { spec?: { podIdentity?: { provider?: string } } }).spec?.podIdentity?.provider === 'azure-workload',
  );
  if (!scalersUseIdentity || !found || found.operator.workloadIdentity) return undefined;
  const deployment = `Deployment ${OPERATOR} in namespace ${found.namespace}`;
  const fixes: Record<KedaFound['installedBy'], string> = {
    helm:
      `upgrade its Helm release (${found.evidence}) with --set podIdentity.azureWorkload.enabled=true, which ` +
      `labels the pods`,
    'aks-addon':
      `enable workload identity on the cluster (az aks update --enable-workload-identity), then restart it ` +
      `(kubectl rollout restart deployment/${OPERATOR} -n ${found.namespace})`,
    manifest:
      `add the label ${WORKLOAD_IDENTITY_USE_LABEL}: "true" to the pod template (spec.template.metadata.labels) ` +
      `of ${deployment} where it is defined (the manifests or GitOps repository it is applied from) and apply ` +
      `them, or let this step install or upgrade KEDA (keda: install with a newer keda-version)`,
  };
  return (
    `KEDA's operator (${deployment}) is not set up for workload identity: its pods lack the ` +
    `${WORKLOAD_IDENTITY_USE_LABEL} label, so the app's scalers cannot sign in. This deploy did not install that ` +
    `KEDA and leaves it as it is: ${fixes[found.installedBy]}; its pods restart with the change`
  );
}
