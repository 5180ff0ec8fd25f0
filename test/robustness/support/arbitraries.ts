/**
 * Arbitraries for the property-based robustness tests: props as a TypeScript user writes them
 * (valid-looking, so that a good share of the runs synthesise) and as JavaScript callers, bad
 * casts and generated configuration can pass them (wrong types, NaN, ±Infinity, negative, huge and
 * fractional numbers, empty, very long and unicode strings, null, arrays where objects belong,
 * cdk8s Sizes and Durations with odd amounts).
 *
 * Values that need a factory call (`Size.kibibytes(1.5)`, `HealthCheck.http(...)`) are generated
 * as `Lazy` recipes and only made inside the property (`realize`), so that a factory that throws on
 * bad input is caught as the library's failure, and counterexamples print as the calls they are.
 */
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import {
  AccessMode, AppArmorProfile, BlueGreenTrack, ClaimRetention, CompletionMode, ConfigMapReference, DaemonExposure, DaemonUpdateStrategy, Demands,
  DeploymentStrategy, DisruptionBudget, DownwardApiFile, EnvFrom, EnvVariable, ExitCodeOperator, HealthCheck, HealthProbe, HostPathType,
  HttpPathMatch, JobRestartPolicy, LifecycleHook, NetworkPeer, NetworkProtocol, NodeOperator, PathType, PodConditionStatus, PodField,
  PodFailurePolicyAction, PodManagementPolicy, PodVolume, PolicyRule, ProbeScheme, ProjectedSource, ResourceField, ServiceExposure,
  SingletonLocking, SingletonWorkloadKind, Spread, StatefulUpdateStrategy, TaintEffect, TolerationOperator, TrafficPolicy, VolumeMode, Waiver,
} from '../../../src';

// ---------------------------------------------------------------------------------------------
// Lazy values

/** A value made by a factory call, made only when the property runs. */
export class Lazy {
  constructor(public readonly label: string, public readonly make: () => unknown) {}

  public [fc.toStringMethod](): string {
    return this.label;
  }
}

/** Makes every `Lazy` in `v` (in plain objects and arrays), inside the property. */
export function realize(v: unknown): unknown {
  if (v instanceof Lazy) return v.make();
  if (Array.isArray(v)) return v.map(realize);
  if (v !== null && typeof v === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(v))) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, realize(x)]));
  }
  return v;
}

/** `label(args...)`, made from generated arguments. */
export function call<A extends unknown[]>(
  label: string, fn: (...args: any[]) => unknown, ...args: { [K in keyof A]: fc.Arbitrary<A[K]> }
): fc.Arbitrary<Lazy> {
  return fc.tuple(...(args as fc.Arbitrary<unknown>[])).map((xs) => {
    // Trailing undefined arguments are left out of the label (the factory's defaults apply).
    let n = xs.length;
    while (n > 0 && xs[n - 1] === undefined) n--;
    return new Lazy(`${label}(${xs.slice(0, n).map((x) => fc.stringify(x)).join(', ')})`, () => fn(...xs.map(realize)));
  });
}

/**
 * A value of cdk8s or cdk8s-plus (`Size.kibibytes(1.5)`): made when generated, so that only the
 * values those libraries let exist are generated (`Size.mebibytes(-1)` throws in cdk8s itself).
 */
export function value<A extends unknown[]>(
  label: string, fn: (...args: any[]) => unknown, ...args: { [K in keyof A]: fc.Arbitrary<A[K]> }
): fc.Arbitrary<Lazy> {
  return call(label, fn, ...args).filter((lazy) => {
    try {
      const v = lazy.make();
      (lazy as any).make = () => v;
      return true;
    } catch {
      return false;
    }
  });
}

/** A constant factory call. */
export function made(label: string, fn: () => unknown): fc.Arbitrary<Lazy> {
  return fc.constant(new Lazy(label, fn));
}

// ---------------------------------------------------------------------------------------------
// Modes: a clean run uses valid-looking values only; a dirty run mixes in garbage.

export type Mode = 'clean' | 'dirty';

/** The good values in a clean run; in a dirty one, mostly good values and some bad ones. */
export function either<T>(mode: Mode, good: fc.Arbitrary<T>, ...bad: Array<fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  if (mode === 'clean' || bad.length === 0) return good;
  return fc.oneof({ weight: 4, arbitrary: good }, ...bad.map((arbitrary) => ({ weight: 1, arbitrary })));
}

/**
 * An object of optional fields, each present with probability `presence` (absent keys are left
 * out, as a caller would). Shrinks towards fewer fields.
 */
export function fields(model: { [key: string]: fc.Arbitrary<unknown> }, presence = 0.3): fc.Arbitrary<{ [key: string]: unknown }> {
  const keys = Object.keys(model);
  const present = Math.round(100 * presence);
  const option = (arb: fc.Arbitrary<unknown>) => fc.oneof({ withCrossShrink: true },
    { weight: 100 - present, arbitrary: fc.constant(undefined) }, { weight: present, arbitrary: arb });
  return fc.tuple(...keys.map((k) => (present === 0 ? fc.constant(undefined) : option(model[k])))).map((values) => {
    const out: { [key: string]: unknown } = {};
    values.forEach((v, i) => {
      if (v !== undefined) out[keys[i]] = v;
    });
    return out;
  });
}

/** A list of 0 to `max` items. */
export function list<T>(item: fc.Arbitrary<T>, max = 3): fc.Arbitrary<T[]> {
  return fc.array(item, { maxLength: max });
}

// ---------------------------------------------------------------------------------------------
// Garbage

export const LONG = 'x'.repeat(1000);
export const UNICODE = 'ünïcødé-😀-名前';

const nullProto = new Lazy('Object.create(null)', () => Object.create(null));

