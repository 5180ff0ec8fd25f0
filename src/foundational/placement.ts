import { k8s } from 'cdk8s-plus-28';
import { checkLabelKey, checkLabels, checkLabelValue } from '../core/names';
import { checkInt, Problems } from '../core/validation';

/** What a taint does to pods that do not tolerate it. */
export enum TaintEffect {
  /** New pods are not scheduled on the node. */
  NO_SCHEDULE = 'NoSchedule',
  /** The scheduler avoids the node if it can. */
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  /** New pods are not scheduled, and running pods are evicted. */
  NO_EXECUTE = 'NoExecute',
}

/** How a toleration matches a taint. */
export enum TolerationOperator {
  /** The taint's key and value must equal the toleration's. */
  EQUAL = 'Equal',
  /** Any value of the key matches; with no key, every taint matches. */
  EXISTS = 'Exists',
}

/**
 * A toleration of node taints.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
 */
export interface Toleration {
  /**
   * The taint key. Leave it out, with operator EXISTS, to tolerate every taint.
   * @default - every key (requires TolerationOperator.EXISTS)
   */
  readonly key?: string;
  /**
   * How the toleration matches.
   * @default TolerationOperator.EQUAL
   */
  readonly operator?: TolerationOperator;
  /**
   * The taint value (with EQUAL only).
   * @default ''
   */
  readonly value?: string;
  /**
   * The taint effect to tolerate.
   * @default - every effect
   */
  readonly effect?: TaintEffect;
  /**
   * With NO_EXECUTE: how long the pod stays on a node after the taint appears.
   * @default - forever
   */
  readonly tolerationSeconds?: number;
}

/** Operators of a node selector requirement. */
export enum NodeOperator {
  /** The label's value is one of `values`. */
  IN = 'In',
  /** The label's value is none of `values` (or the label is absent). */
  NOT_IN = 'NotIn',
  /** The label is present. */
  EXISTS = 'Exists',
  /** The label is absent. */
  DOES_NOT_EXIST = 'DoesNotExist',
  /** The label's value, as an integer, is greater than the single value. */
  GT = 'Gt',
  /** The label's value, as an integer, is less than the single value. */
  LT = 'Lt',
}

/** One requirement on a node's labels. */
export interface NodeRequirement {
  /** The node label key, e.g. `topology.kubernetes.io/zone`. */
  readonly key: string;
  /** How the label is compared. */
  readonly operator: NodeOperator;
  /**
   * Values: one or more for IN / NOT_IN, exactly one integer for GT / LT, none for EXISTS /
   * DOES_NOT_EXIST.
   * @default - none
   */
  readonly values?: string[];
}

/** A weighted node preference. */
export interface NodePreference {
  /** Weight from 1 to 100; the scheduler adds it to a node's score when all requirements hold. */
  readonly weight: number;
  /** Requirements that must all hold for the node to get the weight. */
  readonly requirements: NodeRequirement[];
}

/** Options of a spread preset. */
export interface SpreadOptions {
  /**
   * The most the pod count may differ between two topology domains.
   * @default 1
   */
  readonly maxSkew?: number;
  /**
   * Refuse to schedule a pod rather than exceed maxSkew (DoNotSchedule). The default only
   * prefers the spread (ScheduleAnyway), so a small or uneven cluster can still run the pods.
   * @default false
   */
  readonly required?: boolean;
}

/** The topology domains of a spread. */
enum SpreadScope { HOSTS = 'hosts', ZONES = 'zones', ZONES_AND_HOSTS = 'zonesAndHosts', NONE = 'none' }

const HOSTNAME = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';

/**
 * Spread presets: topologySpreadConstraints over the pods of one Deployment (track).
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
 */
export class Spread {
  /** Spread across nodes (`kubernetes.io/hostname`). */
  public static hosts(options: SpreadOptions = {}): Spread {
    return new Spread(SpreadScope.HOSTS, options ?? {});
  }

  /** Spread across zones (`topology.kubernetes.io/zone`). */
  public static zones(options: SpreadOptions = {}): Spread {
    return new Spread(SpreadScope.ZONES, options ?? {});
  }

  /** Spread across zones, and within them across nodes. */
  public static zonesAndHosts(options: SpreadOptions = {}): Spread {
    return new Spread(SpreadScope.ZONES_AND_HOSTS, options ?? {});
  }

  /** No spread constraints: an explicit opt-out. */
  public static none(): Spread {
    return new Spread(SpreadScope.NONE, {});
  }

  private constructor(private readonly scope: SpreadScope, private readonly options: SpreadOptions) {}

