import { KNOWN_PROPS } from '../core/known-props';
import { checkKnownKeys, INT32_MAX, Problems } from '../core/validation';

/** The types of a field of a custom resource's schema. */
export enum SchemaFieldType {
  /** A string. */
  STRING = 'string',
  /** A whole number (int64). */
  INTEGER = 'integer',
  /** A number. */
  NUMBER = 'number',
  /** true or false. */
  BOOLEAN = 'boolean',
  /** An object with named fields. */
  OBJECT = 'object',
  /** A list. */
  ARRAY = 'array',
}

/** Options of every field. */
export interface FieldOptions {
  /**
   * What the field means, shown by `kubectl explain`.
   * @default - none
   */
  readonly description?: string;
}

/** Options of a string field. */
export interface StringFieldOptions extends FieldOptions {
  /**
   * The only values allowed.
   * @default - any string
   */
  readonly enum?: string[];
  /**
   * A regular expression (ECMA-262, as the API server checks it) the value must match.
   * @default - any string
   */
  readonly pattern?: string;
  /**
   * The fewest characters.
   * @default - no minimum
   */
  readonly minLength?: number;
  /**
   * The most characters.
   * @default - no maximum
   */
  readonly maxLength?: number;
  /**
   * The value when the field is left out (the API server writes it).
   * @default - none
   */
  readonly default?: string;
}

/** Options of an integer or number field. */
export interface NumberFieldOptions extends FieldOptions {
  /**
   * The smallest value.
   * @default - no minimum
   */
  readonly minimum?: number;
  /**
   * The largest value.
   * @default - no maximum
   */
  readonly maximum?: number;
  /**
   * The value when the field is left out.
   * @default - none
   */
  readonly default?: number;
}

/** Options of a boolean field. */
export interface BooleanFieldOptions extends FieldOptions {
  /**
   * The value when the field is left out.
   * @default - none
   */
  readonly default?: boolean;
}

/** Options of an object field. */
export interface ObjectFieldOptions extends FieldOptions {
  /**
   * The fields that must be present.
   * @default - none
   */
  readonly required?: string[];
}

/** Options of a list field. */
export interface ArrayFieldOptions extends FieldOptions {
  /**
   * The fewest items.
   * @default - no minimum
   */
  readonly minItems?: number;
  /**
   * The most items.
   * @default - no maximum
   */
  readonly maxItems?: number;
}

/**
 * A field of a custom resource's OpenAPI v3 schema, typed so that the schema is always
 * structural (every field has a type; an object has fields or a value schema, never both), as
 * apiextensions.k8s.io/v1 requires.
 *
 * @see https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema
 *
 * @example
 * SchemaField.object({
 *   configMap: SchemaField.string({ description: 'the ConfigMap to watch' }),
 *   podSelector: SchemaField.map(SchemaField.string()),
 * }, { required: ['configMap'] })
 */
export class SchemaField {
  /** A string. */
  public static string(options: StringFieldOptions = {}): SchemaField {
    return new SchemaField(SchemaFieldType.STRING, options ?? {});
  }

  /** A whole number (int64). */
  public static integer(options: NumberFieldOptions = {}): SchemaField {
    return new SchemaField(SchemaFieldType.INTEGER, options ?? {});
  }

  /** A number. */
  public static number(options: NumberFieldOptions = {}): SchemaField {
    return new SchemaField(SchemaFieldType.NUMBER, options ?? {});
  }

  /** true or false. */
  public static boolean(options: BooleanFieldOptions = {}): SchemaField {
    return new SchemaField(SchemaFieldType.BOOLEAN, options ?? {});
  }

  /** An object with the named `fields`. */
  public static object(fields: { [name: string]: SchemaField }, options: ObjectFieldOptions = {}): SchemaField {
    return new SchemaField(SchemaFieldType.OBJECT, options ?? {}, fields);
  }

  /** A map: an object whose keys are free and whose values all follow `values` (e.g. labels). */
  public static map(values: SchemaField, options: FieldOptions = {}): SchemaField {
    return new SchemaField(SchemaFieldType.OBJECT, options ?? {}, undefined, undefined, values);
  }

  /** A list whose items follow `items`. */
  public static array(items: SchemaField, options: ArrayFieldOptions = {}): SchemaField {
    return new SchemaField(SchemaFieldType.ARRAY, options ?? {}, undefined, items);
  }

  /** An integer or a string (`x-kubernetes-int-or-string`), e.g. a port number or name, or `25%`. */
  public static intOrString(options: FieldOptions = {}): SchemaField {
    return new SchemaField(undefined, options ?? {}, undefined, undefined, undefined, 'intOrString');
  }

