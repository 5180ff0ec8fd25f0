import { ApiObject, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { intOrString, PodSpecPatcher } from '../../src/core/patch';

const job = (kind: 'Job' | 'CronJob') => {
  const chart = Testing.chart();
  return new ApiObject(chart, 'x', { apiVersion: 'batch/v1', kind, metadata: { name: 'x' }, spec: {} });
};

describe('PodSpecPatcher', () => {
  test('finds the pod spec of every workload kind', () => {
    expect(PodSpecPatcher.podSpecPath('Deployment')).toBe('/spec/template/spec');
    expect(PodSpecPatcher.podSpecPath('CronJob')).toBe('/spec/jobTemplate/spec/template/spec');
  });

  test('addresses the Job spec of a Job and of a CronJob', () => {
    const a = job('Job');
    new PodSpecPatcher(a).setJobSpecField('completionMode', 'Indexed');
    expect(a.toJson().spec.completionMode).toBe('Indexed');
    const b = job('CronJob');
    const patcher = new PodSpecPatcher(b);
    patcher.set('/spec/jobTemplate', { spec: {} });
    patcher.setJobSpecField('completionMode', 'Indexed');
    expect(b.toJson().spec.jobTemplate.spec.completionMode).toBe('Indexed');
  });

  test('sets container and pod fields, escapes one-segment fields, and removes by pointer', () => {
    const a = new ApiObject(Testing.chart(), 'd', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { template: { spec: { containers: [{ name: 'app' }], securityContext: {} } }, paused: false },
    });
    const patcher = new PodSpecPatcher(a);
    patcher.setPodField('securityContext/seccompProfile', { type: 'RuntimeDefault' });
    patcher.setContainerField(0, 'a/b', 1);
    patcher.setSpecField('revisionHistoryLimit', 3);
    patcher.remove('/spec/paused');
    const spec = a.toJson().spec;
    expect(spec.template.spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(spec.template.spec.containers[0]['a/b']).toBe(1);
    expect(spec.revisionHistoryLimit).toBe(3);
    expect(spec.paused).toBeUndefined();
  });

  test('intOrString builds the L1 value the generated serializers read', () => {
    expect(intOrString(1)).toEqual(k8s.IntOrString.fromNumber(1));
    expect(intOrString('25%').value).toBe('25%');
  });
});
