/**
 * A YAML writer for rendered manifests: plain JSON data (objects, arrays, strings, numbers,
 * booleans, null) written in the layout cdk8s's `Yaml.stringify` uses (two-space indent, indented
 * sequences, literal blocks for multi-line strings, no line folding), about ten times faster.
 *
 * Quoting is deliberately conservative: a string is written plain only when every YAML reader a
 * manifest meets (YAML 1.1 as kubectl's go-yaml and cdk8s's own `Yaml.load` read it, YAML 1.2
 * core) reads it back as that same string; everything else is double-quoted with JSON escapes,
 * which YAML reads the same way. So the output parses to exactly the objects it was given, though
 * it may quote a few strings that stock cdk8s writes plain.
 * @internal
 */
export function yamlDocument(doc: unknown): string {
  if (doc === undefined) return '\n'; // as cdk8s writes an undefined document
  if (isCollection(doc) && !isEmptyCollection(doc)) return block(doc, '');
  return inlineValue(doc, '  ') + '\n';
}

/** The separator written between two documents, as cdk8s writes it (none before the first). @internal */
export const DOCUMENT_SEPARATOR = '---\n';

/** Several documents, as cdk8s's `Yaml.stringify` separates them. @internal */
export function yamlDocuments(docs: unknown[]): string {
  return docs.map(yamlDocument).join(DOCUMENT_SEPARATOR);
}

/** Strings that YAML 1.1 or 1.2 reads as a boolean or null when written plain. */
const RESERVED = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  'on', 'On', 'ON', 'off', 'Off', 'OFF', 'null', 'Null', 'NULL',
]);

/**
 * Plain-safe strings: starting with a letter, `_`, `/`, or `-`/`--` and a letter (never an
 * indicator, a digit or a dot, so never a number, timestamp, `.inf` or merge key in any schema), continuing with a small
 * set of characters that are never special inside a plain scalar, single spaces between words,
 * no `: ` and no trailing `:`.
 */
const PLAIN_WORDS = /^(?:[A-Za-z_/]|--?[A-Za-z])[A-Za-z0-9_./@=+,~()*-]*(?::[A-Za-z0-9_./@=+,~()*-]+)*(?: [A-Za-z0-9_./@=+,~()*-]+(?::[A-Za-z0-9_./@=+,~()*-]+)*)*$/;

/**
 * Quantities, durations and percentages such as `100m`, `128Mi`, `1.5Gi`, `30s`, `25%`: digits
 * (no leading zero, so no octal, hex or binary) and letters or `%`, never a number in any schema
 * (an exponent needs digits after the `e`).
 */
const PLAIN_QUANTITY = /^(?:[1-9][0-9]*(?:\.[0-9]+)?[A-Za-z]+|(?:0|[1-9][0-9]*)%)$/;

/**
 * Several words of which the first starts with a digit, such as a cron schedule `30 2 * * *`: no
 * schema reads a scalar with a space in it as a number; the first word has no `-`, `.` or `:`, so
 * it is never the date of a timestamp (`2001-12-14 21:59:43`, which go-yaml reads as one).
 */
const PLAIN_DIGIT_WORDS = /^[0-9][0-9A-Za-z*/,]*(?: [A-Za-z0-9_./@=+,~()*-]+)+$/;

/** Characters a literal block cannot carry as they are: controls other than newline, CR, NEL, LS, PS, BOM. */
const NOT_LITERAL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff]/;

function isCollection(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}

function isEmptyCollection(v: object): boolean {
  if (Array.isArray(v)) return v.length === 0;
  for (const k in v) if (Object.prototype.hasOwnProperty.call(v, k)) return false;
  return true;
}

/** A non-empty object or array, each entry on its own line at `indent`. */
function block(v: object, indent: string): string {
  let out = '';
  if (Array.isArray(v)) {
    for (const item of v) out += indent + entry('- ', item, indent);
  } else {
    for (const key of Object.keys(v)) {
      const value = (v as { [k: string]: unknown })[key];
      if (key.length > 1000) {
        // YAML limits implicit keys to 1024 characters: use an explicit key.
        out += `${indent}? ${quoted(key)}\n${indent}${entry(': ', value, indent)}`;
        continue;
      }
      const k = scalarString(key, true);
      if (isCollection(value) && !isEmptyCollection(value)) {
        // Sequences are indented under their key, as cdk8s writes them.
        out += `${indent}${k}:\n${block(value, indent + '  ')}`;
      } else {
        out += `${indent}${k}: ${inlineValue(value, indent + '  ')}\n`;
      }
    }
  }
  return out;
}

/**
 * One entry after a `- ` (or `: `) marker: a scalar on the same line, or a collection whose first
 * line follows the marker and whose other lines are indented past it.
 */
function entry(marker: string, value: unknown, indent: string): string {
  const inner = indent + '  ';
  if (isCollection(value) && !isEmptyCollection(value)) {
    // The first line of the nested block goes right after the marker.
    return marker + block(value, inner).slice(inner.length);
  }
  return `${marker}${inlineValue(value, inner)}\n`;
}

/** A scalar, an empty collection, or a literal block whose lines are indented by `indent`. */
function inlineValue(v: unknown, indent: string): string {
  switch (typeof v) {
    case 'string': return scalarString(v, false, indent);
    case 'number': return number(v);
    case 'boolean': return v ? 'true' : 'false';
    case 'undefined': return 'null';
    case 'bigint': return v.toString();
    case 'object':
      if (v === null) return 'null';
      if (Array.isArray(v)) return '[]';
      return '{}';
    default:
      throw new Error(`cannot write a ${typeof v} as YAML`);
  }
}

function number(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  const s = String(n);
  // YAML 1.1 needs a dot in a float with an exponent (1e+21 would read as a string).
  return /e/.test(s) && !s.includes('.') ? s.replace('e', '.0e') : s;
}

/** A string: plain when safe, a literal block when multi-line (not for keys), else double-quoted. */
function scalarString(s: string, isKey: boolean, indent = '  '): string {
  if ((PLAIN_WORDS.test(s) && !RESERVED.has(s)) || PLAIN_QUANTITY.test(s) || PLAIN_DIGIT_WORDS.test(s)) return s;
  if (!isKey && s.includes('\n')) {
    const literal = literalBlock(s, indent);
    if (literal !== undefined) return literal;
  }
  return quoted(s);
}

function quoted(s: string): string {
  // JSON's escapes (\" \\ \b \f \n \r \t \uXXXX) are all valid in a YAML double-quoted scalar.
  return JSON.stringify(s);
}

/**
 * `|`, `|-` or `|+` (clip, strip or keep trailing newlines); undefined when the string cannot be
 * one: characters a block cannot carry, or a first line with content that starts with a space
 * (which would need an indentation indicator).
 */
function literalBlock(s: string, indent: string): string | undefined {
  if (NOT_LITERAL.test(s) || s.includes('\r')) return undefined;
  const body = s.replace(/\n+$/, '');
  if (body === '') return undefined;
  const lines = body.split('\n');
  if ((lines.find((l) => l !== '') ?? '').startsWith(' ')) return undefined;
  const trailing = s.length - body.length;
  let out = trailing === 0 ? '|-' : trailing === 1 ? '|' : '|+';
  for (const line of lines) out += line === '' ? '\n' : `\n${indent}${line}`;
  // Kept trailing newlines beyond the one that ends the last line are empty lines.
  for (let i = 1; i < trailing; i++) out += '\n';
  return out;
}