/** Values of the wrong type, or of the right type and an absurd amount. */
export const garbage: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom<unknown>(
      null, NaN, Infinity, -Infinity, -1, 0, -0, 1.5, 1e21, 2 ** 31, 2 ** 53, -(2 ** 31) - 1, '', ' ', LONG, UNICODE, '\u0000', 'false', 'true', '8080',
      true, false, [], [1, 2], ['a'], {}, { a: 1 }, [{}], [null], 10n,
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(Symbol('s'), () => 1, new Date(0), /re/, nullProto) },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer() },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(
      new Lazy('Size.kibibytes(1.5)', () => Size.kibibytes(1.5)),
      new Lazy('Size.mebibytes(1e21)', () => Size.mebibytes(1e21)),
      new Lazy('Duration.millis(1)', () => Duration.millis(1)),
      new Lazy('Duration.seconds(NaN)', () => Duration.seconds(NaN)),
      new Lazy('Cpu.millis(-1)', () => kplus.Cpu.millis(-1)),
      new Lazy('Cpu.units(Infinity)', () => kplus.Cpu.units(Infinity)),
    ),
  },
);

/** Numbers that are not what an integer field takes. */
export const badNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(NaN, Infinity, -Infinity, -1, 1.5, 0.1, 1e21, 2 ** 31, 2 ** 53, -(2 ** 31) - 1, -0, '3', null, true, [3], 10n),
  fc.double(),
  fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
);

/** Strings that are not names. */
export const badString: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>('', ' ', LONG, UNICODE, 'UPPER', '-lead', 'trail-', 'a_b', 'a..b', 'a/b/c', '\u0000', 'x'.repeat(64), 'x'.repeat(254), 5, null, [], ['a'], {}),
  fc.string({ maxLength: 80 }),
);

// ---------------------------------------------------------------------------------------------
// Scalars

export const dnsLabel = fc.stringMatching(/^[a-z]([-a-z0-9]{0,12}[a-z0-9])?$/);
export const word = fc.constantFrom('api', 'web', 'worker', 'db', 'cache', 'a', 'x1', 'node-agent');

export function int(mode: Mode, min: number, max: number): fc.Arbitrary<unknown> {
  return either(mode, fc.integer({ min, max }), badNumber);
}

export function bool(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode, fc.boolean(), fc.constantFrom('false', 'true', 0, 1, null, 'yes', [], {}));
}

export function name(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode, fc.oneof(word, dnsLabel), badString, garbage);
}

export function enumOf<T>(mode: Mode, values: T[]): fc.Arbitrary<unknown> {
  return either(mode, fc.constantFrom(...values), fc.constantFrom('', 'Nope', 'none', 'always', 0, null), garbage);
}

export function image(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode,
    fc.constantFrom('ghcr.io/acme/api:1.4.2', 'nginx:1.25.3', 'registry.example.com:5000/team/app:2.0.0', 'ghcr.io/acme/api@sha256:' + 'a'.repeat(64)),
    fc.constantFrom('nginx', 'nginx:latest', 'Nginx:1.0', 'ghcr.io/acme/api:', ':1.0', 'a b:1', 'ghcr.io/acme/api@sha256:xyz', LONG + ':1'),
    garbage);
}

export function port(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode, fc.oneof(fc.integer({ min: 1024, max: 65535 }), fc.constantFrom(8080, 9090)),
    fc.constantFrom(0, -1, 65536, 80, 1.5, NaN, Infinity, 1e21, '8080', null, [8080]), garbage);
}

export function portName(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode, fc.constantFrom('http', 'grpc', 'metrics', 'web-1'),
    fc.constantFrom('', 'HTTP', 'a-very-long-port-name', '1234', 'a--b', 'a_b'), garbage);
}

export function text(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode, fc.constantFrom('a reason', 'the node agent reads /var/log', UNICODE), fc.constantFrom('', ' ', 'two\nlines', LONG), garbage);
}

export function path(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode, fc.constantFrom('/healthz', '/', '/api/v1', '/var/data', '/etc/app'),
    fc.constantFrom('', 'relative', '/a/../b', '//x', '/tmp', '/', '/a/./b', LONG, `/${UNICODE}`), garbage);
}

/** A Duration of `min` to `max` whole seconds, or an odd one. */
export function duration(mode: Mode, min = 1, max = 300): fc.Arbitrary<unknown> {
  return either(mode,
    fc.oneof(
      value('Duration.seconds', Duration.seconds, fc.integer({ min, max })),
      ...(max >= 60 && min <= 60 ? [made('Duration.minutes(1)', () => Duration.minutes(1))] : []),
    ),
    fc.oneof(
      value('Duration.millis', Duration.millis, fc.constantFrom(1, 1500, 999, -1000, 2.5)),
      value('Duration.seconds', Duration.seconds, fc.constantFrom(NaN, Infinity, -5, 1e21, 2 ** 31, 0.5, 0)),
      value('Duration.days', Duration.days, fc.constantFrom(1e9, 1e4)),
      value('Duration.hours', Duration.hours, fc.constantFrom(-1, 1e12)),
      fc.constantFrom(5, '5s', { seconds: 5 }),
    ),
    garbage);
}

/** A Size of a whole number of MiB in `[min, max]`, or an odd one. */
export function size(mode: Mode, min = 1, max = 1024): fc.Arbitrary<unknown> {
  return either(mode,
    fc.oneof(
      value('Size.mebibytes', Size.mebibytes, fc.integer({ min, max })),
      ...(max >= 1024 ? [value('Size.gibibytes', Size.gibibytes, fc.integer({ min: 1, max: Math.floor(max / 1024) }))] : []),
    ),
    fc.oneof(
      value('Size.kibibytes', Size.kibibytes, fc.constantFrom(1.5, 1536, 1, 0, -1024, NaN)),
      value('Size.mebibytes', Size.mebibytes, fc.constantFrom(1e21, 0, -1, 0.5, NaN, Infinity, 2 ** 53, 2 ** 43)),
      value('Size.gibibytes', Size.gibibytes, fc.constantFrom(1e18, 0.001, 1e12)),
      value('Size.pebibyte', Size.pebibyte, fc.constantFrom(1e6, 8192, 0.5)),
      value('Size.tebibytes', Size.tebibytes, fc.constantFrom(1e9, 1.5)),
      fc.constantFrom(64, '64Mi', { mebibytes: 64 }),
    ),
    garbage);
}

