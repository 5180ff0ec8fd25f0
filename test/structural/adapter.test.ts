import { ApiObject, Chart, Duration } from 'cdk8s';
import {
  Adapter, BatchJob, BlueGreenTrack, DeploymentStrategy, HealthCheck, PatternLabels, PodVolume, StatelessService, StatelessServiceProps,
} from '../../src';
import { IMAGE, errorOf, service } from '../helpers/errors';
import { CALLERS } from '../helpers/network';
import { Manifest, findObject, newChart, objectsOf, synth, validateManifests } from '../helpers/synth';

const EXPORTER = 'ghcr.io/acme/log-exporter:0.9.1';

/** Synthesises the chart and checks every manifest against the schema (explicitly, as every positive test must). */
function build(chart: Chart): Manifest[] {
  const manifests = synth(chart);
  validateManifests(manifests);
  return manifests;
}

/** A StatelessService `api` (port 8080) with an exporter adapter on port 9102 in chart `shop`. */
function withAdapter(adapter: Partial<ConstructorParameters<typeof Adapter>[2]> = {}, props: Partial<StatelessServiceProps> = {}) {
  const svc = service(props);
  const chart = Chart.of(svc) as Chart;
  const adapterProps = { workload: svc, container: { name: 'log-exporter', image: EXPORTER, port: 9102 }, ...adapter };
  const a = new Adapter(chart, 'exporter', adapterProps);
  return { svc, chart, adapter: a };
}

/** The error of building an Adapter with `adapter` props on a fresh `api` (port 8080). */
function adapterError(adapter: Partial<ConstructorParameters<typeof Adapter>[2]>, props: Partial<StatelessServiceProps> = {}): string {
  return errorOf(() => withAdapter(adapter, props).adapter);
}

/**
 * The Deployment's container names and the Service's ports of `svc`, rendered without synthesising
 * the app (which fails while a construct that was not built has problems pending).
 */
function workloadState(svc: StatelessService): { containers: string[]; ports: number[] } {
  return {
    containers: ApiObject.of(svc.deployment).toJson().spec.template.spec.containers.map((c: any) => c.name),
    ports: ApiObject.of(svc.service!).toJson().spec.ports.map((p: any) => p.port),
  };
}

/** The error thrown by `build`, whatever it is (TypeErrors included, for documenting bugs). */
function thrown(build_: () => unknown): Error {
  try {
    build_();
  } catch (e: any) {
    return e;
  }
  throw new Error('expected an error, but none was thrown');
}

