import { NonRetryableError, RetryLaterError } from './errors.js';

// As EventBridge API destinations: 429 and 5xx are retried, other 4xx go to the DLQ at once.
const RETRYABLE_4XX = new Set([408, 409, 429]);

/** POSTs the input as JSON; resolves on 2xx. */
export async function deliverHttp(url: string, input: unknown, timeoutMs: number): Promise<void> {
  const body = typeof input === 'string' ? input : JSON.stringify(input);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'murmur-embedded-bus' },
    body,
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'manual',
  });
  await response.body?.cancel();
  if (response.ok) return;
  const message = `HTTP ${response.status} from ${new URL(url).origin}`;
  if (response.status === 429) {
    const retryAfter = Number(response.headers.get('retry-after'));
    if (Number.isFinite(retryAfter) && retryAfter > 0) throw new RetryLaterError(message, retryAfter * 1000);
  }
  if (response.status >= 400 && response.status < 500 && !RETRYABLE_4XX.has(response.status)) {
    throw new NonRetryableError(message);
  }
  throw new Error(message);
}
