/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * Test helpers: synthesise an app exactly as `app.synth()` does (validation phase included, no
 * files written) and check every manifest against the Kubernetes 1.28 schema, strictly.
 */
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { crdInstanceSchemas, instanceErrors } from './crd-instances';
import { crdSchemaErrors, crdSchemaFor, crdUnknownFields } from './crd-schemas';
import { pendingProblems } from '../../src/core/validation';

export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; [k: string]: any }; [k: string]: any };

/** The security context every container of this library gets by default (restricted Pod Security Standard). */
export const HARDENED_CONTAINER_CONTEXT = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsGroup: 10001,
  runAsNonRoot: true,
  runAsUser: 10001,
  seccompProfile: { type: 'RuntimeDefault' },
};

/**
 * Counts the renders (`ApiObject.prototype.toJson`, which every L1 `toJson` calls through
 * `super`) of each object during `run`, by construct path.
 */
export function rendersDuring(run: () => unknown): Map<string, number> {
  const counts = new Map<string, number>();
  const original = ApiObject.prototype.toJson;
  const spy = jest.spyOn(ApiObject.prototype, 'toJson').mockImplementation(function (this: ApiObject) {
    counts.set(this.node.path, (counts.get(this.node.path) ?? 0) + 1);
    return original.call(this);
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return counts;
}

/** The apps `newChart` made, newest last (the last few only). */
const recentApps: App[] = [];

/** A fresh app and chart for one test. */
export function newChart(id = 'test', props: { namespace?: string } = {}): Chart {
  const app = Testing.app();
  recentApps.push(app);
  if (recentApps.length > 8) recentApps.shift();
  return new Chart(app, id, props);
}

/**
 * Runs `build` and returns the newest app made by `newChart` whose pending problems (those a call
 * deferred to synth) grew meanwhile, if any.
 */
export function appThatDeferred(build: () => unknown): { result: unknown; app?: App } {
  const before = new Map(recentApps.map((app) => [app, pendingProblems(app).length]));
  const result = build();
  const app = [...recentApps].reverse().find((a) => pendingProblems(a).length > (before.get(a) ?? 0));
  return { result, app };
}

/**
 * Synthesises the app of `scope` (validations run, as in `app.synth()`) and returns every
 * manifest, each validated against the schema. Throws on any validation or schema error.
 */
export function synth(scope: Chart | App): Manifest[] {
  const app = (scope instanceof App ? scope : scope.node.root) as App;
  app.synthYaml(); // runs the validation phase exactly like app.synth()
  const manifests: Manifest[] = app.charts.flatMap((c) => c.toJson());
  validateManifests(manifests);
  return manifests;
}

/** The one manifest of `kind` named `name`; throws if there is none or more than one. */
export function findObject(manifests: Manifest[], kind: string, name: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind && m.metadata?.name === name);
  if (found.length !== 1) {
    const have = manifests.map((m) => `${m.kind}/${m.metadata?.name}`).join(', ');
    throw new Error(`expected exactly one ${kind}/${name}, found ${found.length} (have: ${have})`);
  }
  return found[0];
}

/** Every manifest of `kind`. */
export function objectsOf(manifests: Manifest[], kind: string): Manifest[] {
  return manifests.filter((m) => m.kind === kind);
}

/** The first container of a workload's pod template. */
export function mainContainer(workload: Manifest): any {
  return workload.spec.template.spec.containers[0];
}

// ---------------------------------------------------------------------------------------------
// Schema validation

/**
 * Validates each manifest with kubernetes-models (types, enums, required fields, quantities) and
 * with a strict unknown-field check against the Kubernetes 1.28 API (fields newer than 1.28 or
 * misspelt count as unknown). Throws one error listing every problem.
 */
export function validateManifests(manifests: Manifest[]): void {
  const errors: string[] = [];
  const defined = crdInstanceSchemas(manifests); // custom resources whose definition the app contains
  // A KEDA ScaledJob embeds a Job spec: it is checked as the Job KEDA will create.
  const embedded = manifests.filter((m) => m.kind === 'ScaledJob' && m.apiVersion === 'keda.sh/v1alpha1' && m.spec?.jobTargetRef !== undefined)
    .map((m) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: `${m.metadata?.name} (jobTargetRef of ScaledJob)` }, spec: m.spec.jobTargetRef }));
  for (const m of [...manifests, ...embedded]) {
    const where = `${m.apiVersion}/${m.kind} "${m.metadata?.name}"`;
    const own = defined.get(`${m.apiVersion}|${m.kind}`);
    if (own) {
      for (const e of instanceErrors(m, own)) errors.push(`${where}: schema of its CustomResourceDefinition: ${e}`);
      continue;
    }
    try {
      schemaValidate(m);
    } catch (e: any) {
      errors.push(`${where}: schema: ${e.message}`);
    }
    for (const f of unknownFields(m)) errors.push(`${where}: unknown field ${f}`);
  }
  if (errors.length > 0) throw new Error(`Kubernetes schema validation failed:\n  ${errors.join('\n  ')}`);
}