describe('Adapter: the sidecar container', () => {
  test('adds the adapter container with its named port beside the main container, hardened and probed', () => {
    // GIVEN a service with an adapter that reads a shared log volume
    const svc = service({ volumes: [PodVolume.emptyDir('logs')], mounts: [{ volume: 'logs', path: '/var/log/app' }] });
    const adapter = new Adapter(Chart.of(svc), 'exporter', {
      workload: svc,
      container: { name: 'log-exporter', image: EXPORTER, port: 9102, mounts: [{ volume: 'logs', path: '/var/log/app', readOnly: true }] },
    });
    // WHEN synthesised
    const spec = findObject(build(Chart.of(svc) as Chart), 'Deployment', 'api').spec.template.spec;
    // THEN the pod has the main container and the adapter, which listens on its port named after it
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app', 'log-exporter']);
    const sidecar = spec.containers[1];
    expect(sidecar.image).toBe(EXPORTER);
    expect(sidecar.ports).toEqual([{ containerPort: 9102, name: 'log-exporter', protocol: 'TCP' }]);
    expect(adapter.port).toBe(9102);
    expect(adapter.portName).toBe('log-exporter');
    // AND it reads the shared volume read-only
    expect(sidecar.volumeMounts).toContainEqual({ mountPath: '/var/log/app', name: 'logs', readOnly: true });
    // AND it is hardened and gets TCP probes on its port by default
    expect(sidecar.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true });
    expect(sidecar.readinessProbe.tcpSocket).toEqual({ port: 9102 });
    expect(sidecar.livenessProbe.tcpSocket).toEqual({ port: 9102 });
    expect(sidecar.startupProbe.tcpSocket).toEqual({ port: 9102 });
    // AND it is not an init container
    expect(spec.initContainers ?? []).toEqual([]);
  });

  test('the port name is the container name cut to 15 characters, or portName when given', () => {
    // GIVEN an adapter with a long container name and one with an explicit port name
    const long = withAdapter({ container: { name: 'very-long-exporter-name', image: EXPORTER, port: 9102 } });
    const named = withAdapter({ container: { name: 'mtail', image: EXPORTER, port: 3903, portName: 'metrics' } });
    // WHEN synthesised
    const longSvc = findObject(build(long.chart), 'Service', 'api');
    const namedSvc = findObject(build(named.chart), 'Service', 'api');
    // THEN the derived name is cut to 15 characters (no trailing "-"), the explicit one is kept
    expect(long.adapter.portName).toBe('very-long-expor');
    expect(longSvc.spec.ports[1].name).toBe('very-long-expor');
    expect(named.adapter.portName).toBe('metrics');
    expect(namedSvc.spec.ports[1]).toMatchObject({ name: 'metrics', port: 3903, targetPort: 3903 });
  });

  test('container.health overrides the default TCP probes', () => {
    // GIVEN an adapter probed over HTTP on its metrics path
    const { chart } = withAdapter({ container: { name: 'mtail', image: EXPORTER, port: 3903, health: HealthCheck.http('/metrics') } });
    // WHEN synthesised
    const sidecar = findObject(build(chart), 'Deployment', 'api').spec.template.spec.containers[1];
    // THEN its probes are HTTP on its own port
    expect(sidecar.readinessProbe.httpGet).toMatchObject({ path: '/metrics', port: 3903 });
    expect(sidecar.readinessProbe.tcpSocket).toBeUndefined();
  });
});

