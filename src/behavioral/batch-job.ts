import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { GangSchedulerKind, GangScheduling } from './gang-scheduling';
import { deferConstruction } from '../core/app-checks';
import { selectorLabels } from '../core/labels';
import { checkLabelKey } from '../core/names';
import { PodSpecPatcher } from '../core/patch';
import { addSynthValidation, renderForChecks } from '../core/synth-session';
import { checkInt, INT32_MAX, Problems, renderValue, showList } from '../core/validation';
import { HealthCheck, seconds } from '../foundational/health-check';
import { definedEnvNames } from '../pod/env';
import { PatternWorkload, podSpecOf, WorkloadProps } from '../workload/workload';

/**
 * The label Kubernetes (1.27+) puts on every pod of one Job run: spreads count one run at a time.
 * @internal
 */
export const JOB_RUN_KEY = 'batch.kubernetes.io/controller-uid';

/**
 * How a Job counts its completions.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode
 */
export enum CompletionMode {
  /** Pods are interchangeable: the Job succeeds after `completions` successful pods. */
  NON_INDEXED = 'NonIndexed',
  /**
   * Each pod gets a completion index from 0 to `completions - 1`, in the environment variable
   * `JOB_COMPLETION_INDEX` of every container (set by Kubernetes), the pod annotation
   * `batch.kubernetes.io/job-completion-index` and the hostname `<job-name>-<index>`. The Job
   * succeeds when every index has one successful pod; a failed pod is replaced with one of the same
   * index. This is static work assignment: shard `i` of `completions`.
   */
  INDEXED = 'Indexed',
}

/**
 * What the kubelet does when a container of a Job pod fails.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#handling-pod-and-container-failures
 */
export enum JobRestartPolicy {
  /**
   * The pod fails and the Job controller starts a new one (up to `backoffLimit`). Failed pods
   * stay for their logs, and `podFailurePolicy` can act on them.
   */
  NEVER = 'Never',
  /**
   * The kubelet restarts the container in the same pod; restarts count towards `backoffLimit`.
   * Not allowed with `podFailurePolicy`.
   */
  ON_FAILURE = 'OnFailure',
}

/**
 * What a pod failure policy rule does with a failed pod it matches.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-failure-policy
 */
export enum PodFailurePolicyAction {
  /** Fail the whole Job at once and terminate its running pods (e.g. a non-retriable exit code). */
  FAIL_JOB = 'FailJob',
  /** Do not count the failure towards `backoffLimit`; a replacement pod is created (e.g. preemption). */
  IGNORE = 'Ignore',
  /** Count the failure towards `backoffLimit`, as without a policy. */
  COUNT = 'Count',
}

/** How a rule compares a container's exit code with its values. */
export enum ExitCodeOperator {
  /** The exit code is one of the values (0 is not allowed). */
  IN = 'In',
  /** The exit code is none of the values. */
  NOT_IN = 'NotIn',
}

/** The status a pod condition must have for a rule to match. */
export enum PodConditionStatus {
  /** The condition holds. */
  TRUE = 'True',
  /** The condition does not hold. */
  FALSE = 'False',
  /** Unknown. */
  UNKNOWN = 'Unknown',
}

/** Matches a failed pod by the exit codes of its containers. */
export interface PodFailurePolicyOnExitCodes {
  /**
   * The container (or init container) whose exit code counts. Checked at synth against the pod's
   * containers, including those added later.
   * @default - any container of the pod
   */
  readonly containerName?: string;
  /** How the exit code is compared with `values`. */
  readonly operator: ExitCodeOperator;
  /** Exit codes (1 to 255 of them, no duplicates); rendered in ascending order. */
  readonly values: number[];
}

/** Matches a failed pod by one of its conditions. */
export interface PodFailurePolicyOnPodCondition {
  /**
   * The condition type, e.g. `DisruptionTarget` (the pod was evicted, preempted or its node
   * drained): a qualified name.
   */
  readonly type: string;
  /**
   * The status the condition must have.
   * @default PodConditionStatus.TRUE
   */
  readonly status?: PodConditionStatus;
}