export function cpu(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode,
    fc.oneof(value('Cpu.millis', kplus.Cpu.millis, fc.integer({ min: 10, max: 4000 })), value('Cpu.units', kplus.Cpu.units, fc.integer({ min: 1, max: 4 }))),
    fc.oneof(
      value('Cpu.millis', kplus.Cpu.millis, fc.constantFrom(-100, 0, 0.5, 1e21, NaN, 1.25)),
      value('Cpu.units', kplus.Cpu.units, fc.constantFrom(Infinity, -1, 0.001, 1e30, 2 ** 63)),
      fc.constantFrom(0.5, '500m', { millis: 500 }),
    ),
    garbage);
}

/** A map of labels (valid keys and values), or a bad one. */
export function labels(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode,
    fc.dictionary(fc.constantFrom('team', 'tier', 'example.com/owner', 'env'), fc.constantFrom('a', 'web', 'prod', ''), { maxKeys: 3 }),
    fc.constantFrom<unknown>(
      { 'Bad Key': 'x' }, { k: 5 }, { k: 'x'.repeat(64) }, { 'app.kubernetes.io/name': 'x' }, { '': 'x' }, { k: null }, { [UNICODE]: 'x' },
      { 'a/b/c': 'x' }, ['a'], 'team=a', { k: LONG }, { ['x'.repeat(300)]: 'v' },
    ),
    garbage);
}

/** String maps (annotations, env, data). */
export function stringMap(mode: Mode, keys: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  return either(mode,
    fc.dictionary(keys, fc.oneof(fc.constantFrom('v', '', 'a value', UNICODE), fc.string({ maxLength: 20 })), { maxKeys: 3 }),
    fc.constantFrom<unknown>({ k: 5 }, { k: null }, { k: true }, { k: ['a'] }, { k: {} }, ['a'], 'k=v', { 'bad key': 'v' }, { k: LONG }, { [LONG]: 'v' }),
    garbage);
}

export function stringList(mode: Mode, good: fc.Arbitrary<string[]>): fc.Arbitrary<unknown> {
  return either(mode, good, fc.constantFrom<unknown>('ls -l', [1, 2], [null], [['a']], [''], [LONG], {}, [undefined]), garbage);
}

// ---------------------------------------------------------------------------------------------
// Option objects and option classes

export function configMapRef(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode,
    call('ConfigMapReference.fromName', ConfigMapReference.fromName, fc.constantFrom('settings', 'app-config')),
    call('ConfigMapReference.fromName', ConfigMapReference.fromName, badString),
    fc.constantFrom<unknown>({ configMapName: 'x', knownKeys: 'a' }, { configMapName: 5 }, { configMapName: 'x', knownKeys: [1] }),
    garbage);
}

export function security(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode, fields({
    runAsUser: int(mode, 1000, 65535),
    runAsGroup: int(mode, 1000, 65535),
    fsGroup: int(mode, 1000, 65535),
    readOnlyRootFilesystem: either(mode, fc.constant(true), fc.constantFrom(false, 'false', 0, null)),
    tmpSizeLimit: size(mode, 1, 512),
    shareTmp: bool(mode),
    seccompLocalhostProfile: either(mode, fc.constantFrom('profiles/api.json'), fc.constantFrom('/abs.json', '../x', ''), garbage),
    appArmor: either(mode,
      fc.oneof(made('AppArmorProfile.runtimeDefault()', () => AppArmorProfile.runtimeDefault()),
        call('AppArmorProfile.localhost', AppArmorProfile.localhost, fc.constantFrom('k8s-apparmor-example'))),
      call('AppArmorProfile.localhost', AppArmorProfile.localhost, badString), garbage),
  }), garbage, fc.constantFrom([], 'restricted'));
}

function nodeRequirement(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode,
    fc.oneof(
      fc.record({
        key: fc.constantFrom('topology.kubernetes.io/zone', 'disk'),
        operator: fc.constantFrom(NodeOperator.IN, NodeOperator.NOT_IN),
        values: fc.constantFrom(['a'], ['eu-1a', 'eu-1b']),
      }),
      fc.record({ key: fc.constantFrom('gpu'), operator: fc.constantFrom(NodeOperator.EXISTS, NodeOperator.DOES_NOT_EXIST) }),
      fc.record({ key: fc.constantFrom('cores'), operator: fc.constantFrom(NodeOperator.GT, NodeOperator.LT), values: fc.constantFrom(['4'], ['-1']) }),
    ),
    fc.record({
      key: name(mode),
      operator: enumOf(mode, Object.values(NodeOperator)),
      values: either(mode, fc.constant(['a']), garbage,
        fc.constantFrom([], ['1.5'], ['99999999999999999999'], [5], [null])),
    }),
    garbage);
}

export function placement(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode, fields({
    nodeSelector: labels(mode),
    requiredNodeAffinity: either(mode, list(nodeRequirement(mode), 2), garbage),
    preferredNodeAffinity: either(mode,
      list(fc.record({ weight: int(mode, 1, 100), requirements: either(mode, list(nodeRequirement(mode), 2), garbage) }), 2),
      garbage),
    tolerations: either(mode, list(fields({
      key: either(mode, fc.constantFrom('dedicated', 'example.com/gpu'), badString),
      operator: enumOf(mode, Object.values(TolerationOperator)),
      value: either(mode, fc.constantFrom('batch', ''), badString),
      effect: enumOf(mode, Object.values(TaintEffect)),
      tolerationSeconds: int(mode, 0, 3600),
    }, 0.5), 2), garbage),
    spread: either(mode,
      fc.oneof(
        call('Spread.hosts', Spread.hosts, fields({ maxSkew: int(mode, 1, 5), required: bool(mode) })),
        call('Spread.zones', Spread.zones, fields({ maxSkew: int(mode, 1, 5), required: bool(mode) })),
        call('Spread.zonesAndHosts', Spread.zonesAndHosts, fields({ maxSkew: int(mode, 1, 5) })),
        made('Spread.none()', () => Spread.none()),
      ),
      call('Spread.hosts', Spread.hosts, garbage), garbage),
    preferSeparateHosts: bool(mode),
  }), garbage);
}

