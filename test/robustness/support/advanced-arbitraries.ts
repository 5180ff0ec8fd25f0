/**
 * Arbitraries for the property-based robustness tests of the advanced constructs: the autoscalers
 * (HorizontalAutoscaler with ScalingMetric and ScalingBehavior, EventDrivenAutoscaler with
 * ScaleTrigger, VerticalAutoscaler), the Controller, and the Operator's CustomResourceDefinition
 * (with SchemaField) and CustomResource. As in `arbitraries.ts`: a clean run generates
 * valid-looking values (most of them consistent with each other, so that a good share of the runs
 * synthesise), a dirty run mixes in garbage; factory calls are `Lazy` recipes, made inside the
 * property and printed as the calls they are.
 */
import { Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import {
  badNumber, badString, call, cpu, duration, either, fields, garbage, Lazy, list, LONG, made, Mode, size, UNICODE, value,
} from './arbitraries';
import {
  ApiVerb, BatchJob, ContainerScalingMode, ControlledResource, ControlledValues, ControllerScope, CustomResourceDefinition, CustomResourceScope,
  DaemonService, Demands, DisruptionBudget, EventDrivenAutoscaler, HorizontalAutoscaler, KafkaOffsetResetPolicy, KafkaSaslMode, NetworkPeer,
  PeriodicJob, PolicyRule, PrinterColumnType, PrometheusAuthMode, RabbitMqMode, RabbitMqProtocol, RbacRule, ScaleTrigger, ScalingBehavior,
  ScalingMetric, ScalingPolicyType, ScalingSelectPolicy, SchemaField, SingletonLocking, SingletonService, StatefulService, StatelessService,
  TriggerAuthenticationKind, VerticalAutoscaler, VerticalUpdateMode, Waiver,
} from '../../../src';

// ---------------------------------------------------------------------------------------------
// The workload an autoscaler scales (made in the property, from a recipe)

const IMAGE = 'ghcr.io/acme/api:1.4.2';
const CALLERS = { allowFrom: [{ peer: NetworkPeer.namespace('clients') }] };
/** The variable a RabbitMQ trigger's `hostFromEnv` names (on the first container of every service target). */
export const HOST_ENV = 'AMQP_URL';
const ENV = { [HOST_ENV]: 'amqp://rabbitmq.queues:5672/' };

/** The kinds of workload (or not) an autoscaler is given. */
export type TargetKind =
  | 'service' | 'service-guaranteed' | 'service-best-effort' | 'service-sidecar' | 'service-long-name' | 'service-budget' | 'stateful'
  | 'service-replicas' | 'daemon' | 'job' | 'job-generate-name' | 'periodic' | 'singleton' | 'other-namespace' | 'unbuilt' | 'garbage';

/** Another autoscaler on the workload, made before the one under test. */
export type OtherScaler = 'none' | 'hpa-cpu' | 'hpa-pods' | 'keda' | 'vpa-auto' | 'vpa-memory' | 'vpa-off';

/** A change to the workload after the autoscaler: a container that requests nothing, or one with the default demands. */
export type LaterChange = 'none' | 'container' | 'best-effort-container';

/** How to make the workload of a run. */
export interface TargetRecipe {
  readonly kind: TargetKind;
  readonly other: OtherScaler;
  readonly later: LaterChange;
  /** The budget of `service-budget`; the name length of `service-long-name`; the value of `garbage`. */
  readonly arg?: unknown;
}

/** A target recipe; `kinds` lists the kinds with their weights. */
export function targetRecipe(kinds: Array<[TargetKind, number]>): fc.Arbitrary<TargetRecipe> {
  const kind = fc.oneof(...kinds.map(([k, weight]) => ({ weight, arbitrary: fc.constant(k) })));
  const other = fc.oneof({ weight: 12, arbitrary: fc.constant<OtherScaler>('none') },
    { weight: 1, arbitrary: fc.constantFrom<OtherScaler>('hpa-cpu', 'hpa-pods', 'keda', 'vpa-auto', 'vpa-memory', 'vpa-off') });
  const later = fc.oneof({ weight: 10, arbitrary: fc.constant<LaterChange>('none') },
    { weight: 1, arbitrary: fc.constantFrom<LaterChange>('container', 'best-effort-container') });
  return fc.tuple(kind, other, later).chain(([k, o, l]) => {
    const arg: fc.Arbitrary<unknown> = k === 'garbage' ? garbage
      : k === 'service-long-name' ? fc.constantFrom(40, 52, 53, 54, 55, 63)
        : k === 'service-budget' ? fc.constantFrom(
          new Lazy('DisruptionBudget.maxUnavailable(1)', () => DisruptionBudget.maxUnavailable(1)),
          new Lazy('DisruptionBudget.minAvailable(1)', () => DisruptionBudget.minAvailable(1)),
          new Lazy('DisruptionBudget.minAvailable(2)', () => DisruptionBudget.minAvailable(2)),
          new Lazy('DisruptionBudget.minAvailablePercent(50)', () => DisruptionBudget.minAvailablePercent(50)),
          new Lazy('DisruptionBudget.none()', () => DisruptionBudget.none()))
          : fc.constant(undefined);
    return arg.map((a) => ({ kind: k, other: o, later: l, ...(a !== undefined ? { arg: a } : {}) }));
  });
}

/** Makes the workload of `r` in `chart` (and the other autoscaler, if any); returns it, or the garbage given instead. */
export function makeTarget(chart: Chart, r: TargetRecipe): any {
  const service = (props: { [key: string]: unknown } = {}) => new StatelessService(chart, 'api', {
    image: IMAGE, port: 8080, network: CALLERS, env: ENV, ...props,
  } as any);
  let w: any;
  switch (r.kind) {
    case 'service': w = service(); break;
    case 'service-guaranteed': w = service({ demands: Demands.guaranteed({ cpu: kplus.Cpu.millis(500), memory: Size.mebibytes(512) }) }); break;
    case 'service-best-effort': w = service({ demands: Demands.bestEffort() }); break;
    case 'service-sidecar':
      w = service();
      w.addContainer({ name: 'exporter', image: 'ghcr.io/acme/exporter:1.0.0', port: 9102 });
      w.addInitContainer({ name: 'init', image: 'ghcr.io/acme/init:1.0.0' });
      break;
    case 'service-long-name': w = service({ name: `a${'x'.repeat((r.arg as number) - 1)}` }); break;
    case 'service-budget': w = service({ disruptionBudget: realizeOne(r.arg) }); break;
    case 'stateful': w = new StatefulService(chart, 'db', { image: 'ghcr.io/acme/db:1.4.2', port: 5432, network: CALLERS, env: ENV }); break;
    case 'service-replicas': w = service({ replicas: 3 }); break;
    case 'daemon': w = new DaemonService(chart, 'agent', { image: 'ghcr.io/acme/agent:1.0.0', env: ENV }); break;
    case 'job': w = new BatchJob(chart, 'job', { image: 'ghcr.io/acme/job:1.0.0' }); break;
    case 'job-generate-name': w = new BatchJob(chart, 'job', { image: 'ghcr.io/acme/job:1.0.0', generateName: true }); break;
    case 'periodic': w = new PeriodicJob(chart, 'report', { image: 'ghcr.io/acme/job:1.0.0', schedule: '@daily' }); break;
    case 'singleton': w = new SingletonService(chart, 'scheduler', {
      image: 'ghcr.io/acme/scheduler:1.0.0', locking: SingletonLocking.inApplication({ replicas: 2 }), env: ENV,
    }); break;
    case 'other-namespace': {
      const other = new Chart(chart.node.root, 'other', { namespace: 'other' });
      w = new StatelessService(other, 'api', { image: IMAGE, port: 8080, network: CALLERS, env: ENV });
      break;
    }
    case 'unbuilt': w = service({ image: 'nginx' }); break; // not pinned: not built, its problems listed at synth
    default: return realizeOne(r.arg);
  }
  switch (r.other) {
    case 'hpa-cpu': new HorizontalAutoscaler(chart, 'earlier-hpa', { workload: w, maxReplicas: 6 }); break;
    case 'hpa-pods': new HorizontalAutoscaler(chart, 'earlier-hpa', { workload: w, maxReplicas: 6, metrics: [ScalingMetric.pods({ metricName: 'rps' }, '10')] }); break;
    case 'keda': new EventDrivenAutoscaler(chart, 'earlier-keda', {
      workload: w, maxReplicas: 6, triggers: [ScaleTrigger.kafka({ bootstrapServers: ['kafka:9092'], consumerGroup: 'g', topic: 'orders' })],
    }); break;
    case 'vpa-auto': new VerticalAutoscaler(chart, 'earlier-vpa', { workload: w, updateMode: VerticalUpdateMode.AUTO }); break;
    case 'vpa-memory': new VerticalAutoscaler(chart, 'earlier-vpa', {
      workload: w, updateMode: VerticalUpdateMode.AUTO, containerPolicies: [{ containerName: '*', controlledResources: [ControlledResource.MEMORY] }],
    }); break;
    case 'vpa-off': new VerticalAutoscaler(chart, 'earlier-vpa', { workload: w }); break;
    default: break;
  }
  return w;
}

/** After the autoscaler: the change of `r`, if any. */
export function changeTargetLater(w: any, r: TargetRecipe): void {
  if (r.later === 'none' || typeof w?.addContainer !== 'function') return;
  w.addContainer({
    name: 'late', image: 'ghcr.io/acme/late:1.0.0', port: 9300, ...(r.later === 'best-effort-container' ? { demands: Demands.bestEffort() } : {}),
  });
}

function realizeOne(v: unknown): any {
  return v instanceof Lazy ? v.make() : v;
}

// ---------------------------------------------------------------------------------------------
// Values shared by the autoscalers

/** A positive quantity, as the metric targets take it, or a bad one. */
export function quantity(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode, fc.constantFrom('100', '1500m', '2k', '30', '0.5', '1Gi'),
    fc.constantFrom('', ' ', '0', '-1', '0m', 'abc', '1.5.5', '100 m', LONG, UNICODE, '1e400', 100, null), garbage);
}

