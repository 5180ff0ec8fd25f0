import { App, Chart, Duration, Testing } from 'cdk8s';
import {
  BlueGreenTrack, DaemonExposure, DaemonService, DeploymentStrategy, ExposureProps, PatternLabels, ServiceExposure, SingletonLocking,
  SingletonService, StatefulService, StatelessService, TrafficPolicy,
} from '../../src';
import { errorOf, IMAGE, service } from '../helpers/errors';
import { CALLERS } from '../helpers/network';
import { findObject, Manifest, newChart, objectsOf, synth, validateManifests } from '../helpers/synth';

const NAME = PatternLabels.NAME;
const INSTANCE = PatternLabels.INSTANCE;
const TRACK = PatternLabels.TRACK;
const REASON = 'legacy TCP clients outside the cluster';
const METADATA_ADDR = 'cdk8s.io/metadata.addr';

/** The exemption annotations every public Service carries, for `reason`. */
function waiver(reason: string): { [key: string]: string } {
  return {
    'patterns.cdk8s.io/checker-ignore': `KBP114: ${reason}`,
    'ignore-check.kube-linter.io/exposed-services': reason,
    'kube-score/ignore': 'service-type',
    'patterns.cdk8s.io/policy-ignore': `no-exposed-service: ${reason}`,
  };
}

/** Synthesises the app of `chart` and checks the result against the Kubernetes 1.28 schema. */
function render(chart: Chart): Manifest[] {
  const out = synth(chart);
  validateManifests(out);
  return out;
}

/** Exposures over a valid baseline (a reason), with `o` possibly invalid. */
const nodePortOf = (o: object) => ServiceExposure.nodePort({ reason: REASON, ...o });
const loadBalancerOf = (o: object) => ServiceExposure.loadBalancer({ reason: REASON, ...o });

/** The error message of building an `api` StatelessService with `props` (and synthesising it). */
function exposureError(props: ExposureProps & { port?: number }): string {
  return errorOf(() => service(props));
}

describe('ServiceExposure on a StatelessService: a NodePort and a LoadBalancer beside the ClusterIP Service', () => {
  // GIVEN a service whose Service listens on 80 and forwards to 8080, exposed twice
  const chart = newChart('shop', { namespace: 'prod' });
  const api = new StatelessService(chart, 'api', {
    image: IMAGE,
    port: 8080,
    servicePort: 80,
    exposures: [
      ServiceExposure.nodePort({ reason: REASON, nodePort: 30080, externalTrafficPolicy: TrafficPolicy.LOCAL }),
      ServiceExposure.loadBalancer({
        reason: 'public API',
        sourceRanges: ['203.0.113.0/24', '2001:db8::/32'],
        externalTrafficPolicy: TrafficPolicy.CLUSTER,
        loadBalancerClass: 'service.k8s.aws/nlb',
        annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' },
      }),
    ],
  });
  // WHEN synthesised
  const out = render(chart);
  const clusterIp = findObject(out, 'Service', 'api');
  const nodePort = findObject(out, 'Service', 'api-nodeport');
  const lb = findObject(out, 'Service', 'api-lb');

  test('adds one Service per exposure, named <name>-nodeport and <name>-lb, in the chart namespace', () => {
    expect(objectsOf(out, 'Service').map((s) => s.metadata.name)).toEqual(['api', 'api-nodeport', 'api-lb']);
    expect(api.exposedServices.map((s) => s.name)).toEqual(['api-nodeport', 'api-lb']);
    expect(nodePort.metadata.namespace).toBe('prod');
    expect(lb.metadata.namespace).toBe('prod');
  });

  test('gives each Service the type of its exposure and leaves the workload Service ClusterIP', () => {
    expect(clusterIp.spec.type).toBe('ClusterIP');
    expect(nodePort.spec.type).toBe('NodePort');
    expect(lb.spec.type).toBe('LoadBalancer');
  });

  test('listens on the servicePort, forwards to the container port, and opens the requested node port', () => {
    expect(nodePort.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }]);
    expect(lb.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }]);
    expect(lb.spec.ports[0].nodePort).toBeUndefined();
  });

  test('selects exactly the pods of the workload Service', () => {
    expect(nodePort.spec.selector).toEqual({ [NAME]: 'api', [INSTANCE]: 'api' });
    expect(lb.spec.selector).toEqual(clusterIp.spec.selector);
    expect(Object.keys(nodePort.spec.selector)).not.toContain(METADATA_ADDR);
  });

  test('carries the workload labels', () => {
    expect(nodePort.metadata.labels).toEqual(clusterIp.metadata.labels);
    expect(lb.metadata.labels).toEqual(clusterIp.metadata.labels);
  });

  test('writes the reason into the exemption annotation of each checker', () => {
    expect(nodePort.metadata.annotations).toEqual(waiver(REASON));
    expect(clusterIp.metadata.annotations).toBeUndefined();
  });

  test('merges the load balancer annotations with the exemption annotations', () => {
    expect(lb.metadata.annotations).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
      ...waiver('public API'),
    });
  });

  test('renders externalTrafficPolicy, loadBalancerClass and loadBalancerSourceRanges', () => {
    expect(nodePort.spec.externalTrafficPolicy).toBe('Local');
    expect(lb.spec.externalTrafficPolicy).toBe('Cluster');
    expect(lb.spec.loadBalancerClass).toBe('service.k8s.aws/nlb');
    expect(lb.spec.loadBalancerSourceRanges).toEqual(['203.0.113.0/24', '2001:db8::/32']);
    expect(nodePort.spec.loadBalancerSourceRanges).toBeUndefined();
  });

  test('sets no session affinity and no internal traffic policy without serviceOptions', () => {
    for (const s of [clusterIp, nodePort, lb]) {
      expect(s.spec.sessionAffinity).toBeUndefined();
      expect(s.spec.sessionAffinityConfig).toBeUndefined();
      expect(s.spec.internalTrafficPolicy).toBeUndefined();
    }
  });
});

