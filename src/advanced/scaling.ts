import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { KNOWN_PROPS } from '../core/known-props';
import { checkLabels } from '../core/names';
import { parseQuantityExact, showSize, wholeMebibytes } from '../core/quantity';
import { checkInt, checkKnownKeys, INT32_MAX, Problems } from '../core/validation';
import { seconds } from '../foundational/health-check';

/** The kinds of metric an autoscaler scales on (autoscaling/v2 `MetricSpec.type`). */
export enum ScalingMetricKind {
  /** A resource of the pods' containers: cpu or memory. */
  RESOURCE = 'Resource',
  /** A metric every pod reports (e.g. requests per second), averaged over the pods. */
  PODS = 'Pods',
  /** A metric of one Kubernetes object (e.g. the hits of an Ingress). */
  OBJECT = 'Object',
  /** A metric from outside the cluster (e.g. the length of a cloud queue). */
  EXTERNAL = 'External',
}

/** The object whose metric an `ScalingMetric.object()` reads. */
export interface DescribedObject {
  /** API version of the object, e.g. `networking.k8s.io/v1`. */
  readonly apiVersion: string;
  /** Kind of the object, e.g. `Ingress`. */
  readonly kind: string;
  /** Name of the object, in the autoscaler's namespace. */
  readonly name: string;
}

/** Options of a metric that a metrics adapter serves (Pods, Object, External). */
export interface CustomMetricOptions {
  /** Name of the metric, as the metrics adapter serves it, e.g. `http_requests_per_second`. */
  readonly metricName: string;
  /**
   * Labels that select the series of the metric.
   * @default - every series of the metric
   */
  readonly selector?: { [key: string]: string };
}

/** Options of an Object or External metric: a target value, or a target value per pod. */
export interface TargetedMetricOptions extends CustomMetricOptions {
  /**
   * The target value of the metric, a quantity (e.g. `'100'`, `'1500m'`): the autoscaler keeps
   * `value / target` pods' worth of load per pod. Exactly one of `value` and `averageValue`.
   * @default - averageValue
   */
  readonly value?: string;
  /**
   * The target value of the metric divided by the number of pods, a quantity (e.g. `'30'`).
   * Exactly one of `value` and `averageValue`.
   * @default - value
   */
  readonly averageValue?: string;
}

/** Options of a metric of one Kubernetes object. */
export interface ObjectMetricOptions extends TargetedMetricOptions {
  /** The object whose metric is read. */
  readonly describedObject: DescribedObject;
}

/**
 * What a `HorizontalAutoscaler` scales on (autoscaling/v2). Utilisation targets are percentages of
 * the containers' requests, so every container of the pods needs that request (checked at synth).
 *
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#support-for-metrics-apis
 */
export class ScalingMetric {
  /** Average CPU use, in percent of the CPU requests (e.g. 70): the classic autoscaler. */
  public static cpuUtilization(percent: number): ScalingMetric {
    return new ScalingMetric(ScalingMetricKind.RESOURCE, { resource: 'cpu', utilization: percent });
  }

  /** Average memory use, in percent of the memory requests. Memory rarely falls when load does: prefer CPU or a load metric. */
  public static memoryUtilization(percent: number): ScalingMetric {
    return new ScalingMetric(ScalingMetricKind.RESOURCE, { resource: 'memory', utilization: percent });
  }

  /** Average CPU use per pod, as an amount (e.g. `Cpu.millis(500)`). */
  public static cpuAverageValue(cpu: kplus.Cpu): ScalingMetric {
    return new ScalingMetric(ScalingMetricKind.RESOURCE, { resource: 'cpu', averageValue: cpu });
  }

  /** Average memory use per pod, as an amount (e.g. `Size.mebibytes(512)`). */
  public static memoryAverageValue(memory: Size): ScalingMetric {
    return new ScalingMetric(ScalingMetricKind.RESOURCE, { resource: 'memory', averageValue: memory });
  }

  /**
   * A metric every pod reports (through a custom metrics adapter, e.g. prometheus-adapter),
   * averaged over the pods, against `averageValue` (a quantity, e.g. `'100'`).
   */
  public static pods(options: CustomMetricOptions, averageValue: string): ScalingMetric {
    return new ScalingMetric(ScalingMetricKind.PODS, { custom: options, averageValue });
  }

  /** A metric of one Kubernetes object (through a custom metrics adapter), e.g. an Ingress's requests per second. */
  public static object(options: ObjectMetricOptions): ScalingMetric {
    return new ScalingMetric(ScalingMetricKind.OBJECT, {
      custom: options, object: options?.describedObject, value: options?.value, averageValue: options?.averageValue,
    });
  }

