import { QosClass } from '../../src';
import { parseQuantityExact } from '../../src/core/quantity';
import { PodQos } from '../../src/foundational/qos';

const { GUARANTEED, BURSTABLE, BEST_EFFORT } = QosClass;

type Amounts = { [resource: string]: any };

/** A container with these requests and limits (either may be omitted). */
const ctr = (name: string, requests?: Amounts, limits?: Amounts) => ({ name, image: 'app', resources: { requests, limits } });
/** A container whose cpu and memory limits equal its requests. */
const guaranteed = (name: string, cpu: any = '500m', memory: any = '256Mi') => ctr(name, { cpu, memory }, { cpu, memory });

describe('parseQuantityExact', () => {
  test.each([
    ['0.1', '100m'],
    ['1Gi', '1024Mi'],
    ['1e3', '1k'],
    ['1E3', '1000'],
    ['1.5', '1500m'],
    ['.5', '500m'],
    ['5.', '5'],
    ['+2', '2'],
    ['1M', '1000k'],
    ['1E', '1e18'],
    ['1Ei', String(2n ** 60n)],
    ['1.5Ki', '1536'],
    ['1n', '0.000000001'],
    ['1u', '1000n'],
    [' 250m ', '250m'],
    [0.7, '700m'],
    [1073741824, '1Gi'],
  ])('%p equals %p exactly', (a, b) => {
    expect(parseQuantityExact(a)).toBeDefined();
    expect(parseQuantityExact(a)).toBe(parseQuantityExact(b));
  });

  test('counts nano-units', () => {
    expect(parseQuantityExact('1')).toBe(1_000_000_000n);
    expect(parseQuantityExact('100m')).toBe(100_000_000n);
    expect(parseQuantityExact('-1.5')).toBe(-1_500_000_000n);
    expect(parseQuantityExact('0')).toBe(0n);
    expect(parseQuantityExact('1e-3')).toBe(1_000_000n);
  });

  test('rounds amounts finer than a nano-unit up, as apimachinery does', () => {
    expect(parseQuantityExact('0.1n')).toBe(1n);
    expect(parseQuantityExact('1e-12')).toBe(1n);
    expect(parseQuantityExact('-0.1n')).toBe(-1n);
  });

  test('caps binary-suffixed amounts at 2^63-1 units', () => {
    expect(parseQuantityExact('99999999999Ei')).toBe((2n ** 63n - 1n) * 1_000_000_000n);
  });

  test('is exact where a float parser is not (700 * 0.001 !== 0.7)', () => {
    expect(700 * 0.001).not.toBe(0.7);
    expect(parseQuantityExact('700m')).toBe(parseQuantityExact('0.7'));
  });

  test.each([
    '', 'abc', '1 cpu', '1Kb', '1e', '1.2.3', '.', '-', 'm', '1mi', '--1', '1e1001', 'Infinity', NaN, Infinity, null, undefined, {}, true,
  ])('%p is not a quantity', (q) => {
    expect(parseQuantityExact(q)).toBeUndefined();
  });
});

