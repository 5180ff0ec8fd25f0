/**
 * Property: random props for the multi-node constructs (WorkQueue with its KEDA `scaling`,
 * ScatterGather, `SingletonLocking.electionSidecar()`), on random queues, leaves and charts,
 * valid-looking and garbage, end in valid manifests or in the library's own validation error,
 * never in anything else. Valid means: the Kubernetes 1.28 schema and the strict unknown-field
 * check (the ScaledJob against KEDA's CRD, its `jobTargetRef` as a Job), the API server's checks
 * of `apiServerErrors` and of `podErrors`, and what the two sides of each pattern must agree on
 * (`distributedErrors`: the workers' address and port of the queue, the root's list of leaves,
 * the token in the elector alone, and the NetworkPolicies between them).
 *
 * One option at a time (clean, dirty or of a strange type) in otherwise consistent props gets more
 * runs than the whole-props properties give it. Two properties are stronger than "one of the two
 * outcomes": consistent props always synthesise (valid input is never rejected), and every mistake
 * planted in consistent props is listed in the one error, at the construct path and prop where it
 * was made. The bugs these found (all fixed) are at the end, each with its minimal input.
 */
import { Chart, Duration } from 'cdk8s';
import * as fc from 'fast-check';
import {
  EnvFrom, EnvVariable, HealthCheck, JobScalingStrategy, NetworkPeer, PodField, ScaleTrigger, ScatterGather, SingletonLocking, SingletonService,
  StatefulService, StatelessService, WorkQueue,
} from '../../src';
import { Manifest } from '../helpers/synth';
import {
  badNumber, badString, bool, bothModes, call, duration, either, enumOf, fields, garbage, int, Lazy, list, LONG, Mode, name, port, portName,
} from './support/arbitraries';
import {
  APP_IMAGE, chartsOf, consistentElection, consistentScatterGather, consistentWorkQueue, distributedErrors, ELECTOR_IMAGE, electionRun, ElectionRun,
  electorHealth, envMap, jobTrigger, layout, Layout, LEAF_ENV, leavesProps, leavesRecipe, makeLeaves, makeQueue, merged, QUEUE_ENV, QueueKind,
  queueRecipe, ROOT_IMAGE, scatterGatherRun, ScatterGatherRun, SHARD_IMAGE, TOKEN_PATH, WORKER_IMAGE, workQueueEnvFrom, workQueueRun, WorkQueueRun,
  workQueueScaling,
} from './support/distributed-arbitraries';
import { apiServerErrors, assertProperty, checkOutcome, freshChart, rejection, Tally } from './support/outcome';

// ---------------------------------------------------------------------------------------------
// The outcome

/** A ScaledJob's `jobTargetRef` as the Job KEDA creates of it, for `apiServerErrors`. */
function embeddedJobs(manifests: Manifest[]): Manifest[] {
  return manifests.filter((m) => m.kind === 'ScaledJob' && m.spec?.jobTargetRef !== undefined)
    .map((m) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: m.metadata.name, namespace: m.metadata.namespace }, spec: m.spec.jobTargetRef }));
}

/** As `checkOutcome`, with the API server's checks of the ScaledJob's Job and `distributedErrors`. */
function checkDistributed<P>(props: P, build: (chart: Chart, props: any) => void, tally?: Tally): 'valid' | 'rejected' {
  return checkOutcome(props, build, tally, (manifests) => [
    ...[...manifests, ...embeddedJobs(manifests)].flatMap(apiServerErrors),
    ...distributedErrors(manifests),
  ]);
}

const isMap = (o: unknown): o is { [key: string]: unknown } => o !== null && typeof o === 'object' && !Array.isArray(o);

function buildWorkQueue(chart: Chart, run: WorkQueueRun): void {
  const { mine, theirs } = chartsOf(chart, run.layout);
  const queue = makeQueue(theirs, run.queue);
  new WorkQueue(mine, 'w', isMap(run.props) ? { ...run.props, queue } as any : run.props);
}

function buildScatterGather(chart: Chart, run: ScatterGatherRun): void {
  const { mine, theirs } = chartsOf(chart, run.layout);
  const { leaves, after } = makeLeaves(theirs, run.leaves);
  new ScatterGather(mine, 'search', isMap(run.props) ? { ...run.props, leaves } as any : run.props);
  after();
}

function buildElection(chart: Chart, run: ElectionRun): void {
  const mine = new Chart(chart.node.root, 'main', run.namespace ? { namespace: run.namespace } : {});
  const given = isMap(run.props) && run.options !== undefined
    ? { ...run.props, locking: SingletonLocking.electionSidecar(run.options as any) } : run.props;
  new SingletonService(mine, 'sched', given as any);
}


// ---------------------------------------------------------------------------------------------
// Properties

const RUNS = 200;

describe('multi-node constructs end in valid manifests or a PatternValidationError', () => {
  test('WorkQueue (queue, queueName, env, Job options, scaling with triggers)', () => {
    const tally = new Tally();
    assertProperty(bothModes(workQueueRun), RUNS, (run) => {
      checkDistributed(run, buildWorkQueue, tally);
    });
    console.log(`WorkQueue: ${tally.share}`);
  });

  test('ScatterGather (leaves, their count and autoscalers, root props, cluster domain, namespaces)', () => {
    const tally = new Tally();
    assertProperty(bothModes(scatterGatherRun), RUNS, (run) => {
      checkDistributed(run, buildScatterGather, tally);
    });
    console.log(`ScatterGather: ${tally.share}`);
  });

  test('SingletonLocking.electionSidecar() (sidecar options, native, replicas, lease, app env, apiAccess, mounts)', () => {
    const tally = new Tally();
    assertProperty(bothModes(electionRun), RUNS, (run) => {
      checkDistributed(run, buildElection, tally);
    });
    console.log(`electionSidecar: ${tally.share}`);
  });

  test('all three in one app, on one queue: every problem of a rejected app names a prop, whatever the garbage', () => {
    assertProperty(fc.tuple(workQueueRun('dirty'), workQueueRun('dirty'), scatterGatherRun('dirty'), electionRun('dirty')), 40, (runs) => {
      checkDistributed(runs, (chart, [a, b, sg, election]: [WorkQueueRun, WorkQueueRun, ScatterGatherRun, ElectionRun]) => {
        const { mine, theirs } = chartsOf(chart, a.layout);
        const queue = makeQueue(theirs, a.queue);
        // Two work queues on one queue (the second one's chart is the first one's).
        new WorkQueue(mine, 'w', isMap(a.props) ? { ...a.props, queue } as any : a.props);
        new WorkQueue(mine, 'w2', isMap(b.props) ? { ...b.props, queue, name: 'w2' } as any : b.props);
        const { leaves, after } = makeLeaves(theirs, { ...sg.leaves, props: { ...sg.leaves.props, name: 'shard' } });
        new ScatterGather(mine, 'search', isMap(sg.props) ? { ...sg.props, leaves } as any : sg.props);
        after();
        new SingletonService(mine, 'sched', election.props as any);
      });
    });
  });
});

