/* eslint-disable @stylistic/max-len */
/**
 * The bugs the property-based robustness tests found, each with its exact (shrunk) input: a bad
 * input ends in the library's own validation error naming the prop, the value and the rule; a
 * good one in valid manifests. Never a TypeError, a raw cdk8s error, or invalid output.
 */
import { Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  Adapter, BatchJob, ConfigImage, ConfigResource, ConfigTemplate, DaemonExposure, Demands, DeploymentStrategy, DisruptionBudget, DownwardApiFile,
  EnvVariable, ExternalService, HealthCheck, HealthProbe, HttpRoute, Ingress, LifecycleHook, NetworkPeer, NodeOperator, PeriodicJob, PersistentVolume,
  PersistentVolumeClaim, PersistentVolumeSource, PodVolume, ProjectedSource, ResourceField, ServiceBackend, ServiceExposure, SingletonLocking,
  SingletonService, StatefulService, StatelessService, DaemonService, ConfigMapReference, NamespaceGuardrails, PodSecurityLevel,
} from '../../src';
import { checkOutcome, rejection } from './support/outcome';
import { renderValue } from '../../src/core/validation';

const IMAGE = 'ghcr.io/acme/api:1.4.2';
const CALLERS = { allowFrom: [{ peer: NetworkPeer.namespace('clients') }] };
const LONG = 'x'.repeat(1000);


/** Expects a rejection whose message contains every one of `expected`. */
function rejects(build: (chart: Chart) => unknown, ...expected: string[]): void {
  const message = rejection(build).message;
  for (const text of expected) expect(message).toContain(text);
}

/** Expects valid manifests (schema, unknown fields, API server checks). */
function accepts(build: (chart: Chart) => unknown): void {
  expect(checkOutcome({}, (chart) => build(chart))).toBe('valid');
}

describe('messages quote long values cut short', () => {
  test('a 1000-character name is shown in at most 120 characters', () => {
    const e = rejection((c) => new StatelessService(c, 'api', { image: IMAGE, name: LONG }));
    const p = e.problems.find((x) => x.prop === 'name')!;
    expect(p.value).toBe(`"${'x'.repeat(116)}...`);
  });

  test('a 500-character schedule', () => {
    rejects((c) => new PeriodicJob(c, 'report', { image: IMAGE, schedule: 'x'.repeat(500) }), 'shop/report: schedule ("xxxx');
  });

  test('renderValue: strings, objects, functions, symbols, BigInt, objects without a prototype', () => {
    expect(renderValue(LONG)).toHaveLength(120);
    expect(renderValue({ a: LONG })).toHaveLength(120);
    expect(renderValue(() => 1)).toBe('[function (anonymous)]');
    expect(renderValue(Symbol('s'))).toBe('Symbol(s)');
    expect(renderValue(10n)).toBe('10n');
    expect(renderValue({ n: 10n })).toBe('{"n":"10n"}');
    expect(renderValue(Object.create(null))).toBe('{}');
  });

  test('an env key of 1000 characters defined twice: the prop and the rule are cut short', () => {
    const e = rejection((c) => new StatelessService(c, 'api', { image: IMAGE, env: { [LONG]: 'a' }, envVariables: [EnvVariable.literal(LONG, 'b')] }));
    for (const p of e.problems) {
      expect(p.prop.length).toBeLessThanOrEqual(160);
      expect(p.rule.length).toBeLessThanOrEqual(400);
    }
  });

  test('an Indexed Job with a 1000-character name', () => {
    const e = rejection((c) => new BatchJob(c, 'reindex', { image: IMAGE, name: LONG, completionMode: 'Indexed' as any, completions: 1 }));
    for (const p of e.problems) expect(p.rule.length).toBeLessThanOrEqual(400);
  });

  test('an Ingress className of 1000 characters that the legacy annotation contradicts', () => {
    const e = rejection((c) => new Ingress(c, 'web', { className: LONG, annotations: { 'kubernetes.io/ingress.class': '' }, defaultBackend: ServiceBackend.service('legacy', 8080) }));
    for (const p of e.problems) expect(p.rule.length).toBeLessThanOrEqual(400);
  });
});

