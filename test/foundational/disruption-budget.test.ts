import { BlueGreenTrack, DeploymentStrategy, DisruptionBudget } from '../../src';
import { errorOf, service } from '../helpers/errors';
import { findObject, objectsOf, synth } from '../helpers/synth';

const pdbOf = (budget: DisruptionBudget, replicas = 3) => {
  const svc = service({ replicas, disruptionBudget: budget });
  return objectsOf(synth(svc.node.scope as any), 'PodDisruptionBudget');
};

describe('DisruptionBudget', () => {
  test('minAvailable, percentages and none', () => {
    expect(pdbOf(DisruptionBudget.minAvailable(2))[0].spec.minAvailable).toBe(2);
    expect(pdbOf(DisruptionBudget.maxUnavailablePercent(50))[0].spec.maxUnavailable).toBe('50%');
    expect(pdbOf(DisruptionBudget.minAvailablePercent(60))[0].spec.minAvailable).toBe('60%');
    expect(pdbOf(DisruptionBudget.none())).toHaveLength(0);
  });

  test('an explicit budget applies even to one replica, if it allows eviction', () => {
    const pdb = pdbOf(DisruptionBudget.maxUnavailable(1), 1);
    expect(pdb).toHaveLength(1);
    expect(findObject(pdb, 'PodDisruptionBudget', 'api').spec.maxUnavailable).toBe(1);
  });

  test('a budget that blocks every eviction is rejected', () => {
    expect(errorOf(() => service({ replicas: 3, disruptionBudget: DisruptionBudget.minAvailable(3) })))
      .toContain('shop/api: disruptionBudget.minAvailable (3) must be less than replicas (3), or it blocks every eviction');
    expect(errorOf(() => service({ disruptionBudget: DisruptionBudget.maxUnavailable(0) })))
      .toContain('disruptionBudget.maxUnavailable (0) must be at least 1 (0 blocks every eviction)');
    expect(errorOf(() => service({ disruptionBudget: DisruptionBudget.minAvailablePercent(100) })))
      .toContain('disruptionBudget.minAvailable ("100%") must be from 0% to 99% (100% blocks every eviction)');
  });

  test('a percentage over 100 is rejected', () => {
    expect(errorOf(() => service({ disruptionBudget: DisruptionBudget.maxUnavailablePercent(150) })))
      .toContain('disruptionBudget.maxUnavailable ("150%") must be from 1% to 100%');
  });
});

describe('DisruptionBudget rounding and tracks', () => {
  test('a minAvailable percentage that rounds up to every replica is rejected', () => {
    // 75 % of 2 replicas rounds up to 2: no pod could ever be evicted
    expect(errorOf(() => service({ replicas: 2, disruptionBudget: DisruptionBudget.minAvailablePercent(75) })))
      .toContain('disruptionBudget.minAvailable ("75%") must leave at least one of 2 replicas evictable (Kubernetes rounds up to 2)');
    expect(pdbOf(DisruptionBudget.minAvailablePercent(50), 4)[0].spec.minAvailable).toBe('50%');
  });

  test('an explicit budget covers the serving track, not a one-replica canary', () => {
    const svc = service({
      replicas: 4,
      disruptionBudget: DisruptionBudget.minAvailable(2),
      strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0' }),
    });
    const pdbs = objectsOf(synth(svc.node.scope as any), 'PodDisruptionBudget');
    expect(pdbs.map((p) => p.metadata.name)).toEqual(['api']);
    expect(pdbs[0].spec.minAvailable).toBe(2);
  });

  test('an explicit budget skips a blue-green track scaled to zero', () => {
    const svc = service({
      replicas: 3,
      disruptionBudget: DisruptionBudget.minAvailable(2),
      strategy: DeploymentStrategy.blueGreen({ active: BlueGreenTrack.BLUE, inactiveReplicas: 0 }),
    });
    expect(objectsOf(synth(svc.node.scope as any), 'PodDisruptionBudget').map((p) => p.metadata.name)).toEqual(['api-blue']);
  });
});
