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

// Handlers and the bus share these: a service throws them without knowing which runtime it is on.
export { NonRetryableError, RetryLaterError } from '@murmur/ports';

export class DispatcherLockedError extends Error {
  override readonly name = 'DispatcherLockedError';
}
