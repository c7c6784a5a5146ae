/** What this project knows about KEDA releases; no Kubernetes client here, so input checks stay light. */
import { EMBEDDED_KEDA } from './embedded.js';

/**
 * SHA-256 of the install manifest of each KEDA version this project carries (keda/manifests/): KEDA's release
 * asset as its release build makes it, reproduced from the tag's source by scripts/keda-release.mjs. A mirror's
 * copy of one of them must have this hash; another version, or a changed manifest, needs keda-manifest-sha256.
 */
export const KEDA_MANIFEST_SHA256: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(EMBEDDED_KEDA).map(([version, { sha256 }]) => [version, sha256]),
);
