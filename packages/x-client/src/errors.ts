import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from 'twitter-api-v2';

/** A bad argument caught before calling X (e.g. an id that is not an X id). */
export class XInputError extends Error {
  override readonly name = 'XInputError';
}

interface ErrorBody {
  title?: unknown;
  detail?: unknown;
  errors?: { message?: unknown; detail?: unknown }[];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** What X said, from both v2 error shapes (`errors[]` and RFC 7807 problems). */
function xMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return text(body);
  const data = body as ErrorBody;
  const messages = (Array.isArray(data.errors) ? data.errors : [])
    .map((e) => text(e?.message) ?? text(e?.detail))
    .filter((m): m is string => m !== undefined);
  if (messages.length > 0) return messages.join('; ');
  const title = text(data.title);
  const detail = text(data.detail);
  if (title && detail && title !== detail) return `${title}: ${detail}`;
  return detail ?? title;
}

/**
 * One clean line for an error from twitter-api-v2 (never its request, headers or stack,
 * which carry OAuth material), or undefined when the error did not come from it.
 */
export function describeXError(error: unknown): string | undefined {
  if (error instanceof ApiResponseError) {
    if (error.rateLimitError) {
      const reset = error.rateLimit?.reset;
      const until = reset ? new Date(reset * 1000).toISOString() : 'its window resets';
      return `X refused (HTTP ${error.code}): rate limited until ${until}`;
    }
    const said = xMessage(error.data) ?? 'no reason given';
    return `X refused (HTTP ${error.code}): ${said}`;
  }
  if (error instanceof ApiRequestError) {
    return `could not reach X: ${error.requestError?.message ?? error.message}`;
  }
  if (error instanceof ApiPartialResponseError) {
    return `X's answer was cut off: ${error.responseError?.message ?? error.message}`;
  }
  return undefined;
}