  /**
   * An object whose content the API server keeps as it is (`x-kubernetes-preserve-unknown-fields`),
   * e.g. an embedded free-form configuration. Unchecked: prefer typed fields.
   */
  public static freeForm(options: FieldOptions = {}): SchemaField {
    return new SchemaField(SchemaFieldType.OBJECT, options ?? {}, undefined, undefined, undefined, 'freeForm');
  }

  private constructor(
    /** The type (none for an int-or-string). */
    public readonly type: SchemaFieldType | undefined,
    private readonly options: any,
    private readonly fields?: { [name: string]: SchemaField },
    private readonly items?: SchemaField,
    private readonly values?: SchemaField,
    private readonly special?: 'intOrString' | 'freeForm',
  ) {}

  /** Whether the field has a default, which the API server writes when the field is left out. @internal */
  public get _hasDefault(): boolean {
    return this.options !== null && typeof this.options === 'object' && this.options.default !== undefined;
  }

  /** Whether it is an object with named fields. @internal */
  public get _isObject(): boolean {
    return this.type === SchemaFieldType.OBJECT && this.fields !== undefined;
  }

  /** The field named `name` of an object, if any. @internal */
  public _field(name: string): SchemaField | undefined {
    return this.fields !== undefined && Object.prototype.hasOwnProperty.call(this.fields, name) ? this.fields[name] : undefined;
  }

  /** The schema of each item of a list. @internal */
  public get _items(): SchemaField | undefined {
    return this.items;
  }

  /** The schema as apiextensions.k8s.io/v1 spells it, checking the options into `problems`. @internal */
  public _render(problems: Problems, prop: string): { [key: string]: unknown } {
    const o = this.options !== null && typeof this.options === 'object' ? this.options : {};
    const iface = this.special === 'intOrString' || this.special === 'freeForm' || this.values !== undefined ? 'FieldOptions'
      : {
        string: 'StringFieldOptions',
        integer: 'NumberFieldOptions',
        number: 'NumberFieldOptions',
        boolean: 'BooleanFieldOptions',
        object: 'ObjectFieldOptions',
        array: 'ArrayFieldOptions',
      }[this.type ?? 'object'];
    checkKnownKeys(problems, `${prop}.`, this.options, KNOWN_PROPS[iface], iface);
    const out: { [key: string]: unknown } = {};
    if (this.type !== undefined) out.type = this.type;
    if (o.description !== undefined) {
      if (problems.check(typeof o.description === 'string', `${prop}.description`, o.description, 'must be a string')) out.description = o.description;
    }
    switch (this.special ?? this.type) {
      case 'intOrString':
        out['x-kubernetes-int-or-string'] = true;
        break;
      case 'freeForm':
        out['x-kubernetes-preserve-unknown-fields'] = true;
        break;
      case SchemaFieldType.STRING:
        this.renderString(o, out, problems, prop);
        break;
      case SchemaFieldType.INTEGER:
      case SchemaFieldType.NUMBER:
        this.renderNumber(o, out, problems, prop);
        break;
      case SchemaFieldType.BOOLEAN:
        if (o.default !== undefined && problems.check(typeof o.default === 'boolean', `${prop}.default`, o.default, 'must be true or false')) out.default = o.default;
        break;
      case SchemaFieldType.ARRAY:
        count(o.minItems, o.maxItems, 'minItems', 'maxItems', out, problems, prop);
        if (this.items instanceof SchemaField) out.items = this.items._render(problems, `${prop}[]`);
        else problems.add(`${prop}.items`, this.items, 'must be a SchemaField (the schema of every item)');
        break;
      case SchemaFieldType.OBJECT:
        this.renderObject(o, out, problems, prop);
        break;
    }
    return out;
  }

  private renderString(o: StringFieldOptions, out: { [key: string]: unknown }, problems: Problems, prop: string): void {
    if (o.enum !== undefined) {
      if (problems.check(Array.isArray(o.enum) && o.enum.length > 0 && o.enum.every((v) => typeof v === 'string'), `${prop}.enum`, o.enum,
        'must be a non-empty list of strings')) {
        problems.check(new Set(o.enum).size === o.enum.length, `${prop}.enum`, o.enum, 'must not list a value twice');
        out.enum = [...o.enum];
      }
    }
    if (o.pattern !== undefined) {
      let ok = typeof o.pattern === 'string';
      if (ok) {
        try {
          new RegExp(o.pattern);
        } catch {
          ok = false;
        }
      }
      if (problems.check(ok, `${prop}.pattern`, o.pattern, 'must be a valid regular expression')) {
        // The API server compiles patterns with Go's regexp (RE2): no lookaround, no backreferences.
        if (problems.check(isRe2(o.pattern!), `${prop}.pattern`, o.pattern,
          'must be a regular expression the API server accepts (Go\'s RE2 syntax): no lookahead, lookbehind or backreferences')) out.pattern = o.pattern;
      }
    }
    count(o.minLength, o.maxLength, 'minLength', 'maxLength', out, problems, prop);
    const enumOk = o.enum === undefined || (Array.isArray(o.enum) && o.enum.every((v) => typeof v === 'string'));
    if (o.default !== undefined && enumOk) {
      const errors = SchemaField.string({ ...o, default: undefined })._check(o.default, `${prop}.default`);
      if (problems.check(errors.length === 0, `${prop}.default`, o.default, `must be a valid value of the field: it ${errors.map((e) => e.rule).join('; ')}`)) {
        out.default = o.default;
      }
    }
  }

