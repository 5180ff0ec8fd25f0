/**
 * Arbitraries for the property-based robustness tests of the multi-node constructs: WorkQueue
 * (with its KEDA `scaling`), ScatterGather and `SingletonLocking.electionSidecar()`. As in
 * `arbitraries.ts`: a clean run generates valid-looking values, a dirty run mixes in garbage; the
 * other workload of a pattern (the queue, the leaves) and the charts are generated as recipes and
 * made inside the property. Besides: consistent props (which must synthesise), the mistakes a run
 * plants in them (each of which the one error must list), and `distributedErrors`, what the
 * manifests of these patterns must say of each other when they are accepted.
 */
import { ApiObject, Chart, Duration, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { trigger as kedaTrigger, TriggerKind } from './advanced-arbitraries';
import {
  badNumber, badString, bool, call, demands, duration, either, enumOf, fields, garbage, health, image, int, Lazy, lifecycle, list, LONG, made, Mode,
  network, port, portName, stringList, UNICODE,
} from './arbitraries';
import {
  BatchJob, CompletionMode, DaemonService, EnvFrom, EnvVariable, EventDrivenAutoscaler, GangScheduling, HealthCheck, HealthProbe,
  HorizontalAutoscaler, JobScalingStrategy, NetworkPeer, PeriodicJob, PodField, PodManagementPolicy, PodVolume, ScaleTrigger, SingletonLocking,
  SingletonService, StatefulService, StatelessService, VerticalAutoscaler,
} from '../../../src';
import { Manifest } from '../../helpers/synth';

export const WORKER_IMAGE = 'ghcr.io/acme/thumbnailer:2.3.0';
export const ROOT_IMAGE = 'ghcr.io/acme/search-root:2.3.0';
export const SHARD_IMAGE = 'ghcr.io/acme/search-shard:2.3.0';
export const APP_IMAGE = 'ghcr.io/acme/scheduler:2.0.1';
export const ELECTOR_IMAGE = 'ghcr.io/acme/elector:0.4.1';
export const TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const CALLERS = { allowFrom: [{ peer: new Lazy('NetworkPeer.namespace("clients")', () => NetworkPeer.namespace('clients')) }] };

/** A copy of `o` with `patch` merged in (keys whose value is undefined are removed). */
export function merged<T extends object>(o: T, patch: { [key: string]: unknown }): T {
  const out: { [key: string]: unknown } = { ...o, ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete out[k];
  return out as T;
}

const isMap = (o: unknown): o is { [key: string]: unknown } => o !== null && typeof o === 'object' && !Array.isArray(o);

/** A misspelt prop, in a dirty run. */
export function typo(mode: Mode, key: string): fc.Arbitrary<{ [key: string]: unknown }> {
  return fields({ [key]: garbage }, mode === 'dirty' ? 0.05 : 0);
}

/** Whole props that are not an object at all (a JavaScript caller's mistake). */
export const notAnObject = fc.constantFrom<unknown>(undefined, null, 5, 'api', [], [{ image: 'x:1' }]);

/** Mostly `props`, sometimes no object at all. */
export function propsOrNot<T>(props: fc.Arbitrary<T>): fc.Arbitrary<T | unknown> {
  return fc.oneof({ weight: 40, arbitrary: props }, { weight: 1, arbitrary: notAnObject });
}

// ---------------------------------------------------------------------------------------------
// Charts: the construct's, and the other workload's (the same chart, or one of its own)

/** Where the two sides of a pattern live: the construct in chart `main`, the other workload in `main` or in `other`. */
export interface Layout {
  /** The namespace of `main`, if any. */
  readonly mine?: string;
  /** Whether the other workload is in a chart of its own (`other`). */
  readonly apart: boolean;
  /** The namespace of `other`, if any. */
  readonly theirs?: string;
}

/** A layout: in a clean run both charts have a namespace or neither has; in a dirty one, anything. */
export function layout(mode: Mode, mine: string, theirs: string): fc.Arbitrary<Layout> {
  const consistent = fc.constantFrom<Layout>(
    { mine, apart: false }, { mine, apart: false }, { apart: false }, { mine, apart: true, theirs }, { mine, apart: true, theirs: mine },
    { apart: true },
  );
  return mode === 'clean' ? consistent
    : fc.oneof({ weight: 3, arbitrary: consistent },
      { weight: 1, arbitrary: fc.constantFrom<Layout>({ mine, apart: true }, { apart: true, theirs }) });
}

/** The charts of `l` in the app of `chart`. */
export function chartsOf(chart: Chart, l: Layout): { mine: Chart; theirs: Chart } {
  const app = chart.node.root as Construct;
  const mine = new Chart(app, 'main', l.mine ? { namespace: l.mine } : {});
  const theirs = l.apart ? new Chart(app, 'other', l.theirs ? { namespace: l.theirs } : {}) : mine;
  return { mine, theirs };
}

/** Whether the other workload's chart has a namespace. */
export const theirNamespace = (l: Layout): string | undefined => (l.apart ? l.theirs : l.mine);

// ---------------------------------------------------------------------------------------------
// WorkQueue

/** The queue a WorkQueue is given. */
export type QueueKind =
  | 'redis' | 'redis-headless' | 'redis-replicas' | 'broker' | 'broker-service-port' | 'singleton' | 'portless' | 'daemon' | 'periodic' | 'batch'
  | 'unbuilt' | 'missing' | 'garbage';

/** The queues a WorkQueue can take items from (with a Service, long-running, built). */
export const GOOD_QUEUES: QueueKind[] = ['redis', 'redis-headless', 'redis-replicas', 'broker', 'broker-service-port', 'singleton'];

/** A recipe of the queue: its kind, and the value of `garbage`. */
export interface QueueRecipe {
  readonly kind: QueueKind;
  readonly arg?: unknown;
}

export function queueRecipe(mode: Mode): fc.Arbitrary<QueueRecipe> {
  const good = fc.constantFrom(...GOOD_QUEUES).map((kind) => ({ kind }));
  if (mode === 'clean') return fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: fc.constantFrom<QueueRecipe>({ kind: 'portless' }, { kind: 'periodic' }) });
  return fc.oneof(
    { weight: 4, arbitrary: good },
    { weight: 2, arbitrary: fc.constantFrom<QueueKind>('portless', 'daemon', 'periodic', 'batch', 'unbuilt', 'missing').map((kind) => ({ kind })) },
    { weight: 1, arbitrary: garbage.map((arg) => ({ kind: 'garbage' as const, arg })) },
  );
}

/** Makes the queue of `r` in `chart`; returns it, or the garbage given instead. */
export function makeQueue(chart: Chart, r: QueueRecipe): unknown {
  const redis = (props: { [key: string]: unknown } = {}) => new StatefulService(chart, 'queue', { image: 'redis:7.2.4', port: 6379, replicas: 1, ...props });
  switch (r.kind) {
    case 'redis': return redis();
    case 'redis-headless': return redis({ clientService: false });
    case 'redis-replicas': return redis({ replicas: 3, podManagementPolicy: PodManagementPolicy.PARALLEL });
    case 'broker': return new StatelessService(chart, 'broker', { image: 'ghcr.io/acme/broker:1.0.0', port: 5672 });
    case 'broker-service-port': return new StatelessService(chart, 'broker', { image: 'ghcr.io/acme/broker:1.0.0', port: 8080, servicePort: 80 });
    case 'singleton': return new SingletonService(chart, 'queue', { image: 'redis:7.2.4', port: 6379, locking: SingletonLocking.outOfApplication() });
    case 'portless': return new StatelessService(chart, 'broker', { image: 'ghcr.io/acme/broker:1.0.0' });
    case 'daemon': return new DaemonService(chart, 'agent', { image: 'ghcr.io/acme/agent:1.0.0', port: 6379 });
    case 'periodic': return new PeriodicJob(chart, 'nightly', { image: WORKER_IMAGE, schedule: '0 3 * * *', timeZone: 'Etc/UTC' });
    case 'batch': return new BatchJob(chart, 'seed', { image: WORKER_IMAGE });
    case 'unbuilt': return redis({ image: 'redis' }); // not pinned: not built, its problems listed at synth
    case 'missing': return undefined;
    default: return r.arg instanceof Lazy ? r.arg.make() : r.arg;
  }
}

