import { QosClass } from './demands';
import { parseQuantityExact } from '../core/quantity';

/** The only resources that decide the QoS class. */
const QOS_RESOURCES = ['cpu', 'memory'] as const;
type QosResource = typeof QOS_RESOURCES[number];

/** One cpu or memory request or limit of one container. */
interface Amount {
  /** The value as written. */
  readonly raw: unknown;
  /** Nano-units, or undefined when the value is not a valid quantity. */
  readonly nano?: bigint;
}

/** The cpu and memory requests and limits of one container, after API-server defaulting. */
interface ContainerAmounts {
  /** `container "app"`, `init container "migrate"`. */
  readonly label: string;
  /** Requests as written, plus those defaulted to the limit. */
  readonly requests: Partial<Record<QosResource, Amount>>;
  /** Which requests were defaulted to the limit (not written). */
  readonly defaulted: ReadonlySet<QosResource>;
  /** Limits as written. */
  readonly limits: Partial<Record<QosResource, Amount>>;
}

/**
 * Computes the Quality of Service class of a pod exactly as Kubernetes 1.28 does, from a pod spec
 * as it appears in a manifest, and explains why a spec misses the class it was meant to have.
 *
 * The rules (kubelet `GetPodQOS` / `ComputePodQOS`, applied to the API-server-defaulted pod):
 * - only `cpu` and `memory` count; ephemeral storage, hugepages and extended resources
 *   (e.g. `nvidia.com/gpu`) are ignored;
 * - `containers` and `initContainers` count, `ephemeralContainers` do not;
 * - a container that sets a limit but no request gets the limit as its request;
 * - quantities that are not greater than zero are ignored;
 * - BestEffort: no container requests or limits cpu or memory;
 * - Guaranteed: every container has cpu and memory limits, and per resource the requests summed
 *   over all containers equal the summed limits;
 * - Burstable: anything else.
 *
 * Quantities are compared exactly ("0.1" equals "100m", "1Gi" equals "1024Mi"). A value that is not
 * a valid quantity is ignored like a zero (the API server would reject the pod).
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/
 */
export class PodQos {
  /**
   * The QoS class Kubernetes assigns to a pod with this spec.
   *
   * @param podSpec a pod spec in Kubernetes JSON form: `{ containers, initContainers, ... }`.
   *   Missing or malformed parts count as empty.
   */
  public static classify(podSpec: any): QosClass {
    return classify(containersOf(podSpec));
  }

  /**
   * Why a pod spec is not of class `expected`: one human-readable reason per offending container
   * (e.g. `container "proxy" has no cpu limit`,
   * `init container "migrate": memory limit (512Mi) differs from its request (256Mi)`,
   * `no container requests cpu or memory`). Empty when the pod is of class `expected`.
   *
   * @param podSpec a pod spec in Kubernetes JSON form: `{ containers, initContainers, ... }`.
   * @param expected the class the pod should have.
   */
  public static explain(podSpec: any, expected: QosClass): string[] {
    const containers = containersOf(podSpec);
    const actual = classify(containers);
    if (actual === expected) return [];
    switch (expected) {
      case QosClass.GUARANTEED:
        return containers.length === 0 ? ['the pod has no containers'] : containers.flatMap(whyNotGuaranteed);
      case QosClass.BURSTABLE:
        if (actual === QosClass.GUARANTEED) {
          return ['every container has cpu and memory limits and the summed requests equal the summed limits, so the pod is Guaranteed'];
        }
        return containers.length === 0
          ? ['the pod has no containers']
          : ['no container requests cpu or memory', ...containers.flatMap(ignoredAmounts)];
      case QosClass.BEST_EFFORT:
        return containers.flatMap(whyNotBestEffort);
      default:
        return [`${show(expected)} is not a QoS class (Guaranteed, Burstable or BestEffort); the pod is ${actual}`];
    }
  }

  private constructor() {}
}

/** Kubernetes' algorithm, on defaulted amounts. */
function classify(containers: ContainerAmounts[]): QosClass {
  const requests = new Map<QosResource, bigint>();
  const limits = new Map<QosResource, bigint>();
  let isGuaranteed = true;
  for (const c of containers) {
    for (const r of QOS_RESOURCES) {
      const request = positive(c.requests[r]);
      if (request !== undefined) requests.set(r, (requests.get(r) ?? 0n) + request);
      const limit = positive(c.limits[r]);
      if (limit !== undefined) limits.set(r, (limits.get(r) ?? 0n) + limit);
      else isGuaranteed = false;
    }
  }
  if (requests.size === 0 && limits.size === 0) return QosClass.BEST_EFFORT;
  for (const [r, request] of requests) {
    if (limits.get(r) !== request) isGuaranteed = false;
  }
  return isGuaranteed && requests.size === limits.size ? QosClass.GUARANTEED : QosClass.BURSTABLE;
}

/** The amount in nano-units when it counts (valid and greater than zero). */
function positive(amount: Amount | undefined): bigint | undefined {
  return amount?.nano !== undefined && amount.nano > 0n ? amount.nano : undefined;
}

