import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { renderForChecks } from '../core/synth-session';
import { Problems } from '../core/validation';
import { AutoscalerRecord, PatternWorkload, podSpecOf, ScaleTarget } from '../workload/workload';

/**
 * Records a problem unless the autoscaler's chart has the workload's namespace: an autoscaler
 * names its target without a namespace, so it scales workloads of its own.
 * @internal
 */
export function namespaceProblem(scope: Construct, workload: PatternWorkload, problems: Problems): void {
  const mine = Chart.of(scope).namespace;
  const theirs = Chart.of(workload).namespace;
  problems.check(mine === theirs, 'workload', workload.name,
    `is in namespace ${theirs ?? '(none)'} and the autoscaler in ${mine ?? '(none)'}: an autoscaler scales a workload of its own namespace (create it in the workload's chart)`);
}

/**
 * Checks `record` against the autoscalers already attached to `workload`, and attaches it if
 * nothing went into `problems`: one horizontal scaler per workload, and no vertical scaler that
 * changes a resource a horizontal one scales on.
 * @internal
 */
export function attachAutoscaler(workload: PatternWorkload, record: AutoscalerRecord, problems: Problems): void {
  for (const other of workload._autoscalers) {
    if (record.horizontal && other.horizontal) {
      problems.add('workload', workload.name, `is already scaled by the ${other.kind} at ${other.path}: one horizontal scaler per workload `
        + '(they would overwrite each other\'s replica count; a KEDA ScaledObject makes its own HorizontalPodAutoscaler)');
      continue;
    }
    if (record.horizontal === other.horizontal) continue;
    const clash = record.resources.filter((r) => other.resources.includes(r));
    if (clash.length === 0) continue;
    const [vertical, horizontal] = record.horizontal ? [other.path, record.path] : [record.path, other.path];
    problems.add('workload', workload.name, `has a vertical autoscaler (${vertical}) that changes the ${clash.join(' and ')} requests, which a horizontal one `
      + `(${horizontal}) scales on: the two chase each other. Let the vertical one control other resources (controlledResources), `
      + 'run it in VerticalUpdateMode.OFF (recommendations only), or scale horizontally on another metric');
  }
  if (problems.isEmpty) workload._autoscalers.push(record);
}

/**
 * The rendered pod spec of an autoscaler's target, and a function that lists the containers that
 * run with the app (regular containers and native sidecars: what the metrics count) without a
 * request for `resource` (a utilisation is a percentage of it).
 * @internal
 */
export function renderedPodOf(target: ScaleTarget): { spec: any; withoutRequest: (resource: string) => string[] } {
  const spec = podSpecOf(renderForChecks(ApiObject.of(target.scalable)));
  const running = [...(spec?.containers ?? []), ...(spec?.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always')];
  return { spec, withoutRequest: (resource) => running.filter((c: any) => c.resources?.requests?.[resource] === undefined).map((c: any) => c.name) };
}

/**
 * The Deployments or StatefulSets a horizontal scaler of `workload` scales, checked: the workload
 * must leave its replicas to the scaler, and its disruption budget must still allow an eviction at
 * `budgetAt` (the fewest pods while active), when known.
 * @internal
 */
export function horizontalTargets(
  workload: PatternWorkload, problems: Problems, minReplicas: number | undefined, budgetAt?: { replicas: number; text: string },
): ScaleTarget[] {
  const targets = workload._scaleTargets(problems, 'workload', minReplicas);
  for (const t of targets) {
    if (t.givenReplicas !== undefined) {
      problems.add('workload', workload.name, `sets replicas (${t.givenReplicas}), which the autoscaler owns: leave replicas out of the workload `
        + '(minReplicas is the floor; every apply would reset the scale)');
    }
    if (t.budget !== undefined && budgetAt !== undefined) t.budget._render(budgetAt.replicas, problems, `workload ${t.budgetProp} (${budgetAt.text})`);
  }
  return targets;
}