  /** A metric from outside the cluster (through an external metrics adapter), e.g. a queue's length. */
  public static external(options: TargetedMetricOptions): ScalingMetric {
    return new ScalingMetric(ScalingMetricKind.EXTERNAL, { custom: options, value: options?.value, averageValue: options?.averageValue });
  }

  private constructor(
    /** The kind of metric. */
    public readonly kind: ScalingMetricKind,
    private readonly spec: MetricInput,
  ) {}

  /** The resource a Resource metric measures (`cpu`, `memory`), if it is one. @internal */
  public get _resource(): string | undefined {
    return this.spec.resource;
  }

  /** Whether it is a utilisation target (a percentage of the requests). @internal */
  public get _isUtilization(): boolean {
    return this.spec.utilization !== undefined;
  }

  /** The metric as autoscaling/v2 spells it, or undefined (with problems) when invalid. @internal */
  public _render(problems: Problems, prop: string): kplus.k8s.MetricSpecV2 | undefined {
    const before = problems.all.length;
    const s = this.spec;
    if (this.kind === ScalingMetricKind.RESOURCE) {
      const name = s.resource!;
      let target: kplus.k8s.MetricTargetV2;
      if (s.utilization !== undefined) {
        checkInt(problems, `${prop}.utilization`, s.utilization, 1, INT32_MAX);
        target = { type: 'Utilization', averageUtilization: s.utilization };
      } else {
        const amount = name === 'cpu' ? cpuAmount(s.averageValue, problems, `${prop}.averageValue`) : memoryAmount(s.averageValue, problems, `${prop}.averageValue`);
        target = { type: 'AverageValue', averageValue: kplus.k8s.Quantity.fromString(amount ?? '0') };
      }
      return problems.all.length > before ? undefined : { type: this.kind, resource: { name, target } };
    }
    const c = s.custom;
    if (c === null || typeof c !== 'object') {
      problems.add(prop, c, 'must be the metric options: { metricName, selector, ... }');
      return undefined;
    }
    const iface = { Pods: 'CustomMetricOptions', Object: 'ObjectMetricOptions', External: 'TargetedMetricOptions', Resource: '' }[this.kind];
    checkKnownKeys(problems, `${prop}.`, c, KNOWN_PROPS[iface], iface);
    problems.check(typeof c.metricName === 'string' && /^[A-Za-z_:][A-Za-z0-9_:.-]*$/.test(c.metricName) && c.metricName.length <= 253,
      `${prop}.metricName`, c.metricName, 'must be a metric name (letters, digits, "_", ":", "." and "-", at most 253 characters; the API server refuses "/")');
    if (c.selector !== undefined) checkLabels(problems, `${prop}.selector`, c.selector);
    const metric: kplus.k8s.MetricIdentifierV2 = {
      name: c.metricName,
      ...(c.selector && Object.keys(c.selector).length > 0 ? { selector: { matchLabels: { ...c.selector } } } : {}),
    };
    let target: kplus.k8s.MetricTargetV2 | undefined;
    if (this.kind === ScalingMetricKind.PODS) {
      target = { type: 'AverageValue', averageValue: quantity(s.averageValue, problems, `${prop}.averageValue`) };
    } else {
      const both = s.value !== undefined && s.averageValue !== undefined;
      problems.check(!both && (s.value !== undefined || s.averageValue !== undefined), `${prop}.value`, s.value,
        both ? 'and averageValue are exclusive: give one target' : 'or averageValue is required: the target of the metric');
      target = s.value !== undefined
        ? { type: 'Value', value: quantity(s.value, problems, `${prop}.value`) }
        : { type: 'AverageValue', averageValue: quantity(s.averageValue, problems, `${prop}.averageValue`) };
    }
    if (this.kind === ScalingMetricKind.OBJECT) {
      const o = s.object;
      const okObject = o !== null && typeof o === 'object';
      if (!okObject) {
        problems.add(`${prop}.describedObject`, o, 'must be { apiVersion, kind, name }');
      } else {
        checkKnownKeys(problems, `${prop}.describedObject.`, o, KNOWN_PROPS.DescribedObject, 'DescribedObject');
        problems.check(typeof o.apiVersion === 'string' && /^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(o.apiVersion), `${prop}.describedObject.apiVersion`, o.apiVersion,
          'must be an API version, e.g. "networking.k8s.io/v1"');
        problems.check(typeof o.kind === 'string' && /^[A-Z][A-Za-z0-9]*$/.test(o.kind), `${prop}.describedObject.kind`, o.kind, 'must be a kind, e.g. "Ingress"');
        problems.check(typeof o.name === 'string' && o.name.length > 0 && o.name.length <= 253 && !/[/%]/.test(o.name) && o.name !== '.' && o.name !== '..',
          `${prop}.describedObject.name`, o.name, 'must be the name of an object (no "/" or "%", not "." or "..")');
      }
      if (problems.all.length > before) return undefined;
      return { type: this.kind, object: { describedObject: { apiVersion: o!.apiVersion, kind: o!.kind, name: o!.name }, metric, target: target! } };
    }
    if (problems.all.length > before) return undefined;
    return this.kind === ScalingMetricKind.PODS
      ? { type: this.kind, pods: { metric, target: target! } }
      : { type: this.kind, external: { metric, target: target! } };
  }
}