/** Reads `containers` then `initContainers`, applying the API server's request-from-limit defaulting. */
function containersOf(podSpec: any): ContainerAmounts[] {
  const spec = isObject(podSpec) ? podSpec : {};
  const read = (list: unknown, kind: string): ContainerAmounts[] => (Array.isArray(list) ? list : [])
    .map((container: unknown, i: number) => {
      // A null entry decodes to an empty container in Kubernetes: it still needs limits to be Guaranteed.
      const c: any = isObject(container) ? container : {};
      const label = typeof c.name === 'string' && c.name !== '' ? `${kind} ${JSON.stringify(c.name)}` : `${kind} #${i + 1}`;
      const resources = isObject(c.resources) ? c.resources : {};
      const requests = amountsOf(resources.requests);
      const limits = amountsOf(resources.limits);
      const defaulted = new Set<QosResource>();
      for (const r of QOS_RESOURCES) {
        // Defaulting looks only at whether the request is set, not at its value: a request of "0" stays 0.
        if (requests[r] === undefined && limits[r] !== undefined) {
          requests[r] = limits[r];
          defaulted.add(r);
        }
      }
      return { label, requests, defaulted, limits };
    });
  return [...read(spec.containers, 'container'), ...read(spec.initContainers, 'init container')];
}

/** The cpu and memory entries of a resource list; null or undefined values count as unset. */
function amountsOf(list: unknown): Partial<Record<QosResource, Amount>> {
  const amounts: Partial<Record<QosResource, Amount>> = {};
  if (!isObject(list)) return amounts;
  for (const r of QOS_RESOURCES) {
    if (!Object.prototype.hasOwnProperty.call(list, r)) continue;
    const raw = (list as any)[r];
    if (raw === undefined || raw === null) continue;
    amounts[r] = { raw, nano: parseQuantityExact(raw) };
  }
  return amounts;
}

/** A container's obstacles to Guaranteed: a missing, invalid or non-positive limit, or a request that differs. */
function whyNotGuaranteed(c: ContainerAmounts): string[] {
  const missing: string[] = [];
  const issues: string[] = [];
  for (const r of QOS_RESOURCES) {
    const limit = c.limits[r];
    if (limit === undefined) {
      missing.push(r);
    } else if (limit.nano === undefined) {
      issues.push(`${r} limit (${show(limit.raw)}) is not a valid quantity`);
    } else if (limit.nano <= 0n) {
      issues.push(`${r} limit (${show(limit.raw)}) is not greater than zero`);
    } else {
      const request = c.requests[r] ?? limit;
      if (request.nano === undefined) {
        issues.push(`${r} request (${show(request.raw)}) is not a valid quantity`);
      } else if (request.nano !== limit.nano) {
        issues.push(`${r} limit (${show(limit.raw)}) differs from its request (${show(request.raw)})`);
      }
    }
  }
  if (missing.length > 0) return [[`${c.label} has no ${missing.join(' or ')} limit`, ...issues].join('; ')];
  return issues.length === 0 ? [] : [`${c.label}: ${issues.join('; ')}`];
}

/** The cpu and memory requests and limits a container sets that make the pod more than BestEffort. */
function whyNotBestEffort(c: ContainerAmounts): string[] {
  const set: string[] = [];
  for (const [kind, amounts] of [['request', c.requests], ['limit', c.limits]] as const) {
    for (const r of QOS_RESOURCES) {
      const amount = amounts[r];
      if (amount === undefined || (kind === 'request' && c.defaulted.has(r))) continue;
      if (positive(amount) !== undefined) set.push(`${r} ${kind} ${show(amount.raw)}`);
    }
  }
  return set.length === 0 ? [] : [`${c.label} sets ${listOf(set)}`];
}

/** The cpu and memory requests and limits a container wrote that do not count: invalid, zero or negative. */
function ignoredAmounts(c: ContainerAmounts): string[] {
  const ignored: string[] = [];
  for (const [kind, amounts] of [['request', c.requests], ['limit', c.limits]] as const) {
    for (const r of QOS_RESOURCES) {
      const amount = amounts[r];
      if (amount === undefined || (kind === 'request' && c.defaulted.has(r))) continue;
      if (amount.nano === undefined) ignored.push(`${r} ${kind} (${show(amount.raw)}) is ignored: not a valid quantity`);
      else if (amount.nano <= 0n) ignored.push(`${r} ${kind} (${show(amount.raw)}) is ignored: not greater than zero`);
    }
  }
  return ignored.length === 0 ? [] : [`${c.label}: ${ignored.join('; ')}`];
}

/** "a", "a and b", "a, b and c". */
function listOf(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A value for a message: valid quantities as written (512Mi), anything else quoted ("512 MB"). */
function show(v: unknown): string {
  if (typeof v === 'number' || (typeof v === 'string' && parseQuantityExact(v) !== undefined && v === v.trim())) return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return typeof v === 'bigint' ? `${v}n` : String(v);
  }
}

function isObject(v: unknown): v is { [key: string]: any } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