describe('consistent props always synthesise', () => {
  const CONSISTENT = 60;

  test('WorkQueue', () => {
    assertProperty(consistentWorkQueue(), CONSISTENT, (run) => {
      expect(checkDistributed(run, buildWorkQueue)).toBe('valid');
    });
  });

  test('ScatterGather', () => {
    assertProperty(consistentScatterGather(), CONSISTENT, (run) => {
      expect(checkDistributed(run, buildScatterGather)).toBe('valid');
    });
  });

  test('SingletonLocking.electionSidecar()', () => {
    assertProperty(consistentElection(), CONSISTENT, (run) => {
      expect(checkDistributed(run, buildElection)).toBe('valid');
    });
  });
});

// ---------------------------------------------------------------------------------------------
// One option at a time

/** Values of the wrong type a JavaScript caller may pass anywhere (as in `garbage`, but each far more often). */
const strange = fc.constantFrom<unknown>(Symbol('s'), 10n, () => 1, new Date(0), /re/, NaN, -0, '', [], {}, null,
  new Lazy('Object.create(null)', () => Object.create(null)));

/** `o` with `v` at `path` (the objects on the way copied; undefined removes the key). */
function setIn(o: unknown, path: string[], v: unknown): any {
  const [k, ...rest] = path;
  const base = isMap(o) ? o : {};
  return rest.length === 0 ? merged(base, { [k]: v }) : { ...base, [k]: setIn(base[k], rest, v) };
}

/** An option of a run: where it goes (`props.scaling.maxJobs`, `options.sidecar.port`, `queue`, ...), and its values. */
type Option = [string, (mode: Mode) => fc.Arbitrary<unknown>];

/** A consistent run with one option of `options` changed: to a clean or dirty value, or (a prop, not a recipe) a strange one. */
function oneOption<R>(base: fc.Arbitrary<R>, options: Option[], prepare: (run: R, path: string) => R = (r) => r): fc.Arbitrary<R> {
  const choice = fc.oneof(...options.map(([path, values]) => fc.tuple(fc.constant(path),
    /^(props|options)\./.test(path) ? fc.oneof({ weight: 3, arbitrary: bothModes(values) }, strange) : bothModes(values))));
  return fc.tuple(base, choice).map(([run, [path, v]]) => setIn(prepare(run, path), path.split('.'), v) as R);
}

const WORK_QUEUE_OPTIONS: Option[] = [
  ['queue', queueRecipe],
  ['layout', (mode) => layout(mode, 'media', 'infra')],
  ['props.queueName', (mode) => either(mode, fc.constantFrom('jobs', 'a:b:c'), fc.constantFrom('', ' ', LONG), garbage)],
  ['props.env', (mode) => envMap(mode, ['LOG_LEVEL', 'REDIS_ADDRESS'], QUEUE_ENV)],
  ['props.envVariables', (mode) => either(mode, fc.constant([]), list(call('EnvVariable.literal', EnvVariable.literal, fc.constantFrom(...QUEUE_ENV, 'X'), fc.constant('1')), 2))],
  ['props.envFrom', workQueueEnvFrom],
  ['props.workQueue', bool],
  ['props.completions', (mode) => int(mode, 1, 5)],
  ['props.parallelism', (mode) => int(mode, 1, 5)],
  ['props.name', name],
  ['props.scaling', workQueueScaling],
  ['props.scaling.maxJobs', (mode) => either(mode, fc.integer({ min: 1, max: 10 }), badNumber, fc.constantFrom(0))],
  ['props.scaling.triggers', (mode) => either(mode, fc.array(jobTrigger(mode), { minLength: 1, maxLength: 2 }), fc.constant([]), garbage)],
  ['props.scaling.pollingInterval', (mode) => duration(mode, 1, 120)],
  ['props.scaling.strategy', (mode) => enumOf(mode, Object.values(JobScalingStrategy))],
  ['props.scaling.kedaNamespace', (mode) => either(mode, fc.constantFrom('keda', 'media'), badString)],
];

const SCATTER_GATHER_OPTIONS: Option[] = [
  ['leaves', leavesRecipe],
  ['leaves.props', leavesProps],
  ['layout', (mode) => layout(mode, 'search', 'index')],
  ['props.clusterDomain', (mode) => either(mode, fc.constantFrom('cluster.local', 'corp.internal'), fc.constantFrom('Not A Domain', '', 'a..b'), badString)],
  ['props.root.port', port],
  ['props.root.name', name],
  ['props.root.env', (mode) => envMap(mode, ['TOP_K'], LEAF_ENV)],
  ['props.root.envVariables', (mode) => either(mode, fc.constant([]),
    list(call('EnvVariable.literal', EnvVariable.literal, fc.constantFrom(...LEAF_ENV, 'X'), fc.constantFrom('1', '$(LEAF_COUNT)', '$(NOPE)')), 2))],
  ['props.root.envFrom', (mode) => either(mode, fc.constant([]), list(call('EnvFrom.configMap', EnvFrom.configMap,
    fc.subarray(['COUNT', 'PORT', 'ADDRESSES', 'X']).map((knownKeys) => ({ configMapName: 'settings', knownKeys })), fields({ prefix: fc.constantFrom('LEAF_', 'LEAVES_', '') })), 1))],
  ['props.root.replicas', (mode) => int(mode, 0, 3)],
  ['props.root', (mode) => either(mode, fc.constant({ image: ROOT_IMAGE, port: 8080 }), garbage)],
];

