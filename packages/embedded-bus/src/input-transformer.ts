// EventBridge's InputTransformer: variables read from the event by JSON path, substituted into a template.
//
// How a value is written depends on where its <placeholder> sits, as EventBridge documents:
// - The template is JSON (once placeholders are filled): a placeholder outside quotes becomes the value as
//   JSON (strings get their quotes, objects stay objects, a missing path gives null); inside a quoted string
//   a string value is escaped into it, an object or array loses its inner quotes, a missing path gives ''.
// - Any other template is text: values are written as they are (objects as JSON), missing paths as ''.
// The result is the parsed JSON value for a JSON template, the text otherwise.

export interface InputTransformer {
  inputPathsMap?: Record<string, string>;
  inputTemplate: string;
}

export interface TransformContext {
  ruleName: string;
  ruleArn: string;
  /** When the bus received the event, ISO 8601. */
  ingestionTime: string;
}

export class InvalidInputTransformerError extends Error {
  override readonly name = 'InvalidInputTransformerError';
}

/** EventBridge API limits (PutTargets, InputTransformer). */
export const MAX_INPUT_PATHS = 100;
export const MAX_INPUT_TEMPLATE_LENGTH = 8192;
const MAX_KEY_LENGTH = 256;
const MAX_PATH_LENGTH = 256;
const KEY_SYNTAX = /^[A-Za-z0-9_-]+$/;

/** Variables EventBridge defines itself; their names are reserved. */
export const PREDEFINED_VARIABLES = [
  'aws.events.rule-arn',
  'aws.events.rule-name',
  'aws.events.event.ingestion-time',
  'aws.events.event',
  'aws.events.event.json',
] as const;
const PREDEFINED: ReadonlySet<string> = new Set(PREDEFINED_VARIABLES);

type Step = { readonly key: string } | { readonly index: number } | { readonly wildcard: true };

interface Placeholder {
  readonly start: number;
  readonly end: number;
  readonly name: string;
  /** Inside a quoted JSON string of the template. */
  readonly quoted: boolean;
}

interface Compiled {
  readonly paths: ReadonlyMap<string, readonly Step[]>;
  readonly template: string;
  readonly placeholders: readonly Placeholder[];
  readonly json: boolean;
}

const compiledCache = new WeakMap<InputTransformer, Compiled>();

/** Checks the transformer as PutTargets would; throws InvalidInputTransformerError naming the problem. */
export function validateInputTransformer(t: InputTransformer): void {
  compile(t);
}

export function applyInputTransformer(
  t: InputTransformer,
  event: Record<string, unknown>,
  ctx: TransformContext,
): unknown {
  const compiled = compile(t);
  const { template, placeholders } = compiled;
  let out = '';
  let at = 0;
  for (const p of placeholders) {
    out += template.slice(at, p.start);
    const found = resolve(compiled, p.name, event, ctx);
    out += compiled.json ? renderJson(found, p.quoted) : renderText(found);
    at = p.end;
  }
  out += template.slice(at);
  if (!compiled.json) return out;
  try {
    return JSON.parse(out);
  } catch {
    // A value written next to other characters (e.g. <n>0) can break the JSON; EventBridge sends the text.
    return out;
  }
}

// ---- compiling and validating ----

function compile(t: InputTransformer): Compiled {
  const cached = compiledCache.get(t);
  if (cached) return cached;
  const compiled = compileUncached(t);
  compiledCache.set(t, compiled);
  return compiled;
}

function fail(problem: string): never {
  throw new InvalidInputTransformerError(`Invalid InputTransformer: ${problem}`);
}

function compileUncached(t: InputTransformer): Compiled {
  if (t === null || typeof t !== 'object') fail('must be an object with an inputTemplate');
  const template: unknown = t.inputTemplate;
  if (typeof template !== 'string') fail('inputTemplate must be a string');
  if (template.length < 1 || template.length > MAX_INPUT_TEMPLATE_LENGTH) {
    fail(`inputTemplate must be 1 to ${MAX_INPUT_TEMPLATE_LENGTH} characters long, got ${template.length}`);
  }
  const paths = compilePaths(t.inputPathsMap);
  const placeholders = findPlaceholders(template, (name) => paths.has(name) || PREDEFINED.has(name));
  const json = isJsonTemplate(template, placeholders);
  return { paths, template, placeholders, json };
}

function compilePaths(map: unknown): Map<string, Step[]> {
  const paths = new Map<string, Step[]>();
  if (map === undefined) return paths;
  if (map === null || typeof map !== 'object' || Array.isArray(map)) fail('inputPathsMap must be an object');
  const entries = Object.entries(map);
  if (entries.length > MAX_INPUT_PATHS) {
    fail(`inputPathsMap has ${entries.length} entries; at most ${MAX_INPUT_PATHS} are allowed`);
  }
  for (const [name, path] of entries) {
    if (PREDEFINED.has(name)) fail(`inputPathsMap key "${name}" is a reserved predefined variable`);
    if (name.length > MAX_KEY_LENGTH)
      fail(`inputPathsMap key "${name.slice(0, 20)}..." is longer than ${MAX_KEY_LENGTH}`);
    if (/^aws\./i.test(name)) fail(`inputPathsMap key "${name}" must not start with "AWS." (reserved)`);
    if (!KEY_SYNTAX.test(name)) fail(`inputPathsMap key "${name}" must match [A-Za-z0-9_-]+`);
    if (typeof path !== 'string') fail(`inputPathsMap["${name}"] must be a JSON path string`);
    if (path.length > MAX_PATH_LENGTH)
      fail(`inputPathsMap["${name}"] is longer than ${MAX_PATH_LENGTH} characters`);
    paths.set(name, parsePath(path, name));
  }
  return paths;
}

