/**
 * Property: random props for the advanced constructs (HorizontalAutoscaler with ScalingMetric and
 * ScalingBehavior, EventDrivenAutoscaler with ScaleTrigger, VerticalAutoscaler, Controller,
 * CustomResourceDefinition with SchemaField, CustomResource), valid-looking and garbage, on random
 * workloads, end in valid manifests or in the library's own validation error, never in anything
 * else. Valid means: the Kubernetes 1.28 schema and the strict unknown-field check (the KEDA and
 * VPA custom resources against their CRDs, custom resources against the CRDs of the same app),
 * the API server's checks of `apiServerErrors`, and those the API server makes of these kinds
 * (`advancedApiServerErrors` below).
 */
import { Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import {
  Controller, ControllerScope, CustomResource, CustomResourceDefinition, EventDrivenAutoscaler, HorizontalAutoscaler, PolicyRule, ScaleTrigger,
  ScalingMetric, SchemaField, VerticalAutoscaler, VerticalUpdateMode, Waiver,
} from '../../src';
import { crdInstanceSchemas, instanceErrors } from '../helpers/crd-instances';
import { Manifest } from '../helpers/synth';
import {
  apiProxy, apiResources, autoscalerWaivers, changeTargetLater, containerPolicies, controllerScope, controllerWaivers, definitionProps,
  EVENT_TRIGGERS, fieldModel, FieldModel, fieldRecipe, makeDefinitions, makeTarget, manages, METRIC_KINDS, metricOf, ONE_REPLICA_WAIVER,
  patternField, rbacRules, scalingBehavior, scalingMetrics, TargetKind, TargetRecipe, targetRecipe, trigger, TriggerKind, valueOf, VersionModel,
  versionModels, versionRecipe,
} from './support/advanced-arbitraries';
import {
  badNumber, bothModes, demands, duration, either, fields, garbage, health, image, int, labels, Lazy, list, Mode, name, network, port, portName,
  stringMap,
} from './support/arbitraries';
import { apiServerErrors, assertProperty, checkOutcome, Tally } from './support/outcome';

// ---------------------------------------------------------------------------------------------
// The outcome: as `checkOutcome`, with the API server's checks of the advanced kinds

/**
 * Builds with `build` in a fresh chart and synthesises; throws unless the outcome is valid
 * manifests (`advancedApiServerErrors` included) or a well-formed PatternValidationError.
 */
function checkAdvanced<P>(props: P, build: (chart: Chart, props: any) => void, tally?: Tally): 'valid' | 'rejected' {
  return checkOutcome(props, build, tally, (manifests: Manifest[]) => {
    const defined = crdInstanceSchemas(manifests);
    return [
      ...manifests.flatMap((m) => apiServerErrors(fractionsAllowed(m, defined) ? withoutFractions(m) : m)),
      ...manifests.flatMap(advancedApiServerErrors),
    ];
  });
}

/**
 * A CRD's schema (minimum, maximum and default of a number field) and a custom resource of a CRD of
 * the app (its number fields, which `validateManifests` checks against the schema) may hold
 * fractions and numbers beyond 2^53, which `apiServerErrors` refuses everywhere else.
 */
function fractionsAllowed(m: Manifest, defined: Map<string, unknown>): boolean {
  return isCrd(m) || defined.has(`${m.apiVersion}|${m.kind}`);
}

/** `m` with every finite number that is not a safe integer made 0 (NaN, Infinity and null are still seen). */
function withoutFractions(v: any): any {
  if (typeof v === 'number') return Number.isFinite(v) && !Number.isSafeInteger(v) ? 0 : v;
  if (Array.isArray(v)) return v.map(withoutFractions);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withoutFractions(x)]));
  return v;
}

const isCrd = (m: Manifest) => m.apiVersion === 'apiextensions.k8s.io/v1' && m.kind === 'CustomResourceDefinition';
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const isDns1035 = (s: unknown) => typeof s === 'string' && s.length <= 63 && DNS1035_LABEL.test(s);
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** apimachinery's IsValidPathSegmentName: what the API server takes as a name in a URL path (a metric, an object reference). */
function isPathSegmentName(s: unknown): boolean {
  return typeof s === 'string' && s !== '.' && s !== '..' && !s.includes('/') && !s.includes('%');
}

/**
 * What the API server checks of the advanced kinds beyond the OpenAPI schema:
 * - HorizontalPodAutoscaler (autoscaling/v2 validation): metric names and described objects are
 *   path segment names; metric selectors are label selectors;
 * - CustomResourceDefinition (apiextensions validation): plural, singular, short names, categories,
 *   kind and list kind (lower-cased) and version names are DNS-1035 labels; the name is
 *   `<plural>.<group>`; a `*.k8s.io` or `*.kubernetes.io` group needs the API approval annotation;
 *   patterns compile with Go's regexp (RE2); defaults are valid values of their schema.
 */
