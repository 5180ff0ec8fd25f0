import { ApiObject, ApiObjectProps, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { ScaleTrigger } from '../advanced/event-driven-autoscaler';
import { BatchJob, BatchJobProps } from '../behavioral/batch-job';
import { deferConstruction, wasNotBuilt } from '../core/app-checks';
import { KNOWN_PROPS } from '../core/known-props';
import { checkDnsLabel, defaultNameFromId } from '../core/names';
import { renderForChecks } from '../core/synth-session';
import { checkInt, checkKnownKeys, isMap, Problems, showList } from '../core/validation';
import { seconds } from '../foundational/health-check';
import { definedEnvNames, EnvFrom } from '../pod/env';
import { NetworkPeer } from '../pod/network';
import { PatternWorkload } from '../workload/workload';

/** How KEDA decides how many Jobs to start for the pending items. */
export enum JobScalingStrategy {
  /** Jobs for the pending items, less the Jobs still running. */
  DEFAULT = 'default',
  /**
   * Jobs for the pending items, without subtracting the running ones: for queues whose length
   * leaves out the items being worked on (a Redis list the workers pop from, an SQS queue).
   */
  ACCURATE = 'accurate',
  /**
   * Jobs for the pending items up to the room left under `maxJobs` (`maxJobs` less the running
   * and pending Jobs), without waiting for the running Jobs to take items first.
   */
  EAGER = 'eager',
}

/** Options of `WorkQueueProps.scaling`: KEDA starts Jobs as items arrive. */
export interface WorkQueueScaling {
  /** The most Jobs at once (each runs `parallelism` workers). */
  readonly maxJobs: number;
  /**
   * What to scale on: the queue's length, e.g.
   * `ScaleTrigger.redisList({ listName, listLength: 100, addressFromEnv: 'QUEUE_ADDRESS' })`
   * (KEDA reads `QUEUE_ADDRESS` from the workers' pod spec). Not cpu or memory: a ScaledJob
   * cannot scale on them.
   */
  readonly triggers: ScaleTrigger[];
  /**
   * How often KEDA polls the triggers.
   * @default Duration.seconds(30)
   */
  readonly pollingInterval?: Duration;
  /**
   * How many Jobs KEDA starts for the pending items.
   * @default JobScalingStrategy.DEFAULT
   */
  readonly strategy?: JobScalingStrategy;
  /**
   * The namespace of KEDA's operator, which polls the queue itself: the queue's NetworkPolicy
   * admits the pods of this namespace on the queue's port.
   * @default 'keda'
   */
  readonly kedaNamespace?: string;
}

/** Props of a `WorkQueue`: the workers' Job, and the queue they take items from. */
export interface WorkQueueProps extends BatchJobProps {
  /**
   * The queue service the workers take items from: a workload of this library with a Service,
   * e.g. a Redis `StatefulService`. Its address goes into the workers' environment, and the
   * NetworkPolicies of both sides allow exactly this call.
   */
  readonly queue: PatternWorkload;
  /**
   * Name of the queue in that service (a Redis list key, a RabbitMQ queue, a Kafka topic), passed
   * to the workers as `QUEUE_NAME`.
   * @default - no `QUEUE_NAME`
   */
  readonly queueName?: string;
  /**
   * Start the workers when items arrive, instead of once: a KEDA `ScaledJob` (keda.sh/v1alpha1)
   * that polls the queue's length and starts up to `maxJobs` Jobs, each the Job this construct
   * would otherwise emit (its pod template, `parallelism`, `backoffLimit`, deadlines); none while
   * the queue is empty. Needs KEDA 2.x in the cluster. Not with `suspend`, `generateName` or
   * `gangScheduling` (KEDA creates the Jobs, running and named by itself).
   * @default - one Job, applied with the app, that runs until the queue is empty
   */
  readonly scaling?: WorkQueueScaling;
}

/** Environment variables a WorkQueue sets on its workers. */
const QUEUE_ENV = ['QUEUE_HOST', 'QUEUE_PORT', 'QUEUE_ADDRESS', 'QUEUE_NAME'];

/**
 * Work queue: a Job of `parallelism` interchangeable workers that take items from a queue service
 * until it is empty (the Job's work-queue mode: no `completions`). The Job succeeds once a worker
 * has exited 0 and all have stopped, so a worker exits 0 only when it finds the queue empty, and
 * non-zero on an error (the Job then retries it, up to `backoffLimit`).
 *
 * The queue is a typed reference to a workload of this library, not an address in a string: the
 * workers get `QUEUE_HOST` (the queue's Service, `<name>.<namespace>.svc.cluster.local`),
 * `QUEUE_PORT` (its Service port), `QUEUE_ADDRESS` (`host:port`) and, with `queueName`,
 * `QUEUE_NAME`; and `connectsTo()` writes the egress rule on the workers' NetworkPolicy and the
 * ingress rule on the queue's, on the queue's port. Whatever fills the queue (an API, a
 * PeriodicJob) is the app's.
 *
 * Objects: the Job `<name>` with `parallelism` and no `completions`, its ServiceAccount and
 * NetworkPolicy; the rule on the queue's NetworkPolicy.
 *
 * A queue that never empties (a stream of orders) needs long-running consumers rather than a Job:
 * a `StatelessService` with an `EventDrivenAutoscaler` on the queue's length.
 *
 * @example
 * const redis = new StatefulService(chart, 'queue', { image: 'redis:7.2.4', port: 6379, replicas: 1 });
 * new WorkQueue(chart, 'thumbnails', {
 *   image: 'ghcr.io/acme/thumbnailer:2.3.0',
 *   parallelism: 8,
 *   queue: redis,
 *   queueName: 'thumbnails:pending',
 * });
 * @see https://kubernetes.io/docs/tasks/job/fine-parallel-processing-work-queue/
 */
export class WorkQueue extends Construct {
  /** The workers: a BatchJob in work-queue mode. */
  public readonly workers!: BatchJob;
  /** The queue service. */
  public readonly queue!: PatternWorkload;
  /** `host:port` of the queue's Service, as the workers get it in `QUEUE_ADDRESS`. */
  public readonly queueAddress!: string;
  /**
   * The KEDA ScaledJob, with `scaling`. The workers' Job is then not emitted: it is the
   * ScaledJob's `jobTargetRef`.
   */
  public readonly scaledJob?: ApiObject;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    try {
      const p: WorkQueueProps = props ?? ({} as WorkQueueProps);
      const problems = new Problems(this);
      checkKnownKeys(problems, '', p, KNOWN_PROPS.WorkQueueProps, 'WorkQueueProps');
      const queue = p.queue;
      let host: string | undefined;
      let port: number | undefined;
      if (!(queue instanceof PatternWorkload)) {
        problems.add('queue', queue, 'must be a workload of this library with a Service (e.g. a StatefulService running Redis)');
      } else if (wasNotBuilt(queue)) {
        problems.add('queue', 'not built', 'is a workload that was not built (its problems are listed): the workers cannot be wired to it');
      } else {
        host = queue.dnsName;
        port = queue._exposingServices()[0]?.ports[0]?.port;
        problems.check(host !== undefined && port !== undefined, 'queue', queue.name,
          'has no Service: give the queue workload a port, so that the workers can reach it');
        problems.check(!queue._runsToCompletion(), 'queue', queue.name, 'runs to completion: a queue must be a long-running service');
      }
      if (p.queueName !== undefined) {
        problems.check(typeof p.queueName === 'string' && p.queueName.trim() !== '', 'queueName', p.queueName, 'must be a non-empty string');
      }
      problems.check(p.workQueue === undefined || p.workQueue === true, 'workQueue', p.workQueue,
        'is always true for a WorkQueue: its Job runs in work-queue mode (leave it out)');
      const envNames = definedEnvNames(p.env, p.envVariables);
      for (const [k, prop] of envNames) {
        problems.check(!QUEUE_ENV.includes(k), prop, k, `must not be one of ${QUEUE_ENV.join(', ')}: the work queue sets them`);
      }
      const queueEnv = QUEUE_ENV.filter((k) => k !== 'QUEUE_NAME' || p.queueName !== undefined);
      const scaling = p.scaling === undefined ? undefined
        : checkScaling(p, [...envNames.map(([k]) => k), ...queueEnv], problems);
      const ownProblems = problems.all.length > 0;

      // The workers, also when a problem was found above, so that the one error lists theirs too;
      // the queue's variables only when the queue can be reached (a bad one is reported above).
      const reachable = host !== undefined && port !== undefined;
      const address = `${host}:${port}`;
      const queueVariables: { [name: string]: string } = reachable ? {
        QUEUE_HOST: host!,
        QUEUE_PORT: String(port),
        QUEUE_ADDRESS: address,
        ...(typeof p.queueName === 'string' && p.queueName.trim() !== '' ? { QUEUE_NAME: p.queueName } : {}),
      } : {};
      this.workers = new BatchJob(this, 'Workers', {
        ...p,
        queue: undefined, // props of the work queue, not of its Job
        queueName: undefined,
        scaling: undefined,
        name: p.name ?? defaultNameFromId(id),
        workQueue: true,
        env: p.env === undefined || isMap(p.env) ? { ...(p.env ?? {}), ...queueVariables } : p.env, // not a map: the Job reports it
      } as BatchJobProps);
      if ((ownProblems || wasNotBuilt(this.workers)) && queue instanceof PatternWorkload) queue._callerNotBuilt = true;
      problems.throwIfAny();

      this.queue = queue;
      this.queueAddress = address;
      this.workers.connectsTo(queue); // on the queue's main port, which its Service targets
      if (scaling !== undefined && !wasNotBuilt(this.workers)) {
        // KEDA makes the Jobs: the Job is rendered into the ScaledJob, and not emitted itself.
        const job = ApiObject.of(this.workers.job);
        this.workers.node.tryRemoveChild(this.workers.job.node.id);
        this.workers._jobsAtOnce = scaling.maxJobs;
        // KEDA polls the queue from its own pods, on the port the queue's pods listen on.
        const podPort = queue._exposingServices()[0]?.ports[0]?.targetPort ?? port!;
        queue.allowFrom(NetworkPeer.namespace(scaling.kedaNamespace), { ports: [podPort] });
        this.scaledJob = new ScaledJobObject(this, 'ScaledJob', job, {
          apiVersion: 'keda.sh/v1alpha1',
          kind: 'ScaledJob',
          metadata: { name: this.workers.name },
          spec: {
            jobTargetRef: Lazy.any({ produce: () => renderForChecks(job).spec }),
            ...(scaling.pollingInterval !== undefined ? { pollingInterval: scaling.pollingInterval } : {}),
            maxReplicaCount: scaling.maxJobs,
            ...(scaling.strategy !== undefined ? { scalingStrategy: { strategy: scaling.strategy } } : {}),
            triggers: scaling.triggers,
          },
        });
      }
    } catch (e) {
      return deferConstruction(this, e);
    }
  }
}

