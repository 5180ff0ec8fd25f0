import { ApiObject, Chart, Duration } from 'cdk8s';
import {
  DeploymentStrategy, HealthCheck, HealthProbe, LifecycleHook, PodVolume, PolicyRule, StatelessService, Waiver, WorkloadContainerOptions,
} from '../../src';
import { PatternValidationError } from '../../src/core/validation';
import { errorOf, service } from '../helpers/errors';
import { findObject, HARDENED_CONTAINER_CONTEXT, Manifest, objectsOf, synth } from '../helpers/synth';

const PROXY = 'ghcr.io/acme/proxy:2.0.1';
const AGENT = 'ghcr.io/acme/agent:3.1.0';
const MIGRATE = 'ghcr.io/acme/migrate:1.0.0';

/** The rendered pod spec of the service's Deployment (synthesised: every check ran, the schema was validated). */
function podSpec(svc: StatelessService): any {
  return findObject(synth(Chart.of(svc)), 'Deployment', 'api').spec.template.spec;
}

/**
 * The pod spec of the service's Deployment as built so far, rendered without synthesising the app
 * (which fails once a call has deferred its problems to synth).
 */
function builtPodSpec(svc: StatelessService): any {
  return ApiObject.of(svc.deployment).toJson().spec.template.spec;
}

/** The probe fields a container carries. */
function probeFields(c: any): string[] {
  return Object.keys(c).filter((k) => k.endsWith('Probe')).sort();
}

/** The error message of a synth (the checks of the validation phase), or fails the test. */
function synthError(svc: StatelessService): string {
  try {
    synth(Chart.of(svc));
  } catch (e: any) {
    return e.message;
  }
  throw new Error('expected synth to fail');
}