function advancedApiServerErrors(m: Manifest): string[] {
  const where = `${m.kind}/${m.metadata?.name}`;
  const errors: string[] = [];
  if (m.apiVersion === 'autoscaling/v2' && m.kind === 'HorizontalPodAutoscaler') {
    (m.spec?.metrics ?? []).forEach((metric: any, i: number) => {
      const source = metric.pods ?? metric.object ?? metric.external;
      if (!source) return;
      const at = `${where}: spec.metrics[${i}]`;
      if (!isPathSegmentName(source.metric?.name)) errors.push(`${at}.metric.name ${JSON.stringify(source.metric?.name)} is not a path segment name`);
      for (const [k, v] of Object.entries(source.metric?.selector?.matchLabels ?? {})) {
        if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) errors.push(`${at}.metric.selector label ${JSON.stringify(k)} has an invalid value`);
      }
      const d = metric.object?.describedObject;
      if (d && !(isPathSegmentName(d.name) && isPathSegmentName(d.kind))) errors.push(`${at}.describedObject ${JSON.stringify(d)} is not a path segment name`);
    });
  }
  if (isCrd(m)) {
    const names = m.spec?.names ?? {};
    for (const key of ['plural', 'singular']) if (!isDns1035(names[key])) errors.push(`${where}: spec.names.${key} ${JSON.stringify(names[key])} is not a DNS-1035 label`);
    for (const key of ['kind', 'listKind']) {
      if (!isDns1035(String(names[key]).toLowerCase())) errors.push(`${where}: spec.names.${key} ${JSON.stringify(names[key])} lower-cased is not a DNS-1035 label`);
    }
    for (const key of ['shortNames', 'categories']) {
      for (const n of names[key] ?? []) if (!isDns1035(n)) errors.push(`${where}: spec.names.${key} ${JSON.stringify(n)} is not a DNS-1035 label`);
    }
    if (m.metadata?.name !== `${names.plural}.${m.spec?.group}`) errors.push(`${where}: metadata.name must be spec.names.plural+"."+spec.group`);
    const group = String(m.spec?.group);
    if (/(^|\.)(k8s|kubernetes)\.io$/.test(group) && m.metadata?.annotations?.['api-approved.kubernetes.io'] === undefined) {
      errors.push(`${where}: the protected group ${group} needs the api-approved.kubernetes.io annotation`);
    }
    for (const v of m.spec?.versions ?? []) {
      if (!isDns1035(v.name)) errors.push(`${where}: version name ${JSON.stringify(v.name)} is not a DNS-1035 label`);
      walkSchema(v.schema?.openAPIV3Schema, `versions[${v.name}]`, (node, at) => {
        if (typeof node.pattern === 'string' && goRegexpRejects(node.pattern)) errors.push(`${where}: ${at}.pattern ${JSON.stringify(node.pattern)} is not RE2`);
        if (node.default !== undefined) {
          const { default: d, ...rest } = node;
          const fake = { apiVersion: 'x/v1', kind: 'X', metadata: { name: 'x' }, value: d } as Manifest;
          for (const e of instanceErrors(fake, { type: 'object', properties: { value: rest } })) errors.push(`${where}: ${at}.default: ${e}`);
        }
      });
    }
  }
  return errors;
}

function walkSchema(node: any, at: string, visit: (node: any, at: string) => void): void {
  if (node === null || typeof node !== 'object') return;
  visit(node, at);
  for (const [k, sub] of Object.entries(node.properties ?? {})) walkSchema(sub, `${at}.${k}`, visit);
  if (node.items) walkSchema(node.items, `${at}[]`, visit);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') walkSchema(node.additionalProperties, `${at}{}`, visit);
}

/**
 * Whether Go's regexp (RE2, as in the Go 1.20 that builds Kubernetes 1.28) refuses a pattern that
 * JavaScript compiles: lookaround, backreferences, `(?<name>`, `\k`, `\u`, `\c`, escapes of letters
 * RE2 does not know, `[^]`, repeat counts above 1000. An approximation, for the patterns generated here.
 */