function schemaValidate(m: Manifest): void {
  const crd = crdSchemaFor(m); // ExternalSecret, SealedSecret: no loadable model package (see crd-schemas.ts)
  if (crd) {
    const errors = crdSchemaErrors(m, crd);
    if (errors.length > 0) throw new Error(errors.join('; '));
    return;
  }
  const [group, version] = m.apiVersion.includes('/') ? m.apiVersion.split('/') : ['', m.apiVersion];
  const modulePath = group === 'gateway.networking.k8s.io'
    ? `@kubernetes-models/gateway-api/${group}/${version}/${m.kind}`
    : group === 'monitoring.coreos.com'
      ? `@kubernetes-models/prometheus-operator/${group}/${version}/${m.kind}`
      : `kubernetes-models/${group ? group + '/' : ''}${version}/${m.kind}`;
  let mod: any;
  try {
    mod = require(modulePath);
  } catch {
    throw new Error(`no schema for ${m.apiVersion} ${m.kind} (not a Kubernetes 1.28 API?)`);
  }
  new mod[m.kind](m).validate();
}

// Map "apiVersion|kind" to cdk8s-plus-28's generated 1.28 serializer (toJson_Kube<X>Props).
const SERIALIZERS = new Map<string, (o: any) => any>();
for (const [name, value] of Object.entries(k8s)) {
  const gvk = (value as any)?.GVK;
  const fn = (k8s as any)[`toJson_${name}Props`];
  if (gvk && typeof fn === 'function') SERIALIZERS.set(`${gvk.apiVersion}|${gvk.kind}`, fn);
}

// The serializers read TypeScript property names, which differ from the JSON names for a few
// fields (setHostnameAsFQDN -> setHostnameAsFqdn, $ref -> ref, ...): read the mapping from the
// generated source itself.
const TS_NAME = new Map<string, string>();
{
  const src = require('fs').readFileSync(require.resolve('cdk8s-plus-28/lib/imports/k8s.js'), 'utf8') as string;
  // `'downwardAPI': toJson_DownwardApiVolumeSource(obj.downwardApi)` as well as `'x': obj.x`.
  for (const m of src.matchAll(/'([^']+)': (?:toJson_[A-Za-z0-9_]+\()?obj\.([A-Za-z0-9_]+)/g)) {
    if (m[1] !== m[2]) TS_NAME.set(m[1], m[2]);
  }
}

const WRAPPED = Symbol('wrapped');

/**
 * Fields of `m` that the Kubernetes 1.28 API does not know. The generated serializer copies every
 * known field and drops the rest; scalars are wrapped first so that IntOrString and Quantity
 * fields (which the serializer reads as `.value`) survive the round trip.
 */
