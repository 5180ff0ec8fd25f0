import { ApiObject, Chart } from 'cdk8s';
import {
  Ambassador, AmbassadorProps, BatchJob, BlueGreenTrack, DeploymentStrategy, EnvVariable, HealthCheck, HealthProbe, StatelessServiceProps,
} from '../../src';
import { errorOf, service } from '../helpers/errors';
import { Manifest, findObject, newChart, objectsOf, synth, validateManifests } from '../helpers/synth';

const PROXY = 'ghcr.io/acme/log-proxy:2.1.0';
/** The proxy listens on 127.0.0.1: it is probed on its admin port, which the kubelet can reach. */
const ADMIN_HEALTH = HealthCheck.http('/ready', { port: 9901 });

/** Synthesises the chart and checks every manifest against the schema. */
function build(chart: Chart): Manifest[] {
  const manifests = synth(chart);
  validateManifests(manifests);
  return manifests;
}

/** A StatelessService `api` (port 8080) in chart `shop` with an ambassador `log-proxy` on port 9000. */
function withAmbassador(props: Partial<AmbassadorProps> = {}, svcProps: Partial<StatelessServiceProps> = {}) {
  const svc = service(svcProps);
  const chart = Chart.of(svc) as Chart;
  const ambassador = new Ambassador(chart, 'log-proxy', {
    workload: svc, container: { name: 'log-proxy', image: PROXY, port: 9000, health: ADMIN_HEALTH }, ...props,
  });
  return { svc, chart, ambassador };
}

describe('Ambassador: classic sidecar (default)', () => {
  test('adds the proxy as a second container and tells the application where to reach it', () => {
    // GIVEN a service with an ambassador
    const { chart, ambassador } = withAmbassador();
    // WHEN synthesised
    const spec = findObject(build(chart), 'Deployment', 'api').spec.template.spec;
    // THEN the application reaches the external service on localhost:<port>
    expect(ambassador.localAddress).toBe('localhost:9000');
    expect(ambassador.port).toBe(9000);
    // AND the proxy is a regular second container with its port, hardened, probed on its admin port
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app', 'log-proxy']);
    const proxy = spec.containers[1];
    expect(proxy.image).toBe(PROXY);
    expect(proxy.ports).toEqual([{ containerPort: 9000, name: 'log-proxy', protocol: 'TCP' }]);
    expect(proxy.restartPolicy).toBeUndefined();
    expect(proxy.readinessProbe.httpGet).toMatchObject({ path: '/ready', port: 9901 });
    expect(proxy.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true });
    // AND there is no init container
    expect(spec.initContainers ?? []).toEqual([]);
  });

  test('native: false is the classic sidecar too', () => {
    const { chart } = withAmbassador({ native: false });
    const spec = findObject(build(chart), 'Deployment', 'api').spec.template.spec;
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app', 'log-proxy']);
    expect(spec.initContainers ?? []).toEqual([]);
  });

  test('localAddress is what the application is configured with', () => {
    // GIVEN an ambassador made first, and a service whose env uses its address
    const chart = newChart('shop');
    const svc = service({}, chart);
    const proxy = new Ambassador(chart, 'log-proxy', { workload: svc, container: { name: 'log-proxy', image: PROXY, port: 9000, health: ADMIN_HEALTH } });
    const other = service({ name: 'web', envVariables: [EnvVariable.literal('LOG_ENDPOINT', `http://${proxy.localAddress}`)] }, newChart('web'));
    // WHEN synthesised, THEN the variable is the localhost address
    const app = findObject(build(Chart.of(other) as Chart), 'Deployment', 'web').spec.template.spec.containers[0];
    expect(app.env).toEqual([{ name: 'LOG_ENDPOINT', value: 'http://localhost:9000' }]);
  });
});

