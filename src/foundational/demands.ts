import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { isQualifiedName } from '../core/names';
import { formatKibibytes, parseQuantityExact, showSize, wholeMebibytes } from '../core/quantity';
import { Problems } from '../core/validation';

/**
 * The Quality of Service class Kubernetes assigns to a pod from its containers' resources.
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/
 */
export enum QosClass {
  /** Every container has cpu and memory limits equal to its requests. Evicted last. */
  GUARANTEED = 'Guaranteed',
  /** At least one container has a cpu or memory request or limit, but the pod is not Guaranteed. */
  BURSTABLE = 'Burstable',
  /** No container has any cpu or memory request or limit. Evicted first. */
  BEST_EFFORT = 'BestEffort',
}

/** Amounts of compute resources. */
export interface ResourceAmounts {
  /**
   * CPU, e.g. `Cpu.millis(250)`.
   * @default - none
   */
  readonly cpu?: kplus.Cpu;
  /**
   * Memory, e.g. `Size.mebibytes(256)`.
   * @default - none
   */
  readonly memory?: Size;
  /**
   * Ephemeral (node-local) storage, e.g. `Size.gibibytes(1)`: the container's logs and writable
   * layer, and the disk-backed emptyDirs of the pod count against the sum of its containers' limits.
   * @default - requests 128Mi, limits 1Gi (or the other amount given, when it is beyond them)
   */
  readonly ephemeralStorage?: Size;
}

/** Options for `Demands.guaranteed()`. */
export interface GuaranteedDemandsOptions {
  /** CPU request and limit. */
  readonly cpu: kplus.Cpu;
  /** Memory request and limit. */
  readonly memory: Size;
  /**
   * Ephemeral storage request and limit.
   * @default - requests 128Mi, limits 1Gi (ephemeral storage does not decide the QoS class)
   */
  readonly ephemeralStorage?: Size;
  /**
   * Extended resources (devices), e.g. `{ 'nvidia.com/gpu': 1 }`: whole numbers, request = limit.
   * They go to the main container only (a sidecar must not claim a device) and do not affect the
   * QoS class.
   * @default - none
   */
  readonly extendedResources?: { [name: string]: number };
}

/** Options for `Demands.burstable()`. */
export interface BurstableDemandsOptions {
  /** What the scheduler reserves for the container. At least cpu or memory. */
  readonly requests: ResourceAmounts;
  /**
   * The most the container may use. Each limit must be at least its request.
   * @default - no limits
   */
  readonly limits?: ResourceAmounts;
  /**
   * Extended resources (devices), e.g. `{ 'nvidia.com/gpu': 1 }`: whole numbers, request = limit,
   * main container only.
   * @default - none
   */
  readonly extendedResources?: { [name: string]: number };
}

/**
 * Predictable Demands: the resources of a container, chosen by the QoS tier it should land in.
 *
 * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
 */
export class Demands {
  /**
   * Guaranteed QoS: requests equal limits for cpu and memory. The pod is evicted last under node
   * pressure.
   */
  public static guaranteed(options: GuaranteedDemandsOptions): Demands {
    const o = options ?? ({} as GuaranteedDemandsOptions);
    const amounts = { cpu: o.cpu, memory: o.memory, ephemeralStorage: o.ephemeralStorage };
    return new Demands(QosClass.GUARANTEED, amounts, amounts, o.extendedResources);
  }

  /** Burstable QoS: requests, and optionally higher limits. */
  public static burstable(options: BurstableDemandsOptions): Demands {
    return new Demands(QosClass.BURSTABLE, options?.requests ?? {}, options?.limits ?? {}, options?.extendedResources);
  }

  /**
   * BestEffort QoS: no cpu or memory requests or limits at all. The pod is evicted first. Ephemeral
   * storage keeps its default (it does not decide the QoS class).
   */
  public static bestEffort(): Demands {
    return new Demands(QosClass.BEST_EFFORT, {}, {});
  }

  /**
   * The library default: Burstable with cpu 100m / memory 128Mi / ephemeral storage 128Mi
   * requested and cpu 500m / memory 256Mi / ephemeral storage 1Gi as limits. Explicit, so that
   * cdk8s-plus-28's own defaults (1000m/1500m cpu, 512Mi/2048Mi memory) never apply silently.
   */
  public static libraryDefault(): Demands {
    return Demands.burstable({
      requests: { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(128) },
      limits: { cpu: kplus.Cpu.millis(500), memory: Size.mebibytes(256) },
    });
  }