describe('ServiceExposure defaults and options', () => {
  test('without options a NodePort lets the cluster pick the port and a LoadBalancer allows everyone', () => {
    // GIVEN the smallest exposures
    const chart = newChart('shop');
    service({ exposures: [ServiceExposure.nodePort({ reason: REASON }), ServiceExposure.loadBalancer({ reason: REASON })] }, chart);
    // WHEN synthesised
    const out = render(chart);
    const nodePort = findObject(out, 'Service', 'api-nodeport');
    const lb = findObject(out, 'Service', 'api-lb');
    // THEN port = targetPort = the container port, and nothing optional is set
    expect(nodePort.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }]);
    expect(lb.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }]);
    for (const s of [nodePort, lb]) {
      expect(s.spec.externalTrafficPolicy).toBeUndefined();
      expect(s.spec.loadBalancerClass).toBeUndefined();
      expect(s.spec.loadBalancerSourceRanges).toBeUndefined();
      expect(s.metadata.annotations).toEqual(waiver(REASON));
    }
  });

  test('an explicit name replaces <name>-nodeport / <name>-lb, and the port name follows portName', () => {
    // GIVEN named exposures of a service with a custom port name
    const chart = newChart('shop');
    const api = service({
      portName: 'grpc',
      exposures: [
        ServiceExposure.nodePort({ reason: REASON, name: 'api-public-np' }),
        ServiceExposure.loadBalancer({ reason: REASON, name: 'api-public' }),
      ],
    }, chart);
    // WHEN synthesised
    const out = render(chart);
    // THEN the Services have the given names and the workload's port name
    expect(api.exposedServices.map((s) => s.name)).toEqual(['api-public-np', 'api-public']);
    expect(findObject(out, 'Service', 'api-public-np').spec.type).toBe('NodePort');
    expect(findObject(out, 'Service', 'api-public').spec.ports[0].name).toBe('grpc');
    expect(objectsOf(out, 'Service').map((s) => s.metadata.name)).not.toContain('api-lb');
  });

  test('the boundary node ports 30000 and 32767 are accepted', () => {
    // GIVEN two services on the ends of the node port range
    const chart = newChart('shop');
    service({ exposures: [ServiceExposure.nodePort({ reason: REASON, nodePort: 30000 })] }, chart);
    new StatelessService(chart, 'web', { image: IMAGE, port: 8080, exposures: [ServiceExposure.nodePort({ reason: REASON, nodePort: 32767 })] });
    // WHEN synthesised
    const out = render(chart);
    // THEN both are rendered
    expect(findObject(out, 'Service', 'api-nodeport').spec.ports[0].nodePort).toBe(30000);
    expect(findObject(out, 'Service', 'web-nodeport').spec.ports[0].nodePort).toBe(32767);
  });

  test('an empty sourceRanges list renders as an empty list (everyone)', () => {
    const chart = newChart('shop');
    service({ exposures: [ServiceExposure.loadBalancer({ reason: REASON, sourceRanges: [] })] }, chart);
    expect(findObject(render(chart), 'Service', 'api-lb').spec.loadBalancerSourceRanges ?? []).toEqual([]);
  });

  test('an unprefixed loadBalancerClass is accepted', () => {
    const chart = newChart('shop');
    service({ exposures: [ServiceExposure.loadBalancer({ reason: REASON, loadBalancerClass: 'metallb' })] }, chart);
    expect(findObject(render(chart), 'Service', 'api-lb').spec.loadBalancerClass).toBe('metallb');
  });
});

