import { parseQuantity } from '../../src/core/quantity';

describe('parseQuantity', () => {
  test.each([
    ['500m', 0.5], ['2', 2], ['1.5', 1.5], ['128Mi', 128 * 2 ** 20], ['1Gi', 2 ** 30], ['1G', 1e9],
    ['100k', 1e5], ['1e3', 1000], ['.5', 0.5], [250, 250],
  ])('%s = %d', (q, n) => expect(parseQuantity(q as any)).toBeCloseTo(n as number));

  test.each([['abc'], ['1 Gi'], ['1gi'], ['']])('%s is not a quantity', (q) => expect(parseQuantity(q)).toBeUndefined());
});
