import { Duration, Size } from 'cdk8s';
/** Nano-units in one whole unit (one core, one byte). */
const NANO_PER_UNIT = 1_000_000_000n;
/** Powers of ten of the decimal SI suffixes. */
const DECIMAL_SUFFIX: { [s: string]: number } = { 'n': -9, 'u': -6, 'm': -3, '': 0, 'k': 3, 'M': 6, 'G': 9, 'T': 12, 'P': 15, 'E': 18 };
/** Powers of two of the binary SI suffixes. */
const BINARY_SUFFIX: { [s: string]: bigint } = { Ki: 10n, Mi: 20n, Gi: 30n, Ti: 40n, Pi: 50n, Ei: 60n };
/** sign, whole digits, fraction digits, then a decimal exponent or an SI suffix ("E" alone is exa). */
const EXACT_QUANTITY = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;
/** Exponents beyond this (e.g. "1e99999") are rejected rather than expanded into huge integers. */
const MAX_EXPONENT = 1000;
/** apimachinery caps binary-suffixed quantities at 2^63-1 units. */
const MAX_BINARY_NANO = (2n ** 63n - 1n) * NANO_PER_UNIT;

/**
 * Parses a Kubernetes resource quantity ("500m", "0.1", "1Gi", "1e3", or a number) EXACTLY, to an
 * integer count of nano-units (1 core = 1 byte = 1e9 nano-units), so that equal amounts written
 * differently compare equal ("0.1" and "100m", "1Gi" and "1024Mi") and sums carry no float error.
 *
 * Follows k8s.io/apimachinery `resource.ParseQuantity`: amounts finer than a nano-unit are rounded
 * up (away from zero), so "0.1n" is 1n rather than zero; binary-suffixed amounts are capped at
 * 2^63-1 units. Leading and trailing whitespace is ignored, as the JSON decoder does.
 * Returns undefined when the value is not a valid quantity (or has an exponent beyond ±1000).
 */
export function parseQuantityExact(q: unknown): bigint | undefined {
  let text: string;
  if (typeof q === 'number') {
    if (!Number.isFinite(q)) return undefined;
    text = String(q);
  } else if (typeof q === 'string') {
    text = q.trim();
  } else {
    return undefined;
  }
  const m = EXACT_QUANTITY.exec(text);
  if (!m) return undefined;
  const [, sign, whole, fraction = '', exponent, suffix = ''] = m;
  if (whole === '' && fraction === '') return undefined;
  // The digits as an integer, scaled from units to nano-units and by the fraction's length.
  let digits = BigInt(whole + fraction);
  const power = 9 - fraction.length;
  let magnitude: bigint;
  if (suffix in BINARY_SUFFIX) {
    digits *= 2n ** BINARY_SUFFIX[suffix];
    magnitude = scaleByPowerOfTen(digits, power);
    if (magnitude > MAX_BINARY_NANO) magnitude = MAX_BINARY_NANO;
  } else {
    const e = exponent === undefined ? DECIMAL_SUFFIX[suffix] : Number(exponent);
    if (Math.abs(e) > MAX_EXPONENT) return undefined;
    magnitude = scaleByPowerOfTen(digits, power + e);
  }
  return sign === '-' ? -magnitude : magnitude;
}

/** n * 10^power, rounded up when power is negative. */
function scaleByPowerOfTen(n: bigint, power: number): bigint {
  if (power >= 0) return n * 10n ** BigInt(power);
  const divisor = 10n ** BigInt(-power);
  return (n + divisor - 1n) / divisor;
}

/** A size in KiB as a Kubernetes quantity in its largest whole binary unit: 0, 512Mi, 1Gi, 1536Ki. */
export function formatKibibytes(kib: number): string {
  if (kib === 0) return '0';
  if (kib % (1024 * 1024) === 0) return `${kib / (1024 * 1024)}Gi`;
  if (kib % 1024 === 0) return `${kib / 1024}Mi`;
  return `${kib}Ki`;
}

/** The most mebibytes a Kubernetes quantity of bytes holds (apimachinery caps it at 2^63-1 bytes). */
export const MAX_MEBIBYTES = 2 ** 43 - 1;

/**
 * A size as a whole number of mebibytes, when it is one a Kubernetes quantity can hold (1 Mi to
 * 8 Ei); undefined otherwise (not a size, fractional, zero, or so large it would render as `1e+21Mi`).
 * @internal
 */
export function wholeMebibytes(size: unknown, toMebibytes: (s: any) => number): number | undefined {
  let mib: number;
  try {
    mib = toMebibytes(size);
  } catch {
    return undefined;
  }
  return Number.isSafeInteger(mib) && mib > 0 && mib <= MAX_MEBIBYTES ? mib : undefined;
}

/**
 * The milliseconds of a Duration, or undefined for anything else: not a Duration (a number or a
 * string from JavaScript), or one cdk8s cannot convert (NaN, Infinity).
 * @internal
 */
export function durationMillis(d: unknown): number | undefined {
  if (!(d instanceof Duration)) return undefined;
  try {
    const ms = d.toMilliseconds();
    return Number.isFinite(ms) ? ms : undefined;
  } catch {
    return undefined;
  }
}

/** A duration for a message: `2.5s`, `invalid Duration` (NaN, Infinity), or the value itself when it is no Duration. @internal */
export function showDuration(d: unknown): unknown {
  const ms = durationMillis(d);
  if (ms !== undefined) return `${ms / 1000}s`;
  return d instanceof Duration ? 'invalid Duration' : d;
}

/**
 * A size for a message, in KiB (`1536Ki`, `1.5Ki`), `invalid Size` for one cdk8s cannot convert
 * (NaN, Infinity), or the value itself when it is no Size.
 * @internal
 */
export function showSize(size: unknown): unknown {
  if (!(size instanceof Size)) return size;
  try {
    const kib = size.toKibibytes();
    return Number.isFinite(kib) ? `${kib}Ki` : 'invalid Size';
  } catch {
    return 'invalid Size';
  }
}