describe('addContainer', () => {
  test('adds a hardened container after the main one, with the workload demands and TCP probes on its port', () => {
    // GIVEN a sidecar with a port
    const svc = service({});
    svc.addContainer({ name: 'proxy', image: PROXY, port: 15001 });
    const spec = podSpec(svc);
    // THEN it follows the main container, hardened, with the same resources
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app', 'proxy']);
    const proxy = spec.containers[1];
    expect(proxy.securityContext).toEqual(HARDENED_CONTAINER_CONTEXT);
    expect(proxy.resources).toEqual(spec.containers[0].resources);
    expect(proxy.ports).toEqual([{ containerPort: 15001, name: 'proxy', protocol: 'TCP' }]);
    // AND its probes check its own port
    expect(probeFields(proxy)).toEqual(['livenessProbe', 'readinessProbe', 'startupProbe']);
    for (const f of probeFields(proxy)) expect(proxy[f].tcpSocket).toEqual({ port: 15001 });
    expect(proxy.restartPolicy).toBeUndefined();
    expect(spec.initContainers ?? []).toEqual([]);
  });

  test('a sidecar without a port gets no probes by default', () => {
    const svc = service({});
    svc.addContainer({ name: 'log-shipper', image: AGENT });
    expect(probeFields(podSpec(svc).containers[1])).toEqual([]);
  });

  test('the port name defaults to the container name, cut to 15 characters without a trailing "-"', () => {
    const svc = service({});
    svc.addContainer({ name: 'metrics-exporter-sidecar', image: AGENT, port: 9100 });
    svc.addContainer({ name: 'abcdefghijklmn-x', image: AGENT, port: 9200 });
    svc.addContainer({ name: 'named', image: AGENT, port: 9300, portName: 'admin' });
    const spec = podSpec(svc);
    expect(spec.containers.slice(1).map((c: any) => c.ports[0].name)).toEqual(['metrics-exporte', 'abcdefghijklmn', 'admin']);
  });

  test('added to every Deployment of the service (stable and canary)', () => {
    const svc = service({ strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0' }) });
    svc.addContainer({ name: 'proxy', image: PROXY, port: 15001 });
    const deployments = objectsOf(synth(Chart.of(svc)), 'Deployment');
    expect(deployments).toHaveLength(2);
    for (const d of deployments) expect(d.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['app', 'proxy']);
  });

  test('a failed addContainer leaves the pod unchanged, and is reported at synth', () => {
    const svc = service({});
    expect(errorOf(() => svc.addContainer({ name: 'proxy', image: PROXY, port: 8080 }))).toContain('shop/api: addContainer("proxy").port (8080)');
    const spec = builtPodSpec(svc);
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app']);
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['tmp']);
    // AND the name is still free
    svc.addContainer({ name: 'proxy', image: PROXY, port: 15001 });
    expect(builtPodSpec(svc).containers.map((c: any) => c.name)).toEqual(['app', 'proxy']);
  });
});

describe('addInitContainer', () => {
  test('adds init containers in the order added, hardened, without probes or restartPolicy', () => {
    const svc = service({});
    svc.addInitContainer({ name: 'migrate', image: MIGRATE, command: ['/migrate', 'up'] });
    svc.addInitContainer({ name: 'warm-cache', image: AGENT });
    const spec = podSpec(svc);
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['migrate', 'warm-cache']);
    for (const c of spec.initContainers) {
      expect(c.securityContext).toEqual(HARDENED_CONTAINER_CONTEXT);
      expect(probeFields(c)).toEqual([]);
      expect(c.restartPolicy).toBeUndefined();
      expect(c.ports).toBeUndefined();
      expect(c.lifecycle).toBeUndefined();
    }
    expect(spec.initContainers[0].command).toEqual(['/migrate', 'up']);
  });

  test.each<[string, Partial<WorkloadContainerOptions>, string]>([
    ['a port', { port: 9000 }, 'addInitContainer("init").port (9000) does not apply to an init container (it runs to completion before the others start)'],
    ['probes', { health: HealthCheck.tcp() }, 'addInitContainer("init").health ("given") does not apply to an init container (Kubernetes does not probe it; a native sidecar can be probed)'],
    ['hooks', { lifecycle: { preStop: LifecycleHook.exec(['/bin/true']) } },
      'addInitContainer("init").lifecycle ("given") does not apply to an init container (a native sidecar can have hooks)'],
    ['a null lifecycle', { lifecycle: null as any }, 'addInitContainer("init").lifecycle ("given") does not apply to an init container'],
  ])('an init container with %s is rejected', (_name, options, expected) => {
    const svc = service({});
    expect(errorOf(() => svc.addInitContainer({ name: 'init', image: MIGRATE, ...options }))).toContain(`shop/api: ${expected}`);
  });

  test('an init container with several ports lists them all', () => {
    const svc = service({});
    expect(errorOf(() => svc.addInitContainer({ name: 'init', image: MIGRATE, port: 9000, additionalPorts: [{ number: 9001, name: 'b' }] })))
      .toContain('shop/api: addInitContainer("init").port ([9000,9001]) does not apply to an init container');
  });

  test('a low port on an init container is reported once, as not applying (not also as below 1024)', () => {
    const svc = service({});
    const message = errorOf(() => svc.addInitContainer({ name: 'init', image: MIGRATE, port: 80 }));
    expect(message).toContain('addInitContainer("init").port (80) does not apply to an init container');
    expect(message).not.toContain('below 1024');
  });
});