describe('PodQos.classify', () => {
  test.each<[string, any, QosClass]>([
    // BestEffort: nothing that counts
    ['an empty pod', {}, BEST_EFFORT],
    ['no containers', { containers: [] }, BEST_EFFORT],
    ['a container without resources', { containers: [{ name: 'app' }] }, BEST_EFFORT],
    ['only ephemeral-storage', { containers: [ctr('app', { 'ephemeral-storage': '1Gi' }, { 'ephemeral-storage': '2Gi' })] }, BEST_EFFORT],
    ['only nvidia.com/gpu', { containers: [ctr('app', undefined, { 'nvidia.com/gpu': 1 })] }, BEST_EFFORT],
    ['only hugepages', { containers: [ctr('app', { 'hugepages-2Mi': '64Mi' }, { 'hugepages-2Mi': '64Mi' })] }, BEST_EFFORT],
    ['a request of "0"', { containers: [ctr('app', { cpu: '0' })] }, BEST_EFFORT],
    ['all-zero requests and limits', { containers: [ctr('app', { cpu: '0', memory: '0Mi' }, { cpu: 0, memory: '0' })] }, BEST_EFFORT],
    ['negative quantities', { containers: [ctr('app', { cpu: '-1' }, { memory: '-1Gi' })] }, BEST_EFFORT],
    ['cpu and memory as ephemeral containers only', { ephemeralContainers: [guaranteed('debug')] }, BEST_EFFORT],

    // Burstable
    ['requests only', { containers: [ctr('app', { cpu: '250m', memory: '256Mi' })] }, BURSTABLE],
    ['limits above requests', { containers: [ctr('app', { cpu: '250m', memory: '256Mi' }, { cpu: '500m', memory: '256Mi' })] }, BURSTABLE],
    ['memory request and limit but no cpu', { containers: [ctr('app', { memory: '256Mi' }, { memory: '256Mi' })] }, BURSTABLE],
    ['a cpu limit only (defaulted request, no memory)', { containers: [ctr('app', undefined, { cpu: '1' })] }, BURSTABLE],
    ['a sidecar missing limits', { containers: [guaranteed('app'), ctr('proxy', { cpu: '100m', memory: '64Mi' })] }, BURSTABLE],
    ['a sidecar without any resources', { containers: [guaranteed('app'), { name: 'proxy' }] }, BURSTABLE],
    ['an init container missing limits', { initContainers: [ctr('migrate', { cpu: '1' })], containers: [guaranteed('app')] }, BURSTABLE],
    ['an init container with requests while the app has none', {
      initContainers: [ctr('migrate', { memory: '1Gi' })], containers: [{ name: 'app' }],
    }, BURSTABLE],
    // Defaulting only fills requests that are not set: an explicit "0" stays, and does not count.
    ['an explicit cpu request of "0" under a cpu limit', { containers: [ctr('app', { cpu: '0' }, { cpu: '1', memory: '1Gi' })] }, BURSTABLE],
    ['a zero cpu limit', { containers: [ctr('app', { memory: '1Gi' }, { cpu: '0', memory: '1Gi' })] }, BURSTABLE],

    // Guaranteed
    ['limits equal requests', { containers: [guaranteed('app')] }, GUARANTEED],
    ['limits only (requests defaulted to limits)', { containers: [ctr('app', undefined, { cpu: '1', memory: '1Gi' })] }, GUARANTEED],
    ['a cpu request with cpu and memory limits', { containers: [ctr('app', { cpu: '1' }, { cpu: '1', memory: '1Gi' })] }, GUARANTEED],
    ['100m vs 0.1 and 1Gi vs 1024Mi', { containers: [ctr('app', { cpu: '100m', memory: '1Gi' }, { cpu: '0.1', memory: '1024Mi' })] }, GUARANTEED],
    ['700m vs 0.7 (unequal as floats)', { containers: [ctr('app', { cpu: '700m', memory: '1e3' }, { cpu: 0.7, memory: '1k' })] }, GUARANTEED],
    ['numbers vs strings', { containers: [ctr('app', { cpu: 2, memory: 1073741824 }, { cpu: '2000m', memory: '1Gi' })] }, GUARANTEED],
    ['two guaranteed containers', { containers: [guaranteed('app'), guaranteed('proxy', '100m', '64Mi')] }, GUARANTEED],
    ['a guaranteed init container and app', { initContainers: [guaranteed('migrate', '1', '1Gi')], containers: [guaranteed('app')] }, GUARANTEED],
    ['extended resources alongside', {
      containers: [ctr('app',
        { 'cpu': '1', 'memory': '1Gi', 'nvidia.com/gpu': 1, 'ephemeral-storage': '1Gi' },
        { 'cpu': '1', 'memory': '1Gi', 'nvidia.com/gpu': 2 })],
    }, GUARANTEED],
    ['a guaranteed app with a requests-only ephemeral container', {
      containers: [guaranteed('app')], ephemeralContainers: [ctr('debug', { cpu: '1' })],
    }, GUARANTEED],
    ['many small amounts summed (10 × 0.1 cpu)', {
      containers: Array.from({ length: 10 }, (_, i) => guaranteed(`c${i}`, '0.1', '10Mi')),
    }, GUARANTEED],
  ])('%s', (_name, spec, expected) => {
    expect(PodQos.classify(spec)).toBe(expected);
  });

  test('requests and limits are compared summed over containers, exactly', () => {
    // GIVEN requests 0.1 + 0.2 and limits 0.15 + 0.15: 0.30000000000000004 vs 0.3 as floats.
    // (The API server would reject the second container, whose request exceeds its limit.)
    const spec = {
      containers: [
        ctr('a', { cpu: '0.1', memory: '1Gi' }, { cpu: '0.15', memory: '1Gi' }),
        ctr('b', { cpu: '0.2', memory: '1Gi' }, { cpu: '150m', memory: '1Gi' }),
      ],
    };
    // THEN the kubelet's sums are equal, so the pod is Guaranteed although no container's request equals its limit.
    expect(PodQos.classify(spec)).toBe(GUARANTEED);
    expect(PodQos.explain(spec, GUARANTEED)).toEqual([]);
  });

  test.each<[string, any, QosClass]>([
    ['an invalid request alone', { containers: [ctr('app', { cpu: 'abc' })] }, BEST_EFFORT],
    ['an invalid limit beside a valid request', {
      containers: [ctr('app', { cpu: '1', memory: '1Gi' }, { cpu: '1 cpu', memory: '1Gi' })],
    }, BURSTABLE],
    // The invalid request is still "set", so it is not defaulted to the limit.
    ['an invalid request under valid limits', { containers: [ctr('app', { cpu: '250mm' }, { cpu: '500m', memory: '1Gi' })] }, BURSTABLE],
  ])('invalid quantities are ignored: %s', (_name, spec, expected) => {
    expect(PodQos.classify(spec)).toBe(expected);
  });

  test.each<[string, any]>([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'pod'],
    ['an array', [guaranteed('app')]],
    ['containers: null', { containers: null }],
    ['containers not an array', { containers: 'app', initContainers: { name: 'x' } }],
    ['a null container', { containers: [null] }],
    ['resources: null', { containers: [{ name: 'app', resources: null }] }],
    ['requests and limits of the wrong type', { containers: [{ name: 'app', resources: { requests: 'cpu', limits: ['1'] } }] }],
    ['null amounts', { containers: [ctr('app', { cpu: null }, { memory: undefined })] }],
    ['objects as amounts', { containers: [ctr('app', { cpu: {} }, { memory: [] })] }],
    ['a bigint amount', { containers: [ctr('app', { cpu: 1n })] }],
  ])('malformed input is BestEffort without throwing: %s', (_name, spec) => {
    expect(PodQos.classify(spec)).toBe(BEST_EFFORT);
    expect(() => PodQos.explain(spec, GUARANTEED)).not.toThrow();
  });

  test('a null container still needs limits for the pod to be Guaranteed', () => {
    expect(PodQos.classify({ containers: [guaranteed('app'), null] })).toBe(BURSTABLE);
  });
});