describe('Adapter: the Service port', () => {
  test('exposes the adapter port as a second port of the Service, keeping the application port first', () => {
    // GIVEN a service with an adapter
    const { chart } = withAdapter();
    // WHEN synthesised
    const svc = findObject(build(chart), 'Service', 'api');
    // THEN the Service has the application port and the adapter port, targeting the container port
    expect(svc.spec.ports).toEqual([
      { name: 'http', port: 8080, protocol: 'TCP', targetPort: 8080 },
      { name: 'log-exporter', port: 9102, protocol: 'TCP', targetPort: 9102 },
    ]);
  });

  test('servicePort sets the Service port and still targets the container port', () => {
    // GIVEN an adapter exposed on Service port 9100
    const { chart } = withAdapter({ servicePort: 9100 });
    // WHEN synthesised
    const svc = findObject(build(chart), 'Service', 'api');
    // THEN the Service port is 9100 and forwards to 9102
    expect(svc.spec.ports[1]).toEqual({ name: 'log-exporter', port: 9100, protocol: 'TCP', targetPort: 9102 });
  });

  test('blue-green: both the Service and the preview Service get the port, and both Deployments the container', () => {
    // GIVEN a blue-green service with an adapter
    const { chart } = withAdapter({}, { strategy: DeploymentStrategy.blueGreen({ active: BlueGreenTrack.BLUE }) });
    // WHEN synthesised
    const manifests = build(chart);
    // THEN the Service and the preview Service each carry the adapter port
    for (const name of ['api', 'api-preview']) {
      expect(findObject(manifests, 'Service', name).spec.ports.map((p: any) => p.name)).toEqual(['http', 'log-exporter']);
    }
    // AND every pod of both tracks runs the adapter
    for (const name of ['api-blue', 'api-green']) {
      expect(findObject(manifests, 'Deployment', name).spec.template.spec.containers.map((c: any) => c.name)).toEqual(['app', 'log-exporter']);
    }
  });

  test('canary: only the main Service gets the port; the per-track Services of a weighted canary do not', () => {
    // GIVEN a weighted canary with an adapter
    const { chart } = withAdapter({}, { strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0', weight: 10 }) });
    // WHEN synthesised
    const manifests = build(chart);
    // THEN the main Service (which selects both tracks) has the adapter port
    expect(findObject(manifests, 'Service', 'api').spec.ports.map((p: any) => p.name)).toEqual(['http', 'log-exporter']);
    // AND the stable and canary Services behind the HTTPRoute keep the application port only
    expect(findObject(manifests, 'Service', 'api-stable').spec.ports.map((p: any) => p.name)).toEqual(['http']);
    expect(findObject(manifests, 'Service', 'api-canary').spec.ports.map((p: any) => p.name)).toEqual(['http']);
    // AND the stable and canary pods both run the adapter
    for (const name of ['api', 'api-canary']) {
      expect(findObject(manifests, 'Deployment', name).spec.template.spec.containers.map((c: any) => c.name)).toEqual(['app', 'log-exporter']);
    }
  });
});

describe('Adapter: Prometheus annotations', () => {
  test('the pods carry prometheus.io/scrape, port (the container port) and path', () => {
    // GIVEN an adapter exposed on another Service port
    const { chart } = withAdapter({ servicePort: 9100 });
    // WHEN synthesised
    const template = findObject(build(chart), 'Deployment', 'api').spec.template;
    // THEN the pod annotations point Prometheus' kubernetes-pods job at the container port
    expect(template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9102', 'prometheus.io/path': '/metrics' });
  });

  test('metricsPath sets the path annotation', () => {
    // GIVEN an adapter serving metrics on /stats/prometheus
    const { chart } = withAdapter({ metricsPath: '/stats/prometheus' });
    // WHEN synthesised, THEN the path annotation follows
    expect(findObject(build(chart), 'Deployment', 'api').spec.template.metadata.annotations['prometheus.io/path']).toBe('/stats/prometheus');
  });

  test('prometheusAnnotations: false adds none, but the container and the Service port still are', () => {
    // GIVEN an adapter without annotations
    const { chart } = withAdapter({ prometheusAnnotations: false });
    // WHEN synthesised
    const manifests = build(chart);
    const deployment = findObject(manifests, 'Deployment', 'api');
    // THEN no prometheus.io annotation is on the pods
    expect(Object.keys(deployment.spec.template.metadata.annotations ?? {}).filter((k) => k.startsWith('prometheus.io/'))).toEqual([]);
    // AND the adapter is still there and exposed
    expect(deployment.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['app', 'log-exporter']);
    expect(findObject(manifests, 'Service', 'api').spec.ports).toHaveLength(2);
  });

  test('two adapters on one workload work when only one adds the annotations', () => {
    // GIVEN two adapters, the second without annotations
    const { svc, chart } = withAdapter();
    new Adapter(chart, 'second', {
      workload: svc, prometheusAnnotations: false, container: { name: 'statsd-exporter', image: 'ghcr.io/acme/statsd:0.26.0', port: 9103 },
    });
    // WHEN synthesised
    const manifests = build(chart);
    // THEN both containers and both ports are there, and the annotations name the first adapter
    expect(findObject(manifests, 'Service', 'api').spec.ports.map((p: any) => p.name)).toEqual(['http', 'log-exporter', 'statsd-exporter']);
    expect(findObject(manifests, 'Deployment', 'api').spec.template.metadata.annotations['prometheus.io/port']).toBe('9102');
  });
});

describe('Adapter: ServiceMonitor', () => {
  test('selects the workload\'s Service by its labels and scrapes the adapter port by name', () => {
    // GIVEN an adapter with a ServiceMonitor, an interval and a release label
    const { chart, adapter } = withAdapter({ serviceMonitor: { interval: Duration.seconds(30), labels: { release: 'prometheus' } } });
    // WHEN synthesised
    const manifests = build(chart);
    const monitor = findObject(manifests, 'ServiceMonitor', 'api-log-exporter');
    const svc = findObject(manifests, 'Service', 'api');
    // THEN it is a prometheus-operator ServiceMonitor
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(adapter.serviceMonitor).toBeDefined();
    // AND its selector matches the Service's labels
    expect(monitor.spec.selector).toEqual({ matchLabels: { [PatternLabels.NAME]: 'api', [PatternLabels.INSTANCE]: 'api' } });
    for (const [k, v] of Object.entries(monitor.spec.selector.matchLabels)) expect(svc.metadata.labels[k]).toBe(v);
    // AND its one endpoint is the adapter's Service port, by name, with path and interval
    expect(monitor.spec.endpoints).toEqual([{ port: 'log-exporter', path: '/metrics', interval: '30s' }]);
    expect(svc.spec.ports.map((p: any) => p.name)).toContain(monitor.spec.endpoints[0].port);
    // AND it carries the extra labels and the standard ones
    expect(monitor.metadata.labels).toEqual({
      release: 'prometheus', [PatternLabels.NAME]: 'api', [PatternLabels.INSTANCE]: 'api', [PatternLabels.MANAGED_BY]: 'cdk8s-patterns',
    });
  });

  test('without interval and labels: no interval field, standard labels only, metricsPath as the endpoint path', () => {
    // GIVEN a bare ServiceMonitor and a custom metrics path
    const { chart } = withAdapter({ serviceMonitor: {}, metricsPath: '/stats' });
    // WHEN synthesised
    const monitor = findObject(build(chart), 'ServiceMonitor', 'api-log-exporter');
    // THEN the endpoint has no interval (Prometheus' global one applies)
    expect(monitor.spec.endpoints).toEqual([{ port: 'log-exporter', path: '/stats' }]);
    expect(Object.keys(monitor.metadata.labels).sort()).toEqual([PatternLabels.INSTANCE, PatternLabels.MANAGED_BY, PatternLabels.NAME].sort());
  });

  test('follows appName: the selector uses the application name the Service is labelled with', () => {
    // GIVEN a service whose app name differs from its instance name
    const { chart } = withAdapter({ serviceMonitor: {} }, { appName: 'shop-api' });
    // WHEN synthesised
    const manifests = build(chart);
    const monitor = findObject(manifests, 'ServiceMonitor', 'api-log-exporter');
    // THEN the selector matches the Service's labels
    expect(monitor.spec.selector.matchLabels).toEqual({ [PatternLabels.NAME]: 'shop-api', [PatternLabels.INSTANCE]: 'api' });
    expect(findObject(manifests, 'Service', 'api').metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
  });

  test('no ServiceMonitor unless asked for', () => {
    // GIVEN an adapter without serviceMonitor
    const { chart, adapter } = withAdapter();
    // WHEN synthesised, THEN there is none
    expect(objectsOf(build(chart), 'ServiceMonitor')).toEqual([]);
    expect(adapter.serviceMonitor).toBeUndefined();
  });
});

describe('Adapter: workloads without a Service', () => {
  test('a StatelessService without a port gets the container and the annotations, and no Service', () => {
    // GIVEN a port-less worker service with an adapter
    const svc = service({ port: undefined });
    new Adapter(Chart.of(svc), 'exporter', { workload: svc, container: { name: 'log-exporter', image: EXPORTER, port: 9102 } });
    // WHEN synthesised
    const manifests = build(Chart.of(svc) as Chart);
    const template = findObject(manifests, 'Deployment', 'api').spec.template;
    // THEN the adapter runs and the pods are annotated for scraping
    expect(template.spec.containers.map((c: any) => c.name)).toEqual(['app', 'log-exporter']);
    expect(template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9102', 'prometheus.io/path': '/metrics' });
    // AND there is still no Service
    expect(objectsOf(manifests, 'Service')).toEqual([]);
  });

  test('a BatchJob gets the adapter as a native sidecar (so the Job can complete) and the annotations', () => {
    // GIVEN a batch job with a native adapter
    const chart = newChart('shop');
    const job = new BatchJob(chart, 'reindex', { image: 'ghcr.io/acme/reindex:2.3.0' });
    new Adapter(chart, 'exporter', { workload: job, native: true, container: { name: 'log-exporter', image: EXPORTER, port: 9102 } });
    // WHEN synthesised
    const manifests = build(chart);
    const template = findObject(manifests, 'Job', 'reindex').spec.template;
    // THEN the adapter runs beside the job as a native sidecar and the pods are annotated
    expect(template.spec.containers.map((c: any) => c.name)).toEqual(['app']);
    expect(template.spec.initContainers).toEqual([expect.objectContaining({ name: 'log-exporter', restartPolicy: 'Always' })]);
    expect(template.metadata.annotations['prometheus.io/port']).toBe('9102');
    expect(objectsOf(manifests, 'Service')).toEqual([]);
  });

  test('a classic adapter on a BatchJob is rejected: it never exits, so the Job would never complete', () => {
    const chart = newChart('shop');
    const job = new BatchJob(chart, 'reindex', { image: 'ghcr.io/acme/reindex:2.3.0' });
    expect(errorOf(() => new Adapter(chart, 'exporter', { workload: job, container: { name: 'log-exporter', image: EXPORTER, port: 9102 } })))
      .toContain('shop/exporter: native (undefined) must be true on a Job');
  });

  test('a ServiceMonitor on a workload without a Service is rejected', () => {
    // GIVEN a port-less service, WHEN an adapter asks for a ServiceMonitor, THEN it is rejected
    expect(adapterError({ serviceMonitor: {} }, { port: undefined }))
      .toContain('shop/exporter: serviceMonitor ("given") needs a Service, and the workload has none (give it a port)');
  });

  test('servicePort on a workload without a Service is rejected instead of silently ignored', () => {
    // GIVEN a port-less service (no Service), WHEN an adapter asks for a Service port
    // THEN it is rejected, like StatelessService rejects servicePort without port
    expect(adapterError({ servicePort: 9100 }, { port: undefined })).toContain('shop/exporter: servicePort (9100)');
  });
});

describe('Adapter: bad input', () => {
  test('container.port is required', () => {
    expect(adapterError({ container: { name: 'log-exporter', image: EXPORTER } }))
      .toContain('shop/exporter: container.port (undefined) is required: an adapter serves what it adapts on its own port');
  });

  test('the workload must be a workload of this library', () => {
    // GIVEN a raw kplus-like object or nothing at all
    const chart = newChart('shop');
    const msg = errorOf(() => new Adapter(chart, 'exporter', { workload: {} as any, container: { name: 'x', image: EXPORTER, port: 9102 } }));
    expect(msg).toContain('shop/exporter: workload ({}) must be a workload of this library (StatelessService, DaemonService, ...)');
    const none = errorOf(() => new Adapter(newChart('shop'), 'exporter', undefined as any));
    expect(none).toContain('shop/exporter: workload (undefined) must be a workload of this library');
  });

  test('metricsPath must start with "/"', () => {
    expect(adapterError({ metricsPath: 'metrics' })).toContain('shop/exporter: metricsPath ("metrics") must start with "/"');
  });

  test('servicePort must be a port number', () => {
    expect(adapterError({ servicePort: 70000 })).toContain('shop/exporter: servicePort (70000) must be an integer from 1 to 65535');
  });

  test('a servicePort that is already a port of the Service is rejected', () => {
    expect(adapterError({ servicePort: 8080 })).toContain('(8080) is already a port of Service "api"');
  });

  test('a container port equal to the Service port (no servicePort) is rejected', () => {
    expect(adapterError({ container: { name: 'log-exporter', image: EXPORTER, port: 8080 } })).toContain('(8080) is already a port of Service "api"');
  });

  test('a port name that is already a port name of the Service is rejected', () => {
    expect(adapterError({ container: { name: 'log-exporter', image: EXPORTER, port: 9102, portName: 'http' } }))
      .toContain('shop/exporter: container.portName ("http") is already a port name of Service "api"');
  });

  test('blue-green: a clash is reported for the Service and the preview Service', () => {
    const msg = adapterError({ container: { name: 'x', image: EXPORTER, port: 9102, portName: 'http' } },
      { strategy: DeploymentStrategy.blueGreen({ active: BlueGreenTrack.GREEN }) });
    expect(msg).toContain('container.portName ("http") is already a port name of Service "api"');
    expect(msg).toContain('container.portName ("http") is already a port name of Service "api-preview"');
  });

  test('serviceMonitor interval must be whole seconds, labels must be strings', () => {
    const msg = adapterError({ serviceMonitor: { interval: Duration.millis(1500), labels: { release: 5 as any } } });
    expect(msg).toContain('shop/exporter: serviceMonitor.interval ("1.5s") must be a whole number of seconds, at least 1');
    expect(msg).toContain('shop/exporter: serviceMonitor.labels["release"] (5) must be a valid label value');
  });

  test('the container is checked like any helper: name, image, port clash with the main container', () => {
    // GIVEN a bad name and an unpinned image
    expect(adapterError({ container: { name: 'Exporter', image: 'exporter', port: 9102, portName: 'metrics' } }))
      .toMatch(/container\.name \("Exporter"\) must be a DNS-1123 label[\s\S]*container\.image \("exporter"\) must be pinned/);
    // AND a container port the main container already listens on (behind another Service port)
    expect(adapterError({ container: { name: 'log-exporter', image: EXPORTER, port: 8080 }, servicePort: 9100 }))
      .toContain('shop/exporter: container.port (8080) is already used by the main container "app" '
        + '(containers of a pod share one network namespace)');
  });

  test('every problem is listed at once', () => {
    // GIVEN several mistakes in one adapter
    const msg = adapterError({ container: { name: 'log-exporter', image: EXPORTER }, metricsPath: 'metrics', servicePort: 0, serviceMonitor: {} },
      { port: undefined });
    // THEN they are all reported, in one PatternValidationError
    expect(msg).toContain('container.port (undefined) is required');
    expect(msg).toContain('metricsPath ("metrics") must start with "/"');
    expect(msg).toContain('servicePort (0) must be an integer from 1 to 65535');
    expect(msg).toContain('serviceMonitor ("given") needs a Service');
  });

  test('a rejected adapter leaves the workload unchanged, and synth reports it', () => {
    // GIVEN a service with an adapter
    const { svc, chart } = withAdapter({ prometheusAnnotations: false });
    expect(workloadState(svc)).toEqual({ containers: ['app', 'log-exporter'], ports: [8080, 9102] });
    // WHEN an adapter that clashes with its Service port name is added
    const bad = new Adapter(chart, 'bad', { workload: svc, container: { name: 'other', image: EXPORTER, port: 9200, portName: 'http' } });
    // THEN it is not in the tree, and neither its container nor its port was added
    expect(chart.node.tryFindChild('bad')).toBeUndefined();
    expect(workloadState(svc)).toEqual({ containers: ['app', 'log-exporter'], ports: [8080, 9102] });
    // AND synth reports it, and reading it fails
    expect(() => synth(chart)).toThrow('shop/bad: container.portName ("http") is already a port name of Service "api"');
    const e = thrown(() => bad.port);
    expect(e.name).toBe('PatternValidationError');
    expect(e.message).toMatch(/shop\/bad: .*not built/);
  });
});

describe('Adapter: bugs', () => {
  test('serviceMonitor: null is a validation error, not a TypeError', () => {
    const e = thrown(() => synth(withAdapter({ serviceMonitor: null as any }).chart));
    expect(e.name).toBe('PatternValidationError');
    expect(e.message).toContain('shop/exporter: serviceMonitor (null)');
  });

  test('an invalid servicePort is reported once, under its own prop', () => {
    const msg = adapterError({ servicePort: 0 });
    expect(msg).toContain('shop/exporter: servicePort (0) must be an integer from 1 to 65535');
    expect(msg).toContain('1 invalid value:');
    expect(msg).not.toContain('container.servicePort');
  });

  test('a Service port clash names the prop the user gave (servicePort, or container.port)', () => {
    expect(adapterError({ servicePort: 8080 })).toContain('shop/exporter: servicePort (8080) is already a port of Service "api"');
    expect(adapterError({ container: { name: 'log-exporter', image: EXPORTER, port: 8080 } }))
      .toContain('shop/exporter: container.port (8080) is already a port of Service "api"');
  });

  test('serviceMonitor label keys and values are validated like any labels', () => {
    const msg = adapterError({ serviceMonitor: { labels: { 'Bad Key!': 'x y' } } });
    expect(msg).toContain('serviceMonitor.labels key ("Bad Key!") must be a valid label key');
    expect(msg).toContain('must be a valid label value');
  });

  test('serviceMonitor labels that would override a managed label are rejected, not silently dropped', () => {
    expect(adapterError({ serviceMonitor: { labels: { [PatternLabels.NAME]: 'other' } } }))
      .toContain(`("${PatternLabels.NAME}") must not override a label this library manages`);
  });

  test('a second adapter with Prometheus annotations is not built, leaves the workload unchanged, and synth names the adapter', () => {
    // GIVEN a service with an annotating adapter
    const { svc, chart } = withAdapter();
    const annotations = () => ApiObject.of(svc.deployment).toJson().spec.template.metadata.annotations;
    const before = annotations();
    expect(before).toMatchObject({ 'prometheus.io/port': '9102' });
    // WHEN a second annotating adapter is added
    new Adapter(chart, 'second', { workload: svc, container: { name: 'statsd-exporter', image: EXPORTER, port: 9103 } });
    // THEN the workload is as before: no container, no Service port, no annotation of the rejected adapter
    expect(workloadState(svc)).toEqual({ containers: ['app', 'log-exporter'], ports: [8080, 9102] });
    expect(annotations()).toEqual(before);
    // AND the synth error names the second adapter and its prop, not a workload method the user never called
    const e = thrown(() => synth(chart));
    expect(e.message).toContain('shop/second: prometheusAnnotations');
    expect(e.message).not.toContain('addPodAnnotations');
  });
});

// The adapter never touches the main container.
test('an adapter on a service built directly keeps the application image', () => {
  // GIVEN a service built without the helper
  const chart = newChart('shop');
  const api = new StatelessService(chart, 'web', { image: IMAGE, port: 8080, network: CALLERS });
  new Adapter(chart, 'exporter', { workload: api, container: { name: 'log-exporter', image: EXPORTER, port: 9102 } });
  // WHEN synthesised, THEN the main container keeps its image and the adapter has its own
  const spec = findObject(build(chart), 'Deployment', 'web').spec.template.spec;
  expect(spec.containers.map((c: any) => c.image)).toEqual([IMAGE, EXPORTER]);
});

describe('Adapter: review findings', () => {
  test('a native adapter on a workload with a Service: its port is the Service\'s second port, and synth passes', () => {
    // GIVEN a native adapter on a service with a Service
    const { chart } = withAdapter({ native: true });
    // WHEN synthesised
    const manifests = build(chart);
    // THEN the Service targets the native sidecar's port by number, which Kubernetes routes
    expect(findObject(manifests, 'Service', 'api').spec.ports).toContainEqual({ name: 'log-exporter', port: 9102, targetPort: 9102, protocol: 'TCP' });
    expect(findObject(manifests, 'Deployment', 'api').spec.template.spec.initContainers[0]).toMatchObject({ name: 'log-exporter', restartPolicy: 'Always' });
  });

  test('a ServiceMonitor in another namespace than the workload is rejected (it would select no Service)', () => {
    const app = newChart('billing').node.root as any;
    const billing = new Chart(app, 'billing-ns', { namespace: 'billing' });
    const monitoring = new Chart(app, 'monitoring-ns', { namespace: 'monitoring' });
    const svc = service({}, billing);
    expect(errorOf(() => new Adapter(monitoring, 'exporter', {
      workload: svc, container: { name: 'log-exporter', image: EXPORTER, port: 9102 }, serviceMonitor: {},
    }))).toContain('monitoring-ns/exporter: serviceMonitor ("given") would be in namespace monitoring but the workload\'s Service is in billing');
  });
});