  /**
   * The constraints for pods selected by `selector`, recording problems.
   * @internal
   */
  public _render(
    selector: { [key: string]: string }, problems: Problems, prop: string, matchLabelKeys: string[] = ['pod-template-hash'],
  ): k8s.TopologySpreadConstraint[] {
    checkInt(problems, `${prop}.maxSkew`, this.options.maxSkew, 1);
    const keys = this.scope === SpreadScope.HOSTS ? [HOSTNAME]
      : this.scope === SpreadScope.ZONES ? [ZONE]
        : this.scope === SpreadScope.ZONES_AND_HOSTS ? [ZONE, HOSTNAME] : [];
    return keys.map((topologyKey) => ({
      maxSkew: this.options.maxSkew ?? 1,
      topologyKey,
      whenUnsatisfiable: this.options.required === true ? 'DoNotSchedule' : 'ScheduleAnyway',
      labelSelector: { matchLabels: selector },
      // Spread each rollout's (or Job run's) pods on their own, not old and new ones together (1.27+).
      ...(matchLabelKeys.length > 0 ? { matchLabelKeys: [...matchLabelKeys] } : {}),
    }));
  }
}

/**
 * Automated Placement: where the scheduler may and should put a workload's pods.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/
 */
export interface PlacementOptions {
  /**
   * Node labels a node must carry (all of them).
   * @default - any node
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Requirements a node must meet (all of them: one node selector term).
   * @default - none
   */
  readonly requiredNodeAffinity?: NodeRequirement[];
  /**
   * Weighted node preferences.
   * @default - none
   */
  readonly preferredNodeAffinity?: NodePreference[];
  /**
   * Taints the pods tolerate.
   * @default - none
   */
  readonly tolerations?: Toleration[];
  /**
   * How the pods of each Deployment spread across topology domains.
   * @default - Spread.hosts() (preferred, maxSkew 1) for more than one replica, none for one
   */
  readonly spread?: Spread;
  /**
   * Prefer not to put two pods of the same Deployment on one node (soft pod anti-affinity),
   * in addition to any spread.
   * @default false
   */
  readonly preferSeparateHosts?: boolean;
}

/** The pod spec fields of a placement, as L1 values. @internal */
export interface RenderedPlacement {
  readonly nodeSelector?: { [key: string]: string };
  readonly affinity?: k8s.Affinity;
  readonly tolerations?: k8s.Toleration[];
  readonly topologySpreadConstraints?: k8s.TopologySpreadConstraint[];
}

/**
 * Validates placement options and renders them for the pods selected by `selector`.
 * @internal
 */
export function renderPlacement(
  options: PlacementOptions | undefined, replicas: number, selector: { [key: string]: string }, problems: Problems, prop: string,
  matchLabelKeys?: string[],
): RenderedPlacement {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    problems.add(prop, options, 'must be an object of placement options');
    return {};
  }
  const o = options ?? {};
  const list = <T>(key: keyof PlacementOptions): T[] => {
    const v = o[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      problems.add(`${prop}.${key}`, v, 'must be a list');
      return [];
    }
    return v as T[];
  };
  if (o.nodeSelector !== undefined && (o.nodeSelector === null || typeof o.nodeSelector !== 'object' || Array.isArray(o.nodeSelector))) {
    problems.add(`${prop}.nodeSelector`, o.nodeSelector, 'must be a map of node label keys to values');
  } else {
    checkLabels(problems, `${prop}.nodeSelector`, o.nodeSelector);
  }
  if (o.preferSeparateHosts !== undefined) {
    problems.check(typeof o.preferSeparateHosts === 'boolean', `${prop}.preferSeparateHosts`, o.preferSeparateHosts, 'must be true or false');
  }

  // Items that are not objects are reported by the checks and left out of the rendering.
  const isObject = (x: unknown) => x !== null && typeof x === 'object';
  const required = list<NodeRequirement>('requiredNodeAffinity');
  required.forEach((r, i) => checkRequirement(problems, `${prop}.requiredNodeAffinity[${i}]`, r));
  const preferred = list<NodePreference>('preferredNodeAffinity');
  preferred.forEach((p, i) => {
    checkInt(problems, `${prop}.preferredNodeAffinity[${i}].weight`, p?.weight, 1, 100);
    if (p?.weight === undefined) problems.add(`${prop}.preferredNodeAffinity[${i}].weight`, undefined, 'is required (1 to 100)');
    const reqs = Array.isArray(p?.requirements) ? p.requirements : [];
    if (p?.requirements !== undefined && !Array.isArray(p.requirements)) {
      problems.add(`${prop}.preferredNodeAffinity[${i}].requirements`, p.requirements, 'must be a list');
    }
    problems.check(reqs.length > 0, `${prop}.preferredNodeAffinity[${i}].requirements`, reqs, 'must not be empty');
    reqs.forEach((r, j) => checkRequirement(problems, `${prop}.preferredNodeAffinity[${i}].requirements[${j}]`, r));
  });
  const tolerations = list<Toleration>('tolerations');
  tolerations.forEach((t, i) => checkToleration(problems, `${prop}.tolerations[${i}]`, t));

  let spread = o.spread ?? (replicas > 1 ? Spread.hosts() : Spread.none());
  if (!(spread instanceof Spread)) {
    problems.add(`${prop}.spread`, spread, 'must be created with Spread.hosts(), zones(), zonesAndHosts() or none()');
    spread = Spread.none();
  }
  const constraints = spread._render(selector, problems, `${prop}.spread`, matchLabelKeys);

  const affinity: k8s.Affinity = {
    ...(required.length > 0 || preferred.length > 0 ? {
      nodeAffinity: {
        ...(required.length > 0 ? {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: required.filter(isObject).map(requirement) }] },
        } : {}),
        ...(preferred.length > 0 ? {
          preferredDuringSchedulingIgnoredDuringExecution: preferred.filter(isObject).map((p) => ({
            weight: p.weight,
            preference: { matchExpressions: (Array.isArray(p.requirements) ? p.requirements : []).filter(isObject).map(requirement) },
          })),
        } : {}),
      },
    } : {}),
    ...(o.preferSeparateHosts === true ? {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{
          weight: 100, podAffinityTerm: { labelSelector: { matchLabels: selector }, topologyKey: HOSTNAME },
        }],
      },
    } : {}),
  };
  return {
    nodeSelector: o.nodeSelector && !Array.isArray(o.nodeSelector) && Object.keys(o.nodeSelector).length > 0 ? { ...o.nodeSelector } : undefined,
    affinity: Object.keys(affinity).length > 0 ? affinity : undefined,
    tolerations: tolerations.length > 0 ? tolerations.filter(isObject).map(toleration) : undefined,
    topologySpreadConstraints: constraints.length > 0 ? constraints : undefined,
  };
}