describe('PodQos.explain', () => {
  test.each<[QosClass, any]>([
    [GUARANTEED, { containers: [guaranteed('app')] }],
    [BURSTABLE, { containers: [ctr('app', { cpu: '250m' })] }],
    [BEST_EFFORT, { containers: [{ name: 'app' }] }],
    [BEST_EFFORT, undefined],
  ])('is empty when the pod is %s as expected', (expected, spec) => {
    expect(PodQos.explain(spec, expected)).toEqual([]);
  });

  describe('expecting Guaranteed', () => {
    test.each<[string, any, string[]]>([
      ['a sidecar without a cpu limit', { containers: [guaranteed('app'), ctr('proxy', { cpu: '100m', memory: '64Mi' }, { memory: '64Mi' })] }, [
        'container "proxy" has no cpu limit',
      ]],
      ['no limits at all', { containers: [ctr('app', { cpu: '250m', memory: '256Mi' })] }, [
        'container "app" has no cpu or memory limit',
      ]],
      ['an init container whose limit differs', {
        initContainers: [ctr('migrate', { cpu: '1', memory: '256Mi' }, { cpu: '1', memory: '512Mi' })],
        containers: [guaranteed('app')],
      }, [
        'init container "migrate": memory limit (512Mi) differs from its request (256Mi)',
      ]],
      ['two containers with several problems', {
        containers: [
          ctr('app', { cpu: '250m', memory: '1Gi' }, { cpu: '500m', memory: '1Gi' }),
          ctr('proxy', undefined, { memory: '64Mi' }),
          guaranteed('ok'),
        ],
      }, [
        'container "app": cpu limit (500m) differs from its request (250m)',
        'container "proxy" has no cpu limit',
      ]],
      ['a missing limit and a differing one in one container', { containers: [ctr('app', { cpu: '1', memory: '256Mi' }, { memory: '512Mi' })] }, [
        'container "app" has no cpu limit; memory limit (512Mi) differs from its request (256Mi)',
      ]],
      ['an explicit request of "0"', { containers: [ctr('app', { cpu: '0' }, { cpu: '1', memory: '1Gi' })] }, [
        'container "app": cpu limit (1) differs from its request (0)',
      ]],
      ['a zero limit', { containers: [ctr('app', undefined, { cpu: 0, memory: '1Gi' })] }, [
        'container "app": cpu limit (0) is not greater than zero',
      ]],
      ['an invalid limit', { containers: [ctr('app', undefined, { cpu: '1 cpu', memory: '1Gi' })] }, [
        'container "app": cpu limit ("1 cpu") is not a valid quantity',
      ]],
      ['an invalid request', { containers: [ctr('app', { cpu: '250mm' }, { cpu: '500m', memory: '1Gi' })] }, [
        'container "app": cpu request ("250mm") is not a valid quantity',
      ]],
      ['an unnamed container', { containers: [guaranteed('app'), { image: 'x' }] }, [
        'container #2 has no cpu or memory limit',
      ]],
      ['an empty pod', {}, ['the pod has no containers']],
    ])('%s', (_name, spec, reasons) => {
      expect(PodQos.explain(spec, GUARANTEED)).toEqual(reasons);
    });
  });

  describe('expecting Burstable', () => {
    test('a BestEffort pod: nothing requested', () => {
      expect(PodQos.explain({ containers: [{ name: 'app' }] }, BURSTABLE)).toEqual(['no container requests cpu or memory']);
    });

    test('a BestEffort pod: zero and invalid amounts are named', () => {
      const spec = { containers: [ctr('app', { cpu: '0', memory: '256 MB' }, { 'nvidia.com/gpu': 1 }), ctr('proxy', undefined, { cpu: '-1' })] };
      expect(PodQos.explain(spec, BURSTABLE)).toEqual([
        'no container requests cpu or memory',
        'container "app": cpu request (0) is ignored: not greater than zero; memory request ("256 MB") is ignored: not a valid quantity',
        'container "proxy": cpu limit (-1) is ignored: not greater than zero',
      ]);
    });

    test('values that are not quantities are shown whatever their type', () => {
      const spec = { containers: [ctr('app', { cpu: 1n, memory: { amount: 1 } })] };
      expect(PodQos.explain(spec, BURSTABLE)).toEqual([
        'no container requests cpu or memory',
        'container "app": cpu request (1n) is ignored: not a valid quantity; memory request ({"amount":1}) is ignored: not a valid quantity',
      ]);
    });

    test('a Guaranteed pod', () => {
      const [reason, ...rest] = PodQos.explain({ containers: [guaranteed('app')] }, BURSTABLE);
      expect(rest).toEqual([]);
      expect(reason).toContain('so the pod is Guaranteed');
    });

    test('an empty pod', () => {
      expect(PodQos.explain(undefined, BURSTABLE)).toEqual(['the pod has no containers']);
    });
  });

  describe('expecting BestEffort', () => {
    test('names each container and what it sets, as written', () => {
      const spec = {
        initContainers: [ctr('migrate', undefined, { cpu: '1', memory: '1Gi' })],
        containers: [ctr('app', { cpu: '250m', memory: 0 }, { 'memory': '1Gi', 'nvidia.com/gpu': 1 }), ctr('quiet', { 'ephemeral-storage': '1Gi' })],
      };
      expect(PodQos.explain(spec, BEST_EFFORT)).toEqual([
        'container "app" sets cpu request 250m and memory limit 1Gi',
        'init container "migrate" sets cpu limit 1 and memory limit 1Gi',
      ]);
    });

    test('a Guaranteed pod', () => {
      expect(PodQos.explain({ containers: [guaranteed('app')] }, BEST_EFFORT)).toEqual([
        'container "app" sets cpu request 500m, memory request 256Mi, cpu limit 500m and memory limit 256Mi',
      ]);
    });
  });

  test('an unknown expected class is reported, not thrown', () => {
    expect(PodQos.explain({ containers: [guaranteed('app')] }, 'Gold' as QosClass)).toEqual([
      '"Gold" is not a QoS class (Guaranteed, Burstable or BestEffort); the pod is Guaranteed',
    ]);
  });
});