describe('ServiceExposure selectors follow the strategy', () => {
  test('blue-green: the exposures select the active track only, like the main Service', () => {
    // GIVEN a blue-green service with green active, exposed through a load balancer
    const chart = newChart('shop');
    const api = service({
      strategy: DeploymentStrategy.blueGreen({ active: BlueGreenTrack.GREEN }),
      exposures: [ServiceExposure.loadBalancer({ reason: REASON }), ServiceExposure.nodePort({ reason: REASON })],
    }, chart);
    // WHEN synthesised
    const out = render(chart);
    const active = { [NAME]: 'api', [INSTANCE]: 'api', [TRACK]: 'green' };
    // THEN both exposures select the green pods; the preview Service keeps the blue ones
    expect(findObject(out, 'Service', 'api').spec.selector).toEqual(active);
    expect(findObject(out, 'Service', 'api-lb').spec.selector).toEqual(active);
    expect(findObject(out, 'Service', 'api-nodeport').spec.selector).toEqual(active);
    expect(findObject(out, 'Service', 'api-preview').spec.selector[TRACK]).toBe('blue');
    expect(findObject(out, 'Service', 'api-lb').spec.selector).not.toHaveProperty(METADATA_ADDR);
    expect(api.exposedServices).toHaveLength(2);
  });

  test('blue-green with blue active: the exposures follow blue', () => {
    const chart = newChart('shop');
    service({ strategy: DeploymentStrategy.blueGreen({ active: BlueGreenTrack.BLUE }), exposures: [nodePortOf({})] }, chart);
    expect(findObject(render(chart), 'Service', 'api-nodeport').spec.selector[TRACK]).toBe('blue');
  });

  test('canary: the exposures select stable and canary pods, like the main Service', () => {
    // GIVEN a canary service exposed through a load balancer
    const chart = newChart('shop');
    service({
      strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0', replicas: 1 }),
      exposures: [ServiceExposure.loadBalancer({ reason: REASON })],
    }, chart);
    // WHEN synthesised
    const out = render(chart);
    // THEN the selector has no track: both Deployments serve
    const selector = findObject(out, 'Service', 'api-lb').spec.selector;
    expect(selector).toEqual({ [NAME]: 'api', [INSTANCE]: 'api' });
    expect(selector).toEqual(findObject(out, 'Service', 'api').spec.selector);
  });
});

describe('serviceOptions: session affinity and internal traffic policy', () => {
  test('apply to every Service of a StatelessService: main, preview and exposures', () => {
    // GIVEN a blue-green service with an exposure and client-IP affinity of 5 minutes
    const chart = newChart('shop');
    service({
      strategy: DeploymentStrategy.blueGreen({ active: BlueGreenTrack.BLUE }),
      exposures: [ServiceExposure.loadBalancer({ reason: REASON })],
      serviceOptions: { sessionAffinityTimeout: Duration.minutes(5), internalTrafficPolicy: TrafficPolicy.LOCAL },
    }, chart);
    // WHEN synthesised
    const services = objectsOf(render(chart), 'Service');
    // THEN each of the three Services has ClientIP affinity for 300 s and a Local internal policy
    expect(services.map((s) => s.metadata.name)).toEqual(['api', 'api-preview', 'api-lb']);
    for (const s of services) {
      expect(s.spec.sessionAffinity).toBe('ClientIP');
      expect(s.spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 300 } });
      expect(s.spec.internalTrafficPolicy).toBe('Local');
    }
  });

  test('apply to the per-track Services of a weighted canary', () => {
    // GIVEN a weighted canary with session affinity
    const chart = newChart('shop');
    service({
      strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0', weight: 10 }),
      serviceOptions: { sessionAffinityTimeout: Duration.seconds(30) },
    }, chart);
    // WHEN synthesised
    const services = objectsOf(render(chart), 'Service');
    // THEN the main, stable and canary Services all stick clients for 30 s
    expect(services.map((s) => s.metadata.name)).toEqual(['api', 'api-stable', 'api-canary']);
    for (const s of services) expect(s.spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 30 } });
  });

  test('the boundary timeouts 1 second and 1 day are accepted', () => {
    const chart = newChart('shop');
    service({ serviceOptions: { sessionAffinityTimeout: Duration.seconds(1) } }, chart);
    new StatelessService(chart, 'web', { image: IMAGE, port: 8080, network: CALLERS, serviceOptions: { sessionAffinityTimeout: Duration.days(1) } });
    const out = render(chart);
    expect(findObject(out, 'Service', 'api').spec.sessionAffinityConfig.clientIP.timeoutSeconds).toBe(1);
    expect(findObject(out, 'Service', 'web').spec.sessionAffinityConfig.clientIP.timeoutSeconds).toBe(86400);
  });

  test('internalTrafficPolicy alone sets no session affinity', () => {
    const chart = newChart('shop');
    service({ serviceOptions: { internalTrafficPolicy: TrafficPolicy.CLUSTER } }, chart);
    const s = findObject(render(chart), 'Service', 'api');
    expect(s.spec.internalTrafficPolicy).toBe('Cluster');
    expect(s.spec.sessionAffinity).toBeUndefined();
  });
});

