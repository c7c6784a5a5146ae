import { createDefaultHttpClient, createHttpHeaders, createPipelineFromOptions, createPipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';

/**
 * Azure's own HTTP pipeline for the calls no SDK client makes (cloud metadata,
 * the ACR token exchange): its retry policies already honour Retry-After on
 * 429 and 503, back off on 5xx, and retry dropped connections.
 */
const pipeline = createPipelineFromOptions({ retryOptions: { maxRetries: 4 } });
const client = createDefaultHttpClient();

export interface AzureResponse {
  readonly status: number;
  readonly body: unknown;
}

export async function azureRequest(method: 'GET' | 'POST', url: string, form?: Readonly<Record<string, string>>): Promise<AzureResponse> {
  const request = createPipelineRequest({
    url,
    method,
    headers: createHttpHeaders(form ? { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' } : { accept: 'application/json' }),
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  const response: PipelineResponse = await pipeline.sendRequest(client, request);
  let body: unknown;
  try {
    body = response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, body };
}
