import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  BlueGreenTrack, DeploymentStrategy, HealthCheck, PatternLabels, PolicyRule, StatelessService, Waiver,
} from '../../src';
import { errorOf, service as apiService } from '../helpers/errors';
import { CALLERS } from '../helpers/network';
import { findObject, HARDENED_CONTAINER_CONTEXT, mainContainer, newChart, objectsOf, synth, validateManifests } from '../helpers/synth';

const IMAGE = 'ghcr.io/acme/api:1.4.2';
const NAME = PatternLabels.NAME;
const INSTANCE = PatternLabels.INSTANCE;
const TRACK = PatternLabels.TRACK;

describe('StatelessService defaults', () => {
  // GIVEN the smallest useful service (and its callers)
  const chart = newChart('shop');
  const svc = new StatelessService(chart, 'Api', { image: IMAGE, port: 8080, network: CALLERS });
  // WHEN synthesised
  const out = synth(chart);
  const deployment = findObject(out, 'Deployment', 'api');
  const pod = deployment.spec.template;
  const c = mainContainer(deployment);

  test('emits exactly a Deployment, a Service, a PodDisruptionBudget, a ServiceAccount and a NetworkPolicy named after the id', () => {
    expect(out.map((m) => `${m.kind}/${m.metadata.name}`).sort())
      .toEqual(['Deployment/api', 'NetworkPolicy/api', 'PodDisruptionBudget/api', 'Service/api', 'ServiceAccount/api']);
    expect(svc.name).toBe('api');
    expect(svc.deployments).toHaveLength(1);
  });

  test('labels every object and selects on name, instance and track only', () => {
    for (const m of out) {
      expect(m.metadata.labels).toMatchObject({ [NAME]: 'api', [INSTANCE]: 'api', [PatternLabels.MANAGED_BY]: 'cdk8s-patterns' });
    }
    expect(deployment.spec.selector).toEqual({ matchLabels: { [NAME]: 'api', [INSTANCE]: 'api', [TRACK]: 'stable' } });
    expect(pod.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
  });

  test('runs 2 replicas with a zero-downtime rolling update', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
  });

  test('hardens the pod to the restricted Pod Security Standard', () => {
    expect(pod.spec.securityContext).toMatchObject({
      runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    expect(pod.spec.serviceAccountName).toBe('api');
    expect(findObject(out, 'ServiceAccount', 'api').automountServiceAccountToken).toBe(false);
    expect(c.securityContext).toEqual(HARDENED_CONTAINER_CONTEXT);
  });

  test('mounts a size-limited writable /tmp', () => {
    expect(c.volumeMounts).toEqual([{ mountPath: '/tmp', name: 'tmp' }]);
    expect(pod.spec.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
  });

  test('sets explicit resources instead of cdk8s-plus-28 defaults', () => {
    expect(c.resources).toEqual({
      requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '128Mi' },
      limits: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '1Gi' },
    });
  });

  test('probes the port over TCP by default (startup, readiness, liveness)', () => {
    expect(c.startupProbe).toMatchObject({ tcpSocket: { port: 8080 }, periodSeconds: 5, failureThreshold: 30 });
    expect(c.readinessProbe).toMatchObject({ tcpSocket: { port: 8080 }, periodSeconds: 5, failureThreshold: 3 });
    expect(c.livenessProbe).toMatchObject({ tcpSocket: { port: 8080 }, periodSeconds: 10, failureThreshold: 6 });
  });

  test('exposes the port through a ClusterIP Service whose selector matches the pods', () => {
    const service = findObject(out, 'Service', 'api');
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }]);
    expect(service.spec.selector).toEqual({ [NAME]: 'api', [INSTANCE]: 'api' });
    expect(c.ports).toEqual([{ containerPort: 8080, name: 'http', protocol: 'TCP' }]);
  });

  test('adds a PodDisruptionBudget that allows one eviction at a time', () => {
    const pdb = findObject(out, 'PodDisruptionBudget', 'api');
    expect(pdb.spec).toEqual({
      maxUnavailable: 1,
      selector: deployment.spec.selector,
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });

  test('uses a 30 s grace period and no hooks', () => {
    expect(pod.spec.terminationGracePeriodSeconds).toBe(30);
    expect(c.lifecycle).toBeUndefined();
  });
});