  private renderNumber(o: NumberFieldOptions, out: { [key: string]: unknown }, problems: Problems, prop: string): void {
    const integer = this.type === SchemaFieldType.INTEGER;
    for (const key of ['minimum', 'maximum', 'default'] as const) {
      const v = o[key];
      if (v === undefined) continue;
      const ok = typeof v === 'number' && Number.isFinite(v) && (!integer || Number.isSafeInteger(v));
      if (problems.check(ok, `${prop}.${key}`, v, integer ? 'must be a whole number' : 'must be a finite number')) out[key] = v;
    }
    if (typeof o.minimum === 'number' && typeof o.maximum === 'number') {
      problems.check(o.minimum <= o.maximum, `${prop}.maximum`, o.maximum, `must not be below minimum (${o.minimum})`);
    }
    if (typeof o.default === 'number') {
      problems.check((o.minimum === undefined || o.default >= o.minimum) && (o.maximum === undefined || o.default <= o.maximum), `${prop}.default`, o.default,
        'must be within minimum and maximum');
    }
  }

  private renderObject(o: ObjectFieldOptions, out: { [key: string]: unknown }, problems: Problems, prop: string): void {
    if (this.values !== undefined) {
      if (this.values instanceof SchemaField) out.additionalProperties = this.values._render(problems, `${prop}{}`);
      else problems.add(`${prop}.values`, this.values, 'must be a SchemaField (the schema of every value)');
      return;
    }
    if (this.special === 'freeForm') return;
    const fields = this.fields;
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
      problems.add(prop, fields, 'must be the fields of the object: { name: SchemaField }');
      return;
    }
    const properties: { [key: string]: unknown } = {};
    for (const [name, f] of Object.entries(fields)) {
      if (!problems.check(/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name), `${prop}.${name}`, name,
        'must be a field name (letters, digits, "_" and "-", starting with a letter or "_")')) continue;
      if (f instanceof SchemaField) properties[name] = f._render(problems, `${prop}.${name}`);
      else problems.add(`${prop}.${name}`, f, 'must be a SchemaField, e.g. SchemaField.string()');
    }
    out.properties = properties;
    if (o.required !== undefined) {
      if (problems.check(Array.isArray(o.required), `${prop}.required`, o.required, 'must be a list of field names')) {
        for (const r of o.required) problems.check(typeof r === 'string' && r in fields, `${prop}.required`, r, `must name a field of the object (it has: ${Object.keys(fields).join(', ') || 'none'})`);
        if (o.required.length > 0) out.required = [...o.required];
      }
    }
  }

  /**
   * The problems of `value` against the field, as the API server reports them: type, enum,
   * pattern, bounds, required fields, and fields the schema does not know (which a structural
   * schema prunes: silently lost). @internal
   */
  public _check(value: unknown, path: string): FieldProblem[] {
    const o = this.options !== null && typeof this.options === 'object' ? this.options : {};
    const out: FieldProblem[] = [];
    const fail = (rule: string) => out.push({ path, value, rule });
    if (this.special === 'intOrString') {
      if (!(typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value)))) fail('must be an integer or a string');
      return out;
    }
    switch (this.type) {
      case SchemaFieldType.STRING:
        if (typeof value !== 'string') {
          fail('must be a string');
          break;
        }
        if (Array.isArray(o.enum) && !o.enum.includes(value)) fail(`must be one of ${o.enum.join(', ')}`);
        if (typeof o.pattern === 'string' && !safeTest(o.pattern, value)) fail(`must match ${o.pattern}`);
        if (typeof o.minLength === 'number' && value.length < o.minLength) fail(`must have at least ${o.minLength} characters`);
        if (typeof o.maxLength === 'number' && value.length > o.maxLength) fail(`must have at most ${o.maxLength} characters`);
        break;
      case SchemaFieldType.INTEGER:
      case SchemaFieldType.NUMBER:
        if (typeof value !== 'number' || !Number.isFinite(value) || (this.type === SchemaFieldType.INTEGER && !Number.isSafeInteger(value))) {
          fail(this.type === SchemaFieldType.INTEGER ? 'must be a whole number' : 'must be a number');
          break;
        }
        if (typeof o.minimum === 'number' && value < o.minimum) fail(`must be at least ${o.minimum}`);
        if (typeof o.maximum === 'number' && value > o.maximum) fail(`must be at most ${o.maximum}`);
        break;
      case SchemaFieldType.BOOLEAN:
        if (typeof value !== 'boolean') fail('must be true or false');
        break;
      case SchemaFieldType.ARRAY:
        if (!Array.isArray(value)) {
          fail('must be a list');
          break;
        }
        if (typeof o.minItems === 'number' && value.length < o.minItems) fail(`must have at least ${o.minItems} items`);
        if (typeof o.maxItems === 'number' && value.length > o.maxItems) fail(`must have at most ${o.maxItems} items`);
        if (this.items instanceof SchemaField) value.forEach((v, i) => out.push(...this.items!._check(v, `${path}[${i}]`)));
        break;
      case SchemaFieldType.OBJECT: {
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
          fail('must be an object');
          break;
        }
        if (this.special === 'freeForm') break;
        const entries = Object.entries(value as object).filter(([, v]) => v !== undefined);
        if (this.values instanceof SchemaField) {
          for (const [k, v] of entries) out.push(...this.values._check(v, `${path}.${k}`));
          break;
        }
        const fields = this.fields ?? {};
        for (const r of Array.isArray(o.required) ? o.required : []) {
          // The API server applies defaults before it validates: a required field with a default may be left out.
          if ((value as any)[r] === undefined && !fields[r]?._hasDefault) out.push({ path: `${path}.${r}`, value: undefined, rule: 'is required' });
        }
        for (const [k, v] of entries) {
          const f = Object.prototype.hasOwnProperty.call(fields, k) ? fields[k] : undefined;
          if (f instanceof SchemaField) out.push(...f._check(v, `${path}.${k}`));
          else out.push({ path: `${path}.${k}`, value: v, rule: `is not a field of the schema (the API server would drop it; it has: ${Object.keys(fields).join(', ') || 'none'})` });
        }
        break;
      }
    }
    return out;
  }
}

