import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { BatchJob, Demands, HealthCheck, NetworkPeer, PodVolume, StatelessService } from '../../src';
import { errorOf, IMAGE } from '../helpers/errors';
import { findObject, mainContainer, newChart, synth } from '../helpers/synth';

/** The main container of Job `name` in a fresh chart built by `build`. */
function jobContainer(props: any, build?: (j: BatchJob) => void): any {
  const chart = newChart('ops');
  const job = new BatchJob(chart, 'work', { image: IMAGE, ...props });
  build?.(job);
  return findObject(synth(chart), 'Job', 'work').spec.template.spec;
}

describe('Process Containment: ephemeral storage on every container', () => {
  test('by default every container requests 128Mi and is limited to 1Gi, helpers too', () => {
    const spec = jobContainer({}, (j) => j.addInitContainer({ name: 'prepare', image: IMAGE }));
    for (const c of [...spec.containers, ...spec.initContainers]) {
      expect(c.resources.requests['ephemeral-storage']).toBe('128Mi');
      expect(c.resources.limits['ephemeral-storage']).toBe('1Gi');
    }
  });

  test('explicit amounts win, in MiB precision; a default never crosses the other amount given', () => {
    const burst = (requests: any, limits: any) => mainContainer(findObject(synth((() => {
      const chart = newChart('ops');
      new BatchJob(chart, 'work', { image: IMAGE, demands: Demands.burstable({ requests: { cpu: Cpu.millis(100), ...requests }, limits }) });
      return chart;
    })()), 'Job', 'work')).resources;
    expect(burst({ ephemeralStorage: Size.mebibytes(512) }, { ephemeralStorage: Size.mebibytes(1536) })).toMatchObject({
      requests: { 'ephemeral-storage': '512Mi' }, limits: { 'ephemeral-storage': '1536Mi' },
    });
    // Only a request above the default limit: the limit follows it.
    expect(burst({ ephemeralStorage: Size.gibibytes(4) }, undefined)).toMatchObject({
      requests: { 'ephemeral-storage': '4Gi' }, limits: { 'ephemeral-storage': '4Gi' },
    });
    // Only a limit below the default request: the request follows it.
    expect(burst({}, { ephemeralStorage: Size.mebibytes(64) })).toMatchObject({ requests: { 'ephemeral-storage': '64Mi' }, limits: { 'ephemeral-storage': '64Mi' } });
  });

  test('a Guaranteed or BestEffort pod keeps its QoS class: ephemeral storage does not count', () => {
    const spec = jobContainer({ demands: Demands.bestEffort() });
    expect(spec.containers[0].resources).toEqual({ requests: { 'ephemeral-storage': '128Mi' }, limits: { 'ephemeral-storage': '1Gi' } });
    const guaranteed = Demands.guaranteed({ cpu: Cpu.millis(250), memory: Size.mebibytes(256), ephemeralStorage: Size.gibibytes(2) });
    const g = jobContainer({ demands: guaranteed });
    expect(g.containers[0].resources).toEqual({
      requests: { 'cpu': '250m', 'memory': '256Mi', 'ephemeral-storage': '2Gi' },
      limits: { 'cpu': '250m', 'memory': '256Mi', 'ephemeral-storage': '2Gi' },
    });
  });

  test('disk-backed emptyDirs must fit in the containers\' limits (the kubelet evicts the pod first); memory-backed ones do not count', () => {
    const chart = newChart('ops');
    new BatchJob(chart, 'work', {
      image: IMAGE,
      volumes: [PodVolume.emptyDir('scratch', { sizeLimit: Size.gibibytes(2) }), PodVolume.emptyDir('ram', { sizeLimit: Size.gibibytes(8), memory: true })],
      mounts: [{ volume: 'scratch', path: '/scratch' }, { volume: 'ram', path: '/ram' }],
    });
    expect(errorOf(() => synth(chart))).toContain(
      'ops/work: demands ephemeralStorage limits ("1024Mi") must hold the size limits of the pod\'s disk-backed emptyDirs (2112Mi in scratch, tmp)');
    const ok = newChart('ops');
    new BatchJob(ok, 'work', {
      image: IMAGE,
      demands: Demands.burstable({ requests: { cpu: Cpu.millis(100) }, limits: { ephemeralStorage: Size.gibibytes(3) } }),
      volumes: [PodVolume.emptyDir('scratch', { sizeLimit: Size.gibibytes(2) })],
      mounts: [{ volume: 'scratch', path: '/scratch' }],
    });
    expect(() => synth(ok)).not.toThrow();
  });

  test('an amount that is not a whole number of MiB is rejected with the library\'s error', () => {
    expect(errorOf(() => new BatchJob(newChart('ops'), 'work', {
      image: IMAGE, demands: Demands.burstable({ requests: { cpu: Cpu.millis(100), ephemeralStorage: Size.kibibytes(1500) } }),
    }))).toContain('demands.requests.ephemeralStorage ("1500Ki") must be a whole number of mebibytes');
  });
});

describe('Process Containment: pull policy and probes', () => {
  test('every container pulls Always, whether pinned by tag or by digest', () => {
    const spec = jobContainer({ image: `ghcr.io/acme/api@sha256:${'a'.repeat(64)}` }, (j) => j.addInitContainer({ name: 'prepare', image: IMAGE }));
    expect(spec.containers[0].imagePullPolicy).toBe('Always');
    expect(spec.initContainers[0].imagePullPolicy).toBe('Always');
  });

  test('the http shorthand checks readiness on the path and liveness on the process, more tolerantly', () => {
    const chart = newChart('shop');
    new StatelessService(chart, 'api', {
      image: IMAGE, port: 8080, health: HealthCheck.http('/ready'), network: { allowFrom: [{ peer: NetworkPeer.namespace('clients') }] },
    });
    const c = mainContainer(findObject(synth(chart), 'Deployment', 'api'));
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: '/ready', port: 8080 }, periodSeconds: 5, failureThreshold: 3 });
    expect(c.startupProbe).toMatchObject({ httpGet: { path: '/ready', port: 8080 } });
    expect(c.livenessProbe).toEqual({
      tcpSocket: { port: 8080 }, initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 6, successThreshold: 1,
    });
  });
});