describe('NaN, Infinity and huge Durations and Sizes', () => {
  test('serviceOptions.sessionAffinityTimeout of Duration.seconds(NaN)', () => {
    rejects((c) => new StatelessService(c, 'api', { image: IMAGE, port: 8080, network: CALLERS, serviceOptions: { sessionAffinityTimeout: Duration.seconds(NaN) } }),
      'serviceOptions.sessionAffinityTimeout ("invalid Duration") must be a Duration of whole seconds');
    rejects((c) => new DaemonService(c, 'agent', { image: IMAGE, network: {}, serviceOptions: { sessionAffinityTimeout: Duration.seconds(NaN) } }),
      'serviceOptions.sessionAffinityTimeout ("invalid Duration")');
  });

  test('lifecycle.preStopSleep of Duration.seconds(NaN) with a preStop hook', () => {
    rejects((c) => new StatelessService(c, 'api', { image: IMAGE, lifecycle: { preStop: LifecycleHook.exec(['x']), preStopSleep: Duration.seconds(NaN) } }),
      'lifecycle.preStopSleep ("invalid Duration") cannot be combined with preStop');
  });

  test('a helper container\'s lifecycle.gracePeriod of Duration.seconds(NaN)', () => {
    rejects((c) => new StatelessService(c, 'api', { image: IMAGE }).addContainer({ name: 'side', image: IMAGE, lifecycle: { gracePeriod: Duration.seconds(NaN) } }),
      'addContainer("side").lifecycle.gracePeriod ("invalid Duration") is a pod setting');
  });

  test('a service-account token expiry of Duration.seconds(NaN)', () => {
    rejects((c) => new StatelessService(c, 'api', {
      image: IMAGE,
      volumes: [PodVolume.projected('t', [ProjectedSource.serviceAccountToken({ audience: 'vault', expiry: Duration.seconds(NaN) })])],
      mounts: [{ volume: 't', path: '/t' }],
    }), 'volumes[0].sources[0].expiry ("invalid Duration") must be a Duration of whole seconds');
  });

  test('ttlAfterFinished of Duration.seconds(1e21): int32', () => {
    rejects((c) => new BatchJob(c, 'reindex', { image: IMAGE, ttlAfterFinished: Duration.seconds(1e21) }),
      'ttlAfterFinished ("1e+21s") must be a whole number of seconds, at least 0 and at most 2147483647');
    rejects((c) => new PeriodicJob(c, 'report', { image: IMAGE, schedule: '30 2 * * *', ttlAfterFinished: Duration.seconds(1e21) }), 'ttlAfterFinished ("1e+21s")');
  });

  test('a leaseDuration of Duration.days(1e9): int32', () => {
    rejects((c) => new SingletonService(c, 'scheduler', { image: IMAGE, locking: SingletonLocking.inApplication({ leaseDuration: Duration.days(1e9) }) }),
      'locking.inApplication.leaseDuration ("86400000000000s") must be a whole number of seconds, at least 1 and at most 2147483647');
  });

  test('int64 durations take more than int32 seconds', () => {
    accepts((c) => new BatchJob(c, 'reindex', { image: IMAGE, activeDeadline: Duration.seconds(2 ** 32) }));
  });

  test('sizes of Infinity mebibytes', () => {
    rejects((c) => new StatefulService(c, 'db', { image: IMAGE, volumeClaimTemplates: [{ name: 'data', size: Size.mebibytes(Infinity) }], mounts: [{ volume: 'data', path: '/data' }] }),
      'volumeClaimTemplates[0].size ("invalid Size") must be a whole, positive number of mebibytes');
    rejects((c) => new PersistentVolumeClaim(c, 'data', { size: Size.mebibytes(Infinity) }), 'size ("invalid Size")');
    rejects((c) => new PersistentVolume(c, 'pv', { source: PersistentVolumeSource.nfs('nfs', '/x'), capacity: Size.mebibytes(Infinity) }), 'capacity ("invalid Size")');
    rejects((c) => new StatelessService(c, 'api', { image: IMAGE, security: { tmpSizeLimit: Size.mebibytes(Infinity) } }), 'security.tmpSizeLimit ("invalid Size")');
    rejects((c) => new StatelessService(c, 'api', { image: IMAGE, demands: Demands.guaranteed({ cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(NaN) }) }),
      'demands.requests.memory ("invalid Size") must be a whole number of mebibytes');
  });
});

describe('numbers beyond the int32 fields', () => {
  test('DisruptionBudget.maxUnavailable(2 ** 31)', () => {
    rejects((c) => new StatelessService(c, 'api', { image: IMAGE, port: 8080, network: CALLERS, disruptionBudget: DisruptionBudget.maxUnavailable(2 ** 31) }),
      'disruptionBudget.maxUnavailable (2147483648) must be at least 1 (0 blocks every eviction) and at most 2147483647');
  });

  test('DisruptionBudget.minAvailablePercent(10n)', () => {
    rejects((c) => new StatelessService(c, 'api', { image: IMAGE, disruptionBudget: DisruptionBudget.minAvailablePercent(10n as any) }),
      'disruptionBudget.minAvailable (10n) must be from 0% to 99%');
  });
});

