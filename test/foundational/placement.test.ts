/* eslint-disable @stylistic/max-len */
import {
  BlueGreenTrack, DeploymentStrategy, NodeOperator, Spread, TaintEffect, TolerationOperator,
} from '../../src';
import { errorOf, service } from '../helpers/errors';
import { findObject, synth } from '../helpers/synth';

const podSpecOf = (props: any, name = 'api') => {
  const svc = service(props);
  return findObject(synth(svc.node.scope as any), 'Deployment', name).spec.template.spec;
};
const SELECTOR = { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api', 'patterns.cdk8s.io/track': 'stable' };

describe('Automated placement', () => {
  test('a multi-replica service spreads across hosts by default (preferred)', () => {
    expect(podSpecOf({ replicas: 3 }).topologySpreadConstraints).toEqual([{
      maxSkew: 1,
      topologyKey: 'kubernetes.io/hostname',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: SELECTOR },
      matchLabelKeys: ['pod-template-hash'],
    }]);
  });

  test('one replica gets no spread constraint', () => {
    expect(podSpecOf({ replicas: 1 }).topologySpreadConstraints).toBeUndefined();
  });

  test('zones and hosts, required, with a larger skew', () => {
    const c = podSpecOf({ replicas: 6, placement: { spread: Spread.zonesAndHosts({ maxSkew: 2, required: true }) } }).topologySpreadConstraints;
    expect(c.map((x: any) => [x.topologyKey, x.maxSkew, x.whenUnsatisfiable])).toEqual([
      ['topology.kubernetes.io/zone', 2, 'DoNotSchedule'],
      ['kubernetes.io/hostname', 2, 'DoNotSchedule'],
    ]);
    expect(podSpecOf({ replicas: 3, placement: { spread: Spread.zones() } }).topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
    expect(podSpecOf({ replicas: 3, placement: { spread: Spread.none() } }).topologySpreadConstraints).toBeUndefined();
  });

  test('each track spreads its own pods (blue-green)', () => {
    const svc = service({ replicas: 2, strategy: DeploymentStrategy.blueGreen({ active: BlueGreenTrack.BLUE }) });
    const out = synth(svc.node.scope as any);
    const green = findObject(out, 'Deployment', 'api-green').spec.template.spec;
    expect(green.topologySpreadConstraints[0].labelSelector.matchLabels['patterns.cdk8s.io/track']).toBe('green');
  });

  test('node selector, required and preferred node affinity, soft anti-affinity', () => {
    const spec = podSpecOf({
      replicas: 2,
      placement: {
        nodeSelector: { 'kubernetes.io/arch': 'arm64' },
        requiredNodeAffinity: [{ key: 'node.kubernetes.io/instance-type', operator: NodeOperator.IN, values: ['m7g.large', 'm7g.xlarge'] }],
        preferredNodeAffinity: [{ weight: 50, requirements: [{ key: 'example.com/spot', operator: NodeOperator.DOES_NOT_EXIST }] }],
        preferSeparateHosts: true,
      },
    });
    expect(spec.nodeSelector).toEqual({ 'kubernetes.io/arch': 'arm64' });
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual({
      nodeSelectorTerms: [{ matchExpressions: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m7g.large', 'm7g.xlarge'] }] }],
    });
    expect(spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      { weight: 50, preference: { matchExpressions: [{ key: 'example.com/spot', operator: 'DoesNotExist' }] } },
    ]);
    expect(spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: SELECTOR }, topologyKey: 'kubernetes.io/hostname' } },
    ]);
  });

  test('tolerations', () => {
    const spec = podSpecOf({
      placement: {
        tolerations: [
          { key: 'dedicated', value: 'payments', effect: TaintEffect.NO_SCHEDULE },
          { key: 'node.kubernetes.io/unreachable', operator: TolerationOperator.EXISTS, effect: TaintEffect.NO_EXECUTE, tolerationSeconds: 30 },
          { operator: TolerationOperator.EXISTS },
        ],
      },
    });
    expect(spec.tolerations).toEqual([
      { key: 'dedicated', operator: 'Equal', value: 'payments', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
      { operator: 'Exists' },
    ]);
  });

  test('priorityClassName', () => {
    expect(podSpecOf({ priorityClassName: 'business-critical' }).priorityClassName).toBe('business-critical');
    expect(errorOf(() => service({ priorityClassName: 'Not Valid' }))).toContain('priorityClassName ("Not Valid") must be a DNS-1123 subdomain');
  });
});