describe('addNativeSidecar', () => {
  test('renders as an init container with restartPolicy Always, probed on its port', () => {
    // GIVEN a native sidecar with a port
    const svc = service({});
    svc.addNativeSidecar({ name: 'proxy', image: PROXY, port: 15001 });
    const spec = podSpec(svc);
    // THEN it is an init container that keeps running, with startup, readiness and liveness probes on its port
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app']);
    expect(spec.initContainers).toHaveLength(1);
    const proxy = spec.initContainers[0];
    expect(proxy).toMatchObject({ name: 'proxy', restartPolicy: 'Always', ports: [{ containerPort: 15001, name: 'proxy', protocol: 'TCP' }] });
    expect(probeFields(proxy)).toEqual(['livenessProbe', 'readinessProbe', 'startupProbe']);
    expect(proxy.startupProbe.tcpSocket).toEqual({ port: 15001 });
    expect(proxy.securityContext).toEqual(HARDENED_CONTAINER_CONTEXT);
  });

  test('one without a port needs no probes and gets none', () => {
    const svc = service({});
    svc.addNativeSidecar({ name: 'log-shipper', image: AGENT });
    const c = podSpec(svc).initContainers[0];
    expect(c.restartPolicy).toBe('Always');
    expect(probeFields(c)).toEqual([]);
  });

  test.each<[string, HealthCheck, string]>([
    ['none()', HealthCheck.none(), '("no startupProbe and no readinessProbe")'],
    ['liveness only', HealthCheck.of({ liveness: HealthProbe.tcp() }), '("no startupProbe and no readinessProbe")'],
    ['no startup', HealthCheck.of({ liveness: HealthProbe.tcp(), readiness: HealthProbe.tcp() }), '("no startupProbe")'],
    ['no readiness', HealthCheck.of({ startup: HealthProbe.tcp() }), '("no readinessProbe")'],
  ])('one with a port and health %s is rejected: it needs startup and readiness probes', (_name, health, value) => {
    const svc = service({});
    const message = errorOf(() => svc.addNativeSidecar({ name: 'proxy', image: PROXY, port: 15001, health }));
    expect(message).toContain(`shop/api: addNativeSidecar("proxy").health ${value} must include startup and readiness probes for a native sidecar with a port`);
  });

  test('one with a port and startup and readiness probes (no liveness) is accepted', () => {
    const svc = service({});
    svc.addNativeSidecar({ name: 'proxy', image: PROXY, port: 15001, health: HealthCheck.of({ startup: HealthProbe.tcp(), readiness: HealthProbe.http('/ready') }) });
    const c = podSpec(svc).initContainers[0];
    expect(probeFields(c)).toEqual(['readinessProbe', 'startupProbe']);
    expect(c.readinessProbe.httpGet).toMatchObject({ path: '/ready', port: 15001 });
  });

  test('a native sidecar may have hooks', () => {
    const svc = service({});
    svc.addNativeSidecar({ name: 'proxy', image: PROXY, lifecycle: { preStop: LifecycleHook.exec(['/bin/drain']) } });
    expect(podSpec(svc).initContainers[0].lifecycle).toEqual({ preStop: { exec: { command: ['/bin/drain'] } } });
  });

  test('native sidecars and init containers keep the order they were added in', () => {
    const svc = service({});
    svc.addInitContainer({ name: 'migrate', image: MIGRATE });
    svc.addNativeSidecar({ name: 'proxy', image: PROXY });
    svc.addInitContainer({ name: 'warm-cache', image: AGENT });
    const spec = podSpec(svc);
    expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['migrate', undefined], ['proxy', 'Always'], ['warm-cache', undefined]]);
  });
});

describe('probes are patched onto the right container', () => {
  test('each container and init container carries its own probes, whatever the order of adding', () => {
    // GIVEN containers of every role, interleaved, with different probes
    const svc = service({ health: HealthCheck.http('/healthz') });
    svc.addInitContainer({ name: 'migrate', image: MIGRATE });
    svc.addContainer({ name: 'log-shipper', image: AGENT });
    svc.addNativeSidecar({ name: 'proxy', image: PROXY, port: 15001 });
    svc.addContainer({ name: 'metrics', image: AGENT, port: 9100, health: HealthCheck.http('/metrics-health') });
    svc.addNativeSidecar({ name: 'vault-agent', image: AGENT, port: 8200, health: HealthCheck.grpc() });
    const spec = podSpec(svc);
    // THEN each probe belongs to the container with the same port, at the same index
    const probes = (c: any) => ({ name: c.name, probes: probeFields(c), ready: c.readinessProbe });
    expect(spec.containers.map(probes)).toEqual([
      { name: 'app', probes: ['livenessProbe', 'readinessProbe', 'startupProbe'], ready: expect.objectContaining({ httpGet: expect.objectContaining({ path: '/healthz', port: 8080 }) }) },
      { name: 'log-shipper', probes: [], ready: undefined },
      { name: 'metrics', probes: ['livenessProbe', 'readinessProbe', 'startupProbe'], ready: expect.objectContaining({ httpGet: expect.objectContaining({ path: '/metrics-health', port: 9100 }) }) },
    ]);
    expect(spec.initContainers.map(probes)).toEqual([
      { name: 'migrate', probes: [], ready: undefined },
      { name: 'proxy', probes: ['livenessProbe', 'readinessProbe', 'startupProbe'], ready: expect.objectContaining({ tcpSocket: { port: 15001 } }) },
      { name: 'vault-agent', probes: ['livenessProbe', 'readinessProbe', 'startupProbe'], ready: expect.objectContaining({ grpc: expect.objectContaining({ port: 8200 }) }) },
    ]);
  });
});

