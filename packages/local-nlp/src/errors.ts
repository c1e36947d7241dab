/** The exception names Comprehend's real-time APIs throw, as the AWS SDK names them. */
export type ComprehendErrorName =
  | 'InvalidRequestException'
  | 'TextSizeLimitExceededException'
  | 'UnsupportedLanguageException';

/**
 * A refusal shaped like the AWS SDK's: `name` is the AWS exception name, so code that catches
 * `error.name === 'UnsupportedLanguageException'` (or a state machine's `Comprehend.*` Catch) treats
 * the local models and Comprehend alike.
 */
export class ComprehendError extends Error {
  override readonly name: ComprehendErrorName;
  /** As on SDK exceptions: every error here is the caller's, not the service's. */
  readonly $fault = 'client' as const;

  constructor(name: ComprehendErrorName, message: string) {
    super(message);
    this.name = name;
  }
}

const utf8 = new TextEncoder();

/** Comprehend counts its limits in UTF-8 bytes, not characters. */
export function utf8Bytes(text: string): number {
  return utf8.encode(text).length;
}

/** A `Text` field as Comprehend checks it: a string of at least one character, under the size limit. */
export function assertText(text: unknown, maxBytes: number, field = 'Text'): string {
  if (typeof text !== 'string' || text.length === 0) {
    throw new ComprehendError('InvalidRequestException', `${field} must be a string of at least 1 character`);
  }
  const bytes = utf8Bytes(text);
  if (bytes > maxBytes) {
    throw new ComprehendError(
      'TextSizeLimitExceededException',
      `${field} is ${bytes} bytes of UTF-8; the limit is ${maxBytes}`,
    );
  }
  return text;
}

/** A `LanguageCode` the local models can read (Comprehend itself accepts more). */
export function assertLanguage(code: unknown, supported: readonly string[]): string {
  if (typeof code !== 'string' || code === '') {
    throw new ComprehendError('InvalidRequestException', 'LanguageCode is required');
  }
  if (!supported.includes(code)) {
    throw new ComprehendError(
      'UnsupportedLanguageException',
      `the local models do not read "${code}" (they read: ${supported.join(', ')})`,
    );
  }
  return code;
}