/** A metric name, or a bad one (some of which a regular expression of letters and "/" lets through). */
export function metricName(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode, fc.constantFrom('http_requests_per_second', 'queue_messages_ready', 'nginx_ingress_requests', 'custom.googleapis.com:rps', 'a.b-c'),
    fc.constantFrom('', '1abc', 'a b', LONG, UNICODE, 'x'.repeat(254)),
    // what the API server refuses in a name of a URL path
    fc.constantFrom('ns/metric', 'queue/messages_ready', 'requests%', 'a%2Fb'), garbage);
}

/** A label selector of a metric. */
function selector(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode, fc.constantFrom<unknown>({ queue: 'orders' }, { app: 'api', tier: 'web' }, {}),
    fc.constantFrom<unknown>({ 'Bad Key': 'x' }, { k: 5 }, { k: LONG }, ['a'], 'a=b'), garbage);
}

function describedObject(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode,
    fc.constantFrom<unknown>(
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'shop' },
      { apiVersion: 'v1', kind: 'Service', name: 'api' },
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker' },
    ),
    fc.constantFrom<unknown>(
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'a/b' },
      { apiVersion: 'v1', kind: 'Service', name: '..' },
      { apiVersion: 'v1', kind: 'Service', name: '50%' },
      { apiVersion: 'v1', kind: 'service', name: 'api' },
      { apiVersion: 'V1', kind: 'Service', name: 'api' },
      { apiVersion: 'v1', kind: 'Service' },
      { apiVersion: 'v1', kind: 'Service', name: '' },
      { apiVersion: 'v1', kind: 'Service', name: 'api', namespace: 'x' },
    ),
    garbage);
}

export const METRIC_KINDS = ['cpu', 'memory', 'pods', 'object', 'external'];

/** A metric of `kind` (cpu, memory, pods, object or external). */
export function metricOf(kind: string, mode: Mode): fc.Arbitrary<unknown> {
  const target = fc.oneof(
    fc.record({ value: quantity(mode) }),
    fc.record({ averageValue: quantity(mode) }),
    ...(mode === 'dirty' ? [fc.record({ value: quantity(mode), averageValue: quantity(mode) }), fc.constant({})] : []),
  );
  switch (kind) {
    case 'cpu': return fc.oneof(
      call('ScalingMetric.cpuUtilization', ScalingMetric.cpuUtilization, either(mode, fc.integer({ min: 1, max: 100 }), badNumber)),
      call('ScalingMetric.cpuAverageValue', ScalingMetric.cpuAverageValue, cpu(mode)));
    case 'memory': return fc.oneof(
      call('ScalingMetric.memoryUtilization', ScalingMetric.memoryUtilization, either(mode, fc.integer({ min: 50, max: 95 }), badNumber)),
      call('ScalingMetric.memoryAverageValue', ScalingMetric.memoryAverageValue, size(mode, 64, 4096)));
    case 'pods': return call('ScalingMetric.pods', ScalingMetric.pods, either(mode,
      fc.record({ metricName: metricName(mode) }).chain((r) => fields({ selector: selector(mode) }, 0.3).map((o) => ({ ...r, ...o }))), garbage),
    quantity(mode));
    case 'object': return call('ScalingMetric.object', ScalingMetric.object, either(mode,
      fc.tuple(fc.record({ metricName: metricName(mode), describedObject: describedObject(mode) }), target, fields({ selector: selector(mode) }, 0.3))
        .map(([a, b, c]) => ({ ...a, ...b, ...c })), garbage));
    default: return call('ScalingMetric.external', ScalingMetric.external, either(mode,
      fc.tuple(fc.record({ metricName: metricName(mode) }), target, fields({ selector: selector(mode) }, 0.3))
        .map(([a, b, c]) => ({ ...a, ...b, ...c })),
      garbage));
  }
}

/** The metrics of a HorizontalAutoscaler: one per kind in a clean run; in a dirty one, repeats, garbage and empty lists too. */
export function scalingMetrics(mode: Mode): fc.Arbitrary<unknown> {
  const kinds = METRIC_KINDS;
  const clean = fc.uniqueArray(fc.constantFrom(...kinds), { minLength: 1, maxLength: 3 })
    .chain((ks) => fc.tuple(...ks.map((k) => metricOf(k, mode))));
  if (mode === 'clean') return clean;
  return either(mode, clean, fc.array(fc.oneof(fc.constantFrom(...kinds).chain((k) => metricOf(k, mode)), garbage), { maxLength: 3 }), garbage);
}

function scalingRules(mode: Mode): fc.Arbitrary<unknown> {
  const policy = either(mode, fc.record({
    type: either(mode, fc.constantFrom(...Object.values(ScalingPolicyType)), fc.constantFrom('pods', '', null), garbage),
    value: either(mode, fc.integer({ min: 1, max: 100 }), badNumber, fc.constantFrom(0)),
    period: duration(mode, 1, 1800),
  }), garbage, fc.constantFrom<unknown>({}, { type: ScalingPolicyType.PODS, value: 1 }, null));
  return either(mode, fields({
    stabilizationWindow: duration(mode, 0, 3600),
    policies: either(mode, fc.array(policy, { minLength: 1, maxLength: 2 }), garbage, fc.constant([])),
    selectPolicy: either(mode, fc.constantFrom(...Object.values(ScalingSelectPolicy)), fc.constantFrom('max', '', null), garbage),
  }, 0.5), garbage);
}

