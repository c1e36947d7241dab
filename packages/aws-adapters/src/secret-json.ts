// A Secrets Manager secret holding one JSON object of string values (X credentials, for ingress
// and egress): read without ever echoing it, and loaded once per execution environment.

export interface SecretStringFieldsOptions {
  /** Starts every error message, e.g. `ingress secret`. */
  label: string;
  /** The fields to read; any other field is ignored. */
  keys: readonly string[];
  /** Wraps a message in the service's own error (e.g. IngressConfigError). @default Error */
  fail?: (message: string) => Error;
}

/**
 * The string values of `keys` found in a secret's SecretString; absent keys are left out, so the
 * caller decides which are required. Messages never carry the text: Node's SyntaxError quotes
 * its input, and a value in an error would end up in a log.
 */
export function secretStringFields(
  secretString: string | undefined,
  options: SecretStringFieldsOptions,
): Record<string, string> {
  const fail = (message: string) =>
    (options.fail ?? ((m: string) => new Error(m)))(`${options.label}: ${message}`);
  if (typeof secretString !== 'string') throw fail('no SecretString (a JSON object is expected)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw fail('SecretString is not JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw fail('SecretString is not a JSON object');
  }
  const fields = parsed as Record<string, unknown>;
  const values: Record<string, string> = {};
  for (const key of options.keys) {
    const value = fields[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw fail(`${key} must be a string`);
    values[key] = value;
  }
  return values;
}

/**
 * Loads once and keeps the result for the life of the execution environment (one fetch per cold
 * start). A failure is not kept: the next call tries again, so a secret filled in after the
 * deploy is picked up without a redeploy.
 */
export function cachedOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
