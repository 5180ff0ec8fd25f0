import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { BatchJob, BatchJobProps, GangScheduling } from '../../src';
import { errorOf, IMAGE } from '../helpers/errors';
import { findObject, Manifest, newChart, synth } from '../helpers/synth';

function job(props: Partial<BatchJobProps>): Manifest[] {
  const chart = newChart('ml', { namespace: 'ml' });
  new BatchJob(chart, 'train', { image: IMAGE, completions: 8, parallelism: 8, ...props });
  return synth(chart);
}

describe('BatchJob gang scheduling: the pods start together or not at all', () => {
  test('Kueue: the Job is labelled with its LocalQueue (and priority) and created suspended, for Kueue to admit', () => {
    const m = findObject(job({ gangScheduling: GangScheduling.kueue({ queueName: 'team-a', priorityClass: 'high' }) }), 'Job', 'train');
    expect(m.metadata.labels).toMatchObject({ 'kueue.x-k8s.io/queue-name': 'team-a', 'kueue.x-k8s.io/priority-class': 'high' });
    expect(m.spec.suspend).toBe(true);
    expect(m.spec.template.spec.schedulerName).toBeUndefined();
  });

  test('Volcano: a PodGroup of minMember pods (default: the parallelism), named by the pods, scheduled by volcano', () => {
    const manifests = job({
      gangScheduling: GangScheduling.volcano({ minMember: 4, queue: 'research', minResources: { cpu: kplus.Cpu.units(16), memory: Size.gibibytes(64) } }),
    });
    expect(findObject(manifests, 'PodGroup', 'train')).toMatchObject({
      apiVersion: 'scheduling.volcano.sh/v1beta1',
      metadata: { namespace: 'ml' },
      spec: { minMember: 4, queue: 'research', minResources: { cpu: '16', memory: '65536Mi' } },
    });
    const template = findObject(manifests, 'Job', 'train').spec.template;
    expect(template.spec.schedulerName).toBe('volcano');
    expect(template.metadata.annotations).toMatchObject({ 'scheduling.k8s.io/group-name': 'train' });
    expect(findObject(job({ gangScheduling: GangScheduling.volcano() }), 'PodGroup', 'train').spec).toEqual({ minMember: 8 });
  });

  test('refused: a gang larger than the parallelism, Kueue with suspend: false, Volcano with generateName, bad names and keys', () => {
    expect(errorOf(() => job({ gangScheduling: GangScheduling.volcano({ minMember: 9 }) })))
      .toContain('ml/train: gangScheduling.volcano.minMember (9) must be at most the Job\'s parallelism (8)');
    expect(errorOf(() => job({ suspend: false, gangScheduling: GangScheduling.kueue({ queueName: 'team-a' }) })))
      .toContain('ml/train: suspend (false) must not be false with Kueue');
    expect(errorOf(() => job({ generateName: true, gangScheduling: GangScheduling.volcano() }))).toContain('ml/train: generateName (true) cannot be used with Volcano');
    const message = errorOf(() => job({ gangScheduling: GangScheduling.kueue({ queueName: 'Team A', queue: 'x' } as any) }));
    expect(message).toContain('gangScheduling.kueue.queueName ("Team A") must be a DNS-1123 subdomain');
    expect(message).toContain('gangScheduling.kueue.queue ("x") is not a prop of KueueOptions');
    expect(errorOf(() => job({ gangScheduling: 'kueue' as any }))).toContain('gangScheduling ("kueue") must be created with GangScheduling.kueue() or GangScheduling.volcano()');
    expect(errorOf(() => job({ gangScheduling: GangScheduling.volcano({ minResources: { ephemeralStorage: Size.gibibytes(1) } }) })))
      .toContain('gangScheduling.volcano.minResources.ephemeralStorage ("Size") is not a resource Volcano gangs on');
  });
});