/** A network rule whose peer is in another namespace (so it needs no pods of the app). */
export function networkRule(mode: Mode): fc.Arbitrary<unknown> {
  const peer = either(mode,
    fc.oneof(
      call('NetworkPeer.namespace', NetworkPeer.namespace, fc.constantFrom('clients', 'monitoring')),
      call('NetworkPeer.cidr', NetworkPeer.cidr, fc.constantFrom('203.0.113.0/24', '10.0.0.0/8'), fc.option(fc.constantFrom(['10.1.0.0/16']), { nil: undefined })),
      call('NetworkPeer.podsInNamespace', NetworkPeer.podsInNamespace, fc.constantFrom('clients'), fc.constantFrom({ app: 'client' })),
      call('NetworkPeer.namespacesLabelled', NetworkPeer.namespacesLabelled, fc.constantFrom({ team: 'a' })),
      made('NetworkPeer.anywhere()', () => NetworkPeer.anywhere()),
    ),
    call('NetworkPeer.namespace', NetworkPeer.namespace, badString),
    call('NetworkPeer.cidr', NetworkPeer.cidr, fc.constantFrom('10.0.0.0/33', '1.2.3.4', '', 'x/8', '::/129'), fc.option(garbage, { nil: undefined })),
    call('NetworkPeer.pods', NetworkPeer.pods, fc.constantFrom<unknown>({}, null, { 'Bad Key': 'v' }, { app: 'nobody' })),
    garbage);
  return either(mode,
    fc.record({ peer }).chain((r) => fields({
      ports: either(mode, fc.constant([8080]), garbage, fc.constantFrom([], [0], [8080, 8080], [1.5], ['x'])),
      protocol: enumOf(mode, Object.values(NetworkProtocol)),
    }, 0.2).map((o) => ({ ...r, ...o }))),
    garbage);
}

/** Network options; `callers` adds the rule that admits clients to a workload's port. */
export function network(mode: Mode, callers: boolean): fc.Arbitrary<unknown> {
  const callerRule = { peer: new Lazy('NetworkPeer.namespace("clients")', () => NetworkPeer.namespace('clients')) };
  return either(mode,
    // apiServer applies with apiAccess only: in a clean run, it is left out.
    fields({
      allowFrom: list(networkRule(mode), 2),
      allowTo: either(mode, list(networkRule(mode), 2), garbage),
      ...(mode === 'dirty' ? {
        apiServer: either(mode,
          call('NetworkPeer.cidr', NetworkPeer.cidr, fc.constantFrom('10.0.0.10/32')), garbage),
      } : {}),
    }, 0.25)
      .map((n) => (callers ? { ...n, allowFrom: [callerRule, ...(Array.isArray(n.allowFrom) ? n.allowFrom : [])] } : n)),
    garbage);
}

export function demands(mode: Mode): fc.Arbitrary<unknown> {
  const extended = either(mode, fc.constantFrom<unknown>({ 'nvidia.com/gpu': 1 }), fc.constantFrom<unknown>({ gpu: 1 }, { 'nvidia.com/gpu': 1.5 },
    { 'nvidia.com/gpu': -1 }, { 'kubernetes.io/x': 1 }, { 'nvidia.com/gpu': 1e21 }, []), garbage);
  const amounts = fields({ cpu: cpu(mode), memory: size(mode, 64, 4096), ephemeralStorage: size(mode, 128, 4096) }, 0.5);
  return either(mode,
    fc.oneof(
      call('Demands.guaranteed', Demands.guaranteed, fc.record({ cpu: cpu(mode), memory: size(mode, 64, 4096) })
        .chain((r) => fields({ ephemeralStorage: size(mode, 128, 4096), extendedResources: extended }, 0.2).map((o) => ({ ...r, ...o })))),
      call('Demands.burstable', Demands.burstable, fc.record({ requests: amounts })
        .chain((r) => fields({ limits: amounts, extendedResources: extended }, 0.4).map((o) => ({ ...r, ...o })))),
      made('Demands.bestEffort()', () => Demands.bestEffort()),
      made('Demands.libraryDefault()', () => Demands.libraryDefault()),
    ),
    call('Demands.guaranteed', Demands.guaranteed, garbage),
    call('Demands.burstable', Demands.burstable, fc.oneof(garbage, fc.record({ requests: garbage, limits: garbage }))),
    garbage);
}

function probeTiming(mode: Mode): { [key: string]: fc.Arbitrary<unknown> } {
  return {
    initialDelay: duration(mode, 0, 60),
    period: duration(mode, 1, 60),
    timeout: duration(mode, 1, 10),
    failureThreshold: int(mode, 1, 10),
  };
}

function probe(mode: Mode, successThreshold: boolean): fc.Arbitrary<unknown> {
  const timing = fields({ ...probeTiming(mode), ...(successThreshold ? { successThreshold: int(mode, 1, 3) } : {}), port: port(mode) }, 0.2);
  return either(mode,
    fc.oneof(
      call('HealthProbe.http', HealthProbe.http, path(mode), timing),
      call('HealthProbe.tcp', HealthProbe.tcp, timing),
      call('HealthProbe.grpc', HealthProbe.grpc, timing),
      call('HealthProbe.exec', HealthProbe.exec, stringList(mode, fc.constant(['cat', '/tmp/ready'])), fields(probeTiming(mode), 0.2)),
    ),
    call('HealthProbe.http', HealthProbe.http, garbage, fc.oneof(garbage, fc.constant(undefined))),
    call('HealthProbe.tcp', HealthProbe.tcp, garbage),
    garbage);
}