function goRegexpRejects(p: string): boolean {
  if (/\(\?<?[=!]|\(\?<[A-Za-z]|\[\^\]/.test(p)) return true;
  for (let i = 0; i < p.length; i++) {
    if (p[i] !== '\\') continue;
    const c = p[++i] ?? '';
    if (/[1-9]/.test(c) && !/[0-7]/.test(p[i + 1] ?? '')) return true; // a backreference (\12 is octal)
    if (/[A-Za-z]/.test(c) && !'afnrtvxAzbBdDsSwWpPQE'.includes(c)) return true;
  }
  return [...p.matchAll(/\{(\d+)(?:,(\d*))?\}/g)].some((x) => Number(x[1]) > 1000 || Number(x[2] || 0) > 1000);
}

// ---------------------------------------------------------------------------------------------
// Props

/** Whole props that are not an object at all (a JavaScript caller's mistake). */
const notAnObject = fc.constantFrom<unknown>(undefined, null, 5, 'api', [], [{ maxReplicas: 3 }]);

const isMap = (o: unknown): o is { [key: string]: unknown } => o !== null && typeof o === 'object' && !Array.isArray(o);

/** Mostly `props`, sometimes no object at all. */
function propsOrNot<T>(props: fc.Arbitrary<T>): fc.Arbitrary<T | unknown> {
  return fc.oneof({ weight: 40, arbitrary: props }, { weight: 1, arbitrary: notAnObject });
}

/** A misspelt prop, in a dirty run. */
function typo(mode: Mode, key: string): fc.Arbitrary<{ [key: string]: unknown }> {
  return fields({ [key]: garbage }, mode === 'dirty' ? 0.05 : 0);
}

/** In a clean run: no floor (2), 2 or 3 pods, or 1 with its waiver; in a dirty one, anything. */
function hpaFloor(mode: Mode): fc.Arbitrary<{ [key: string]: unknown }> {
  if (mode === 'clean') {
    return fc.oneof(fc.constant({}), fc.record({ minReplicas: fc.constantFrom(2, 3) }), fc.constant({ minReplicas: 1, waivers: ONE_REPLICA_WAIVER }));
  }
  return fc.tuple(fields({ minReplicas: either(mode, fc.constantFrom(1, 2, 3), badNumber, fc.constantFrom(0), garbage) }, 0.4),
    fields({ waivers: autoscalerWaivers() }, 0.1)).map(([a, b]) => ({ ...a, ...b }));
}

function hpaProps(mode: Mode): fc.Arbitrary<unknown> {
  return propsOrNot(fc.tuple(
    fc.record({ maxReplicas: either(mode, fc.integer({ min: 4, max: 20 }), badNumber, fc.constantFrom(1, 2, 3)) }),
    hpaFloor(mode),
    fields({ metrics: scalingMetrics(mode), behavior: scalingBehavior(mode) }, 0.6),
    typo(mode, 'maxReplica'),
  ).map(([a, b, c, d]) => ({ ...a, ...b, ...c, ...d })));
}

const RESOURCE_TRIGGERS: TriggerKind[] = ['cpu', 'memory'];

/**
 * Props of an EventDrivenAutoscaler. A clean run is made consistent as KEDA's webhook wants it: an
 * event trigger to wake from zero, idleReplicas below minReplicas, cooldownPeriod only when
 * scaling to zero, a fallback only with event triggers and within the bounds.
 */
function kedaProps(mode: Mode): fc.Arbitrary<unknown> {
  const kinds: TriggerKind[] = [...EVENT_TRIGGERS, ...RESOURCE_TRIGGERS];
  const desired = fc.integer({ min: 3, max: 5 });
  const triggers = mode === 'clean'
    ? fc.uniqueArray(fc.constantFrom(...kinds), { minLength: 1, maxLength: 3 }).chain((ks) => fc.tuple(...ks.map((k) => trigger(k, mode, desired))))
    : fc.array(fc.constantFrom<TriggerKind>(...kinds, 'garbage').chain((k) => trigger(k, mode, desired)), { minLength: 1, maxLength: 3 });
  const props = fc.tuple(
    fc.record({ maxReplicas: either(mode, fc.integer({ min: 5, max: 20 }), badNumber, fc.constantFrom(0, 1)), triggers }),
    fields({
      minReplicas: either(mode, fc.constantFrom(0, 0, 1, 2), badNumber, garbage),
      pollingInterval: duration(mode, 1, 120),
      cooldownPeriod: duration(mode, 0, 600),
      idleReplicas: either(mode, fc.constant(0), badNumber, fc.constantFrom(1)),
      fallback: either(mode, fc.record({ failureThreshold: int(mode, 1, 5), replicas: int(mode, 1, 5) }), garbage),
      behavior: scalingBehavior(mode),
    }, 0.3),
    fields({ triggersGarbage: fc.oneof(garbage, fc.constant([])) }, mode === 'dirty' ? 0.05 : 0),
    typo(mode, 'minReplicaCount'),
  ).map(([{ maxReplicas, triggers: ts }, o, { triggersGarbage }, t]) => {
    const out: { [key: string]: unknown } = { maxReplicas, triggers: triggersGarbage ?? ts.map((x) => x.trigger), ...o, ...t };
    if (mode === 'dirty') return out;
    const events = ts.some((x) => EVENT_TRIGGERS.includes(x.kind));
    if (out.idleReplicas !== undefined && ((out.minReplicas as number) ?? 0) < 1) out.minReplicas = 1;
    if (!events && ((out.minReplicas ?? 0) === 0 || out.idleReplicas !== undefined)) {
      out.minReplicas = 1;
      delete out.idleReplicas;
    }
    if (out.cooldownPeriod !== undefined && (out.minReplicas ?? 0) !== 0 && out.idleReplicas === undefined) delete out.cooldownPeriod;
    if (out.fallback !== undefined) {
      if (ts.some((x) => RESOURCE_TRIGGERS.includes(x.kind))) {
        delete out.fallback;
      } else {
        const f = out.fallback as { failureThreshold: number; replicas: number };
        out.fallback = { ...f, replicas: Math.max(f.replicas, (out.minReplicas as number) ?? 0) };
      }
    }
    return out;
  });
  return propsOrNot(props);
}

/** Props of a VerticalAutoscaler; in a clean run, minReplicas only with an evicting update mode. */
function vpaProps(mode: Mode, containers: string[]): fc.Arbitrary<unknown> {
  return propsOrNot(fc.tuple(fields({
    updateMode: either(mode, fc.constantFrom(...Object.values(VerticalUpdateMode)), fc.constantFrom('auto', 'InPlaceOrRecreate', '', null), garbage),
    containerPolicies: containerPolicies(mode, containers),
    minReplicas: int(mode, 1, 3),
  }, 0.5), typo(mode, 'updatePolicy')).map(([o, t]) => {
    const out = { ...o, ...t };
    if (mode === 'clean' && ![VerticalUpdateMode.RECREATE, VerticalUpdateMode.AUTO].includes(out.updateMode as VerticalUpdateMode)) delete out.minReplicas;
    return out;
  }));
}

/** The waivers and the scope the rules of a clean run need (read from the rules' labels). */
function rulesNeed(rules: unknown): { waivers: PolicyRule[]; cluster: boolean } {
  const shown = Array.isArray(rules) ? rules.map((r) => (r instanceof Lazy ? r.label : '')) : [];
  return {
    waivers: [
      ...(shown.some((l) => l.includes('SECRETS')) ? [PolicyRule.RBAC_SECRET_READ] : []),
      ...(shown.some((l) => l.startsWith('RbacRule.write([ApiResource.PODS')) ? [PolicyRule.RBAC_POD_EXEC] : []),
    ],
    cluster: shown.some((l) => l.startsWith('RbacRule.readUrls')),
  };
}

/**
 * Props of a Controller, and the namespace of its chart. A clean run is made consistent: the
 * waivers its rules need, a cluster scope (in a namespace) for URLs and cluster-scoped custom
 * resources, callers admitted to its port.
 */
function controllerProps(mode: Mode): fc.Arbitrary<{ props: unknown; namespace?: string }> {
  return fc.tuple(fc.boolean(), fc.constantFrom<string | undefined>('ops', 'ops', undefined)).chain(([hasPort, ns]) => propsOrNot(fc.tuple(
    fc.record({ image: image(mode) }),
    mode === 'clean' ? fc.record({ watches: apiResources(1) }) : fields({ watches: either(mode, apiResources(1), garbage, fc.constant([])) }, 0.9),
    hasPort
      ? fc.record({ port: port(mode), network: network(mode, true) })
        .chain((r) => fields({ portName: portName(mode) }, 0.2).map((o) => ({ ...r, ...o })))
      : fields({ network: network(mode, false) }, 0.2),
    fields({
      manages: manages(mode),
      writes: either(mode, apiResources(1), garbage),
      rules: rbacRules(mode),
      scope: controllerScope(mode),
      replicas: int(mode, 1, 3),
      apiProxy: apiProxy(mode),
      name: name(mode),
      health: health(mode),
      demands: demands(mode),
      labels: labels(mode),
      annotations: stringMap(mode, fc.constantFrom('example.com/owner')),
    }, 0.2),
    mode === 'dirty' ? fields({ waivers: controllerWaivers(mode), apiAccess: fc.boolean() }, 0.1) : fc.constant({}),
    typo(mode, 'watch'),
  ).map(([a, b, c, d, e, f]) => {
    const props: { [key: string]: unknown } = { ...a, ...b, ...c, ...d, ...e, ...f };
    let namespace = ns;
    if (mode === 'clean') {
      const need = rulesNeed(props.rules);
      if (need.waivers.length > 0) props.waivers = need.waivers.map((r) => new Lazy(`Waiver.of(${JSON.stringify(r)}, "a reason")`, () => Waiver.of(r, 'a reason')));
      const clusterCrd = Array.isArray(props.manages) && props.manages.some((x) => x.recipe === 'crd-cluster');
      if (need.cluster || clusterCrd) props.scope = ControllerScope.CLUSTER;
      // A ClusterRoleBinding names the ServiceAccount's namespace.
      if (props.scope === ControllerScope.CLUSTER) namespace = 'ops';
    }
    return { props, namespace };
  })).map((run) => (isMap(run) && 'props' in run ? run as { props: unknown; namespace?: string } : { props: run, namespace: ns })));
}

/** Props of a CustomResourceDefinition, with the models of its versions. */
function crdProps(mode: Mode): fc.Arbitrary<{ props: unknown; versions: VersionModel[] | undefined }> {
  return fc.tuple(definitionProps(mode), versionModels(mode), typo(mode, 'version')).map(([p, vs, t]) => ({
    props: { ...p, versions: vs.models ? vs.models.map(versionRecipe) : vs.raw, ...t },
    versions: vs.models,
  }));
}

/** The main container of every workload target is `app`; the sidecar target has an `exporter` and an init container `init` too. */
function containersOf(kind: TargetKind): string[] {
  return kind === 'service-sidecar' ? ['app', 'exporter'] : ['app'];
}

// ---------------------------------------------------------------------------------------------
// Properties

const HORIZONTAL_TARGETS: Array<[TargetKind, number]> = [
  ['service', 12], ['stateful', 3], ['service-guaranteed', 1], ['service-best-effort', 1], ['service-sidecar', 1], ['service-budget', 2],
  ['service-long-name', 1], ['service-replicas', 1], ['daemon', 1], ['job', 1], ['singleton', 1], ['other-namespace', 1], ['unbuilt', 1], ['garbage', 1],
];
const VERTICAL_TARGETS: Array<[TargetKind, number]> = [
  ['service', 8], ['stateful', 2], ['daemon', 2], ['job', 2], ['job-generate-name', 1], ['periodic', 2], ['singleton', 1], ['service-guaranteed', 2],
  ['service-best-effort', 2], ['service-sidecar', 3], ['other-namespace', 1], ['unbuilt', 1], ['garbage', 1],
];

const RUNS = 200;

/** Builds an autoscaler of `Kind` on the target of `recipe`, then makes the target's later change. */
function scaled(Kind: new (scope: Chart, id: string, props: any) => unknown, chart: Chart, recipe: TargetRecipe, props: unknown): void {
  const w = makeTarget(chart, recipe);
  new Kind(chart, 'scaler', isMap(props) ? { workload: w, ...props } : props);
  changeTargetLater(w, recipe);
}

describe('advanced constructs end in valid manifests or a PatternValidationError', () => {
  test('HorizontalAutoscaler (ScalingMetric, ScalingBehavior)', () => {
    const tally = new Tally();
    assertProperty(fc.tuple(targetRecipe(HORIZONTAL_TARGETS), bothModes(hpaProps)), RUNS, ([recipe, props]) => {
      checkAdvanced({ recipe, props }, (chart, p) => scaled(HorizontalAutoscaler, chart, p.recipe, p.props), tally);
    });
    console.log(`HorizontalAutoscaler: ${tally.share}`);
  });

  test('EventDrivenAutoscaler (ScaleTrigger, ScalingBehavior)', () => {
    const tally = new Tally();
    assertProperty(fc.tuple(targetRecipe(HORIZONTAL_TARGETS), bothModes(kedaProps)), RUNS, ([recipe, props]) => {
      checkAdvanced({ recipe, props }, (chart, p) => scaled(EventDrivenAutoscaler, chart, p.recipe, p.props), tally);
    });
    console.log(`EventDrivenAutoscaler: ${tally.share}`);
  });

  test('VerticalAutoscaler (container policies)', () => {
    const tally = new Tally();
    assertProperty(targetRecipe(VERTICAL_TARGETS).chain((recipe) => bothModes((mode) => vpaProps(mode, containersOf(recipe.kind)))
      .map((props) => ({ recipe, props }))), RUNS, (run) => {
      checkAdvanced(run, (chart, p) => scaled(VerticalAutoscaler, chart, p.recipe, p.props), tally);
    });
    console.log(`VerticalAutoscaler: ${tally.share}`);
  });

  test('Controller (watches, manages, writes, rules, scope, API proxy)', () => {
    const tally = new Tally();
    assertProperty(bothModes(controllerProps), RUNS, (run) => {
      checkAdvanced(run, (chart, p) => {
        const where = p.namespace ? new Chart(chart.node.root, 'ops', { namespace: p.namespace }) : chart;
        new Controller(where, 'watcher', isMap(p.props) ? { ...p.props, manages: makeDefinitions(where, p.props.manages) } : p.props);
      }, tally);
    });
    console.log(`Controller: ${tally.share}`);
  });

  test('CustomResourceDefinition (SchemaField, versions, printer columns, scale)', () => {
    const tally = new Tally();
    assertProperty(propsOrNot(bothModes(crdProps)), RUNS, (run) => {
      checkAdvanced(isMap(run) ? run.props : run, (chart, p) => new CustomResourceDefinition(chart, 'watcher', p), tally);
    });
    console.log(`CustomResourceDefinition: ${tally.share}`);
  });

  test('CustomResource, checked against the schema of its definition', () => {
    const tally = new Tally();
    // A definition from a clean run (mostly valid), and instances of it, clean or dirty.
    const instance = crdProps('clean').chain(({ props, versions }) => bothModes((mode) => {
      const spec = versions?.[0]?.spec;
      return fc.tuple(
        spec ? valueOf(spec as FieldModel, mode) : garbage,
        fields({
          name: name(mode),
          labels: labels(mode),
          version: either(mode, fc.constant(versions?.[0]?.name), fc.constantFrom('v9', 'V1', ''), garbage),
        }, mode === 'clean' ? 0.3 : 0.4),
        either(mode, fc.constant('definition'), fc.constantFrom('unbuilt'), garbage),
        typo(mode, 'specs'),
      ).map(([value, o, definition, t]) => ({ definitionProps: props, instance: { spec: value, ...o, ...t }, definition }));
    }));
    assertProperty(instance, RUNS, (run) => {
      checkAdvanced(run, (chart, p) => {
        const crd = new CustomResourceDefinition(chart, 'watcher', p.definitionProps);
        const definition = p.definition === 'definition' ? crd
          : p.definition === 'unbuilt' ? new CustomResourceDefinition(chart, 'unbuilt', { group: 'x', kind: 'x', versions: [] } as any) : p.definition;
        new CustomResource(chart, 'instance', { definition, ...p.instance });
      }, tally);
    });
    console.log(`CustomResource: ${tally.share}`);
  });

  test('every problem of a rejected autoscaler names a prop, whatever the garbage', () => {
    // Garbage everywhere (dirty runs only), several autoscalers on one workload.
    assertProperty(fc.tuple(targetRecipe([['service', 1]]), hpaProps('dirty'), kedaProps('dirty'), vpaProps('dirty', ['app']),
      list(fc.constantFrom('hpa', 'keda', 'vpa'), 3)), 60, ([recipe, hpa, keda, vpa, order]) => {
      checkAdvanced({ recipe, hpa, keda, vpa, order }, (chart, p) => {
        const w = makeTarget(chart, p.recipe);
        p.order.forEach((k: string, i: number) => {
          const props = k === 'hpa' ? p.hpa : k === 'keda' ? p.keda : p.vpa;
          const Kind: any = k === 'hpa' ? HorizontalAutoscaler : k === 'keda' ? EventDrivenAutoscaler : VerticalAutoscaler;
          new Kind(chart, `${k}${i}`, isMap(props) ? { workload: w, ...props } : props);
        });
      });
    });
  });
});

/**
 * One value at a time (a metric, a behaviour, a trigger, a container policy, a schema field) in an
 * otherwise valid autoscaler or definition: each gets more runs than the whole-props properties
 * give it, and its own problems are the only ones.
 */
describe('each advanced option alone ends in valid manifests or a PatternValidationError', () => {
  const SERVICE: TargetRecipe = { kind: 'service', other: 'none', later: 'none' };
  const ALONE = 100;

  function alone(label: string, option: (mode: Mode) => fc.Arbitrary<unknown>, build: (chart: Chart, option: any) => void): void {
    test(label, () => {
      const tally = new Tally();
      assertProperty(bothModes(option), ALONE, (o) => {
        checkAdvanced({ o }, (chart, p) => build(chart, p.o), tally);
      });
      console.log(`${label}: ${tally.share}`);
    });
  }

  alone('a ScalingMetric', (mode) => fc.constantFrom(...METRIC_KINDS).chain((k) => metricOf(k, mode)), (chart, metric) => {
    new HorizontalAutoscaler(chart, 'scaler', { workload: makeTarget(chart, SERVICE), maxReplicas: 5, metrics: [metric] });
  });
  alone('a ScalingBehavior', scalingBehavior, (chart, behavior) => {
    new HorizontalAutoscaler(chart, 'scaler', { workload: makeTarget(chart, SERVICE), maxReplicas: 5, behavior });
  });
  alone('a ScaleTrigger', (mode) => fc.constantFrom<TriggerKind>(...EVENT_TRIGGERS, ...RESOURCE_TRIGGERS).chain((k) => trigger(k, mode, fc.integer({ min: 2, max: 5 })))
    .map((t) => t.trigger), (chart, t) => {
    new EventDrivenAutoscaler(chart, 'scaler', { workload: makeTarget(chart, SERVICE), minReplicas: 1, maxReplicas: 5, triggers: [t] });
  });
  alone('a container policy', (mode) => containerPolicies(mode, ['app', 'exporter']), (chart, policies) => {
    new VerticalAutoscaler(chart, 'sizer', {
      workload: makeTarget(chart, { ...SERVICE, kind: 'service-sidecar' }), updateMode: VerticalUpdateMode.AUTO, containerPolicies: policies,
    });
  });
  const FIELDS: Array<[string, FieldModel]> = [
    ['name', { t: 'string', o: { pattern: '^[a-z][a-z0-9-]*$', maxLength: 63 }, good: ['web', 'a-1'] }],
    ['mode', { t: 'string', o: { enum: ['restart', 'annotate'] }, good: ['restart'] }],
    ['replicas', { t: 'integer', o: { minimum: 0, maximum: 10 }, lo: 0, hi: 10 }],
    ['ratio', { t: 'number', o: { minimum: 0, maximum: 1 }, lo: 0, hi: 1 }],
    ['enabled', { t: 'boolean', o: {} }],
    ['port', { t: 'intOrString', o: {} }],
    ['config', { t: 'freeForm', o: {} }],
    ['selector', { t: 'map', values: { t: 'string', o: {}, good: ['web'] }, o: {} }],
    ['paths', { t: 'array', items: { t: 'string', o: { pattern: '^/' }, good: ['/a'] }, o: { maxItems: 3 }, min: 0, max: 3 }],
    ['nested', { t: 'object', fields: [['size', { t: 'integer', o: { minimum: 1 }, lo: 1, hi: 5 }], ['extra', { t: 'freeForm', o: {} }]], o: { required: ['size'] } }],
  ];
  const SPEC: FieldModel = { t: 'object', fields: FIELDS, o: {} };
  // The free-form fields, which hold anything, twice as often.
  const FIELD = fc.oneof(fc.constantFrom(...FIELDS), fc.constantFrom(...FIELDS.filter(([, m]) => m.t === 'freeForm' || m.t === 'object')));
  alone('a value of a custom resource', (mode) => FIELD.chain(([n, m]) => valueOf(m, mode).map((v) => ({ [n]: v }))), (chart, spec) => {
    const definition = new CustomResourceDefinition(chart, 'watcher', {
      group: 'k8spatterns.io', kind: 'ConfigWatcher', versions: [{ name: 'v1', spec: fieldRecipe(SPEC).make() as SchemaField }],
    });
    new CustomResource(chart, 'instance', { definition, spec });
  });
  alone('a SchemaField (options, patterns, nesting)', (mode) => fc.oneof({ weight: 3, arbitrary: fieldModel(mode, 1) }, { weight: 1, arbitrary: patternField() })
    .map(fieldRecipe), (chart, field) => {
    new CustomResourceDefinition(chart, 'watcher', { group: 'k8spatterns.io', kind: 'ConfigWatcher', versions: [{ name: 'v1', spec: SchemaField.object({ field }) }] });
  });
});

/**
 * The bugs the properties above found, each with its shrunk input: a bad input ends in the
 * library's own error, never a TypeError or a manifest the API server refuses.
 */
describe('bugs found by the properties', () => {
  const SERVICE: TargetRecipe = { kind: 'service', other: 'none', later: 'none' };
  const SPEC = () => SchemaField.object({ configMap: SchemaField.string() });
  /** The outcome of `build`: valid manifests or the library's error, anything else throws. */
  const outcome = (build: (chart: Chart) => unknown) => checkAdvanced({}, (chart) => {
    build(chart);
  });
  const definition = (chart: Chart, props: { [key: string]: unknown } = {}) => new CustomResourceDefinition(chart, 'watcher', {
    group: 'k8spatterns.io', kind: 'ConfigWatcher', versions: [{ name: 'v1', spec: SPEC() }], ...props,
  } as any);
  const withSpec = (chart: Chart, spec: SchemaField) => definition(chart, { versions: [{ name: 'v1', spec }] });

  describe('fixed', () => {
    test('CustomResourceDefinition: group Symbol() (was a TypeError)', () => {
      expect(outcome((c) => definition(c, { group: Symbol('s') }))).toBe('rejected');
    });
    for (const metricName of ['ns/metric', 'queue/messages_ready']) {
      test(`HorizontalAutoscaler: metric name ${JSON.stringify(metricName)} is refused (the API server takes a path segment name: no "/")`, () => {
        expect(outcome((c) => new HorizontalAutoscaler(c, 'scaler', {
          workload: makeTarget(c, SERVICE), maxReplicas: 5, metrics: [ScalingMetric.pods({ metricName }, '100')],
        }))).toBe('rejected');
      });
    }
    for (const pattern of ['^(?<word>[a-z]+)$', '^\\u00e9$', '^a{1001}$', '^\\Z', '^[^]$', '\\cA', '\\k<x>', '\\e']) {
      test(`SchemaField.string: pattern ${JSON.stringify(pattern)} is refused (JavaScript compiles it, Go's RE2 does not)`, () => {
        expect(outcome((c) => withSpec(c, SchemaField.object({ x: SchemaField.string({ pattern }) })))).toBe('rejected');
      });
    }
    test('CustomResource: a BigInt in a free-form field (was a TypeError from JSON.stringify)', () => {
      expect(outcome((c) => new CustomResource(c, 'instance', {
        definition: withSpec(c, SchemaField.object({ extra: SchemaField.freeForm() })), spec: { extra: { n: BigInt(10) } },
      }))).toBe('rejected');
    });
    test('CustomResource: a circular object in a free-form field (was a TypeError from JSON.stringify)', () => {
      const extra: { [key: string]: unknown } = { a: 1 };
      extra.self = extra;
      expect(outcome((c) => new CustomResource(c, 'instance', {
        definition: withSpec(c, SchemaField.object({ extra: SchemaField.freeForm() })), spec: { extra },
      }))).toBe('rejected');
    });
  });

  // Found by the properties at the end of the session and fixed at once.
  describe('fixed at the end of the session', () => {
    describe('a value of the wrong type in the text of a rule: a TypeError instead of the library\'s error', () => {
      test('VerticalAutoscaler: updateMode Symbol() with minReplicas', () => {
        expect(outcome((c) => new VerticalAutoscaler(c, 'sizer', { workload: makeTarget(c, SERVICE), updateMode: Symbol('s') as any, minReplicas: 1 })))
          .toBe('rejected');
      });
      test('HorizontalAutoscaler: minReplicas Symbol() with the one-replica waiver', () => {
        expect(outcome((c) => new HorizontalAutoscaler(c, 'scaler', {
          workload: makeTarget(c, SERVICE), maxReplicas: 5, minReplicas: Symbol('s') as any, waivers: [Waiver.of(PolicyRule.AUTOSCALE_TO_ONE_REPLICA, 'a reason')],
        }))).toBe('rejected');
      });
      test('EventDrivenAutoscaler: minReplicas Symbol() with cooldownPeriod', () => {
        expect(outcome((c) => new EventDrivenAutoscaler(c, 'scaler', {
          workload: makeTarget(c, SERVICE), maxReplicas: 5, minReplicas: Symbol('s') as any, cooldownPeriod: Duration.seconds(60), triggers: [ScaleTrigger.cpu(50)],
        }))).toBe('rejected');
      });
      test('Controller: port Symbol() with apiProxy', () => {
        expect(outcome((c) => new Controller(c, 'watcher', {
          image: 'ghcr.io/acme/watcher:1.0.0',
          watches: [kplus.ApiResource.CONFIG_MAPS],
          port: Symbol('s') as any,
          apiProxy: { image: 'registry.k8s.io/kubectl:v1.28.15' },
        }))).toBe('rejected');
      });
      test('CustomResourceDefinition: a version name without a prototype (Object.create(null))', () => {
        expect(outcome((c) => definition(c, { versions: [{ name: Object.create(null), spec: SPEC() }] }))).toBe('rejected');
      });
      test('SchemaField.string: enum [Symbol()] with a default', () => {
        expect(outcome((c) => withSpec(c, SchemaField.object({ mode: SchemaField.string({ enum: [Symbol('s')] as any, default: 'x' }) })))).toBe('rejected');
      });
    });

    describe('accepted, and the API server refuses it', () => {
      for (const objectName of ['a/b', '..', '50%']) {
        test(`HorizontalAutoscaler: describedObject name ${JSON.stringify(objectName)} (a path segment name)`, () => {
          expect(outcome((c) => new HorizontalAutoscaler(c, 'scaler', {
            workload: makeTarget(c, SERVICE),
            maxReplicas: 5,
            metrics: [ScalingMetric.object({ metricName: 'rps', describedObject: { apiVersion: 'v1', kind: 'Service', name: objectName }, value: '1' })],
          }))).toBe('rejected');
        });
      }
      test('CustomResourceDefinition: group custom.k8s.io (protected: needs the api-approved.kubernetes.io annotation)', () => {
        expect(outcome((c) => definition(c, { group: 'custom.k8s.io' }))).toBe('rejected');
      });
      test('CustomResource: a 64-character name, copied into the label values app.kubernetes.io/name and instance (at most 63)', () => {
        outcome((c) => new CustomResource(c, 'instance', { definition: definition(c), name: 'x'.repeat(64), spec: { configMap: 'settings' } }));
      });
    });

    test('CustomResourceDefinition: two storage versions, one named with 1000 characters: a rule of 1099 characters (the name uncut)', () => {
      expect(outcome((c) => definition(c, { versions: [{ name: 'v1', storage: true, spec: SPEC() }, { name: 'x'.repeat(1000), storage: true, spec: SPEC() }] })))
        .toBe('rejected');
    });
  });
});
