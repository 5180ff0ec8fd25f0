import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ScalingBehavior, ScalingMetric, ScalingMetricKind, ScalingPolicyType } from '../../src';
import { Problems } from '../../src/core/validation';

function render(m: ScalingMetric): { spec: unknown; problems: string[] } {
  const problems = new Problems('scaler');
  // as it renders into the manifest (a Quantity is an object until then)
  return { spec: JSON.parse(JSON.stringify(m._render(problems, 'metrics[0]') ?? null)), problems: problems.messages() };
}

describe('ScalingMetric', () => {
  test('kinds and the resource a Resource metric measures', () => {
    expect(ScalingMetric.cpuUtilization(50).kind).toBe(ScalingMetricKind.RESOURCE);
    expect(ScalingMetric.memoryUtilization(50)._resource).toBe('memory');
    expect(ScalingMetric.memoryUtilization(50)._isUtilization).toBe(true);
    expect(ScalingMetric.cpuAverageValue(kplus.Cpu.units(1))._isUtilization).toBe(false);
    expect(ScalingMetric.pods({ metricName: 'rps' }, '10').kind).toBe(ScalingMetricKind.PODS);
    expect(ScalingMetric.pods({ metricName: 'rps' }, '10')._resource).toBeUndefined();
  });

  test('memory amounts render in whole mebibytes; fractions, zero and non-sizes are refused', () => {
    expect(render(ScalingMetric.memoryAverageValue(Size.gibibytes(1))).spec)
      .toEqual({ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: { value: '1024Mi' } } } }); // a Quantity, which the L1 object renders as the string
    expect(render(ScalingMetric.memoryAverageValue(Size.kibibytes(512))).problems).toEqual(['metrics[0].averageValue ("512Ki") must be a positive, whole number of mebibytes']);
    expect(render(ScalingMetric.memoryAverageValue('512Mi' as any)).problems).toEqual(['metrics[0].averageValue ("512Mi") must be a Size, e.g. Size.mebibytes(512)']);
    expect(render(ScalingMetric.cpuAverageValue(kplus.Cpu.millis(0))).problems).toEqual(['metrics[0].averageValue ("0m") must be a positive Cpu, e.g. Cpu.millis(500)']);
  });

  test('quantities are checked exactly: a negative, a malformed and a number are refused; decimal and binary suffixes pass', () => {
    expect(render(ScalingMetric.pods({ metricName: 'rps' }, '-1')).problems).toEqual(['metrics[0].averageValue ("-1") must be a positive quantity, e.g. "100" or "1500m"']);
    expect(render(ScalingMetric.pods({ metricName: 'rps' }, '1..5')).problems).toHaveLength(1);
    expect(render(ScalingMetric.pods({ metricName: 'rps' }, 5 as any)).problems).toHaveLength(1);
    expect(render(ScalingMetric.pods({ metricName: 'rps' }, '1500m')).problems).toEqual([]);
    expect(render(ScalingMetric.external({ metricName: 'bytes', value: '2Gi' })).problems).toEqual([]);
  });

  test('a selector must be labels', () => {
    expect(render(ScalingMetric.external({ metricName: 'q', selector: { 'bad key!': 'x' }, value: '1' })).problems[0]).toMatch(/^metrics\[0\]\.selector/);
  });
});

describe('ScalingBehavior', () => {
  function behavior(b: ScalingBehavior): { spec: unknown; problems: string[] } {
    const problems = new Problems('scaler');
    return { spec: b._render(problems, 'behavior'), problems: problems.messages() };
  }

  test('a custom behaviour without a direction is refused: it would change nothing', () => {
    expect(behavior(ScalingBehavior.custom({})).problems).toEqual([
      'behavior ({}) must set scaleUp or scaleDown (ScalingBehavior.custom({ ... })), or be left out for the Kubernetes defaults',
    ]);
  });

  test('the bounds of the API: a window of 0 to 3600 s, a period of 1 to 1800 s, a value of at least 1, all required', () => {
    expect(behavior(ScalingBehavior.custom({
      scaleUp: {
        stabilizationWindow: Duration.seconds(3600), policies: [{ type: ScalingPolicyType.PODS, value: 1, period: Duration.seconds(1800) }],
      },
    })).problems).toEqual([]);
    expect(behavior(ScalingBehavior.custom({
      scaleUp: {
        policies: [{ type: ScalingPolicyType.PODS } as any, { type: ScalingPolicyType.PERCENT, value: 1.5, period: Duration.millis(1500) }],
      },
    })).problems).toEqual([
      'behavior.scaleUp.policies[0].value (undefined) is required',
      'behavior.scaleUp.policies[0].period (undefined) is required',
      'behavior.scaleUp.policies[1].value (1.5) must be an integer',
      'behavior.scaleUp.policies[1].period ("1.5s") must be a whole number of seconds, at least 1 and at most 1800',
    ]);
  });
});
