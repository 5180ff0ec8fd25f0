/* eslint-disable @stylistic/max-len */
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Demands, DeploymentStrategy, PodQos, QosClass } from '../../src';
import { IMAGE, errorOf, service } from '../helpers/errors';
import { objectsOf, synth } from '../helpers/synth';

const TIERS: Array<[QosClass, Demands]> = [
  [QosClass.GUARANTEED, Demands.guaranteed({ cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(256) })],
  [QosClass.BURSTABLE, Demands.burstable({ requests: { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(128) }, limits: { memory: Size.mebibytes(256) } })],
  [QosClass.BEST_EFFORT, Demands.bestEffort()],
];

// Predictable Demands: the tier asked for is the tier Kubernetes assigns, for every container of
// every pod, sidecars and init containers included, and whichever strategy makes the Deployments.
describe.each(TIERS)('%s tier', (tier, demands) => {
  test.each([
    ['rolling', DeploymentStrategy.rollingUpdate()],
    ['canary', DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0' })],
  ])('every container of every %s Deployment gets the tier', (_name, strategy) => {
    // GIVEN a service of that tier with a sidecar and an init container added after construction
    const svc = service({ demands, replicas: 3, strategy });
    svc.addContainer({ name: 'proxy', image: 'ghcr.io/acme/proxy:2.0.1', port: 15001 });
    svc.addInitContainer({ name: 'migrate', image: 'ghcr.io/acme/migrate:1.0.0' });
    // WHEN synthesised
    const deployments = objectsOf(synth(svc.node.scope as any), 'Deployment');
    expect(deployments.length).toBe(strategy.kind === 'Canary' ? 2 : 1);
    for (const d of deployments) {
      const spec = d.spec.template.spec;
      // THEN Kubernetes classifies each pod as the tier
      expect(PodQos.classify(spec)).toBe(tier);
      // AND each container carries the same resources
      const all = [...spec.containers, ...spec.initContainers];
      expect(all.map((c: any) => c.name).sort()).toEqual(['app', 'migrate', 'proxy']);
      for (const c of all) expect(c.resources).toEqual(spec.containers[0].resources);
      // AND the added containers are hardened too
      for (const c of all) expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true });
    }
  });
});

describe('QoS enforcement', () => {
  test('a Guaranteed service with a Burstable sidecar fails synth, naming the container', () => {
    const svc = service({ demands: Demands.guaranteed({ cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(256) }) });
    svc.addContainer({ name: 'proxy', image: 'ghcr.io/acme/proxy:2.0.1', demands: Demands.burstable({ requests: { cpu: kplus.Cpu.millis(50) } }) });
    expect(() => synth(svc.node.scope as any)).toThrow(/deployment.spec.template.spec QoS class \("Burstable"\) must be Guaranteed, as demands asks: .*proxy/);
  });

  test('a container added through the raw kplus API gets cdk8s-plus defaults, which break the tier', () => {
    const svc = service({ demands: Demands.bestEffort() });
    svc.deployment.addContainer({ name: 'raw', image: 'ghcr.io/acme/raw:1.0.0', securityContext: { ensureNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: [kplus.Capability.ALL] } } });
    expect(() => synth(svc.node.scope as any)).toThrow(/QoS class \("Burstable"\) must be BestEffort, as demands asks: .*raw/);
  });

  test('Burstable demands whose limits equal the requests would be Guaranteed, and are rejected', () => {
    const same = { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(128) };
    const svc = service({ demands: Demands.burstable({ requests: same, limits: same }) });
    expect(() => synth(svc.node.scope as any)).toThrow(/QoS class \("Guaranteed"\) must be Burstable, as demands asks/);
  });

  test('extended resources and ephemeral storage do not change the tier', () => {
    const svc = service({ demands: Demands.guaranteed({ cpu: kplus.Cpu.units(1), memory: Size.gibibytes(1), ephemeralStorage: Size.gibibytes(2) }) });
    const spec = objectsOf(synth(svc.node.scope as any), 'Deployment')[0].spec.template.spec;
    expect(spec.containers[0].resources.limits['ephemeral-storage']).toBe('2Gi');
    expect(PodQos.classify(spec)).toBe(QosClass.GUARANTEED);
  });
});

