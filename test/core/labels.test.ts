import { MANAGED_LABELS, PatternLabels, selectorLabels, standardLabels } from '../../src/core/labels';

describe('labels', () => {
  const id = { name: 'api', instance: 'shop-api' };

  test('standard labels name the app, the instance and the manager; part-of and component when given', () => {
    expect(standardLabels(id)).toEqual({
      'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'shop-api', 'app.kubernetes.io/managed-by': 'cdk8s-patterns',
    });
    expect(standardLabels({ ...id, partOf: 'shop', component: 'backend' })).toMatchObject({
      'app.kubernetes.io/part-of': 'shop', 'app.kubernetes.io/component': 'backend',
    });
  });

  test('selectors use name and instance only, plus a track when given (they are immutable in the cluster)', () => {
    expect(selectorLabels({ ...id, partOf: 'shop' })).toEqual({ 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'shop-api' });
    expect(selectorLabels(id, 'canary')).toEqual({
      'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'shop-api', 'patterns.cdk8s.io/track': 'canary',
    });
  });

  test('the managed labels are the app.kubernetes.io labels the library sets', () => {
    expect(MANAGED_LABELS.sort()).toEqual([
      PatternLabels.COMPONENT, PatternLabels.INSTANCE, PatternLabels.MANAGED_BY, PatternLabels.NAME, PatternLabels.PART_OF,
    ].sort());
    expect(MANAGED_LABELS).not.toContain('app.kubernetes.io/version');
  });
});
