import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { attachAutoscaler, horizontalTargets, namespaceProblem, renderedPodOf } from './attach';
import { ScalingBehavior, ScalingMetric, ScalingMetricKind } from './scaling';
import { deferConstruction, registerAppChecks } from '../core/app-checks';
import { KNOWN_PROPS } from '../core/known-props';
import { addSynthValidation } from '../core/synth-session';
import { checkInt, checkKnownKeys, Problems, renderValue, showList } from '../core/validation';
import { PolicyRule, Waiver, waiverAnnotations } from '../pod/waiver';
import { attachedWorkload, PatternWorkload, ScaleTarget } from '../workload/workload';

/** Props of a `HorizontalAutoscaler`. */
export interface HorizontalAutoscalerProps {
  /**
   * The workload to scale: a `StatelessService` (rolling update, recreate, or the stable track of a canary) or a
   * `StatefulService`. It must not set `replicas`: the autoscaler owns the count, and the
   * Deployment or StatefulSet leaves `spec.replicas` out so that an apply never resets it.
   */
  readonly workload: PatternWorkload;
  /** The most pods the autoscaler may run. */
  readonly maxReplicas: number;
  /**
   * The fewest pods the autoscaler keeps. Below 2, one node going down stops the service: `1`
   * needs the waiver `PolicyRule.AUTOSCALE_TO_ONE_REPLICA`. For scale to zero, use an
   * `EventDrivenAutoscaler`.
   * @default 2
   */
  readonly minReplicas?: number;
  /**
   * What to scale on; the autoscaler runs the number of pods that the most demanding metric asks
   * for. A utilisation target needs that request (cpu or memory) on every container of the pods.
   * @default [ScalingMetric.cpuUtilization(80)] (as Kubernetes does when no metric is given)
   */
  readonly metrics?: ScalingMetric[];
  /**
   * How fast pods are added and removed, e.g. `ScalingBehavior.fastUpSlowDown()`.
   * @default - the Kubernetes defaults: up at once; down after 5 minutes of lower load
   */
  readonly behavior?: ScalingBehavior;
  /**
   * Deliberate exceptions to the policy checks, each with its reason: only
   * `PolicyRule.AUTOSCALE_TO_ONE_REPLICA` applies here.
   * @default - none
   */
  readonly waivers?: Waiver[];
}

/**
 * Elastic Scale, horizontally: an autoscaling/v2 `HorizontalPodAutoscaler` that adds pods to a
 * workload when its load rises and removes them when it falls, between `minReplicas` and
 * `maxReplicas`. The workload's Deployment or StatefulSet leaves `spec.replicas` out. Checked:
 * one horizontal scaler per workload (an `EventDrivenAutoscaler` is one too), no vertical scaler
 * acting on a resource this one scales on, the disruption budget still allows an eviction at
 * `minReplicas`, and at synth, a request for every utilisation target on every container of the
 * pods (containers added later included).
 *
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 *
 * @example
 * new HorizontalAutoscaler(chart, 'api-scaler', {
 *   workload: api, minReplicas: 2, maxReplicas: 10,
 *   metrics: [ScalingMetric.cpuUtilization(70)],
 *   behavior: ScalingBehavior.fastUpSlowDown(),
 * });
 */
export class HorizontalAutoscaler extends Construct {
  /** The HorizontalPodAutoscaler object (named after the Deployment or StatefulSet it scales). */
  public readonly apiObject!: ApiObject;
  /** The fewest pods. */
  public readonly minReplicas!: number;
  /** The most pods. */
  public readonly maxReplicas!: number;