/**
 * The JSON path subset EventBridge supports: `$`, then `.name` (letters, digits, `_`, `-`, `/`), `.*`,
 * `[n]` and `[*]`. Bracketed names, filters, slices and `..` are refused.
 */
function parsePath(path: string, name: string): Step[] {
  const bad = (why: string) =>
    new InvalidInputTransformerError(
      `Invalid InputTransformer: inputPathsMap["${name}"] "${path}" is not a supported JSON path: ${why}`,
    );
  if (!path.startsWith('$')) throw bad('it must start with $');
  const steps: Step[] = [];
  const syntax = /\.([A-Za-z0-9_\-/]+|\*)|\[(\d+|\*)\]/y;
  syntax.lastIndex = 1;
  while (syntax.lastIndex < path.length) {
    const from = syntax.lastIndex;
    const m = syntax.exec(path);
    if (m === null) throw bad(`unexpected "${path.slice(from, from + 10)}" at position ${from}`);
    const [, key, index] = m;
    if (key === '*' || index === '*') steps.push({ wildcard: true });
    else if (key !== undefined) steps.push({ key });
    else steps.push({ index: Number(index) });
  }
  return steps;
}

const PLACEHOLDER = /<([A-Za-z0-9_\-.]+)>/y;

/** Finds `<name>` for known names, noting whether each sits inside a quoted string of the template. */
function findPlaceholders(template: string, known: (name: string) => boolean): Placeholder[] {
  const found: Placeholder[] = [];
  let quoted = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (quoted && c === '\\') {
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === '<') {
      PLACEHOLDER.lastIndex = i;
      const m = PLACEHOLDER.exec(template);
      if (m !== null && known(m[1]!)) {
        found.push({ start: i, end: PLACEHOLDER.lastIndex, name: m[1]!, quoted });
        i = PLACEHOLDER.lastIndex - 1;
      }
    }
  }
  return found;
}

const MARK = '\u0000placeholder';

/**
 * A template is JSON when it parses with its placeholders filled in. Filling them with a marker also
 * finds placeholders used as object keys, which EventBridge does not allow.
 */
function isJsonTemplate(template: string, placeholders: readonly Placeholder[]): boolean {
  let probe = '';
  let at = 0;
  for (const p of placeholders) {
    probe += template.slice(at, p.start) + (p.quoted ? '\\u0000placeholder' : '"\\u0000placeholder"');
    at = p.end;
  }
  probe += template.slice(at);
  let placeholderKey = false;
  try {
    JSON.parse(probe, (key, value: unknown) => {
      if (key.includes(MARK)) placeholderKey = true;
      return value;
    });
  } catch (error) {
    if (template.trimStart().startsWith('{')) {
      fail(`inputTemplate starts with "{" but is not valid JSON: ${(error as Error).message}`);
    }
    return false;
  }
  if (placeholderKey) fail('a placeholder cannot be used as an object key in a JSON inputTemplate');
  return true;
}

// ---- applying ----

type Found = { readonly found: true; readonly value: unknown } | { readonly found: false };
const MISSING: Found = { found: false };

function resolve(
  compiled: Compiled,
  name: string,
  event: Record<string, unknown>,
  ctx: TransformContext,
): Found {
  switch (name) {
    case 'aws.events.rule-arn':
      return { found: true, value: ctx.ruleArn };
    case 'aws.events.rule-name':
      return { found: true, value: ctx.ruleName };
    case 'aws.events.event.ingestion-time':
      return { found: true, value: ctx.ingestionTime };
    case 'aws.events.event': {
      // The event without its detail, as EventBridge documents.
      const { detail: _detail, ...envelope } = event;
      return { found: true, value: envelope };
    }
    case 'aws.events.event.json':
      return { found: true, value: event };
  }
  return evaluate(compiled.paths.get(name)!, event);
}

function evaluate(steps: readonly Step[], event: unknown): Found {
  if (!steps.some((s) => 'wildcard' in s)) {
    let node: unknown = event;
    for (const s of steps) {
      node = child(node, s);
      if (node === undefined) return MISSING;
    }
    return { found: true, value: node };
  }
  // With a wildcard the path selects a list, as in JSONPath.
  let nodes: unknown[] = [event];
  for (const s of steps) {
    const next: unknown[] = [];
    for (const node of nodes) {
      if ('wildcard' in s) {
        if (Array.isArray(node)) next.push(...node);
        else if (node !== null && typeof node === 'object') next.push(...Object.values(node));
      } else {
        const value = child(node, s);
        if (value !== undefined) next.push(value);
      }
    }
    nodes = next;
  }
  return nodes.length === 0 ? MISSING : { found: true, value: nodes };
}

function child(node: unknown, step: Step): unknown {
  if ('index' in step) return Array.isArray(node) ? node[step.index] : undefined;
  if ('key' in step && node !== null && typeof node === 'object' && !Array.isArray(node)) {
    return Object.hasOwn(node, step.key) ? (node as Record<string, unknown>)[step.key] : undefined;
  }
  return undefined;
}

function renderJson(found: Found, quoted: boolean): string {
  if (!found.found) return quoted ? '' : 'null';
  const { value } = found;
  if (!quoted) return JSON.stringify(value) ?? 'null';
  if (typeof value === 'string') return escapeInString(value);
  if (value !== null && typeof value === 'object') {
    // EventBridge drops the inner quotes so the object reads inside the string: {a:1,b:x}.
    return escapeInString(JSON.stringify(value).replaceAll('"', ''));
  }
  return String(value);
}

function renderText(found: Found): string {
  if (!found.found) return '';
  return typeof found.value === 'string' ? found.value : (JSON.stringify(found.value) ?? '');
}

function escapeInString(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
