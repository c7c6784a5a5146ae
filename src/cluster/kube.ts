import { existsSync, readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { UserError } from '../errors.js';

/**
 * The kubeconfig input: a path, or the file's content itself as a CI secret
 * holds it (YAML, JSON or base64). The value is secret: errors never quote it.
 */
export function kubeConfigFrom(input: string): KubeConfig {
  const config = new KubeConfig();
  const content = existsSync(input) ? readFileSync(input, 'utf8') : kubeconfigContent(input);
  if (content === undefined) throw new UserError(`input 'kubeconfig': neither an existing file nor kubeconfig content (YAML, JSON or base64)`);
  try {
    config.loadFromString(content);
  } catch {
    throw new UserError(`input 'kubeconfig': not a valid kubeconfig`);
  }
  if (!config.getCurrentCluster()) throw new UserError(`input 'kubeconfig': its current context names no cluster`);
  return config;
}

function kubeconfigContent(input: string): string | undefined {
  const looksLikeConfig = (text: string) => /(^|[\n{,])\s*"?(clusters|apiVersion)"?\s*:/.test(text);
  if (looksLikeConfig(input)) return input;
  const decoded = Buffer.from(input.trim(), 'base64').toString('utf8');
  return looksLikeConfig(decoded) ? decoded : undefined;
}
