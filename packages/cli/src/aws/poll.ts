// Waiting between two status calls, cut short by Ctrl-C.

/** Polling interval of the `--aws` commands: MURMUR_AWS_POLL_MS, else `fallbackMs`. */
export function pollIntervalMs(env: NodeJS.ProcessEnv, fallbackMs = 2_000): number {
  const raw = env.MURMUR_AWS_POLL_MS;
  if (raw === undefined || raw === '') return fallbackMs;
  const ms = Number(raw);
  return Number.isInteger(ms) && ms >= 0 ? ms : fallbackMs;
}

/** Tells whether the user has asked to stop, and waits unless they have. */
export class Interruption {
  #interrupted = false;
  readonly #signal: Promise<void>;

  constructor(signal: Promise<void> = new Promise(() => {})) {
    this.#signal = signal.then(() => {
      this.#interrupted = true;
    });
  }

  get interrupted(): boolean {
    return this.#interrupted;
  }

  /** Resolves after `ms`, or as soon as the user interrupts; true when interrupted. */
  async pause(ms: number): Promise<boolean> {
    if (this.#interrupted) return true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), this.#signal]);
    clearTimeout(timer);
    return this.#interrupted;
  }
}

/** A plain wait that Ctrl-C does not cut short (used while a cancellation completes). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
