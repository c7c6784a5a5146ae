import { UserError } from '../errors.js';

interface RestErrorLike {
  readonly statusCode?: number;
  readonly code?: string;
  readonly message?: string;
}

/**
 * An ARM failure as one line that says what to do: which role is missing on
 * which scope (ARM's own AuthorizationFailed message names the identity, the
 * action and the scope), or which resource was not found.
 */
export function armFailure(error: unknown, doing: string, role: string): Error {
  const rest = error as RestErrorLike;
  if (rest.statusCode === undefined) return error as Error;
  const reason = (rest.message ?? '').split('\n')[0];
  if (rest.statusCode === 403) return new UserError(`Azure refused to ${doing}: ${reason} Give the identity the '${role}' role on the cluster (or its resource group).`);
  if (rest.statusCode === 404) return new UserError(`cannot ${doing}: ${reason} Check inputs 'subscription-id', 'resource-group' and 'cluster-name'.`);
  if (rest.statusCode === 401) return new UserError(`Azure did not accept the identity's token to ${doing}: ${reason}`);
  return new UserError(`cannot ${doing}: Azure answered ${rest.statusCode}${rest.code ? ` ${rest.code}` : ''}: ${reason}`);
}
