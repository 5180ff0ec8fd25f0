import { Construct } from 'constructs';
import { BatchJob, BatchJobProps } from '../behavioral/batch-job';
import { deferConstruction, wasNotBuilt } from '../core/app-checks';
import { KNOWN_PROPS } from '../core/known-props';
import { checkKnownKeys, Problems } from '../core/validation';
import { definedEnvNames } from '../pod/env';
import { PatternWorkload } from '../workload/workload';

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
      } else if (!wasNotBuilt(queue)) { // a queue that was not built has its own problems pending
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
      for (const [k, prop] of definedEnvNames(p.env, p.envVariables)) {
        problems.check(!QUEUE_ENV.includes(k), prop, k, `must not be one of ${QUEUE_ENV.join(', ')}: the work queue sets them`);
      }
      problems.throwIfAny();

      this.queue = queue;
      this.queueAddress = `${host}:${port}`;
      this.workers = new BatchJob(this, 'Workers', {
        ...p,
        queue: undefined, // props of the work queue, not of its Job
        queueName: undefined,
        name: p.name ?? id,
        workQueue: true,
        env: {
          ...(p.env ?? {}),
          QUEUE_HOST: host!,
          QUEUE_PORT: String(port),
          QUEUE_ADDRESS: this.queueAddress,
          ...(p.queueName !== undefined ? { QUEUE_NAME: p.queueName } : {}),
        },
      } as BatchJobProps);
      this.workers.connectsTo(queue); // on the queue's main port, which its Service targets
    } catch (e) {
      return deferConstruction(this, e);
    }
  }
}
