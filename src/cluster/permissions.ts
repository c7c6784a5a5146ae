import { AuthorizationV1Api, type KubeConfig } from '@kubernetes/client-node';
import { withRetries } from './status.js';

/** Whether this identity may do `verb` on `resource` in the namespace, as the apiserver's authorizer answers. */
export async function isAllowed(
  config: KubeConfig,
  namespace: string,
  verb: string,
  group: string,
  resource: string,
): Promise<boolean> {
  const review = await withRetries(() =>
    config.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
      body: { spec: { resourceAttributes: { namespace, verb, group, resource } } },
    }),
  );
  return review.status?.allowed === true;
}
