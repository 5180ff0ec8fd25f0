/**
 * Property: random props for the helper constructs (Adapter, Ambassador, ConfigResource,
 * ConfigImage, ConfigTemplate, Ingress, HttpRoute, ExternalService, PersistentVolumeClaim,
 * PersistentVolume), attached to random workloads, end in valid manifests or in the library's own
 * validation error, never in anything else.
 */
import * as path from 'path';
import { Chart } from 'cdk8s';
import * as fc from 'fast-check';
import {
  Adapter, Ambassador, BatchJob, ConfigImage, ConfigMapReference, ConfigResource, ConfigTemplate, DaemonService, ExternalService, HealthCheck,
  HttpPathMatch, HttpRoute, Ingress, NamespaceGuardrails, NetworkPeer, PathType, PersistentVolume, PersistentVolumeClaim, PersistentVolumeSource,
  PodSecurityLevel, PodVolume, PreemptionPolicy, PriorityClass, ReclaimPolicy, ServiceBackend, StatelessService, VolumeMode,
} from '../../src';
import {
  badNumber, badString, bool, bothModes, call, claimOptions, containerOptions, cpu, demands, duration, either, enumOf, fields, garbage, health, image,
  int,
  labels, Lazy, lifecycle, list, LONG, Mode, name, networkRule, path as pathArb, port, portName, size, stringList, stringMap, UNICODE,
} from './support/arbitraries';
import { assertProperty, checkOutcome, Tally } from './support/outcome';

const FIXTURES = path.join(__dirname, 'support', 'fixtures');
const CALLERS = { allowFrom: [{ peer: NetworkPeer.namespace('clients') }] };

/** The workload a helper attaches to, by kind, or something that is not one. */
type Target = 'service' | 'service-without-port' | 'job' | 'daemon' | 'chart' | 'garbage';

function target(): fc.Arbitrary<Target> {
  return fc.constantFrom<Target>('service', 'service', 'service', 'service-without-port', 'job', 'daemon', 'chart', 'garbage');
}

function makeWorkload(chart: Chart, t: Target): unknown {
  switch (t) {
    case 'service': return new StatelessService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2', port: 8080, network: CALLERS });
    case 'service-without-port': return new StatelessService(chart, 'worker', { image: 'ghcr.io/acme/worker:1.4.2' });
    case 'job': return new BatchJob(chart, 'job', { image: 'ghcr.io/acme/job:1.0.0' });
    case 'daemon': return new DaemonService(chart, 'agent', { image: 'ghcr.io/acme/agent:1.0.0' });
    case 'chart': return chart;
    default: return { name: 'api' };
  }
}

/** The options of a helper container (adapter, ambassador). */
function helperContainer(mode: Mode, withHealth: boolean): fc.Arbitrary<unknown> {
  return either(mode,
    fc.record({
      name: either(mode, fc.constantFrom('exporter', 'proxy', 'log-exporter'), badString, garbage),
      image: image(mode),
      port: either(mode,
        fc.constantFrom(9102, 9000, 15000), fc.constantFrom(8080, 80, 0, 70000, 1.5), garbage),
    })
      .chain((r) => fields({
        ...containerOptions(mode),
        portName: portName(mode),
        health: withHealth ? health(mode) : either(mode, fc.constant(undefined), health(mode)),
        lifecycle: lifecycle(mode),
        demands: demands(mode),
        readOnlyRootFilesystem: either(mode, fc.constant(true), fc.constantFrom(false, 'false')),
        allowUnpinnedImage: bool(mode),
      }, 0.1).map((o) => ({
        ...r,
        ...o,
        ...(withHealth && o.health === undefined && mode === 'clean'
          ? { health: new Lazy('HealthCheck.none()', () => HealthCheck.none()) } : {}),
      }))),
    garbage);
}

const RUNS = 200;

