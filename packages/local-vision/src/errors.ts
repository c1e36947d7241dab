/**
 * An error as Rekognition raises it: `name` is the AWS exception name, so the state machine's
 * `Catch`/`Retry` rules (which match on it) treat local and AWS failures alike.
 *
 * Raised here: `InvalidParameterException` (no `Image.Bytes`), `InvalidImageFormatException`
 * (not a JPEG or PNG, or bytes that do not decode), `ImageTooLargeException`.
 */
export class RekognitionError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}
