import { UserError } from '../errors.js';

interface RestErrorLike {
  readonly statusCode?: number;
  readonly code?: string;
  readonly message?: string;
}

/** What an ARM call was about: the role that allows it, on what, and the inputs that name it. */
export interface ArmTarget {
  readonly role: string;
  readonly scope: string;
  readonly inputs: string;
}

export const CLUSTER_TARGET = {
  scope: 'the cluster (or its resource group)',
  inputs: "'subscription-id', 'resource-group' and 'cluster-name'",
};
export const REGISTRY_TARGET = { scope: 'the registry', inputs: "'registry' and 'subscription-id'" };

/**
 * An ARM failure as one line that says what to do: which role is missing on
 * which scope (ARM's own AuthorizationFailed message names the identity, the
 * action and the scope), or which resource was not found.
 */
export function armFailure(error: unknown, doing: string, target: ArmTarget): Error {
  if (error instanceof UserError) return error;
  const rest = error as RestErrorLike;
  const reason = (rest.message ?? String(error)).split('\n')[0];
  if (rest.statusCode === 403)
    return new UserError(
      `Azure refused to ${doing}: ${reason} Give the identity the '${target.role}' role on ${target.scope}.`,
    );
  if (rest.statusCode === 404) return new UserError(`cannot ${doing}: ${reason} Check inputs ${target.inputs}.`);
  if (rest.statusCode === 401) return new UserError(`Azure did not accept the identity's token to ${doing}: ${reason}`);
  // A failed long-running operation, or a network error after the retries: no status, the reason says it.
  return new UserError(
    `cannot ${doing}: ${rest.statusCode ? `Azure answered ${rest.statusCode}${rest.code ? ` ${rest.code}` : ''}: ` : ''}${reason}`,
  );
}
