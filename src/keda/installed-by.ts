import { UserError } from '../errors.js';
import type { KedaFound } from './keda.js';

/**
 * The Helm release AKS's KEDA add-on is: its ScaledObject CRD carries `meta.helm.sh/release-name: aks-managed-keda`
 * and `meta.helm.sh/release-namespace: kube-system` beside Helm's own `app.kubernetes.io/managed-by: Helm`
 * (MicrosoftDocs/azure-docs, articles/aks/keda-deploy-add-on-cli.md, "Verify the KEDA version on your cluster").
 */
const ADDON_HELM_RELEASE = 'aks-managed-keda';
/** The labels AKS puts on the components it manages, and the addon-manager's reconcile mode. */
const AKS_MANAGED_LABEL = 'kubernetes.azure.com/managedby';
const ADDON_MANAGER_LABEL = 'addonmanager.kubernetes.io/mode';
const HELM_RELEASE_ANNOTATION = 'meta.helm.sh/release-name';
const HELM_RELEASE_NAMESPACE_ANNOTATION = 'meta.helm.sh/release-namespace';

export interface Marked {
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/**
 * Who installed KEDA. The AKS add-on is itself a Helm release, so Helm's markers alone do not tell it from a user's
 * Helm install: ARM does, when the cluster was reached through it; otherwise the add-on's own markers (its release
 * name, AKS's managed-by label). A namespace proves nothing: anyone may install KEDA into kube-system.
 */
export function kedaManager(
  objects: readonly Marked[],
  addonEnabled: boolean | undefined,
): Pick<KedaFound, 'installedBy' | 'evidence' | 'helmRelease'> {
  const label = (key: string) => objects.map((object) => object.labels?.[key]).find((value) => value !== undefined);
  const annotation = (key: string) =>
    objects.map((object) => object.annotations?.[key]).find((value) => value !== undefined);
  const release = annotation(HELM_RELEASE_ANNOTATION);
  const addonMarker =
    release === ADDON_HELM_RELEASE
      ? `its Helm release ${ADDON_HELM_RELEASE}`
      : label(AKS_MANAGED_LABEL) === 'aks'
        ? `its label ${AKS_MANAGED_LABEL}: aks`
        : label(ADDON_MANAGER_LABEL) !== undefined
          ? `its label ${ADDON_MANAGER_LABEL}`
          : undefined;
  if (addonEnabled === true) return { installedBy: 'aks-addon', evidence: 'ARM: the add-on is enabled' };
  if (addonMarker && addonEnabled === false) {
    throw new UserError(
      `KEDA in this cluster is the AKS add-on's (${addonMarker}), but ARM says the add-on is disabled: AKS is ` +
        `removing it; wait until it is gone (keda: auto then installs KEDA), or enable the add-on (keda: addon)`,
    );
  }
  if (addonMarker) return { installedBy: 'aks-addon', evidence: addonMarker };
  if (release !== undefined) {
    const releaseNamespace = annotation(HELM_RELEASE_NAMESPACE_ANNOTATION);
    return {
      installedBy: 'helm',
      evidence: `Helm release ${release}${releaseNamespace ? ` in namespace ${releaseNamespace}` : ''}`,
      helmRelease: { name: release, namespace: releaseNamespace },
    };
  }
  if (label('app.kubernetes.io/managed-by') === 'Helm' || label('helm.sh/chart') !== undefined)
    return { installedBy: 'helm', evidence: 'its Helm labels' };
  return { installedBy: 'manifest', evidence: "KEDA's manifest" };
}