interface MetricInput {
  readonly resource?: string;
  readonly utilization?: number;
  readonly averageValue?: any;
  readonly value?: any;
  readonly custom?: CustomMetricOptions;
  readonly object?: DescribedObject;
}

/** A positive quantity given as a string, as the API's Quantity type; records a problem otherwise. */
function quantity(value: unknown, problems: Problems, prop: string): kplus.k8s.Quantity {
  const parsed = parseQuantityExact(value);
  problems.check(typeof value === 'string' && parsed !== undefined && parsed > 0n, prop, value, 'must be a positive quantity, e.g. "100" or "1500m"');
  return kplus.k8s.Quantity.fromString(typeof value === 'string' ? value.trim() : '0');
}

function cpuAmount(cpu: unknown, problems: Problems, prop: string): string | undefined {
  const amount = cpu instanceof kplus.Cpu ? cpu.amount : undefined;
  const parsed = parseQuantityExact(amount);
  return problems.check(parsed !== undefined && parsed > 0n, prop, amount ?? cpu, 'must be a positive Cpu, e.g. Cpu.millis(500)') ? amount : undefined;
}

function memoryAmount(memory: unknown, problems: Problems, prop: string): string | undefined {
  if (!(memory instanceof Size)) {
    problems.add(prop, memory, 'must be a Size, e.g. Size.mebibytes(512)');
    return undefined;
  }
  const mib = wholeMebibytes(memory, (x: Size) => x.toMebibytes());
  return problems.check(mib !== undefined && mib > 0, prop, showSize(memory), 'must be a positive, whole number of mebibytes') ? `${mib}Mi` : undefined;
}

/** How a scaling policy counts: pods, or a percentage of the current pods. */
export enum ScalingPolicyType {
  /** A number of pods per period. */
  PODS = 'Pods',
  /** A percentage of the current pods per period. */
  PERCENT = 'Percent',
}

/** Which of several policies applies when they allow different changes. */
export enum ScalingSelectPolicy {
  /** The policy that allows the largest change (the Kubernetes default). */
  MAX = 'Max',
  /** The policy that allows the smallest change. */
  MIN = 'Min',
  /** Never scale in this direction. */
  DISABLED = 'Disabled',
}

/** One limit on how fast the autoscaler may change the number of pods. */
export interface ScalingPolicy {
  /** Pods or percent. */
  readonly type: ScalingPolicyType;
  /** How many pods, or what percentage, per period (at least 1). */
  readonly value: number;
  /** The period the value applies to: 1 to 1800 seconds. */
  readonly period: Duration;
}

/** How the autoscaler scales in one direction. */
export interface ScalingRules {
  /**
   * How far back the autoscaler looks, taking the safest recommendation of that window: a long
   * window for scaling down keeps a short dip from removing pods. 0 to 3600 seconds.
   * @default - 0 s up, 300 s down (the Kubernetes defaults)
   */
  readonly stabilizationWindow?: Duration;
  /**
   * Limits on how fast pods are added or removed.
   * @default - up: 100 % or 4 pods per 15 s, whichever is more; down: 100 % per 15 s
   */
  readonly policies?: ScalingPolicy[];
  /**
   * Which policy applies when several allow different changes.
   * @default ScalingSelectPolicy.MAX
   */
  readonly selectPolicy?: ScalingSelectPolicy;
}

/** Options of a custom `ScalingBehavior`. */
export interface ScalingBehaviorOptions {
  /**
   * How the autoscaler adds pods.
   * @default - the Kubernetes default: at once, by 100 % or 4 pods per 15 s, whichever is more
   */
  readonly scaleUp?: ScalingRules;
  /**
   * How the autoscaler removes pods.
   * @default - the Kubernetes default: after 300 s of lower load, by up to 100 % per 15 s
   */
  readonly scaleDown?: ScalingRules;
}

/**
 * How fast a `HorizontalAutoscaler` adds and removes pods (autoscaling/v2 `behavior`).
 *
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#configurable-scaling-behavior
 */