describe('StatelessService options', () => {
  test('no port: no Service and no probes', () => {
    const chart = newChart();
    new StatelessService(chart, 'worker', { image: IMAGE, replicas: 1 });
    const out = synth(chart);
    expect(out.map((m) => m.kind)).toEqual(['ServiceAccount', 'NetworkPolicy', 'Deployment']);
    const c = mainContainer(findObject(out, 'Deployment', 'worker'));
    expect(c.livenessProbe).toBeUndefined();
    expect(c.ports).toBeUndefined();
  });

  test('one replica: no PodDisruptionBudget (it could only block drains)', () => {
    const chart = newChart();
    new StatelessService(chart, 'api', { image: IMAGE, port: 8080, replicas: 1, network: CALLERS });
    expect(objectsOf(synth(chart), 'PodDisruptionBudget')).toHaveLength(0);
  });

  test('name, appName, partOf, component and extra labels', () => {
    const chart = newChart();
    new StatelessService(chart, 'api', {
      image: IMAGE, port: 8080, network: CALLERS, name: 'shop-api', appName: 'api', partOf: 'shop', component: 'backend', labels: { team: 'payments' },
    });
    const out = synth(chart);
    const d = findObject(out, 'Deployment', 'shop-api');
    expect(d.metadata.labels).toEqual({
      [NAME]: 'api',
      [INSTANCE]: 'shop-api',
      [PatternLabels.PART_OF]: 'shop',
      [PatternLabels.COMPONENT]: 'backend',
      [PatternLabels.MANAGED_BY]: 'cdk8s-patterns',
      [TRACK]: 'stable',
      team: 'payments',
    });
    expect(d.spec.selector.matchLabels).toEqual({ [NAME]: 'api', [INSTANCE]: 'shop-api', [TRACK]: 'stable' });
    expect(findObject(out, 'Service', 'shop-api').metadata.labels.team).toBe('payments');
  });

  test('servicePort, portName, command, args, env, revisionHistoryLimit, minReady, progressDeadline', () => {
    const chart = newChart();
    new StatelessService(chart, 'api', {
      image: IMAGE,
      port: 8080,
      network: CALLERS,
      servicePort: 80,
      portName: 'web',
      command: ['/app'],
      args: ['--serve'],
      env: { LOG_LEVEL: 'info' },
      revisionHistoryLimit: 3,
      minReady: Duration.seconds(10),
      progressDeadline: Duration.minutes(5),
    });
    const out = synth(chart);
    const d = findObject(out, 'Deployment', 'api');
    const c = mainContainer(d);
    expect(findObject(out, 'Service', 'api').spec.ports).toEqual([{ name: 'web', port: 80, targetPort: 8080, protocol: 'TCP' }]);
    expect(c.command).toEqual(['/app']);
    expect(c.args).toEqual(['--serve']);
    expect(c.env).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
    expect(d.spec.revisionHistoryLimit).toBe(3);
    expect(d.spec.minReadySeconds).toBe(10);
    expect(d.spec.progressDeadlineSeconds).toBe(300);
  });

  test('security opt-outs are explicit and rendered', () => {
    const chart = newChart();
    new StatelessService(chart, 'api', {
      image: IMAGE,
      port: 8080,
      network: CALLERS,
      security: { runAsUser: 20000, runAsGroup: 20000, fsGroup: 3000, readOnlyRootFilesystem: false },
      waivers: [Waiver.of(PolicyRule.WRITABLE_ROOT_FILESYSTEM, 'the image writes its cache next to its binary')],
    });
    const d = findObject(synth(chart), 'Deployment', 'api');
    expect(d.spec.template.spec.securityContext).toMatchObject({ runAsUser: 20000, runAsGroup: 20000, fsGroup: 3000 });
    expect(mainContainer(d).securityContext).toMatchObject({ readOnlyRootFilesystem: false, runAsUser: 20000 });
  });

  test('the recreate ("fixed") strategy', () => {
    const chart = newChart();
    new StatelessService(chart, 'api', { image: IMAGE, port: 8080, network: CALLERS, strategy: DeploymentStrategy.recreate() });
    expect(findObject(synth(chart), 'Deployment', 'api').spec.strategy).toEqual({ type: 'Recreate' });
  });

  test('a rolling update with explicit surge and unavailability', () => {
    const chart = newChart();
    new StatelessService(chart, 'api', {
      image: IMAGE,
      port: 8080,
      network: CALLERS,
      replicas: 4,
      strategy: DeploymentStrategy.rollingUpdate({
        maxSurge: kplus.PercentOrAbsolute.absolute(2),
        maxUnavailable: kplus.PercentOrAbsolute.percent(25),
      }),
    });
    expect(findObject(synth(chart), 'Deployment', 'api').spec.strategy.rollingUpdate).toEqual({ maxSurge: 2, maxUnavailable: '25%' });
  });

  test('objects live in the chart namespace', () => {
    const chart = newChart('shop', { namespace: 'shop' });
    new StatelessService(chart, 'api', { image: IMAGE, port: 8080, network: CALLERS });
    for (const m of synth(chart)) expect(m.metadata.namespace).toBe('shop');
  });

  test('exposes the underlying kplus objects', () => {
    const chart = newChart();
    const svc = new StatelessService(chart, 'api', { image: IMAGE, port: 8080, network: CALLERS });
    expect(svc.deployment).toBeInstanceOf(kplus.Deployment);
    expect(svc.service).toBeInstanceOf(kplus.Service);
    expect(svc.disruptionBudgets).toHaveLength(1);
    expect(ApiObject.of(svc.deployment).name).toBe('api');
  });
});