/** The variables a WorkQueue sets. */
export const QUEUE_ENV = ['QUEUE_HOST', 'QUEUE_PORT', 'QUEUE_ADDRESS', 'QUEUE_NAME'];

/** An env map of `good` names; in a dirty run `clash` names too, and garbage. */
export function envMap(mode: Mode, good: string[], clash: string[]): fc.Arbitrary<unknown> {
  const values = fc.constantFrom('v', '', '64,256', 'redis.cache:6379', UNICODE);
  return either(mode,
    fc.dictionary(fc.constantFrom(...good), values, { maxKeys: 2 }),
    fc.dictionary(fc.constantFrom(...good, ...clash), values, { minKeys: 1, maxKeys: 2 }),
    fc.constantFrom<unknown>({ k: 5 }, { 'bad key': 'v' }, ['a'], 'A=B'),
    garbage);
}

/** A ConfigMap for `envFrom` whose keys are known: a `ConfigResource`-like reference (an `IConfigMapReference`). */
function knownConfigMap(keys: string[]): fc.Arbitrary<{ configMapName: string; knownKeys: string[] }> {
  return fc.subarray(keys).map((knownKeys) => ({ configMapName: 'settings', knownKeys }));
}

export function workQueueEnvFrom(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode,
    list(fc.oneof(
      call('EnvFrom.configMap', EnvFrom.configMap, knownConfigMap(['LOG_LEVEL', 'SIZES'])),
      call('EnvFrom.configMap', EnvFrom.configMap, made('ConfigMapReference.fromName("settings")', () => ({ configMapName: 'settings' }))),
    ), 1),
    list(call('EnvFrom.configMap', EnvFrom.configMap, knownConfigMap(['QUEUE_HOST', 'QUEUE_PORT', 'LOG_LEVEL']),
      fields({ prefix: fc.constantFrom('QUEUE_', 'APP_') })), 1),
    garbage);
}

/** A variable name a trigger reads from the workers' container. */
function triggerEnv(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode,
    fc.oneof({ weight: 6, arbitrary: fc.constant('QUEUE_ADDRESS') }, { weight: 1, arbitrary: fc.constantFrom('QUEUE_NAME', 'REDIS_ADDRESS') }),
    fc.constantFrom('MISSING', 'QUEUE_HOST', 'QUEUE_PORT', '1X', 'a-b', '', LONG),
    garbage);
}

/** ScaleTrigger.redisList(), reading the address from the workers' environment or given one. */
function redisList(mode: Mode): fc.Arbitrary<unknown> {
  const where = mode === 'clean'
    ? fc.oneof({ weight: 3, arbitrary: fc.record({ addressFromEnv: triggerEnv(mode) }) },
      { weight: 1, arbitrary: fc.record({ address: fc.constantFrom('queue.media.svc.cluster.local:6379', 'redis:6379', '[::1]:6379') }) })
    : fields({
      address: either(mode, fc.constantFrom('redis:6379'), fc.constantFrom('redis://u:p@r:6379', 'r', 'r:', ':6379', ''), garbage),
      addressFromEnv: triggerEnv(mode),
    }, 0.6);
  return call('ScaleTrigger.redisList', ScaleTrigger.redisList, either(mode, fc.tuple(
    fc.record({
      listName: either(mode, fc.constantFrom('thumbnails:pending', 'jobs'), fc.constantFrom('', ' '), garbage),
      listLength: either(mode, fc.integer({ min: 1, max: 100 }), badNumber, fc.constantFrom(0, 2.5)),
    }),
    where,
    fields({
      activationListLength: int(mode, 0, 10),
      databaseIndex: int(mode, 0, 15),
      enableTls: bool(mode),
      authenticationRef: either(mode, fc.constant({ name: 'redis-auth' }), fc.constantFrom<unknown>({ name: 'Bad Name' }, {}, 'redis-auth'), garbage),
    }, 0.15),
    typo(mode, 'listname'),
  ).map(([a, b, c, d]) => ({ ...a, ...b, ...c, ...d })), garbage));
}

/** A trigger of a ScaledJob: mostly a Redis list; other event triggers; in a dirty run, cpu, memory and garbage. */
export function jobTrigger(mode: Mode): fc.Arbitrary<unknown> {
  const other = fc.constantFrom<TriggerKind>('prometheus', 'kafka', 'cron', 'rabbitmq', 'custom').chain((k) => kedaTrigger(k, mode, fc.integer({ min: 1, max: 5 })))
    .map((t) => t.trigger);
  const customRedis = call('ScaleTrigger.custom', ScaleTrigger.custom, fc.constant('redis'),
    fc.record({ addressFromEnv: triggerEnv(mode), listName: fc.constant('jobs'), listLength: fc.constantFrom('5', '50') }));
  return either(mode,
    fc.oneof({ weight: 6, arbitrary: redisList(mode) }, { weight: 1, arbitrary: customRedis }, { weight: 1, arbitrary: other }),
    call('ScaleTrigger.cpu', ScaleTrigger.cpu, fc.constantFrom(50, 70)),
    call('ScaleTrigger.memory', ScaleTrigger.memory, fc.constantFrom(80)),
    garbage);
}

/** `scaling` of a WorkQueue. */
export function workQueueScaling(mode: Mode): fc.Arbitrary<unknown> {
  const triggers = mode === 'clean'
    ? fc.array(jobTrigger(mode), { minLength: 1, maxLength: 2 })
    : either(mode, fc.array(jobTrigger(mode), { minLength: 1, maxLength: 3 }), fc.constant([]), garbage);
  return either(mode, fc.tuple(
    mode === 'clean' ? fc.record({ maxJobs: fc.integer({ min: 1, max: 10 }) })
      : fields({ maxJobs: either(mode, fc.integer({ min: 1, max: 10 }), badNumber, fc.constantFrom(0)) }, 0.9),
    fc.record({ triggers }),
    fields({
      pollingInterval: duration(mode, 1, 120),
      strategy: enumOf(mode, Object.values(JobScalingStrategy)),
      kedaNamespace: either(mode, fc.constantFrom('keda', 'autoscaling'), badString),
    }, 0.3),
    typo(mode, 'maxJob'),
  ).map(([a, b, c, d]) => ({ ...a, ...b, ...c, ...d })), garbage);
}

/** A generated WorkQueue: where it and its queue are, the queue, and the props (without `queue`). */
export interface WorkQueueRun {
  readonly layout: Layout;
  readonly queue: QueueRecipe;
  readonly props: unknown;
}