/** A value that breaks a field's schema. @internal */
export interface FieldProblem {
  /** Where, e.g. `spec.replicas`. */
  readonly path: string;
  /** The value. */
  readonly value: unknown;
  /** The rule it breaks. */
  readonly rule: string;
}

/** Checks a min/max pair of counts (non-negative integers, min <= max) and writes them. */
function count(min: unknown, max: unknown, minKey: string, maxKey: string, out: { [key: string]: unknown }, problems: Problems, prop: string): void {
  for (const [key, v] of [[minKey, min], [maxKey, max]] as const) {
    if (v === undefined) continue;
    if (problems.check(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= INT32_MAX, `${prop}.${key}`, v, 'must be a non-negative integer')) out[key] = v;
  }
  if (typeof min === 'number' && typeof max === 'number') problems.check(min <= max, `${prop}.${maxKey}`, max, `must not be below ${minKey} (${min})`);
}

/** Escapes of a letter that Go's RE2 knows (any other, e.g. `\\e` or `\\k`, it rejects). */
const RE2_LETTER_ESCAPES = new Set('afnrtvdDsSwWbBAzpPQECx'.split(''));

/** Whether a JavaScript regular expression is also one Go's RE2 accepts: no lookaround, no backreferences, no unknown escapes. */
function isRe2(pattern: string): boolean {
  // no lookaround; named groups only as (?P<name>...) (Kubernetes 1.28 is built with a Go whose RE2 lacks (?<name>...))
  if (/\(\?[=!<]/.test(pattern)) return false;
  // JavaScript's empty classes [] and [^] are errors in RE2
  if (/(^|[^\\])\[\^?\]/.test(pattern)) return false;
  // RE2 caps a repeat count at 1000
  for (const m of pattern.matchAll(/\{(\d+)(?:,(\d*))?\}/g)) if (Number(m[1]) > 1000 || Number(m[2] || 0) > 1000) return false;
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== '\\') continue;
    const next = pattern[i + 1] ?? '';
    if (/[1-9]/.test(next)) return false;
    if (/[A-Za-z]/.test(next) && !RE2_LETTER_ESCAPES.has(next)) return false;
    i++; // the escaped character
  }
  return true;
}

function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern).test(value);
  } catch {
    return true; // reported where the schema is rendered
  }
}
