import { existsSync } from 'node:fs';
import { ApiException, KubeConfig } from '@kubernetes/client-node';
import { UserError } from '../errors.js';

/** The kubeconfig input: a path, or the file's content itself (as a CI secret holds it). */
export function kubeConfigFrom(input: string): KubeConfig {
  const config = new KubeConfig();
  const inline = input.includes('\n') || /^\s*(apiVersion|clusters|kind)\s*:/.test(input);
  try {
    if (inline) {
      config.loadFromString(input);
    } else {
      if (!existsSync(input)) throw new UserError(`input 'kubeconfig': '${input}' does not exist`);
      config.loadFromFile(input);
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    // The content is secret: say what is wrong, never quote it.
    throw new UserError(`input 'kubeconfig': not a valid kubeconfig (${(error as Error).message.split('\n')[0]?.slice(0, 120)})`);
  }
  if (!config.getCurrentCluster()) throw new UserError(`input 'kubeconfig': its current context '${config.getCurrentContext()}' names no cluster`);
  return config;
}

/** The Status a failed API call returned, parsed whatever form the client left it in. */
export interface ApiStatus {
  readonly code: number;
  readonly reason?: string;
  readonly message?: string;
  readonly details?: { readonly causes?: readonly { readonly field?: string; readonly message?: string; readonly reason?: string }[] };
}

export function apiStatus(error: unknown): ApiStatus | undefined {
  if (!(error instanceof ApiException)) return undefined;
  const body: unknown = typeof error.body === 'string' ? safeJson(error.body) : error.body;
  const status = (body && typeof body === 'object' ? body : {}) as Omit<ApiStatus, 'code'>;
  return { ...status, code: error.code };
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