export function health(mode: Mode): fc.Arbitrary<unknown> {
  const options = fields({ ...probeTiming(mode), port: port(mode) }, 0.15);
  return either(mode,
    fc.oneof(
      call('HealthCheck.http', HealthCheck.http, path(mode), fields({
        ...probeTiming(mode),
        port: port(mode),
        scheme: enumOf(mode, Object.values(ProbeScheme)),
      }, 0.15)),
      call('HealthCheck.tcp', HealthCheck.tcp, options),
      call('HealthCheck.grpc', HealthCheck.grpc, fields({ ...probeTiming(mode), port: port(mode), service: either(mode, fc.constantFrom('api'), garbage) }, 0.15)),
      call('HealthCheck.exec', HealthCheck.exec, stringList(mode, fc.constant(['cat', '/tmp/healthy'])), fields(probeTiming(mode), 0.15)),
      call('HealthCheck.of', HealthCheck.of, fields({ liveness: probe(mode, false), readiness: probe(mode, true), startup: probe(mode, false) }, 0.5)),
      made('HealthCheck.none()', () => HealthCheck.none()),
    ),
    call('HealthCheck.http', HealthCheck.http, garbage, fc.oneof(garbage, fc.constant(undefined))),
    call('HealthCheck.of', HealthCheck.of, garbage),
    call('HealthCheck.exec', HealthCheck.exec, garbage),
    garbage);
}

function hook(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode,
    fc.oneof(
      call('LifecycleHook.exec', LifecycleHook.exec, stringList(mode, fc.constant(['sh', '-c', 'sleep 1']))),
      call('LifecycleHook.httpGet', LifecycleHook.httpGet, path(mode), fields({ port: port(mode) }, 0.3)),
      call('LifecycleHook.sleep', LifecycleHook.sleep, duration(mode, 1, 10)),
    ),
    call('LifecycleHook.httpGet', LifecycleHook.httpGet, garbage, fc.oneof(garbage, fc.constant(undefined))),
    call('LifecycleHook.sleep', LifecycleHook.sleep, garbage),
    garbage);
}

export function lifecycle(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode,
    fields({ gracePeriod: duration(mode, 20, 120), preStopSleep: duration(mode, 1, 10), preStop: hook(mode), postStart: hook(mode) }), garbage);
}

function downwardFile(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode,
    fc.oneof(
      made('DownwardApiFile.labels()', () => DownwardApiFile.labels()),
      call('DownwardApiFile.podField', DownwardApiFile.podField, fc.constantFrom('name'), fc.constantFrom(PodField.NAME, PodField.NAMESPACE)),
      call('DownwardApiFile.resource', DownwardApiFile.resource, fc.constantFrom('cpu'), fc.constantFrom(ResourceField.CPU_LIMIT), fc.constantFrom('app'),
        fc.constantFrom(undefined, '1m')),
    ),
    call('DownwardApiFile.podField', DownwardApiFile.podField, garbage, garbage),
    call('DownwardApiFile.resource', DownwardApiFile.resource, garbage, garbage, garbage, garbage),
    call('DownwardApiFile.annotations', DownwardApiFile.annotations, garbage),
    garbage);
}

function keyItems(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode, fields({
    items: either(mode, fc.constant([{ key: 'app.yaml', path: 'app.yaml', mode: 0o400 }]), garbage,
      fc.constantFrom<unknown>([{ key: 'a', path: '../x' }], [{ key: 'a', path: 'a' }, { key: 'b', path: 'a' }], [{ key: 'a', path: 'a', mode: 0o1000 }], [null])),
    defaultMode: either(mode, fc.constantFrom(0o400, 0o644), badNumber),
    optional: bool(mode),
  }, 0.3), garbage);
}

function projectedSource(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode,
    fc.oneof(
      call('ProjectedSource.configMap', ProjectedSource.configMap, configMapRef(mode)),
      call('ProjectedSource.secret', ProjectedSource.secret, fc.constantFrom('tls-cert')),
      call('ProjectedSource.downwardApi', ProjectedSource.downwardApi, fc.array(downwardFile(mode), { minLength: 1, maxLength: 2 })),
      call('ProjectedSource.serviceAccountToken', ProjectedSource.serviceAccountToken, fc.record({ audience: fc.constantFrom('vault') })
        .chain((r) => fields({ expiry: duration(mode, 600, 86400), path: either(mode, fc.constantFrom('vault-token'), garbage) }, 0.3)
          .map((o) => ({ ...r, ...o })))),
    ),
    call('ProjectedSource.serviceAccountToken', ProjectedSource.serviceAccountToken, garbage),
    call('ProjectedSource.secret', ProjectedSource.secret, garbage, keyItems(mode)),
    garbage);
}

/** A pod volume named `volumeName`. */
export function podVolume(mode: Mode, volumeName: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return either(mode,
    fc.oneof(
      call('PodVolume.emptyDir', PodVolume.emptyDir, volumeName, fields({ sizeLimit: size(mode, 1, 512), memory: bool(mode) })),
      call('PodVolume.configMap', PodVolume.configMap, volumeName, configMapRef(mode), keyItems(mode)),
      call('PodVolume.secret', PodVolume.secret, volumeName, either(mode, fc.constantFrom('db-credentials'), badString), keyItems(mode)),
      call('PodVolume.persistentVolumeClaim', PodVolume.persistentVolumeClaim, volumeName, either(mode, fc.constantFrom('data'), badString),
        fields({ readOnly: bool(mode) })),
      call('PodVolume.downwardApi', PodVolume.downwardApi, volumeName, either(mode, fc.array(downwardFile(mode), { minLength: 1, maxLength: 2 }), garbage),
        fields({ defaultMode: either(mode, fc.constantFrom(0o444), badNumber) })),
      call('PodVolume.projected', PodVolume.projected, volumeName, either(mode, fc.array(projectedSource(mode), { minLength: 1, maxLength: 2 }), garbage)),
    ),
    call('PodVolume.emptyDir', PodVolume.emptyDir, volumeName, garbage),
    garbage);
}

/**
 * Volumes and the mounts of the main container: each volume `vN` is mounted at `/mnt/vN` (a
 * volume mounted by no container is a legitimate error), plus, in a dirty run, odd mounts.
 */