/** A ScalingBehavior (presets, or custom rules for one direction or both), or not one. */
export function scalingBehavior(mode: Mode): fc.Arbitrary<unknown> {
  const custom = fc.oneof(
    fc.record({ scaleUp: scalingRules(mode) }),
    fc.record({ scaleDown: scalingRules(mode) }),
    fc.record({ scaleUp: scalingRules(mode), scaleDown: scalingRules(mode) }),
  );
  return either(mode,
    fc.oneof(
      made('ScalingBehavior.fastUpSlowDown()', () => ScalingBehavior.fastUpSlowDown()),
      made('ScalingBehavior.scaleUpOnly()', () => ScalingBehavior.scaleUpOnly()),
      { weight: 3, arbitrary: call('ScalingBehavior.custom', ScalingBehavior.custom, custom) },
    ),
    call('ScalingBehavior.custom', ScalingBehavior.custom, fc.oneof(garbage, fc.constantFrom<unknown>({}, { scaleUp: undefined }, { scaleup: {} }))),
    fc.constantFrom<unknown>({ scaleUp: {} }, 'fastUpSlowDown'),
    garbage);
}

/** The waiver that lets an autoscaler keep one replica. */
export const ONE_REPLICA_WAIVER = new Lazy('[Waiver.of(PolicyRule.AUTOSCALE_TO_ONE_REPLICA, "a reason")]',
  () => [Waiver.of(PolicyRule.AUTOSCALE_TO_ONE_REPLICA, 'a reason')]);

/** Waivers of an autoscaler in a dirty run: the right one, a wrong one, garbage. */
export function autoscalerWaivers(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constant(ONE_REPLICA_WAIVER),
    fc.constant(new Lazy('[Waiver.of(PolicyRule.HOST_PATH, "a reason")]', () => [Waiver.of(PolicyRule.HOST_PATH, 'a reason')])),
    call('Waiver.of', Waiver.of, fc.constantFrom<unknown>(PolicyRule.AUTOSCALE_TO_ONE_REPLICA, 'nope', null), fc.constantFrom<unknown>('', 'a reason', 5)),
    garbage);
}

// ---------------------------------------------------------------------------------------------
// KEDA triggers

/** A TriggerAuthentication reference, or a bad one. */
function authRef(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode,
    fc.oneof(
      fc.constantFrom<unknown>({ name: 'rabbitmq' }, { name: 'kafka-credentials' }),
      fc.constant({ name: 'cluster-credentials', kind: TriggerAuthenticationKind.CLUSTER_TRIGGER_AUTHENTICATION }),
      fc.constant({ name: 'credentials', kind: TriggerAuthenticationKind.TRIGGER_AUTHENTICATION }),
    ),
    fc.constantFrom<unknown>({ name: 'Bad Name' }, { name: '' }, { name: 'x', kind: 'Secret' }, {}, { name: 'x', secret: 'y' }, 'rabbitmq', { name: LONG }),
    garbage);
}

/** The kinds of trigger a generated trigger has: the resource ones cannot wake a workload from zero, nor have a fallback. */
export type TriggerKind = 'cron' | 'prometheus' | 'rabbitmq' | 'kafka' | 'custom' | 'cpu' | 'memory' | 'garbage';
export const EVENT_TRIGGERS: TriggerKind[] = ['cron', 'prometheus', 'rabbitmq', 'kafka', 'custom'];

/** A trigger of `kind`, as `{ kind, trigger }`. `desired` is the window's replicas of a cron trigger in a clean run. */
export function trigger(kind: TriggerKind, mode: Mode, desired: fc.Arbitrary<number>): fc.Arbitrary<{ kind: TriggerKind; trigger: unknown }> {
  const t = triggerOf(kind, mode, desired);
  return t.map((x) => ({ kind, trigger: x }));
}