/** The ScaledJob's fields, or undefined (with problems). `envNames`: the workers' main container's variables. */
function checkScaling(p: WorkQueueProps, envNames: string[], problems: Problems) {
  const s = p.scaling!;
  if (s === null || typeof s !== 'object' || Array.isArray(s)) {
    problems.add('scaling', s, 'must be { maxJobs, triggers, pollingInterval?, strategy? }');
    return undefined;
  }
  checkKnownKeys(problems, 'scaling.', s, KNOWN_PROPS.WorkQueueScaling, 'WorkQueueScaling');
  if (s.maxJobs === undefined) problems.add('scaling.maxJobs', undefined, 'is required: the most Jobs KEDA runs at once');
  else checkInt(problems, 'scaling.maxJobs', s.maxJobs, 1);
  const pollingInterval = seconds(problems, 'scaling.pollingInterval', s.pollingInterval, 1);
  if (s.strategy !== undefined) {
    problems.check(Object.values(JobScalingStrategy).includes(s.strategy), 'scaling.strategy', s.strategy, 'must be a JobScalingStrategy');
  }
  // Variables of envFrom: the keys of a ConfigMap whose keys are known count; any other source may define anything.
  const sources = Array.isArray(p.envFrom) ? p.envFrom : [];
  const unknownSource = sources.some((e) => !(e instanceof EnvFrom) || e._source.configMap?.knownKeys === undefined);
  const fromSources = sources.flatMap((e) => (e instanceof EnvFrom ? (e._source.configMap?.knownKeys ?? []).map((k) => `${e._source.prefix ?? ''}${k}`) : []));
  const triggers: Array<{ [key: string]: unknown }> = [];
  if (!Array.isArray(s.triggers) || s.triggers.length === 0) {
    problems.add('scaling.triggers', s.triggers, 'must be a non-empty list of ScaleTrigger (e.g. ScaleTrigger.redisList() on the queue)');
  } else {
    s.triggers.forEach((t, i) => {
      const at = `scaling.triggers[${i}]`;
      if (!(t instanceof ScaleTrigger)) {
        problems.add(at, t, 'must be created with ScaleTrigger.redisList(), rabbitMq(), kafka(), prometheus(), cron() or custom()');
        return;
      }
      if (!problems.check(t._resource === undefined, at, t.scalerType,
        'cannot scale a ScaledJob: KEDA starts Jobs on events (a queue\'s length), not on the cpu or memory of pods')) return;
      for (const [option, env] of t._fromEnv) {
        problems.check(envNames.includes(env) || fromSources.includes(env) || unknownSource, `${at}.${option}`, env,
          `must be an environment variable of the workers' container, where KEDA reads it: one of ${showList([...envNames, ...fromSources])}`);
      }
      const r = t._render(problems, at);
      if (r) triggers.push(r);
    });
  }
  for (const prop of ['suspend', 'generateName', 'gangScheduling'] as const) {
    problems.check(p[prop] === undefined, prop, p[prop], 'does not apply with scaling: KEDA creates the Jobs, names them and runs them at once');
  }
  const kedaNamespace = s.kedaNamespace ?? 'keda';
  if (s.kedaNamespace !== undefined) checkDnsLabel(problems, 'scaling.kedaNamespace', s.kedaNamespace);
  return { maxJobs: s.maxJobs, pollingInterval, strategy: s.strategy, triggers, kedaNamespace };
}

/**
 * The ScaledJob: its `jobTargetRef` is the Job's spec, and its labels and annotations (waivers
 * included, which KEDA passes on to the Jobs it creates) are the Job's, as rendered at synth, so
 * that what is added to the Job after construction reaches it.
 */
class ScaledJobObject extends ApiObject {
  constructor(scope: Construct, id: string, private readonly job: ApiObject, props: ApiObjectProps) {
    super(scope, id, props);
  }

  public toJson(): any {
    const json = super.toJson();
    const metadata = renderForChecks(this.job).metadata ?? {};
    for (const key of ['labels', 'annotations']) {
      if (metadata[key] === undefined || Object.keys(metadata[key]).length === 0) continue;
      json.metadata[key] = { ...metadata[key], ...(json.metadata[key] ?? {}) };
    }
    return json;
  }
}
