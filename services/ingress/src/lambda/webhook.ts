// The Lambda behind API Gateway's /twitter (REST API, proxy integration): the same route
// handlers `murmur start` serves, with the AWS ports. Entry of the ingress stack's NodejsFunction.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  cachedOnce,
  DynamoDbIdempotencyStore,
  EventBridgeBus,
  powertoolsLogger,
  routeLambda,
} from '@murmur/aws-adapters';
import type { HttpResponse, RouteContext, RouteDeclaration } from '@murmur/ports';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { type IngressConfig, IngressConfigError } from '../config.js';
import { ingressService } from '../declaration.js';
import { WEBHOOK_ENV } from './env.js';
import { fetchIngressConfig, type SecretsClient } from './secret-config.js';

export { WEBHOOK_ENV };

export type WebhookPorts = Omit<RouteContext, 'requestId'>;

export interface WebhookLambdaOptions {
  env?: Record<string, string | undefined>;
  secrets?: SecretsClient;
  /** By default: EventBridge (bus), DynamoDB (idempotency) and Powertools (log), from `env`. */
  ports?: (env: Record<string, string | undefined>) => WebhookPorts;
}

function required(env: Record<string, string | undefined>, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set (the ingress stack sets it)`);
  return value;
}

export function awsPorts(env: Record<string, string | undefined>): WebhookPorts {
  return {
    bus: new EventBridgeBus(required(env, WEBHOOK_ENV.busName)),
    idempotency: new DynamoDbIdempotencyStore(required(env, WEBHOOK_ENV.idempotencyTable)),
    log: powertoolsLogger('ingress'),
  };
}

const json = (status: number, body: unknown): APIGatewayProxyResult => ({
  statusCode: status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/**
 * What the embedded runtime's HTTP server checks before a handler runs, checked here too (API
 * Gateway's own limit is 10 MB and it has no content-type rule): the declared body limit (413)
 * and content types (415).
 */
function refuseByDeclaration(route: RouteDeclaration, event: APIGatewayProxyEvent): HttpResponse | undefined {
  const body = event.body ?? '';
  const size = event.isBase64Encoded ? Buffer.from(body, 'base64').length : Buffer.byteLength(body, 'utf8');
  if (size > route.maxBodyBytes) {
    return { status: 413, body: { error: `body larger than ${route.maxBodyBytes} bytes` } };
  }
  if (route.contentTypes && size > 0) {
    const header = Object.entries(event.headers ?? {}).find(
      ([name]) => name.toLowerCase() === 'content-type',
    );
    const type = (header?.[1] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!route.contentTypes.includes(type)) {
      return { status: 415, body: { error: `content type must be ${route.contentTypes.join(' or ')}` } };
    }
  }
  return undefined;
}

/**
 * The handler, with its dependencies injectable for tests. The configuration is fetched from
 * Secrets Manager on the first invocation and kept (the service reads it through `() => config`,
 * so it is loaded before any route runs). Without a usable secret every request gets a 503 and a
 * log line that names what is wrong, never a value.
 */
export function createWebhookHandler(options: WebhookLambdaOptions = {}) {
  const env = options.env ?? process.env;
  const secrets = options.secrets ?? new SecretsManagerClient({});
  let config: IngressConfig | undefined;
  const loadConfig = cachedOnce(() => fetchIngressConfig(secrets, required(env, WEBHOOK_ENV.secretArn)));
  const service = ingressService(() => {
    if (!config) throw new Error('ingress configuration not loaded');
    return config;
  });
  const routes = service.routes ?? [];
  let ready: { ports: WebhookPorts; serve: ReturnType<typeof routeLambda> } | undefined;

  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    if (!ready) {
      const ports = (options.ports ?? awsPorts)(env);
      ready = { ports, serve: routeLambda(service.routeHandlers ?? {}, routes, ports) };
    }
    const { ports, serve } = ready;
    try {
      config = await loadConfig();
    } catch (error) {
      if (error instanceof IngressConfigError) {
        ports.log.error('ingress secret not usable: put the documented JSON in the secret', {
          problem: error.message,
        });
        return json(503, { error: 'ingress not configured' });
      }
      // SDK errors name the call and the ARN, never the secret's value.
      ports.log.error('ingress secret could not be read', {
        error: (error as Error).name,
        message: (error as Error).message,
      });
      return json(503, { error: 'configuration unavailable' });
    }
    // Routes are declared by resource path; `event.path` may carry a custom domain's base path.
    const request: APIGatewayProxyEvent = { ...event, path: event.resource ?? event.path };
    const route = routes.find(
      (r) => r.method === request.httpMethod.toUpperCase() && r.path === request.path,
    );
    const refused = route ? refuseByDeclaration(route, request) : undefined;
    if (refused) return json(refused.status, refused.body);
    try {
      return await serve(request);
    } catch (error) {
      ports.log.error('webhook handler failed', { error: String(error) });
      return json(500, { error: 'internal error' });
    }
  };
}

export const handler = createWebhookHandler();