describe('exposures on the other workloads with a Service', () => {
  test('StatefulService: the exposures select the pods like the client Service, never the headless one', () => {
    // GIVEN a StatefulService with a NodePort exposure and session affinity
    const chart = newChart('data');
    const kv = new StatefulService(chart, 'kv', {
      image: IMAGE,
      port: 7000,
      exposures: [ServiceExposure.nodePort({ reason: REASON, nodePort: 31700 })],
      serviceOptions: { sessionAffinityTimeout: Duration.hours(1), internalTrafficPolicy: TrafficPolicy.LOCAL },
    });
    // WHEN synthesised
    const out = render(chart);
    const np = findObject(out, 'Service', 'kv-nodeport');
    // THEN it is a NodePort on the container port with the client Service's selector and the options
    expect(kv.exposedServices.map((s) => s.name)).toEqual(['kv-nodeport']);
    expect(np.spec.type).toBe('NodePort');
    expect(np.spec.ports).toEqual([{ name: 'http', port: 7000, targetPort: 7000, nodePort: 31700, protocol: 'TCP' }]);
    expect(np.spec.selector).toEqual({ [NAME]: 'kv', [INSTANCE]: 'kv' });
    expect(np.spec.selector).toEqual(findObject(out, 'Service', 'kv').spec.selector);
    expect(np.spec.selector).not.toHaveProperty(METADATA_ADDR);
    expect(np.spec.clusterIP).toBeUndefined();
    expect(np.metadata.annotations).toEqual(waiver(REASON));
    for (const name of ['kv', 'kv-nodeport']) {
      const s = findObject(out, 'Service', name);
      expect(s.spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 3600 } });
      expect(s.spec.internalTrafficPolicy).toBe('Local');
    }
  });

  test('StatefulService without a client Service can still be exposed', () => {
    const chart = newChart('data');
    new StatefulService(chart, 'kv', { image: IMAGE, port: 7000, clientService: false, exposures: [ServiceExposure.loadBalancer({ reason: REASON })] });
    const out = render(chart);
    expect(objectsOf(out, 'Service').map((s) => s.metadata.name)).toEqual(['kv-headless', 'kv-lb']);
    expect(findObject(out, 'Service', 'kv-lb').spec.selector).toEqual({ [NAME]: 'kv', [INSTANCE]: 'kv' });
  });

  test('DaemonService with a port and an exposure: the exposure selects every daemon pod', () => {
    // GIVEN a daemon with a headless Service and a NodePort exposure keeping client addresses
    const chart = newChart('ops');
    const agent = new DaemonService(chart, 'agent', {
      image: IMAGE,
      port: 9100,
      exposure: DaemonExposure.HEADLESS,
      exposures: [ServiceExposure.nodePort({ reason: REASON, nodePort: 30910, externalTrafficPolicy: TrafficPolicy.LOCAL })],
      serviceOptions: { sessionAffinityTimeout: Duration.seconds(60) },
    });
    // WHEN synthesised
    const out = render(chart);
    const np = findObject(out, 'Service', 'agent-nodeport');
    // THEN
    expect(agent.exposedServices.map((s) => s.name)).toEqual(['agent-nodeport']);
    expect(np.spec).toMatchObject({
      type: 'NodePort',
      externalTrafficPolicy: 'Local',
      ports: [{ name: 'http', port: 9100, targetPort: 9100, nodePort: 30910, protocol: 'TCP' }],
      selector: { [NAME]: 'agent', [INSTANCE]: 'agent' },
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
    });
    expect(findObject(out, 'Service', 'agent').spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 60 } });
    expect(np.metadata.annotations).toEqual(waiver(REASON));
  });

  test('DaemonService NODE_LOCAL keeps internalTrafficPolicy Local on its Service', () => {
    const chart = newChart('ops');
    new DaemonService(chart, 'agent', {
      image: IMAGE, port: 9100, network: CALLERS, exposure: DaemonExposure.NODE_LOCAL, serviceOptions: { internalTrafficPolicy: TrafficPolicy.LOCAL },
    });
    expect(findObject(render(chart), 'Service', 'agent').spec.internalTrafficPolicy).toBe('Local');
  });

  test('SingletonService: the exposures select the singleton pods and get the service options', () => {
    // GIVEN a singleton (in-application locking) exposed through a load balancer
    const chart = newChart('ops');
    const sched = new SingletonService(chart, 'sched', {
      image: IMAGE,
      port: 8080,
      locking: SingletonLocking.inApplication(),
      exposures: [ServiceExposure.loadBalancer({ reason: REASON, sourceRanges: ['10.0.0.0/8'] })],
      serviceOptions: { sessionAffinityTimeout: Duration.minutes(10), internalTrafficPolicy: TrafficPolicy.CLUSTER },
    });
    // WHEN synthesised
    const out = render(chart);
    const lb = findObject(out, 'Service', 'sched-lb');
    // THEN
    expect(sched.exposedServices.map((s) => s.name)).toEqual(['sched-lb']);
    expect(lb.spec).toMatchObject({
      type: 'LoadBalancer',
      loadBalancerSourceRanges: ['10.0.0.0/8'],
      ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }],
      selector: { [NAME]: 'sched', [INSTANCE]: 'sched' },
      internalTrafficPolicy: 'Cluster',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
    });
    expect(findObject(out, 'Service', 'sched').spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 600 } });
  });

  test('SingletonService out of application (a StatefulSet): the exposure does not select on the metadata.addr label', () => {
    const chart = newChart('ops');
    new SingletonService(chart, 'sched', {
      image: IMAGE, port: 8080, locking: SingletonLocking.outOfApplication(), exposures: [ServiceExposure.nodePort({ reason: REASON })],
    });
    const np = findObject(render(chart), 'Service', 'sched-nodeport');
    expect(np.spec.selector).toEqual({ [NAME]: 'sched', [INSTANCE]: 'sched' });
  });
});