describe('helper lifecycle and root filesystem', () => {
  test('a sidecar renders its hooks; the grace period stays the pod\'s', () => {
    const svc = service({ lifecycle: { gracePeriod: Duration.seconds(45) } });
    svc.addContainer({ name: 'proxy', image: PROXY, port: 15001, lifecycle: { preStop: LifecycleHook.sleep(Duration.seconds(5)) } });
    const spec = podSpec(svc);
    expect(spec.containers[1].lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '5'] } } });
    expect(spec.terminationGracePeriodSeconds).toBe(45);
  });

  test.each<[string, (svc: StatelessService, o: WorkloadContainerOptions) => void]>([
    ['addContainer', (svc, o) => svc.addContainer(o)],
    ['addNativeSidecar', (svc, o) => svc.addNativeSidecar(o)],
  ])('%s with lifecycle.gracePeriod is rejected: it is a pod setting', (method, add) => {
    const svc = service({});
    expect(errorOf(() => add(svc, { name: 'proxy', image: PROXY, lifecycle: { gracePeriod: Duration.seconds(10) } })))
      .toContain(`shop/api: ${method}("proxy").lifecycle.gracePeriod ("10s") is a pod setting: set it on the workload's lifecycle`);
  });

  test('readOnlyRootFilesystem: false relaxes one helper only (with its waiver)', () => {
    const svc = service({ waivers: [Waiver.of(PolicyRule.WRITABLE_ROOT_FILESYSTEM, 'two legacy helpers write next to their binaries')] });
    svc.addContainer({ name: 'legacy', image: AGENT, readOnlyRootFilesystem: false });
    svc.addNativeSidecar({ name: 'proxy', image: PROXY, readOnlyRootFilesystem: false });
    svc.addContainer({ name: 'strict', image: AGENT });
    const spec = podSpec(svc);
    const ro = (c: any) => [c.name, c.securityContext.readOnlyRootFilesystem];
    expect([...spec.containers, ...spec.initContainers].map(ro)).toEqual([['app', true], ['legacy', false], ['strict', true], ['proxy', false]]);
    // AND the rest of the hardened context is unchanged
    expect(spec.containers[1].securityContext).toEqual({ ...HARDENED_CONTAINER_CONTEXT, readOnlyRootFilesystem: false });
  });

  test('a helper inherits security.readOnlyRootFilesystem and may tighten it again', () => {
    const svc = service({
      security: { readOnlyRootFilesystem: false }, waivers: [Waiver.of(PolicyRule.WRITABLE_ROOT_FILESYSTEM, 'the image writes everywhere')],
    });
    svc.addContainer({ name: 'loose', image: AGENT });
    svc.addContainer({ name: 'tight', image: AGENT, readOnlyRootFilesystem: true });
    const spec = podSpec(svc);
    expect(spec.containers.map((c: any) => c.securityContext.readOnlyRootFilesystem)).toEqual([false, false, true]);
  });
});