export function volumesAndMounts(mode: Mode): fc.Arbitrary<{ volumes?: unknown; mounts?: unknown }> {
  const volumes = fc.array(fc.nat(), { maxLength: 2 }).chain((ids) => fc.tuple(...ids.map((_, i) => podVolume(mode, fc.constant(`v${i}`)))));
  return fc.tuple(volumes, fields({
    extra: either(mode, fc.constant([]), garbage, fc.constantFrom<unknown>(
      [{ volume: 'v0', path: '/mnt/v0' }], [{ volume: 'nope', path: '/x' }], [{ volume: 'v0', path: 'relative' }], [{ volume: 'v0', path: '/tmp' }],
      [{ volume: 'v0', path: '/a', subPath: '../x' }], [{ volume: 'v0', path: '/a', readOnly: 'yes' }], [null], [5], 'v0:/a',
    )),
  }, 0.3), fields({ volumesGarbage: garbage }, mode === 'dirty' ? 0.05 : 0)).map(([vs, { extra }, { volumesGarbage }]) => {
    if (volumesGarbage !== undefined) return { volumes: volumesGarbage };
    if (vs.length === 0 && extra === undefined) return {};
    const mounts: unknown[] = vs.map((_, i) => ({ volume: `v${i}`, path: `/mnt/v${i}`, readOnly: true }));
    return { volumes: vs, mounts: Array.isArray(extra) ? [...mounts, ...extra] : extra ?? mounts };
  });
}

export function envVariables(mode: Mode): fc.Arbitrary<unknown> {
  const envName = either(mode, fc.constantFrom('LOG_LEVEL', 'POD_NAME', 'A', 'x.y-z'), fc.constantFrom('', '1A', 'A B', 'A=B', LONG, UNICODE), garbage);
  return either(mode, list(either(mode,
    fc.oneof(
      call('EnvVariable.literal', EnvVariable.literal, envName, either(mode, fc.constantFrom('info', '', '$(POD_NAME)', '$$(X)', UNICODE), garbage)),
      call('EnvVariable.fromConfigMap', EnvVariable.fromConfigMap, envName, configMapRef(mode), either(mode, fc.constantFrom('log-level'), badString)),
      // A Secret in the environment needs a waiver: in dirty runs only.
      ...(mode === 'dirty' ? [call('EnvVariable.fromSecret', EnvVariable.fromSecret, envName, either(mode, fc.constantFrom('db'), badString), fc.constantFrom('password'))] : []),
      call('EnvVariable.fromPodField', EnvVariable.fromPodField, envName, enumOf(mode, Object.values(PodField))),
      call('EnvVariable.fromPodLabel', EnvVariable.fromPodLabel, envName, either(mode, fc.constantFrom('app.kubernetes.io/name'), badString)),
      call('EnvVariable.fromPodAnnotation', EnvVariable.fromPodAnnotation, envName, either(mode, fc.constantFrom('example.com/x'), badString)),
      call('EnvVariable.fromResource', EnvVariable.fromResource, envName, enumOf(mode, Object.values(ResourceField)),
        fields({ divisor: either(mode, fc.constantFrom('1Mi', '1m', '1'), garbage), containerName: either(mode, fc.constantFrom('app'), garbage) }, 0.3)),
    ),
    garbage), 3), garbage);
}

export function envFrom(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode, list(either(mode,
    fc.oneof(
      call('EnvFrom.configMap', EnvFrom.configMap, configMapRef(mode), fields({ prefix: either(mode, fc.constantFrom('APP_', ''), garbage), optional: bool(mode) })),
      ...(mode === 'dirty' ? [call('EnvFrom.secret', EnvFrom.secret, either(mode, fc.constantFrom('db'), badString), fields({ prefix: either(mode, fc.constantFrom('DB_'), garbage) }))] : []),
    ),
    garbage), 2), garbage);
}

export function waivers(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode,
    fc.uniqueArray(fc.constantFrom(PolicyRule.HOST_PATH, PolicyRule.HOST_NETWORK, PolicyRule.WRITABLE_ROOT_FILESYSTEM, PolicyRule.SECRET_IN_ENV,
      PolicyRule.ROOT_GROUP), { maxLength: 2 })
      .map((rules) => rules.map((r) => new Lazy(`Waiver.of(${JSON.stringify(r)}, "a reason")`, () => Waiver.of(r, 'a reason')))),
    list(call('Waiver.of', Waiver.of, enumOf(mode, Object.values(PolicyRule)), text(mode)), 2),
    garbage);
}

export function exposures(mode: Mode): fc.Arbitrary<unknown> {
  const reason = text(mode);
  return either(mode, list(either(mode,
    fc.oneof(
      call('ServiceExposure.nodePort', ServiceExposure.nodePort, fc.record({ reason }).chain((r) => fields({
        nodePort: int(mode, 30000, 32767), externalTrafficPolicy: enumOf(mode, Object.values(TrafficPolicy)), name: name(mode),
      }, 0.3).map((o) => ({ ...r, ...o })))),
      call('ServiceExposure.loadBalancer', ServiceExposure.loadBalancer, fc.record({ reason }).chain((r) => fields({
        sourceRanges: either(mode, fc.constant(['203.0.113.0/24']), garbage, fc.constantFrom<unknown>(['1.2.3.4'], [''], ['10.0.0.0/33'])),
        loadBalancerClass: either(mode, fc.constantFrom('service.k8s.aws/nlb'), badString),
        annotations: stringMap(mode, fc.constantFrom('example.com/lb')),
        externalTrafficPolicy: enumOf(mode, Object.values(TrafficPolicy)),
        name: name(mode),
      }, 0.25).map((o) => ({ ...r, ...o })))),
    ),
    call('ServiceExposure.nodePort', ServiceExposure.nodePort, garbage),
    garbage), 1), garbage);
}