/**
 * One rule of a pod failure policy: an action, and either exit codes or pod conditions to match.
 * Rules are tried in order; the first that matches a failed pod decides.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-failure-policy
 */
export interface PodFailurePolicyRule {
  /** What to do with a failed pod that matches. */
  readonly action: PodFailurePolicyAction;
  /**
   * Match on the exit code of a container. Exactly one of `onExitCodes` and `onPodConditions`.
   * @default - not matched on exit codes
   */
  readonly onExitCodes?: PodFailurePolicyOnExitCodes;
  /**
   * Match on pod conditions (any of them). Exactly one of `onExitCodes` and `onPodConditions`.
   * @default - not matched on pod conditions
   */
  readonly onPodConditions?: PodFailurePolicyOnPodCondition[];
}

/**
 * The options of the Job a `BatchJob` creates, or that a `PeriodicJob` creates on every run.
 *
 * Three ways to run pods to completion:
 * - one pod (the defaults: `completions` 1, `parallelism` 1);
 * - a fixed number of completions, `parallelism` at a time, interchangeable (NonIndexed) or one per
 *   index (`completionMode: CompletionMode.INDEXED`: static work assignment, shard `i` of `completions`);
 * - a work queue (`workQueue: true`): `parallelism` workers pull work from a queue; the Job
 *   succeeds when one pod exits successfully and all have stopped.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/
 */
export interface JobOptions {
  /**
   * Successful pods needed (NonIndexed), or number of indexes (Indexed). Not with `workQueue`.
   * @default 1 (required for CompletionMode.INDEXED)
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#parallel-jobs
   */
  readonly completions?: number;
  /**
   * Pods running at once; at least 1 (to hold a Job, suspend it) and at most `completions`.
   * Above 1, the pods prefer to spread across nodes (see `placement.spread`).
   * @default 1
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#controlling-parallelism
   */
  readonly parallelism?: number;
  /**
   * Whether pods are interchangeable or each gets a completion index. With
   * `CompletionMode.INDEXED`, Kubernetes itself sets `JOB_COMPLETION_INDEX` in every container;
   * do not set it in `env` (rejected).
   * @default CompletionMode.NON_INDEXED
   * @see https://kubernetes.io/docs/tasks/job/indexed-parallel-processing-static/
   */
  readonly completionMode?: CompletionMode;
  /**
   * Work-queue mode: no `completions`; `parallelism` workers take work from a queue, and the
   * Job succeeds once any pod has exited successfully and all pods have stopped (so a worker
   * must exit 0 only when the queue is empty). NonIndexed only.
   * @default false
   * @see https://kubernetes.io/docs/tasks/job/fine-parallel-processing-work-queue/
   */
  readonly workQueue?: boolean;
  /**
   * Failed pods (or, with `JobRestartPolicy.ON_FAILURE`, container restarts) before the Job
   * fails. Retries back off exponentially (10 s, 20 s, 40 s, ... up to 6 min).
   * @default 6
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-backoff-failure-policy
   */
  readonly backoffLimit?: number;
  /**
   * Time the Job may run, retries included, before Kubernetes terminates its pods and fails it.
   * Whole seconds, at least 1.
   * @default - no deadline
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#job-termination-and-cleanup
   */
  readonly activeDeadline?: Duration;
  /**
   * Time after the Job finishes (succeeded or failed) until Kubernetes deletes it and its pods.
   * 0 deletes it at once. Beware with GitOps: a controller that re-applies the deleted Job runs it
   * again.
   * @default - finished Jobs are kept (a PeriodicJob also prunes them by its history limits)
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/ttlafterfinished/
   */
  readonly ttlAfterFinished?: Duration;
  /**
   * Whether a failed container makes a new pod (`NEVER`) or restarts in place (`ON_FAILURE`).
   * `NEVER` keeps failed pods for their logs and is required by `podFailurePolicy`.
   * @default JobRestartPolicy.NEVER
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#handling-pod-and-container-failures
   */
  readonly restartPolicy?: JobRestartPolicy;
  /**
   * Rules (at most 20, tried in order) that decide what a failed pod means: fail the Job at once
   * on a non-retriable exit code, or ignore disruptions (`DisruptionTarget`) so they do not use
   * up `backoffLimit`. Requires `JobRestartPolicy.NEVER`.
   * @default - every failed pod counts towards backoffLimit
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-failure-policy
   */
  readonly podFailurePolicy?: PodFailurePolicyRule[];
}