describe('helper constructs end in valid manifests or a PatternValidationError', () => {
  test('Adapter', () => {
    const tally = new Tally();
    assertProperty(fc.tuple(target(), bothModes((mode) => fc.tuple(fc.record({ container: helperContainer(mode, false) }), fields({
      metricsPath: pathArb(mode),
      servicePort: port(mode),
      prometheusAnnotations: bool(mode),
      serviceMonitor: either(mode, fields({ interval: duration(mode, 1, 300), labels: labels(mode) }, 0.5), garbage),
      native: bool(mode),
    }, 0.3)).map(([r, o]) => ({ ...r, ...o })))), RUNS, ([t, props]) => {
      checkOutcome(props, (chart, p) => new Adapter(chart, 'exporter', { workload: makeWorkload(chart, t), ...p }), tally);
    });
    console.log(`Adapter: ${tally.share}`);
  });

  test('Ambassador', () => {
    const tally = new Tally();
    const ambassador = (mode: Mode) => fc.tuple(fc.record({ container: helperContainer(mode, true) }), fields({ native: bool(mode) }, 0.3))
      .map(([r, o]) => ({ ...r, ...o }));
    assertProperty(fc.tuple(target(), bothModes(ambassador)), RUNS, ([t, props]) => {
      checkOutcome(props, (chart, p) => new Ambassador(chart, 'proxy', { workload: makeWorkload(chart, t), ...p }), tally);
    });
    console.log(`Ambassador: ${tally.share}`);
  });

  test('ConfigResource, used as env, envFrom and a volume', () => {
    const tally = new Tally();
    const key = fc.constantFrom('LOG_LEVEL', 'app.yaml', 'a-b_c.d');
    assertProperty(bothModes((mode) => fc.tuple(fields({
      name: name(mode),
      appName: either(mode, fc.constantFrom('shop'), badString),
      labels: labels(mode),
      data: stringMap(mode, key),
      binaryData: either(mode, fc.dictionary(fc.constantFrom('logo.png', 'blob'), fc.constantFrom('aGVsbG8=', 'AAEC', '')), garbage,
        fc.constantFrom<unknown>({ b: 'not base64!' }, { b: 'abc' }, { b: LONG })),
      files: either(mode, fc.dictionary(fc.constantFrom('app.properties', 'blob.bin'), fc.constantFrom(path.join(FIXTURES, 'app.properties'),
        path.join(FIXTURES, 'blob.bin'))), garbage, fc.constantFrom<unknown>({ f: path.join(FIXTURES, 'missing') }, { f: FIXTURES }, { f: '' }, { f: 5 })),
      immutable: bool(mode),
    }, 0.4), fc.constantFrom('none', 'env', 'envFrom', 'volume'), either(mode, key, badString))), RUNS, ([props, use, k]) => {
      checkOutcome(props, (chart, p) => {
        const cr = new ConfigResource(chart, 'settings', p);
        const refs = use === 'env' ? { envVariables: [cr.env('SETTING', k as string)] }
          : use === 'envFrom' ? { envFrom: [cr.envFrom({ prefix: 'CFG_' })] }
            : use === 'volume' ? { volumes: [cr.volume('cfg')], mounts: [{ volume: 'cfg', path: '/etc/cfg' }] } : {};
        if (use !== 'none') new StatelessService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2', ...refs });
      }, tally);
    });
    console.log(`ConfigResource: ${tally.share}`);
  });

  test('ConfigImage', () => {
    const tally = new Tally();
    assertProperty(fc.tuple(target(), bothModes((mode) => fc.tuple(fc.record({ image: image(mode), mountPath: pathArb(mode) }), fields({
      sourcePath: either(mode, fc.constantFrom('/config', '/etc/app/'), fc.constantFrom('/', 'rel', '/a/../b', '', LONG), garbage),
      name: name(mode),
      volume: either(mode, fields({ sizeLimit: size(mode, 1, 256), memory: bool(mode) }), garbage),
      command: stringList(mode, fc.constantFrom(['cp', '-R', '/config/.', '/config-out/'])),
      demands: demands(mode),
    }, 0.3)).map(([r, o]) => ({ ...r, ...o })))), RUNS, ([t, props]) => {
      checkOutcome(props, (chart, p) => new ConfigImage(chart, 'config', { workload: makeWorkload(chart, t), ...p }), tally);
    });
    console.log(`ConfigImage: ${tally.share}`);
  });

  test('ConfigTemplate', () => {
    const tally = new Tally();
    const ref = (mode: Mode) => either(mode, fc.constantFrom<unknown>('resource', 'reference'), fc.constantFrom<unknown>({ configMapName: 5 }, null,
      { configMapName: 'x', knownKeys: 'a' }), garbage);
    assertProperty(fc.tuple(target(), bothModes((mode) => fc.tuple(
      fc.record({ image: image(mode), mountPath: pathArb(mode), templates: ref(mode), parameters: ref(mode) }),
      fields({
        parametersKey: either(mode, fc.constantFrom('params.yaml', 'missing.yaml'), badString),
        args: stringList(mode, fc.constantFrom(['--input-dir=/templates'])),
        name: name(mode),
        volume: either(mode, fields({ sizeLimit: size(mode, 1, 256) }), garbage),
        demands: demands(mode),
      }, 0.25),
    ).map(([r, o]) => ({ ...r, ...o })))), RUNS, ([t, props]) => {
      checkOutcome(props, (chart, p) => {
        const make = (v: unknown, id: string, data: { [k: string]: string }) => (v === 'resource' ? new ConfigResource(chart, id, { data })
          : v === 'reference' ? ConfigMapReference.fromName(`${id}-cm`) : v);
        new ConfigTemplate(chart, 'rendered', {
          ...p,
          workload: makeWorkload(chart, t),
          templates: make(p.templates, 'templates', { 'app.yaml.tmpl': 'x: {{ .x }}' }),
          parameters: make(p.parameters, 'params', { 'params.yaml': 'x: 1' }),
        });
      }, tally);
    });
    console.log(`ConfigTemplate: ${tally.share}`);
  });

  /** A backend: a workload's Service (by a target name resolved in the build), a Service by name, or garbage. */
  function backend(mode: Mode): fc.Arbitrary<unknown> {
    return either(mode,
      fc.oneof(
        fc.record({
          workload: fc.constantFrom<Target>('service', 'service', 'service-without-port', 'job'),
          port: either(mode, fc.constantFrom(undefined, 8080),
            fc.constantFrom(9999, 0, 1.5), garbage),
        }).map((b) => ({ backend: 'workload', ...b })),
        call('ServiceBackend.service', ServiceBackend.service, either(mode, fc.constantFrom('legacy', 'other-svc'), badString), port(mode)),
      ),
      call('ServiceBackend.workload', ServiceBackend.workload, garbage, fc.constant(undefined)),
      garbage);
  }

  /** Resolves `{ backend: 'workload', ... }` recipes in `v` against the workloads of the chart (made on first use). */
  function resolveBackends(chart: Chart, v: unknown, made: Map<Target, unknown>): unknown {
    if (Array.isArray(v)) return v.map((x) => resolveBackends(chart, x, made));
    if (v !== null && typeof v === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(v))) {
      const o = v as any;
      if (o.backend === 'workload' && typeof o.workload === 'string') {
        if (!made.has(o.workload)) made.set(o.workload, makeWorkload(chart, o.workload));
        return ServiceBackend.workload(made.get(o.workload) as any, o.port);
      }
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, resolveBackends(chart, x, made)]));
    }
    return v;
  }

  const controller = (mode: Mode) => either(mode, call('NetworkPeer.namespace', NetworkPeer.namespace, fc.constantFrom('ingress-nginx')),
    fc.constantFrom<unknown>('ingress-nginx', {}), garbage);

  test('Ingress', () => {
    const tally = new Tally();
    const host = (mode: Mode) => either(mode, fc.constantFrom('shop.example.com', '*.example.com'), fc.constantFrom('Shop.Example.com', 'a..b', '1.2.3.4',
      'x.com:80', LONG, UNICODE, ''), garbage);
    assertProperty(bothModes((mode) => fields({
      name: name(mode),
      className: either(mode, fc.constantFrom('nginx'), badString),
      defaultBackend: backend(mode),
      rules: either(mode, list(either(mode, fc.record({
        path: either(mode, fc.constantFrom('/', '/api', '/shop/'), fc.constantFrom('api', '//x', '/a/../b',
          '/%2f', ''), garbage),
        pathType: enumOf(mode, Object.values(PathType)),
        backend: backend(mode),
      })
        .chain((r) => fields({ host: host(mode) }, 0.5).map((o) => ({ ...r, ...o }))), garbage), 3), garbage),
      tls: either(mode, list(fc.record({
        hosts: either(mode, fc.array(host(mode), { minLength: 1, maxLength: 2 }), garbage),
        secretName: either(mode,
          fc.constantFrom('shop-tls'), badString),
      }), 1), garbage),
      annotations: stringMap(mode, fc.constantFrom('nginx.ingress.kubernetes.io/rewrite-target', 'kubernetes.io/ingress.class')),
      controller: controller(mode),
      labels: labels(mode),
    }, 0.4)), RUNS, (props) => {
      checkOutcome(props, (chart, p) => new Ingress(chart, 'web', resolveBackends(chart, p, new Map()) as any), tally);
    });
    console.log(`Ingress: ${tally.share}`);
  });

  test('HttpRoute', () => {
    const tally = new Tally();
    assertProperty(bothModes((mode) => fc.tuple(fc.record({
      gateway: either(mode, fc.constantFrom<unknown>({ name: 'gw' }, { name: 'gw', namespace: 'infra', sectionName: 'https' }), garbage,
        fc.constantFrom<unknown>({}, { name: 'GW' }, { name: 'gw', sectionName: LONG })),
      rules: either(mode, fc.array(fields({
        path: either(mode, fc.constantFrom('/', '/api'), fc.constantFrom('api', '/a b', '//', LONG + LONG), garbage),
        pathMatch: enumOf(mode, Object.values(HttpPathMatch)),
        headers: either(mode, list(fc.record({
          name: either(mode, fc.constantFrom('x-canary', 'X-Env'), fc.constantFrom('bad header', ''), garbage),
          value: either(mode, fc.constantFrom('true'), fc.constantFrom(''), garbage),
        }), 2), garbage),
        backends: either(mode, fc.array(either(mode, fc.record({ backend: backend(mode) }).chain((r) => fields({ weight: int(mode, 0, 100) }, 0.5)
          .map((o) => ({ ...r, ...o }))), garbage), { minLength: 1, maxLength: 2 }), garbage),
      }, 0.5).map((r) => ({ backends: [{ backend: { backend: 'workload', workload: 'service' } }], ...r })), { minLength: 1, maxLength: 2 }), garbage),
    }), fields({
      name: name(mode),
      hostnames: stringList(mode, fc.constantFrom(['shop.example.com'], ['*.example.com', 'a.example.com'])),
      labels: labels(mode),
      controller: controller(mode),
    }, 0.3)).map(([r, o]) => ({ ...r, ...o }))), RUNS, (props) => {
      checkOutcome(props, (chart, p) => new HttpRoute(chart, 'route', resolveBackends(chart, p, new Map()) as any), tally);
    });
    console.log(`HttpRoute: ${tally.share}`);
  });

  test('ExternalService', () => {
    const tally = new Tally();
    assertProperty(bothModes((mode) => fc.tuple(
      fc.oneof(
        fc.record({
          externalName: either(mode, fc.constantFrom('db.example.com', 'db.example.com.'), fc.constantFrom('1.2.3.4', 'Bad_Host', '', LONG),
            garbage),
        }),
        fc.record({
          addresses: either(mode, fc.constantFrom(['203.0.113.10'], ['2001:db8::1', '203.0.113.11']), garbage,
            fc.constantFrom<unknown>([], ['127.0.0.1'], ['fe80::1'], ['1.2.3'], ['::ffff:1.2.3.4'], ['fe80::1%eth0'], [5], [null])),
          port: port(mode),
        }),
        fc.constant({}),
      ),
      fields({ name: name(mode), port: port(mode), targetPort: port(mode), portName: either(mode, fc.constantFrom('tcp', 'pg'), badString) }, 0.3),
    ).map(([a, b]) => ({ ...b, ...a }))), RUNS, (props) => {
      checkOutcome(props, (chart, p) => new ExternalService(chart, 'db', p), tally);
    });
    console.log(`ExternalService: ${tally.share}`);
  });

  test('PersistentVolumeClaim, mounted by a workload', () => {
    const tally = new Tally();
    assertProperty(bothModes((mode) => fc.tuple(fc.record({ size: size(mode, 1, 102400) }), fields({
      ...claimOptions(mode),
      name: name(mode),
      labels: labels(mode),
      volumeName: either(mode, fc.constantFrom('pv-1'), badString),
      dataSource: either(mode, fc.constantFrom<unknown>({ kind: 'VolumeSnapshot', name: 'snap-1' }, { kind: 'PersistentVolumeClaim', name: 'old' }),
        fc.constantFrom<unknown>({ kind: 'Pod', name: 'x' }, { kind: 'VolumeSnapshot' }, null, { kind: 5, name: 5 }), garbage),
    }, 0.3), fc.boolean()).map(([r, o, mount]) => ({ props: { ...r, ...o }, mount }))), RUNS, ({ props, mount }) => {
      checkOutcome(props, (chart, p) => {
        const claim = new PersistentVolumeClaim(chart, 'data', p);
        if (mount) {
          new StatelessService(chart, 'api', {
            image: 'ghcr.io/acme/api:1.4.2', replicas: 1, volumes: [claim.volume('data')], mounts: [{ volume: 'data', path: '/data' }],
          });
        }
      }, tally);
    });
    console.log(`PersistentVolumeClaim: ${tally.share}`);
  });

  test('PersistentVolume', () => {
    const tally = new Tally();
    const source = (mode: Mode) => either(mode,
      fc.oneof(
        call('PersistentVolumeSource.nfs', PersistentVolumeSource.nfs, either(mode, fc.constantFrom('nfs.example.com', '10.0.0.5'), badString),
          pathArb(mode), fields({ readOnly: bool(mode) })),
        call('PersistentVolumeSource.csi', PersistentVolumeSource.csi, either(mode, fc.constantFrom('ebs.csi.aws.com'), badString),
          either(mode, fc.constantFrom('vol-123'), garbage), fields({
            fsType: either(mode, fc.constantFrom('ext4'), garbage),
            attributes: stringMap(mode, fc.constantFrom('type')),
            readOnly: bool(mode),
          })),
        call('PersistentVolumeSource.hostPath', PersistentVolumeSource.hostPath, pathArb(mode), either(mode, fc.constantFrom(undefined, 'node-1'), badString)),
      ),
      garbage);
    assertProperty(bothModes((mode) => fc.tuple(fc.record({ source: source(mode), capacity: size(mode, 1, 102400) }), fields({
      name: name(mode),
      accessModes: claimOptions(mode).accessModes,
      reclaimPolicy: enumOf(mode, Object.values(ReclaimPolicy)),
      storageClassName: either(mode, fc.constantFrom('manual', ''), badString),
      volumeMode: enumOf(mode, Object.values(VolumeMode)),
      labels: labels(mode),
    }, 0.3)).map(([r, o]) => ({ ...r, ...o }))), RUNS, (props) => {
      checkOutcome(props, (chart, p) => new PersistentVolume(chart, 'pv', p), tally);
    });
    console.log(`PersistentVolume: ${tally.share}`);
  });

  test('NamespaceGuardrails', () => {
    const tally = new Tally();
    const count = (mode: Mode) => int(mode, 0, 1000);
    assertProperty(bothModes((mode) => fields({
      name: name(mode),
      podSecurity: enumOf(mode, Object.values(PodSecurityLevel)),
      podSecurityWarn: enumOf(mode, Object.values(PodSecurityLevel)),
      podSecurityAudit: enumOf(mode, Object.values(PodSecurityLevel)),
      quota: either(mode, fields({
        requestsCpu: cpu(mode),
        requestsMemory: size(mode, 64, 65536),
        limitsCpu: cpu(mode),
        limitsMemory: size(mode, 64, 65536),
        requestsStorage: size(mode, 1024, 1048576),
        pods: count(mode),
        services: count(mode),
        persistentVolumeClaims: count(mode),
        configMaps: count(mode),
        secrets: count(mode),
      }, 0.3), garbage),
      containerDefaults: either(mode, fields({
        defaultRequestCpu: cpu(mode),
        defaultRequestMemory: size(mode, 64, 1024),
        defaultLimitCpu: cpu(mode),
        defaultLimitMemory: size(mode, 64, 4096),
        maxCpu: cpu(mode),
        maxMemory: size(mode, 64, 65536),
        minCpu: cpu(mode),
        minMemory: size(mode, 1, 64),
      }, 0.3), garbage),
      labels: labels(mode),
    }, 0.4)), RUNS, (props) => {
      checkOutcome(props, (chart, p) => new NamespaceGuardrails(chart, 'ns', p), tally);
    });
    console.log(`NamespaceGuardrails: ${tally.share}`);
  });

  test('PriorityClass, used by a workload', () => {
    const tally = new Tally();
    assertProperty(bothModes((mode) => fc.tuple(fc.record({
      value: either(mode, fc.integer({ min: -1000, max: 1000000000 }), badNumber,
        fc.constantFrom(1000000001, 2 ** 31)),
    }), fields({
      name: name(mode),
      globalDefault: bool(mode),
      preemptionPolicy: enumOf(mode, Object.values(PreemptionPolicy)),
      description: either(mode, fc.constantFrom('batch work', UNICODE), garbage),
    }, 0.3)).map(([r, o]) => ({ ...r, ...o }))), RUNS, (props) => {
      checkOutcome(props, (chart, p) => {
        const pc = new PriorityClass(chart, 'high', p);
        new StatelessService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2', priorityClassName: pc.name });
      }, tally);
    });
    console.log(`PriorityClass: ${tally.share}`);
  });

  test('network rules given to allowFrom and allowTo after construction', () => {
    assertProperty(bothModes((mode) => fc.tuple(list(networkRule(mode), 2), list(networkRule(mode), 2))), RUNS, ([from, to]) => {
      checkOutcome({ from, to }, (chart, p) => {
        const api = new StatelessService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2', port: 8080, network: CALLERS });
        for (const r of p.from) api.allowFrom(r?.peer, r);
        for (const r of p.to) api.allowTo(r?.peer, r);
      });
    });
  });

  test('helpers added with addContainer, addInitContainer, addNativeSidecar, addVolume, addMount and exposePort', () => {
    const method = fc.constantFrom('addContainer', 'addInitContainer', 'addNativeSidecar');
    assertProperty(bothModes((mode) => fc.tuple(method, helperContainer(mode, false), fc.tuple(port(mode), portName(mode), either(mode,
      fc.constant(undefined), port(mode))), either(mode, fc.constantFrom('/mnt/extra'), pathArb(mode)))), RUNS, ([m, container, expose, mountPath]) => {
      checkOutcome({ container, expose, mountPath }, (chart, p) => {
        const api = new StatelessService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2', port: 8080, network: CALLERS });
        (api as any)[m](p.container);
        if (m !== 'addInitContainer' && typeof p.container?.port === 'number') api.exposePort(p.expose[0], p.expose[1], p.expose[2]);
        api.addVolume(PodVolume.emptyDir('extra'));
        api.addMount('app', { volume: 'extra', path: p.mountPath });
      });
    });
  });
});