function requirement(r: NodeRequirement): k8s.NodeSelectorRequirement {
  return { key: r.key, operator: r.operator, ...(r.values && r.values.length > 0 ? { values: [...r.values] } : {}) };
}

function toleration(t: Toleration): k8s.Toleration {
  const operator = t.operator ?? TolerationOperator.EQUAL;
  return {
    ...(t.key !== undefined ? { key: t.key } : {}),
    operator,
    ...(operator === TolerationOperator.EQUAL ? { value: t.value ?? '' } : {}),
    ...(t.effect !== undefined ? { effect: t.effect } : {}),
    ...(t.tolerationSeconds !== undefined ? { tolerationSeconds: t.tolerationSeconds } : {}),
  };
}

function checkRequirement(problems: Problems, prop: string, r: NodeRequirement): void {
  if (r === null || typeof r !== 'object') {
    problems.add(prop, r, 'must be a node requirement ({ key, operator, values })');
    return;
  }
  checkLabelKey(problems, `${prop}.key`, r.key);
  if (r.values !== undefined && !Array.isArray(r.values)) {
    problems.add(`${prop}.values`, r.values, 'must be a list of strings');
    return;
  }
  const values = r.values ?? [];
  const known = Object.values(NodeOperator).includes(r.operator);
  if (!problems.check(known, `${prop}.operator`, r.operator, 'must be a NodeOperator (In, NotIn, Exists, DoesNotExist, Gt, Lt)')) return;
  switch (r.operator) {
    case NodeOperator.IN:
    case NodeOperator.NOT_IN:
      problems.check(values.length > 0, `${prop}.values`, r.values, `must not be empty with ${r.operator}`);
      values.forEach((v, i) => checkLabelValue(problems, `${prop}.values[${i}]`, v));
      break;
    case NodeOperator.GT:
    case NodeOperator.LT:
      problems.check(values.length === 1 && typeof values[0] === 'string' && /^-?\d+$/.test(values[0]) && BigInt(values[0]) >= -(2n ** 63n) && BigInt(values[0]) < 2n ** 63n,
        `${prop}.values`, r.values, `must be exactly one integer (int64) with ${r.operator}`);
      break;
    default:
      problems.check(values.length === 0, `${prop}.values`, r.values, `must be empty with ${r.operator}`);
  }
}

function checkToleration(problems: Problems, prop: string, t: Toleration): void {
  if (t === null || typeof t !== 'object') {
    problems.add(prop, t, 'must be a toleration ({ key, operator, value, effect })');
    return;
  }
  const operator = t.operator ?? TolerationOperator.EQUAL;
  problems.check(Object.values(TolerationOperator).includes(operator), `${prop}.operator`, t.operator, 'must be TolerationOperator.EQUAL or EXISTS');
  if (t.effect !== undefined) {
    problems.check(Object.values(TaintEffect).includes(t.effect), `${prop}.effect`, t.effect, 'must be a TaintEffect (NoSchedule, PreferNoSchedule or NoExecute)');
  }
  if (t.key !== undefined) checkLabelKey(problems, `${prop}.key`, t.key);
  else problems.check(operator === TolerationOperator.EXISTS, `${prop}.operator`, operator, 'must be Exists when no key is given (it then tolerates every taint)');
  if (operator === TolerationOperator.EXISTS) {
    problems.check(t.value === undefined || t.value === '', `${prop}.value`, t.value, 'must be empty with the Exists operator');
  } else if (t.value !== undefined) {
    checkLabelValue(problems, `${prop}.value`, t.value);
  }
  if (t.tolerationSeconds !== undefined) {
    problems.check(t.effect === TaintEffect.NO_EXECUTE, `${prop}.tolerationSeconds`, t.tolerationSeconds, 'only applies with the NoExecute effect');
    checkInt(problems, `${prop}.tolerationSeconds`, t.tolerationSeconds, 0, Number.MAX_SAFE_INTEGER);
  }
}