export function serviceOptions(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode,
    fields({ sessionAffinityTimeout: duration(mode, 1, 86400), internalTrafficPolicy: enumOf(mode, Object.values(TrafficPolicy)) }, 0.5),
    garbage);
}

/** The container options every container takes (main and helpers). */
export function containerOptions(mode: Mode): { [key: string]: fc.Arbitrary<unknown> } {
  return {
    command: stringList(mode, mode === 'dirty' ? fc.constantFrom(['/app/server'], ['sh', '-c', 'echo $(LOG_LEVEL)'], [UNICODE]) : fc.constantFrom(['/app/server'], [UNICODE])),
    args: stringList(mode, mode === 'dirty' ? fc.constantFrom(['--port=8080'], [], ['$(POD_NAME)']) : fc.constantFrom(['--port=8080'], [], ['$$(NOT_EXPANDED)'])),
    workingDir: either(mode, fc.constantFrom('/app', '/'), fc.constantFrom('', 'app', LONG), garbage),
    env: stringMap(mode, fc.constantFrom('LOG_LEVEL', 'MODE', 'A_B')),
    envVariables: envVariables(mode),
    envFrom: envFrom(mode),
    additionalPorts: either(mode, fc.constantFrom<unknown>([{ number: 9102, name: 'metrics' }], []), garbage, fc.constantFrom<unknown>(
      [{ number: 70000, name: 'x' }], [{ number: 9102 }], [{ number: 9102, name: 'a-very-long-port-name' }], [null], [{ number: '9102', name: 'm' }])),
    writableDirectories: stringList(mode, fc.constantFrom(['/var/cache/app'], ['/var/run', '/var/cache/nginx'])),
    bindLowPorts: bool(mode),
  };
}

/** The props every workload takes, besides those of its kind. `port` says whether it has a Service port. */
export function workloadProps(mode: Mode, hasPort: boolean): fc.Arbitrary<{ [key: string]: unknown }> {
  return fc.tuple(
    fc.record({ image: image(mode) }),
    fields({
      name: name(mode),
      appName: either(mode, fc.constantFrom('shop', 'api'), badString),
      partOf: either(mode, fc.constantFrom('shop'), badString),
      component: either(mode, fc.constantFrom('backend'), badString),
      labels: labels(mode),
      annotations: stringMap(mode, fc.constantFrom('example.com/owner', 'note')),
      waivers: waivers(mode),
      health: health(mode),
      lifecycle: lifecycle(mode),
      demands: demands(mode),
      placement: placement(mode),
      priorityClassName: either(mode, fc.constantFrom('high'), badString),
      security: security(mode),
      apiAccess: bool(mode),
      allowUnpinnedImage: bool(mode),
      ...containerOptions(mode),
    }, 0.12),
    network(mode, hasPort),
    volumesAndMounts(mode),
    fields({ [mode === 'dirty' ? 'replica' : 'unused']: garbage }, mode === 'dirty' ? 0.05 : 0),
  ).map(([a, b, net, vm, typo]) => ({ ...a, ...b, network: net, ...vm, ...typo }));
}

// ---------------------------------------------------------------------------------------------
// Kind-specific values

export function percentOrAbsolute(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode,
    fc.oneof(
      value('PercentOrAbsolute.percent', kplus.PercentOrAbsolute.percent, fc.integer({ min: 0, max: 100 })),
      value('PercentOrAbsolute.absolute', kplus.PercentOrAbsolute.absolute, fc.integer({ min: 0, max: 3 })),
    ),
    value('PercentOrAbsolute.percent', kplus.PercentOrAbsolute.percent, badNumber),
    value('PercentOrAbsolute.absolute', kplus.PercentOrAbsolute.absolute, badNumber),
    garbage);
}

export function disruptionBudget(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode,
    fc.oneof(
      call('DisruptionBudget.maxUnavailable', DisruptionBudget.maxUnavailable, fc.integer({ min: 1, max: 3 })),
      call('DisruptionBudget.maxUnavailablePercent', DisruptionBudget.maxUnavailablePercent, fc.integer({ min: 1, max: 100 })),
      call('DisruptionBudget.minAvailable', DisruptionBudget.minAvailable, fc.integer({ min: 0, max: 3 })),
      call('DisruptionBudget.minAvailablePercent', DisruptionBudget.minAvailablePercent, fc.integer({ min: 0, max: 99 })),
      made('DisruptionBudget.none()', () => DisruptionBudget.none()),
    ),
    call('DisruptionBudget.maxUnavailable', DisruptionBudget.maxUnavailable, badNumber),
    call('DisruptionBudget.minAvailablePercent', DisruptionBudget.minAvailablePercent, badNumber),
    garbage);
}

export function deploymentStrategy(mode: Mode): fc.Arbitrary<unknown> {
  const img = either(mode, fc.constantFrom('ghcr.io/acme/api:1.5.0'), fc.constantFrom('api:latest'), garbage);
  return either(mode,
    fc.oneof(
      {
        weight: 3,
        arbitrary: call('DeploymentStrategy.rollingUpdate', DeploymentStrategy.rollingUpdate,
          fields({ maxSurge: percentOrAbsolute(mode), maxUnavailable: percentOrAbsolute(mode) })),
      },
      { weight: 1, arbitrary: made('DeploymentStrategy.recreate()', () => DeploymentStrategy.recreate()) },
      {
        weight: 1,
        arbitrary: call('DeploymentStrategy.blueGreen', DeploymentStrategy.blueGreen, fc.record({ active: enumOf(mode, Object.values(BlueGreenTrack)) })
          .chain((r) => fields({ blueImage: img, greenImage: img, inactiveReplicas: int(mode, 0, 3) }, 0.3).map((o) => ({ ...r, ...o })))),
      },
      {
        weight: 1,
        arbitrary: call('DeploymentStrategy.canary', DeploymentStrategy.canary, fc.record({ image: img }).chain((r) => fields({
          replicas: int(mode, 0, 2),
          weight: int(mode, 0, 100),
          gateway: either(mode, fc.constantFrom<unknown>({ name: 'gw' }, { name: 'gw', namespace: 'infra', sectionName: 'https' }), garbage,
            fc.constantFrom<unknown>({ name: 'GW' }, { name: 'gw', namespace: LONG })),
          hostnames: stringList(mode, fc.constantFrom(['shop.example.com'], ['*.example.com'])),
        }, 0.3).map((o) => ({ ...r, ...o })))),
      },
    ),
    call('DeploymentStrategy.rollingUpdate', DeploymentStrategy.rollingUpdate, garbage),
    call('DeploymentStrategy.blueGreen', DeploymentStrategy.blueGreen, garbage),
    call('DeploymentStrategy.canary', DeploymentStrategy.canary, garbage),
    garbage);
}

