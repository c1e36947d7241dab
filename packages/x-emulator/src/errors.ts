import { json, type Reply } from './http-types.js';

/*
 * X's error bodies, as X sends them. v2 mixes two shapes: RFC 7807 problems
 * (`{ title, detail, type, status }`) for auth, permission and rate-limit failures, and
 * `{ errors: [...], title, detail, type }` for invalid requests. twitter-api-v2 formats both.
 */

const INVALID_REQUEST_TYPE = 'https://api.twitter.com/2/problems/invalid-request';
const NOT_FOUND_TYPE = 'https://api.twitter.com/2/problems/resource-not-found';

export interface InvalidRequestError {
  message: string;
  parameters?: Record<string, string[]>;
}

export function invalidRequest(errors: InvalidRequestError[]): Reply {
  return json(400, {
    errors,
    title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.',
    type: INVALID_REQUEST_TYPE,
  });
}

export function invalidParameter(name: string, value: string, message: string): Reply {
  return invalidRequest([{ parameters: { [name]: [value] }, message }]);
}

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The plain `about:blank` problem X uses for 401, 403, 429 and 5xx. */
export function problem(status: number, detail?: string): Reply {
  const title = STATUS_TITLES[status] ?? 'Error';
  return json(status, { title, detail: detail ?? title, type: 'about:blank', status });
}

export function unauthorized(): Reply {
  return problem(401, 'Unauthorized');
}

export function forbidden(detail: string): Reply {
  return problem(403, detail);
}

export function tooManyRequests(): Reply {
  return problem(429, 'Too Many Requests');
}

export function unsupportedAuthentication(kind: 'app' | 'user'): Reply {
  const detail =
    kind === 'app'
      ? 'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].'
      : 'Authenticating with OAuth 1.0a User Context is forbidden for this endpoint.  Supported authentication types are [OAuth 2.0 Application-Only].';
  return json(403, {
    title: 'Unsupported Authentication',
    detail,
    type: 'https://api.twitter.com/2/problems/unsupported-authentication',
    status: 403,
  });
}

/** v1-style 404 that X answers for paths it does not know. */
export function unknownRoute(): Reply {
  return json(404, { errors: [{ message: 'Sorry, that page does not exist', code: 34 }] });
}

/** A partial error inside a 200 answer: how v2 lookups report a missing resource. */
export function resourceNotFound(
  resourceType: 'tweet' | 'user' | 'media',
  parameter: string,
  value: string,
  what = resourceType,
) {
  return {
    value,
    detail: `Could not find ${what} with ${parameter}: [${value}].`,
    title: 'Not Found Error',
    resource_type: resourceType,
    parameter,
    resource_id: value,
    type: NOT_FOUND_TYPE,
  };
}

/** The Account Activity / Webhooks v2 endpoints name the failure reason in `errors[].message`. */
export function webhookFailure(reason: string, detail?: string): Reply {
  return invalidRequest([{ message: detail ? `${reason}: ${detail}` : reason }]);
}