/** Props of a `BatchJob`. */
export interface BatchJobProps extends WorkloadProps, JobOptions {
  /**
   * Emit `metadata.generateName: <name>-` instead of a fixed name, so that every
   * `kubectl create -f` makes a new Job (`<name>-x7k2p`) while finished ones stay for their logs.
   * A Job's pod template is immutable, so with a fixed name a changed Job must be deleted before it
   * is applied again. `kubectl apply` rejects objects without a name: use `kubectl create`. GitOps
   * tools generally do not support it (Argo CD only for hook resources). No name also means the
   * independent checker (`scripts/check-manifests.mjs`) flags the object. The Job's ServiceAccount
   * and NetworkPolicy keep the plain name `<name>`: apply them once with `kubectl apply`, then
   * `kubectl create` the Job for each run.
   * @default false
   * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/object-meta/
   */
  readonly generateName?: boolean;
  /**
   * Create the Job suspended: no pods start until `spec.suspend` is set to false (by you or a
   * queueing controller such as Kueue). Suspending a running Job terminates its pods.
   * @default - not suspended (the field is omitted, so a queueing controller may set it)
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#suspending-a-job
   */
  readonly suspend?: boolean;
  /**
   * Admission or gang scheduling by a batch scheduler, for jobs whose pods must start together or
   * not at all: `GangScheduling.kueue({ queueName })` or `GangScheduling.volcano({ minMember })`.
   * @default - the default scheduler, pod by pod
   */
  readonly gangScheduling?: GangScheduling;
}

/** The Job options, validated and rendered. @internal */
export interface ResolvedJob {
  readonly restartPolicy: kplus.RestartPolicy;
  readonly indexed: boolean;
  /** Pods at once, for the placement defaults. */
  readonly parallelism: number;
  readonly backoffLimit: number;
  readonly activeDeadline?: Duration;
  readonly ttlSeconds?: number;
  /** Job spec fields cdk8s-plus-28 lacks, in L1 props shape. */
  readonly fields: { [field: string]: unknown };
  /** Container names the pod failure policy refers to, with the prop that names each. */
  readonly containerRefs: Array<{ prop: string; name: string }>;
}

/** Where the Job's own name comes from, for the Indexed hostname check. @internal */
export interface JobNaming {
  /** The base name. */
  readonly name: string;
  /** Characters Kubernetes appends to it to name the Job: 0, 6 for generateName, 11 for a CronJob. */
  readonly suffix: number;
  /** How the suffix is described in messages. */
  readonly suffixText?: string;
}

/** Maximum parallelism of an Indexed Job (Kubernetes 1.28). */
const MAX_INDEXED_PARALLELISM = 100000;

/**
 * Validates the Job options into `problems` and renders them.
 * @internal
 */