const ELECTION_OPTIONS: Option[] = [
  ['options.sidecar.port', (mode) => either(mode, fc.constantFrom(4040, 9000), port('dirty'), fc.constantFrom(8080))],
  ['options.sidecar.health', electorHealth],
  ['options.sidecar.name', name],
  ['options.sidecar.portName', portName],
  ['options.sidecar.env', (mode) => envMap(mode, ['LOG_LEVEL', 'ELECTION_URL'], ['POD_NAME', 'POD_NAMESPACE', 'LEASE_NAME', 'LEASE_DURATION_SECONDS'])],
  ['options.sidecar.mounts', (mode) => either(mode, fc.constant([]),
    fc.constantFrom<unknown>([{ volume: 'kube-api-access', path: TOKEN_PATH }], [{ volume: 'kube-api-access', path: '/token' }], [null]), garbage)],
  ['options.sidecar', (mode) => either(mode, fc.constant({ name: 'elector', image: ELECTOR_IMAGE, port: 4040, health: new Lazy('HealthCheck.none()', () => HealthCheck.none()) }),
    garbage)],
  ['options.native', bool],
  ['options.replicas', (mode) => either(mode, fc.integer({ min: 2, max: 5 }), badNumber, fc.constantFrom(1, 2 ** 31))],
  ['options.leaseName', (mode) => either(mode, fc.constantFrom('sched-lock'), badString)],
  ['options.leaseDuration', (mode) => duration(mode, 1, 60)],
  ['props.port', port],
  ['props.env', (mode) => envMap(mode, ['LOG_LEVEL', 'POD_NAMESPACE'], ['POD_NAME', 'ELECTION_URL'])],
  ['props.apiAccess', bool],
  ['props.mounts', (mode) => either(mode, fc.constant([]), fc.constantFrom<unknown>([{ volume: 'kube-api-access', path: TOKEN_PATH }], [{ volume: 'kube-api-access', path: '/t' }]))],
];

/** With a scaling option, a run without scaling gets a valid one first, so that the option is the only change. */
const scalingFirst = (run: WorkQueueRun, path: string): WorkQueueRun =>
  (path.startsWith('props.scaling.') && props(run).scaling === undefined ? withScaling(run, {}) : run);

describe('each option alone, in otherwise consistent props, ends in valid manifests or a PatternValidationError', () => {
  const ALONE = 120;

  test('WorkQueue', () => {
    const tally = new Tally();
    assertProperty(oneOption(consistentWorkQueue(), WORK_QUEUE_OPTIONS, scalingFirst), ALONE, (run) => {
      checkDistributed(run, buildWorkQueue, tally);
    });
    console.log(`WorkQueue, one option: ${tally.share}`);
  });

  test('ScatterGather', () => {
    const tally = new Tally();
    assertProperty(oneOption(consistentScatterGather(), SCATTER_GATHER_OPTIONS), ALONE, (run) => {
      checkDistributed(run, buildScatterGather, tally);
    });
    console.log(`ScatterGather, one option: ${tally.share}`);
  });

  test('SingletonLocking.electionSidecar()', () => {
    const tally = new Tally();
    assertProperty(oneOption(consistentElection(), ELECTION_OPTIONS), ALONE, (run) => {
      checkDistributed(run, buildElection, tally);
    });
    console.log(`electionSidecar, one option: ${tally.share}`);
  });
});

// ---------------------------------------------------------------------------------------------
// Planted mistakes

/** A mistake planted in a consistent run, and where the one error must list it. */
interface Mistake<R> {
  readonly label: string;
  /** What the mistake changes: two mistakes on one slot are not planted together; `*`: planted alone. */
  readonly slots: string[];
  readonly plant: (run: R) => R;
  /** The construct path below the construct's (`''`, `/Workers`, `/Root`). */
  readonly below: string;
  /** The prop of the problem (or a prop it starts: `scaling.triggers[0]`). */
  readonly prop: string;
}

/** Up to three mistakes of `catalog` on different slots, planted in a run of `base`. */
function planted<R>(base: fc.Arbitrary<R>, catalog: Array<Mistake<R>>): fc.Arbitrary<{ run: R; mistakes: Array<Mistake<R>> }> {
  const labelled = catalog.map((m) => Object.assign(m, { [fc.toStringMethod]: () => m.label }));
  return fc.tuple(base, fc.shuffledSubarray(labelled, { minLength: 1, maxLength: 3 })).map(([run, chosen]) => {
    const mistakes: Array<Mistake<R>> = [];
    const clash = (a: Mistake<R>, b: Mistake<R>) => a.slots.includes('*') || b.slots.includes('*') || a.slots.some((s) => b.slots.includes(s));
    for (const m of chosen) if (!mistakes.some((x) => clash(x, m))) mistakes.push(m);
    return { run: mistakes.reduce((r, m) => m.plant(r), run), mistakes };
  });
}

/** Builds the planted run; it must be rejected with a problem for every mistake, at its path and prop. */
function listsEveryMistake<R>(path: string, planting: { run: R; mistakes: Array<Mistake<R>> }, build: (chart: Chart, run: R) => void): void {
  const e = rejection((chart) => build(chart, realizeRun(planting.run)));
  const shown = e.problems.map((p) => `${p.path}: ${p.prop}`);
  for (const m of planting.mistakes) {
    const listed = e.problems.some((p) => p.path === `${path}${m.below}`
      && (p.prop === m.prop || p.prop.startsWith(`${m.prop}.`) || p.prop.startsWith(`${m.prop}[`)));
    if (!listed) throw new Error(`the mistake "${m.label}" is not listed at ${path}${m.below}: ${m.prop}; listed:\n  ${shown.join('\n  ')}`);
  }
}

/** Makes the Lazy values of a run (as `checkOutcome` does). */
function realizeRun<R>(run: R): R {
  const realize = (v: unknown): unknown => {
    if (v instanceof Lazy) return v.make();
    if (Array.isArray(v)) return v.map(realize);
    if (isMap(v) && Object.getPrototypeOf(v) === Object.prototype) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, realize(x)]));
    return v;
  };
  return realize(run) as R;
}

const lazy = (label: string, make: () => unknown) => new Lazy(label, make);
const props = <R extends { props: unknown }>(run: R) => run.props as { [key: string]: any };
/** `run` with `patch` merged into its props. */
const withProps = <R extends { props: unknown }>(run: R, patch: { [key: string]: unknown }): R => ({ ...run, props: merged(props(run), patch) });

const REDIS_LIST = lazy('ScaleTrigger.redisList({ listName: "jobs", listLength: 5, addressFromEnv: "QUEUE_ADDRESS" })',
  () => ScaleTrigger.redisList({ listName: 'jobs', listLength: 5, addressFromEnv: 'QUEUE_ADDRESS' }));
/** `run` with `patch` merged into its scaling (a valid one if it has none). */
const withScaling = (run: WorkQueueRun, patch: { [key: string]: unknown }): WorkQueueRun =>
  withProps(run, { scaling: merged(props(run).scaling ?? { maxJobs: 2, triggers: [REDIS_LIST] }, patch) });
const withQueue = (kind: QueueKind, arg?: unknown) => (run: WorkQueueRun): WorkQueueRun => ({ ...run, queue: { kind, arg } });