export function workQueueRun(mode: Mode): fc.Arbitrary<WorkQueueRun> {
  const props = fc.tuple(
    fc.record({ image: image(mode) }),
    fields({
      queueName: either(mode, fc.constantFrom('thumbnails:pending', 'jobs'), fc.constantFrom('', ' '), garbage),
      parallelism: int(mode, 1, 10),
    }, 0.5),
    fields({
      name: either(mode, fc.constantFrom('thumbnails', 'resize'), fc.constantFrom('queue', 'broker'), badString),
      env: envMap(mode, ['LOG_LEVEL', 'SIZES', 'REDIS_ADDRESS', 'AMQP_URL'], QUEUE_ENV),
      envVariables: either(mode,
        list(fc.oneof(
          call('EnvVariable.literal', EnvVariable.literal, fc.constantFrom('BATCH_SIZE'), fc.constantFrom('10', '$(QUEUE_ADDRESS)')),
          call('EnvVariable.fromPodField', EnvVariable.fromPodField, fc.constantFrom('WORKER_ID'), fc.constant(PodField.NAME)),
        ), 2),
        list(call('EnvVariable.literal', EnvVariable.literal, fc.constantFrom(...QUEUE_ENV, 'LOG_LEVEL'), fc.constantFrom('x')), 2),
        garbage),
      envFrom: workQueueEnvFrom(mode),
      backoffLimit: int(mode, 0, 10),
      ttlAfterFinished: duration(mode, 0, 3600),
      activeDeadline: duration(mode, 60, 3600),
      demands: demands(mode),
      labels: either(mode, fc.constant({ team: 'media' }), garbage),
      network: network(mode, false),
      workQueue: either(mode, fc.constant(true), fc.constantFrom(false, 'true', 1)),
      ...(mode === 'dirty' ? {
        completions: int(mode, 1, 10),
        completionMode: enumOf(mode, Object.values(CompletionMode)),
        suspend: bool(mode),
        generateName: bool(mode),
        gangScheduling: either(mode, call('GangScheduling.kueue', GangScheduling.kueue, fc.constant({ queueName: 'batch' })), garbage),
      } : {}),
    }, 0.15),
    fields({ scaling: workQueueScaling(mode) }, 0.5),
    typo(mode, 'queueNme'),
  ).map(([a, b, c, d, e]) => ({ ...a, ...b, ...c, ...d, ...e }));
  return fc.record({ layout: layout(mode, 'media', 'infra'), queue: queueRecipe(mode), props: propsOrNot(props) });
}

// ---------------------------------------------------------------------------------------------
// ScatterGather

/** The leaves a ScatterGather is given, and what happens to them besides. */
export type LeavesKind = 'stateful' | 'hpa-before' | 'hpa-after' | 'keda-after' | 'vpa' | 'patched' | 'stateless' | 'unbuilt' | 'missing' | 'garbage';

export interface LeavesRecipe {
  readonly kind: LeavesKind;
  /** Props of the StatefulService (image and name aside); the value of `garbage`. */
  readonly props?: { [key: string]: unknown };
  readonly arg?: unknown;
}

export function leavesProps(mode: Mode): fc.Arbitrary<{ [key: string]: unknown }> {
  return fc.tuple(
    mode === 'clean' ? fc.oneof({ weight: 9, arbitrary: fc.record({ port: fc.constantFrom(9200, 7000) }) }, { weight: 1, arbitrary: fc.constant({}) })
      : fields({ port: port(mode) }, 0.8),
    fields({
      replicas: either(mode, fc.integer({ min: 1, max: 5 }), fc.constantFrom(0, -1, 1.5, NaN, 2 ** 31), badNumber),
      podManagementPolicy: enumOf(mode, [PodManagementPolicy.PARALLEL, PodManagementPolicy.ORDERED_READY]),
      clientService: bool(mode),
      publishNotReadyAddresses: bool(mode),
      name: either(mode, fc.constantFrom('shard', 'index-shard'), fc.constantFrom('search')),
      ...(mode === 'dirty' ? { autoscaled: bool(mode) } : {}),
    }, 0.4),
  ).map(([a, b]) => ({ ...a, ...b }));
}

export function leavesRecipe(mode: Mode): fc.Arbitrary<LeavesRecipe> {
  const kinds: Array<[LeavesKind, number]> = mode === 'clean'
    ? [['stateful', 12], ['vpa', 1], ['hpa-after', 1]]
    : [['stateful', 8], ['vpa', 1], ['hpa-before', 1], ['hpa-after', 1], ['keda-after', 1], ['patched', 1], ['stateless', 1], ['unbuilt', 1], ['missing', 1]];
  return fc.oneof(
    {
      weight: 20,
      arbitrary: fc.oneof(...kinds.map(([k, weight]) => ({ weight, arbitrary: fc.constant(k) })))
        .chain((kind) => leavesProps(mode).map((props) => ({ kind, props }))),
    },
    { weight: mode === 'dirty' ? 1 : 0, arbitrary: garbage.map((arg) => ({ kind: 'garbage' as const, arg })) },
  );
}

/** Makes the leaves of `r` in `chart` (and an autoscaler before); returns them and what to do after the ScatterGather. */
export function makeLeaves(chart: Chart, r: LeavesRecipe): { leaves: unknown; after: () => void } {
  const nothing = () => undefined;
  const props = { image: SHARD_IMAGE, ...(r.props ?? {}) } as { [key: string]: unknown };
  // The construct id is fixed (`name` may be the ScatterGather's id, `search`, whose objects the root's would then collide with).
  const id = 'shard';
  const stateful = (over: { [key: string]: unknown } = {}) => new StatefulService(chart, id, merged(props, over) as any);
  switch (r.kind) {
    case 'stateful': return { leaves: stateful(), after: nothing };
    case 'vpa': {
      const leaves = stateful();
      return { leaves, after: () => new VerticalAutoscaler(chart, 'shard-sizer', { workload: leaves }) };
    }
    case 'hpa-before': {
      const leaves = stateful({ replicas: undefined });
      new HorizontalAutoscaler(chart, 'shard-scaler', { workload: leaves, maxReplicas: 8 });
      return { leaves, after: nothing };
    }
    case 'hpa-after': {
      const leaves = stateful({ replicas: undefined });
      return { leaves, after: () => new HorizontalAutoscaler(chart, 'shard-scaler', { workload: leaves, maxReplicas: 8 }) };
    }
    case 'keda-after': {
      const leaves = stateful({ replicas: undefined });
      return {
        leaves,
        after: () => new EventDrivenAutoscaler(chart, 'shard-scaler', {
          workload: leaves,
          minReplicas: 2,
          maxReplicas: 8,
          triggers: [ScaleTrigger.cron({ timezone: 'Europe/Berlin', start: '0 8 * * 1-5', end: '0 18 * * 1-5', desiredReplicas: 6 })],
        }),
      };
    }
    case 'patched': {
      const leaves = stateful();
      return { leaves, after: () => ApiObject.of(leaves.statefulSet).addJsonPatch(JsonPatch.replace('/spec/replicas', 7)) };
    }
    case 'stateless': return { leaves: new StatelessService(chart, id, { image: SHARD_IMAGE, port: 9200 }), after: nothing };
    case 'unbuilt': return { leaves: stateful({ image: 'ghcr.io/acme/search-shard' }), after: nothing };
    case 'missing': return { leaves: undefined, after: nothing };
    default: return { leaves: r.arg instanceof Lazy ? r.arg.make() : r.arg, after: nothing };
  }
}

export const LEAF_ENV = ['LEAF_ADDRESSES', 'LEAF_COUNT', 'LEAVES_SERVICE', 'LEAF_PORT'];

