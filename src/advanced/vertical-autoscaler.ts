import { ApiObject, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { attachAutoscaler, namespaceProblem } from './attach';
import { deferConstruction, registerAppChecks } from '../core/app-checks';
import { KNOWN_PROPS } from '../core/known-props';
import { parseQuantityExact, showSize, wholeMebibytes } from '../core/quantity';
import { addSynthValidation, renderForChecks } from '../core/synth-session';
import { checkInt, checkKnownKeys, Problems, renderValue, showList } from '../core/validation';
import { QosClass, ResourceAmounts } from '../foundational/demands';
import { PodQos } from '../foundational/qos';
import { attachedWorkload, PatternWorkload, podSpecOf } from '../workload/workload';

/** The API version written: VerticalPodAutoscaler v1, served since VPA 0.8 (the VPA 1.x releases included). */
const API_VERSION = 'autoscaling.k8s.io/v1';

/**
 * When a `VerticalAutoscaler` applies its recommendations to the pods
 * (VerticalPodAutoscaler `updatePolicy.updateMode`).
 * @see https://github.com/kubernetes/autoscaler/blob/master/vertical-pod-autoscaler/docs/api.md#updatemode
 */
export enum VerticalUpdateMode {
  /**
   * Never: the recommender only writes recommendations into the VerticalPodAutoscaler's status
   * (`kubectl describe vpa`), to read before trusting them. The safest start.
   */
  OFF = 'Off',
  /** At pod creation only: a pod keeps its resources for its lifetime; no pod is evicted. */
  INITIAL = 'Initial',
  /**
   * At pod creation, and by evicting running pods whose requests are far from the recommendation
   * (through the eviction API, so disruption budgets are respected).
   */
  RECREATE = 'Recreate',
  /** Today the same as `RECREATE`; a later VPA may update pods in place instead. */
  AUTO = 'Auto',
}

/** Whether a `VerticalAutoscaler` scales one container (`ContainerResourcePolicy.mode`). */
export enum ContainerScalingMode {
  /** The container's requests (and limits) follow the recommendation. */
  AUTO = 'Auto',
  /** The container keeps the resources of its demands; it gets no recommendation. */
  OFF = 'Off',
}

/** A resource a `VerticalAutoscaler` recommends and changes. */
export enum ControlledResource {
  /** CPU. */
  CPU = 'cpu',
  /** Memory. */
  MEMORY = 'memory',
}

/** Which resource values of a container a `VerticalAutoscaler` changes. */
export enum ControlledValues {
  /** The requests, and the limits in proportion (each container's limit-to-request ratio is kept). */
  REQUESTS_AND_LIMITS = 'RequestsAndLimits',
  /** The requests only: the limits stay as the demands set them (a request never goes above its limit). */
  REQUESTS_ONLY = 'RequestsOnly',
}

/** How a `VerticalAutoscaler` treats one container of the pods (or every container without a policy of its own). */
export interface ContainerResourcePolicy {
  /**
   * The container: the main one is `app`; a sidecar by its name; `'*'` for every container
   * without a policy of its own. Init containers and native sidecars cannot be named: the
   * VerticalPodAutoscaler scales the containers of `spec.containers` only.
   */
  readonly containerName: string;
  /**
   * Whether the container is scaled.
   * @default ContainerScalingMode.AUTO
   */
  readonly mode?: ContainerScalingMode;
  /**
   * The lowest requests recommended (cpu and memory only), e.g. enough memory to start.
   * @default - no lower bound
   */
  readonly minAllowed?: ResourceAmounts;
  /**
   * The highest requests recommended (cpu and memory only): with `REQUESTS_AND_LIMITS`, the
   * limits grow in proportion, so this bounds them too. Each at least its `minAllowed`.
   * @default - no upper bound (but the largest node)
   */
  readonly maxAllowed?: ResourceAmounts;
  /**
   * The resources recommended and changed: leave out one a horizontal autoscaler scales on.
   * @default [ControlledResource.CPU, ControlledResource.MEMORY]
   */
  readonly controlledResources?: ControlledResource[];
  /**
   * Which values are changed.
   * @default ControlledValues.REQUESTS_AND_LIMITS
   */
  readonly controlledValues?: ControlledValues;
}

/** Props of a `VerticalAutoscaler`. */
export interface VerticalAutoscalerProps {
  /**
   * The workload whose pods to size: any workload of this library (one VerticalPodAutoscaler per
   * Deployment, StatefulSet, DaemonSet, Job or CronJob it makes).
   */
  readonly workload: PatternWorkload;
  /**
   * When recommendations are applied. `OFF` (recommendations only) is the default because it is
   * the safest start: applying needs the VPA admission controller and (for `RECREATE` and `AUTO`)
   * evicts running pods, and a recommendation is only as good as the load it has seen; read them
   * for a while (`kubectl describe vpa`), then set bounds and switch to `INITIAL` or `AUTO`.
   * `INITIAL`, `RECREATE` and `AUTO` keep each container's limit-to-request ratio, so a Guaranteed
   * pod stays Guaranteed. A Job or CronJob takes `OFF` or `INITIAL` only.
   * @default VerticalUpdateMode.OFF
   */
  readonly updateMode?: VerticalUpdateMode;
  /**
   * Per-container bounds and switches; a container without a policy of its own (and without a
   * `'*'` policy) is scaled on cpu and memory, without bounds.
   * @default - every container scaled on cpu and memory, without bounds
   */
  readonly containerPolicies?: ContainerResourcePolicy[];
  /**
   * The fewest pods of a controller that must be alive for the VPA updater to evict one
   * (`RECREATE` and `AUTO` only). `1` lets it evict the only pod of a one-replica workload, which
   * is an outage at every update.
   * @default - the updater's `--min-replicas` flag (2 unless the cluster sets it)
   */
  readonly minReplicas?: number;
}

/**
 * Elastic Scale, vertically: a VerticalPodAutoscaler (autoscaling.k8s.io/v1) per pod controller of
 * a workload (named after it), which recommends cpu and memory requests from the pods' actual use
 * and, unless `updateMode` is `OFF` (the default), applies them. Needs the Vertical Pod Autoscaler
 * (1.x) in the cluster.
 *
 * Checked: no horizontal autoscaler on the workload scales on a resource this one changes (the two
 * would chase each other), one vertical autoscaler per workload, container policies that name
 * containers of the pods (once each), bounds in order, no eviction of running Job pods, and no
 * change of the pods' QoS class (a Guaranteed pod with `REQUESTS_ONLY`, a BestEffort pod given
 * requests).
 *
 * @see https://kubernetes.io/docs/concepts/workloads/autoscaling/vertical-pod-autoscale/
 *
 * @example
 * new VerticalAutoscaler(chart, 'api-sizer', {
 *   workload: api,
 *   updateMode: VerticalUpdateMode.AUTO,
 *   containerPolicies: [{
 *     containerName: 'app',
 *     controlledResources: [ControlledResource.MEMORY], // a HorizontalAutoscaler scales on cpu
 *     minAllowed: { memory: Size.mebibytes(128) },
 *     maxAllowed: { memory: Size.gibibytes(2) },
 *   }],
 * });
 */
export class VerticalAutoscaler extends Construct {
  /** The VerticalPodAutoscaler objects, one per pod controller of the workload, in the workload's order. */
  public readonly apiObjects!: ApiObject[];
  /** When the recommendations are applied. */
  public readonly updateMode!: VerticalUpdateMode;

  constructor(scope: Construct, id: string, props: VerticalAutoscalerProps) {
    super(scope, id);
    try {
      const p = props ?? ({} as VerticalAutoscalerProps);
      const problems = new Problems(this);
      checkKnownKeys(problems, '', props, KNOWN_PROPS.VerticalAutoscalerProps, 'VerticalAutoscalerProps');
      const mode = p.updateMode ?? VerticalUpdateMode.OFF;
      const validMode = problems.check(Object.values(VerticalUpdateMode).includes(mode), 'updateMode', mode, 'must be a VerticalUpdateMode');
      const evicts = mode === VerticalUpdateMode.RECREATE || mode === VerticalUpdateMode.AUTO;
      if (p.minReplicas !== undefined) {
        checkInt(problems, 'minReplicas', p.minReplicas, 1);
        problems.check(!validMode || evicts, 'minReplicas', p.minReplicas,
          `applies only to VerticalUpdateMode.RECREATE or AUTO (the updater's eviction), and updateMode is ${renderValue(mode)}: remove it`);
      }
      // The workload after the props that need none of it: what is wrong with it ends the checks.
      const workload = attachedWorkload(problems, p.workload);
      namespaceProblem(this, workload, problems);

      // The pods, as they render now: their controllers, containers and QoS class.
      const controllers = podControllers(workload);
      const containers = new Set(controllers.flatMap((c) => c.containers));
      const initContainers = new Set(controllers.flatMap((c) => c.initContainers));
      for (const c of controllers) {
        problems.check(c.name !== undefined, 'workload', workload.name,
          `makes its ${c.kind} with generateName (a new name each apply), which a VerticalPodAutoscaler cannot target: give the workload a fixed name`);
        if (evicts && (c.kind === 'Job' || c.kind === 'CronJob')) {
          problems.add('updateMode', mode, `must be OFF or INITIAL for a ${c.kind}: the updater would evict running pods, losing their work `
            + '(and each eviction counts against the backoffLimit); INITIAL sizes every new pod at its start, which is what a batch run needs');
        }
      }
      const policies = renderPolicies(p.containerPolicies, containers, initContainers, problems);
      const changed = validMode ? changedResources(mode, policies, [...containers]) : [];

      // The QoS class the workload's demands chose must survive the updates.
      const qos = controllers.length > 0 ? PodQos.classify(controllers[0].spec) : undefined;
      if (validMode && mode !== VerticalUpdateMode.OFF) {
        if (qos === QosClass.GUARANTEED) {
          policies.forEach((pol, i) => {
            problems.check(!(pol.acts && pol.controlledValues === ControlledValues.REQUESTS_ONLY), `containerPolicies[${i}].controlledValues`,
              pol.controlledValues, 'must be REQUESTS_AND_LIMITS for a Guaranteed workload: lowering the requests alone below the limits makes the pods '
              + 'Burstable (REQUESTS_AND_LIMITS keeps the limits equal to the requests)');
          });
        }
        problems.check(qos !== QosClass.BEST_EFFORT || changed.length === 0, 'updateMode', mode,
          'must be OFF for a BestEffort workload: the autoscaler would give the pods requests and make them Burstable; choose Demands.burstable() '
          + 'to have them sized');
      }
      const other = workload._autoscalers.find((a) => a.kind === 'VerticalPodAutoscaler');
      problems.check(other === undefined, 'workload', workload.name, `already has the VerticalPodAutoscaler at ${other?.path}: one vertical autoscaler `
        + 'per workload (two would fight over the same pods)');
      attachAutoscaler(workload, { kind: 'VerticalPodAutoscaler', path: this.node.path, horizontal: false, resources: changed }, problems);
      problems.throwIfAny();

      this.updateMode = mode;
      const resourcePolicy = policies.length > 0 ? { containerPolicies: policies.map((pol) => pol.rendered) } : undefined;
      this.apiObjects = controllers.map((c, i) => new ApiObject(this, i === 0 ? 'Resource' : `Resource${i + 1}`, {
        apiVersion: API_VERSION,
        kind: 'VerticalPodAutoscaler',
        metadata: { name: c.name!, labels: workload._objectLabels() },
        spec: {
          targetRef: { apiVersion: c.apiVersion, kind: c.kind, name: c.name },
          updatePolicy: { updateMode: mode, ...(p.minReplicas !== undefined ? { minReplicas: p.minReplicas } : {}) },
          ...(resourcePolicy ? { resourcePolicy } : {}),
        },
      }));
      registerAppChecks(this);
      // Containers added to the workload later are scaled too: they must not add a resource a horizontal autoscaler scales on.
      addSynthValidation(this, () => laterContainers(this, workload, mode, policies, changed));
    } catch (e) {
      return deferConstruction(this, e);
    }
  }
}

/** A pod controller of the workload as it renders: its reference and its pod's containers. */
interface RenderedController {
  readonly apiVersion: string;
  readonly kind: string;
  /** Undefined for a Job with generateName. */
  readonly name?: string;
  readonly spec: any;
  readonly containers: string[];
  readonly initContainers: string[];
}

/** The workload's pod controllers (`_podControllers()`), rendered to read their pods. */
function podControllers(workload: PatternWorkload): RenderedController[] {
  const objects = workload.node.findAll().filter(ApiObject.isApiObject);
  return workload._podControllers().map((ref) => {
    const object = objects.find((o) => o.kind === ref.kind && o.name === ref.name);
    const json = object ? renderForChecks(object) : {};
    const spec = podSpecOf(json) ?? {};
    return {
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      name: json.metadata?.name,
      spec,
      containers: (spec.containers ?? []).map((c: any) => c.name),
      initContainers: (spec.initContainers ?? []).map((c: any) => c.name),
    };
  });
}

/** A container policy, checked and rendered. */
interface RenderedPolicy {
  readonly containerName: string;
  /** Whether the autoscaler scales the container (mode AUTO). */
  readonly acts: boolean;
  readonly controlledResources: string[];
  readonly controlledValues: ControlledValues;
  readonly rendered: { [key: string]: unknown };
}

const ALL_RESOURCES = [ControlledResource.CPU, ControlledResource.MEMORY];

function renderPolicies(given: unknown, containers: Set<string>, initContainers: Set<string>, problems: Problems): RenderedPolicy[] {
  if (given === undefined) return [];
  if (!Array.isArray(given)) {
    problems.add('containerPolicies', given, 'must be a list of { containerName, mode, minAllowed, maxAllowed, controlledResources, controlledValues }');
    return [];
  }
  const out: RenderedPolicy[] = [];
  const seen = new Map<string, number>();
  given.forEach((pol: ContainerResourcePolicy, i) => {
    const at = `containerPolicies[${i}]`;
    if (pol === null || typeof pol !== 'object' || Array.isArray(pol)) {
      problems.add(at, pol, 'must be { containerName, mode, minAllowed, maxAllowed, controlledResources, controlledValues }');
      return;
    }
    const before = problems.all.length;
    checkKnownKeys(problems, `${at}.`, pol, KNOWN_PROPS.ContainerResourcePolicy, 'ContainerResourcePolicy');
    const name = pol.containerName;
    if (typeof name !== 'string') {
      problems.add(`${at}.containerName`, name, 'is required: the name of a container of the pods, or "*" for every container without a policy');
    } else if (name !== '*' && initContainers.has(name)) {
      problems.add(`${at}.containerName`, name, 'is an init container (or native sidecar), which the VerticalPodAutoscaler does not scale: '
        + 'it sizes the containers of spec.containers only');
    } else if (name !== '*' && !containers.has(name)) {
      problems.add(`${at}.containerName`, name, `must be a container of the pods (${showList([...containers])}) or "*"; `
        + 'a sidecar added later must be added before the autoscaler');
    } else if (seen.has(name)) {
      problems.add(`${at}.containerName`, name, `has a policy already (containerPolicies[${seen.get(name)}]): one policy per container`);
    } else {
      seen.set(name, i);
    }
    const mode = pol.mode ?? ContainerScalingMode.AUTO;
    problems.check(Object.values(ContainerScalingMode).includes(mode), `${at}.mode`, mode, 'must be a ContainerScalingMode');
    const values = pol.controlledValues ?? ControlledValues.REQUESTS_AND_LIMITS;
    problems.check(Object.values(ControlledValues).includes(values), `${at}.controlledValues`, values, 'must be a ControlledValues');
    let resources: string[] = ALL_RESOURCES;
    if (pol.controlledResources !== undefined) {
      const list = pol.controlledResources;
      if (!Array.isArray(list) || list.length === 0) {
        problems.add(`${at}.controlledResources`, list, 'must be a non-empty list of ControlledResource (mode OFF scales none)');
      } else {
        list.forEach((r, j) => problems.check(Object.values(ControlledResource).includes(r), `${at}.controlledResources[${j}]`, r, 'must be a ControlledResource'));
        problems.check(new Set(list).size === list.length, `${at}.controlledResources`, list, 'must list each resource once');
        resources = list.filter((r) => ALL_RESOURCES.includes(r));
      }
    }
    const min = renderAmounts(pol.minAllowed, problems, `${at}.minAllowed`);
    const max = renderAmounts(pol.maxAllowed, problems, `${at}.maxAllowed`);
    for (const r of ALL_RESOURCES) {
      if (min?.[r] !== undefined && max?.[r] !== undefined) {
        problems.check(parseQuantityExact(min[r])! <= parseQuantityExact(max[r])!, `${at}.maxAllowed.${r}`, max[r],
          `must not be lower than minAllowed.${r} (${min[r]})`);
      }
      for (const [bound, amounts] of [['minAllowed', min], ['maxAllowed', max]] as const) {
        problems.check(amounts?.[r] === undefined || resources.includes(r), `${at}.${bound}.${r}`, amounts?.[r],
          `has no effect: controlledResources leaves ${r} out (add it there, or remove the bound)`);
      }
    }
    if (mode === ContainerScalingMode.OFF) {
      for (const key of ['minAllowed', 'maxAllowed', 'controlledResources', 'controlledValues'] as const) {
        problems.check(pol[key] === undefined, `${at}.${key}`, pol[key],
          'has no effect: the policy turns the container\'s scaling OFF (remove it, or the mode)');
      }
    }
    if (problems.all.length > before || typeof name !== 'string') return;
    out.push({
      containerName: name,
      acts: mode === ContainerScalingMode.AUTO,
      controlledResources: resources,
      controlledValues: values,
      rendered: {
        containerName: name,
        ...(pol.mode !== undefined ? { mode } : {}),
        ...(min ? { minAllowed: min } : {}),
        ...(max ? { maxAllowed: max } : {}),
        ...(pol.controlledResources !== undefined ? { controlledResources: [...resources] } : {}),
        ...(pol.controlledValues !== undefined ? { controlledValues: values } : {}),
      },
    });
  });
  return out;
}

/** cpu and memory of a bound as quantities (`250m`, `512Mi`), or undefined when not given or invalid. */
function renderAmounts(a: ResourceAmounts | undefined, problems: Problems, prop: string): { [r: string]: string } | undefined {
  if (a === undefined) return undefined;
  if (a === null || typeof a !== 'object' || Array.isArray(a)) {
    problems.add(prop, a, 'must be { cpu, memory }');
    return undefined;
  }
  checkKnownKeys(problems, `${prop}.`, a, KNOWN_PROPS.ResourceAmounts, 'ResourceAmounts');
  if (a.ephemeralStorage !== undefined) {
    problems.add(`${prop}.ephemeralStorage`, showSize(a.ephemeralStorage), 'is not scaled by the VerticalPodAutoscaler: cpu and memory only');
  }
  const out: { [r: string]: string } = {};
  if (a.cpu !== undefined) {
    const amount = a.cpu instanceof kplus.Cpu ? a.cpu.amount : undefined;
    const nano = parseQuantityExact(amount);
    if (problems.check(nano !== undefined && nano > 0n, `${prop}.cpu`, amount ?? a.cpu, 'must be a positive Cpu, e.g. Cpu.millis(250)')) out.cpu = amount!;
  }
  if (a.memory !== undefined) {
    const mib = a.memory instanceof Size ? wholeMebibytes(a.memory, (s: Size) => s.toMebibytes()) : undefined;
    if (problems.check(mib !== undefined, `${prop}.memory`, showSize(a.memory), 'must be a positive Size of whole mebibytes, e.g. Size.mebibytes(256)')) {
      out.memory = `${mib}Mi`;
    }
  }
  if (a.cpu === undefined && a.memory === undefined && a.ephemeralStorage === undefined) {
    problems.add(prop, a, 'must set cpu or memory (leave it out for no bound)');
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The resources the autoscaler changes on `containers`: none in OFF mode; per container, those its
 * own policy (else the `'*'` policy, else the default: cpu and memory) controls, unless it is OFF.
 */
function changedResources(mode: VerticalUpdateMode, policies: RenderedPolicy[], containers: string[]): string[] {
  if (mode === VerticalUpdateMode.OFF) return [];
  const fallback = policies.find((pol) => pol.containerName === '*');
  const out = new Set<string>();
  for (const c of containers) {
    const pol = policies.find((x) => x.containerName === c) ?? fallback;
    if (pol && !pol.acts) continue;
    for (const r of pol?.controlledResources ?? ALL_RESOURCES) out.add(r);
  }
  return ALL_RESOURCES.filter((r) => out.has(r));
}

/**
 * At synth: a container added to the workload after the autoscaler falls under the `'*'` policy
 * (or the default) and may add a resource the autoscaler changes; it must not be one a horizontal
 * autoscaler of the workload scales on.
 */
function laterContainers(
  scope: Construct, workload: PatternWorkload, mode: VerticalUpdateMode, policies: RenderedPolicy[], changed: string[],
): string[] {
  const problems = new Problems(scope);
  const now = changedResources(mode, policies, [...new Set(podControllers(workload).flatMap((c) => c.containers))]);
  const added = now.filter((r) => !changed.includes(r));
  for (const other of workload._autoscalers.filter((a) => a.horizontal)) {
    const clash = added.filter((r) => other.resources.includes(r));
    problems.check(clash.length === 0, 'workload', workload.name, `has containers added after the autoscaler, whose ${clash.join(' and ')} requests it changes, `
      + `which the horizontal autoscaler at ${other.path} scales on: give them a containerPolicies entry (or "*") with mode OFF or without ${clash.join(' and ')}`);
  }
  return problems.messages();
}