function triggerOf(kind: TriggerKind, mode: Mode, desired: fc.Arbitrary<number>): fc.Arbitrary<unknown> {
  const whole = fc.integer({ min: 1, max: 1000 });
  const positive = (integer: boolean) => either(mode, integer ? whole : fc.oneof(whole, fc.constantFrom(0.5, 2.5)),
    badNumber, fc.constantFrom(0, '5', 1e300, 2 ** 53));
  const zeroOrMore = (integer: boolean) => either(mode, integer ? fc.integer({ min: 0, max: 10 }) : fc.constantFrom(0, 1, 0.5),
    badNumber, fc.constantFrom(-1, '0'));
  switch (kind) {
    case 'cron': return call('ScaleTrigger.cron', ScaleTrigger.cron, either(mode, fc.record({
      timezone: either(mode, fc.constantFrom('Europe/Berlin', 'Etc/UTC', 'America/New_York'), fc.constantFrom('Mars/Olympus', '', 'UTC+1', 'europe/berlin'),
        garbage),
      start: either(mode, fc.constantFrom('0 8 * * 1-5', '30 6 * * *'), fc.constantFrom('', '* * * *', '61 * * * *', '@every 5m', LONG), garbage),
      end: either(mode, fc.constantFrom('0 18 * * 1-5', '0 20 * * *'), fc.constantFrom('0 8 * * 1-5', ' 0 8 * * 1-5 ', '0 0 30 2 *'), garbage),
      desiredReplicas: either(mode, desired, badNumber, fc.constantFrom(0, 1, 100)),
    }, { requiredKeys: mode === 'clean' ? ['timezone', 'start', 'end', 'desiredReplicas'] : [] }), garbage));
    case 'prometheus': {
      const auth = mode === 'clean'
        ? fc.oneof(fc.constant({}), fc.record({ authenticationRef: authRef(mode) }),
          fc.record({
            authenticationRef: authRef(mode),
            authModes: fc.uniqueArray(fc.constantFrom(...Object.values(PrometheusAuthMode)), { minLength: 1, maxLength: 2 }),
          }))
        : fields({
          authenticationRef: authRef(mode),
          authModes: either(mode, fc.constant([PrometheusAuthMode.BEARER]), fc.constantFrom<unknown>([], ['Bearer'], [PrometheusAuthMode.TLS, PrometheusAuthMode.TLS])),
        }, 0.5);
      return call('ScaleTrigger.prometheus', ScaleTrigger.prometheus, either(mode, fc.tuple(fc.record({
        serverAddress: either(mode, fc.constantFrom('http://prometheus.monitoring:9090', 'https://thanos.example.com'),
          fc.constantFrom('prometheus:9090', 'ftp://prometheus', 'http://user:secret@prometheus:9090', 'http://', '', LONG), garbage),
        query: either(mode, fc.constantFrom('sum(rate(http_requests_total{app="api"}[2m]))', 'up'), fc.constantFrom('', ' ', 'two\nlines'), garbage),
        threshold: positive(false),
      }), fields({
        activationThreshold: zeroOrMore(false),
        namespace: either(mode, fc.constantFrom('team-a'), badString),
        ignoreNullValues: either(mode, fc.boolean(), fc.constantFrom('false', 0)),
      }, 0.3), auth).map(([a, b, c]) => ({ ...a, ...b, ...c })), garbage));
    }
    case 'rabbitmq': {
      const host = mode === 'clean'
        ? fc.oneof(fc.record({ hostFromEnv: fc.constant(HOST_ENV) }), fc.record({ authenticationRef: authRef(mode) }))
        : fields({ hostFromEnv: either(mode, fc.constant(HOST_ENV), fc.constantFrom('MISSING_VAR', '1BAD', 'a-b', '')), authenticationRef: authRef(mode) }, 0.5);
      const rate = fc.record({ mode: fc.constant(RabbitMqMode.MESSAGE_RATE), protocol: fc.constant(RabbitMqProtocol.HTTP), value: positive(false) });
      const length = fc.record({ value: positive(true) }).chain((r) => fields({
        mode: fc.constant(RabbitMqMode.QUEUE_LENGTH), protocol: fc.constantFrom(...Object.values(RabbitMqProtocol)),
      }, 0.3).map((o) => ({ ...r, ...o })));
      const dirtyMode = fields({
        mode: either(mode, fc.constantFrom(...Object.values(RabbitMqMode)), fc.constantFrom('queueLength', '')),
        protocol: either(mode, fc.constantFrom(...Object.values(RabbitMqProtocol)), fc.constantFrom('HTTP', 'https')),
        value: positive(false),
      }, 0.7);
      return call('ScaleTrigger.rabbitMq', ScaleTrigger.rabbitMq, either(mode, fc.tuple(
        fc.record({ queueName: either(mode, fc.constantFrom('orders', 'jobs.high'), fc.constantFrom('', ' '), garbage) }),
        mode === 'clean' ? fc.oneof(length, rate) : dirtyMode,
        fields({ activationValue: zeroOrMore(false), vhostName: either(mode, fc.constantFrom('/', 'shop'), fc.constantFrom('', ' '), garbage) }, 0.25),
        host,
      ).map(([a, b, c, d]) => ({ ...a, ...b, ...c, ...d })), garbage));
    }
    case 'kafka': {
      const sasl = mode === 'clean'
        ? fc.oneof(fc.constant({}), fc.constant({ sasl: KafkaSaslMode.NONE }),
          fc.record({ sasl: fc.constantFrom(KafkaSaslMode.SCRAM_SHA512, KafkaSaslMode.PLAINTEXT), authenticationRef: authRef(mode) }))
        : fields({ sasl: either(mode, fc.constantFrom(...Object.values(KafkaSaslMode)), fc.constantFrom('SCRAM', '')), authenticationRef: authRef(mode) }, 0.4);
      return call('ScaleTrigger.kafka', ScaleTrigger.kafka, either(mode, fc.tuple(fc.record({
        bootstrapServers: either(mode, fc.constantFrom(['kafka-0.kafka:9092'], ['kafka-0.kafka:9092', 'kafka-1.kafka:9092'], ['[::1]:9092'], ['10.0.0.5:9093']),
          fc.constantFrom<unknown>([], ['kafka'], ['user:pass@kafka:9092'], ['kafka:9092,kafka:9093'], ['kafka:'], [''], 'kafka:9092', [5]), garbage),
        consumerGroup: either(mode, fc.constantFrom('orders-consumer', 'g'), fc.constantFrom('', ' '), garbage),
        topic: either(mode, fc.constantFrom('orders', 'events.v1', 'a_b-c'), fc.constantFrom('', 'a b', 'x'.repeat(250), UNICODE), garbage),
      }), fields({
        lagThreshold: positive(true),
        activationLagThreshold: zeroOrMore(true),
        offsetResetPolicy: either(mode, fc.constantFrom(...Object.values(KafkaOffsetResetPolicy)), fc.constantFrom('Latest', ''), garbage),
        allowIdleConsumers: either(mode, fc.boolean(), fc.constantFrom('true')),
        tls: either(mode, fc.boolean(), fc.constantFrom('enable')),
      }, 0.25), sasl).map(([a, b, c]) => ({ ...a, ...b, ...c })), garbage));
    }
    case 'custom': return either(mode,
      fc.oneof(
        call('ScaleTrigger.custom', ScaleTrigger.custom, fc.constant('aws-sqs-queue'),
          fc.constant({ queueURL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders', queueLength: '5', awsRegion: 'eu-west-1' }),
          fc.constantFrom(undefined, { name: 'aws-credentials' })),
        call('ScaleTrigger.custom', ScaleTrigger.custom, fc.constant('redis'),
          fc.constantFrom({ address: 'redis.cache:6379', listName: 'jobs', listLength: '10' }, { addressFromEnv: 'REDIS_ADDRESS', listName: 'jobs' })),
        call('ScaleTrigger.custom', ScaleTrigger.custom, fc.constant('metrics-api'),
          fc.constant({ targetValue: '10', url: 'http://stats.api:8080/queue', valueLocation: 'queue.size' })),
      ),
      call('ScaleTrigger.custom', ScaleTrigger.custom,
        either(mode, fc.constantFrom('redis', 'aws-sqs-queue'), fc.constantFrom('cpu', 'memory', 'Redis', 'aws_sqs', '', '-x'), garbage),
        either(mode, fc.constant({ listName: 'jobs', address: 'redis:6379' }), fc.constantFrom<unknown>(
          {}, { password: 'hunter2' }, { connectionString: 'x' }, { apiKey: 'x' }, { host: 'amqp://user:pw@rabbit:5672' },
          { connection: 'Endpoint=sb://x;SharedAccessKey=abc' }, { passwordFromEnv: 'REDIS_PASSWORD' }, { k: 5 }, { k: null }, { '': 'x' }, { [UNICODE]: 'x' },
          { k: LONG }, ['a'],
        ), garbage),
        fc.oneof(fc.constant(undefined), authRef(mode))),
      garbage);
    case 'cpu': return call('ScaleTrigger.cpu', ScaleTrigger.cpu, either(mode, fc.integer({ min: 50, max: 90 }), badNumber, fc.constantFrom(0, 101, 1000)));
    case 'memory': return call('ScaleTrigger.memory', ScaleTrigger.memory, either(mode, fc.integer({ min: 60, max: 90 }), badNumber));
    default: return garbage;
  }
}

// ---------------------------------------------------------------------------------------------
// VerticalAutoscaler

/** Container policies of a VerticalAutoscaler; clean ones name containers of the pods (`names`, or `'*'`) once each. */
export function containerPolicies(mode: Mode, names: string[]): fc.Arbitrary<unknown> {
  const bounds = (controlled: string[]) => fields({
    ...(controlled.includes('cpu') ? {
      minCpu: value('Cpu.millis', kplus.Cpu.millis, fc.integer({ min: 10, max: 100 })),
      maxCpu: value('Cpu.units', kplus.Cpu.units, fc.integer({ min: 1, max: 4 })),
    } : {}),
    ...(controlled.includes('memory') ? {
      minMemory: value('Size.mebibytes', Size.mebibytes, fc.integer({ min: 32, max: 128 })),
      maxMemory: value('Size.mebibytes', Size.mebibytes, fc.integer({ min: 256, max: 4096 })),
    } : {}),
  }, 0.4).map((b) => {
    const min = { ...(b.minCpu ? { cpu: b.minCpu } : {}), ...(b.minMemory ? { memory: b.minMemory } : {}) };
    const max = { ...(b.maxCpu ? { cpu: b.maxCpu } : {}), ...(b.maxMemory ? { memory: b.maxMemory } : {}) };
    return { ...(Object.keys(min).length > 0 ? { minAllowed: min } : {}), ...(Object.keys(max).length > 0 ? { maxAllowed: max } : {}) };
  });
  const cleanPolicy = (containerName: string) => fc.oneof(
    { weight: 1, arbitrary: fc.constant({ containerName, mode: ContainerScalingMode.OFF }) },
    {
      weight: 4,
      arbitrary: fc.option(fc.uniqueArray(fc.constantFrom(ControlledResource.CPU, ControlledResource.MEMORY), { minLength: 1, maxLength: 2 }),
        { nil: undefined })
        .chain((controlled) => fc.tuple(bounds(controlled ?? ['cpu', 'memory']), fields({
          mode: fc.constant(ContainerScalingMode.AUTO),
          controlledValues: fc.constantFrom(...Object.values(ControlledValues)),
        }, 0.3)).map(([b, o]) => ({ containerName, ...(controlled ? { controlledResources: controlled } : {}), ...b, ...o }))),
    },
  );
  const clean = fc.uniqueArray(fc.constantFrom('*', ...names), { maxLength: 2 }).chain((ns) => fc.tuple(...ns.map(cleanPolicy)));
  if (mode === 'clean') return clean;
  const amounts = either(mode, fields({ cpu: cpu(mode), memory: size(mode, 32, 4096) }, 0.5), garbage,
    fc.constantFrom<unknown>({}, { ephemeralStorage: new Lazy('Size.gibibytes(1)', () => Size.gibibytes(1)) }, { gpu: 1 }));
  const dirtyPolicy = either(mode, fc.record({
    containerName: either(mode, fc.constantFrom('app', '*', 'exporter'), fc.constantFrom('init', 'nope', '', 'App'), garbage),
  }).chain((r) => fields({
    mode: either(mode, fc.constantFrom(...Object.values(ContainerScalingMode)), fc.constantFrom('auto', '')),
    minAllowed: amounts,
    maxAllowed: amounts,
    controlledResources: either(mode, fc.constantFrom([ControlledResource.CPU], [ControlledResource.MEMORY]), fc.constantFrom<unknown>([], ['gpu'], ['cpu', 'cpu'], 'cpu')),
    controlledValues: either(mode, fc.constantFrom(...Object.values(ControlledValues)), fc.constantFrom('requests', '')),
  }, 0.3).map((o) => ({ ...r, ...o }))), garbage, fc.constantFrom<unknown>({}, { containerName: 'app', minReplicas: 2 }));
  return either(mode, clean, list(dirtyPolicy, 3), garbage);
}

// ---------------------------------------------------------------------------------------------
// Controller

const { CONFIG_MAPS, PODS, DEPLOYMENTS, SERVICES, SECRETS, LEASES } = kplus.ApiResource;
const RESOURCES = [CONFIG_MAPS, PODS, DEPLOYMENTS, SERVICES, LEASES];
const RESOURCE_NAMES = new Map<unknown, string>([[CONFIG_MAPS, 'CONFIG_MAPS'], [PODS, 'PODS'], [DEPLOYMENTS, 'DEPLOYMENTS'], [SERVICES, 'SERVICES'],
  [SECRETS, 'SECRETS'], [LEASES, 'LEASES']]);

/** A list of ApiResource constants, printed by name. */
function resources(min: number, choices: kplus.IApiResource[] = RESOURCES): fc.Arbitrary<Lazy> {
  return fc.uniqueArray(fc.constantFrom(...choices), { minLength: min, maxLength: 2 })
    .map((rs) => new Lazy(`[${rs.map((r) => `ApiResource.${RESOURCE_NAMES.get(r)}`).join(', ')}]`, () => rs));
}

/** RBAC rules of a controller; some need a waiver, or a cluster scope. */
export function rbacRules(mode: Mode): fc.Arbitrary<unknown> {
  const good = fc.oneof(
    resources(1, [CONFIG_MAPS, SERVICES, LEASES]).map((rs) => new Lazy(`RbacRule.read(${rs.label})`, () => RbacRule.read(rs.make() as any))),
    fc.constant(new Lazy('RbacRule.allow({ verbs: [ApiVerb.LIST, ApiVerb.DELETE], resources: [ApiResource.PODS] })',
      () => RbacRule.allow({ verbs: [ApiVerb.LIST, ApiVerb.DELETE], resources: [PODS] }))),
    fc.constant(new Lazy('RbacRule.allow({ verbs: [ApiVerb.GET, ApiVerb.UPDATE], resources: [ApiResource.LEASES], resourceNames: ["leader"] })',
      () => RbacRule.allow({ verbs: [ApiVerb.GET, ApiVerb.UPDATE], resources: [LEASES], resourceNames: ['leader'] }))),
  );
  const needsMore = fc.constantFrom(
    new Lazy('RbacRule.read([ApiResource.SECRETS])', () => RbacRule.read([SECRETS])),
    new Lazy('RbacRule.readUrls(["/metrics"])', () => RbacRule.readUrls(['/metrics'])),
    new Lazy('RbacRule.write([ApiResource.PODS])', () => RbacRule.write([PODS])),
  );
  return either(mode, list(fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: needsMore }), 2),
    list(fc.oneof(good, needsMore, call('RbacRule.allow', RbacRule.allow, garbage), garbage), 2), garbage);
}