export function resolveJobOptions(p: JobOptions, naming: JobNaming, problems: Problems): ResolvedJob {
  const mode = p.completionMode ?? CompletionMode.NON_INDEXED;
  problems.check(Object.values(CompletionMode).includes(mode), 'completionMode', mode,
    'must be CompletionMode.NON_INDEXED or CompletionMode.INDEXED');
  const indexed = mode === CompletionMode.INDEXED;
  problems.check(p.workQueue === undefined || typeof p.workQueue === 'boolean', 'workQueue', p.workQueue, 'must be a boolean');
  const workQueue = p.workQueue === true;
  const restart = p.restartPolicy ?? JobRestartPolicy.NEVER;
  problems.check(Object.values(JobRestartPolicy).includes(restart), 'restartPolicy', restart,
    'must be JobRestartPolicy.NEVER or JobRestartPolicy.ON_FAILURE (a Job pod cannot restart Always)');

  // ---- completions and parallelism
  checkInt(problems, 'completions', p.completions, 1);
  if (p.parallelism === 0) {
    problems.add('parallelism', 0, 'must be at least 1: a Job with parallelism 0 never starts a pod (suspend it to hold it)');
  } else {
    checkInt(problems, 'parallelism', p.parallelism, 1, indexed ? MAX_INDEXED_PARALLELISM : INT32_MAX);
  }
  if (indexed) {
    problems.check(p.completions !== undefined, 'completions', p.completions,
      'is required with CompletionMode.INDEXED (the Job runs one pod per index, 0 to completions - 1)');
    problems.check(!workQueue, 'workQueue', p.workQueue, 'does not apply with CompletionMode.INDEXED (an Indexed Job has fixed completions)');
  }
  if (workQueue) {
    problems.check(p.completions === undefined, 'completions', p.completions,
      'must not be set with workQueue: true (a work-queue Job succeeds once any pod succeeds and all have stopped)');
  }
  const completions = p.completions ?? 1;
  const parallelism = p.parallelism ?? 1;
  if (!workQueue && Number.isInteger(completions) && completions >= 1 && Number.isInteger(parallelism) && parallelism >= 1) {
    problems.check(parallelism <= completions, 'parallelism', parallelism,
      `must not exceed completions (${completions}): no more than ${completions} pods ever run at once`);
  }
  if (indexed && Number.isInteger(p.completions) && p.completions! >= 1 && typeof naming.name === 'string') {
    // Kubernetes names each pod's host `<job-name>-<index>`: it must stay a DNS label (63 characters).
    const hostname = `${naming.name}${'x'.repeat(naming.suffix)}-${p.completions! - 1}`;
    problems.check(hostname.length <= 63, 'completions', p.completions,
      `leaves no room for the pod hostnames: "<job-name>-${p.completions! - 1}" would have ${hostname.length} characters (at most 63), `
      + `as the Job is named ${renderValue(naming.name)}${naming.suffixText ?? ''}; shorten the name or use fewer completions`);
  }

  // ---- failures and clean-up
  checkInt(problems, 'backoffLimit', p.backoffLimit, 0);
  seconds(problems, 'activeDeadline', p.activeDeadline, 1, Number.MAX_SAFE_INTEGER); // int64
  const ttlSeconds = seconds(problems, 'ttlAfterFinished', p.ttlAfterFinished, 0);
  const containerRefs: Array<{ prop: string; name: string }> = [];
  const policy = renderPodFailurePolicy(p.podFailurePolicy, containerRefs, problems);
  if (p.podFailurePolicy !== undefined) {
    problems.check(restart === JobRestartPolicy.NEVER, 'restartPolicy', restart,
      'must be JobRestartPolicy.NEVER with a podFailurePolicy (Kubernetes applies the policy to failed pods; OnFailure restarts containers '
      + 'in place instead)');
  }

  const fields: { [field: string]: unknown } = {
    completionMode: mode,
    parallelism,
    ...(workQueue ? {} : { completions }),
    ...(policy ? { podFailurePolicy: policy } : {}),
  };
  return {
    restartPolicy: restart === JobRestartPolicy.ON_FAILURE ? kplus.RestartPolicy.ON_FAILURE : kplus.RestartPolicy.NEVER,
    indexed,
    parallelism: Number.isInteger(parallelism) ? parallelism : 1,
    backoffLimit: p.backoffLimit ?? 6,
    activeDeadline: p.activeDeadline,
    ttlSeconds,
    fields,
    containerRefs,
  };
}

