import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';

/**
 * One problem found in the props or in the rendered output of a construct.
 *
 * Every problem names the construct path, the prop, the offending value and the rule it breaks, so
 * that one error can list every problem of an app at once.
 */
export interface ValidationProblem {
  /** Construct path, e.g. `shop/api`. */
  readonly path: string;
  /** The prop (dotted for nested props), e.g. `strategy.canary.replicas`. */
  readonly prop: string;
  /** The offending value, rendered for humans. */
  readonly value: string;
  /** The rule that the value breaks, phrased as a requirement. */
  readonly rule: string;
}

/** The most characters of a rendered value: a long value is cut short, with `...`. */
export const MAX_RENDERED_VALUE = 120;
/** The most characters of a prop (a prop may quote a key or a path the user gave: `env["<key>"]`). */
export const MAX_RENDERED_PROP = 160;

/**
 * Renders a value for an error message: strings quoted, objects as JSON, never `[object Object]`,
 * and at most `MAX_RENDERED_VALUE` characters, whatever the value (a long string, a big object, a
 * function, a symbol, a BigInt, an object without a prototype).
 */
export function renderValue(value: unknown): string {
  return cutShort(renderFully(value));
}

/** A value inside a rule's text: a string as it is, anything else rendered; cut short either way. */
export function showText(value: unknown): string {
  return typeof value === 'string' ? cutShort(value) : renderValue(value);
}

/** `text`, cut to `MAX_RENDERED_VALUE` characters. */
export function cutShort(text: string, max: number = MAX_RENDERED_VALUE): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

function renderFully(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return `[function ${value.name || '(anonymous)'}]`;
  try {
    const json = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'symbol' ? v.toString() : v));
    if (json !== undefined) return json;
  } catch {
    // circular: fall through
  }
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value); // an object without a prototype (no toString)
  }
}

/** Formats one problem as `path: prop (value) rule` (a problem without a prop as `path: rule`). */
export function formatProblem(p: ValidationProblem): string {
  return p.prop === '' ? `${p.path}: ${p.rule}` : `${p.path}: ${p.prop} (${p.value}) ${p.rule}`;
}

/** The problems behind each list `Problems.messages()` returned, for the synth-time error. */
const SOURCES = new WeakMap<string[], ValidationProblem[]>();

/**
 * The problems behind a list of validation messages: the recorded ones if `Problems.messages()`
 * made the list, otherwise one problem per message, without a prop.
 * @internal
 */
export function problemsOf(messages: string[], path: string): ValidationProblem[] {
  return SOURCES.get(messages) ?? messages.map((rule) => ({ path, prop: '', value: '', rule }));
}

/**
 * Validation messages for problems of several constructs (an app-wide check), each line naming
 * its construct path (`formatProblem`); `problemsOf` gives the structured problems back.
 * @internal
 */
export function messagesOf(problems: ValidationProblem[]): string[] {
  const out = problems.map(formatProblem);
  SOURCES.set(out, [...problems]);
  return out;
}

/**
 * A list of values for a message (`a, b, c`): each rendered, the whole cut short.
 * @internal
 */
export function showList(items: readonly unknown[], max = 200): string {
  return cutShort(items.map((x) => (typeof x === 'string' ? x : renderValue(x))).join(', '), max);
}

/**
 * The error thrown when props are invalid. Its message lists every problem, one per line.
 * Not part of the jsii API (jsii cannot model Error subclasses); catch it as `Error`.
 */
export class PatternValidationError extends Error {
  /** Every problem found. */
  public readonly problems: ValidationProblem[];

  constructor(problems: ValidationProblem[]) {
    const lines = problems.map((p) => `  - ${formatProblem(p)}`);
    super(
      `cdk8s-patterns: ${problems.length} invalid ${problems.length === 1 ? 'value' : 'values'}:\n${lines.join('\n')}`,
    );
    this.name = 'PatternValidationError';
    this.problems = problems;
  }
}

/**
 * Reads the library's validation errors. The error itself (`PatternValidationError`, thrown by
 * constructors and by `app.synth()`) is a JavaScript `Error` subclass, which jsii cannot export to
 * other languages; this class gives every language its structured problems.
 */
export class ValidationErrors {
  /** Whether `error` is the library's validation error (from a constructor, a method or synth). */
  public static isValidationError(error: any): boolean {
    return error instanceof PatternValidationError;
  }

  /** The problems `error` lists, one per prop and rule; empty if it is not the library's validation error. */
  public static problemsOf(error: any): ValidationProblem[] {
    return error instanceof PatternValidationError ? [...error.problems] : [];
  }

  private constructor() {}
}

/**
 * Collects problems for one construct, then throws them all at once.
 * @internal
 */
export class Problems {
  private readonly list: ValidationProblem[] = [];
  private readonly keys = new Set<string>();
  private readonly path: string;
  private readonly root?: IConstruct;

  constructor(scope: IConstruct | string) {
    this.path = typeof scope === 'string' ? scope : scope.node.path;
    if (typeof scope !== 'string') {
      this.root = scope.node.root;
      if (!FIRST.has(scope)) FIRST.set(scope, this);
    }
  }

  /** Records a problem, once: the same prop, value and rule found twice (by two checks of one value) is one problem. */
  public add(prop: string, value: unknown, rule: string): void {
    const key = `${prop}\u0000${renderFully(value)}\u0000${rule}`; // in full: two long values may share their first characters
    if (this.keys.has(key)) return;
    this.keys.add(key);
    const problem = { path: this.path, prop: cutShort(prop, MAX_RENDERED_PROP), value: renderValue(value), rule };
    FULL_KEYS.set(problem, `${this.path}\u0000${key}`);
    this.list.push(problem);
  }