describe('Ambassador: native sidecar', () => {
  test('native: true makes an init container with restartPolicy Always and startup/readiness probes', () => {
    // GIVEN a native ambassador
    const { chart } = withAmbassador({ native: true });
    // WHEN synthesised
    const spec = findObject(build(chart), 'Deployment', 'api').spec.template.spec;
    // THEN the proxy is an init container that Kubernetes keeps running
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app']);
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['log-proxy']);
    const proxy = spec.initContainers[0];
    expect(proxy.restartPolicy).toBe('Always');
    expect(proxy.ports).toEqual([{ containerPort: 9000, name: 'log-proxy', protocol: 'TCP' }]);
    // AND the containers after it start once its startup probe passes
    expect(proxy.startupProbe.httpGet).toMatchObject({ path: '/ready', port: 9901 });
    expect(proxy.readinessProbe.httpGet).toMatchObject({ path: '/ready', port: 9901 });
  });

  test('native with HealthCheck.none() is rejected: a native sidecar with a port needs startup and readiness probes', () => {
    expect(errorOf(() => withAmbassador({ native: true, container: { name: 'log-proxy', image: PROXY, port: 9000, health: HealthCheck.none() } })))
      .toContain('shop/log-proxy: container.health ("no startupProbe and no readinessProbe") must include startup and readiness probes '
        + 'for a native sidecar with a port');
  });

  test('native with only a liveness probe is rejected, naming both missing probes', () => {
    const health = HealthCheck.of({ liveness: HealthProbe.tcp() });
    expect(errorOf(() => withAmbassador({ native: true, container: { name: 'log-proxy', image: PROXY, port: 9000, health } })))
      .toContain('container.health ("no startupProbe and no readinessProbe") must include startup and readiness probes');
  });

  test('classic with HealthCheck.none() is accepted, with no probes', () => {
    // GIVEN a classic ambassador without probes
    const { chart } = withAmbassador({ container: { name: 'log-proxy', image: PROXY, port: 9000, health: HealthCheck.none() } });
    // WHEN synthesised, THEN it has no probes
    const proxy = findObject(build(chart), 'Deployment', 'api').spec.template.spec.containers[1];
    expect(proxy.readinessProbe).toBeUndefined();
    expect(proxy.startupProbe).toBeUndefined();
  });
});