describe('addContainer / addInitContainer bad input', () => {
  test('names, images, ports and duplicates are checked when added, and reported at synth', () => {
    const svc = service({});
    expect(errorOf(() => svc.addContainer({ name: 'Proxy', image: 'proxy' }))).toContain('addContainer("Proxy").name ("Proxy") must be a DNS-1123 label');
    expect(errorOf(() => svc.addContainer({ name: 'proxy', image: 'proxy' }))).toContain('addContainer("proxy").image ("proxy") must be pinned');
    expect(errorOf(() => svc.addContainer({ name: 'app', image: IMAGE }))).toContain('addContainer("app").name ("app") must be unique in the pod');
    expect(errorOf(() => svc.addInitContainer({ name: 'init', image: IMAGE, port: 80 }))).toContain('addInitContainer("init").port (80) does not apply to an init container');
    svc.addContainer({ name: 'proxy', image: IMAGE, port: 9000 });
    expect(errorOf(() => svc.addContainer({ name: 'proxy', image: IMAGE }))).toContain('addContainer("proxy").name ("proxy") must be unique in the pod');
  });

  test('two added containers on one port name or number are reported at synth, naming the call', () => {
    const svc = service({});
    svc.addContainer({ name: 'a', image: IMAGE, port: 9000, portName: 'metrics' });
    expect(errorOf(() => svc.addContainer({ name: 'b', image: IMAGE, port: 9001, portName: 'metrics' })))
      .toMatch(/addContainer\("b"\).portName \("metrics"\) is already used by the sidecar "a"/);
    expect(errorOf(() => svc.addContainer({ name: 'c', image: IMAGE, port: 9000 })))
      .toMatch(/addContainer\("c"\).port \(9000\) is already used by the sidecar "a" \(containers of a pod share one network namespace\)/);
  });
});

describe('extended resources', () => {
  test('a GPU goes to the main container only, as request = limit, and keeps the tier', () => {
    // GIVEN a Guaranteed service asking for one GPU, with a sidecar
    const svc = service({
      demands: Demands.guaranteed({ cpu: kplus.Cpu.units(2), memory: Size.gibibytes(8), extendedResources: { 'nvidia.com/gpu': 1 } }),
    });
    svc.addContainer({ name: 'proxy', image: 'ghcr.io/acme/proxy:2.0.1' });
    // WHEN synthesised
    const spec = objectsOf(synth(svc.node.scope as any), 'Deployment')[0].spec.template.spec;
    // THEN the main container requests and limits the GPU, the sidecar does not
    expect(spec.containers[0].resources).toEqual({
      requests: { 'cpu': '2', 'memory': '8192Mi', 'ephemeral-storage': '128Mi', 'nvidia.com/gpu': 1 },
      limits: { 'cpu': '2', 'memory': '8192Mi', 'ephemeral-storage': '1Gi', 'nvidia.com/gpu': 1 },
    });
    expect(spec.containers[1].resources.limits['nvidia.com/gpu']).toBeUndefined();
    expect(spec.containers[1].resources.requests['nvidia.com/gpu']).toBeUndefined();
    // AND the pod is still Guaranteed
    expect(PodQos.classify(spec)).toBe(QosClass.GUARANTEED);
  });

  test('names follow Kubernetes: a prefix without a dot is fine, "requests." and long names are not', () => {
    const svc = service({ demands: Demands.burstable({ requests: { cpu: kplus.Cpu.millis(100) }, extendedResources: { 'smarter-devices/fuse': 1 } }) });
    expect(objectsOf(synth(svc.node.scope as any), 'Deployment')[0].spec.template.spec.containers[0].resources.limits['smarter-devices/fuse']).toBe(1);
    const msg = errorOf(() => service({
      demands: Demands.burstable({ requests: { cpu: kplus.Cpu.millis(100) }, extendedResources: { 'requests.example.com/foo': 1, ['example.com/' + 'x'.repeat(70)]: 1, 'a.com/b': 1e21 } }),
    }));
    expect(msg).toContain('extendedResources key ("requests.example.com/foo") must be an extended resource name');
    expect(msg).toContain(`extendedResources key ("example.com/${'x'.repeat(70)}") must be an extended resource name`);
    expect(msg).toContain('extendedResources["a.com/b"] (1e+21) must be a whole number greater than zero');
  });

  test('invalid extended resource names and counts are rejected', () => {
    const msg = errorOf(() => service({
      demands: Demands.burstable({ requests: { cpu: kplus.Cpu.millis(100) }, extendedResources: { 'gpu': 1, 'kubernetes.io/x': 1, 'nvidia.com/gpu': 0.5 } }),
    }));
    expect(msg).toContain('demands.extendedResources key ("gpu") must be an extended resource name: <domain>/<name> outside kubernetes.io');
    expect(msg).toContain('demands.extendedResources key ("kubernetes.io/x") must be an extended resource name');
    expect(msg).toContain('demands.extendedResources["nvidia.com/gpu"] (0.5) must be a whole number greater than zero');
  });
});
