import { type CompileOptions, compileSubRules, readPattern } from './compiler.js';
import { InvalidEventPatternError } from './errors.js';
import { matchesSubRule } from './evaluator.js';
import type { SubRule } from './types.js';

export interface CompiledPattern {
  /** The pattern as a JSON object (parsed, when it was given as text). */
  readonly source: unknown;
  /** Whether the event matches, exactly as EventBridge would decide. */
  matches(event: unknown): boolean;
}

class EventPattern implements CompiledPattern {
  constructor(
    readonly source: unknown,
    /** The pattern matches when any sub-rule does. Exposed to RuleIndex, which reads the fields. */
    readonly subRules: readonly SubRule[],
  ) {}

  matches(event: unknown): boolean {
    if (event === null || typeof event !== 'object' || Array.isArray(event)) return false;
    for (const subRule of this.subRules) if (matchesSubRule(subRule, event)) return true;
    return false;
  }
}

/** Validates and compiles a pattern (object or JSON text); throws InvalidEventPatternError if AWS would refuse it. */
export function compilePattern(pattern: unknown, options?: CompileOptions): CompiledPattern {
  const source = readPattern(pattern, options);
  return new EventPattern(source, compileSubRules(source));
}

/** The sub-rules of a pattern made by compilePattern, or null for another implementation. */
export function subRulesOf(pattern: CompiledPattern): readonly SubRule[] | null {
  return pattern instanceof EventPattern ? pattern.subRules : null;
}

export function validatePattern(
  pattern: unknown,
  options?: CompileOptions,
): { valid: true } | { valid: false; reason: string } {
  try {
    compilePattern(pattern, options);
    return { valid: true };
  } catch (error) {
    if (error instanceof InvalidEventPatternError) return { valid: false, reason: error.reason };
    throw error;
  }
}

/**
 * Like EventBridge's TestEventPattern: does the event (object or JSON text) match the pattern?
 * Throws InvalidEventPatternError for a pattern AWS would refuse.
 */
export function testEventPattern(pattern: unknown, event: unknown): boolean {
  const compiled = compilePattern(pattern);
  const parsed: unknown = typeof event === 'string' ? parseEvent(event) : event;
  return compiled.matches(parsed);
}

function parseEvent(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TypeError(`Event is not valid JSON: ${(error as Error).message}`);
  }
}