  constructor(scope: Construct, id: string, props: HorizontalAutoscalerProps) {
    super(scope, id);
    try {
      const p = props ?? ({} as HorizontalAutoscalerProps);
      const problems = new Problems(this);
      checkKnownKeys(problems, '', props, KNOWN_PROPS.HorizontalAutoscalerProps, 'HorizontalAutoscalerProps');
      const min = p.minReplicas ?? 2;
      checkInt(problems, 'minReplicas', min, 1);
      if (min === 0) problems.add('minReplicas', 0, 'must be at least 1: scale to zero needs an EventDrivenAutoscaler (KEDA)');
      checkInt(problems, 'maxReplicas', p.maxReplicas, 1);
      if (p.maxReplicas === undefined) problems.add('maxReplicas', undefined, 'is required: the most pods the autoscaler may run');
      if (Number.isInteger(min) && Number.isInteger(p.maxReplicas)) {
        problems.check(p.maxReplicas > min, 'maxReplicas', p.maxReplicas, `must be more than minReplicas (${min}), or there is nothing to scale`);
      }
      const annotations = waiverAnnotations(p.waivers, problems, 'waivers');
      const waived = new Set((Array.isArray(p.waivers) ? p.waivers : []).filter((w) => w instanceof Waiver).map((w) => w.rule));
      for (const rule of waived) {
        if (rule !== PolicyRule.AUTOSCALE_TO_ONE_REPLICA) problems.add('waivers', rule, 'waives nothing here: only PolicyRule.AUTOSCALE_TO_ONE_REPLICA applies to an autoscaler');
      }
      if (min === 1) {
        problems.check(waived.has(PolicyRule.AUTOSCALE_TO_ONE_REPLICA), 'minReplicas', 1,
          'lets one node going down stop the service: keep at least 2, or waive it with Waiver.of(PolicyRule.AUTOSCALE_TO_ONE_REPLICA, reason)');
      } else if (waived.has(PolicyRule.AUTOSCALE_TO_ONE_REPLICA)) {
        problems.add('waivers', PolicyRule.AUTOSCALE_TO_ONE_REPLICA, `waives nothing: minReplicas (${renderValue(min)}) is not 1; remove it`);
      }

      const metrics = p.metrics ?? [ScalingMetric.cpuUtilization(80)];
      const rendered: kplus.k8s.MetricSpecV2[] = [];
      if (!Array.isArray(metrics) || metrics.length === 0) {
        problems.add('metrics', metrics, 'must be a non-empty list of ScalingMetric (leave it out for 80 % CPU)');
      } else {
        metrics.forEach((m, i) => {
          if (!(m instanceof ScalingMetric)) {
            problems.add(`metrics[${i}]`, m, 'must be created with ScalingMetric.cpuUtilization(), pods(), object(), external(), ...');
            return;
          }
          const r = m._render(problems, `metrics[${i}]`);
          if (r) rendered.push(r);
        });
      }
      const valid = (Array.isArray(metrics) ? metrics : []).filter((m): m is ScalingMetric => m instanceof ScalingMetric);
      for (const resource of ['cpu', 'memory']) {
        problems.check(valid.filter((m) => m._resource === resource).length <= 1, 'metrics', resource,
          `must have one target for ${resource} at most (the autoscaler would follow the most demanding one only)`);
      }
      let behavior: kplus.k8s.HorizontalPodAutoscalerBehaviorV2 | undefined;
      if (p.behavior !== undefined) {
        if (p.behavior instanceof ScalingBehavior) behavior = p.behavior._render(problems, 'behavior');
        else problems.add('behavior', p.behavior, 'must be created with ScalingBehavior.fastUpSlowDown(), scaleUpOnly() or custom()');
      }

      // The workload last: what is wrong with it ends the checks, so every other prop is checked first.
      const workload = attachedWorkload(problems, p.workload);
      namespaceProblem(this, workload, problems);
      const targets = horizontalTargets(workload, problems, Number.isInteger(min) ? min : undefined,
        Number.isInteger(min) ? { replicas: min, text: `at minReplicas ${min}` } : undefined);
      const resources = valid.filter((m) => m.kind === ScalingMetricKind.RESOURCE).map((m) => m._resource!);
      attachAutoscaler(workload, { kind: 'HorizontalPodAutoscaler', path: this.node.path, horizontal: true, resources }, problems);
      problems.throwIfAny();

      const target = targets[0];
      target.scalable.markHasAutoscaler();
      this.minReplicas = min;
      this.maxReplicas = p.maxReplicas;
      this.apiObject = new kplus.k8s.KubeHorizontalPodAutoscalerV2(this, 'Resource', {
        metadata: { name: target.name, labels: workload._objectLabels(), ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: target.kind, name: target.name },
          minReplicas: min,
          maxReplicas: p.maxReplicas,
          metrics: rendered,
          ...(behavior && Object.keys(behavior).length > 0 ? { behavior } : {}),
        },
      });
      registerAppChecks(this);
      const utilization = valid.filter((m) => m._isUtilization).map((m) => m._resource!);
      if (utilization.length > 0) addSynthValidation(this, () => requestsFor(this, target, utilization));
    } catch (e) {
      return deferConstruction(this, e);
    }
  }
}

/** Every container of the pods must request what a utilisation target is a percentage of. */
function requestsFor(scope: Construct, target: ScaleTarget, resources: string[]): string[] {
  const problems = new Problems(scope);
  const pod = renderedPodOf(target);
  for (const resource of resources) {
    const missing = pod.withoutRequest(resource);
    problems.check(missing.length === 0, 'metrics', `${resource} utilization`,
      `needs a ${resource} request on every container of the pods, and ${showList(missing)} of ${target.kind} ${target.name} has none `
      + `(the autoscaler cannot compute a utilisation without it): give the containers ${resource} requests in their demands, or scale on an average value`);
  }
  return problems.messages();
}