describe('Ambassador: never exposed', () => {
  test('the Service keeps only the application port', () => {
    // GIVEN a service with a classic and a native ambassador
    const { svc, chart } = withAmbassador();
    new Ambassador(chart, 'cache-proxy', { workload: svc, native: true, container: { name: 'cache-proxy', image: PROXY, port: 6379, health: ADMIN_HEALTH } });
    // WHEN synthesised
    const manifests = build(chart);
    // THEN neither port is on the Service
    expect(findObject(manifests, 'Service', 'api').spec.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP', targetPort: 8080 }]);
    // AND no Prometheus annotation or ServiceMonitor is made
    expect(findObject(manifests, 'Deployment', 'api').spec.template.metadata.annotations).toBeUndefined();
    expect(objectsOf(manifests, 'ServiceMonitor')).toEqual([]);
  });

  test('blue-green: neither Service gets the port, both tracks get the proxy', () => {
    const { chart } = withAmbassador({}, { strategy: DeploymentStrategy.blueGreen({ active: BlueGreenTrack.BLUE }) });
    const manifests = build(chart);
    for (const name of ['api', 'api-preview']) expect(findObject(manifests, 'Service', name).spec.ports.map((p: any) => p.name)).toEqual(['http']);
    for (const name of ['api-blue', 'api-green']) {
      expect(findObject(manifests, 'Deployment', name).spec.template.spec.containers.map((c: any) => c.name)).toEqual(['app', 'log-proxy']);
    }
  });

  test('a native ambassador on a BatchJob lets the Job complete (it stops after the main container)', () => {
    // GIVEN a batch job with a native ambassador
    const chart = newChart('shop');
    const job = new BatchJob(chart, 'reindex', { image: 'ghcr.io/acme/reindex:2.3.0' });
    new Ambassador(chart, 'log-proxy', { workload: job, native: true, container: { name: 'log-proxy', image: PROXY, port: 9000, health: ADMIN_HEALTH } });
    // WHEN synthesised, THEN the proxy is a restartable init container and the only regular container is the job's
    const spec = findObject(build(chart), 'Job', 'reindex').spec.template.spec;
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app']);
    expect(spec.initContainers[0]).toMatchObject({ name: 'log-proxy', restartPolicy: 'Always' });
  });
});

describe('Ambassador: bad input', () => {
  test('health is required: a default TCP probe on a port bound to 127.0.0.1 would always fail', () => {
    const svc = service({});
    expect(errorOf(() => new Ambassador(Chart.of(svc), 'log-proxy', { workload: svc, container: { name: 'log-proxy', image: PROXY, port: 9000 } })))
      .toContain('shop/log-proxy: container.health (undefined) is required: an ambassador listens on 127.0.0.1, which the kubelet');
  });

  test('container.port is required', () => {
    expect(errorOf(() => withAmbassador({ container: { name: 'log-proxy', image: PROXY, health: ADMIN_HEALTH } })))
      .toContain('shop/log-proxy: container.port (undefined) is required: the application reaches the ambassador on localhost:<port>');
  });

  test('the workload must be a workload of this library', () => {
    expect(errorOf(() => new Ambassador(newChart('shop'), 'log-proxy', { workload: {} as any, container: { name: 'p', image: PROXY, port: 9000, health: ADMIN_HEALTH } })))
      .toContain('shop/log-proxy: workload ({}) must be a workload of this library (StatelessService, DaemonService, ...)');
    expect(errorOf(() => new Ambassador(newChart('shop'), 'log-proxy', undefined as any)))
      .toContain('shop/log-proxy: workload (undefined) must be a workload of this library');
  });

  test('a missing container lists every problem at once, as a validation error', () => {
    const msg = errorOf(() => withAmbassador({ container: undefined as any }));
    expect(msg).toContain('container.port (undefined) is required');
    expect(msg).toContain('container.name (undefined) must be a DNS-1123 label');
    expect(msg).toContain('container.image (undefined) must be a non-empty image reference');
  });

  test('the proxy port must not clash with the application port', () => {
    expect(errorOf(() => withAmbassador({ container: { name: 'log-proxy', image: PROXY, port: 8080, health: ADMIN_HEALTH } })))
      .toContain('shop/log-proxy: container.port (8080) is already used by the main container "app" '
        + '(containers of a pod share one network namespace)');
  });

  test('the container is checked like any helper: name, pinned image, unique name', () => {
    expect(errorOf(() => withAmbassador({ container: { name: 'Proxy', image: 'envoy', port: 9000, health: ADMIN_HEALTH } })))
      .toMatch(/container\.name \("Proxy"\) must be a DNS-1123 label[\s\S]*container\.image \("envoy"\) must be pinned/);
    expect(errorOf(() => withAmbassador({ container: { name: 'app', image: PROXY, port: 9000, health: ADMIN_HEALTH } })))
      .toContain('shop/log-proxy: container.name ("app") must be unique in the pod (the main container has it)');
  });

  test('a rejected ambassador leaves the workload unchanged, so a corrected one can be added', () => {
    // GIVEN a service, and an ambassador rejected for its missing port
    const svc = service({});
    const chart = Chart.of(svc) as Chart;
    new Ambassador(chart, 'bad', { workload: svc, container: { name: 'log-proxy', image: PROXY, health: ADMIN_HEALTH } });
    // WHEN a correct one with the same name is added
    new Ambassador(chart, 'good', { workload: svc, container: { name: 'log-proxy', image: PROXY, port: 9000, health: ADMIN_HEALTH } });
    // THEN there is exactly one proxy (rendered without synth, which the rejected one fails)
    const spec = ApiObject.of(svc.deployment).toJson().spec.template.spec;
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app', 'log-proxy']);
    // AND synth reports the rejected one only
    expect(() => synth(chart)).toThrow(/^cdk8s-patterns: 1 invalid value:\n {2}- shop\/bad: container\.port \(undefined\) is required/);
  });

  test('a classic ambassador on a BatchJob is rejected (the proxy never exits, so the Job never completes)', () => {
    // GIVEN a batch job, WHEN a classic (non-native) ambassador is added
    const chart = newChart('shop');
    const job = new BatchJob(chart, 'reindex', { image: 'ghcr.io/acme/reindex:2.3.0' });
    // THEN it is rejected with a hint to use native: true
    expect(errorOf(() => new Ambassador(chart, 'log-proxy', { workload: job, container: { name: 'log-proxy', image: PROXY, port: 9000, health: ADMIN_HEALTH } })))
      .toContain('native');
  });
});