function rootProps(mode: Mode): fc.Arbitrary<unknown> {
  const props = fc.tuple(
    fc.record({ image: image(mode) }),
    mode === 'clean' ? fc.record({ port: fc.constantFrom(8080, 8443), network: fc.constant(CALLERS) })
      : fields({ port: port(mode), network: either(mode, fc.constant(CALLERS), network(mode, true)) }, 0.85),
    fields({
      name: either(mode, fc.constantFrom('search', 'search-root'), fc.constantFrom('shard'), badString),
      replicas: int(mode, 1, 3),
      health: either(mode,
        fc.oneof(made('HealthCheck.http("/healthz")', () => HealthCheck.http('/healthz')), made('HealthCheck.none()', () => HealthCheck.none())), health(mode)),
      env: envMap(mode, ['TOP_K', 'TIMEOUT_MS'], LEAF_ENV),
      envVariables: either(mode,
        list(fc.oneof(
          call('EnvVariable.literal', EnvVariable.literal, fc.constantFrom('FANOUT'), fc.constantFrom('$(LEAF_ADDRESSES)', '$(LEAF_COUNT) shards')),
          call('EnvVariable.fromPodField', EnvVariable.fromPodField, fc.constantFrom('POD_NAME'), fc.constant(PodField.NAME)),
        ), 2),
        list(call('EnvVariable.literal', EnvVariable.literal, fc.constantFrom(...LEAF_ENV, 'X'), fc.constantFrom('1', '$(NOPE)')), 2),
        garbage),
      envFrom: either(mode,
        list(call('EnvFrom.configMap', EnvFrom.configMap, knownConfigMap(['COUNT', 'TOP_K', 'PORT']), fields({ prefix: fc.constant('APP_') })), 1),
        list(call('EnvFrom.configMap', EnvFrom.configMap, knownConfigMap(['COUNT', 'TOP_K', 'PORT', 'ADDRESSES']), fields({ prefix: fc.constantFrom('LEAF_', '') })), 1),
        garbage),
      command: stringList(mode, fc.constantFrom(['/root', '--leaves=$(LEAF_ADDRESSES)'], ['/root'])),
      args: stringList(mode, fc.constantFrom(['--count=$(LEAF_COUNT)', '--port=$(LEAF_PORT)'], ['--dns=$(LEAVES_SERVICE)'])),
      autoscaled: bool(mode),
      demands: demands(mode),
    }, 0.15),
    typo(mode, 'replica'),
  ).map(([a, b, c, d]) => ({ ...a, ...b, ...c, ...d }));
  return mode === 'clean' ? props : either(mode, props, notAnObject);
}

/** A generated ScatterGather: where the root and the leaves are, the leaves, and the props (without `leaves`). */
export interface ScatterGatherRun {
  readonly layout: Layout;
  readonly leaves: LeavesRecipe;
  readonly props: unknown;
}

export function scatterGatherRun(mode: Mode): fc.Arbitrary<ScatterGatherRun> {
  return fc.record({
    layout: layout(mode, 'search', 'index'),
    leaves: leavesRecipe(mode),
    props: propsOrNot(fc.tuple(
      fc.record({ root: rootProps(mode) }),
      fields({ clusterDomain: either(mode, fc.constantFrom('cluster.local', 'corp.internal'), fc.constantFrom('Not A Domain', '', '-x.local'), badString) }, 0.2),
      typo(mode, 'leafs'),
    ).map(([a, b, c]) => ({ ...a, ...b, ...c }))),
  }).map((run) => {
    // In a clean run, a clusterDomain only where it applies: when the leaves' chart has a namespace.
    if (mode === 'clean' && isMap(run.props) && theirNamespace(run.layout) === undefined) return { ...run, props: merged(run.props, { clusterDomain: undefined }) };
    return run;
  });
}

// ---------------------------------------------------------------------------------------------
// SingletonLocking.electionSidecar()

const exec = (command: string[]) => new Lazy(`HealthProbe.exec(${JSON.stringify(command)})`, () => HealthProbe.exec(command));
const STATUS = exec(['/elector', 'status']);

/** The health of the elector: every combination of probes, startup probes with and without readiness. */
export function electorHealth(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode,
    fc.oneof(
      made('HealthCheck.none()', () => HealthCheck.none()),
      made('HealthCheck.exec(["/elector", "status"])', () => HealthCheck.exec(['/elector', 'status'])),
      call('HealthCheck.of', HealthCheck.of, fc.constantFrom(
        { startup: STATUS, readiness: STATUS, liveness: STATUS }, { startup: STATUS, readiness: STATUS }, { startup: STATUS, liveness: STATUS },
        { readiness: STATUS, liveness: STATUS }, { startup: STATUS },
      )),
      made('HealthCheck.tcp()', () => HealthCheck.tcp()),
      call('HealthCheck.http', HealthCheck.http, fc.constant('/healthz'), fc.record({ port: fc.constantFrom(4041, 9102) })),
    ),
    health(mode));
}

function sidecar(mode: Mode): fc.Arbitrary<unknown> {
  const badPort = fc.oneof(port('dirty'), garbage);
  const options = fc.tuple(
    fc.record({
      name: either(mode, fc.constantFrom('elector', 'leader-elector'), fc.constantFrom('app', 'Elector', ''), garbage),
      image: either(mode, fc.constantFrom(ELECTOR_IMAGE), fc.constantFrom('elector', 'elector:latest'), garbage),
    }),
    mode === 'clean' ? fc.record({ port: fc.constantFrom(4040, 9000), health: electorHealth(mode) })
      : fields({ port: either(mode, fc.constantFrom(4040, 9000), badPort, fc.constantFrom(8080)), health: electorHealth(mode) }, 0.85),
    fields({
      args: stringList(mode, fc.constantFrom(
        ['--election=$(LEASE_NAME)', '--namespace=$(POD_NAMESPACE)', '--id=$(POD_NAME)', '--ttl=$(LEASE_DURATION_SECONDS)s', '--http=127.0.0.1:4040'],
        ['--lease=$(LEASE_NAME)'],
      )),
      env: envMap(mode, ['LOG_LEVEL', 'ELECTION_URL'], ['POD_NAME', 'POD_NAMESPACE', 'LEASE_NAME', 'LEASE_DURATION_SECONDS']),
      envVariables: either(mode,
        list(call('EnvVariable.fromPodField', EnvVariable.fromPodField, fc.constantFrom('NODE'), fc.constant(PodField.NODE_NAME)), 1),
        list(fc.oneof(
          call('EnvVariable.fromPodField', EnvVariable.fromPodField, fc.constantFrom('POD_NAME', 'POD_NAMESPACE'), fc.constant(PodField.NAME)),
          call('EnvVariable.literal', EnvVariable.literal, fc.constantFrom('LEASE_NAME', 'OTHER', '1BAD'), fc.constant('x')),
        ), 2),
        garbage),
      mounts: either(mode,
        fc.constant([{ volume: 'cache', path: '/var/cache/elector' }]),
        fc.constantFrom<unknown>([{ volume: 'kube-api-access', path: TOKEN_PATH }], [{ volume: 'kube-api-access', path: '/token' }], [{ volume: 'nope', path: '/x' }]),
        garbage),
      portName: either(mode, fc.constantFrom('election', 'http'), fc.constantFrom('a-very-long-port-name', 'HTTP'), garbage),
      demands: demands(mode),
      lifecycle: lifecycle(mode),
      readOnlyRootFilesystem: either(mode, fc.constant(true), fc.constantFrom(false, 'no')),
    }, 0.15),
    typo(mode, 'ports'),
  ).map(([a, b, c, d]) => ({ ...a, ...b, ...c, ...d }));
  return either(mode, options, garbage);
}

function electionOptions(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode, fc.tuple(
    fc.record({ sidecar: sidecar(mode) }),
    fields({
      native: either(mode, fc.boolean(), fc.constantFrom('yes', 1, null)),
      replicas: either(mode, fc.integer({ min: 2, max: 5 }), fc.constantFrom(1, 0, -1, 1.5), badNumber),
      leaseName: either(mode, fc.constantFrom('sched-lock', 'leader.sched'), badString),
      leaseDuration: duration(mode, 1, 60),
    }, 0.35),
    typo(mode, 'port'),
  ).map(([a, b, c]) => ({ ...a, ...b, ...c })), garbage);
}

/**
 * Props of a SingletonService with an election sidecar, and its chart's namespace. With `options`,
 * the property makes `locking` of them (`SingletonLocking.electionSidecar(options)`), so that a
 * planted mistake can change them.
 */
