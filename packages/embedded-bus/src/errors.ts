export interface EntryError {
  index: number;
  /** EventBridge-style codes: ValidationException, EntryTooLarge, UnknownEvent. */
  code: 'ValidationException' | 'EntryTooLarge' | 'UnknownEvent';
  message: string;
}

/** Publishing is all-or-nothing: when any entry is bad, none is stored. */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  constructor(readonly entryErrors: EntryError[]) {
    super(entryErrors.map((e) => `entry ${e.index}: ${e.code}: ${e.message}`).join('; '));
  }
}

export class ResourceNotFoundError extends Error {
  override readonly name = 'ResourceNotFoundException';
}

export class ResourceAlreadyExistsError extends Error {
  override readonly name = 'ResourceAlreadyExistsException';
}

export class ValidationError extends Error {
  override readonly name = 'ValidationException';
}

/** The target refuses this event for good: straight to the DLQ, no retries (as a 4xx from an API destination). */
export class NonRetryableError extends Error {
  override readonly name = 'NonRetryableError';
}

/** The target asks to be retried no sooner than `retryAfterMs` (e.g. a 429 with a reset time). */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

export class DispatcherLockedError extends Error {
  override readonly name = 'DispatcherLockedError';
}