describe('containers of one pod', () => {
  test('two containers on one port number are rejected: they share a network namespace', () => {
    const svc = service({});
    expect(errorOf(() => svc.addContainer({ name: 'proxy', image: PROXY, port: 8080 })))
      .toContain('shop/api: addContainer("proxy").port (8080) is already used by the main container "app" (containers of a pod share one network namespace)');
  });

  test('a native sidecar on the port of a sidecar, or on an additional port of the main container, is rejected', () => {
    const svc = service({ additionalPorts: [{ number: 9090, name: 'metrics' }] });
    svc.addContainer({ name: 'proxy', image: PROXY, port: 15001 });
    expect(errorOf(() => svc.addNativeSidecar({ name: 'agent', image: AGENT, port: 15001, portName: 'agent' })))
      .toContain('shop/api: addNativeSidecar("agent").port (15001) is already used by the sidecar "proxy"');
    expect(errorOf(() => svc.addNativeSidecar({ name: 'agent', image: AGENT, port: 9090, portName: 'agent' })))
      .toContain('shop/api: addNativeSidecar("agent").port (9090) is already used by the main container "app"');
  });

  test('an additional port used by another container is rejected', () => {
    const svc = service({});
    expect(errorOf(() => svc.addContainer({ name: 'proxy', image: PROXY, port: 15001, additionalPorts: [{ number: 8080, name: 'alt' }] })))
      .toContain('shop/api: addContainer("proxy").additionalPorts[0].number (8080) is already used by the main container "app"');
  });

  test('a port name used by another container is rejected', () => {
    const svc = service({});
    expect(errorOf(() => svc.addContainer({ name: 'proxy', image: PROXY, port: 15001, portName: 'http' })))
      .toContain('shop/api: addContainer("proxy").portName ("http") is already used by the main container "app"');
  });

  test('a container name used by any container of the pod is rejected, naming its role', () => {
    const svc = service({});
    svc.addInitContainer({ name: 'migrate', image: MIGRATE });
    svc.addNativeSidecar({ name: 'proxy', image: PROXY });
    expect(errorOf(() => svc.addContainer({ name: 'app', image: AGENT }))).toContain('shop/api: addContainer("app").name ("app") must be unique in the pod (the main container has it)');
    expect(errorOf(() => svc.addContainer({ name: 'migrate', image: AGENT }))).toContain('must be unique in the pod (the init container has it)');
    expect(errorOf(() => svc.addInitContainer({ name: 'proxy', image: AGENT }))).toContain('shop/api: addInitContainer("proxy").name ("proxy") must be unique in the pod (the native sidecar has it)');
  });
});