/** Waivers of a controller (the RBAC ones go to its role, the others to its pods). */
export function controllerWaivers(mode: Mode): fc.Arbitrary<unknown> {
  const rules = [PolicyRule.RBAC_SECRET_READ, PolicyRule.RBAC_POD_EXEC, PolicyRule.WRITABLE_ROOT_FILESYSTEM];
  return either(mode,
    fc.uniqueArray(fc.constantFrom(...rules), { minLength: 1, maxLength: 2 })
      .map((rs) => rs.map((r) => new Lazy(`Waiver.of(${JSON.stringify(r)}, "a reason")`, () => Waiver.of(r, 'a reason')))),
    list(call('Waiver.of', Waiver.of, fc.constantFrom<unknown>(...rules, PolicyRule.RBAC_WILDCARD, 'nope'), fc.constantFrom<unknown>('a reason', '')), 2),
    garbage);
}

/** The custom resources a controller manages: recipes made in the property (`crd`, `crd-cluster`, `unbuilt`), or garbage. */
export function manages(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode, fc.uniqueArray(fc.constantFrom('crd', 'crd-cluster'), { minLength: 1, maxLength: 2 }).map((rs) => rs.map((r) => ({ recipe: r }))),
    fc.array(fc.oneof(fc.constantFrom('crd', 'crd-cluster', 'unbuilt').map((r) => ({ recipe: r })), garbage), { maxLength: 2 }),
    garbage);
}

/** Makes the definitions of `manages` recipes in `chart`. */
export function makeDefinitions(chart: Chart, v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  return v.map((x, i) => {
    const recipe = (x as any)?.recipe;
    if (typeof recipe !== 'string' || Object.keys(x as object).length !== 1) return x;
    const spec = SchemaField.object({ configMap: SchemaField.string() }, { required: ['configMap'] });
    return new CustomResourceDefinition(chart, `crd${i}`, {
      group: 'k8spatterns.io',
      kind: recipe === 'unbuilt' ? 'bad kind' : `Watcher${i}`,
      scope: recipe === 'crd-cluster' ? CustomResourceScope.CLUSTER : CustomResourceScope.NAMESPACED,
      versions: [{ name: 'v1', spec, status: SchemaField.object({ restarts: SchemaField.integer({ minimum: 0 }) }) }],
    });
  });
}

export function controllerScope(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode, fc.constantFrom(...Object.values(ControllerScope)), fc.constantFrom('cluster', '', null), garbage);
}

export function apiProxy(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode,
    fc.record({ image: fc.constantFrom('registry.k8s.io/kubectl:v1.28.15') }).chain((r) => fields({ port: fc.constantFrom(8001, 8002, 9001) }, 0.3)
      .map((o) => ({ ...r, ...o }))),
    fc.constantFrom<unknown>({ image: 'kubectl' }, { image: 'registry.k8s.io/kubectl:v1.28.15', port: 0 }, { image: 'registry.k8s.io/kubectl:v1.28.15', port: 8080 },
      { image: 'registry.k8s.io/kubectl:v1.28.15', port: 70000 }, {}, { port: 8001 }),
    garbage);
}

export { resources as apiResources };

// ---------------------------------------------------------------------------------------------
// SchemaField: a model of a field, made into a SchemaField (and shown as the calls) in the property,
// and the values of a custom resource generated from it.

type Options = { [key: string]: unknown } | unknown;

/** A field of a custom resource's schema, as the test models it. */
export type FieldModel =
  | { t: 'string'; o: Options; good: string[] }
  | { t: 'integer' | 'number'; o: Options; lo: number; hi: number }
  | { t: 'boolean'; o: Options }
  | { t: 'intOrString'; o: Options }
  | { t: 'freeForm'; o: Options }
  | { t: 'object'; fields: Array<[string, FieldModel]>; o: Options }
  | { t: 'map'; values: FieldModel; o: Options }
  | { t: 'array'; items: FieldModel; o: Options; min: number; max: number }
  /** Not a SchemaField at all (a dirty run). */
  | { t: 'raw'; v: unknown };