describe('node ports are unique across the app (checked at synth)', () => {
  test('two Services of one chart on the same nodePort fail', () => {
    // GIVEN two services asking for node port 30080
    const chart = newChart('shop');
    service({ exposures: [ServiceExposure.nodePort({ reason: REASON, nodePort: 30080 })] }, chart);
    new StatelessService(chart, 'web', { image: IMAGE, port: 8080, exposures: [ServiceExposure.nodePort({ reason: REASON, nodePort: 30080 })] });
    // WHEN synthesised THEN the second one is reported, naming the first
    expect(() => synth(chart)).toThrow(/^cdk8s-patterns: 1 invalid value:/);
    expect(errorOf(() => synth(chart))).toContain(
      'shop/web/NodePortService-web-nodeport/Resource: spec.ports.nodePort (30080) must be unique in the cluster: '
      + 'the Service at shop/api/NodePortService-api-nodeport/Resource uses it too');
  });

  test('two charts of one app on the same nodePort fail too', () => {
    // GIVEN one app with two charts (two namespaces), each with a NodePort on 31000
    const app: App = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'a' });
    const b = new Chart(app, 'b', { namespace: 'b' });
    new StatelessService(a, 'api', { image: IMAGE, port: 8080, exposures: [ServiceExposure.nodePort({ reason: REASON, nodePort: 31000 })] });
    new StatefulService(b, 'kv', { image: IMAGE, port: 7000, exposures: [ServiceExposure.nodePort({ reason: REASON, nodePort: 31000 })] });
    // WHEN synthesised THEN the clash is reported: node ports are cluster-wide
    expect(errorOf(() => synth(app))).toContain('spec.ports.nodePort (31000) must be unique in the cluster: the Service at a/api/');
  });

  test('different node ports, and Services without a nodePort, do not clash', () => {
    const chart = newChart('shop');
    service({ exposures: [ServiceExposure.nodePort({ reason: REASON, nodePort: 30080 }), ServiceExposure.loadBalancer({ reason: REASON })] }, chart);
    new StatelessService(chart, 'web', {
      image: IMAGE, port: 8080, exposures: [ServiceExposure.nodePort({ reason: REASON, nodePort: 30081 }), ServiceExposure.nodePort({ reason: REASON, name: 'web-np2' })],
    });
    expect(objectsOf(render(chart), 'Service')).toHaveLength(6);
  });

  test('the same nodePort in two separate apps is fine', () => {
    const one = newChart('shop');
    const two = newChart('shop');
    service({ exposures: [ServiceExposure.nodePort({ reason: REASON, nodePort: 30080 })] }, one);
    service({ exposures: [ServiceExposure.nodePort({ reason: REASON, nodePort: 30080 })] }, two);
    expect(() => render(one)).not.toThrow();
    expect(() => render(two)).not.toThrow();
  });

  test('an exposure named like the workload Service clashes with it at synth', () => {
    const chart = newChart('shop');
    service({ exposures: [ServiceExposure.loadBalancer({ reason: REASON, name: 'api' })] }, chart);
    expect(errorOf(() => synth(chart))).toContain('metadata.name ("api") must be unique per kind and namespace: Service "api"');
  });
});

describe('dnsName', () => {
  test('StatelessService: <name>.<namespace>.svc.cluster.local with a chart namespace, else <name>', () => {
    expect(service({}, newChart('shop', { namespace: 'prod' })).dnsName).toBe('api.prod.svc.cluster.local');
    expect(service({}, newChart('shop')).dnsName).toBe('api');
    expect(service({ name: 'shop-api' }, newChart('shop', { namespace: 'prod' })).dnsName).toBe('shop-api.prod.svc.cluster.local');
  });

  test('StatelessService without a port has no dnsName', () => {
    expect(service({ port: undefined }).dnsName).toBeUndefined();
  });

  test('StatelessService blue-green: the dnsName is the main (active) Service, not the preview', () => {
    const api = service({ strategy: DeploymentStrategy.blueGreen({ active: BlueGreenTrack.GREEN }) }, newChart('shop', { namespace: 'prod' }));
    expect(api.dnsName).toBe('api.prod.svc.cluster.local');
  });

  test('StatefulService: the client Service, with and without a namespace, never an exposure', () => {
    const exposures = [ServiceExposure.loadBalancer({ reason: REASON })];
    expect(new StatefulService(newChart('data', { namespace: 'db' }), 'kv', { image: IMAGE, port: 7000, exposures }).dnsName)
      .toBe('kv.db.svc.cluster.local');
    expect(new StatefulService(newChart('data'), 'kv', { image: IMAGE, port: 7000 }).dnsName).toBe('kv');
  });

  test('StatefulService without a client Service: the headless Service, which resolves to every pod', () => {
    expect(new StatefulService(newChart('data', { namespace: 'db' }), 'kv', { image: IMAGE, port: 7000, clientService: false }).dnsName)
      .toBe('kv-headless.db.svc.cluster.local');
  });

  test('DaemonService: its Service when it has an exposure, none without', () => {
    expect(new DaemonService(newChart('ops', { namespace: 'mon' }), 'agent', { image: IMAGE, port: 9100, exposure: DaemonExposure.HEADLESS }).dnsName)
      .toBe('agent.mon.svc.cluster.local');
    expect(new DaemonService(newChart('ops'), 'agent', { image: IMAGE, port: 9100, exposures: [ServiceExposure.nodePort({ reason: REASON })] }).dnsName)
      .toBeUndefined();
  });
});