/** Mistakes the WorkQueue itself finds (path `main/w`). */
const WORK_QUEUE_MISTAKES: Array<Mistake<WorkQueueRun>> = [
  { label: 'queueName ""', slots: ['queueName'], plant: (r) => withProps(r, { queueName: '' }), below: '', prop: 'queueName' },
  { label: 'workQueue false', slots: ['workQueue'], plant: (r) => withProps(r, { workQueue: false }), below: '', prop: 'workQueue' },
  { label: 'env QUEUE_HOST', slots: ['env'], plant: (r) => withProps(r, { env: { ...props(r).env, QUEUE_HOST: 'localhost' } }), below: '', prop: 'env["QUEUE_HOST"]' },
  {
    label: 'envVariables [QUEUE_PORT]',
    slots: ['envVariables'],
    plant: (r) => withProps(r, { envVariables: [lazy('EnvVariable.literal("QUEUE_PORT", "1")', () => EnvVariable.literal('QUEUE_PORT', '1'))] }),
    below: '',
    prop: 'envVariables[0].name',
  },
  { label: 'misspelt queueNme', slots: ['typo'], plant: (r) => withProps(r, { queueNme: 'jobs' }), below: '', prop: 'queueNme' },
  { label: 'queue without a Service', slots: ['queue'], plant: withQueue('portless'), below: '', prop: 'queue' },
  { label: 'queue a PeriodicJob', slots: ['queue'], plant: withQueue('periodic'), below: '', prop: 'queue' },
  { label: 'queue a BatchJob', slots: ['queue'], plant: withQueue('batch'), below: '', prop: 'queue' },
  { label: 'queue not built', slots: ['queue'], plant: withQueue('unbuilt'), below: '', prop: 'queue' },
  { label: 'no queue', slots: ['queue'], plant: withQueue('missing'), below: '', prop: 'queue' },
  { label: 'queue "redis:6379"', slots: ['queue'], plant: withQueue('garbage', 'redis:6379'), below: '', prop: 'queue' },
  { label: 'scaling.maxJobs 0', slots: ['maxJobs'], plant: (r) => withScaling(r, { maxJobs: 0 }), below: '', prop: 'scaling.maxJobs' },
  { label: 'no scaling.maxJobs', slots: ['maxJobs'], plant: (r) => withScaling(r, { maxJobs: undefined }), below: '', prop: 'scaling.maxJobs' },
  { label: 'scaling.strategy "fast"', slots: ['strategy'], plant: (r) => withScaling(r, { strategy: 'fast' }), below: '', prop: 'scaling.strategy' },
  { label: 'scaling.kedaNamespace "KEDA"', slots: ['kedaNamespace'], plant: (r) => withScaling(r, { kedaNamespace: 'KEDA' }), below: '', prop: 'scaling.kedaNamespace' },
  {
    label: 'scaling.pollingInterval 1.5 s',
    slots: ['pollingInterval'],
    plant: (r) => withScaling(r, { pollingInterval: lazy('Duration.millis(1500)', () => Duration.millis(1500)) }),
    below: '',
    prop: 'scaling.pollingInterval',
  },
  { label: 'scaling.triggers []', slots: ['triggers'], plant: (r) => withScaling(r, { triggers: [] }), below: '', prop: 'scaling.triggers' },
  {
    label: 'scaling.triggers [cpu]',
    slots: ['triggers'],
    plant: (r) => withScaling(r, { triggers: [lazy('ScaleTrigger.cpu(70)', () => ScaleTrigger.cpu(70))] }),
    below: '',
    prop: 'scaling.triggers[0]',
  },
  {
    label: 'scaling.triggers [redisList from MISSING]',
    slots: ['triggers'],
    plant: (r) => withScaling(r, {
      triggers: [lazy('ScaleTrigger.redisList({ ..., addressFromEnv: "MISSING" })',
        () => ScaleTrigger.redisList({ listName: 'jobs', listLength: 5, addressFromEnv: 'MISSING' }))],
    }),
    below: '',
    prop: 'scaling.triggers[0].addressFromEnv',
  },
  {
    label: 'scaling.triggers [redisList of length 0]',
    slots: ['triggers'],
    plant: (r) => withScaling(r, {
      triggers: [lazy('ScaleTrigger.redisList({ ..., listLength: 0 })',
        () => ScaleTrigger.redisList({ listName: 'jobs', listLength: 0, addressFromEnv: 'QUEUE_ADDRESS' }))],
    }),
    below: '',
    prop: 'scaling.triggers[0].listLength',
  },
  { label: 'scaling with suspend', slots: ['suspend'], plant: (r) => withProps(withScaling(r, {}), { suspend: true }), below: '', prop: 'suspend' },
  { label: 'scaling with generateName', slots: ['generateName'], plant: (r) => withProps(withScaling(r, {}), { generateName: true }), below: '', prop: 'generateName' },
  { label: 'misspelt scaling.maxJob', slots: ['scalingTypo'], plant: (r) => withScaling(r, { maxJob: 3 }), below: '', prop: 'scaling.maxJob' },
];

/**
 * Mistakes the workers' Job finds (path `main/w/Workers`). Not planted together with those of the
 * WorkQueue: the WorkQueue stops at its own problems, before its Job is made (bug, see 'bugs found').
 */
const WORKERS_MISTAKES: Array<Mistake<WorkQueueRun>> = [
  { label: 'completions 3', slots: ['completions'], plant: (r) => withProps(r, { completions: 3 }), below: '/Workers', prop: 'completions' },
  { label: 'backoffLimit -1', slots: ['backoffLimit'], plant: (r) => withProps(r, { backoffLimit: -1 }), below: '/Workers', prop: 'backoffLimit' },
  { label: 'parallelism 1.5', slots: ['parallelism'], plant: (r) => withProps(r, { parallelism: 1.5 }), below: '/Workers', prop: 'parallelism' },
  { label: 'an unpinned image', slots: ['image'], plant: (r) => withProps(r, { image: 'ghcr.io/acme/thumbnailer' }), below: '/Workers', prop: 'image' },
  {
    label: 'ttlAfterFinished 1.5 s',
    slots: ['ttlAfterFinished'],
    plant: (r) => withProps(r, { ttlAfterFinished: lazy('Duration.millis(1500)', () => Duration.millis(1500)) }),
    below: '/Workers',
    prop: 'ttlAfterFinished',
  },
  { label: 'completionMode "Nope"', slots: ['completionMode'], plant: (r) => withProps(r, { completionMode: 'Nope' }), below: '/Workers', prop: 'completionMode' },
];

const withRoot = (run: ScatterGatherRun, patch: { [key: string]: unknown }): ScatterGatherRun =>
  withProps(run, { root: merged(props(run).root, patch) });
const withLeaves = (run: ScatterGatherRun, patch: { [key: string]: unknown }, kind = run.leaves.kind): ScatterGatherRun =>
  ({ ...run, leaves: { ...run.leaves, kind, props: merged(run.leaves.props ?? {}, patch) } });