/** Options with a description, sometimes. */
function described(mode: Mode, o: fc.Arbitrary<{ [key: string]: unknown }>): fc.Arbitrary<{ [key: string]: unknown }> {
  return fc.tuple(o, fields({ description: either(mode, fc.constantFrom('what the field means', UNICODE), fc.constantFrom('', LONG), garbage) }, 0.15))
    .map(([a, b]) => ({ ...a, ...b }));
}

/** Patterns JavaScript compiles and the API server (Go's RE2, Go 1.20) does not. */
export const JS_ONLY_PATTERNS = ['^(?!-)[a-z-]+$', '(?<=a)b', '^(a)\\1$', '^(?<word>[a-z]+)$', '^\\u00e9$', '^a{1001}$', '^\\Z', '^[^]$', '\\cA', '\\k<x>', '\\e'];
/** Patterns both compile. */
export const RE2_PATTERNS = ['^[a-z]+$', '^\\d{1,3}$', '^(a|b)*$', '^[^/]+/[^/]+$', '^\\w+@\\w+\\.com$', '^\\x41', '^a{1000}$', '\\.', '^\\s*$'];

/** A string field with a pattern RE2 takes, or one only JavaScript takes, (and a value that matches in JavaScript). */
export function patternField(): fc.Arbitrary<FieldModel> {
  return fc.constantFrom(...RE2_PATTERNS, ...JS_ONLY_PATTERNS).map((pattern) => ({ t: 'string' as const, o: { pattern }, good: ['a'] }));
}

function stringField(mode: Mode): fc.Arbitrary<FieldModel> {
  const profiles: Array<{ o: { [key: string]: unknown }; good: string[] }> = [
    { o: {}, good: ['', 'abc', UNICODE, 'two\nlines'] },
    { o: { enum: ['restart', 'annotate'] }, good: ['restart', 'annotate'] },
    { o: { pattern: '^/', maxLength: 64 }, good: ['/', '/a/b'] },
    { o: { pattern: '^[a-z][a-z0-9-]*$', minLength: 1, maxLength: 63 }, good: ['web', 'a-1'] },
    { o: { minLength: 2, maxLength: 5 }, good: ['ab', 'abcde'] },
    { o: { pattern: '^\\d+(\\.\\d+)?$' }, good: ['1', '1.5'] },
  ];
  const clean = fc.constantFrom(...profiles)
    .chain((p) => described(mode, fields({ default: fc.constantFrom(...p.good) }, 0.2).map((d) => ({ ...p.o, ...d })))
      .map((o) => ({ t: 'string' as const, o, good: p.good })));
  if (mode === 'clean') return clean;
  return either(mode, clean, fc.oneof(
    fc.constantFrom<unknown>(
      { enum: [] }, { enum: [1] }, { enum: ['a', 'a'] }, { enum: 'a' }, { pattern: '(' }, { pattern: 5 }, { minLength: -1 }, { minLength: 1.5 },
      { minLength: 5, maxLength: 2 }, { default: 'x', enum: ['a'] }, { default: 5 }, { default: 'abc', pattern: '^[0-9]+$' }, { maxLength: 2 ** 31 },
      { format: 'date-time' }, { nullable: true }, { description: 5 },
    ),
    fc.constantFrom(...JS_ONLY_PATTERNS).map((pattern) => ({ pattern })),
    fc.record({ enum: fc.array(garbage, { minLength: 1, maxLength: 2 }) }).chain((r) => fields({ default: fc.constantFrom('x', 5) }, 0.5).map((o) => ({ ...r, ...o }))),
    garbage,
  ).map((o) => ({ t: 'string' as const, o, good: ['a'] }))) as fc.Arbitrary<FieldModel>;
}

function numberField(mode: Mode, t: 'integer' | 'number'): fc.Arbitrary<FieldModel> {
  const bounds = t === 'integer'
    ? fc.tuple(fc.integer({ min: -10, max: 10 }), fc.integer({ min: 0, max: 100 }), fc.constantFrom(0, 2 ** 40))
      .map(([lo, w, big]) => [lo, lo + w + big])
    : fc.tuple(fc.constantFrom(-1.5, 0, 0.5, 3), fc.constantFrom(0, 1, 2.25, 100)).map(([lo, w]) => [lo, lo + w]);
  const clean = bounds.chain(([lo, hi]) => described(mode, fields({
    minimum: fc.constant(lo), maximum: fc.constant(hi), default: fc.constantFrom(lo, hi),
  }, 0.4)).map((o) => ({ t, o, lo, hi })));
  if (mode === 'clean') return clean;
  return either(mode, clean, fc.oneof(
    fc.constantFrom<unknown>(
      { minimum: 1.5 }, { minimum: NaN }, { maximum: Infinity }, { minimum: 5, maximum: 1 }, { default: 11, maximum: 10 }, { default: '1' },
      { minimum: 2 ** 53 }, { default: -1, minimum: 0 }, { multipleOf: 2 }, { exclusiveMinimum: true },
    ),
    garbage,
  ).map((o) => ({ t, o, lo: 0, hi: 1 }))) as fc.Arbitrary<FieldModel>;
}

const FIELD_NAMES = ['replicas', 'image', 'mode', 'paths', 'config', 'enabled', 'port', 'selector', 'name_2', '_x', 'maxSurge', 'max-surge'];
const BAD_FIELD_NAMES = ['1a', '', 'a b', UNICODE, 'a.b', 'a/b', '$ref'];

/** A field of a schema, up to `depth` levels of objects, maps and lists deep. */
export function fieldModel(mode: Mode, depth = 2): fc.Arbitrary<FieldModel> {
  const scalar: fc.Arbitrary<FieldModel> = fc.oneof(
    { weight: 3, arbitrary: stringField(mode) },
    { weight: 2, arbitrary: numberField(mode, 'integer') },
    { weight: 1, arbitrary: numberField(mode, 'number') },
    { weight: 1, arbitrary: described(mode, fields({ default: either(mode, fc.boolean(), fc.constantFrom('true', 1)) }, 0.2)).map((o) => ({ t: 'boolean' as const, o })) },
    { weight: 1, arbitrary: described(mode, fc.constant({})).map((o) => ({ t: 'intOrString' as const, o })) },
    { weight: 1, arbitrary: described(mode, fc.constant({})).map((o) => ({ t: 'freeForm' as const, o })) },
  );
  const withRaw = (arb: fc.Arbitrary<FieldModel>) => (mode === 'clean' ? arb
    : fc.oneof({ weight: 12, arbitrary: arb }, { weight: 1, arbitrary: garbage.map((v) => ({ t: 'raw' as const, v })) }));
  if (depth <= 0) return withRaw(scalar);
  const inner = fieldModel(mode, depth - 1);
  return withRaw(fc.oneof(
    { weight: 6, arbitrary: scalar },
    { weight: 2, arbitrary: objectModel(mode, depth - 1) },
    { weight: 1, arbitrary: described(mode, fc.constant({})).chain((o) => inner.map((values) => ({ t: 'map' as const, values, o }))) },
    {
      weight: 1,
      arbitrary: fc.tuple(inner, fc.integer({ min: 0, max: 1 }), fc.integer({ min: 2, max: 4 }))
        .chain(([items, min, max]) => described(mode, either(mode,
          fields({ minItems: fc.constant(min), maxItems: fc.constant(max) }, 0.4),
          fc.constantFrom<unknown>({ minItems: -1 }, { minItems: 3, maxItems: 1 }, { maxItems: 1.5 }, { uniqueItems: true }), garbage) as any)
          .map((o) => ({ t: 'array' as const, items, o, min, max }))),
    },
  ));
}

