/** What this project knows about KEDA releases; no Kubernetes client here, so input checks stay light. */

/**
 * SHA-256 of the install manifest of each KEDA version this project has tested,
 * checked before a byte of it is applied. They are the hashes of the manifests
 * rendered from kedacore/keda's config/default at the release tags (the shared
 * test fixtures). Another version, or a changed manifest, needs
 * keda-manifest-sha256.
 */
export const KEDA_MANIFEST_SHA256: Readonly<Record<string, string>> = {
  '2.19.0': '02e301da197f720bb6dd7c692eb10a86e2a700ad3ffe9e7ab8184677d1c93424',
  '2.20.2': '33c5ebbbae1632ea40cb4148c629868b15e24ebeb9f42c16d04ac2d37cc7f3f6',
};

export function releaseUrl(version: string): string {
  return `https://github.com/kedacore/keda/releases/download/v${version}/keda-${version}.yaml`;
}
