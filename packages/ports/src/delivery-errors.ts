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

/**
 * On AWS, a queued handler that refuses an event (NonRetryableError) puts it in its target's
 * dead-letter queue itself, as the embedded bus does, so `murmur dlq --aws` lists and redrives it
 * like any other dead letter. The function finds the queue in this variable, and marks the
 * message with these attributes.
 */
export const DEAD_LETTER_QUEUE_URL_ENV = 'MURMUR_DEAD_LETTER_QUEUE_URL';
export const REFUSED_EVENT_ATTRIBUTES = {
  /** The work queue the event came from: a redrive sends it back there. */
  sourceQueueArn: 'MURMUR_SOURCE_QUEUE_ARN',
  /** The error's name, e.g. NonRetryableError or one of its subclasses. */
  error: 'MURMUR_ERROR',
  /** The error's message (at most 1000 characters). */
  errorMessage: 'MURMUR_ERROR_MESSAGE',
} as const;