/** An object field: fields with unique names (some required); in a dirty run, bad names and requirements too. */
export function objectModel(mode: Mode, depth = 2, extra: Array<[string, FieldModel]> = []): fc.Arbitrary<FieldModel> {
  const names = either(mode, fc.constantFrom(...FIELD_NAMES), fc.constantFrom(...BAD_FIELD_NAMES)) as fc.Arbitrary<string>;
  return fc.uniqueArray(fc.tuple(names, depth <= 0 ? fieldModel(mode, 0) : fieldModel(mode, depth)), { maxLength: 4, selector: ([n]) => n })
    .map((fs) => [...fs.filter(([n]) => !extra.some(([e]) => e === n)), ...extra])
    .chain((fs) => described(mode, either(mode,
      fc.subarray(fs.map(([n]) => n)).map((required) => (required.length > 0 ? { required } : {})),
      fc.constantFrom<unknown>({ required: ['nope'] }, { required: 'replicas' }, { required: [1] }, { required: [] }, { additionalProperties: false }),
      garbage) as any).map((o) => ({ t: 'object' as const, fields: fs, o })));
}

/** The SchemaField of a model. */
export function schemaField(m: FieldModel): unknown {
  switch (m.t) {
    case 'string': return SchemaField.string(m.o as any);
    case 'integer': return SchemaField.integer(m.o as any);
    case 'number': return SchemaField.number(m.o as any);
    case 'boolean': return SchemaField.boolean(m.o as any);
    case 'intOrString': return SchemaField.intOrString(m.o as any);
    case 'freeForm': return SchemaField.freeForm(m.o as any);
    case 'object': return SchemaField.object(Object.fromEntries(m.fields.map(([n, f]) => [n, schemaField(f)])) as any, m.o as any);
    case 'map': return SchemaField.map(schemaField(m.values) as any, m.o as any);
    case 'array': return SchemaField.array(schemaField(m.items) as any, m.o as any);
    default: return m.v instanceof Lazy ? m.v.make() : m.v;
  }
}

/** The calls that make the SchemaField of a model (for counterexamples). */
export function showField(m: FieldModel): string {
  const opts = (o: Options) => (o !== null && typeof o === 'object' && !Array.isArray(o) && Object.keys(o).length === 0 ? '' : fc.stringify(o));
  const args = (...xs: string[]) => xs.filter((x) => x !== '').join(', ');
  switch (m.t) {
    case 'object': return `SchemaField.object({ ${m.fields.map(([n, f]) => `${JSON.stringify(n)}: ${showField(f)}`).join(', ')} }${opts(m.o) ? `, ${opts(m.o)}` : ''})`;
    case 'map': return `SchemaField.map(${args(showField(m.values), opts(m.o))})`;
    case 'array': return `SchemaField.array(${args(showField(m.items), opts(m.o))})`;
    case 'raw': return fc.stringify(m.v);
    default: return `SchemaField.${m.t}(${opts(m.o)})`;
  }
}

/** A SchemaField recipe of a model, made in the property. */
export function fieldRecipe(m: FieldModel): Lazy {
  return new Lazy(showField(m), () => schemaField(m));
}

const isMap = (o: unknown): o is { [key: string]: unknown } => o !== null && typeof o === 'object' && !Array.isArray(o);

/** Objects that are not JSON: what a free-form field holds unchecked. */
const NOT_JSON = [
  new Lazy('{ n: 10n }', () => ({ n: BigInt(10) })),
  new Lazy('(o = { a: 1 }, o.self = o)', () => {
    const o: { [key: string]: unknown } = { a: 1 };
    o.self = o;
    return o;
  }),
  { n: NaN }, { n: Infinity }, { s: Symbol('s') },
];

/** Values of a model's field: valid ones in a clean run (as far as the model knows); in a dirty one, broken ones too. */
export function valueOf(m: FieldModel, mode: Mode): fc.Arbitrary<unknown> {
  const o = m.t !== 'raw' && isMap(m.o) ? m.o : {};
  let good: fc.Arbitrary<unknown>;
  let bad: fc.Arbitrary<unknown> = garbage;
  switch (m.t) {
    case 'string': good = fc.constantFrom(...m.good); bad = fc.oneof(garbage, fc.constantFrom('x'.repeat(100), 'Nope', '')); break;
    case 'integer': good = fc.integer({ min: Math.max(m.lo, Number.MIN_SAFE_INTEGER), max: Math.min(m.hi, Number.MAX_SAFE_INTEGER) }); bad = badNumber; break;
    case 'number': good = fc.constantFrom(m.lo, m.hi, (m.lo + m.hi) / 2); bad = fc.oneof(badNumber, fc.constantFrom(m.hi + 1, m.lo - 0.5)); break;
    case 'boolean': good = fc.boolean(); bad = fc.constantFrom('true', 0, null); break;
    case 'intOrString': good = fc.constantFrom(8080, 'http', '25%'); bad = fc.constantFrom(1.5, null, true, {}, NaN); break;
    case 'freeForm': good = fc.constantFrom({}, { a: 1, b: { c: 'x' } }, { list: [1, 'a'] }); bad = fc.constantFrom<unknown>('x', [], null, 5, ...NOT_JSON); break;
    case 'object': {
      const required = Array.isArray(o.required) ? o.required : [];
      good = fc.tuple(...m.fields.map(([n, f]) => (required.includes(n) ? valueOf(f, mode).map((v) => [n, v] as const)
        : fc.option(valueOf(f, mode), { freq: 2, nil: undefined }).map((v) => [n, v] as const))))
        .map((kvs) => Object.fromEntries(kvs.filter(([, v]) => v !== undefined)));
      if (mode === 'dirty') {
        good = fc.tuple(good as fc.Arbitrary<{ [key: string]: unknown }>, fc.oneof({ weight: 6, arbitrary: fc.constant({}) },
          { weight: 1, arbitrary: fc.constantFrom<{ [key: string]: unknown }>({ extra: 1 }, { [UNICODE]: 'x' }) }))
          .chain(([v, x]) => (required.length > 0 ? fc.boolean() : fc.constant(false)).map((drop) => {
            const out: { [key: string]: unknown } = { ...v, ...x };
            if (drop) delete out[required[0] as string];
            return out;
          }));
      }
      bad = fc.constantFrom<unknown>('x', [], null, 5);
      break;
    }
    case 'map': good = fc.dictionary(fc.constantFrom('a', 'b', 'x.y', UNICODE), valueOf(m.values, mode), { maxKeys: 2 }); bad = fc.constantFrom<unknown>([], 'a=b'); break;
    case 'array': good = fc.array(valueOf(m.items, mode), { minLength: m.min, maxLength: m.max }); bad = fc.constantFrom<unknown>({}, 'a', [null]); break;
    default: good = garbage;
  }
  return either(mode, good, bad);
}

// ---------------------------------------------------------------------------------------------
// CustomResourceDefinition

/** The models of one version: spec, status, and whether the scale subresource has its fields. */
export interface VersionModel {
  readonly name: unknown;
  readonly spec: FieldModel;
  readonly status?: FieldModel;
  readonly options: { [key: string]: unknown };
}

const REPLICAS: FieldModel = { t: 'integer', o: { minimum: 0 }, lo: 0, hi: 10 };
const SELECTOR: FieldModel = { t: 'string', o: {}, good: ['app=web'] };