  private constructor(
    /** The QoS tier these demands ask for. */
    public readonly qosClass: QosClass,
    private readonly requests: ResourceAmounts,
    private readonly limits: ResourceAmounts,
    private readonly extended?: { [name: string]: number },
  ) {}

  /**
   * Whether these demands include extended resources.
   * @internal
   */
  public get _hasExtended(): boolean {
    return this.extended !== undefined && Object.keys(this.extended).length > 0;
  }

  /**
   * The ephemeral storage request and limit in force: the given ones, or the defaults (request
   * 128Mi, limit 1Gi), never a default below a given request or above a given limit.
   * @internal
   */
  public _ephemeralStorage(): { request: Size; limit: Size } {
    const req = this.requests?.ephemeralStorage;
    const lim = this.limits?.ephemeralStorage;
    const mib = (v: Size) => wholeMebibytes(v, (x: Size) => x.toMebibytes()) ?? 0;
    const request = req ?? (lim !== undefined && mib(lim) < mib(DEFAULT_EPHEMERAL_REQUEST) ? lim : DEFAULT_EPHEMERAL_REQUEST);
    const limit = lim ?? (req !== undefined && mib(req) > mib(DEFAULT_EPHEMERAL_LIMIT) ? req : DEFAULT_EPHEMERAL_LIMIT);
    return { request, limit };
  }

  /**
   * The resource requirements of a container in L1 shape, ephemeral storage always included, and
   * extended resources for the main container (cdk8s-plus-28 can express neither in MiB nor devices).
   * @internal
   */
  public _toL1Resources(withExtended: boolean = true): kplus.k8s.ResourceRequirements {
    const storage = this._ephemeralStorage();
    const map = (a: ResourceAmounts, ephemeral: Size) => {
      const out: { [k: string]: kplus.k8s.Quantity } = {};
      if (a.cpu) out.cpu = kplus.k8s.Quantity.fromString(quantity(a.cpu)!);
      if (a.memory) out.memory = kplus.k8s.Quantity.fromString(`${a.memory.toMebibytes()}Mi`);
      out['ephemeral-storage'] = kplus.k8s.Quantity.fromString(formatSize(ephemeral));
      if (withExtended) for (const [k, v] of Object.entries(this.extended ?? {})) out[k] = kplus.k8s.Quantity.fromNumber(v);
      return out;
    };
    return { requests: map(this.requests, storage.request), limits: map(this.limits, storage.limit) };
  }

