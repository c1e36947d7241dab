import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponse, RouteContext, RouteHandler } from '@murmur/ports';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** API Gateway (REST, proxy integration) event -> the runtime-neutral request a route handler takes. */
export function toHttpRequest(event: APIGatewayProxyEvent): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined) query[name] = value;
  }
  const body = event.body ?? '';
  return {
    method: event.httpMethod.toUpperCase(),
    path: event.path,
    query,
    headers,
    // Signatures are over the bytes X sent: decode exactly what API Gateway encoded.
    rawBody: Buffer.from(body, event.isBase64Encoded ? 'base64' : 'utf8'),
  };
}

export function toProxyResult(response: HttpResponse): APIGatewayProxyResult {
  const isText = typeof response.body === 'string';
  const body =
    response.body === undefined ? '' : isText ? (response.body as string) : JSON.stringify(response.body);
  return {
    statusCode: response.status,
    headers: {
      ...(body.length > 0
        ? { 'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json' }
        : {}),
      ...response.headers,
    },
    body,
  };
}

/**
 * The Lambda for a service's routes: the same handlers the embedded runtime serves. Body limits
 * and content types are API Gateway's job on AWS (a request validator and payload limit), the
 * handler checks what it must itself (signatures, JSON).
 */
export function routeLambda(
  handlers: Record<string, RouteHandler>,
  routes: readonly { method: string; path: string; handler: string }[],
  context: Omit<RouteContext, 'requestId'>,
) {
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const request = toHttpRequest(event);
    const route = routes.find((r) => r.method === request.method && r.path === request.path);
    if (!route) return toProxyResult({ status: 404, body: { error: 'not found' } });
    const response = await handlers[route.handler]!(request, {
      ...context,
      requestId: event.requestContext?.requestId ?? randomUUID(),
    });
    return toProxyResult(response);
  };
}
