import * as kplus from 'cdk8s-plus-28';
import {
  checkInt, checkPercentOrAbsolute, formatProblem, INT32_MAX, lowerFirst, PatternValidationError, Problems, renderValue,
} from '../../src/core/validation';

describe('renderValue', () => {
  test.each([
    ['a', '"a"'], [5, '5'], [true, 'true'], [undefined, 'undefined'], [null, 'null'], [{ a: 1 }, '{"a":1}'], [[1, 2], '[1,2]'],
  ])('%j renders as %s', (v, out) => expect(renderValue(v)).toBe(out));

  test('long values are cut, never [object Object]', () => {
    const out = renderValue({ long: 'x'.repeat(200) });
    expect(out.length).toBe(120);
    expect(out.endsWith('...')).toBe(true);
  });
});

describe('Problems', () => {
  test('collects every problem and throws them at once, with path, prop, value and rule', () => {
    // GIVEN two problems and one passing check
    const problems = new Problems('shop/api');
    expect(problems.check(true, 'a', 1, 'never reported')).toBe(true);
    expect(problems.check(false, 'replicas', -1, 'must be >= 0')).toBe(false);
    problems.add('image', 'nginx', 'must be pinned');
    // THEN they are all listed, once
    expect(problems.isEmpty).toBe(false);
    expect(problems.messages()).toEqual(['replicas (-1) must be >= 0', 'image ("nginx") must be pinned']);
    let error: unknown;
    try {
      problems.throwIfAny();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PatternValidationError);
    expect((error as Error).message).toBe(
      'cdk8s-patterns: 2 invalid values:\n  - shop/api: replicas (-1) must be >= 0\n  - shop/api: image ("nginx") must be pinned');
    expect((error as PatternValidationError).problems.map(formatProblem)).toEqual([
      'shop/api: replicas (-1) must be >= 0', 'shop/api: image ("nginx") must be pinned',
    ]);
  });

  test('throws nothing when empty', () => {
    expect(() => new Problems('x').throwIfAny()).not.toThrow();
  });

  test('the same problem found by two checks of one value is listed once; the same rule for another value is not', () => {
    const problems = new Problems('shop/config');
    problems.add('name', 'Config', 'must be a DNS-1123 label');
    problems.add('name', 'Config', 'must be a DNS-1123 label');
    problems.add('name', 'Other', 'must be a DNS-1123 label');
    expect(problems.messages()).toEqual(['name ("Config") must be a DNS-1123 label', 'name ("Other") must be a DNS-1123 label']);
  });
});

describe('checkInt', () => {
  const run = (v: any, min: number, max?: number) => {
    const p = new Problems('x');
    checkInt(p, 'n', v, min, max);
    return p.messages();
  };
  test('undefined and in-range integers pass', () => {
    expect(run(undefined, 0)).toEqual([]);
    expect(run(INT32_MAX, 0)).toEqual([]);
    expect(run(5, 1, 10)).toEqual([]);
  });
  test('fractions, strings, out-of-range and int32 overflow fail', () => {
    expect(run(1.5, 0)).toEqual(['n (1.5) must be an integer']);
    expect(run('3', 0)).toEqual(['n ("3") must be an integer']);
    expect(run(11, 1, 10)).toEqual(['n (11) must be between 1 and 10']);
    expect(run(INT32_MAX + 1, 0)).toEqual([`n (${INT32_MAX + 1}) must be >= 0 (and at most ${INT32_MAX})`]);
  });
});

describe('checkPercentOrAbsolute', () => {
  const run = (v: kplus.PercentOrAbsolute) => {
    const p = new Problems('x');
    return { ok: checkPercentOrAbsolute(p, 'maxSurge', v), messages: p.messages() };
  };
  test('percentages up to 100 and non-negative integers pass', () => {
    expect(run(kplus.PercentOrAbsolute.percent(100)).ok).toBe(true);
    expect(run(kplus.PercentOrAbsolute.absolute(0)).ok).toBe(true);
  });
  test('over 100 % and negative numbers fail', () => {
    expect(run(kplus.PercentOrAbsolute.percent(101)).messages).toEqual(['maxSurge ("101%") must be a percentage from 0% to 100%']);
    expect(run(kplus.PercentOrAbsolute.absolute(-1)).messages).toEqual(['maxSurge (-1) must be a non-negative integer']);
  });
});

test('lowerFirst turns a kind into a prop name', () => {
  expect(lowerFirst('RollingUpdate')).toBe('rollingUpdate');
  expect(lowerFirst('')).toBe('');
});