const apartFromRoot = (l: Layout): Layout => (l.mine !== undefined ? { mine: l.mine, apart: true } : { apart: true, theirs: 'index' });

/** Mistakes the ScatterGather finds (path `main/search`), and those of its root (`main/search/Root`). */
const SCATTER_GATHER_MISTAKES: Array<Mistake<ScatterGatherRun>> = [
  { label: 'leaves a StatelessService', slots: ['leaves'], plant: (r) => withLeaves(r, {}, 'stateless'), below: '', prop: 'leaves' },
  { label: 'leaves without a port', slots: ['leaves'], plant: (r) => withLeaves(r, { port: undefined, clientService: false }), below: '', prop: 'leaves' },
  { label: 'leaves of 0 replicas', slots: ['leaves'], plant: (r) => withLeaves(r, { replicas: 0 }), below: '', prop: 'leaves' },
  { label: 'leaves autoscaled', slots: ['leaves'], plant: (r) => withLeaves(r, { autoscaled: true }), below: '', prop: 'leaves' },
  // Found at synth, by a ScatterGather that was built: planted alone (with another mistake, it is not built, and has no list to go stale).
  { label: 'leaves scaled by an HPA made after', slots: ['*'], plant: (r) => withLeaves(r, {}, 'hpa-after'), below: '', prop: 'leaves' },
  { label: 'leaves whose replicas are patched', slots: ['*'], plant: (r) => withLeaves(r, {}, 'patched'), below: '', prop: 'leaves' },
  { label: 'leaves not built', slots: ['leaves'], plant: (r) => withLeaves(r, {}, 'unbuilt'), below: '', prop: 'leaves' },
  { label: 'no leaves', slots: ['leaves'], plant: (r) => withLeaves(r, {}, 'missing'), below: '', prop: 'leaves' },
  {
    label: 'leaves in a chart with a namespace and the root in one without, or the other way round',
    slots: ['leaves', 'layout'],
    plant: (r) => ({ ...r, layout: apartFromRoot(r.layout) }),
    below: '',
    prop: 'leaves',
  },
  { label: 'no root.port', slots: ['rootPort'], plant: (r) => withRoot(r, { port: undefined, health: lazy('HealthCheck.none()', () => HealthCheck.none()) }), below: '', prop: 'root.port' },
  { label: 'root.env LEAF_COUNT', slots: ['rootEnv'], plant: (r) => withRoot(r, { env: { ...props(r).root.env, LEAF_COUNT: '4' } }), below: '', prop: 'root.env["LEAF_COUNT"]' },
  {
    label: 'root.envVariables [LEAF_PORT]',
    slots: ['rootVariables'],
    plant: (r) => withRoot(r, { envVariables: [lazy('EnvVariable.literal("LEAF_PORT", "1")', () => EnvVariable.literal('LEAF_PORT', '1'))] }),
    below: '',
    prop: 'root.envVariables[0].name',
  },
  {
    label: 'root.envFrom a ConfigMap with COUNT, prefixed LEAF_',
    slots: ['rootEnvFrom'],
    plant: (r) => withRoot(r, {
      envFrom: [lazy('EnvFrom.configMap({ knownKeys: ["COUNT"] }, { prefix: "LEAF_" })',
        () => EnvFrom.configMap({ configMapName: 'settings', knownKeys: ['COUNT'] }, { prefix: 'LEAF_' }))],
    }),
    below: '',
    prop: 'root.envFrom[0]',
  },
  { label: 'clusterDomain "Not A Domain"', slots: ['clusterDomain'], plant: (r) => withProps(r, { clusterDomain: 'Not A Domain' }), below: '', prop: 'clusterDomain' },
  { label: 'misspelt leafs', slots: ['typo'], plant: (r) => withProps(r, { leafs: 3 }), below: '', prop: 'leafs' },
  { label: 'no root', slots: ['root', 'rootPort', 'rootEnv', 'rootVariables', 'rootEnvFrom', 'rootImage', 'rootReplicas'], plant: (r) => withProps(r, { root: undefined }), below: '', prop: 'root' },
  { label: 'root.image unpinned', slots: ['rootImage'], plant: (r) => withRoot(r, { image: 'ghcr.io/acme/search-root' }), below: '/Root', prop: 'image' },
  { label: 'root.replicas -1', slots: ['rootReplicas'], plant: (r) => withRoot(r, { replicas: -1 }), below: '/Root', prop: 'replicas' },
];

const ELECTION = 'locking.electionSidecar';
const withOptions = (run: ElectionRun, patch: { [key: string]: unknown }): ElectionRun => ({ ...run, options: merged(run.options ?? {}, patch) });
const withSidecar = (run: ElectionRun, patch: { [key: string]: unknown }): ElectionRun =>
  withOptions(run, { sidecar: merged((run.options?.sidecar ?? {}) as object, patch) });
const electorPort = (run: ElectionRun) => (run.options?.sidecar as { port: number }).port;