  /** Records a problem unless `ok` holds. Returns `ok`. */
  public check(ok: boolean, prop: string, value: unknown, rule: string): boolean {
    if (!ok) this.add(prop, value, rule);
    return ok;
  }

  /** Every problem recorded so far. */
  public get all(): ValidationProblem[] {
    return [...this.list];
  }

  /** Whether nothing was recorded. */
  public get isEmpty(): boolean {
    return this.list.length === 0;
  }

  /**
   * One line per problem, for `node.addValidation`: without the construct path, which cdk8s
   * prefixes itself (`[shop/api] deployment.replicas (-1) must be ...`).
   */
  public messages(): string[] {
    const out = this.list.map((p) => (p.prop === '' ? p.rule : `${p.prop} (${p.value}) ${p.rule}`));
    SOURCES.set(out, this.all);
    return out;
  }

  /**
   * Throws one error that lists every problem, if any was recorded: first those the app has
   * pending (constructs and calls that failed before, see `pendingProblems`), then these.
   */
  public throwIfAny(): void {
    if (this.isEmpty) return;
    const mine = new Set(this.list);
    const pending = this.root ? pendingProblems(this.root).filter((p) => !mine.has(p)) : [];
    throw new PatternValidationError([...pending, ...this.all]);
  }
}

/** Each problem `Problems.add` made, by its path, prop, value in full and rule: what makes two problems the same. */
const FULL_KEYS = new WeakMap<ValidationProblem, string>();

/** The first `Problems` made for each construct: its constructor's. */
const FIRST = new WeakMap<IConstruct, Problems>();

/**
 * The problems the constructor of `construct` had recorded (in the first `Problems` made for it),
 * for a constructor that ends early: they are reported with the error that ended it.
 * @internal
 */
export function constructorProblems(construct: IConstruct): ValidationProblem[] {
  return FIRST.get(construct)?.all ?? [];
}

/** The problems of each app (by root construct) that constructors and calls deferred to synth. */
const PENDING = new WeakMap<IConstruct, ValidationProblem[]>();

/**
 * The problems the app of `scope` deferred to synth, in the order they were found: a construct
 * whose props fail builds nothing and records them here, and so does a call that changes nothing.
 * @internal
 */
export function pendingProblems(scope: IConstruct): ValidationProblem[] {
  return [...(PENDING.get(scope.node.root) ?? [])];
}

/**
 * Records `problems` as pending in the app of `scope` (each once, however often it is recorded).
 * @internal
 */
export function recordPending(scope: IConstruct, problems: readonly ValidationProblem[]): void {
  const root = scope.node.root;
  const list = PENDING.get(root) ?? [];
  PENDING.set(root, list);
  const keyOf = (p: ValidationProblem) => FULL_KEYS.get(p) ?? `${p.path}\u0000${p.prop}\u0000${p.value}\u0000${p.rule}`;
  const seen = new Set(list.map(keyOf));
  for (const p of problems) {
    const key = keyOf(p);
    if (seen.has(key)) continue;
    seen.add(key);
    list.push(p);
  }
}

/** Whether `n` is an integer (not NaN, not fractional). */
/** Whether `v` is a map (an object that is neither null nor an array), as props of maps must be. @internal */
export function isMap(v: unknown): v is any {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function isInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n);
}

/** Checks an optional integer against an inclusive range. */
export const INT32_MAX = 2 ** 31 - 1;

/** Checks an optional integer against an inclusive range (by default, the int32 range of the API). */
export function checkInt(
  problems: Problems, prop: string, value: number | undefined, min: number, max = INT32_MAX,
): void {
  if (value === undefined) return;
  if (!isInt(value)) {
    problems.add(prop, value, 'must be an integer');
  } else if (value < min || value > max) {
    const range = max === INT32_MAX ? `>= ${min} (and at most ${INT32_MAX})` : `between ${min} and ${max}`;
    problems.add(prop, value, `must be ${range}`);
  }
}

/** Checks a PercentOrAbsolute value: a non-negative int32 or a percentage from 0 % to 100 %. */
export function checkPercentOrAbsolute(problems: Problems, prop: string, v: kplus.PercentOrAbsolute): boolean {
  const raw = v.value;
  if (typeof raw === 'string') {
    const n = Number(raw.replace(/%$/, ''));
    return problems.check(raw.endsWith('%') && Number.isInteger(n) && n >= 0 && n <= 100, prop, raw, 'must be a percentage from 0% to 100%');
  }
  return problems.check(Number.isInteger(raw) && raw >= 0 && raw <= INT32_MAX, prop, raw, 'must be a non-negative integer');
}

/** `RollingUpdate` -> `rollingUpdate`: a kind as a prop name. */
export function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/**
 * Records each own key of `value` (an object of props from JavaScript) that is not in `known`: a
 * typo, or a prop of another construct, that would otherwise be silently ignored. The message
 * names the nearest known key when one is close. `skip` lists keys reported elsewhere.
 * @internal
 */
export function checkKnownKeys(problems: Problems, prefix: string, value: unknown, known: readonly string[] | undefined, iface: string,
  skip: readonly string[] = []): void {
  if (known === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return;
  for (const key of Object.keys(value)) {
    if (known.includes(key) || skip.includes(key) || (value as any)[key] === undefined) continue;
    const near = nearest(key, known);
    problems.add(`${prefix}${key}`, (value as any)[key],
      `is not a prop of ${iface}${near ? `: did you mean "${near}"?` : ' (it would be ignored)'}`);
  }
}

/** The known name closest to `key` (case-insensitive edit distance), if close enough to be a typo. */
function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    const d = editDistance(key.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