export class ScalingBehavior {
  /**
   * Scale up fast, scale down slowly: add up to 100 % or 4 pods every 15 s, at once; remove at
   * most 10 % of the pods a minute, and only after 5 minutes of lower load. For services whose
   * traffic rises steeply and whose pods are slow to warm up again.
   */
  public static fastUpSlowDown(): ScalingBehavior {
    return new ScalingBehavior({
      scaleUp: {
        stabilizationWindow: Duration.seconds(0),
        policies: [
          { type: ScalingPolicyType.PERCENT, value: 100, period: Duration.seconds(15) },
          { type: ScalingPolicyType.PODS, value: 4, period: Duration.seconds(15) },
        ],
        selectPolicy: ScalingSelectPolicy.MAX,
      },
      scaleDown: {
        stabilizationWindow: Duration.minutes(5),
        policies: [{ type: ScalingPolicyType.PERCENT, value: 10, period: Duration.minutes(1) }],
      },
    });
  }

  /** Never remove pods: the autoscaler only adds them (scale down by hand, or with another behaviour later). */
  public static scaleUpOnly(): ScalingBehavior {
    return new ScalingBehavior({ scaleDown: { selectPolicy: ScalingSelectPolicy.DISABLED } });
  }

  /** Your own rules for either direction; a direction left out keeps the Kubernetes default. */
  public static custom(options: ScalingBehaviorOptions): ScalingBehavior {
    return new ScalingBehavior(options);
  }

  private constructor(private readonly options: ScalingBehaviorOptions) {}

  /** The behaviour as autoscaling/v2 spells it. @internal */
  public _render(problems: Problems, prop: string): kplus.k8s.HorizontalPodAutoscalerBehaviorV2 {
    const o = this.options !== null && typeof this.options === 'object' ? this.options : {};
    checkKnownKeys(problems, `${prop}.`, this.options, KNOWN_PROPS.ScalingBehaviorOptions, 'ScalingBehaviorOptions');
    problems.check(o.scaleUp !== undefined || o.scaleDown !== undefined, prop, this.options,
      'must set scaleUp or scaleDown (ScalingBehavior.custom({ ... })), or be left out for the Kubernetes defaults');
    const up = o.scaleUp !== undefined ? renderRules(o.scaleUp, problems, `${prop}.scaleUp`) : undefined;
    const down = o.scaleDown !== undefined ? renderRules(o.scaleDown, problems, `${prop}.scaleDown`) : undefined;
    return { ...(up ? { scaleUp: up } : {}), ...(down ? { scaleDown: down } : {}) };
  }
}

function renderRules(r: ScalingRules, problems: Problems, prop: string): kplus.k8s.HpaScalingRulesV2 | undefined {
  if (r === null || typeof r !== 'object') {
    problems.add(prop, r, 'must be { stabilizationWindow, policies, selectPolicy }');
    return undefined;
  }
  checkKnownKeys(problems, `${prop}.`, r, KNOWN_PROPS.ScalingRules, 'ScalingRules');
  const window = seconds(problems, `${prop}.stabilizationWindow`, r.stabilizationWindow, 0, 3600);
  if (r.selectPolicy !== undefined) {
    problems.check(Object.values(ScalingSelectPolicy).includes(r.selectPolicy), `${prop}.selectPolicy`, r.selectPolicy, 'must be a ScalingSelectPolicy');
  }
  let policies: kplus.k8s.HpaScalingPolicyV2[] | undefined;
  if (r.policies !== undefined) {
    if (!Array.isArray(r.policies) || r.policies.length === 0) {
      problems.add(`${prop}.policies`, r.policies, 'must be a non-empty list of { type, value, period } (leave it out for the default)');
    } else {
      policies = r.policies.map((p, i) => {
        const at = `${prop}.policies[${i}]`;
        checkKnownKeys(problems, `${at}.`, p, KNOWN_PROPS.ScalingPolicy, 'ScalingPolicy');
        problems.check(Object.values(ScalingPolicyType).includes(p?.type), `${at}.type`, p?.type, 'must be a ScalingPolicyType');
        checkInt(problems, `${at}.value`, p?.value, 1);
        if (p?.value === undefined) problems.add(`${at}.value`, undefined, 'is required');
        const period = seconds(problems, `${at}.period`, p?.period, 1, 1800);
        if (p?.period === undefined) problems.add(`${at}.period`, undefined, 'is required');
        return { type: p?.type, value: p?.value, periodSeconds: period ?? 0 };
      });
    }
  }
  return {
    ...(window !== undefined ? { stabilizationWindowSeconds: window } : {}),
    ...(r.selectPolicy !== undefined ? { selectPolicy: r.selectPolicy } : {}),
    ...(policies ? { policies } : {}),
  };
}