/** Mistakes the SingletonService finds before it makes its objects (path `main/sched`). */
const ELECTION_MISTAKES: Array<Mistake<ElectionRun>> = [
  { label: 'no sidecar.port', slots: ['electorPort'], plant: (r) => withSidecar(r, { port: undefined }), below: '', prop: `${ELECTION}.sidecar.port` },
  {
    label: 'port = sidecar.port',
    slots: ['electorPort', 'appPort'],
    plant: (r) => withProps(r, { port: electorPort(r), network: { allowFrom: [{ peer: lazy('NetworkPeer.namespace("clients")', () => NetworkPeer.namespace('clients')) }] } }),
    below: '',
    prop: `${ELECTION}.sidecar.port`,
  },
  { label: 'no sidecar.health', slots: ['electorHealth'], plant: (r) => withSidecar(r, { health: undefined }), below: '', prop: `${ELECTION}.sidecar.health` },
  { label: 'sidecar.env LEASE_NAME', slots: ['electorEnv'], plant: (r) => withSidecar(r, { env: { LEASE_NAME: 'x' } }), below: '', prop: `${ELECTION}.sidecar.env["LEASE_NAME"]` },
  {
    label: 'sidecar.envVariables [POD_NAMESPACE]',
    slots: ['electorVariables'],
    plant: (r) => withSidecar(r, { envVariables: [lazy('EnvVariable.fromPodField("POD_NAMESPACE", ...)', () => EnvVariable.fromPodField('POD_NAMESPACE', PodField.NAMESPACE))] }),
    below: '',
    prop: `${ELECTION}.sidecar.envVariables[0].name`,
  },
  { label: 'native "yes"', slots: ['native'], plant: (r) => withOptions(r, { native: 'yes' }), below: '', prop: `${ELECTION}.native` },
  { label: 'replicas 1', slots: ['replicas'], plant: (r) => withOptions(r, { replicas: 1 }), below: '', prop: `${ELECTION}.replicas` },
  { label: 'replicas 2.5', slots: ['replicas'], plant: (r) => withOptions(r, { replicas: 2.5 }), below: '', prop: `${ELECTION}.replicas` },
  { label: 'leaseName "Bad Name"', slots: ['leaseName'], plant: (r) => withOptions(r, { leaseName: 'Bad Name' }), below: '', prop: `${ELECTION}.leaseName` },
  {
    label: 'leaseDuration 1.5 s',
    slots: ['leaseDuration'],
    plant: (r) => withOptions(r, { leaseDuration: lazy('Duration.millis(1500)', () => Duration.millis(1500)) }),
    below: '',
    prop: `${ELECTION}.leaseDuration`,
  },
  { label: 'misspelt option port', slots: ['optionsTypo'], plant: (r) => withOptions(r, { port: 4040 }), below: '', prop: `${ELECTION}.port` },
  { label: 'env ELECTION_URL', slots: ['appEnv'], plant: (r) => withProps(r, { env: { ELECTION_URL: 'x' } }), below: '', prop: 'env["ELECTION_URL"]' },
  {
    label: 'envVariables [POD_NAME]',
    slots: ['appVariables'],
    plant: (r) => withProps(r, { envVariables: [lazy('EnvVariable.fromPodField("POD_NAME", PodField.NAME)', () => EnvVariable.fromPodField('POD_NAME', PodField.NAME))] }),
    below: '',
    prop: 'envVariables[0].name',
  },
  { label: 'apiAccess true', slots: ['apiAccess'], plant: (r) => withProps(r, { apiAccess: true }), below: '', prop: 'apiAccess' },
  { label: 'apiAccess false', slots: ['apiAccess'], plant: (r) => withProps(r, { apiAccess: false }), below: '', prop: 'apiAccess' },
  { label: 'mounts [kube-api-access]', slots: ['appMounts'], plant: (r) => withProps(r, { mounts: [{ volume: 'kube-api-access', path: TOKEN_PATH }] }), below: '', prop: 'mounts[0].volume' },
  { label: 'replicas 3 (not a prop)', slots: ['appReplicas'], plant: (r) => withProps(r, { replicas: 3 }), below: '', prop: 'replicas' },
];

/**
 * Mistakes found in the elector's container itself (path `main/sched`), after the SingletonService
 * has found none of its own. Not planted together with those above: the SingletonService stops at
 * its own problems, before it adds the elector (bug, see 'bugs found').
 */
const ELECTOR_MISTAKES: Array<Mistake<ElectionRun>> = [
  { label: 'sidecar.image unpinned', slots: ['electorImage'], plant: (r) => withSidecar(r, { image: 'elector' }), below: '', prop: `${ELECTION}.sidecar.image` },
  { label: 'sidecar.name "app"', slots: ['electorName'], plant: (r) => withSidecar(r, { name: 'app' }), below: '', prop: `${ELECTION}.sidecar.name` },
  { label: 'sidecar.name "Elector"', slots: ['electorName'], plant: (r) => withSidecar(r, { name: 'Elector' }), below: '', prop: `${ELECTION}.sidecar.name` },
  { label: 'sidecar.portName too long', slots: ['electorPortName'], plant: (r) => withSidecar(r, { portName: 'a-very-long-port-name' }), below: '', prop: `${ELECTION}.sidecar.portName` },
  {
    label: 'sidecar.mounts [kube-api-access at the token path]',
    slots: ['electorMounts'],
    plant: (r) => withSidecar(r, { mounts: [{ volume: 'kube-api-access', path: TOKEN_PATH }] }),
    below: '',
    prop: `${ELECTION}.sidecar.mounts`,
  },
  { label: 'sidecar.mounts [a volume that is not]', slots: ['electorMounts'], plant: (r) => withSidecar(r, { mounts: [{ volume: 'nope', path: '/x' }] }), below: '', prop: `${ELECTION}.sidecar.mounts[0]` },
  {
    label: 'sidecar.port the app\'s metrics port',
    slots: ['electorPort'],
    plant: (r) => withProps(r, { additionalPorts: [{ number: electorPort(r), name: 'metrics' }] }),
    below: '',
    prop: `${ELECTION}.sidecar.port`,
  },
  { label: 'sidecar.args [$(NOPE)]', slots: ['electorArgs'], plant: (r) => withSidecar(r, { args: ['--id=$(NOPE)'] }), below: '', prop: `${ELECTION}.sidecar.args[0]` },
];

describe('one error lists every mistake planted in consistent props', () => {
  const PLANTED = 60;

  test('WorkQueue: its own mistakes', () => {
    assertProperty(planted(consistentWorkQueue(), WORK_QUEUE_MISTAKES), PLANTED, (p) => listsEveryMistake('main/w', p, buildWorkQueue));
  });

  test('WorkQueue: the mistakes of its Job', () => {
    assertProperty(planted(consistentWorkQueue(), WORKERS_MISTAKES), PLANTED, (p) => listsEveryMistake('main/w', p, buildWorkQueue));
  });

  test('ScatterGather: its own mistakes and those of its root', () => {
    assertProperty(planted(consistentScatterGather(), SCATTER_GATHER_MISTAKES), PLANTED, (p) => listsEveryMistake('main/search', p, buildScatterGather));
  });

  test('electionSidecar: the SingletonService\'s mistakes', () => {
    assertProperty(planted(consistentElection(), ELECTION_MISTAKES), PLANTED, (p) => listsEveryMistake('main/sched', p, buildElection));
  });

  test('electionSidecar: the elector container\'s mistakes', () => {
    assertProperty(planted(consistentElection(), ELECTOR_MISTAKES), PLANTED, (p) => listsEveryMistake('main/sched', p, buildElection));
  });
});

// ---------------------------------------------------------------------------------------------
// The checks of accepted manifests can fail

