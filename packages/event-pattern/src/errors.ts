/**
 * What EventBridge's PutRule / TestEventPattern answer for a pattern they refuse.
 * `reason` names the problem and where it is, e.g. `"prefix" match pattern must be a string, at detail.text`.
 */
export class InvalidEventPatternError extends Error {
  override readonly name = 'InvalidEventPatternException';
  readonly reason: string;
  /** Dotted path of the offending field ('' for the pattern itself). */
  readonly path: string;

  constructor(problem: string, path = '') {
    const reason = path === '' ? problem : `${problem}, at ${path}`;
    super(`Event pattern is not valid. Reason: ${reason}`);
    this.reason = reason;
    this.path = path;
  }
}

/** Thrown by the compiler; carries the problem, the path is added by whoever knows it. */
export function invalid(problem: string, path: string): never {
  throw new InvalidEventPatternError(problem, path);
}