describe('volumes of the workload', () => {
  test('the pod has every volume once; each container mounts only what it names', () => {
    // GIVEN a shared volume mounted by the main container and a sidecar, and a secret mounted by the sidecar only
    const svc = service({ volumes: [PodVolume.emptyDir('shared')], mounts: [{ volume: 'shared', path: '/shared' }] });
    svc.addVolume(PodVolume.secret('certs', 'proxy-tls'));
    svc.addContainer({ name: 'proxy', image: PROXY, mounts: [{ volume: 'shared', path: '/data' }, { volume: 'certs', path: '/certs', readOnly: true }] });
    const spec = podSpec(svc);
    // THEN the pod has every volume once, and each container mounts exactly what it asked for
    expect(spec.volumes.map((v: any) => v.name).sort()).toEqual(['certs', 'shared', 'tmp', 'tmp-proxy']);
    expect(spec.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'shared', mountPath: '/shared' }]);
    expect(spec.containers[1].volumeMounts).toEqual([
      { name: 'tmp-proxy', mountPath: '/tmp' },
      { name: 'shared', mountPath: '/data' },
      { name: 'certs', mountPath: '/certs', readOnly: true },
    ]);
    // AND volumeNames lists them in the order declared: props volumes, the main /tmp, then later additions
    expect(svc.volumeNames).toEqual(['shared', 'tmp', 'certs', 'tmp-proxy']);
  });

  test('addVolume adds the volume to every Deployment of the service', () => {
    const svc = service({ strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0' }) });
    svc.addVolume(PodVolume.emptyDir('shared'));
    svc.addContainer({ name: 'proxy', image: PROXY, mounts: [{ volume: 'shared', path: '/shared' }] });
    const deployments: Manifest[] = objectsOf(synth(Chart.of(svc)), 'Deployment');
    expect(deployments).toHaveLength(2);
    for (const d of deployments) expect(d.spec.template.spec.volumes.map((v: any) => v.name)).toContain('shared');
  });

  test('a mount of an undeclared volume is rejected, listing the declared ones', () => {
    expect(errorOf(() => service({ volumes: [PodVolume.emptyDir('cache')], mounts: [{ volume: 'cache', path: '/c' }, { volume: 'data', path: '/d' }] })))
      .toContain('shop/api: mounts[1].volume ("data") must name a volume of the workload (declared: cache); declare it in volumes or with addVolume() first');
  });

  test('a helper cannot mount a volume that is not declared yet', () => {
    const svc = service({});
    expect(errorOf(() => svc.addContainer({ name: 'proxy', image: PROXY, mounts: [{ volume: 'later', path: '/l' }] })))
      .toContain('shop/api: addContainer("proxy").mounts[0].volume ("later") must name a volume of the workload (declared: tmp);');
  });

  test('duplicate volume names are rejected, in the props and through addVolume', () => {
    expect(errorOf(() => service({ volumes: [PodVolume.emptyDir('cache'), PodVolume.secret('cache', 's')], mounts: [{ volume: 'cache', path: '/c' }] })))
      .toContain('shop/api: volumes[1].name ("cache") must be unique in the pod (also declared by volumes[0])');
    const svc = service({ volumes: [PodVolume.emptyDir('cache')], mounts: [{ volume: 'cache', path: '/c' }] });
    expect(errorOf(() => svc.addVolume(PodVolume.emptyDir('cache'))))
      .toContain('shop/api: addVolume("cache").name ("cache") must be unique in the pod (also declared by volumes[0])');
    expect(errorOf(() => svc.addVolume(PodVolume.emptyDir('tmp')))).toContain('shop/api: addVolume("tmp").name ("tmp") must be unique in the pod (also declared by the /tmp emptyDir of the main container \"app\")');
  });

  test('addVolume reports what is not a PodVolume, and an invalid volume, at synth, without adding it', () => {
    const svc = service({});
    expect(errorOf(() => svc.addVolume({ name: 'raw', emptyDir: {} } as any)))
      .toContain('shop/api: addVolume("raw") ({"name":"raw","emptyDir":{}}) must be created with PodVolume.emptyDir(), configMap(), secret(), persistentVolumeClaim(), downwardApi() or projected()');
    expect(errorOf(() => svc.addVolume(null as any))).toContain('shop/api: addVolume(undefined) (null) must be created with PodVolume.emptyDir()');
    expect(errorOf(() => svc.addVolume(PodVolume.secret('certs', 'Bad_Secret')))).toContain('shop/api: addVolume("certs").secretName ("Bad_Secret") must be a DNS-1123 subdomain');
    expect(builtPodSpec(svc).volumes.map((v: any) => v.name)).toEqual(['tmp']);
  });

  test('volumes that are not a list, and entries that are not PodVolumes, are rejected', () => {
    expect(errorOf(() => service({ volumes: PodVolume.emptyDir('a') as any }))).toContain('shop/api: volumes (');
    expect(errorOf(() => service({ volumes: PodVolume.emptyDir('a') as any }))).toContain('must be a list of PodVolume');
    expect(errorOf(() => service({ volumes: [null as any] }))).toContain('shop/api: volumes[0] (null) must be created with PodVolume.emptyDir()');
  });

  test('a volume in the props that no container mounts fails at synth', () => {
    const svc = service({ volumes: [PodVolume.emptyDir('cache')] });
    expect(synthError(svc)).toContain('shop/api: volumes[0] ("cache") is mounted by no container: add a mount ({ volume, path }) to the container that needs it, or remove the volume');
  });

  test('a volume added with addVolume that no container mounts fails at synth; mounting it later fixes that', () => {
    const svc = service({});
    svc.addVolume(PodVolume.emptyDir('shared'));
    expect(synthError(svc)).toContain('shop/api: addVolume("shared") ("shared") is mounted by no container');
    const fixed = service({});
    fixed.addVolume(PodVolume.emptyDir('shared'));
    fixed.addInitContainer({ name: 'seed', image: MIGRATE, mounts: [{ volume: 'shared', path: '/seed' }] });
    expect(podSpec(fixed).initContainers[0].volumeMounts).toContainEqual({ name: 'shared', mountPath: '/seed' });
  });
});