/** Validates and renders a pod failure policy (L1 `k8s.PodFailurePolicy`). */
function renderPodFailurePolicy(
  rules: PodFailurePolicyRule[] | undefined, containerRefs: Array<{ prop: string; name: string }>, problems: Problems,
): kplus.k8s.PodFailurePolicy | undefined {
  if (rules === undefined) return undefined;
  if (!Array.isArray(rules) || rules.length === 0 || rules.length > 20) {
    problems.add('podFailurePolicy', rules, 'must be a list of 1 to 20 rules');
    return undefined;
  }
  const rendered = rules.map((rule, i): kplus.k8s.PodFailurePolicyRule => {
    const at = `podFailurePolicy[${i}]`;
    const r = rule ?? ({} as PodFailurePolicyRule);
    problems.check(Object.values(PodFailurePolicyAction).includes(r.action), `${at}.action`, r.action,
      'must be PodFailurePolicyAction.FAIL_JOB, IGNORE or COUNT');
    const hasCodes = r.onExitCodes !== undefined && r.onExitCodes !== null;
    const hasConditions = r.onPodConditions !== undefined && r.onPodConditions !== null;
    if (hasCodes && (typeof r.onExitCodes !== 'object' || Array.isArray(r.onExitCodes))) {
      problems.add(`${at}.onExitCodes`, r.onExitCodes, 'must be an object ({ containerName?, operator, values })');
      return { action: r.action, onPodConditions: [] };
    }
    problems.check(hasCodes !== hasConditions, at, { onExitCodes: r.onExitCodes, onPodConditions: r.onPodConditions },
      'must have exactly one of onExitCodes and onPodConditions');
    if (hasCodes) {
      const c = r.onExitCodes!;
      problems.check(Object.values(ExitCodeOperator).includes(c.operator), `${at}.onExitCodes.operator`, c.operator,
        'must be ExitCodeOperator.IN or NOT_IN');
      const values = Array.isArray(c.values) ? c.values : [];
      if (problems.check(Array.isArray(c.values) && values.length >= 1 && values.length <= 255, `${at}.onExitCodes.values`, c.values,
        'must be a list of 1 to 255 exit codes')) {
        problems.check(values.every((v) => Number.isInteger(v) && v >= 0 && v <= INT32_MAX), `${at}.onExitCodes.values`, values,
          'must be whole numbers >= 0');
        problems.check(new Set(values).size === values.length, `${at}.onExitCodes.values`, values, 'must not repeat an exit code');
        if (c.operator === ExitCodeOperator.IN) {
          problems.check(!values.includes(0), `${at}.onExitCodes.values`, values,
            'must not contain 0 with the In operator (0 is success: a succeeded pod never reaches the policy)');
        }
      }
      if (c.containerName !== undefined) containerRefs.push({ prop: `${at}.onExitCodes.containerName`, name: c.containerName });
      return {
        action: r.action,
        onExitCodes: {
          ...(c.containerName !== undefined ? { containerName: c.containerName } : {}),
          operator: c.operator,
          values: [...values].sort((a, b) => a - b),
        },
        // Required by the Kubernetes 1.28 OpenAPI schema (and cdk8s-plus-28's types); the API server accepts it empty.
        onPodConditions: [],
      };
    }
    const conditions = Array.isArray(r.onPodConditions) ? r.onPodConditions : [];
    if (hasConditions) {
      problems.check(Array.isArray(r.onPodConditions) && conditions.length >= 1 && conditions.length <= 20,
        `${at}.onPodConditions`, r.onPodConditions, 'must be a list of 1 to 20 conditions');
    }
    conditions.forEach((cond, j) => {
      const type = cond?.type;
      if (typeof type === 'string') checkLabelKey(problems, `${at}.onPodConditions[${j}].type`, type);
      else problems.add(`${at}.onPodConditions[${j}].type`, type, 'is required: a condition type such as "DisruptionTarget"');
      const status = cond?.status ?? PodConditionStatus.TRUE;
      problems.check(Object.values(PodConditionStatus).includes(status), `${at}.onPodConditions[${j}].status`, status,
        'must be PodConditionStatus.TRUE, FALSE or UNKNOWN');
    });
    return {
      action: r.action,
      onPodConditions: conditions.map((cond) => ({ type: cond?.type, status: cond?.status ?? PodConditionStatus.TRUE })),
    };
  });
  return { rules: rendered };
}

/**
 * Synth-time checks of a rendered Job pod: the index variable is left to Kubernetes, and the pod
 * failure policy names containers the pod has.
 * @internal
 */