export function unknownFields(m: Manifest): string[] {
  const key = `${m.apiVersion}|${m.kind}`;
  if (m.apiVersion === 'gateway.networking.k8s.io/v1' && m.kind === 'HTTPRoute') return strictKeys(m, HTTPROUTE, '');
  if (m.apiVersion === 'monitoring.coreos.com/v1' && m.kind === 'ServiceMonitor') return strictKeys(m, SERVICE_MONITOR, '');
  const crd = crdSchemaFor(m);
  if (crd) return crdUnknownFields(m, crd);
  const serialize = SERIALIZERS.get(key);
  if (!serialize) return [`(no 1.28 API for ${key})`];
  const { apiVersion, kind, ...rest } = m;
  const out = serialize(wrap(rest));
  const missing: string[] = [];
  compare(rest, out, '', missing);
  return missing;
}

function wrap(v: any): any {
  if (v === null || typeof v !== 'object') return { value: v, [WRAPPED]: true };
  if (Array.isArray(v)) return v.map(wrap);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [TS_NAME.get(k) ?? k, wrap(x)]));
}

function compare(orig: any, out: any, path: string, missing: string[]): void {
  if (orig === null || typeof orig !== 'object') return;
  if (out === undefined || out === null || typeof out !== 'object' || (out as any)[WRAPPED]) return;
  if (Array.isArray(orig)) {
    orig.forEach((x, i) => compare(x, out[i], `${path}[${i}]`, missing));
    return;
  }
  for (const k of Object.keys(orig)) {
    // A field the serializer copies untyped (JSONSchemaProps' items, additionalProperties, default)
    // keeps the TypeScript names `wrap` gave its keys (x-kubernetes-int-or-string -> xKubernetesIntOrString).
    const copied = TS_NAME.get(k);
    if (k in out) compare(orig[k], out[k], `${path}.${k}`, missing);
    else if (copied !== undefined && copied in out) compare(orig[k], out[copied], `${path}.${k}`, missing);
    else missing.push(`${path}.${k}`);
  }
}

// HTTPRoute (gateway.networking.k8s.io/v1) is a CRD with no cdk8s-plus-28 serializer: the keys it
// allows, for the parts this library writes.
type KeySchema = { [key: string]: KeySchema | true };
const PARENT_REF: KeySchema = { group: true, kind: true, namespace: true, name: true, sectionName: true, port: true };
const HTTPROUTE: KeySchema = {
  apiVersion: true,
  kind: true,
  metadata: true,
  spec: {
    parentRefs: PARENT_REF,
    hostnames: true,
    rules: {
      matches: { path: { type: true, value: true }, headers: true, queryParams: true, method: true },
      filters: true,
      timeouts: { request: true, backendRequest: true },
      backendRefs: { group: true, kind: true, name: true, namespace: true, port: true, weight: true, filters: true },
    },
  },
};

// ServiceMonitor (monitoring.coreos.com/v1), the prometheus-operator CRD: the keys it allows, for
// the parts this library writes.
const SERVICE_MONITOR: KeySchema = {
  apiVersion: true,
  kind: true,
  metadata: true,
  spec: {
    selector: { matchLabels: true, matchExpressions: true },
    namespaceSelector: { any: true, matchNames: true },
    jobLabel: true,
    endpoints: { port: true, targetPort: true, path: true, scheme: true, interval: true, scrapeTimeout: true, honorLabels: true },
  },
};

function strictKeys(v: any, schema: KeySchema, path: string): string[] {
  if (v === null || typeof v !== 'object') return [];
  if (Array.isArray(v)) return v.flatMap((x, i) => strictKeys(x, schema, `${path}[${i}]`));
  const out: string[] = [];
  for (const [k, x] of Object.entries(v)) {
    const sub = schema[k];
    if (sub === undefined) out.push(`${path}.${k}`);
    else if (sub !== true) out.push(...strictKeys(x, sub, `${path}.${k}`));
  }
  return out;
}