describe('ServiceExposure bad input', () => {
  const cases: Array<[string, ExposureProps & { port?: number }, string]> = [
    ['a missing reason', { exposures: [ServiceExposure.nodePort({} as any)] },
      'shop/api: exposures[0].reason (undefined) is required: why the workload must be reachable from outside the cluster'],
    ['an empty reason', { exposures: [ServiceExposure.loadBalancer({ reason: '' })] }, 'exposures[0].reason ("") is required'],
    ['a blank reason', { exposures: [ServiceExposure.loadBalancer({ reason: '   ' })] }, 'exposures[0].reason ("   ") is required'],
    ['a reason that is not a string', { exposures: [ServiceExposure.nodePort({ reason: 42 as any })] }, 'exposures[0].reason (42) is required'],
    ['nodePort(undefined)', { exposures: [ServiceExposure.nodePort(undefined as any)] }, 'exposures[0].reason (undefined) is required'],
    ['a nodePort below 30000', { exposures: [nodePortOf({ nodePort: 29999 })] },
      'shop/api: exposures[0].nodePort (29999) must be an integer from 30000 to 32767 (the default node port range)'],
    ['a nodePort above 32767', { exposures: [nodePortOf({ nodePort: 32768 })] }, 'exposures[0].nodePort (32768) must be an integer from 30000 to 32767'],
    ['a fractional nodePort', { exposures: [nodePortOf({ nodePort: 30080.5 })] }, 'exposures[0].nodePort (30080.5) must be an integer from 30000 to 32767'],
    ['a nodePort given as a string', { exposures: [nodePortOf({ nodePort: '30080' })] }, 'exposures[0].nodePort ("30080") must be an integer from 30000 to 32767'],
    ['a source range without a prefix length', { exposures: [loadBalancerOf({ sourceRanges: ['203.0.113.7'] })] },
      'shop/api: exposures[0].sourceRanges[0] ("203.0.113.7") must be a CIDR such as 203.0.113.0/24'],
    ['a source range that is a word', { exposures: [loadBalancerOf({ sourceRanges: ['10.0.0.0/8', 'office'] })] },
      'exposures[0].sourceRanges[1] ("office") must be a CIDR such as 203.0.113.0/24'],
    ['an IPv4 prefix longer than 32', { exposures: [loadBalancerOf({ sourceRanges: ['10.0.0.0/33'] })] }, 'exposures[0].sourceRanges[0] ("10.0.0.0/33") must be a CIDR'],
    ['sourceRanges that is not a list', { exposures: [loadBalancerOf({ sourceRanges: '10.0.0.0/8' })] },
      'exposures[0].sourceRanges ("10.0.0.0/8") must be a list of CIDRs'],
    ['an exposure without a port', { port: undefined, exposures: [nodePortOf({})] },
      'shop/api: exposures[0] ("NodePort") needs a port: a Service forwards to the container port'],
    ['a load balancer without a port', { port: undefined, exposures: [loadBalancerOf({})] }, 'exposures[0] ("LoadBalancer") needs a port'],
    ['an externalTrafficPolicy that is not a TrafficPolicy', { exposures: [nodePortOf({ externalTrafficPolicy: 'Everywhere' })] },
      'shop/api: exposures[0].externalTrafficPolicy ("Everywhere") must be a TrafficPolicy'],
    ['a lower-case externalTrafficPolicy', { exposures: [loadBalancerOf({ externalTrafficPolicy: 'local' })] },
      'exposures[0].externalTrafficPolicy ("local") must be a TrafficPolicy'],
    ['an internalTrafficPolicy that is not a TrafficPolicy', { serviceOptions: { internalTrafficPolicy: 'Node' as any } },
      'shop/api: serviceOptions.internalTrafficPolicy ("Node") must be a TrafficPolicy'],
    ['an exposure name with upper case', { exposures: [nodePortOf({ name: 'Api-NP' })] },
      'shop/api: exposures[0].name ("Api-NP") must be a DNS-1035 label (it names a Service)'],
    ['an exposure name starting with a digit', { exposures: [loadBalancerOf({ name: '1api' })] }, 'exposures[0].name ("1api") must be a DNS-1035 label'],
    ['an exposure name of 64 characters', { exposures: [loadBalancerOf({ name: 'a'.repeat(64) })] }, 'exposures[0].name ("aaaa'],
    ['a session affinity timeout of 1.5 s', { serviceOptions: { sessionAffinityTimeout: Duration.millis(1500) } },
      'shop/api: serviceOptions.sessionAffinityTimeout ("1.5s") must be a Duration of whole seconds from 1 second to 1 day'],
    ['a session affinity timeout of 2 days', { serviceOptions: { sessionAffinityTimeout: Duration.days(2) } },
      'serviceOptions.sessionAffinityTimeout ("172800s") must be a Duration of whole seconds from 1 second to 1 day'],
    ['a session affinity timeout of 1 day and 1 second', { serviceOptions: { sessionAffinityTimeout: Duration.seconds(86401) } },
      'serviceOptions.sessionAffinityTimeout ("86401s") must be a Duration'],
    ['a zero session affinity timeout', { serviceOptions: { sessionAffinityTimeout: Duration.seconds(0) } },
      'serviceOptions.sessionAffinityTimeout ("0s") must be a Duration'],
    ['a session affinity timeout given as a number', { serviceOptions: { sessionAffinityTimeout: 300 as any } },
      'serviceOptions.sessionAffinityTimeout (300) must be a Duration of whole seconds from 1 second to 1 day'],
    ['an exposure not created with ServiceExposure', { exposures: [{ type: 'NodePort', _options: { reason: REASON } } as any] },
      'shop/api: exposures[0] ({"type":"NodePort","_options":{"reason":"legacy TCP clients outside the cluster"}}) '
      + 'must be created with ServiceExposure.nodePort() or loadBalancer()'],
    ['a null exposure', { exposures: [null as any] }, 'exposures[0] (null) must be created with ServiceExposure.nodePort() or loadBalancer()'],
    ['exposures that are not a list', { exposures: ServiceExposure.nodePort({ reason: REASON }) as any },
      'exposures ({"type":"NodePort"'],
    ['a loadBalancerClass that is not a qualified name', { exposures: [loadBalancerOf({ loadBalancerClass: 'my class' })] },
      'shop/api: exposures[0].loadBalancerClass ("my class") must be a qualified name such as service.k8s.aws/nlb'],
    ['an annotation key that is not a label key', { exposures: [loadBalancerOf({ annotations: { 'bad key!': 'x' } })] },
      'shop/api: exposures[0].annotations key ("bad key!") must be a valid label key'],
  ];

  test.each(cases)('%s', (_title, props, message) => {
    // GIVEN a service with one bad exposure prop WHEN built THEN a validation error names it
    const error = exposureError(props);
    expect(error).toContain('cdk8s-patterns:');
    expect(error).toContain(message);
  });

  test('the problems of every exposure are listed together, with their index', () => {
    // GIVEN three exposures, each with a problem, and bad service options
    const error = exposureError({
      exposures: [nodePortOf({ nodePort: 1 }), loadBalancerOf({ reason: '', sourceRanges: ['x'] }), nodePortOf({ name: 'UPPER' })],
      serviceOptions: { sessionAffinityTimeout: Duration.days(3), internalTrafficPolicy: 'x' as any },
    });
    // THEN one error lists all six
    expect(error).toContain('cdk8s-patterns: 6 invalid values:');
    for (const part of ['exposures[0].nodePort (1)', 'exposures[1].reason ("")', 'exposures[1].sourceRanges[0] ("x")', 'exposures[2].name ("UPPER")',
      'serviceOptions.sessionAffinityTimeout ("259200s")', 'serviceOptions.internalTrafficPolicy ("x")']) {
      expect(error).toContain(part);
    }
  });

  test('StatefulService, DaemonService and SingletonService check their exposures too', () => {
    const exposures = [ServiceExposure.nodePort({ reason: '', nodePort: 80 })];
    expect(errorOf(() => new StatefulService(newChart('data'), 'kv', { image: IMAGE, port: 7000, exposures })))
      .toContain('data/kv: exposures[0].nodePort (80) must be an integer from 30000 to 32767');
    expect(errorOf(() => new DaemonService(newChart('ops'), 'agent', { image: IMAGE, port: 9100, exposure: DaemonExposure.HEADLESS, exposures })))
      .toContain('ops/agent: exposures[0].reason ("") is required');
    expect(errorOf(() => new SingletonService(newChart('ops'), 'sched', { image: IMAGE, locking: SingletonLocking.outOfApplication(), exposures })))
      .toContain('ops/sched: exposures[0] ("NodePort") needs a port');
    expect(errorOf(() => new DaemonService(newChart('ops'), 'agent', { image: IMAGE, exposures: [ServiceExposure.loadBalancer({ reason: REASON })] })))
      .toContain('ops/agent: exposures[0] ("LoadBalancer") needs a port');
    expect(errorOf(() => new StatefulService(newChart('data'), 'kv', {
      image: IMAGE, port: 7000, serviceOptions: { sessionAffinityTimeout: Duration.millis(10) },
    }))).toContain('data/kv: serviceOptions.sessionAffinityTimeout ("0.01s") must be a Duration');
  });
});