export function checkJobPod(problems: Problems, manifest: any, job: ResolvedJob, where: string): void {
  const spec = podSpecOf(manifest);
  if (!spec) return;
  const containers: Array<[string, any]> = [
    ...(spec.initContainers ?? []).map((c: any): [string, any] => ['initContainers', c]),
    ...(spec.containers ?? []).map((c: any): [string, any] => ['containers', c]),
  ];
  if (job.indexed) {
    for (const [list, c] of containers) {
      const set = (c.env ?? []).some((e: any) => e.name === 'JOB_COMPLETION_INDEX');
      problems.check(!set, `${where}.${list}["${c.name}"].env`, 'JOB_COMPLETION_INDEX',
        'must not be set in an Indexed job: Kubernetes sets it to the pod\'s completion index, and a value set here would hide it');
    }
  }
  const names = containers.map(([, c]) => c.name);
  for (const ref of job.containerRefs) {
    problems.check(names.includes(ref.name), ref.prop, ref.name,
      `must name a container or init container of the pod (have: ${showList(names)})`);
  }
}

/**
 * Batch Job: a hardened Kubernetes Job that runs pods to completion, once, as one pod, a fixed
 * number of completions (interchangeable or indexed) or a work queue.
 *
 * Jobs get no probes (`HealthCheck.none()`; set `health` for a liveness probe on a long job), no
 * Service and no PodDisruptionBudget. Pods are hardened to the restricted Pod Security Standard,
 * get the demands' QoS tier on every container, and prefer to spread across nodes when more than
 * one runs at once. A Job's pod template is immutable: to change a Job that ran, delete it first,
 * or use `generateName`.
 *
 * @example
 * new BatchJob(chart, 'reindex', {
 *   image: 'ghcr.io/acme/reindex:2.3.0',
 *   completionMode: CompletionMode.INDEXED,
 *   completions: 10,   // shards 0..9, in JOB_COMPLETION_INDEX
 *   parallelism: 3,
 * });
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/
 */
export class BatchJob extends PatternWorkload {
  /** The Job. */
  public readonly job!: kplus.Job;
  /** The completion mode in force. */
  public readonly completionMode!: CompletionMode;
  /** The Volcano PodGroup, with `GangScheduling.volcano()`. */
  public readonly podGroup?: ApiObject;
  /** Pods at once. */
  private parallelism = 1;

  /**
   * Jobs of this template that may run at once: 1, or a KEDA ScaledJob's most Jobs (a work queue's
   * `scaling.maxJobs`), which multiplies the pods that share the volumes.
   * @internal
   */
  public _jobsAtOnce = 1;