describe('placement bad input', () => {
  test('maxSkew below 1 is rejected', () => {
    expect(errorOf(() => service({ placement: { spread: Spread.hosts({ maxSkew: 0 }) } }))).toContain('shop/api: placement.spread.maxSkew (0) must be >= 1');
  });

  test('an unknown taint effect or operator is rejected', () => {
    const msg = errorOf(() => service({ placement: { tolerations: [{ key: 'a', effect: 'NoWay' as any, operator: 'Maybe' as any }] } }));
    expect(msg).toContain('placement.tolerations[0].effect ("NoWay") must be a TaintEffect');
    expect(msg).toContain('placement.tolerations[0].operator ("Maybe") must be TolerationOperator.EQUAL or EXISTS');
  });

  test('toleration rules: no key needs Exists, Exists takes no value, tolerationSeconds needs NoExecute', () => {
    const msg = errorOf(() => service({
      placement: {
        tolerations: [
          { value: 'x' },
          { key: 'a', operator: TolerationOperator.EXISTS, value: 'b' },
          { key: 'c', effect: TaintEffect.NO_SCHEDULE, tolerationSeconds: 10 },
        ],
      },
    }));
    expect(msg).toContain('placement.tolerations[0].operator ("Equal") must be Exists when no key is given');
    expect(msg).toContain('placement.tolerations[1].value ("b") must be empty with the Exists operator');
    expect(msg).toContain('placement.tolerations[2].tolerationSeconds (10) only applies with the NoExecute effect');
  });

  test('node requirement rules per operator', () => {
    const msg = errorOf(() => service({
      placement: {
        requiredNodeAffinity: [
          { key: 'a', operator: NodeOperator.IN },
          { key: 'b', operator: NodeOperator.GT, values: ['x'] },
          { key: 'c', operator: NodeOperator.EXISTS, values: ['y'] },
          { key: 'bad key', operator: 'Near' as any },
        ],
        preferredNodeAffinity: [{ weight: 0, requirements: [] }],
      },
    }));
    expect(msg).toContain('placement.requiredNodeAffinity[0].values (undefined) must not be empty with In');
    expect(msg).toContain('placement.requiredNodeAffinity[1].values (["x"]) must be exactly one integer (int64) with Gt');
    expect(msg).toContain('placement.requiredNodeAffinity[2].values (["y"]) must be empty with Exists');
    expect(msg).toContain('placement.requiredNodeAffinity[3].key ("bad key") must be a valid label key');
    expect(msg).toContain('placement.requiredNodeAffinity[3].operator ("Near") must be a NodeOperator');
    expect(msg).toContain('placement.preferredNodeAffinity[0].weight (0) must be between 1 and 100');
    expect(msg).toContain('placement.preferredNodeAffinity[0].requirements ([]) must not be empty');
  });

  test('invalid node selector labels and a non-Spread spread are rejected', () => {
    const msg = errorOf(() => service({ placement: { nodeSelector: { 'bad key': 'v' }, spread: { hosts: true } as any } }));
    expect(msg).toContain('placement.nodeSelector key ("bad key") must be a valid label key');
    expect(msg).toContain('placement.spread ({"hosts":true}) must be created with Spread.hosts()');
  });
});

describe('placement: wrong types from JavaScript', () => {
  test.each([
    [{ requiredNodeAffinity: { key: 'a' } }, 'placement.requiredNodeAffinity ({"key":"a"}) must be a list'],
    [{ preferredNodeAffinity: {} }, 'placement.preferredNodeAffinity ({}) must be a list'],
    [{ preferredNodeAffinity: [{ weight: 1, requirements: {} }] }, 'placement.preferredNodeAffinity[0].requirements ({}) must be a list'],
    [{ tolerations: {} }, 'placement.tolerations ({}) must be a list'],
    [{ requiredNodeAffinity: [{ key: 'a', operator: NodeOperator.IN, values: 'x' }] }, 'placement.requiredNodeAffinity[0].values ("x") must be a list of strings'],
    [{ nodeSelector: ['a'] }, 'placement.nodeSelector (["a"]) must be a map of node label keys to values'],
    [{ preferSeparateHosts: 'yes' }, 'placement.preferSeparateHosts ("yes") must be true or false'],
    [{ requiredNodeAffinity: [{ key: 'a', operator: NodeOperator.GT, values: ['99999999999999999999999'] }] }, 'must be exactly one integer (int64) with Gt'],
  ])('%j is rejected with a message', (placement, expected) => {
    expect(errorOf(() => service({ placement: placement as any }))).toContain(expected);
  });

  test('a non-object placement is rejected', () => {
    expect(errorOf(() => service({ placement: 'x' as any }))).toContain('placement ("x") must be an object of placement options');
  });
});
