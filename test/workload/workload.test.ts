import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { BatchJob, StatelessService } from '../../src';
import { Problems } from '../../src/core/validation';
import { HealthCheck } from '../../src/foundational/health-check';
import { PatternWorkload, podSpecOf, WorkloadProps } from '../../src/workload/workload';
import { errorOf, IMAGE, service } from '../helpers/errors';
import { CALLERS } from '../helpers/network';
import { findObject, newChart, synth } from '../helpers/synth';

/** The smallest possible subclass: one Deployment, optionally allowed host paths. */
class Minimal extends PatternWorkload {
  public readonly deployment: kplus.Deployment;
  constructor(scope: Construct, id: string, props: WorkloadProps & { hostPath?: boolean }) {
    super(scope, id, props);
    const problems = new Problems(this);
    this._resolveWorkload(props, {
      defaultHealth: HealthCheck.none(), nameIsServiceName: false, longestSuffix: 0, propsInterface: 'WorkloadProps', foreignProps: ['hostPath'],
    }, problems);
    const placement = this._resolvePlacement(props, 1, { 'app.kubernetes.io/instance': this.name }, problems);
    problems.throwIfAny();
    this.deployment = new kplus.Deployment(this, 'Resource', { ...this._podProps(), metadata: this._workloadMetadata(props, this.name) });
    this.deployment.select(kplus.LabelSelector.of({ labels: { 'app.kubernetes.io/instance': this.name } }));
    this._completePod(this.deployment, props, props.image, placement, 'deployment', { hostPath: props.hostPath });
  }
}

describe('PatternWorkload', () => {
  test('a subclass gets a hardened main container, the workload labels and the annotations', () => {
    const chart = newChart();
    new Minimal(chart, 'Worker', { image: 'ghcr.io/acme/w:1.0.0', annotations: { 'example.com/owner': 'team-a' } });
    const d = synth(chart).find((m) => m.kind === 'Deployment')!;
    expect(d.metadata).toMatchObject({ name: 'worker', annotations: { 'example.com/owner': 'team-a' } });
    expect(d.metadata.labels['app.kubernetes.io/managed-by']).toBe('cdk8s-patterns');
    const spec = podSpecOf(d);
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app']);
    expect(spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(spec.containers[0].imagePullPolicy).toBe('Always');
    // AND its own ServiceAccount, without a token, and a NetworkPolicy for its pods
    expect(spec.serviceAccountName).toBe('worker');
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(synth(chart).map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['ServiceAccount/worker', 'NetworkPolicy/worker', 'Deployment/worker']);
  });

  test('a hostPath volume fails synth unless the subclass relaxed the pod for it', () => {
    const addHostPath = (w: Minimal) => {
      const v = kplus.Volume.fromHostPath(w, 'Logs', 'logs', { path: '/var/log' });
      w.deployment.containers[0].mount('/var/log', v, { readOnly: true });
    };
    const strict = newChart();
    addHostPath(new Minimal(strict, 'w', { image: 'ghcr.io/acme/w:1.0.0' }));
    expect(() => synth(strict)).toThrow(/volumes\["logs"\].hostPath \("\/var\/log"\) is not allowed under the restricted Pod Security Standard/);
    const relaxed = newChart();
    addHostPath(new Minimal(relaxed, 'w', { image: 'ghcr.io/acme/w:1.0.0', hostPath: true }));
    expect(() => synth(relaxed)).not.toThrow();
  });

  test('annotation keys are checked like label keys', () => {
    expect(() => new Minimal(newChart('c'), 'w', { image: 'ghcr.io/acme/w:1.0.0', annotations: { 'bad key': 'x' } }))
      .toThrow(/c\/w: annotations key \("bad key"\) must be a valid label key/);
  });

  test('podSpecOf finds the pod of a CronJob and of other workloads', () => {
    const spec = { containers: [] };
    expect(podSpecOf({ kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec } } } } })).toBe(spec);
    expect(podSpecOf({ kind: 'Job', spec: { template: { spec } } })).toBe(spec);
    expect(podSpecOf(undefined)).toBeUndefined();
  });

  test('the pod checks of the base run in the validation phase, before anything is written', () => {
    const chart: Chart = newChart();
    const w = new Minimal(chart, 'w', { image: 'ghcr.io/acme/w:1.0.0' });
    w.deployment.addContainer({ name: 'raw', image: 'ghcr.io/acme/raw:1.0.0' });
    expect(ApiObject.of(w.deployment).toJson().spec.template.spec.containers).toHaveLength(2);
    expect(() => synth(chart)).toThrow(/containers\["raw"\].securityContext.capabilities.drop/);
  });
});

describe('safeToEvict: what the cluster autoscaler may do with the pods', () => {
  test('true or false is written as its pod annotation on every workload kind; nothing by default', () => {
    const chart = newChart('ops');
    new StatelessService(chart, 'api', { image: IMAGE, port: 8080, network: CALLERS, safeToEvict: true });
    new BatchJob(chart, 'migrate', { image: IMAGE, safeToEvict: false });
    new StatelessService(chart, 'web', { image: IMAGE, port: 8080, network: CALLERS });
    const manifests = synth(chart);
    expect(findObject(manifests, 'Deployment', 'api').spec.template.metadata.annotations).toEqual({ 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'true' });
    expect(findObject(manifests, 'Job', 'migrate').spec.template.metadata.annotations).toEqual({ 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' });
    expect(findObject(manifests, 'Deployment', 'web').spec.template.metadata.annotations).toBeUndefined();
  });

  test('a value that is no boolean, and the same annotation again through addPodAnnotations, are refused', () => {
    expect(errorOf(() => service({ safeToEvict: 'yes' as any }))).toContain('shop/api: safeToEvict ("yes") must be true or false');
    const api = service({ safeToEvict: true });
    expect(errorOf(() => api.addPodAnnotations({ 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' })))
      .toContain('addPodAnnotations["cluster-autoscaler.kubernetes.io/safe-to-evict"] ("false") is already set on the pods');
  });
});
