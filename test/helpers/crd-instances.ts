/**
 * Custom resources checked against the CustomResourceDefinitions of the same manifests, as the API
 * server checks them (structural OpenAPI v3: type, properties, required, additionalProperties,
 * items, enum, pattern, lengths, bounds, counts, x-kubernetes-int-or-string and
 * x-kubernetes-preserve-unknown-fields), plus the fields the schema does not know, which the API
 * server would prune. Written from the Kubernetes documentation, independent of the library's own
 * check (`SchemaField`).
 */
type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; [k: string]: any };

/** The openAPIV3Schema of every served version of every CRD in `manifests`, by `<group>/<version>|<kind>`. */
export function crdInstanceSchemas(manifests: Manifest[]): Map<string, any> {
  const out = new Map<string, any>();
  for (const m of manifests) {
    if (m.apiVersion !== 'apiextensions.k8s.io/v1' || m.kind !== 'CustomResourceDefinition') continue;
    for (const v of m.spec?.versions ?? []) {
      if (v.served && v.schema?.openAPIV3Schema) out.set(`${m.spec.group}/${v.name}|${m.spec.names.kind}`, v.schema.openAPIV3Schema);
    }
  }
  return out;
}

/** Errors of `value` against `schema` (the object's own fields: apiVersion, kind and metadata are always known). */
export function instanceErrors(m: Manifest, schema: any): string[] {
  const { apiVersion, kind, metadata, ...rest } = m;
  const errors: string[] = [];
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof metadata?.name !== 'string') errors.push('(root): apiVersion, kind and metadata.name are required');
  check(rest, { ...schema, required: (schema.required ?? []).filter((r: string) => !['apiVersion', 'kind', 'metadata'].includes(r)) }, '', errors);
  return errors;
}

function check(v: unknown, s: any, path: string, errors: string[]): void {
  const at = path || '(root)';
  if (s['x-kubernetes-int-or-string']) {
    if (!(typeof v === 'string' || Number.isInteger(v))) errors.push(`${at}: must be an integer or a string`);
    return;
  }
  const actual = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
  const type = s.type;
  const ok = type === undefined || (type === 'integer' ? Number.isInteger(v) : type === 'number' ? typeof v === 'number' : actual === type);
  if (!ok) {
    errors.push(`${at}: must be of type ${type}, is ${actual}`);
    return;
  }
  if (s.enum && !s.enum.includes(v)) errors.push(`${at}: must be one of ${s.enum.join(', ')}`);
  if (typeof v === 'string') {
    if (s.pattern !== undefined && !new RegExp(s.pattern).test(v)) errors.push(`${at}: must match ${s.pattern}`);
    if (s.minLength !== undefined && v.length < s.minLength) errors.push(`${at}: shorter than ${s.minLength}`);
    if (s.maxLength !== undefined && v.length > s.maxLength) errors.push(`${at}: longer than ${s.maxLength}`);
  }
  if (typeof v === 'number') {
    if (s.minimum !== undefined && v < s.minimum) errors.push(`${at}: below ${s.minimum}`);
    if (s.maximum !== undefined && v > s.maximum) errors.push(`${at}: above ${s.maximum}`);
  }
  if (Array.isArray(v)) {
    if (s.minItems !== undefined && v.length < s.minItems) errors.push(`${at}: fewer than ${s.minItems} items`);
    if (s.maxItems !== undefined && v.length > s.maxItems) errors.push(`${at}: more than ${s.maxItems} items`);
    v.forEach((x, i) => check(x, s.items ?? {}, `${path}[${i}]`, errors));
  }
  if (actual === 'object') {
    const o = v as { [k: string]: unknown };
    // defaults are applied before validation: a required field with a default may be left out
    for (const r of s.required ?? []) if (o[r] === undefined && s.properties?.[r]?.default === undefined) errors.push(`${path ? path + '.' : ''}${r}: required`);
    if (s['x-kubernetes-preserve-unknown-fields']) return;
    for (const [k, x] of Object.entries(o)) {
      const sub = s.properties?.[k] ?? s.additionalProperties;
      if (sub === undefined) errors.push(`${path ? path + '.' : ''}${k}: unknown field (the API server would prune it)`);
      else check(x, sub, `${path ? path + '.' : ''}${k}`, errors);
    }
  }
}