export interface ElectionRun {
  readonly namespace?: string;
  readonly props: unknown;
  readonly options?: { [key: string]: unknown };
}

export function electionRun(mode: Mode): fc.Arbitrary<ElectionRun> {
  const props = fc.boolean().chain((hasPort) => fc.tuple(
    fc.record({ image: image(mode), locking: call('SingletonLocking.electionSidecar', SingletonLocking.electionSidecar, electionOptions(mode)) }),
    hasPort
      ? fc.record({
        port: either(mode, fc.constantFrom(8080, 9090), port(mode), fc.constantFrom(4040)),
        network: either(mode, fc.constant(CALLERS), network(mode, true)),
      })
      : fc.constant({}),
    fields({
      portName: portName(mode),
      env: envMap(mode, ['LOG_LEVEL', 'POD_NAMESPACE', 'LEASE_NAME'], ['POD_NAME', 'ELECTION_URL']),
      envVariables: either(mode,
        list(call('EnvVariable.fromPodField', EnvVariable.fromPodField, fc.constantFrom('NODE'), fc.constant(PodField.NODE_NAME)), 1),
        list(fc.oneof(
          call('EnvVariable.fromPodField', EnvVariable.fromPodField, fc.constantFrom('POD_NAME'), fc.constant(PodField.NAME)),
          call('EnvVariable.literal', EnvVariable.literal, fc.constantFrom('ELECTION_URL'), fc.constant('http://127.0.0.1:1')),
        ), 1),
        garbage),
      additionalPorts: either(mode, fc.constant([{ number: 9102, name: 'metrics' }]), fc.constantFrom<unknown>([{ number: 4040, name: 'metrics' }])),
      ...(mode === 'dirty' ? {
        apiAccess: bool(mode),
        mounts: fc.constantFrom<unknown>([{ volume: 'kube-api-access', path: TOKEN_PATH }], [{ volume: 'kube-api-access', path: '/token', readOnly: true }], [null], 'x'),
        replicas: int(mode, 1, 3),
        strategy: garbage,
      } : {}),
    }, 0.15),
    // A cache volume, mounted by the elector (its `mounts`) or by nobody (a legitimate error).
    fields({ volumes: fc.constant([new Lazy('PodVolume.emptyDir("cache")', () => PodVolume.emptyDir('cache'))]) }, 0.2),
    typo(mode, 'lockin'),
  ).map(([a, b, c, d, e]) => ({ ...a, ...b, ...c, ...d, ...e })));
  return fc.record({ namespace: fc.constantFrom<string | undefined>('ops', undefined), props: propsOrNot(props) });
}

// ---------------------------------------------------------------------------------------------
// Consistent props: each of these must synthesise

/** A consistent WorkQueue: a good queue, no variable of the queue's, triggers that read variables the workers have. */
export function consistentWorkQueue(): fc.Arbitrary<WorkQueueRun> {
  return fc.tuple(
    fc.constantFrom<Layout>({ mine: 'media', apart: false }, { apart: false }, { mine: 'media', apart: true, theirs: 'infra' }, { apart: true }),
    // The queue whose Service port differs from its container port is left out with scaling (bug, see 'bugs found' in distributed.property.test.ts).
    fc.constantFrom(...GOOD_QUEUES),
    fc.option(fc.constantFrom('thumbnails:pending', 'jobs'), { nil: undefined }),
    fc.subarray(['LOG_LEVEL', 'SIZES', 'REDIS_ADDRESS']),
    fields({
      name: fc.constantFrom('thumbnails', 'resize'),
      parallelism: fc.integer({ min: 1, max: 10 }),
      envVariables: fc.constant([new Lazy('EnvVariable.fromPodField("WORKER_ID", PodField.NAME)', () => EnvVariable.fromPodField('WORKER_ID', PodField.NAME))]),
      backoffLimit: fc.integer({ min: 0, max: 10 }),
      ttlAfterFinished: value('Duration.seconds', Duration.seconds, 0, 3600),
      activeDeadline: value('Duration.seconds', Duration.seconds, 60, 3600),
      workQueue: fc.constant(true),
      completionMode: fc.constant(CompletionMode.NON_INDEXED),
    }, 0.3),
    fc.option(fc.tuple(
      fc.integer({ min: 1, max: 10 }),
      fields({
        pollingInterval: value('Duration.seconds', Duration.seconds, 1, 120),
        strategy: fc.constantFrom(...Object.values(JobScalingStrategy)),
        kedaNamespace: fc.constantFrom('keda', 'autoscaling'),
      }, 0.4),
      fc.constantFrom('QUEUE_ADDRESS', 'QUEUE_NAME', 'REDIS_ADDRESS', 'address'),
      fc.integer({ min: 1, max: 100 }),
    ), { nil: undefined }),
  ).map(([l, queue, queueName, envNames, o, scaling]) => {
    const props: { [key: string]: unknown } = { image: WORKER_IMAGE, ...o };
    if (queueName !== undefined) props.queueName = queueName;
    if (envNames.length > 0) props.env = Object.fromEntries(envNames.map((k) => [k, k === 'REDIS_ADDRESS' ? 'redis.cache:6379' : 'x']));
    if (scaling !== undefined) {
      const [maxJobs, so, from, listLength] = scaling;
      // A variable the workers have: the queue's name only with queueName, REDIS_ADDRESS only in their env.
      const env = from === 'QUEUE_NAME' && queueName === undefined ? 'QUEUE_ADDRESS'
        : from === 'REDIS_ADDRESS' && !envNames.includes('REDIS_ADDRESS') ? 'QUEUE_HOST' : from;
      const options = { listName: queueName ?? 'jobs', listLength, ...(env === 'address' ? { address: 'redis.cache:6379' } : { addressFromEnv: env }) };
      props.scaling = { maxJobs, ...so, triggers: [new Lazy(`ScaleTrigger.redisList(${JSON.stringify(options)})`, () => ScaleTrigger.redisList(options))] };
    }
    return { layout: l, queue: { kind: queue }, props };
  });
}

/** A consistent ScatterGather: built leaves with a port and a fixed count, a root with a port and callers, no leaf variable of its own. */
export function consistentScatterGather(): fc.Arbitrary<ScatterGatherRun> {
  return fc.tuple(
    fc.constantFrom<Layout>({ mine: 'search', apart: false }, { apart: false }, { mine: 'search', apart: true, theirs: 'index' },
      { mine: 'search', apart: true, theirs: 'search' }, { apart: true }),
    fc.constantFrom<LeavesKind>('stateful', 'stateful', 'vpa'),
    fc.record({ port: fc.constantFrom(9200, 7000), replicas: fc.integer({ min: 1, max: 6 }) }),
    fields({
      podManagementPolicy: fc.constantFrom(PodManagementPolicy.PARALLEL, PodManagementPolicy.ORDERED_READY),
      clientService: fc.boolean(),
      publishNotReadyAddresses: fc.boolean(),
      name: fc.constantFrom('shard', 'index-shard'),
    }, 0.4),
    fc.record({ port: fc.constantFrom(8080, 8443) }),
    fields({
      name: fc.constantFrom('search', 'search-root'),
      replicas: fc.integer({ min: 1, max: 3 }),
      health: fc.constantFrom(new Lazy('HealthCheck.http("/healthz")', () => HealthCheck.http('/healthz')), new Lazy('HealthCheck.none()', () => HealthCheck.none())),
      env: fc.dictionary(fc.constantFrom('TOP_K', 'TIMEOUT_MS'), fc.constantFrom('10', ''), { maxKeys: 2 }),
      envVariables: fc.constant([new Lazy('EnvVariable.literal("FANOUT", "$(LEAF_ADDRESSES)")', () => EnvVariable.literal('FANOUT', '$(LEAF_ADDRESSES)'))]),
      envFrom: knownConfigMap(['COUNT', 'TOP_K', 'PORT']).map((ref) => [new Lazy(`EnvFrom.configMap(${JSON.stringify(ref)}, { prefix: "APP_" })`,
        () => EnvFrom.configMap(ref, { prefix: 'APP_' }))]),
      args: fc.constant(['--count=$(LEAF_COUNT)', '--port=$(LEAF_PORT)', '--dns=$(LEAVES_SERVICE)']),
    }, 0.3),
    fc.constantFrom<string | undefined>(undefined, 'cluster.local', 'corp.internal'),
  ).map(([l, kind, leaves, leavesOptions, rootPort, rootOptions, domain]) => ({
    layout: l,
    leaves: { kind, props: { ...leaves, ...leavesOptions } },
    props: {
      root: { image: ROOT_IMAGE, network: CALLERS, ...rootPort, ...rootOptions },
      ...(domain !== undefined && theirNamespace(l) !== undefined ? { clusterDomain: domain } : {}),
    },
  }));
}

