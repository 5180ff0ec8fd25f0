import { parseQuantityExact } from '../../src/core/quantity';

// Exact parsing, in nano-units (1 core or 1 byte = 1e9): the only quantity parser of the library.
describe('parseQuantityExact', () => {
  const GIGA = 1_000_000_000n;
  test.each([
    ['500m', GIGA / 2n], ['2', 2n * GIGA], ['1.5', 3n * GIGA / 2n], ['128Mi', 128n * 2n ** 20n * GIGA], ['1Gi', 2n ** 30n * GIGA],
    ['1G', GIGA * GIGA], ['100k', 100_000n * GIGA], ['1e3', 1000n * GIGA], ['.5', GIGA / 2n], [250, 250n * GIGA],
  ])('%s', (q, n) => expect(parseQuantityExact(q as any)).toBe(n));

  test.each([['abc'], ['1 Gi'], ['1gi'], ['']])('%s is not a quantity', (q) => expect(parseQuantityExact(q)).toBeUndefined());
});