describe('distributedErrors finds what it looks for (the checks can fail)', () => {
  /** The manifests of `build`, which must be valid. */
  const manifestsOf = (build: (chart: Chart) => void): Manifest[] => {
    const chart = freshChart();
    build(chart);
    const app = chart.node.root as any;
    app.synthYaml();
    const manifests: Manifest[] = app.charts.flatMap((c: Chart) => c.toJson());
    expect(distributedErrors(manifests)).toEqual([]);
    return manifests;
  };
  /** The errors of `distributedErrors` once `tamper` has changed a copy of `manifests`. */
  const errorsAfter = (manifests: Manifest[], tamper: (ms: any[]) => void): string => {
    const copy = JSON.parse(JSON.stringify(manifests));
    tamper(copy);
    return distributedErrors(copy).join('\n');
  };
  const find = (ms: any[], kind: string, objectName: string) => ms.find((m) => m.kind === kind && m.metadata.name === objectName);

  test('WorkQueue: the address, the port, the NetworkPolicies, the ScaledJob', () => {
    const out = manifestsOf((chart) => {
      const queue = new StatefulService(chart, 'queue', { image: 'redis:7.2.4', port: 6379, replicas: 1 });
      new WorkQueue(chart, 'w', { image: WORKER_IMAGE, queue, scaling: { maxJobs: 3, triggers: [REDIS_LIST.make() as ScaleTrigger] } });
    });
    const container = (ms: any[]) => find(ms, 'ScaledJob', 'w').spec.jobTargetRef.template.spec.containers[0];
    const env = (ms: any[], k: string) => container(ms).env.find((e: any) => e.name === k);
    expect(errorsAfter(out, (ms) => { env(ms, 'QUEUE_PORT').value = '6380'; })).toContain('QUEUE_ADDRESS queue:6379 is not QUEUE_HOST:QUEUE_PORT');
    expect(errorsAfter(out, (ms) => { env(ms, 'QUEUE_HOST').value = 'other'; env(ms, 'QUEUE_ADDRESS').value = 'other:6379'; })).toContain('no Service other');
    expect(errorsAfter(out, (ms) => { find(ms, 'ScaledJob', 'w').spec.jobTargetRef.completions = 3; })).toContain('has completions (3)');
    expect(errorsAfter(out, (ms) => { find(ms, 'ScaledJob', 'w').spec.triggers[0].metadata.addressFromEnv = 'NOPE'; })).toContain('reads addressFromEnv=NOPE');
    expect(errorsAfter(out, (ms) => { find(ms, 'ScaledJob', 'w').spec.triggers.push({ type: 'cpu', metadata: {} }); })).toContain('cannot scale on cpu');
    expect(errorsAfter(out, (ms) => {
      const policy = find(ms, 'NetworkPolicy', 'queue');
      policy.spec.ingress = policy.spec.ingress.filter((r: any) => !r.from.some((p: any) => p.namespaceSelector));
    })).toContain('admits no KEDA namespace on port 6379');
    expect(errorsAfter(out, (ms) => { find(ms, 'NetworkPolicy', 'w').spec.egress = []; })).toContain('lets them reach no queue pod');
    expect(errorsAfter(out, (ms) => { ms.push({ ...find(ms, 'ScaledJob', 'w'), apiVersion: 'batch/v1', kind: 'Job' }); })).toContain('emitted beside its ScaledJob');
  });

  test('ScatterGather: the count, the addresses, the NetworkPolicies, autoscalers', () => {
    const out = manifestsOf((chart) => {
      const leaves = new StatefulService(chart, 'shard', { image: SHARD_IMAGE, port: 9200, replicas: 3 });
      new ScatterGather(chart, 'search', { leaves, root: { image: ROOT_IMAGE, port: 8080, network: { allowFrom: [{ peer: NetworkPeer.namespace('clients') }] } } });
    });
    const env = (ms: any[], k: string) => find(ms, 'Deployment', 'search').spec.template.spec.containers[0].env.find((e: any) => e.name === k);
    expect(errorsAfter(out, (ms) => { env(ms, 'LEAF_COUNT').value = '4'; })).toContain('LEAF_ADDRESSES lists 3 leaves, LEAF_COUNT says 4');
    expect(errorsAfter(out, (ms) => { find(ms, 'StatefulSet', 'shard').spec.replicas = 4; })).toContain('the leaves render 4 replicas');
    expect(errorsAfter(out, (ms) => { env(ms, 'LEAF_ADDRESSES').value = 'shard-0.shard-headless:9200,shard-2.shard-headless:9200,x:9200'; }))
      .toContain('is not shard-0.shard-headless:9200,shard-1.shard-headless:9200');
    expect(errorsAfter(out, (ms) => { find(ms, 'NetworkPolicy', 'shard').spec.ingress = []; })).toContain('the leaves do not admit the root on 9200');
    expect(errorsAfter(out, (ms) => {
      ms.push({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x' }, spec: { scaleTargetRef: { name: 'shard' } } });
    })).toContain('the leaves are autoscaled');
  });

  test('electionSidecar: the token in the elector alone, the Lease, the Role, the URL', () => {
    const out = manifestsOf((chart) => new SingletonService(chart, 'sched', {
      image: APP_IMAGE,
      locking: SingletonLocking.electionSidecar({ replicas: 3, sidecar: { name: 'elector', image: ELECTOR_IMAGE, port: 4040, health: HealthCheck.none() } }),
    }));
    const pod = (ms: any[]) => find(ms, 'Deployment', 'sched').spec.template.spec;
    const token = () => pod(out).containers[1].volumeMounts.find((vm: any) => vm.mountPath === TOKEN_PATH);
    expect(token()).toBeDefined();
    expect(errorsAfter(out, (ms) => { pod(ms).containers[0].volumeMounts.push(token()); })).toContain('the app\'s container mounts the token');
    expect(errorsAfter(out, (ms) => { pod(ms).containers[1].volumeMounts = []; })).toContain('0 containers hold the token');
    expect(errorsAfter(out, (ms) => { pod(ms).automountServiceAccountToken = true; })).toContain('the token is mounted automatically');
    expect(errorsAfter(out, (ms) => { find(ms, 'Deployment', 'sched').spec.replicas = 1; })).toContain('Deployment of 1 replicas');
    expect(errorsAfter(out, (ms) => { find(ms, 'Lease', 'sched-leader').spec.leaseDurationSeconds = 30; })).toContain('LEASE_DURATION_SECONDS 15, the Lease says 30');
    expect(errorsAfter(out, (ms) => { find(ms, 'Role', 'sched-leader-election').rules[0].resourceNames = ['other']; })).toContain('may not update the Lease sched-leader');
    expect(errorsAfter(out, (ms) => { find(ms, 'Role', 'sched-leader-election').rules[0].verbs.push('create'); })).toContain('grants more than get and update');
    expect(errorsAfter(out, (ms) => { pod(ms).containers[0].env.find((e: any) => e.name === 'ELECTION_URL').value = 'http://127.0.0.1:4041'; }))
      .toContain('the elector does not listen on 4041');
  });

  test('pods: names, volumes and mounts, variables defined once, probes of plain init containers, objects defined once', () => {
    const out = manifestsOf((chart) => new SingletonService(chart, 'sched', {
      image: APP_IMAGE,
      locking: SingletonLocking.electionSidecar({ native: true, sidecar: { name: 'elector', image: ELECTOR_IMAGE, port: 4040, health: HealthCheck.exec(['/e']) } }),
    }));
    const pod = (ms: any[]) => find(ms, 'Deployment', 'sched').spec.template.spec;
    expect(pod(out).initContainers[0].restartPolicy).toBe('Always');
    expect(errorsAfter(out, (ms) => { delete pod(ms).initContainers[0].restartPolicy; })).toContain('plain init container elector has livenessProbe');
    expect(errorsAfter(out, (ms) => { pod(ms).initContainers[0].name = 'app'; })).toContain('are not unique');
    expect(errorsAfter(out, (ms) => { pod(ms).containers[0].env.push({ name: 'POD_NAME', value: 'x' }); })).toContain('defines a variable twice');
    expect(errorsAfter(out, (ms) => { pod(ms).containers[0].volumeMounts.push({ name: 'nope', mountPath: '/nope' }); })).toContain('mounts nope, not a volume of the pod');
    expect(errorsAfter(out, (ms) => { pod(ms).containers[0].volumeMounts.push({ ...pod(ms).containers[0].volumeMounts[0] }); })).toContain('a path twice');
    expect(errorsAfter(out, (ms) => { ms.push(find(ms, 'Lease', 'sched-leader')); })).toContain('is defined 2 times');
  });
});

// ---------------------------------------------------------------------------------------------
// Bugs

/**
 * The bugs the properties above found, each with its minimal input, fixed: these keep them fixed.
 */
describe('bugs found by the properties, fixed', () => {
  const CALLERS = { allowFrom: [{ peer: NetworkPeer.namespace('clients') }] };
  const ELECTOR = { name: 'elector', image: ELECTOR_IMAGE, port: 4040, health: HealthCheck.none() };
  const redisList = () => ScaleTrigger.redisList({ listName: 'jobs', listLength: 5, addressFromEnv: 'QUEUE_ADDRESS' });
  /** The props of the problems of `build`'s one error, as `path: prop`. */
  const listed = (build: (chart: Chart) => void) => rejection(build).problems.map((p) => `${p.path}: ${p.prop}`);

  test('WorkQueue with scaling, on a queue whose Service port (80) is not its container port (8080): KEDA is admitted on the container port', () => {
    const outcome = checkDistributed({}, (chart) => {
      const queue = new StatelessService(chart, 'broker', { image: 'ghcr.io/acme/broker:1.0.0', port: 8080, servicePort: 80 });
      new WorkQueue(chart, 'w', { image: WORKER_IMAGE, queue, scaling: { maxJobs: 2, triggers: [redisList()] } });
    });
    expect(outcome).toBe('valid');
  });

  test('WorkQueue: its own mistakes and those of its Job in one error', () => {
    const problems = listed((chart) => {
      const queue = new StatefulService(chart, 'queue', { image: 'redis:7.2.4', port: 6379, replicas: 1 });
      new WorkQueue(chart, 'w', { image: WORKER_IMAGE, queue, queueName: '', completions: 10 });
    });
    expect(problems).toEqual(expect.arrayContaining(['shop/w: queueName', 'shop/w/Workers: completions']));
  });

  test('electionSidecar: the SingletonService\'s mistakes and the elector container\'s in one error', () => {
    const problems = listed((chart) => new SingletonService(chart, 'sched', {
      image: APP_IMAGE, env: { ELECTION_URL: 'x' }, locking: SingletonLocking.electionSidecar({ sidecar: { ...ELECTOR, image: 'elector' } }),
    }));
    expect(problems).toEqual(expect.arrayContaining(['shop/sched: env["ELECTION_URL"]', 'shop/sched: locking.electionSidecar.sidecar.image']));
  });

  for (const [label, make] of [['Symbol()', () => Symbol('s')], ['Object.create(null)', () => Object.create(null)]] as Array<[string, () => unknown]>) {
    test(`electionSidecar: sidecar.port ${label} is reported, not a TypeError`, () => {
      expect(listed((chart) => new SingletonService(chart, 'sched', {
        image: APP_IMAGE, locking: SingletonLocking.electionSidecar({ sidecar: { ...ELECTOR, port: make() as number } }),
      }))).toContain('shop/sched: locking.electionSidecar.sidecar.port');
    });
  }

  for (const [label, make] of [['Symbol()', () => Symbol('s')], ['Object.create(null)', () => Object.create(null)]] as Array<[string, () => unknown]>) {
    test(`ScatterGather: clusterDomain ${label} is reported, not a TypeError`, () => {
      expect(listed((chart) => {
        const search = new Chart(chart.node.root, 'search', { namespace: 'search' });
        new ScatterGather(search, 'search', {
          leaves: new StatefulService(search, 'shard', { image: SHARD_IMAGE, port: 9200, replicas: 2 }),
          root: { image: ROOT_IMAGE, port: 8080, network: CALLERS },
          clusterDomain: make() as string,
        });
      })).toContain('search/search: clusterDomain');
    });
  }

  test('electionSidecar: a problem of the elector\'s envVariables[0] is reported at its own index', () => {
    expect(listed((chart) => new SingletonService(chart, 'sched', {
      image: APP_IMAGE, locking: SingletonLocking.electionSidecar({ sidecar: { ...ELECTOR, envVariables: [EnvVariable.literal('1BAD', 'x')] } }),
    }))).toContain('shop/sched: locking.electionSidecar.sidecar.envVariables[0].name');
  });

  test('WorkQueue scaling: a trigger that reads MISSING, which no source defines (envFrom is a ConfigMap whose keys are known), is rejected', () => {
    expect(listed((chart) => {
      const queue = new StatefulService(chart, 'queue', { image: 'redis:7.2.4', port: 6379, replicas: 1 });
      new WorkQueue(chart, 'w', {
        image: WORKER_IMAGE,
        queue,
        envFrom: [EnvFrom.configMap({ configMapName: 'settings', knownKeys: ['LOG_LEVEL'] })],
        scaling: { maxJobs: 2, triggers: [ScaleTrigger.redisList({ listName: 'jobs', listLength: 5, addressFromEnv: 'MISSING' })] },
      });
    })).toContain('shop/w: scaling.triggers[0].addressFromEnv');
  });

  test('electionSidecar: the elector\'s portName "http", taken by the app\'s port, is reported under sidecar.portName', () => {
    expect(listed((chart) => new SingletonService(chart, 'sched', {
      image: APP_IMAGE, port: 8080, network: CALLERS, locking: SingletonLocking.electionSidecar({ sidecar: { ...ELECTOR, portName: 'http' } }),
    }))).toContain('shop/sched: locking.electionSidecar.sidecar.portName');
  });
});
