import { isIP } from 'net';
import { Problems, renderValue } from './validation';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Whether `s` is a DNS-1123 label (Service, Namespace and port-less object names): at most 63 chars. */
export function isDnsLabel(s: string): boolean {
  return typeof s === 'string' && s.length <= 63 && DNS1123_LABEL.test(s);
}

/** Whether `s` is a DNS-1123 subdomain (most object names): at most 253 chars, dot-separated labels. */
export function isDnsSubdomain(s: string): boolean {
  return typeof s === 'string' && s.length > 0 && s.length <= 253 && s.split('.').every((l) => DNS1123_LABEL.test(l));
}

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Whether `s` is a DNS-1035 label (Service names): like a DNS-1123 label, but starting with a letter. */
export function isDns1035Label(s: string): boolean {
  return typeof s === 'string' && s.length <= 63 && DNS1035_LABEL.test(s);
}

/** Checks a DNS-1035 label (Service names). */
export function checkDns1035Label(problems: Problems, prop: string, value: string): void {
  problems.check(
    isDns1035Label(value), prop, value,
    'must be a DNS-1035 label (it names a Service): at most 63 characters of lower-case letters, digits and "-", starting with a letter and ending with a letter or digit',
  );
}

/** Checks a DNS-1123 label. */
export function checkDnsLabel(problems: Problems, prop: string, value: string): void {
  problems.check(
    isDnsLabel(value), prop, value,
    'must be a DNS-1123 label: at most 63 characters of lower-case letters, digits and "-", starting and ending with a letter or digit',
  );
}

/** Checks a DNS-1123 subdomain. */
export function checkDnsSubdomain(problems: Problems, prop: string, value: string): void {
  problems.check(
    isDnsSubdomain(value), prop, value,
    'must be a DNS-1123 subdomain: at most 253 characters of lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit',
  );
}

/** Whether `key` is a qualified name: an optional DNS subdomain prefix and "/", then a name of at most 63 characters. */
export function isQualifiedName(key: string): boolean {
  if (typeof key !== 'string') return false;
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  return (prefix === undefined || isDnsSubdomain(prefix)) && name.length <= 63 && QUALIFIED_NAME.test(name);
}

/** Checks a label (or annotation) key: optional DNS subdomain prefix, "/", name of at most 63 characters. */
export function checkLabelKey(problems: Problems, prop: string, key: string): void {
  problems.check(
    isQualifiedName(key), prop, key,
    'must be a valid label key: an optional DNS subdomain prefix and "/", then at most 63 characters of letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
  );
}

/** Checks a label value: empty, or at most 63 characters starting and ending with a letter or digit. */
export function checkLabelValue(problems: Problems, prop: string, value: string): void {
  const ok = typeof value === 'string' && (value === '' || (value.length <= 63 && QUALIFIED_NAME.test(value)));
  problems.check(
    ok, prop, value,
    'must be a valid label value: empty or at most 63 characters of letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
  );
}

/** Checks a map of labels. */
export function checkLabels(problems: Problems, prop: string, labels: { [key: string]: string } | undefined): void {
  if (labels !== undefined && (labels === null || typeof labels !== 'object' || Array.isArray(labels))) {
    problems.add(prop, labels, 'must be a map of label keys to values');
    return;
  }
  for (const [k, v] of Object.entries(labels ?? {})) {
    checkLabelKey(problems, `${prop} key`, k);
    checkLabelValue(problems, `${prop}["${k}"]`, v);
  }
}

/** Checks a map of annotations: valid keys, string values. */
export function checkAnnotations(problems: Problems, prop: string, annotations: { [key: string]: string } | undefined): void {
  if (annotations !== undefined && (annotations === null || typeof annotations !== 'object' || Array.isArray(annotations))) {
    problems.add(prop, annotations, 'must be a map of annotation keys to strings');
    return;
  }
  for (const [k, v] of Object.entries(annotations ?? {})) {
    checkLabelKey(problems, `${prop} key`, k);
    problems.check(typeof v === 'string', `${prop}[${renderValue(k)}]`, v, 'must be a string');
  }
}

/** Checks a port name (IANA_SVC_NAME): at most 15 characters, at least one letter, no "--". */
export function checkPortName(problems: Problems, prop: string, name: string): void {
  const ok = typeof name === 'string' && name.length <= 15 && IANA_SVC_NAME.test(name)
    && /[a-z]/.test(name) && !name.includes('--');
  problems.check(
    ok, prop, name,
    'must be an IANA service name: at most 15 characters of lower-case letters, digits and "-", with at least one letter and no "--"',
  );
}

/** Checks a port number: 1 to 65535. */
export function checkPort(problems: Problems, prop: string, port: number | undefined): void {
  if (port === undefined) return;
  problems.check(Number.isInteger(port) && port >= 1 && port <= 65535, prop, port, 'must be an integer from 1 to 65535');
}

/** The prop to blame for an object name: `name`, or the construct id it was derived from. */
export function namePropOf(explicitName: unknown): string {
  return explicitName === undefined ? 'name (from the construct id)' : 'name';
}

/**
 * Turns a construct id into a default object name: `MyApi` becomes `my-api`, `api_v2` becomes `api-v2`.
 * The result is validated like any name; it is not silently truncated.
 */
export function defaultNameFromId(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[_\s.]+/g, '-')
    .toLowerCase();
}

/** Whether `r` is a CIDR: an IPv4 or IPv6 address and a prefix length that fits it. */
export function isCidr(r: unknown): boolean {
  if (typeof r !== 'string') return false;
  const [address, prefix, extra] = r.split('/');
  const family = isIP(address);
  const bits = Number(prefix);
  return extra === undefined && family !== 0 && /^[0-9]+$/.test(prefix ?? '') && bits <= (family === 4 ? 32 : 128);
}