describe('blue-green', () => {
  const make = (active: BlueGreenTrack, inactiveReplicas?: number) => {
    const chart = newChart();
    const svc = new StatelessService(chart, 'api', {
      image: IMAGE,
      port: 8080,
      network: CALLERS,
      replicas: 3,
      strategy: DeploymentStrategy.blueGreen({ active, greenImage: 'ghcr.io/acme/api:1.5.0', inactiveReplicas }),
    });
    return { svc, out: synth(chart) };
  };

  test('two tracks behind one Service that selects the active track, and a preview Service', () => {
    // GIVEN blue active, green carrying the new version
    const { svc, out } = make(BlueGreenTrack.BLUE);
    const blue = findObject(out, 'Deployment', 'api-blue');
    const green = findObject(out, 'Deployment', 'api-green');
    // THEN each track has its own image, labels and selector
    expect(mainContainer(blue).image).toBe(IMAGE);
    expect(mainContainer(green).image).toBe('ghcr.io/acme/api:1.5.0');
    expect(blue.spec.selector.matchLabels[TRACK]).toBe('blue');
    expect(green.spec.template.metadata.labels[TRACK]).toBe('green');
    expect(blue.spec.replicas).toBe(3);
    expect(green.spec.replicas).toBe(3);
    // AND the Service sends traffic to blue, the preview Service to green
    expect(findObject(out, 'Service', 'api').spec.selector).toEqual({ [NAME]: 'api', [INSTANCE]: 'api', [TRACK]: 'blue' });
    expect(findObject(out, 'Service', 'api-preview').spec.selector).toEqual({ [NAME]: 'api', [INSTANCE]: 'api', [TRACK]: 'green' });
    expect(ApiObject.of(svc.deployment).name).toBe('api-blue');
    // AND each track has its own budget
    expect(objectsOf(out, 'PodDisruptionBudget').map((p) => p.spec.selector.matchLabels[TRACK]).sort()).toEqual(['blue', 'green']);
  });

  test('promotion flips only the Service selectors', () => {
    const before = make(BlueGreenTrack.BLUE).out;
    const after = make(BlueGreenTrack.GREEN).out;
    expect(findObject(after, 'Service', 'api').spec.selector[TRACK]).toBe('green');
    expect(findObject(after, 'Service', 'api-preview').spec.selector[TRACK]).toBe('blue');
    // The Deployments do not change, so promotion restarts no pod.
    expect(findObject(after, 'Deployment', 'api-blue')).toEqual(findObject(before, 'Deployment', 'api-blue'));
    expect(findObject(after, 'Deployment', 'api-green')).toEqual(findObject(before, 'Deployment', 'api-green'));
  });

  test('the inactive track can be scaled to zero', () => {
    const { out } = make(BlueGreenTrack.GREEN, 0);
    expect(findObject(out, 'Deployment', 'api-blue').spec.replicas).toBe(0);
    expect(findObject(out, 'Deployment', 'api-green').spec.replicas).toBe(3);
    expect(objectsOf(out, 'PodDisruptionBudget').map((p) => p.metadata.name)).toEqual(['api-green']);
  });
});