/** A consistent election sidecar: an elector with a port of its own and a health check that fits it (native: startup and readiness). */
export function consistentElection(): fc.Arbitrary<ElectionRun> {
  return fc.tuple(
    fc.constantFrom<string | undefined>('ops', undefined),
    fc.option(fc.constantFrom(8080, 9090), { nil: undefined }),
    fc.constantFrom(4040, 9000),
    fc.option(fc.boolean(), { nil: undefined }),
    fields({
      replicas: fc.integer({ min: 2, max: 5 }),
      leaseName: fc.constantFrom('sched-lock', 'leader.sched'),
      leaseDuration: value('Duration.seconds', Duration.seconds, 1, 60),
    }, 0.4),
    fields({
      name: fc.constantFrom('elector', 'leader-elector'),
      args: fc.constant(['--election=$(LEASE_NAME)', '--namespace=$(POD_NAMESPACE)', '--id=$(POD_NAME)', '--ttl=$(LEASE_DURATION_SECONDS)s']),
      env: fc.dictionary(fc.constantFrom('LOG_LEVEL', 'ELECTION_URL'), fc.constantFrom('info', 'x'), { maxKeys: 2 }),
      // Not 'http': port names are unique in the pod, and the app's port is named 'http'.
      portName: fc.constantFrom('election', 'leader'),
      cache: fc.constant(true),
    }, 0.3),
    fields({
      env: fc.dictionary(fc.constantFrom('LOG_LEVEL', 'POD_NAMESPACE', 'LEASE_NAME'), fc.constantFrom('info', 'x'), { maxKeys: 2 }),
      envVariables: fc.constant([new Lazy('EnvVariable.fromPodField("NODE", PodField.NODE_NAME)', () => EnvVariable.fromPodField('NODE', PodField.NODE_NAME))]),
      portName: fc.constantFrom('http', 'api'),
    }, 0.3),
    fc.nat(3),
  ).map(([namespace, appPort, electorPort, native, lockingOptions, electorOptions, appOptions, h]) => {
    // Native with a port: startup and readiness probes (the library's rule); otherwise any of the four.
    const healths: Array<[string, () => HealthCheck]> = native
      ? [['HealthCheck.of({ startup, readiness })', () => HealthCheck.of({ startup: HealthProbe.exec(['/e']), readiness: HealthProbe.exec(['/e']) })],
        ['HealthCheck.of({ startup, readiness, liveness })',
          () => HealthCheck.of({ startup: HealthProbe.exec(['/e']), readiness: HealthProbe.exec(['/e']), liveness: HealthProbe.exec(['/e']) })]]
      : [['HealthCheck.none()', () => HealthCheck.none()], ['HealthCheck.exec(["/e"])', () => HealthCheck.exec(['/e'])],
        ['HealthCheck.of({ startup, liveness })', () => HealthCheck.of({ startup: HealthProbe.exec(['/e']), liveness: HealthProbe.exec(['/e']) })],
        ['HealthCheck.tcp()', () => HealthCheck.tcp()]];
    const [label, makeHealth] = healths[h % healths.length];
    const { cache, ...elector } = electorOptions;
    const sidecarOptions = {
      name: 'elector',
      image: ELECTOR_IMAGE,
      port: electorPort,
      health: new Lazy(label, makeHealth),
      ...elector,
      ...(cache ? { mounts: [{ volume: 'cache', path: '/var/cache/elector' }] } : {}),
    };
    const options = { sidecar: sidecarOptions, ...(native !== undefined ? { native } : {}), ...lockingOptions };
    return {
      namespace,
      options,
      props: {
        image: APP_IMAGE,
        ...(appPort !== undefined ? { port: appPort, network: CALLERS } : {}),
        ...(cache ? { volumes: [new Lazy('PodVolume.emptyDir("cache")', () => PodVolume.emptyDir('cache'))] } : {}),
        ...appOptions,
      },
    };
  });
}

/** `Duration.seconds(n)` for n in [min, max], printed as the call. */
function value(label: string, fn: (n: number) => unknown, min: number, max: number): fc.Arbitrary<Lazy> {
  return fc.integer({ min, max }).map((n) => new Lazy(`${label}(${n})`, () => fn(n)));
}

// ---------------------------------------------------------------------------------------------
// What the accepted manifests of these patterns must say of each other

type Pod = { spec: any; labels: { [k: string]: string }; where: string; namespace?: string; owner: Manifest };

/** The pod templates of the workloads (a ScaledJob's `jobTargetRef` too). */
function podsOf(manifests: Manifest[]): Pod[] {
  const pods: Pod[] = [];
  for (const m of manifests) {
    const template = m.kind === 'CronJob' ? m.spec?.jobTargetRef?.template ?? m.spec?.jobTemplate?.spec?.template
      : m.kind === 'ScaledJob' ? m.spec?.jobTargetRef?.template
        : ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet'].includes(m.kind) ? m.spec?.template : undefined;
    if (template?.spec) {
      pods.push({ spec: template.spec, labels: template.metadata?.labels ?? {}, where: `${m.kind}/${m.metadata?.name ?? m.metadata?.generateName}`, namespace: m.metadata?.namespace, owner: m });
    }
  }
  return pods;
}

const selects = (selector: { [k: string]: string } | undefined, labels: { [k: string]: string }) =>
  selector !== undefined && Object.entries(selector).every(([k, v]) => labels[k] === v);

/** The literal value of variable `name` of a container, if it has exactly one literal definition. */
function literal(c: any, envName: string): string | undefined {
  const defs = (c?.env ?? []).filter((e: any) => e.name === envName);
  return defs.length === 1 && typeof defs[0].value === 'string' ? defs[0].value : undefined;
}

function hasVariable(c: any, envName: string): boolean {
  return (c?.env ?? []).some((e: any) => e.name === envName);
}

/** The NetworkPolicy of the pods labelled `labels` in `namespace`. */
function policyOf(manifests: Manifest[], labels: { [k: string]: string }, namespace?: string): Manifest | undefined {
  return manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata?.namespace === namespace && selects(m.spec?.podSelector?.matchLabels, labels));
}

/** Whether a rule (ingress `from` or egress `to`) admits the pods labelled `labels` on `port`. */
function admits(rules: any[] | undefined, peers: 'from' | 'to', labels: { [k: string]: string }, on: number): boolean {
  return (rules ?? []).some((r) => (r.ports ?? []).some((p: any) => p.port === on)
    && (r[peers] ?? []).some((peer: any) => selects(peer.podSelector?.matchLabels, labels)));
}

/**
 * What the API server checks of pods beyond the OpenAPI schema (container names unique across
 * init and regular containers, volume names unique, each mount naming a volume at a path of its
 * own, no probes or lifecycle on a plain init container), and what the library promises of every
 * container it writes (each variable defined once).
 */