  /**
   * Checks the amounts: limits not below requests; a Burstable tier that requests something.
   * @internal
   */
  public _validate(problems: Problems, prop: string): void {
    // Types first (JavaScript callers): cpu is a Cpu, the rest are Sizes.
    for (const [kind, amounts] of [['requests', this.requests], ['limits', this.limits]] as const) {
      if (amounts === null || typeof amounts !== 'object') {
        problems.add(`${prop}.${kind}`, amounts, 'must be an object of amounts');
        continue;
      }
      if (amounts.cpu !== undefined && !(amounts.cpu instanceof kplus.Cpu)) problems.add(`${prop}.${kind}.cpu`, amounts.cpu, 'must be a Cpu, e.g. Cpu.millis(250)');
      for (const r of ['memory', 'ephemeralStorage'] as const) {
        if (amounts[r] !== undefined && !(amounts[r] instanceof Size)) problems.add(`${prop}.${kind}.${r}`, amounts[r], 'must be a Size, e.g. Size.mebibytes(256)');
      }
    }
    if (this.extended !== undefined) {
      if (this.extended === null || typeof this.extended !== 'object') {
        problems.add(`${prop}.extendedResources`, this.extended, 'must be a map of resource names to whole numbers');
      } else {
        for (const [k, v] of Object.entries(this.extended)) {
          // Kubernetes' IsExtendedResourceName: not native (no "/", or a kubernetes.io/ name), no
          // "requests." prefix, and "requests.<name>" must be a qualified name.
          const ok = typeof k === 'string' && k.includes('/') && !k.includes('kubernetes.io/') && !k.startsWith('requests.')
            && isQualifiedName(`requests.${k}`);
          problems.check(ok, `${prop}.extendedResources key`, k,
            'must be an extended resource name: <domain>/<name> outside kubernetes.io, e.g. "nvidia.com/gpu" (name at most 63 characters)');
          problems.check(Number.isSafeInteger(v) && v > 0, `${prop}.extendedResources["${k}"]`, v, 'must be a whole number greater than zero');
        }
      }
    }
    if (this.qosClass === QosClass.GUARANTEED) {
      problems.check(this.requests.cpu !== undefined, `${prop}.cpu`, undefined, 'is required for the Guaranteed tier');
      problems.check(this.requests.memory !== undefined, `${prop}.memory`, undefined, 'is required for the Guaranteed tier');
    }
    if (!problems.isEmpty) return;
    // Memory and ephemeral storage render in whole MiB.
    const units: Array<[keyof ResourceAmounts, (s: Size) => number, string]> = [
      ['memory', (s) => s.toMebibytes(), 'a whole number of mebibytes (at most 8 Ei)'],
      ['ephemeralStorage', (s) => s.toMebibytes(), 'a whole number of mebibytes (at most 8 Ei)'],
    ];
    for (const [r, convert, rule] of units) {
      for (const [kind, amounts] of [['requests', this.requests], ['limits', this.limits]] as const) {
        const v = amounts[r] as Size | undefined;
        if (v === undefined) continue;
        if (wholeMebibytes(v, convert) === undefined) problems.add(`${prop}.${kind}.${r}`, shownSize(v), `must be ${rule}`);
      }
    }
    if (!problems.isEmpty) return;
    const storage = this._ephemeralStorage();
    const effective = {
      requests: { ...this.requests, ephemeralStorage: storage.request },
      limits: { ...this.limits, ephemeralStorage: storage.limit },
    };
    for (const r of ['cpu', 'memory', 'ephemeralStorage'] as const) {
      const req = quantity(effective.requests[r]);
      const lim = quantity(effective.limits[r]);
      if (req !== undefined) problems.check(amount(req) > 0n, `${prop}.requests.${r}`, req, 'must be greater than zero');
      if (lim !== undefined) problems.check(amount(lim) > 0n, `${prop}.limits.${r}`, lim, 'must be greater than zero');
      if (req !== undefined && lim !== undefined) {
        problems.check(amount(lim) >= amount(req), `${prop}.limits.${r}`, lim, `must not be lower than the request (${req})`);
      }
    }
    if (this.qosClass === QosClass.BURSTABLE) {
      const any = ['cpu', 'memory'].some((r) => (this.requests as any)[r] !== undefined || (this.limits as any)[r] !== undefined);
      problems.check(any, `${prop}.requests`, this.requests, 'must set cpu or memory for the Burstable tier (use Demands.bestEffort() for none)');
    }
  }

  /**
   * The kplus container resources.
   * @internal
   */
  public _toResources(): kplus.ContainerResources {
    const pair = <T>(req?: T, lim?: T) => (req === undefined && lim === undefined ? undefined : { request: req, limit: lim });
    return {
      cpu: pair(this.requests.cpu, this.limits.cpu),
      memory: pair(this.requests.memory, this.limits.memory),
    };
  }
}

/** The ephemeral storage every container requests, and its limit, unless the demands say otherwise. */
const DEFAULT_EPHEMERAL_REQUEST = Size.mebibytes(128);
const DEFAULT_EPHEMERAL_LIMIT = Size.gibibytes(1);

function quantity(v: kplus.Cpu | Size | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v instanceof Size) return formatSize(v);
  return String((v as kplus.Cpu).amount);
}

/** A quantity in exact nano-units; an unparsable one counts as zero (never greater than zero). */
function amount(q: string): bigint {
  return parseQuantityExact(q) ?? 0n;
}

/** A size for a message: as `formatSize` writes it, or `invalid Size` for one cdk8s cannot convert (NaN, Infinity). */
function shownSize(v: Size): unknown {
  try {
    if (Number.isFinite(v.toKibibytes())) return formatSize(v);
  } catch {
    // fall through
  }
  return showSize(v);
}

/** A size as a Kubernetes quantity in its largest whole binary unit: 512Mi, 1Gi, 1536Ki. */
function formatSize(v: Size): string {
  return formatKibibytes(v.toKibibytes());
}