describe('canary', () => {
  test('by replica ratio: both tracks behind the one Service', () => {
    // GIVEN 4 stable and 1 canary replica
    const chart = newChart();
    const svc = new StatelessService(chart, 'api', {
      image: IMAGE,
      port: 8080,
      network: CALLERS,
      replicas: 4,
      strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0' }),
    });
    const out = synth(chart);
    const stable = findObject(out, 'Deployment', 'api');
    const canary = findObject(out, 'Deployment', 'api-canary');
    // THEN the stable Deployment keeps its name and selector; the canary runs the new image
    expect(stable.spec.selector.matchLabels).toEqual({ [NAME]: 'api', [INSTANCE]: 'api', [TRACK]: 'stable' });
    expect(canary.spec.selector.matchLabels).toEqual({ [NAME]: 'api', [INSTANCE]: 'api', [TRACK]: 'canary' });
    expect(stable.spec.replicas).toBe(4);
    expect(canary.spec.replicas).toBe(1);
    expect(mainContainer(canary).image).toBe('ghcr.io/acme/api:1.5.0');
    // AND the Service selects both tracks (20 % of pods are canary)
    const selector = findObject(out, 'Service', 'api').spec.selector;
    expect(selector).toEqual({ [NAME]: 'api', [INSTANCE]: 'api' });
    expect(objectsOf(out, 'HTTPRoute')).toHaveLength(0);
    expect(svc.canaryDeployment).toBeDefined();
  });

  test('switching rolling -> canary keeps the stable Deployment byte for byte', () => {
    const a = newChart();
    new StatelessService(a, 'api', { image: IMAGE, port: 8080, replicas: 4, network: CALLERS });
    const b = newChart();
    new StatelessService(b, 'api', { image: IMAGE, port: 8080, replicas: 4, network: CALLERS, strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0' }) });
    expect(findObject(synth(b), 'Deployment', 'api')).toEqual(findObject(synth(a), 'Deployment', 'api'));
  });

  test('by weight: per-track Services and an HTTPRoute on the Service (GAMMA)', () => {
    const chart = newChart();
    new StatelessService(chart, 'api', {
      image: IMAGE,
      port: 8080,
      network: CALLERS,
      replicas: 3,
      strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0', replicas: 1, weight: 10 }),
    });
    const out = synth(chart);
    expect(findObject(out, 'Service', 'api-stable').spec.selector[TRACK]).toBe('stable');
    expect(findObject(out, 'Service', 'api-canary').spec.selector[TRACK]).toBe('canary');
    const route = findObject(out, 'HTTPRoute', 'api');
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'api', port: 8080 }]);
    expect(route.spec.rules[0].backendRefs).toEqual([
      { group: '', kind: 'Service', name: 'api-stable', port: 8080, weight: 90 },
      { group: '', kind: 'Service', name: 'api-canary', port: 8080, weight: 10 },
    ]);
  });

  test('by weight through a Gateway, with host names', () => {
    const chart = newChart();
    new StatelessService(chart, 'api', {
      image: IMAGE,
      port: 8080,
      network: CALLERS,
      replicas: 3,
      strategy: DeploymentStrategy.canary({
        image: 'ghcr.io/acme/api:1.5.0',
        weight: 25,
        gateway: { name: 'public', namespace: 'gateways', sectionName: 'https' },
        hostnames: ['api.example.com'],
      }),
    });
    const route = findObject(synth(chart), 'HTTPRoute', 'api');
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateways', sectionName: 'https' }]);
    expect(route.spec.hostnames).toEqual(['api.example.com']);
    expect(route.spec.rules[0].backendRefs.map((r: any) => r.weight)).toEqual([75, 25]);
  });
});