/** Printer columns for the scalar fields of a spec, as `kubectl get` shows them; in a dirty run, bad ones too. */
function printerColumns(mode: Mode, spec: FieldModel): fc.Arbitrary<unknown> {
  const types: { [t: string]: PrinterColumnType } = {
    string: PrinterColumnType.STRING, integer: PrinterColumnType.INTEGER, number: PrinterColumnType.NUMBER, boolean: PrinterColumnType.BOOLEAN,
  };
  const scalars = spec.t === 'object' ? spec.fields.filter(([, f]) => types[f.t] !== undefined) : [];
  const good = fc.oneof(
    fc.constant({ name: 'Age', type: PrinterColumnType.DATE, jsonPath: '.metadata.creationTimestamp' }),
    ...scalars.map(([n, f]) => fc.record({ name: fc.constantFrom(n.toUpperCase(), 'Value'), type: fc.constant(types[f.t]), jsonPath: fc.constant(`.spec.${n}`) })
      .chain((r) => fields({ description: fc.constant('what it shows'), priority: fc.constantFrom(0, 1) }, 0.3).map((x) => ({ ...r, ...x })))),
  );
  const bad = fc.constantFrom<unknown>(
    { name: 'X', type: PrinterColumnType.STRING, jsonPath: '.spec.nope' }, { name: 'X', type: PrinterColumnType.STRING, jsonPath: 'spec.x' },
    { name: '', type: PrinterColumnType.STRING, jsonPath: '.metadata.name' }, { name: 'X', type: 'text', jsonPath: '.metadata.name' },
    { name: 'X', type: PrinterColumnType.STRING, jsonPath: '.metadata.name', priority: -1 }, { name: 'X', type: PrinterColumnType.INTEGER, jsonPath: '.metadata.name' },
    { name: 'X', type: PrinterColumnType.STRING, jsonPath: '.spec.items[0]' }, null, { name: 'X', jsonPath: '.metadata.name', format: 'int32', type: 'string' },
  );
  return either(mode, fc.array(good, { maxLength: 2 }), fc.array(fc.oneof(good, bad), { minLength: 1, maxLength: 2 }), garbage);
}

/** A version of a definition, with its storage flag (`storageFlag`; left out when it gives undefined). */
export function versionModel(mode: Mode, name: fc.Arbitrary<unknown>, storageFlag: fc.Arbitrary<unknown>): fc.Arbitrary<VersionModel> {
  return fc.tuple(name, fc.constantFrom('none', 'status', 'status', 'scale'), storageFlag).chain(([n, sub, storage]) => {
    const specModel = either(mode, objectModel(mode, 1, sub === 'scale' ? [['replicas', REPLICAS]] : []),
      fieldModel(mode, 1), fc.constant<FieldModel>({ t: 'raw', v: undefined })) as fc.Arbitrary<FieldModel>;
    const statusModel = sub === 'none' ? fc.constant(undefined)
      : either(mode, objectModel(mode, 0, sub === 'scale' ? [['replicas', REPLICAS], ['selector', SELECTOR]] : []), fieldModel(mode, 0)) as fc.Arbitrary<FieldModel>;
    return fc.tuple(specModel, statusModel).chain(([spec, status]) => fields({
      ...(mode === 'clean' ? {} : { served: either(mode, fc.boolean(), fc.constantFrom('true', 1)), deprecated: either(mode, fc.boolean(), fc.constantFrom('yes')) }),
      ...(mode === 'clean' ? { deprecated: fc.boolean() } : {}),
      printerColumns: printerColumns(mode, spec),
      ...(sub === 'scale' ? {
        scale: either(mode, fc.record({
          specReplicasPath: fc.constant('.spec.replicas'), statusReplicasPath: fc.constant('.status.replicas'),
        }).chain((r) => fields({ labelSelectorPath: fc.constant('.status.selector') }, 0.5).map((o) => ({ ...r, ...o }))),
        fc.constantFrom<unknown>({ specReplicasPath: '.status.replicas', statusReplicasPath: '.status.replicas' }, { specReplicasPath: '.spec.replicas' },
          { specReplicasPath: '.spec.nope', statusReplicasPath: '.status.replicas' }, { specReplicasPath: 'spec.replicas', statusReplicasPath: '.status.replicas' },
          { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.replicas' }, {}, null), garbage),
      } : {}),
    }, sub === 'scale' ? 0.6 : 0.25).map((options) => ({
      name: n,
      spec,
      ...(status ? { status } : {}),
      options: { ...options, ...(storage !== undefined ? { storage } : {}) },
    })));
  });
}

/** A version recipe of a model, made in the property. */
export function versionRecipe(v: VersionModel): unknown {
  return {
    name: v.name,
    spec: v.spec.t === 'raw' && v.spec.v === undefined ? undefined : fieldRecipe(v.spec),
    ...(v.status ? { status: fieldRecipe(v.status) } : {}),
    ...v.options,
  };
}

export const VERSION_NAMES = ['v1', 'v1beta1', 'v2', 'v1alpha1', 'v2beta3'];

/** The versions of a definition: one (most often) or two with unique names and one storage version; in a dirty run, anything. */
export function versionModels(mode: Mode): fc.Arbitrary<{ models?: VersionModel[]; raw?: unknown }> {
  const versionName = either(mode, fc.constantFrom(...VERSION_NAMES), fc.constantFrom('V1', '1', 'v0', 'version1', 'v1beta', 'v1-beta1', '', LONG), garbage);
  const storage = (flag: boolean) => either(mode, fc.constant(flag), fc.constantFrom(undefined, !flag, 'true'));
  const one = versionModel(mode, versionName, either(mode, fc.constant(undefined), fc.constantFrom(true, false))).map((v) => [v]);
  const two = fc.uniqueArray(fc.constantFrom(...VERSION_NAMES), { minLength: 2, maxLength: 2 }).chain(([a, b]) => fc.tuple(
    versionModel(mode, mode === 'clean' ? fc.constant(a) : either(mode, fc.constant(a), versionName), storage(true)),
    versionModel(mode, mode === 'clean' ? fc.constant(b) : either(mode, fc.constant(b), versionName), storage(false)),
  ));
  const models = fc.oneof({ weight: 3, arbitrary: one }, { weight: 1, arbitrary: two }).map((ms) => ({ models: ms }));
  return mode === 'clean' ? models
    : fc.oneof({ weight: 6, arbitrary: models }, { weight: 1, arbitrary: fc.oneof(garbage, fc.constant([])).map((raw) => ({ raw })) });
}

/** Props of a CustomResourceDefinition, `versions` apart. */
export function definitionProps(mode: Mode): fc.Arbitrary<{ [key: string]: unknown }> {
  const label = (good: string[]) => either(mode, fc.constantFrom(...good),
    fc.constantFrom('1abc', 'a_b', 'UPPER', 'x'.repeat(64), '-a', '', UNICODE, 'a.b'), garbage);
  return fc.tuple(fc.record({
    group: either(mode, fc.constantFrom('k8spatterns.io', 'example.com', 'apps.acme.dev'),
      fc.constantFrom('nodot', 'UPPER.io', '', 'a..b', 'custom.k8s.io', 'k8s.io', 'x.kubernetes.io', LONG + '.io', 'a_b.io'), garbage),
    kind: either(mode, fc.constantFrom('ConfigWatcher', 'Backup', 'Policy', 'Mesh', 'Box', 'Database', 'Widget2'),
      fc.constantFrom('lower', '', `A${'x'.repeat(58)}`, `A${'x'.repeat(59)}`, `A${'x'.repeat(62)}`, 'Config Watcher', 'Config-Watcher', UNICODE, '9Lives'), garbage),
  }), fields({
    plural: label(['watchers', 'databases']),
    singular: label(['watcher', 'database']),
    shortNames: either(mode, fc.constantFrom(['cw'], ['w', 'wa']), fc.constantFrom<unknown>(['1x'], ['a', 'a'], [''], [5], 'cw', ['x-'])),
    categories: either(mode, fc.constantFrom(['all'], ['patterns']), fc.constantFrom<unknown>(['All'], ['9'], [null], 'all')),
    scope: either(mode, fc.constantFrom(...Object.values(CustomResourceScope)), fc.constantFrom('namespaced', '', null), garbage),
  }, mode === 'clean' ? 0.15 : 0.3)).map(([a, b]) => ({ ...a, ...b }));
}