export function jobOptions(mode: Mode): { [key: string]: fc.Arbitrary<unknown> } {
  return {
    completions: int(mode, 1, 10),
    parallelism: int(mode, 1, 10),
    completionMode: enumOf(mode, Object.values(CompletionMode)),
    workQueue: bool(mode),
    backoffLimit: int(mode, 0, 10),
    activeDeadline: duration(mode, 1, 3600),
    ttlAfterFinished: duration(mode, 0, 3600),
    restartPolicy: enumOf(mode, Object.values(JobRestartPolicy)),
    podFailurePolicy: either(mode, list(either(mode, fc.oneof(
      fc.record({
        action: enumOf(mode, Object.values(PodFailurePolicyAction)),
        onExitCodes: either(mode, fc.record({
          operator: enumOf(mode, Object.values(ExitCodeOperator)),
          values: either(mode, fc.constantFrom([1], [42, 43]), fc.constantFrom<unknown>([0], [], [1.5], [-1], [2 ** 31], [1, 1], [NaN]), garbage),
        }), garbage),
      }),
      fc.record({
        action: enumOf(mode, Object.values(PodFailurePolicyAction)),
        onPodConditions: either(mode, fc.constant([{ type: 'DisruptionTarget', status: PodConditionStatus.TRUE }]), garbage,
          fc.constantFrom<unknown>([{}], [{ type: '' }], [{ type: 'X', status: 'Maybe' }], [null])),
      }),
    ), garbage), 2).filter((l) => l.length > 0), garbage),
  };
}

export function claimOptions(mode: Mode): { [key: string]: fc.Arbitrary<unknown> } {
  return {
    accessModes: either(mode, fc.constantFrom([AccessMode.READ_WRITE_ONCE], [AccessMode.READ_WRITE_MANY, AccessMode.READ_ONLY_MANY]), garbage,
      fc.constantFrom<unknown>([], ['Everything'], [AccessMode.READ_WRITE_ONCE_POD, AccessMode.READ_WRITE_ONCE], 'ReadWriteOnce')),
    storageClassName: either(mode, fc.constantFrom('fast', ''), badString),
    volumeMode: enumOf(mode, Object.values(VolumeMode)),
    selector: labels(mode),
  };
}

export function statefulUpdateStrategy(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode,
    fc.oneof(call('StatefulUpdateStrategy.rollingUpdate', StatefulUpdateStrategy.rollingUpdate, fields({ partition: int(mode, 0, 3) })),
      made('StatefulUpdateStrategy.onDelete()', () => StatefulUpdateStrategy.onDelete())),
    call('StatefulUpdateStrategy.rollingUpdate', StatefulUpdateStrategy.rollingUpdate, garbage),
    garbage);
}

export function daemonUpdateStrategy(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode,
    fc.oneof(call('DaemonUpdateStrategy.rollingUpdate', DaemonUpdateStrategy.rollingUpdate, fields({
      maxUnavailable: percentOrAbsolute(mode),
      maxSurge: percentOrAbsolute(mode),
    })), made('DaemonUpdateStrategy.onDelete()', () => DaemonUpdateStrategy.onDelete())),
    call('DaemonUpdateStrategy.rollingUpdate', DaemonUpdateStrategy.rollingUpdate, garbage),
    garbage);
}

export function hostPaths(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode, list(either(mode,
    fc.record({ path: fc.constantFrom('/var/log', '/proc', '/sys', '/opt/agent') }).chain((r) => fields({
      mountPath: either(mode, fc.constantFrom(`/host${r.path}`), fc.constantFrom('/', '/tmp/x', 'rel', '/proc'), garbage),
      readOnly: either(mode, fc.constant(true), fc.constantFrom(false, 'true')),
      type: enumOf(mode, Object.values(HostPathType)),
    }, 0.5).map((o) => ({ mountPath: `/host${r.path}`, ...r, ...o }))),
    fc.constantFrom<unknown>({ path: '/' }, { path: '/var/run/docker.sock' }, { path: 'relative' }, { path: '/var//log' }, { path: LONG }),
    garbage), 2), garbage);
}

export function daemonExposure(mode: Mode): fc.Arbitrary<unknown> {
  return enumOf(mode, Object.values(DaemonExposure));
}

export function singletonLocking(mode: Mode): fc.Arbitrary<unknown> {
  return either(mode,
    fc.oneof(
      call('SingletonLocking.outOfApplication', SingletonLocking.outOfApplication, fields({ kind: enumOf(mode, Object.values(SingletonWorkloadKind)) }, 0.5)),
      call('SingletonLocking.inApplication', SingletonLocking.inApplication, fields({
        replicas: int(mode, 2, 5), leaseName: either(mode, fc.constantFrom('leader-lock'), badString), leaseDuration: duration(mode, 1, 60),
      }, 0.3)),
    ),
    call('SingletonLocking.inApplication', SingletonLocking.inApplication, garbage),
    call('SingletonLocking.outOfApplication', SingletonLocking.outOfApplication, garbage),
    garbage);
}

export const ENUMS = { PathType, HttpPathMatch, ClaimRetention, PodManagementPolicy, ConcurrencyPolicy: kplus.ConcurrencyPolicy };

/** Runs in a clean mode half of the time, in a dirty one the other half. */
export function bothModes<T>(build: (mode: Mode) => fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof(build('clean'), build('dirty'));
}
