/**
 * The property every robustness test checks: building constructs in a fresh app and synthesising
 * it ends in exactly one of two outcomes,
 *  - manifests that pass the Kubernetes 1.28 schema, the strict unknown-field check and the API
 *    server's own checks of names, labels and numbers (`validateManifests` plus `apiServerErrors`), or
 *  - the library's own `PatternValidationError`, listing problems that each name the construct
 *    path, the prop, the value (cut short) and the rule.
 * Anything else (a TypeError, a RangeError, a plain Error, invalid manifests accepted, a file
 * written) fails the property.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { realize } from './arbitraries';
import { PatternValidationError } from '../../../src/core/validation';
import { Manifest, validateManifests } from '../../helpers/synth';

/** Every run is reproducible: one seed for the whole folder (override with FC_SEED to explore). */
export const SEED = Number(process.env.FC_SEED ?? 20251111);

/** Runs of each property, scaled by FC_RUNS_SCALE (e.g. 10 for a long local exploration). */
export function runs(n: number): number {
  return Math.max(1, Math.round(n * Number(process.env.FC_RUNS_SCALE ?? 1)));
}

/** An outdir that is never created: a run that writes a file fails the property. */
export const OUTDIR = path.join(os.tmpdir(), `cdk8s-patterns-robustness-${process.pid}-never-written`);

/** The most characters a problem's rendered value may have. */
export const MAX_VALUE = 130;
/** The most characters a prop may have (a prop may quote a key: `env["<key>"]`). */
export const MAX_PROP = 200;
/** The most characters a rule may have (the rule may quote a value too). */
export const MAX_RULE = 1000;

/** How the runs ended, for the report at the end of a suite. */
export class Tally {
  public valid = 0;
  public rejected = 0;

  public get share(): string {
    const total = this.valid + this.rejected;
    return `${this.valid} of ${total} runs synthesised (${total ? Math.round((100 * this.valid) / total) : 0} %), ${this.rejected} rejected`;
  }
}

/** A fresh app (whose outdir is never written) and chart, as every run gets. */
export function freshChart(namespace?: string): Chart {
  return new Chart(Testing.app({ outdir: OUTDIR }), 'shop', namespace ? { namespace } : {});
}

/**
 * Builds with `build` in a fresh chart and synthesises; throws unless the outcome is one of the
 * two allowed ones. `props` are realised (their `Lazy` factory calls made) inside the check.
 */
export function checkOutcome<P>(
  props: P, build: (chart: Chart, props: any) => void, tally?: Tally,
  apiErrors: (manifests: Manifest[]) => string[] = (manifests) => manifests.flatMap(apiServerErrors),
): 'valid' | 'rejected' {
  const chart = freshChart();
  let manifests: Manifest[];
  try {
    build(chart, realize(props));
    const app = chart.node.root as any;
    app.synthYaml();
    manifests = app.charts.flatMap((c: Chart) => c.toJson());
  } catch (e) {
    if (e instanceof PatternValidationError) {
      checkProblems(e);
      if (tally) tally.rejected++;
      return 'rejected';
    }
    const err = e as any;
    throw new Error(`expected valid manifests or a PatternValidationError, got ${err?.constructor?.name ?? typeof e}: ${err?.message ?? String(e)}\n`
      + `${err?.stack?.split('\n').slice(1, 8).join('\n') ?? ''}`);
  } finally {
    if (fs.existsSync(OUTDIR)) throw new Error(`a file was written to ${OUTDIR}`);
  }
  validateManifests(manifests);
  const errors = apiErrors(manifests);
  if (errors.length > 0) throw new Error(`accepted manifests the API server rejects:\n  ${errors.join('\n  ')}`);
  if (tally) tally.valid++;
  return 'valid';
}

