// What a handler throws to steer its own redelivery. Throwing anything else means "retry with
// backoff"; these two refine that. The embedded bus reads them; on AWS the Lambda adapters do.

/** The event can never succeed (a 4xx, a deleted source): straight to the DLQ, no retries. */
export class NonRetryableError extends Error {
  override readonly name: string = 'NonRetryableError';
}

/**
 * Try again no sooner than `retryAfterMs` from now, e.g. after a 429's reset time. Never sleep in
 * a handler instead: the bus (or, on AWS, the queue) holds the event meanwhile.
 */
export class RetryLaterError extends Error {
  override readonly name: string = 'RetryLaterError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}
