// Validation against the catalog, with errors that name the field: `detail.author.id: expected string, received number`.
import type { z } from 'zod';
import { catalog, findCatalogEntry } from './catalog.js';

export type DetailValidation = { ok: true; detail: Record<string, unknown> } | { ok: false; error: string };

const MAX_ISSUES = 5;

/** `detail.media[0].url` from a zod issue path. */
export function fieldPath(root: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`),
    root,
  );
}

function isPresent(input: unknown, path: readonly PropertyKey[]): boolean {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !(key in value)) return false;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value !== undefined;
}

function describeIssue(root: string, issue: z.core.$ZodIssue, input: unknown): string[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map(
      (key) => `${fieldPath(root, [...issue.path, key])}: unknown field, not in the schema`,
    );
  }
  let message = issue.message.replace(/^Invalid input: /, '').replace(/, received undefined$/, '');
  // A missing field reads better as "missing" than as a type mismatch against undefined.
  if (issue.code !== 'custom' && issue.path.length > 0 && !isPresent(input, issue.path)) {
    const expected = message.replace(/^Invalid option: /, '').replace(/^expected nonoptional$/, '');
    message = expected ? `missing, ${expected}` : 'missing';
  }
  return [`${fieldPath(root, issue.path)}: ${message}`];
}

/** One line per problem, at most a few, in zod's order. */
export function formatIssues(root: string, error: z.ZodError, input: unknown): string {
  const lines = error.issues.flatMap((issue) => describeIssue(root, issue, input));
  const shown = lines.slice(0, MAX_ISSUES).join('; ');
  return lines.length > MAX_ISSUES ? `${shown}; (+${lines.length - MAX_ISSUES} more)` : shown;
}

function unknownEvent(source: string, detailType: string): string {
  const base = `unknown event: source "${source}" with detail-type "${detailType}" is not in the catalog`;
  const elsewhere = catalog.find((e) => e.detailType === detailType);
  return elsewhere ? `${base} (${detailType} is published by "${elsewhere.source}")` : base;
}

/** Checks a detail against the catalog entry for (source, detail-type). The returned detail equals the input. */
export function validateDetail(source: string, detailType: string, detail: unknown): DetailValidation {
  const entry = findCatalogEntry(source, detailType);
  if (!entry) return { ok: false, error: unknownEvent(source, detailType) };
  const result = entry.schema.safeParse(detail);
  if (!result.success) return { ok: false, error: formatIssues('detail', result.error, detail) };
  return { ok: true, detail: result.data as Record<string, unknown> };
}
