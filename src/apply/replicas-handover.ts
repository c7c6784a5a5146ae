import { type KubernetesObjectApi, PatchStrategy, type V1Deployment } from '@kubernetes/client-node';
import { isNotFound, withRetries } from '../cluster/status.js';
import { FIELD_MANAGER } from '../inventory/labels.js';
import type { KubeObject } from '../render/render.js';

/** Holds a replica count this tool set and no longer sets, until an HPA changes it and so takes it over. */
export const HANDOVER_FIELD_MANAGER = 'aks-functions-deploy-handover';

/**
 * A Deployment whose count this tool set, rendered now without one (KEDA scales it from this deploy on): applied as
 * it is, the count this tool alone owned would be removed, so defaulted to 1 until the HPA's next sync. It is first
 * applied alone, as it stands, by a field manager of its own, which Kubernetes documents for handing a field over to
 * an HPA (Server-Side Apply, "Transferring ownership"); the app's apply then leaves it as it is.
 */
export async function handOverReplicas(
  objects: KubernetesObjectApi,
  deployments: readonly KubeObject[],
): Promise<void> {
  const released = deployments.filter(
    (object) => object.kind === 'Deployment' && (object as V1Deployment).spec?.replicas === undefined,
  );
  await Promise.all(
    released.map(async (object) => {
      const { name, namespace } = object.metadata;
      const live = (await withRetries(() =>
        objects.read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace } }),
      ).catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      })) as V1Deployment | undefined;
      const replicas = live?.spec?.replicas;
      if (replicas === undefined || !appliesReplicas(live as V1Deployment)) return;
      const count = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace }, spec: { replicas } };
      await withRetries(() =>
        objects.patch(count, undefined, undefined, HANDOVER_FIELD_MANAGER, true, PatchStrategy.ServerSideApply),
      );
    }),
  );
}

/** Whether this tool's applies own the Deployment's spec.replicas. */
function appliesReplicas(deployment: V1Deployment): boolean {
  return (deployment.metadata?.managedFields ?? []).some((entry) => {
    const fields = entry.fieldsV1 as { 'f:spec'?: { 'f:replicas'?: unknown } } | undefined;
    return (
      entry.manager === FIELD_MANAGER && entry.operation === 'Apply' && fields?.['f:spec']?.['f:replicas'] !== undefined
    );
  });
}
