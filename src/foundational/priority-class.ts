import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { deferConstruction, registerAppChecks } from '../core/app-checks';
import { KNOWN_PROPS } from '../core/known-props';
import { standardLabels } from '../core/labels';
import { checkDnsSubdomain, defaultNameFromId, namePropOf } from '../core/names';
import { makeClusterScoped } from '../core/scope';
import { addSynthValidation } from '../core/synth-session';
import { checkKnownKeys, isInt, Problems } from '../core/validation';

/**
 * Whether pods of a priority class may evict (preempt) lower-priority pods to get scheduled.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/#non-preempting-priority-class
 */
export enum PreemptionPolicy {
  /** Pending pods of this class may evict lower-priority pods to make room (the Kubernetes default). */
  PREEMPT_LOWER_PRIORITY = 'PreemptLowerPriority',
  /**
   * Pods of this class are placed ahead of lower-priority pods in the scheduling queue, but never
   * evict running pods: they wait for room to free up.
   */
  NEVER = 'Never',
}

/** Props of a `PriorityClass`. */
export interface PriorityClassProps {
  /**
   * The priority pods of this class receive: a higher value is scheduled first and evicted last.
   * An integer from -2147483648 to 1000000000; higher values are reserved for the built-in
   * `system-` classes. Immutable: Kubernetes rejects a change after creation (use a new name).
   */
  readonly value: number;
  /**
   * Name of the PriorityClass, which pods refer to in `priorityClassName`. A DNS-1123 subdomain
   * of at most 63 characters (it is also a label value) that does not start with `system-`
   * (reserved for Kubernetes).
   * @default - the construct id in kebab-case (`BusinessCritical` becomes `business-critical`)
   */
  readonly name?: string;
  /**
   * Whether pods without a `priorityClassName` get this class. At most one PriorityClass in the
   * app may be the global default.
   * @default false
   */
  readonly globalDefault?: boolean;
  /**
   * Whether pending pods of this class may evict lower-priority pods. Immutable after creation.
   * @default PreemptionPolicy.PREEMPT_LOWER_PRIORITY
   */
  readonly preemptionPolicy?: PreemptionPolicy;
  /**
   * Guidance for users on when to use this class.
   * @default - no description
   */
  readonly description?: string;
}

/** The highest value a user-defined PriorityClass may have (larger values are for `system-` classes). */
const HIGHEST_USER_PRIORITY = 1_000_000_000;
/** The lowest value of a PriorityClass (int32). */
const LOWEST_PRIORITY = -(2 ** 31);

const GLOBAL_DEFAULT = Symbol.for('cdk8s-patterns.priority-class.global-default');

/**
 * A PriorityClass (scheduling.k8s.io/v1): a named scheduling priority. The scheduler places pods
 * of higher priority first and, unless the class says `PreemptionPolicy.NEVER`, evicts
 * lower-priority pods to make room for them; under node pressure the kubelet evicts them last.
 *
 * A PriorityClass is cluster-scoped: it carries no namespace even inside a Chart that has one.
 *
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/
 *
 * @example
 * const critical = new PriorityClass(chart, 'BusinessCritical', {
 *   value: 100000,
 *   preemptionPolicy: PreemptionPolicy.NEVER,
 * });
 * // pods refer to it by critical.name
 */
export class PriorityClass extends Construct {
  /**
   * Built-in class for pods that must run on every node (e.g. kube-proxy, CNI agents):
   * use as a workload's priorityClassName.
   */
  public static readonly SYSTEM_NODE_CRITICAL = 'system-node-critical';
  /**
   * Built-in class for cluster-critical add-ons (e.g. CoreDNS, metrics-server):
   * use as a workload's priorityClassName.
   */
  public static readonly SYSTEM_CLUSTER_CRITICAL = 'system-cluster-critical';

  /** Name of the PriorityClass, for a pod's `priorityClassName`. */
  public readonly name!: string;
  /** The PriorityClass object. */
  public readonly apiObject!: ApiObject;

  constructor(scope: Construct, id: string, props: PriorityClassProps) {
    super(scope, id);
    try {
      const p: PriorityClassProps = props ?? ({} as PriorityClassProps);
      const problems = new Problems(this);
      checkKnownKeys(problems, '', props, KNOWN_PROPS.PriorityClassProps, 'PriorityClassProps');

      this.name = p.name ?? defaultNameFromId(id);
      const nameProp = namePropOf(p.name);
      if (typeof this.name !== 'string') {
        problems.add(nameProp, this.name, 'must be a string');
      } else {
        checkDnsSubdomain(problems, nameProp, this.name);
        problems.check(this.name.length <= 63, nameProp, this.name,
          'must be at most 63 characters (it is also the value of the app.kubernetes.io/name label)');
        problems.check(!this.name.startsWith('system-'), nameProp, this.name,
          'must not start with "system-": the prefix is reserved for the classes built into Kubernetes');
      }

      problems.check(
        isInt(p.value) && p.value >= LOWEST_PRIORITY && p.value <= HIGHEST_USER_PRIORITY, 'value', p.value,
        `must be an integer from ${LOWEST_PRIORITY} to ${HIGHEST_USER_PRIORITY} (higher values are reserved for the system- classes)`,
      );
      const globalDefault = p.globalDefault ?? false;
      problems.check(typeof globalDefault === 'boolean', 'globalDefault', globalDefault, 'must be true or false');
      const preemptionPolicy = p.preemptionPolicy ?? PreemptionPolicy.PREEMPT_LOWER_PRIORITY;
      problems.check(Object.values(PreemptionPolicy).includes(preemptionPolicy), 'preemptionPolicy', preemptionPolicy,
        'must be PreemptionPolicy.PREEMPT_LOWER_PRIORITY or PreemptionPolicy.NEVER');
      problems.check(p.description === undefined || typeof p.description === 'string', 'description', p.description,
        'must be a string');
      problems.throwIfAny();

      this.apiObject = new kplus.k8s.KubePriorityClass(this, 'Resource', {
        metadata: {
          name: this.name,
          labels: standardLabels({ name: this.name, instance: this.name }),
        },
        value: p.value,
        globalDefault,
        preemptionPolicy,
        description: p.description,
      });
      makeClusterScoped(this.apiObject);
      if (globalDefault) Object.defineProperty(this, GLOBAL_DEFAULT, { value: true });

      registerAppChecks(this);
      addSynthValidation(this, () => this.validateGlobalDefault());
    } catch (e) {
      return deferConstruction(this, e);
    }
  }

  /** At most one global default per app: the later ones report the first. */
  private validateGlobalDefault(): string[] {
    if (!(this as any)[GLOBAL_DEFAULT]) return [];
    const defaults = this.node.root.node.findAll().filter((c: IConstruct) => (c as any)[GLOBAL_DEFAULT] === true);
    const first = defaults[0];
    if (first === undefined || first === this) return [];
    const firstName = (first as PriorityClass).name;
    return [`globalDefault (true) must be set on at most one PriorityClass in the app: PriorityClass "${firstName}" at ${first.node.path} is already the global default`];
  }
}