describe('health checks and lifecycle', () => {
  const container = (props: any) => {
    const chart = newChart();
    new StatelessService(chart, 'api', { image: IMAGE, port: 8080, network: CALLERS, ...props });
    return mainContainer(findObject(synth(chart), 'Deployment', 'api'));
  };

  test('HealthCheck.http gives startup and readiness on the path, and liveness on the port over TCP', () => {
    const c = container({ health: HealthCheck.http('/healthz') });
    for (const p of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      if (p === 'livenessProbe') {
        expect(c[p].httpGet).toBeUndefined();
        expect(c[p].tcpSocket).toEqual({ port: 8080 });
      } else {
        expect(c[p].httpGet).toEqual({ path: '/healthz', port: 8080, scheme: 'HTTP' });
      }
      expect(c[p].timeoutSeconds).toBe(2);
      expect(c[p].successThreshold).toBe(1);
    }
  });

  test('HealthCheck.grpc uses the native gRPC probe (patched in: cdk8s-plus-28 has none)', () => {
    const c = container({ health: HealthCheck.grpc({ port: 9090, service: 'api.v1' }) });
    expect(c.readinessProbe.grpc).toEqual({ port: 9090, service: 'api.v1' });
    expect(c.startupProbe.grpc).toEqual({ port: 9090, service: 'api.v1' });
    // liveness checks the process only: a TCP connection to the same port
    expect(c.livenessProbe.grpc).toBeUndefined();
    expect(c.livenessProbe.tcpSocket).toEqual({ port: 9090 });
  });

  test('HealthCheck.exec and HealthCheck.none', () => {
    expect(container({ health: HealthCheck.exec(['/bin/check']) }).livenessProbe.exec).toEqual({ command: ['/bin/check'] });
    const none = container({ health: HealthCheck.none() });
    expect(none.livenessProbe).toBeUndefined();
    expect(none.readinessProbe).toBeUndefined();
  });

  test('preStop sleep and grace period', () => {
    const chart = newChart();
    new StatelessService(chart, 'api', {
      image: IMAGE, port: 8080, network: CALLERS, lifecycle: { gracePeriod: Duration.seconds(45), preStopSleep: Duration.seconds(5) },
    });
    const d = findObject(synth(chart), 'Deployment', 'api');
    expect(d.spec.template.spec.terminationGracePeriodSeconds).toBe(45);
    expect(mainContainer(d).lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '5'] } } });
  });
});

describe('StatelessService bad input', () => {
  test('one error lists every problem, each with path, prop, value and rule', () => {
    // GIVEN several mistakes at once
    const message = errorOf(() => new StatelessService(newChart('shop'), 'api', { image: 'nginx', port: 99999, replicas: -1, name: 'API' }));
    // THEN all are reported together, at synth
    expect(message).toMatch(/^cdk8s-patterns: \d+ invalid values:/);
    expect(message).toContain('  - shop/api: name ("API") must be a DNS-1035 label');
    expect(message).toContain('  - shop/api: port (99999) must be an integer from 1 to 65535');
    expect(message).toContain('  - shop/api: replicas (-1) must be >= 0');
    expect(message).toContain('  - shop/api: image ("nginx") must be pinned');
  });

  test('missing props give a validation error, never a TypeError', () => {
    // (errorOf fails the test on a TypeError)
    expect(errorOf(() => new StatelessService(newChart('shop'), 'api', undefined as any)))
      .toMatch(/shop\/api: image \(undefined\) must be a non-empty image reference/);
    expect(errorOf(() => new StatelessService(newChart('shop'), 'api', { image: IMAGE, strategy: {} as any })))
      .toMatch(/strategy \(\{\}\) must be created with DeploymentStrategy/);
    expect(errorOf(() => new StatelessService(newChart('shop'), 'api', { image: IMAGE, demands: {} as any })))
      .toMatch(/demands \(\{\}\) must be created with Demands/);
  });
});

describe('StatelessService autoscaled', () => {
  test('autoscaled leaves spec.replicas out, for an autoscaler to manage, and keeps the budget', () => {
    const chart = newChart('shop');
    new StatelessService(chart, 'api', { image: IMAGE, port: 8080, replicas: 3, autoscaled: true, network: CALLERS });
    const out = synth(chart);
    validateManifests(out);
    expect(findObject(out, 'Deployment', 'api').spec.replicas).toBeUndefined();
    expect(findObject(out, 'PodDisruptionBudget', 'api').spec.maxUnavailable).toBe(1);
  });

  test('autoscaled with blue-green is rejected (the active track changes on every switch); with a canary, the stable track is autoscaled', () => {
    expect(errorOf(() => apiService({ autoscaled: true, strategy: DeploymentStrategy.blueGreen({ active: BlueGreenTrack.BLUE }) })))
      .toContain('shop/api: autoscaled (true) is not supported with the BlueGreen strategy');
    const chart = newChart('shop');
    new StatelessService(chart, 'api', {
      image: IMAGE, port: 8080, network: CALLERS, autoscaled: true, strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0' }),
    });
    const manifests = synth(chart);
    expect(findObject(manifests, 'Deployment', 'api').spec).not.toHaveProperty('replicas');
    expect(findObject(manifests, 'Deployment', 'api-canary').spec.replicas).toBe(1);
  });
});