describe('ServiceExposure edge cases that once slipped through', () => {
  // Regression: both default to the Service name api-nodeport, and the construct id collides: a plain
  // construct error ("There is already a Construct with name ...") instead of a validation error.
  test('two NodePort exposures without names are reported as a name clash, not a construct-id error', () => {
    const error = exposureError({ exposures: [ServiceExposure.nodePort({ reason: REASON }), ServiceExposure.nodePort({ reason: REASON })] });
    expect(error).toContain('cdk8s-patterns:');
    expect(error).toContain('exposures[1].name');
  });

  // Regression: applyServiceOptions dereferences serviceOptions when it is null.
  test('serviceOptions: null is a validation error (or no options), never a TypeError', () => {
    const chart = newChart('shop');
    expect(() => {
      service({ serviceOptions: null as any }, chart);
      synth(chart);
    }).not.toThrow(TypeError);
  });

  // Regression: the CIDR pattern accepts any 1-3 digit octet; the API server rejects 300.0.0.0/8.
  test('a source range with an octet above 255 is rejected', () => {
    expect(exposureError({ exposures: [loadBalancerOf({ sourceRanges: ['300.0.0.0/8'] })] })).toContain('exposures[0].sourceRanges[0] ("300.0.0.0/8") must be a CIDR');
  });

  // Regression: DaemonService reserves no room for the -nodeport suffix (longestSuffix 0): the Service name
  // is 69 characters, which the API server rejects.
  test('a DaemonService name too long for <name>-nodeport is rejected', () => {
    const error = errorOf(() => new DaemonService(newChart('ops'), 'a'.repeat(60), {
      image: IMAGE, port: 9100, exposure: DaemonExposure.HEADLESS, exposures: [ServiceExposure.nodePort({ reason: REASON })],
    }));
    expect(error).toContain('name');
    expect(error).toContain('63');
  });

  // Regression: same for a Deployment-based SingletonService (longestSuffix 0).
  test('a SingletonService name too long for <name>-nodeport is rejected', () => {
    const error = errorOf(() => new SingletonService(newChart('ops'), 'a'.repeat(60), {
      image: IMAGE, port: 8080, locking: SingletonLocking.inApplication(), exposures: [ServiceExposure.nodePort({ reason: REASON })],
    }));
    expect(error).toContain('63');
  });

  // Regression: with DaemonExposure.NONE the name is only checked as a DNS-1123 label, yet an exposure
  // makes it a Service name (DNS-1035: must start with a letter): "1agent-nodeport" is rejected by the API server.
  test('a DaemonService name that cannot name a Service is rejected when it has exposures', () => {
    const error = errorOf(() => new DaemonService(newChart('ops'), '1agent', {
      image: IMAGE, port: 9100, exposures: [ServiceExposure.nodePort({ reason: REASON })],
    }));
    expect(error).toContain('DNS-1035');
  });

  // Regression: serviceOptions.internalTrafficPolicy CLUSTER silently overrides DaemonExposure.NODE_LOCAL,
  // whose whole point is internalTrafficPolicy Local: the contradiction should be an error.
  test('DaemonExposure.NODE_LOCAL with serviceOptions.internalTrafficPolicy CLUSTER is rejected', () => {
    const error = errorOf(() => new DaemonService(newChart('ops'), 'agent', {
      image: IMAGE, port: 9100, exposure: DaemonExposure.NODE_LOCAL, serviceOptions: { internalTrafficPolicy: TrafficPolicy.CLUSTER },
    }));
    expect(error).toContain('serviceOptions.internalTrafficPolicy ("Cluster")');
  });

  // Regression: the exemption annotations are spread after the user's: a user `kube-score/ignore` (a
  // comma-separated list of checks) is silently replaced by "service-type".
  test('a user kube-score/ignore annotation is merged with service-type, not dropped', () => {
    const chart = newChart('shop');
    service({ exposures: [loadBalancerOf({ annotations: { 'kube-score/ignore': 'pod-probes' } })] }, chart);
    const ignored = findObject(synth(chart), 'Service', 'api-lb').metadata.annotations['kube-score/ignore'].split(',');
    expect(ignored).toEqual(expect.arrayContaining(['pod-probes', 'service-type']));
  });
});

describe('ServiceExposure: review findings', () => {
  test('serviceOptions without a port (no Service to apply them to) are rejected', () => {
    expect(errorOf(() => service({ port: undefined, serviceOptions: { sessionAffinityTimeout: Duration.minutes(1) } })))
      .toContain('shop/api: serviceOptions ("given") needs a port');
  });
});