describe('bad input', () => {
  test('every problem of a helper is listed in one PatternValidationError', () => {
    const svc = service({});
    svc.addNativeSidecar({
      name: 'Proxy',
      image: 'proxy',
      port: 8080,
      health: HealthCheck.none(),
      workingDir: 'rel',
      mounts: [{ volume: 'nope', path: '/n' }],
      lifecycle: { gracePeriod: Duration.seconds(5) },
    });
    // WHEN the app is synthesised
    let error: any;
    try {
      synth(Chart.of(svc));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PatternValidationError);
    const at = (error as PatternValidationError).problems.map((p) => `${p.prop} (${p.value})`);
    expect(at).toEqual(expect.arrayContaining([
      'addNativeSidecar("Proxy").name ("Proxy")',
      'addNativeSidecar("Proxy").image ("proxy")',
      'addNativeSidecar("Proxy").workingDir ("rel")',
      'addNativeSidecar("Proxy").health ("no startupProbe and no readinessProbe")',
      'addNativeSidecar("Proxy").lifecycle.gracePeriod ("5s")',
      'addNativeSidecar("Proxy").port (8080)',
      'addNativeSidecar("Proxy").mounts[0].volume ("nope")',
    ]));
  });

  test('null options give validation errors, not a TypeError', () => {
    const svc = service({});
    const message = errorOf(() => svc.addContainer(null as any));
    expect(message).toContain('shop/api: addContainer(undefined).name (undefined) must be a DNS-1123 label');
    expect(message).toContain('shop/api: addContainer(undefined).image (undefined)');
  });
});

describe('edge cases that once crashed or slipped through', () => {
  // Regression: src/workload/container.ts reads `s.lifecycle.gracePeriod.toSeconds()` for a helper without checking that it
  // is a Duration: a number throws a TypeError, a fractional Duration a plain Error, instead of a validation error.
  test.each<[string, any]>([
    ['a number', 30],
    ['1.5 seconds', Duration.millis(1500)],
  ])('a helper lifecycle.gracePeriod of %s gives a validation error', (_name, gracePeriod) => {
    const svc = service({});
    expect(errorOf(() => svc.addContainer({ name: 'proxy', image: PROXY, lifecycle: { gracePeriod } })))
      .toContain('shop/api: addContainer("proxy").lifecycle.gracePeriod');
  });

  // Regression: an init container given only additionalPorts is blamed on `port`, a prop the user did not set.
  test('an init container with only additionalPorts is blamed on additionalPorts, not on port', () => {
    const svc = service({});
    const message = errorOf(() => svc.addInitContainer({ name: 'init', image: MIGRATE, additionalPorts: [{ number: 9000, name: 'm' }] }));
    expect(message).toContain('shop/api: addInitContainer("init").additionalPorts');
    expect(message).not.toContain('addInitContainer("init").port (');
  });
});

describe('relaxations need their waiver', () => {
  test('a writable root filesystem, for the pod or one helper, and group 0 are rejected without one', () => {
    expect(errorOf(() => service({ security: { readOnlyRootFilesystem: false } })))
      .toContain('shop/api: security.readOnlyRootFilesystem (false) relaxes the secure defaults, which policy checkers flag: '
        + 'give the reason with waivers: [Waiver.of(PolicyRule.WRITABLE_ROOT_FILESYSTEM, reason)]');
    expect(errorOf(() => service({}).addContainer({ name: 'legacy', image: AGENT, readOnlyRootFilesystem: false })))
      .toContain('shop/api: addContainer("legacy").readOnlyRootFilesystem (false) relaxes the secure defaults');
    const groups = errorOf(() => service({ security: { runAsGroup: 0, fsGroup: 0 } }));
    expect(groups).toContain('security.runAsGroup (0) relaxes the secure defaults, which policy checkers flag: give the reason with waivers: '
      + '[Waiver.of(PolicyRule.ROOT_GROUP, reason)]');
    expect(groups).toContain('security.fsGroup (0) relaxes the secure defaults');
  });
});
