import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Demands, HealthCheck, PersistentVolumeClaim, PodVolume } from '../../src';
import { MAX_MEBIBYTES, parseQuantityExact, wholeMebibytes } from '../../src/core/quantity';
import { errorOf, service } from '../helpers/errors';
import { newChart } from '../helpers/synth';

// Exact parsing, in nano-units (1 core or 1 byte = 1e9): the only quantity parser of the library.
describe('parseQuantityExact', () => {
  const GIGA = 1_000_000_000n;
  test.each([
    ['500m', GIGA / 2n], ['2', 2n * GIGA], ['1.5', 3n * GIGA / 2n], ['128Mi', 128n * 2n ** 20n * GIGA], ['1Gi', 2n ** 30n * GIGA],
    ['1G', GIGA * GIGA], ['100k', 100_000n * GIGA], ['1e3', 1000n * GIGA], ['.5', GIGA / 2n], [250, 250n * GIGA],
  ])('%s', (q, n) => expect(parseQuantityExact(q as any)).toBe(n));

  test.each([['abc'], ['1 Gi'], ['1gi'], ['']])('%s is not a quantity', (q) => expect(parseQuantityExact(q)).toBeUndefined());
});

describe('wholeMebibytes', () => {
  const mib = (s: Size) => s.toMebibytes();
  test('a whole, positive number of mebibytes a quantity can hold', () => {
    expect(wholeMebibytes(Size.mebibytes(64), mib)).toBe(64);
    expect(wholeMebibytes(Size.gibibytes(8), mib)).toBe(8192);
    expect(wholeMebibytes(Size.mebibytes(MAX_MEBIBYTES), mib)).toBe(MAX_MEBIBYTES);
  });

  test('fractions, zero, sizes beyond 8 Ei (which would render as 1e+21Mi) and non-sizes are not', () => {
    expect(wholeMebibytes(Size.kibibytes(1536), mib)).toBeUndefined();
    expect(wholeMebibytes(Size.mebibytes(0), mib)).toBeUndefined();
    expect(wholeMebibytes(Size.mebibytes(1e21), mib)).toBeUndefined();
    expect(wholeMebibytes(Size.mebibytes(MAX_MEBIBYTES + 1), mib)).toBeUndefined();
    expect(wholeMebibytes('64Mi', (s: any) => s.toMebibytes())).toBeUndefined();
  });
});

describe('sizes too large for a quantity are rejected where they are given, never rendered as 1e+21Mi', () => {
  test.each<[string, () => unknown, string]>([
    ['tmpSizeLimit', () => service({ security: { tmpSizeLimit: Size.mebibytes(1e21) } }), 'security.tmpSizeLimit ("1.024e+24Ki") must be a Size'],
    ['an emptyDir', () => service({ volumes: [PodVolume.emptyDir('v', { sizeLimit: Size.mebibytes(1e21) })], mounts: [{ volume: 'v', path: '/v' }] }),
      'volumes[0].sizeLimit ("1.024e+24Ki") must be a Size'],
    ['a memory limit', () => service({ demands: Demands.guaranteed({ cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(1e21) }) }),
      'demands.requests.memory ("976562500000000000Gi") must be a whole number of mebibytes (at most 8 Ei)'],
    ['a claim', () => new PersistentVolumeClaim(newChart('shop'), 'c', { size: Size.mebibytes(1e21) }), 'size ("1.024e+24Ki") must be a whole, positive number'],
  ])('%s', (_name, build, expected) => {
    expect(errorOf(build)).toContain(expected);
  });

  test('booleans and command lists from JavaScript are type-checked', () => {
    expect(errorOf(() => service({ security: { readOnlyRootFilesystem: 'false' as any } }))).toContain('security.readOnlyRootFilesystem ("false") must be true or false');
    expect(errorOf(() => service({ bindLowPorts: 'yes' as any }))).toContain('bindLowPorts ("yes") must be true or false');
    expect(errorOf(() => service({ health: HealthCheck.exec([1, 2] as any) }))).toContain('health.liveness.command ([1,2]) must be a non-empty list of strings');
  });
});
