/** Kubernetes API errors, read from the Status the server sent. */
import pRetry from 'p-retry';

/** The Status a failed API call returned, parsed whatever form the client left it in. */
export interface ApiStatus {
  readonly code: number;
  readonly reason?: string;
  readonly message?: string;
  readonly details?: {
    readonly causes?: readonly { readonly field?: string; readonly message?: string; readonly reason?: string }[];
  };
}

export function apiStatus(error: unknown): ApiStatus | undefined {
  // client-node's ApiException, known by its shape so that this module loads no client.
  if (typeof error !== 'object' || error === null || !('body' in error)) return undefined;
  const failed = error as { code?: unknown; body?: unknown };
  if (typeof failed.code !== 'number') return undefined;
  const body: unknown = typeof failed.body === 'string' ? safeJson(failed.body) : failed.body;
  const status = (body && typeof body === 'object' ? body : {}) as Omit<ApiStatus, 'code'>;
  return { ...status, code: failed.code };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

export function isNotFound(error: unknown): boolean {
  return apiStatus(error)?.code === 404;
}

/**
 * A 403 that is not about permissions: the NamespaceLifecycle admission plugin refuses anything new in a namespace
 * being deleted, and says so in the cause's reason.
 */
export function isNamespaceTerminating(error: unknown): boolean {
  const status = apiStatus(error);
  return (
    status?.code === 403 && (status.details?.causes ?? []).some((cause) => cause.reason === 'NamespaceTerminating')
  );
}

const RETRIED_STATUS = new Set([429, 500, 502, 503, 504]);
const RETRIED_NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

/** Worth another try: the apiserver is busy, initialising storage, or restarting. */
export function isTransient(error: unknown): boolean {
  const status = apiStatus(error);
  if (status) return RETRIED_STATUS.has(status.code);
  const problem = error as { code?: string; cause?: { code?: string } };
  return RETRIED_NETWORK.has(problem?.code ?? problem?.cause?.code ?? '');
}

/**
 * One Kubernetes API call, tried again with backoff (and after Retry-After)
 * while the failure is transient; about 30 s in all before it gives up.
 */
export function withRetries<T>(call: () => Promise<T>): Promise<T> {
  return pRetry(call, {
    retries: 7,
    minTimeout: 250,
    maxTimeout: 8000,
    shouldRetry: ({ error }) => isTransient(error),
    onFailedAttempt: async ({ error }) => {
      const after = Number((error as { headers?: Record<string, string> }).headers?.['retry-after']);
      if (after > 0 && isTransient(error))
        await new Promise((resolve) => setTimeout(resolve, Math.min(after, 10) * 1000));
    },
  });
}
