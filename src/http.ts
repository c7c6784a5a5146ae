import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
} from '@azure/core-rest-pipeline';

/**
 * Azure's HTTP pipeline for the calls no SDK client makes (cloud metadata, the
 * ACR token exchange, registry reads): its retry policies already honour
 * Retry-After on 429 and 503, back off on 5xx, and retry dropped connections.
 */
const pipeline = createPipelineFromOptions({ retryOptions: { maxRetries: 4 } });
const client = createDefaultHttpClient();

export interface HttpResponse {
  readonly status: number;
  header(name: string): string | undefined;
  readonly text: string;
  /** The body as JSON; undefined when it is not JSON. */
  readonly body: unknown;
}

export interface HttpRequest {
  readonly method?: 'GET' | 'POST' | 'HEAD';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as application/x-www-form-urlencoded. */
  readonly form?: Readonly<Record<string, string>>;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]' || host === '::1';
}

export async function httpRequest(request: HttpRequest): Promise<HttpResponse> {
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (request.form) headers['content-type'] = 'application/x-www-form-urlencoded';
  const response = await pipeline.sendRequest(
    client,
    createPipelineRequest({
      url: request.url,
      method: request.method ?? (request.form ? 'POST' : 'GET'),
      headers: createHttpHeaders(headers),
      body: request.form ? new URLSearchParams(request.form).toString() : undefined,
      // Plain HTTP only on loopback, where registries speak it and Docker allows it: nothing travels the network in
      // clear.
      allowInsecureConnection: isLoopback(new URL(request.url).hostname),
      // A server that accepts the connection and never answers must not hang the deploy.
      timeout: 30_000,
    }),
  );
  const text = response.bodyAsText ?? '';
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, header: (name) => response.headers.get(name), text, body };
}
