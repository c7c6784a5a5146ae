import type { V1Deployment, V1Toleration } from '@kubernetes/client-node';
import type { ScalingOptions } from './options.js';

/**
 * Pods on the AKS virtual node (the virtual-node add-on: virtual-kubelet's ACI provider). The selector and tolerations
 * are those AKS documents for it (MicrosoftDocs azure-aks-docs articles/aks/virtual-nodes-cli.md, "Deploy a sample
 * app"), with the stable OS label for the deprecated beta one: the provider sets both (virtual-kubelet/azure-aci
 * pkg/provider/vk_node.go ConfigureNode), and the apiserver warns about `beta.kubernetes.io/os` in a selector.
 */
export const VIRTUAL_NODE_SELECTOR: Readonly<Record<string, string>> = {
  'kubernetes.io/role': 'agent',
  'kubernetes.io/os': 'linux',
  type: 'virtual-kubelet',
};

export const VIRTUAL_NODE_TOLERATIONS: readonly V1Toleration[] = [
  // The add-on taints its node virtual-kubelet.io/provider=azure:NoSchedule (azure-aci cmd/virtual-kubelet/main.go).
  { key: 'virtual-kubelet.io/provider', operator: 'Exists' },
  // Earlier ACI connectors' taint.
  { key: 'azure.com/aci', effect: 'NoSchedule' },
];

/**
 * The Deployment with its pods placed on virtual nodes. ACI refuses a container with a startup probe (azure-aci
 * pkg/provider/aci.go getContainers: "ACI does not support startupProbe"), so the probe is dropped and the liveness
 * probe waits as long as it allowed the host to start.
 */
export function onVirtualNodes(deployment: V1Deployment): V1Deployment {
  const template = deployment.spec?.template;
  const containers = (template?.spec?.containers ?? []).map(({ startupProbe, ...container }) => {
    const startWindow = (startupProbe?.periodSeconds ?? 0) * (startupProbe?.failureThreshold ?? 0);
    return container.livenessProbe && startWindow > 0
      ? { ...container, livenessProbe: { ...container.livenessProbe, initialDelaySeconds: startWindow } }
      : container;
  });
  return {
    ...deployment,
    spec: {
      ...(deployment.spec as NonNullable<V1Deployment['spec']>),
      template: {
        ...template,
        spec: {
          ...template?.spec,
          containers,
          nodeSelector: { ...template?.spec?.nodeSelector, ...VIRTUAL_NODE_SELECTOR },
          tolerations: [...(template?.spec?.tolerations ?? []), ...VIRTUAL_NODE_TOLERATIONS],
        },
      },
    },
  };
}

/** The event-driven and HTTP Deployments, those virtual-nodes names placed there, and what their user should know. */
export function placeOnVirtualNodes(
  events: readonly V1Deployment[],
  http: readonly V1Deployment[],
  scaling: Pick<ScalingOptions, 'virtualNodes' | 'pullSecret'>,
): { deployments: V1Deployment[]; warnings: string[] } {
  const virtualNodes = scaling.virtualNodes ?? 'none';
  if (virtualNodes === 'none') return { deployments: [...events, ...http], warnings: [] };
  const moved = virtualNodes === 'all' ? [...events, ...http] : events;
  const deployments = [...events, ...http].map((deployment) =>
    moved.includes(deployment) ? onVirtualNodes(deployment) : deployment,
  );
  if (moved.length === 0)
    return {
      deployments,
      warnings: [
        `virtual-nodes: ${virtualNodes}, but the app has no event-driven functions: no pod runs on virtual nodes`,
      ],
    };
  // AKS's list of virtual node limitations (articles/aks/virtual-nodes.md): no pull with the cluster's identity.
  const names = moved.map((deployment) => `Deployment/${deployment.metadata?.name}`).join(', ');
  const warnings =
    scaling.pullSecret === undefined
      ? [
          `virtual-nodes: ${names} run on virtual nodes, which cannot pull from a private registry (ACR included) ` +
            `with the cluster's identity: unless the image is public, give pull-secret (an image pull Secret in the ` +
            `format ACI accepts), or the pods fail with InaccessibleImage`,
        ]
      : [];
  return { deployments, warnings };
}