describe('wrong types from JavaScript', () => {
  test('a node requirement key that is a number', () => {
    rejects((c) => new DaemonService(c, 'agent', { image: IMAGE, network: {}, placement: { preferredNodeAffinity: [{ weight: 1, requirements: [{ key: 0 as any, operator: NodeOperator.IN, values: ['a'] }] }] } }),
      'placement.preferredNodeAffinity[0].requirements[0].key (0) must be a valid label key');
  });

  test('a node requirement that is null', () => {
    rejects((c) => new StatelessService(c, 'api', { image: IMAGE, placement: { requiredNodeAffinity: [null as any] } }),
      'placement.requiredNodeAffinity[0] (null) must be a node requirement');
  });

  test('a Gt requirement whose value is a symbol', () => {
    rejects((c) => new StatelessService(c, 'api', { image: IMAGE, placement: { requiredNodeAffinity: [{ key: 'cores', operator: NodeOperator.GT, values: [Symbol('s') as any] }] } }),
      'placement.requiredNodeAffinity[0].values (["Symbol(s)"]) must be exactly one integer');
  });

  test('a claim template named by a symbol', () => {
    rejects((c) => new StatefulService(c, 'db', {
      image: IMAGE,
      network: {},
      volumeClaimTemplates: [{ name: 'data', size: Size.mebibytes(1) }, { name: Symbol('s') as any, size: Size.gibibytes(1) }],
      mounts: [{ volume: 'data', path: '/data' }, { volume: 'nope', path: '/nope' }],
    }),
    'volumeClaimTemplates[1].name (Symbol(s)) must be a DNS-1123 label');
  });

  test('a volume named by a symbol', () => {
    rejects((c) => new StatelessService(c, 'api', { image: IMAGE, volumes: [PodVolume.emptyDir(Symbol('s') as any)], mounts: [{ volume: 'x', path: '/x' }] }),
      'volumes[0].name (Symbol(s)) must be a DNS-1123 label');
  });

  test('a DaemonService exposure, or a port with hostNetwork, that is a symbol', () => {
    rejects((c) => new DaemonService(c, 'agent', { image: IMAGE, port: 1024, network: CALLERS, exposure: Symbol('s') as any }), 'exposure (Symbol(s)) must be DaemonExposure.NONE');
    rejects((c) => new DaemonService(c, 'agent', { image: IMAGE, network: 0 as any, port: Symbol('s') as any, hostNetwork: true }), 'port (Symbol(s)) must be an integer from 1 to 65535');
  });

  test('a workload name that is a symbol', () => {
    rejects((c) => new StatelessService(c, 'api', { image: IMAGE, name: Symbol('s') as any, strategy: DeploymentStrategy.canary(null as any) }), 'shop/api: name (Symbol(s)) must be a DNS-1035 label');
    rejects((c) => new StatelessService(c, 'api', { image: IMAGE, name: Symbol('s') as any, strategy: DeploymentStrategy.blueGreen(null as any) }), 'name (Symbol(s))');
    rejects((c) => new SingletonService(c, 'scheduler', { image: IMAGE, name: Symbol('s') as any, locking: SingletonLocking.inApplication({}) }), 'name (Symbol(s))');
  });

  test('a port name that is a RegExp, without a port', () => {
    rejects((c) => new SingletonService(c, 'scheduler', { image: IMAGE, portName: /re/ as any, locking: SingletonLocking.outOfApplication({}) }),
      'portName ({}) must be an IANA service name');
  });

  test('null options of LifecycleHook.httpGet, HealthProbe.http and HealthProbe.grpc', () => {
    rejects((c) => new SingletonService(c, 'scheduler', { image: IMAGE, lifecycle: { postStart: LifecycleHook.httpGet('', null as any) }, locking: SingletonLocking.inApplication({}) }),
      'lifecycle.postStart.path ("") must start with "/"');
    rejects((c) => new BatchJob(c, 'job', { image: IMAGE, health: HealthCheck.of({ startup: HealthProbe.http('', null as any) }) }), 'health.startup.path ("") must start with "/"');
    rejects((c) => new BatchJob(c, 'job', { image: IMAGE, health: HealthCheck.of({ startup: HealthProbe.grpc(null as any) }) }), 'health.startup.port (undefined) is required');
  });

  test('a helper container named by a symbol', () => {
    rejects((c) => new StatelessService(c, 'api', { image: IMAGE }).addContainer({ name: Symbol('s') as any, image: IMAGE, port: 9102 }),
      'addContainer(Symbol(s)).name (Symbol(s)) must be a DNS-1123 label');
  });

  test('a helper container named by a BigInt', () => {
    rejects((c) => new StatelessService(c, 'api', { image: IMAGE }).addContainer({ name: 10n as any, image: IMAGE }), 'addContainer(10n).name (10n) must be a DNS-1123 label');
  });

  test('connectsTo a chart', () => {
    rejects((c) => new StatelessService(c, 'api', { image: IMAGE }).connectsTo(c as any), 'must be a workload of this library');
  });

  test('an adapter port that is an object without a prototype', () => {
    rejects((c) => new Adapter(c, 'exporter', {
      workload: new StatelessService(c, 'api', { image: IMAGE, port: 8080, network: CALLERS }), container: { name: 'exporter', image: IMAGE, port: Object.create(null) },
    }), 'container.port ({}) must be an integer from 1 to 65535');
  });

  test('ConfigResource, ConfigTemplate and ConfigImage named by a symbol', () => {
    rejects((c) => new ConfigResource(c, 'settings', { name: Symbol('s') as any, data: { a: 'b' } }), 'shop/settings: name (Symbol(s)) must be a valid label value');
    rejects((c) => new ConfigTemplate(c, 'rendered', {
      workload: new StatelessService(c, 'api', { image: IMAGE }),
      image: IMAGE,
      mountPath: '/etc/app',
      name: Symbol('s') as any,
      templates: ConfigMapReference.fromName('templates'),
      parameters: ConfigMapReference.fromName('params'),
    }), 'shop/rendered: name (Symbol(s)) must be a DNS-1123 label');
    rejects((c) => new ConfigImage(c, 'config', { workload: new StatelessService(c, 'api', { image: IMAGE }), image: IMAGE, mountPath: '/healthz', name: Symbol('s') as any }),
      'shop/config: name (Symbol(s)) must be a DNS-1123 label');
  });

  test('a NamespaceGuardrails podSecurity that is a symbol, with an audit level', () => {
    rejects((c) => new NamespaceGuardrails(c, 'ns', { podSecurity: Symbol('s') as any, podSecurityAudit: PodSecurityLevel.RESTRICTED }),
      'podSecurity (Symbol(s)) must be PodSecurityLevel.RESTRICTED, BASELINE or PRIVILEGED');
  });

  test('an ExternalName that is an object without a prototype', () => {
    rejects((c) => new ExternalService(c, 'db', { externalName: Object.create(null) }), 'externalName ({}) must be a DNS-1123 subdomain');
    rejects((c) => new ExternalService(c, 'db', { addresses: [Object.create(null)], port: 5432 }), 'addresses[0] ({}) must be an IPv4 or IPv6 address');
  });

  test('a downward API file of a resource field that is a symbol', () => {
    rejects((c) => new StatelessService(c, 'api', {
      image: IMAGE, volumes: [PodVolume.downwardApi('v0', [DownwardApiFile.resource('cpu', Symbol('s') as any, '', null as any)])], mounts: [{ volume: 'v0', path: '/mnt/v0' }],
    }), 'volumes[0].files[0].divisor (null) must be one of 1, 1k');
  });

  test('an env variable of a pod field that is a symbol', () => {
    rejects((c) => new StatelessService(c, 'api', { image: IMAGE, envVariables: [EnvVariable.fromPodField('LOG_LEVEL', Symbol('s') as any)] }),
      'envVariables[0].field (Symbol(s)) must be a PodField');
  });

  test('a blue-green active track, a canary weight and replicas that are symbols', () => {
    rejects((c) => new StatelessService(c, 'api', { image: IMAGE, strategy: DeploymentStrategy.blueGreen({ active: Symbol('s') as any }) }),
      'strategy.blueGreen.active (Symbol(s)) must be BlueGreenTrack.BLUE');
    rejects((c) => new StatelessService(c, 'api', { image: IMAGE, strategy: DeploymentStrategy.canary({ image: IMAGE, weight: Symbol('w') as any, replicas: Symbol('r') as any }) }),
      'strategy.canary.weight (Symbol(w)) must be an integer', 'strategy.canary.replicas (Symbol(r)) must be an integer');
    rejects((c) => new StatelessService(c, 'api', { image: IMAGE, replicas: Symbol('r') as any, disruptionBudget: DisruptionBudget.minAvailable(1) }), 'replicas (Symbol(r)) must be an integer');
    rejects((c) => new StatefulService(c, 'db', { image: IMAGE, replicas: Symbol('r') as any }), 'replicas (Symbol(r)) must be an integer');
  });
});

