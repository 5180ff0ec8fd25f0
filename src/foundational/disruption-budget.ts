import { INT32_MAX, Problems } from '../core/validation';

enum BudgetKind { MIN_AVAILABLE = 'minAvailable', MAX_UNAVAILABLE = 'maxUnavailable', NONE = 'none' }

/**
 * How many pods voluntary disruptions (node drains, upgrades) may take down at once.
 * One of minAvailable or maxUnavailable, never both; never one that blocks every eviction.
 * @see https://kubernetes.io/docs/tasks/run-application/configure-pdb/
 */
export class DisruptionBudget {
  /** At most `count` pods may be unavailable. Must be at least 1. */
  public static maxUnavailable(count: number): DisruptionBudget {
    return new DisruptionBudget(BudgetKind.MAX_UNAVAILABLE, count, false);
  }

  /** At most `percent` % of the pods (rounded up) may be unavailable. 1 to 100. */
  public static maxUnavailablePercent(percent: number): DisruptionBudget {
    return new DisruptionBudget(BudgetKind.MAX_UNAVAILABLE, percent, true);
  }

  /** At least `count` pods must stay available. Must be below the replica count. */
  public static minAvailable(count: number): DisruptionBudget {
    return new DisruptionBudget(BudgetKind.MIN_AVAILABLE, count, false);
  }

  /** At least `percent` % of the pods (rounded up) must stay available. 0 to 99. */
  public static minAvailablePercent(percent: number): DisruptionBudget {
    return new DisruptionBudget(BudgetKind.MIN_AVAILABLE, percent, true);
  }

  /** No PodDisruptionBudget: an explicit opt-out. */
  public static none(): DisruptionBudget {
    return new DisruptionBudget(BudgetKind.NONE, 0, false);
  }

  private constructor(
    private readonly kind: BudgetKind,
    private readonly amount: number,
    private readonly percent: boolean,
  ) {}

  /**
   * The PDB spec fields for a workload of `replicas` pods, or undefined for none. Records a
   * problem for a budget that blocks every eviction or is out of range.
   * @internal
   */
  public _render(replicas: number, problems: Problems, prop: string): { [k: string]: any } | undefined {
    if (this.kind === BudgetKind.NONE) return undefined;
    const value = this.percent && typeof this.amount === 'number' ? `${this.amount}%` : this.amount;
    const ok = Number.isInteger(this.amount);
    if (this.kind === BudgetKind.MAX_UNAVAILABLE) {
      problems.check(ok && this.amount >= 1 && this.amount <= (this.percent ? 100 : INT32_MAX), `${prop}.maxUnavailable`, value,
        this.percent ? 'must be from 1% to 100% (0 blocks every eviction)' : `must be at least 1 (0 blocks every eviction) and at most ${INT32_MAX}`);
    } else if (this.percent) {
      // Kubernetes rounds minAvailable percentages up: 75% of 2 pods is 2, which allows no eviction.
      const needed = ok ? Math.ceil((this.amount * replicas) / 100) : 0;
      if (problems.check(ok && this.amount >= 0 && this.amount < 100, `${prop}.minAvailable`, value, 'must be from 0% to 99% (100% blocks every eviction)')) {
        problems.check(needed < replicas, `${prop}.minAvailable`, value,
          `must leave at least one of ${replicas} replicas evictable (Kubernetes rounds up to ${needed}), or it blocks every eviction`);
      }
    } else {
      problems.check(ok && this.amount >= 0 && this.amount < replicas, `${prop}.minAvailable`, value,
        `must be less than replicas (${replicas}), or it blocks every eviction`);
    }
    return { [this.kind]: value };
  }
}
