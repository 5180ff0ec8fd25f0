import * as kplus from 'cdk8s-plus-28';
import { KNOWN_PROPS } from '../core/known-props';
import { checkDnsLabel, checkDnsSubdomain } from '../core/names';
import { wholeMebibytes } from '../core/quantity';
import { checkInt, checkKnownKeys, Problems } from '../core/validation';
import { ResourceAmounts } from '../foundational/demands';

/** The batch schedulers a `BatchJob` can be admitted or gang-scheduled by. */
export enum GangSchedulerKind {
  /** Kueue: quota-based admission of whole Jobs (kueue.x-k8s.io). */
  KUEUE = 'Kueue',
  /** Volcano: gang scheduling of a PodGroup (scheduling.volcano.sh). */
  VOLCANO = 'Volcano',
}

/** Options of `GangScheduling.kueue()`. */
export interface KueueOptions {
  /** The LocalQueue of the Job's namespace that admits it (`kueue.x-k8s.io/queue-name`). */
  readonly queueName: string;
  /**
   * A Kueue `WorkloadPriorityClass` for the Job's place in the queue (`kueue.x-k8s.io/priority-class`).
   * @default - the queue's default priority
   */
  readonly priorityClass?: string;
}

/** Options of `GangScheduling.volcano()`. */
export interface VolcanoOptions {
  /**
   * Pods that must be schedulable together before any starts (the gang): at least 1, at most the
   * Job's parallelism.
   * @default - the Job's parallelism
   */
  readonly minMember?: number;
  /**
   * The Volcano Queue the PodGroup belongs to.
   * @default 'default'
   */
  readonly queue?: string;
  /**
   * Resources the whole gang needs before it starts (`minResources`), so that it waits instead of
   * starting a part.
   * @default - none (only the pod count)
   */
  readonly minResources?: ResourceAmounts;
}

/**
 * How a `BatchJob` is admitted by a batch scheduler, for AI/ML, big-data and HPC jobs whose pods
 * must start together or not at all.
 * - `kueue()`: the Job is created suspended and labelled with its LocalQueue; Kueue unsuspends it
 *   once the queue's quota admits all its pods at once. Needs Kueue in the cluster and a
 *   LocalQueue in the namespace.
 * - `volcano()`: a PodGroup (scheduling.volcano.sh/v1beta1) with `minMember`; the pods name it and
 *   `schedulerName: volcano`, which binds none of them until the whole gang fits. Needs Volcano's
 *   scheduler and controllers in the cluster.
 *
 * @see https://kueue.sigs.k8s.io/docs/tasks/run/jobs/
 * @see https://volcano.sh/en/docs/podgroup/
 */
export class GangScheduling {
  /** Admission by Kueue, through the LocalQueue `queueName`. */
  public static kueue(options: KueueOptions): GangScheduling {
    return new GangScheduling(GangSchedulerKind.KUEUE, options);
  }

  /** Gang scheduling by Volcano: a PodGroup of at least `minMember` pods. */
  public static volcano(options: VolcanoOptions = {}): GangScheduling {
    return new GangScheduling(GangSchedulerKind.VOLCANO, options ?? {});
  }

  private constructor(
    /** The scheduler. */
    public readonly kind: GangSchedulerKind,
    private readonly options: any,
  ) {}

  /** The Kueue options. @internal */
  public get _kueue(): KueueOptions {
    return this.options ?? {};
  }

  /** The Volcano options. @internal */
  public get _volcano(): VolcanoOptions {
    return this.options ?? {};
  }

  /** Checks the options against the Job (its parallelism, whether it is suspended). @internal */
  public _validate(problems: Problems, prop: string, parallelism: number, suspend: boolean | undefined): void {
    const iface = this.kind === GangSchedulerKind.KUEUE ? 'KueueOptions' : 'VolcanoOptions';
    checkKnownKeys(problems, `${prop}.`, this.options, KNOWN_PROPS[iface], iface);
    if (this.kind === GangSchedulerKind.KUEUE) {
      const o = this._kueue;
      checkDnsSubdomain(problems, `${prop}.queueName`, o.queueName);
      if (o.priorityClass !== undefined) checkDnsSubdomain(problems, `${prop}.priorityClass`, o.priorityClass);
      problems.check(suspend !== false, 'suspend', suspend, 'must not be false with Kueue: Kueue admits a Job by unsuspending it (the Job is created suspended)');
      return;
    }
    const o = this._volcano;
    checkInt(problems, `${prop}.minMember`, o.minMember, 1);
    if (Number.isInteger(o.minMember)) {
      problems.check(o.minMember! <= parallelism, `${prop}.minMember`, o.minMember,
        `must be at most the Job's parallelism (${parallelism}): a gang larger than the pods that run at once never starts`);
    }
    if (o.queue !== undefined) checkDnsLabel(problems, `${prop}.queue`, o.queue);
    this._minResources(problems, prop);
  }

  /** `minResources` as a quantity map. @internal */
  public _minResources(problems: Problems, prop: string): { [key: string]: string } | undefined {
    const r = this._volcano.minResources;
    if (r === undefined) return undefined;
    const out: { [key: string]: string } = {};
    if (r.cpu !== undefined) {
      if (problems.check(r.cpu instanceof kplus.Cpu, `${prop}.minResources.cpu`, r.cpu, 'must be a Cpu, e.g. Cpu.units(8)')) out.cpu = r.cpu.amount;
    }
    if (r.memory !== undefined) {
      const mib = wholeMebibytes(r.memory, (s) => s.toMebibytes());
      if (problems.check(mib !== undefined, `${prop}.minResources.memory`, r.memory, 'must be a Size of whole, positive mebibytes')) out.memory = `${mib}Mi`;
    }
    problems.check(r.ephemeralStorage === undefined, `${prop}.minResources.ephemeralStorage`, 'Size', 'is not a resource Volcano gangs on (cpu and memory only)');
    return Object.keys(out).length > 0 ? out : undefined;
  }
}