describe('invalid output that was accepted', () => {
  test('annotation values that are not strings (Ingress, LoadBalancer exposure)', () => {
    rejects((c) => new Ingress(c, 'web', { defaultBackend: ServiceBackend.service('legacy', 8080), annotations: { a: 1 as any } }), 'annotations["a"] (1) must be a string');
    rejects((c) => new StatelessService(c, 'api', {
      image: IMAGE, port: 8080, network: CALLERS, exposures: [ServiceExposure.loadBalancer({ reason: 'public', annotations: { k: 5 as any } })],
    }), 'exposures[0].annotations["k"] (5) must be a string');
  });

  test('a CSI fsType or attributes of the wrong type', () => {
    rejects((c) => new PersistentVolume(c, 'pv', { source: PersistentVolumeSource.csi('ebs.csi.aws.com', 'vol-123', { fsType: { a: 1 } as any }), capacity: Size.mebibytes(1) }),
      'source.fsType ({"a":1}) must be a file system type');
    rejects((c) => new PersistentVolume(c, 'pv', { source: PersistentVolumeSource.csi('ebs.csi.aws.com', 'vol-123', { attributes: 'abc' as any }), capacity: Size.mebibytes(1) }),
      'source.attributes ("abc") must be a map');
  });

  test('an HttpRoute or Ingress name longer than a label value (its instance label)', () => {
    const backend = (c: Chart) => ServiceBackend.workload(new StatelessService(c, 'api', { image: IMAGE, port: 8080, network: CALLERS }));
    rejects((c) => new HttpRoute(c, 'route', { gateway: { name: 'gw' }, rules: [{ backends: [{ backend: backend(c) }] }], name: 'x'.repeat(64) }), 'name ("xxxx');
    rejects((c) => new Ingress(c, 'web', { defaultBackend: backend(c), name: 'x'.repeat(64) }), 'must be a valid label value');
  });

  test('an HttpRoute host name over 253 characters', () => {
    rejects((c) => new HttpRoute(c, 'route', {
      gateway: { name: 'gw' }, rules: [{ backends: [{ backend: ServiceBackend.service('svc', 80) }] }], hostnames: ['x'.repeat(254)],
    }), 'hostnames[0] ("xxxx');
  });

  test('an HTTP probe scheme, a gRPC probe service, a lifecycle command of the wrong type', () => {
    rejects((c) => new StatelessService(c, 'api', { image: IMAGE, port: 8080, network: CALLERS, health: HealthCheck.http('/healthz', { scheme: '' as any }) }),
      'health.readiness.scheme ("") must be ProbeScheme.HTTP or HTTPS');
    rejects((c) => new StatelessService(c, 'api', { image: IMAGE, port: 8080, network: CALLERS, health: HealthCheck.grpc({ service: 5e-324 as any }) }),
      'health.readiness.service (5e-324) must be a string');
    rejects((c) => new StatelessService(c, 'api', { image: IMAGE, lifecycle: { postStart: LifecycleHook.exec([1, 2] as any) } }),
      'lifecycle.postStart.command ([1,2]) must be a non-empty list of strings');
  });

  test('the resource field of a downward API file in a valid volume still renders', () => {
    accepts((c) => new StatelessService(c, 'api', {
      image: IMAGE, volumes: [PodVolume.downwardApi('v0', [DownwardApiFile.resource('cpu', ResourceField.CPU_LIMIT, 'app', '1m')])], mounts: [{ volume: 'v0', path: '/mnt/v0' }],
    }));
  });
});

describe('app-wide checks list structured problems', () => {
  test('an exposure named like the workload\'s own Service', () => {
    const e = rejection((c) => new StatefulService(c, 'db', { image: IMAGE, port: 1024, network: CALLERS, exposures: [ServiceExposure.loadBalancer({ reason: 'a reason', name: 'db' })] }));
    expect(e.problems).toContainEqual(expect.objectContaining({
      path: 'shop/db/LoadBalancerService-db/Resource', prop: 'metadata.name', value: '"db"',
    }));
    expect(e.message).toContain('shop/db/LoadBalancerService-db/Resource: metadata.name ("db") must be unique per kind and namespace');
  });

  test('a daemon exposure of the known kinds still works', () => {
    accepts((c) => new DaemonService(c, 'agent', { image: IMAGE, port: 9100, network: CALLERS, exposure: DaemonExposure.HEADLESS }));
  });
});