/** Checks the shape of a validation error: problems with a path, a prop, a short value and a rule. */
export function checkProblems(e: PatternValidationError): void {
  if (!Array.isArray(e.problems) || e.problems.length === 0) throw new Error(`PatternValidationError without problems: ${e.message}`);
  for (const p of e.problems) {
    const shown = JSON.stringify(p).slice(0, 400);
    for (const key of ['path', 'prop', 'value', 'rule'] as const) {
      if (typeof p[key] !== 'string') throw new Error(`problem.${key} is not a string: ${shown}`);
    }
    if (p.rule.trim() === '') throw new Error(`problem without a rule: ${shown}`);
    if (p.path === '') throw new Error(`problem without a construct path: ${shown}`);
    if (p.prop === '') throw new Error(`problem without a prop: ${shown}`);
    if (p.value.length > MAX_VALUE) throw new Error(`problem value of ${p.value.length} characters (at most ${MAX_VALUE}): ${shown}`);
    if (p.prop.length > MAX_PROP) throw new Error(`problem prop of ${p.prop.length} characters (at most ${MAX_PROP}): ${shown}`);
    if (p.rule.length > MAX_RULE) throw new Error(`problem rule of ${p.rule.length} characters (at most ${MAX_RULE}): ${shown}`);
  }
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

function isSubdomain(s: unknown): boolean {
  // As apimachinery's IsDNS1123Subdomain: 253 characters in all, no limit per part.
  return typeof s === 'string' && s.length > 0 && s.length <= 253 && s.split('.').every((l) => DNS1123_LABEL.test(l));
}

function isLabelKey(k: string): boolean {
  const slash = k.lastIndexOf('/');
  const prefix = slash >= 0 ? k.slice(0, slash) : undefined;
  const n = slash >= 0 ? k.slice(slash + 1) : k;
  return (prefix === undefined || isSubdomain(prefix)) && n.length <= 63 && QUALIFIED_NAME.test(n);
}

/**
 * What the API server checks beyond the OpenAPI schema, for the fields this library writes:
 * object, container, volume and port names; label and annotation keys and label values;
 * numbers (no NaN, no fractions, no nulls anywhere).
 */
export function apiServerErrors(m: Manifest): string[] {
  const where = `${m.kind}/${m.metadata?.name}`;
  const errors: string[] = [];
  const name = m.metadata?.name;
  if (name !== undefined && !isSubdomain(name)) errors.push(`${where}: metadata.name is not a DNS-1123 subdomain`);
  if (name === undefined && m.metadata?.generateName === undefined) errors.push(`${where}: no metadata.name`);
  const metas: Array<[string, any]> = [['metadata', m.metadata]];
  const template = m.kind === 'CronJob' ? m.spec?.jobTemplate?.spec?.template : m.spec?.template;
  if (template?.metadata) metas.push(['template.metadata', template.metadata]);
  if (m.kind === 'CronJob' && m.spec?.jobTemplate?.metadata) metas.push(['jobTemplate.metadata', m.spec.jobTemplate.metadata]);
  for (const [at, meta] of metas) {
    for (const [k, v] of Object.entries(meta?.labels ?? {})) {
      if (!isLabelKey(k)) errors.push(`${where}: ${at}.labels key ${JSON.stringify(k).slice(0, 80)} is invalid`);
      if (typeof v !== 'string' || (v !== '' && (v.length > 63 || !QUALIFIED_NAME.test(v)))) {
        errors.push(`${where}: ${at}.labels[${JSON.stringify(k).slice(0, 80)}] value is invalid`);
      }
    }
    for (const [k, v] of Object.entries(meta?.annotations ?? {})) {
      if (!isLabelKey(k)) errors.push(`${where}: ${at}.annotations key ${JSON.stringify(k).slice(0, 80)} is invalid`);
      if (typeof v !== 'string') errors.push(`${where}: ${at}.annotations[${JSON.stringify(k).slice(0, 80)}] is not a string`);
    }
  }
  const pod = template?.spec;
  if (pod) {
    for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
      if (!DNS1123_LABEL.test(c.name) || c.name.length > 63) errors.push(`${where}: container name ${JSON.stringify(c.name).slice(0, 80)} is invalid`);
      for (const p of c.ports ?? []) {
        if (p.name !== undefined && !(IANA_SVC_NAME.test(p.name) && p.name.length <= 15 && /[a-z]/.test(p.name))) {
          errors.push(`${where}: port name ${JSON.stringify(p.name).slice(0, 80)} is invalid`);
        }
        if (!(p.containerPort >= 1 && p.containerPort <= 65535)) errors.push(`${where}: containerPort ${p.containerPort} out of range`);
      }
    }
    for (const v of pod.volumes ?? []) {
      if (!DNS1123_LABEL.test(v.name) || v.name.length > 63) errors.push(`${where}: volume name ${JSON.stringify(v.name).slice(0, 80)} is invalid`);
    }
  }
  if (m.kind === 'Service') {
    for (const p of m.spec?.ports ?? []) {
      if (!(p.port >= 1 && p.port <= 65535)) errors.push(`${where}: Service port ${p.port} out of range`);
      if (p.name !== undefined && !(DNS1123_LABEL.test(p.name) && p.name.length <= 63)) errors.push(`${where}: Service port name ${JSON.stringify(p.name)} is invalid`);
    }
  }
  walk(m, '', (at, v) => {
    if (v === null) errors.push(`${where}: null at ${at}`);
    else if (typeof v === 'number' && !Number.isSafeInteger(v)) errors.push(`${where}: ${v} at ${at} is not a whole number`);
  });
  return errors;
}

function walk(v: unknown, at: string, visit: (at: string, v: unknown) => void): void {
  visit(at, v);
  if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`, visit));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`, visit);
}

/** fc.assert with the folder's seed and `numRuns`, printing the counterexample on failure. */
export function assertProperty<T>(arb: fc.Arbitrary<T>, numRuns: number, predicate: (value: T) => void): void {
  fc.assert(fc.property(arb, predicate), { seed: SEED, numRuns: runs(numRuns), endOnFailure: process.env.FC_SHRINK === 'off' });
}

/** The validation error of `build` in a fresh chart (synthesised), checked for shape; fails on any other outcome. */
export function rejection(build: (chart: Chart) => unknown): PatternValidationError {
  const chart = freshChart();
  try {
    build(chart);
    (chart.node.root as any).synthYaml();
  } catch (e) {
    if (e instanceof PatternValidationError) {
      checkProblems(e);
      return e;
    }
    throw new Error(`expected a PatternValidationError, got ${(e as any)?.constructor?.name}: ${(e as any)?.message}`);
  }
  throw new Error('expected a PatternValidationError, but the input was accepted');
}
