// @murmur/event-pattern: EventBridge event patterns (aws/event-ruler semantics), validated, compiled to
// closures, and indexed for a bus with many rules.
export { type CompileOptions, DEFAULT_MAX_PATTERN_LENGTH, MAX_SUB_RULES } from './compiler.js';
export { InvalidEventPatternError } from './errors.js';
export { NUMERIC_LIMIT } from './numeric.js';
export { type CompiledPattern, compilePattern, testEventPattern, validatePattern } from './pattern.js';
export { RuleIndex, type RuleIndexStats } from './rule-index.js';