export function podErrors(manifests: Manifest[]): string[] {
  const errors: string[] = [];
  const seen = new Map<string, number>();
  for (const m of manifests) {
    const key = `${m.apiVersion}|${m.kind}|${m.metadata?.namespace ?? ''}|${m.metadata?.name}`;
    if (m.metadata?.name !== undefined) seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  for (const [key, n] of seen) if (n > 1) errors.push(`${key} is defined ${n} times`);
  for (const pod of podsOf(manifests)) {
    const at = pod.where;
    const inits: any[] = pod.spec.initContainers ?? [];
    const all: any[] = [...inits, ...(pod.spec.containers ?? [])];
    const names = all.map((c) => c.name);
    if (new Set(names).size !== names.length) errors.push(`${at}: container names ${JSON.stringify(names)} are not unique`);
    const volumes = (pod.spec.volumes ?? []).map((v: any) => v.name);
    if (new Set(volumes).size !== volumes.length) errors.push(`${at}: volume names ${JSON.stringify(volumes)} are not unique`);
    for (const c of all) {
      const paths = (c.volumeMounts ?? []).map((vm: any) => vm.mountPath);
      if (new Set(paths).size !== paths.length) errors.push(`${at}: container ${c.name} mounts ${JSON.stringify(paths)}: a path twice`);
      for (const vm of c.volumeMounts ?? []) if (!volumes.includes(vm.name)) errors.push(`${at}: container ${c.name} mounts ${vm.name}, not a volume of the pod`);
      const env = (c.env ?? []).map((e: any) => e.name);
      if (new Set(env).size !== env.length) errors.push(`${at}: container ${c.name} defines a variable twice: ${JSON.stringify(env)}`);
    }
    for (const c of inits) {
      if (c.restartPolicy === 'Always') continue;
      if (c.restartPolicy !== undefined) errors.push(`${at}: init container ${c.name} has restartPolicy ${c.restartPolicy} (only Always)`);
      for (const k of ['livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle']) if (c[k] !== undefined) errors.push(`${at}: plain init container ${c.name} has ${k}`);
    }
  }
  return errors;
}

/** What a WorkQueue's workers and its queue must agree on: the address, the port on both NetworkPolicies, KEDA's reach. */
function workQueueErrors(manifests: Manifest[], pod: Pod): string[] {
  const errors: string[] = [];
  const at = pod.where;
  const c = pod.spec.containers?.[0];
  const host = literal(c, 'QUEUE_HOST');
  const portText = literal(c, 'QUEUE_PORT');
  const address = literal(c, 'QUEUE_ADDRESS');
  if (host === undefined || portText === undefined || address === undefined) return [`${at}: QUEUE_HOST, QUEUE_PORT and QUEUE_ADDRESS must each be one literal`];
  if (address !== `${host}:${portText}`) errors.push(`${at}: QUEUE_ADDRESS ${address} is not QUEUE_HOST:QUEUE_PORT`);
  const [serviceName, namespace] = host.endsWith('.svc.cluster.local') ? host.split('.') : [host, pod.namespace];
  if (!host.endsWith('.svc.cluster.local') && host.includes('.')) errors.push(`${at}: QUEUE_HOST ${host} is neither a short name nor a cluster DNS name`);
  const service = manifests.find((m) => m.kind === 'Service' && m.metadata?.name === serviceName && m.metadata?.namespace === namespace);
  const servicePort = (service?.spec?.ports ?? []).find((p: any) => p.port === Number(portText));
  if (!servicePort) return [...errors, `${at}: no Service ${serviceName} in ${namespace ?? '(no namespace)'} with port ${portText}`];
  const queuePod = podsOf(manifests).find((p) => p.namespace === namespace && selects(service!.spec.selector, p.labels));
  if (!queuePod) return [...errors, `${at}: the queue Service ${serviceName} selects no pods`];
  const target = typeof servicePort.targetPort === 'number' ? servicePort.targetPort
    : (queuePod.spec.containers ?? []).flatMap((x: any) => x.ports ?? [])
      .find((p: any) => p.name === (servicePort.targetPort ?? servicePort.name))?.containerPort ?? servicePort.port;
  const listens = (queuePod.spec.containers ?? []).some((x: any) => (x.ports ?? []).some((p: any) => p.containerPort === target));
  if (!listens) errors.push(`${at}: the queue's pods listen on no port ${target}`);
  const mine = policyOf(manifests, pod.labels, pod.namespace);
  const theirs = policyOf(manifests, queuePod.labels, queuePod.namespace);
  if (!admits(mine?.spec?.egress, 'to', queuePod.labels, target)) errors.push(`${at}: the workers' NetworkPolicy lets them reach no queue pod on port ${target}`);
  if (!admits(theirs?.spec?.ingress, 'from', pod.labels, target)) errors.push(`${at}: the queue's NetworkPolicy admits no worker on port ${target}`);
  const spec = pod.owner.kind === 'ScaledJob' ? pod.owner.spec.jobTargetRef : pod.owner.spec;
  if (spec?.completions !== undefined) errors.push(`${at}: a work queue's Job has completions (${spec.completions})`);
  if (![undefined, 'NonIndexed'].includes(spec?.completionMode)) errors.push(`${at}: a work queue's Job is ${spec.completionMode}`);
  if (pod.owner.kind === 'ScaledJob') {
    const s = pod.owner.spec;
    if (!(Number.isSafeInteger(s.maxReplicaCount) && s.maxReplicaCount >= 1)) errors.push(`${at}: maxReplicaCount ${s.maxReplicaCount}`);
    if (!Array.isArray(s.triggers) || s.triggers.length === 0) errors.push(`${at}: a ScaledJob without triggers`);
    for (const t of s.triggers ?? []) {
      if (['cpu', 'memory'].includes(t.type)) errors.push(`${at}: a ScaledJob cannot scale on ${t.type}`);
      for (const [k, v] of Object.entries(t.metadata ?? {})) {
        // The rendered envFrom does not say which keys a ConfigMap has: any envFrom may define it (the library checks known keys at construction).
        if (k.endsWith('FromEnv') && !hasVariable(c, String(v)) && (c?.envFrom ?? []).length === 0) {
          errors.push(`${at}: trigger ${t.type} reads ${k}=${String(v)}, which the workers' first container does not define`);
        }
      }
    }
    if (manifests.some((m) => m.kind === 'Job' && m.metadata?.name === pod.owner.metadata?.name && m.metadata?.namespace === pod.namespace)) {
      errors.push(`${at}: the Job is emitted beside its ScaledJob`);
    }
    // KEDA polls the queue from its own namespace: the queue admits a namespace on the port its pods listen on.
    const fromNamespace = (theirs?.spec?.ingress ?? []).some((r: any) => (r.ports ?? []).some((p: any) => p.port === target)
      && (r.from ?? []).some((peer: any) => peer.namespaceSelector !== undefined && peer.podSelector === undefined));
    if (!fromNamespace) errors.push(`${at}: the queue's NetworkPolicy admits no KEDA namespace on port ${target}`);
  }
  return errors;
}

/** What a ScatterGather's root must know of its leaves: each leaf's name and port, their count, their headless Service. */
function scatterGatherErrors(manifests: Manifest[], pod: Pod): string[] {
  const at = pod.where;
  const c = pod.spec.containers?.[0];
  const [addresses, countText, service, portText] = LEAF_ENV.map((k) => literal(c, k));
  if ([addresses, countText, service, portText].includes(undefined)) return [`${at}: ${LEAF_ENV.join(', ')} must each be one literal`];
  const errors: string[] = [];
  const count = Number(countText);
  const list_ = addresses!.split(',');
  if (!(Number.isSafeInteger(count) && count >= 1)) errors.push(`${at}: LEAF_COUNT ${countText}`);
  if (list_.length !== count) errors.push(`${at}: LEAF_ADDRESSES lists ${list_.length} leaves, LEAF_COUNT says ${countText}`);
  const [headless, namespace] = service!.includes('.') ? service!.split('.') : [service!, pod.namespace];
  const sts = manifests.find((m) => m.kind === 'StatefulSet' && m.spec?.serviceName === headless && m.metadata?.namespace === namespace);
  if (!sts) return [...errors, `${at}: no StatefulSet governed by ${headless} in ${namespace ?? '(no namespace)'}`];
  const svc = manifests.find((m) => m.kind === 'Service' && m.metadata?.name === headless && m.metadata?.namespace === namespace);
  if (svc?.spec?.clusterIP !== 'None') errors.push(`${at}: ${headless} is not a headless Service`);
  if (sts.spec.replicas !== count) errors.push(`${at}: the leaves render ${sts.spec.replicas} replicas, LEAF_COUNT says ${countText}`);
  const expected = Array.from({ length: Math.max(0, count) }, (_, i) => `${sts.metadata.name}-${i}.${service}:${portText}`);
  if (count >= 1 && addresses !== expected.join(',')) errors.push(`${at}: LEAF_ADDRESSES ${addresses} is not ${expected.join(',')}`);
  const leafPod = sts.spec.template;
  const leafPort = Number(portText);
  if (!(leafPod.spec.containers ?? []).some((x: any) => (x.ports ?? []).some((p: any) => p.containerPort === leafPort))) errors.push(`${at}: no leaf listens on ${portText}`);
  const scaled = manifests.some((m) => (m.kind === 'HorizontalPodAutoscaler' && m.spec?.scaleTargetRef?.name === sts.metadata.name && m.metadata?.namespace === namespace)
    || (m.kind === 'ScaledObject' && m.spec?.scaleTargetRef?.name === sts.metadata.name && m.metadata?.namespace === namespace));
  if (scaled) errors.push(`${at}: the leaves are autoscaled, and the root's list fixed`);
  const leafLabels = leafPod.metadata?.labels ?? {};
  if (!admits(policyOf(manifests, pod.labels, pod.namespace)?.spec?.egress, 'to', leafLabels, leafPort)) errors.push(`${at}: the root may not reach the leaves on ${leafPort}`);
  if (!admits(policyOf(manifests, leafLabels, namespace)?.spec?.ingress, 'from', pod.labels, leafPort)) errors.push(`${at}: the leaves do not admit the root on ${leafPort}`);
  return errors;
}

/** What an election sidecar's pod must hold: the token in the elector alone, the Lease it may update, the URL the app asks. */
function electionErrors(manifests: Manifest[], pod: Pod): string[] {
  const at = pod.where;
  const errors: string[] = [];
  const app = pod.spec.containers?.[0];
  const url = literal(app, 'ELECTION_URL');
  const match = /^http:\/\/127\.0\.0\.1:(\d+)$/.exec(url ?? '');
  if (!match) return [`${at}: ELECTION_URL ${url} is not http://127.0.0.1:<port>`];
  const electorPort = Number(match[1]);
  const podName = (app.env ?? []).find((e: any) => e.name === 'POD_NAME');
  if (podName?.valueFrom?.fieldRef?.fieldPath !== 'metadata.name') errors.push(`${at}: the app's POD_NAME is not the pod's name`);
  if (pod.owner.kind !== 'Deployment' || !(pod.owner.spec.replicas >= 2)) errors.push(`${at}: ${pod.owner.kind} of ${pod.owner.spec.replicas} replicas`);
  if (pod.spec.automountServiceAccountToken !== false) errors.push(`${at}: the token is mounted automatically`);
  // A token for the API server: one without an audience of its own (a Vault token, audience "vault", is not one).
  const tokenVolumes = (pod.spec.volumes ?? [])
    .filter((v: any) => (v.projected?.sources ?? []).some((s: any) => s.serviceAccountToken && !s.serviceAccountToken.audience))
    .map((v: any) => v.name);
  const mountsToken = (c: any) => (c.volumeMounts ?? []).some((vm: any) => tokenVolumes.includes(vm.name));
  const others = [...(pod.spec.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always'), ...(pod.spec.containers ?? []).slice(1)];
  const electors = others.filter(mountsToken);
  if (mountsToken(app)) errors.push(`${at}: the app's container mounts the token`);
  if ((pod.spec.initContainers ?? []).some((c: any) => c.restartPolicy !== 'Always' && mountsToken(c))) errors.push(`${at}: an init container mounts the token`);
  if (electors.length !== 1) return [...errors, `${at}: ${electors.length} containers hold the token (the elector alone must)`];
  const elector = electors[0];
  if (!(elector.ports ?? []).some((p: any) => p.containerPort === electorPort)) errors.push(`${at}: the elector does not listen on ${electorPort}`);
  if ((app.ports ?? []).some((p: any) => p.containerPort === electorPort)) errors.push(`${at}: the app listens on the elector's port ${electorPort} too`);
  const leaseName = literal(elector, 'LEASE_NAME');
  const duration_ = literal(elector, 'LEASE_DURATION_SECONDS');
  const field = (n: string) => (elector.env ?? []).find((e: any) => e.name === n)?.valueFrom?.fieldRef?.fieldPath;
  if (field('POD_NAME') !== 'metadata.name' || field('POD_NAMESPACE') !== 'metadata.namespace') errors.push(`${at}: the elector's POD_NAME or POD_NAMESPACE is wrong`);
  const lease = manifests.find((m) => m.kind === 'Lease' && m.metadata?.name === leaseName && m.metadata?.namespace === pod.namespace);
  if (!lease) return [...errors, `${at}: no Lease ${leaseName} beside the pods`];
  if (lease.spec?.leaseDurationSeconds !== Number(duration_) || !(Number(duration_) >= 1)) {
    errors.push(`${at}: LEASE_DURATION_SECONDS ${duration_}, the Lease says ${lease.spec?.leaseDurationSeconds}`);
  }
  const sa = pod.spec.serviceAccountName;
  const roles = manifests.filter((m) => m.kind === 'Role' && m.metadata?.namespace === pod.namespace
    && (m.rules ?? []).some((r: any) => (r.resources ?? []).includes('leases') && (r.resourceNames ?? []).includes(leaseName) && r.verbs?.includes('update')));
  const bound = manifests.some((m) => m.kind === 'RoleBinding' && m.metadata?.namespace === pod.namespace && roles.some((r) => r.metadata.name === m.roleRef?.name)
    && (m.subjects ?? []).some((s: any) => s.kind === 'ServiceAccount' && s.name === sa));
  if (!bound) errors.push(`${at}: the ServiceAccount ${sa} may not update the Lease ${leaseName}`);
  const wider = manifests.some((m) => ['Role', 'ClusterRole'].includes(m.kind) && (m.rules ?? []).some((r: any) => (r.resources ?? []).includes('leases')
    && (r.resourceNames === undefined || r.verbs?.includes('create') || r.verbs?.includes('*'))));
  if (wider) errors.push(`${at}: a Role grants more than get and update on the one Lease`);
  return errors;
}

/** Every error of `podErrors`, and those of each WorkQueue, ScatterGather and election sidecar found in the manifests. */
export function distributedErrors(manifests: Manifest[]): string[] {
  const errors = podErrors(manifests);
  for (const pod of podsOf(manifests)) {
    const first = pod.spec.containers?.[0];
    if (hasVariable(first, 'QUEUE_HOST')) errors.push(...workQueueErrors(manifests, pod));
    if (hasVariable(first, 'LEAF_COUNT')) errors.push(...scatterGatherErrors(manifests, pod));
    if (hasVariable(first, 'ELECTION_URL')) errors.push(...electionErrors(manifests, pod));
  }
  return errors;
}