  constructor(scope: Construct, id: string, props: BatchJobProps) {
    super(scope, id, props);
    try {
      const p: BatchJobProps = props ?? ({} as BatchJobProps);
      const problems = new Problems(this);

      // ---- shared workload props; with generateName, Kubernetes appends "-" and 5 characters
      problems.check(p.generateName === undefined || typeof p.generateName === 'boolean', 'generateName', p.generateName, 'must be a boolean');
      const generateName = p.generateName === true;
      this._resolveWorkload(p, {
        defaultHealth: HealthCheck.none(),
        propsInterface: 'BatchJobProps',
        nameIsServiceName: false,
        longestSuffix: generateName ? 6 : 0,
      }, problems);

      // ---- the Job
      problems.check(p.suspend === undefined || typeof p.suspend === 'boolean', 'suspend', p.suspend, 'must be a boolean');
      if (p.completionMode === CompletionMode.INDEXED) checkNoIndexEnv(problems, p);
      const naming = { name: this.name, suffix: generateName ? 6 : 0, suffixText: generateName ? ' plus 6 random characters' : '' };
      const job = resolveJobOptions(p, naming, problems);
      const placement = this._resolvePlacement(p, job.parallelism, selectorLabels(this._identity), problems, [JOB_RUN_KEY]);
      const gang = p.gangScheduling;
      if (gang !== undefined) {
        if (!(gang instanceof GangScheduling)) {
          problems.add('gangScheduling', gang, 'must be created with GangScheduling.kueue() or GangScheduling.volcano()');
        } else {
          gang._validate(problems, `gangScheduling.${gang.kind.toLowerCase()}`, job.parallelism, p.suspend);
          problems.check(!(generateName && gang.kind === GangSchedulerKind.VOLCANO), 'generateName', true,
            'cannot be used with Volcano: the PodGroup is named after the Job, which then has no fixed name');
        }
      }
      problems.throwIfAny();
      this.completionMode = p.completionMode ?? CompletionMode.NON_INDEXED;
      this.parallelism = job.parallelism;

      // ---- objects
      const metadata = this._workloadMetadata(p, this.name);
      this.job = new kplus.Job(this, 'Resource', {
        ...this._podProps(),
        // Without a name, cdk8s generates one (unique in the app, so the duplicate check holds); it is removed below.
        metadata: generateName ? { labels: metadata.labels, annotations: metadata.annotations, generateName: `${this.name}-` } : metadata,
        restartPolicy: job.restartPolicy,
        backoffLimit: job.backoffLimit,
        activeDeadline: job.activeDeadline,
        ttlAfterFinished: p.ttlAfterFinished,
      });
      this._completePod(this.job, p, p.image, placement, 'job.spec.template.spec');
      const apiObject = ApiObject.of(this.job);
      const patcher = new PodSpecPatcher(apiObject);
      if (generateName) patcher.remove('/metadata/name');
      for (const [field, value] of Object.entries(job.fields)) patcher.setJobSpecField(field, value);
      if (p.suspend !== undefined) patcher.setJobSpecField('suspend', p.suspend);
      if (gang instanceof GangScheduling) this.podGroup = this.schedule(gang, patcher);

      addSynthValidation(this, () => {
        const later = new Problems(this);
        checkJobPod(later, renderForChecks(apiObject), job, 'job.spec.template.spec');
        return later.messages();
      });
    } catch (e) {
      return deferConstruction(this, e);
    }
  }

  /** @internal */
  protected _whyNotScalable(): string {
    return 'a Job runs its pods to completion: size it with parallelism, or let KEDA\'s ScaledJob start Jobs';
  }

  /** A Job's pods run to completion. @internal */
  public _runsToCompletion(): boolean {
    return true;
  }

  /** The pods of all the Jobs that may run at once. @internal */
  public _concurrentPods(): number {
    return super._concurrentPods() * this._jobsAtOnce;
  }

  /** Kueue: the queue labels, created suspended. Volcano: the PodGroup, named by the pods, and Volcano's scheduler. */
  private schedule(gang: GangScheduling, patcher: PodSpecPatcher): ApiObject | undefined {
    if (gang.kind === GangSchedulerKind.KUEUE) {
      const o = gang._kueue;
      this.job.metadata.addLabel('kueue.x-k8s.io/queue-name', o.queueName);
      if (o.priorityClass !== undefined) this.job.metadata.addLabel('kueue.x-k8s.io/priority-class', o.priorityClass);
      patcher.setJobSpecField('suspend', true);
      return undefined;
    }
    const o = gang._volcano;
    const minResources = gang._minResources(new Problems(this), 'gangScheduling.volcano');
    const podGroup = new ApiObject(this, 'PodGroup', {
      apiVersion: 'scheduling.volcano.sh/v1beta1',
      kind: 'PodGroup',
      metadata: { name: this.name, labels: this._objectLabels() },
      spec: {
        minMember: o.minMember ?? this.parallelism,
        ...(o.queue !== undefined ? { queue: o.queue } : {}),
        ...(minResources ? { minResources } : {}),
      },
    });
    this.job.podMetadata.addAnnotation('scheduling.k8s.io/group-name', this.name);
    patcher.setPodField('schedulerName', 'volcano');
    return podGroup;
  }
}

/** Rejects `JOB_COMPLETION_INDEX` in the env of an Indexed Job (Kubernetes sets it). @internal */
export function checkNoIndexEnv(problems: Problems, p: WorkloadProps): void {
  for (const [k, prop] of definedEnvNames(p.env, p.envVariables)) {
    if (k !== 'JOB_COMPLETION_INDEX') continue;
    problems.add(prop, k,
      'must not be set in an Indexed job: Kubernetes sets it to the pod\'s completion index, and a value set here would hide it');
  }
}

