import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { attachAutoscaler, horizontalTargets, namespaceProblem, renderedPodOf } from './attach';
import { ScalingBehavior } from './scaling';
import { deferConstruction, registerAppChecks } from '../core/app-checks';
import { checkCron, checkTimeZone } from '../core/cron';
import { KNOWN_PROPS } from '../core/known-props';
import { checkDnsLabel, checkDnsSubdomain } from '../core/names';
import { addSynthValidation } from '../core/synth-session';
import { checkInt, checkKnownKeys, isMap, Problems, renderValue, showList } from '../core/validation';
import { seconds } from '../foundational/health-check';
import { attachedWorkload, PatternWorkload, ScaleTarget } from '../workload/workload';

/** The API version written: the ScaledObject of KEDA 2.x. */
const API_VERSION = 'keda.sh/v1alpha1';

/** The kind of a KEDA authentication object a trigger reads its credentials from. */
export enum TriggerAuthenticationKind {
  /** A `TriggerAuthentication` in the namespace of the ScaledObject. */
  TRIGGER_AUTHENTICATION = 'TriggerAuthentication',
  /** A cluster-wide `ClusterTriggerAuthentication`. */
  CLUSTER_TRIGGER_AUTHENTICATION = 'ClusterTriggerAuthentication',
}

/**
 * A KEDA `TriggerAuthentication` (or `ClusterTriggerAuthentication`), made in the cluster, that
 * hands a trigger its credentials from a Secret, a vault or a pod identity. A trigger names it;
 * the credentials never appear in the ScaledObject.
 * @see https://keda.sh/docs/latest/concepts/authentication/
 */
export interface TriggerAuthenticationReference {
  /** Name of the TriggerAuthentication. */
  readonly name: string;
  /**
   * Its kind.
   * @default TriggerAuthenticationKind.TRIGGER_AUTHENTICATION
   */
  readonly kind?: TriggerAuthenticationKind;
}

/** Options of `ScaleTrigger.cron()`. */
export interface CronTriggerOptions {
  /** IANA time zone of the schedule, e.g. `Europe/Berlin`. */
  readonly timezone: string;
  /** Cron expression (minute hour day-of-month month day-of-week) of the start of each window, e.g. `0 8 * * 1-5`. */
  readonly start: string;
  /** Cron expression of the end of each window, e.g. `0 18 * * 1-5`; not the same as `start`. */
  readonly end: string;
  /**
   * Pods during the window (at least; other triggers may ask for more): more than `minReplicas`
   * and at most `maxReplicas`.
   */
  readonly desiredReplicas: number;
}

/** The authentication modes of the Prometheus scaler; their credentials come from the `authenticationRef`. */
export enum PrometheusAuthMode {
  /** A bearer token (`bearerToken`). */
  BEARER = 'bearer',
  /** HTTP basic authentication (`username`, `password`). */
  BASIC = 'basic',
  /** A TLS client certificate (`cert`, `key`, `ca`). */
  TLS = 'tls',
  /** A custom header (`customAuthHeader`, `customAuthValue`). */
  CUSTOM = 'custom',
}

/** Options of `ScaleTrigger.prometheus()`. */
export interface PrometheusTriggerOptions {
  /** URL of the Prometheus server (http or https, no credentials in it), e.g. `http://prometheus.monitoring:9090`. */
  readonly serverAddress: string;
  /** PromQL query returning one value, e.g. `sum(rate(http_requests_total{app="api"}[2m]))`. */
  readonly query: string;
  /** The value of the query one pod handles (KEDA runs `value / threshold` pods); greater than zero. */
  readonly threshold: number;
  /**
   * The value above which the workload is woken from zero.
   * @default 0
   */
  readonly activationThreshold?: number;
  /**
   * Namespace for a multi-tenant Prometheus (e.g. Thanos).
   * @default - none
   */
  readonly namespace?: string;
  /**
   * How KEDA authenticates to Prometheus; needs `authenticationRef`, which holds the credentials.
   * @default - no authentication
   */
  readonly authModes?: PrometheusAuthMode[];
  /**
   * The TriggerAuthentication with the credentials (or pod identity).
   * @default - none
   */
  readonly authenticationRef?: TriggerAuthenticationReference;
  /**
   * Whether an empty query result counts as 0 (`true`, KEDA's default: a lost scrape target scales
   * the workload down) or as an error (`false`: the `fallback` applies).
   * @default true
   */
  readonly ignoreNullValues?: boolean;
}

/** What the RabbitMQ scaler measures. */
export enum RabbitMqMode {
  /** The messages waiting in the queue. */
  QUEUE_LENGTH = 'QueueLength',
  /** The messages published to the queue per second (needs the HTTP management API: `RabbitMqProtocol.HTTP`). */
  MESSAGE_RATE = 'MessageRate',
}

/** How the RabbitMQ scaler talks to the broker. */
export enum RabbitMqProtocol {
  /** From the scheme of the host. */
  AUTO = 'auto',
  /** AMQP. */
  AMQP = 'amqp',
  /** The HTTP management API (counts unacknowledged messages too). */
  HTTP = 'http',
}

/** Options of `ScaleTrigger.rabbitMq()`. At least one of `hostFromEnv` and `authenticationRef`. */
export interface RabbitMqTriggerOptions {
  /** The queue. */
  readonly queueName: string;
  /** The messages (QueueLength: a whole number) or messages per second (MessageRate) one pod handles; greater than zero. */
  readonly value: number;
  /**
   * What is measured.
   * @default RabbitMqMode.QUEUE_LENGTH
   */
  readonly mode?: RabbitMqMode;
  /**
   * The value above which the workload is woken from zero.
   * @default 0
   */
  readonly activationValue?: number;
  /**
   * The protocol.
   * @default RabbitMqProtocol.AUTO
   */
  readonly protocol?: RabbitMqProtocol;
  /**
   * The virtual host, overriding the one in the connection string.
   * @default - the connection string's
   */
  readonly vhostName?: string;
  /**
   * An environment variable of the workload's main container (the first container of the pods)
   * with the connection string (e.g. `amqp://user:password@rabbitmq:5672/`), which KEDA reads
   * from the pod spec: typically a Secret key (with the `SECRET_IN_ENV` waiver).
   * @default - the host comes from the authenticationRef
   */
  readonly hostFromEnv?: string;
  /**
   * The TriggerAuthentication with the `host` (and `username`, `password`, TLS files).
   * @default - the host comes from hostFromEnv
   */
  readonly authenticationRef?: TriggerAuthenticationReference;
}

/** Options of `ScaleTrigger.redisList()`. Exactly one of `address` and `addressFromEnv`. */
export interface RedisListTriggerOptions {
  /** The key of the list. */
  readonly listName: string;
  /** The items one pod (or, for a work queue's ScaledJob, one Job) handles: a whole number greater than zero. */
  readonly listLength: number;
  /**
   * The length above which the workload is woken from zero.
   * @default 0
   */
  readonly activationListLength?: number;
  /**
   * Redis as `host:port` (no scheme, no credentials).
   * @default - from addressFromEnv
   */
  readonly address?: string;
  /**
   * An environment variable of the workload's main container (the first container of the pods)
   * with Redis' `host:port`, which KEDA reads from the pod spec, e.g. a work queue's `QUEUE_ADDRESS`.
   * @default - from address
   */
  readonly addressFromEnv?: string;
  /**
   * The Redis database.
   * @default 0
   */
  readonly databaseIndex?: number;
  /**
   * Talk TLS to Redis.
   * @default false
   */
  readonly enableTls?: boolean;
  /**
   * The TriggerAuthentication with the `password` (and `username`).
   * @default - no authentication
   */
  readonly authenticationRef?: TriggerAuthenticationReference;
}

/** Where a new Kafka consumer group starts reading. */
export enum KafkaOffsetResetPolicy {
  /** New messages only. */
  LATEST = 'latest',
  /** From the beginning of the topic. */
  EARLIEST = 'earliest',
}

/** The SASL mechanism of the Kafka scaler; its credentials come from the `authenticationRef`. */
export enum KafkaSaslMode {
  /** No SASL. */
  NONE = 'none',
  /** SASL/PLAIN. */
  PLAINTEXT = 'plaintext',
  /** SCRAM-SHA-256. */
  SCRAM_SHA256 = 'scram_sha256',
  /** SCRAM-SHA-512. */
  SCRAM_SHA512 = 'scram_sha512',
  /** OAUTHBEARER. */
  OAUTHBEARER = 'oauthbearer',
  /** Kerberos (GSSAPI). */
  GSSAPI = 'gssapi',
}

/** Options of `ScaleTrigger.kafka()`. */
export interface KafkaTriggerOptions {
  /** The brokers, as `host:port`. */
  readonly bootstrapServers: string[];
  /** The consumer group the workload consumes with. */
  readonly consumerGroup: string;
  /**
   * The topic. Required here: without it, KEDA finds the topics through the group's committed
   * offsets, and a group scaled to zero before its first commit is never woken.
   */
  readonly topic: string;
  /**
   * The lag (messages behind) one pod handles. KEDA runs at most one pod per partition unless
   * `allowIdleConsumers`.
   * @default 10
   */
  readonly lagThreshold?: number;
  /**
   * The lag above which the workload is woken from zero.
   * @default 0
   */
  readonly activationLagThreshold?: number;
  /**
   * Where a group without committed offsets starts, as the consumer itself is configured.
   * @default KafkaOffsetResetPolicy.LATEST
   */
  readonly offsetResetPolicy?: KafkaOffsetResetPolicy;
  /**
   * Let the pods outnumber the partitions (the extra ones sit idle).
   * @default false
   */
  readonly allowIdleConsumers?: boolean;
  /**
   * The SASL mechanism; anything but NONE needs `authenticationRef`, which holds the credentials.
   * @default KafkaSaslMode.NONE
   */
  readonly sasl?: KafkaSaslMode;
  /**
   * Connect with TLS (client certificates, if any, come from the authenticationRef).
   * @default false
   */
  readonly tls?: boolean;
  /**
   * The TriggerAuthentication with the credentials.
   * @default - none
   */
  readonly authenticationRef?: TriggerAuthenticationReference;
}

/** Replicas KEDA falls back to when a trigger keeps failing (`spec.fallback`). */
export interface ScalingFallback {
  /** Failed polls in a row before the fallback applies (at least 1). */
  readonly failureThreshold: number;
  /** The pods to run meanwhile: at least 1 and minReplicas, at most maxReplicas. */
  readonly replicas: number;
}

/** What a rendered trigger reads (for the construct's checks). @internal */
interface TriggerSpec {
  readonly type: string;
  /** `cpu` or `memory` for a resource trigger. */
  readonly resource?: string;
  readonly render: (problems: Problems, prop: string) => any;
  /** The window's replicas of a cron trigger. */
  readonly desiredReplicas?: unknown;
  /** Environment variables of the target's first container that KEDA reads: the option (or metadata key) that names each, and its name. */
  readonly fromEnv?: Array<[string, unknown]>;
}

/**
 * What an `EventDrivenAutoscaler` scales on: a KEDA scaler (`spec.triggers[]`). Credentials are
 * never part of a trigger: each names a `TriggerAuthenticationReference` (or an environment
 * variable of the workload) that holds them.
 *
 * @see https://keda.sh/docs/latest/scalers/
 */
export class ScaleTrigger {
  /**
   * Pods by schedule: `desiredReplicas` from `start` to `end` (e.g. office hours), otherwise
   * `minReplicas` (0: none at night). Other triggers may add pods within the window.
   */
  public static cron(options: CronTriggerOptions): ScaleTrigger {
    return new ScaleTrigger({ type: 'cron', desiredReplicas: options?.desiredReplicas, render: (p, at) => renderCron(options, p, at) });
  }

  /** The result of a Prometheus query, e.g. requests per second, against a `threshold` per pod. */
  public static prometheus(options: PrometheusTriggerOptions): ScaleTrigger {
    return new ScaleTrigger({ type: 'prometheus', render: (p, at) => renderPrometheus(options, p, at) });
  }

  /** The messages waiting in (or published to) a RabbitMQ queue, against a `value` per pod. */
  public static rabbitMq(options: RabbitMqTriggerOptions): ScaleTrigger {
    return new ScaleTrigger({
      type: 'rabbitmq', fromEnv: [['hostFromEnv', options?.hostFromEnv]], render: (p, at) => renderRabbitMq(options, p, at),
    });
  }

  /** The length of a Redis list (a work queue's pending items), against a `listLength` per pod or Job. */
  public static redisList(options: RedisListTriggerOptions): ScaleTrigger {
    return new ScaleTrigger({
      type: 'redis', fromEnv: [['addressFromEnv', options?.addressFromEnv]], render: (p, at) => renderRedisList(options, p, at),
    });
  }

  /** The lag of a Kafka consumer group on a topic, against a `lagThreshold` per pod. */
  public static kafka(options: KafkaTriggerOptions): ScaleTrigger {
    return new ScaleTrigger({ type: 'kafka', render: (p, at) => renderKafka(options, p, at) });
  }

  /**
   * Average CPU use in percent of the requests (e.g. 70). It cannot wake a workload from zero (no
   * pods, no use): with `minReplicas: 0`, another trigger must. Every container needs a cpu request.
   */
  public static cpu(utilization: number): ScaleTrigger {
    return new ScaleTrigger({ type: 'cpu', resource: 'cpu', render: (p, at) => renderResource('cpu', utilization, p, at) });
  }

  /** Average memory use in percent of the requests; like `cpu()`, and memory rarely falls with the load. */
  public static memory(utilization: number): ScaleTrigger {
    return new ScaleTrigger({ type: 'memory', resource: 'memory', render: (p, at) => renderResource('memory', utilization, p, at) });
  }

  /**
   * Any other KEDA scaler, by its type (e.g. `aws-sqs-queue`, `redis`) and metadata. The metadata
   * must not carry credentials (passwords, tokens, keys, connection strings, URLs with a user):
   * name them with `authenticationRef`, or with a `...FromEnv` parameter.
   */
  public static custom(scalerType: string, metadata: { [key: string]: string }, authenticationRef?: TriggerAuthenticationReference): ScaleTrigger {
    // Every `...FromEnv` parameter names a variable KEDA reads from the pods: checked at synth like the typed triggers'.
    const fromEnv = metadata !== null && typeof metadata === 'object'
      ? Object.entries(metadata).filter(([k]) => k.endsWith('FromEnv')).map(([k, v]): [string, unknown] => [`metadata.${k}`, v])
      : [];
    return new ScaleTrigger({ type: scalerType, fromEnv, render: (p, at) => renderCustom(scalerType, metadata, authenticationRef, p, at) });
  }

  /** The KEDA scaler type, e.g. `cron`, `prometheus`. */
  public readonly scalerType: string;

  private constructor(private readonly spec: TriggerSpec) {
    this.scalerType = spec.type;
  }

  /** The resource a cpu or memory trigger measures. @internal */
  public get _resource(): string | undefined {
    return this.spec.resource;
  }

  /** The window's replicas of a cron trigger. @internal */
  public get _desiredReplicas(): unknown {
    return this.spec.desiredReplicas;
  }

  /**
   * The environment variables of the target's first container KEDA reads: the option (or metadata
   * key) that names each, and the variable's name.
   * @internal
   */
  public get _fromEnv(): Array<[string, string]> {
    return (this.spec.fromEnv ?? []).filter((e): e is [string, string] => typeof e[1] === 'string');
  }

  /** The trigger as KEDA spells it, or undefined (with problems) when invalid. @internal */
  public _render(problems: Problems, prop: string): { [key: string]: unknown } | undefined {
    const before = problems.all.length;
    const rendered = this.spec.render(problems, prop);
    if (problems.all.length > before || rendered === undefined) return undefined;
    return rendered;
  }
}

/** Props of an `EventDrivenAutoscaler`. */
export interface EventDrivenAutoscalerProps {
  /**
   * The workload to scale: a `StatelessService` (rolling update, recreate, or the stable track of a canary) or a
   * `StatefulService`. It must not set `replicas`: KEDA owns the count.
   */
  readonly workload: PatternWorkload;
  /** The most pods. */
  readonly maxReplicas: number;
  /**
   * The fewest pods. The default, 0, scales to zero when no trigger is active: nothing runs (or
   * costs) while idle, at a price: the first message waits in its queue for a pod to start (a
   * poll, then scheduling, image pull and startup), an HTTP request to a Service with no pods is
   * refused (nothing holds it: that needs the KEDA HTTP add-on), and a disruption budget cannot
   * protect zero pods. 1 or more keeps pods warm.
   * @default 0
   */
  readonly minReplicas?: number;
  /** What to scale on (at least one); KEDA runs the number of pods the most demanding trigger asks for. */
  readonly triggers: ScaleTrigger[];
  /**
   * How often KEDA polls the triggers (while at zero, and to decide on scaling to zero).
   * @default Duration.seconds(30)
   */
  readonly pollingInterval?: Duration;
  /**
   * How long after the last active poll KEDA scales to zero. Only with `minReplicas: 0` or
   * `idleReplicas` (between 1 and `maxReplicas` pods the HPA and `behavior` decide).
   * @default Duration.minutes(5)
   */
  readonly cooldownPeriod?: Duration;
  /**
   * Pods while no trigger is active, below `minReplicas` (at least 1 then): KEDA supports 0 only.
   * With it, the workload scales to zero when idle and straight to `minReplicas` when a trigger
   * becomes active.
   * @default - no idle count: the workload stays at minReplicas when idle
   */
  readonly idleReplicas?: number;
  /**
   * The pods to run when a trigger keeps failing (e.g. Prometheus is down), instead of keeping the
   * last count. Needs a trigger other than cpu and memory.
   * @default - no fallback
   */
  readonly fallback?: ScalingFallback;
  /**
   * How fast pods are added and removed between 1 and `maxReplicas` (the behaviour of the
   * HorizontalPodAutoscaler KEDA makes), e.g. `ScalingBehavior.fastUpSlowDown()`.
   * @default - the Kubernetes defaults
   */
  readonly behavior?: ScalingBehavior;
}

/**
 * Elastic Scale, driven by events: a KEDA `ScaledObject` (keda.sh/v1alpha1) that scales a workload
 * on queue lengths, consumer lag, a Prometheus query or a schedule, down to zero pods when idle.
 * KEDA makes and owns a HorizontalPodAutoscaler (`keda-hpa-<name>`) for it, so it is this
 * workload's one horizontal scaler; the Deployment or StatefulSet leaves `spec.replicas` out.
 * Needs KEDA 2.x in the cluster; KEDA reads the triggers' sources from its own pods, so the
 * workload's NetworkPolicy needs nothing for it.
 *
 * Checked: one horizontal scaler per workload, no vertical scaler changing a resource a cpu or
 * memory trigger scales on, what KEDA's admission webhook rejects (bounds, idle count, scale to
 * zero on cpu or memory alone, a fallback without an event trigger), no credentials in a trigger,
 * the disruption budget at the fewest pods while active, and at synth, the requests a cpu or memory
 * trigger needs and the environment variables KEDA reads.
 *
 * @see https://keda.sh/docs/latest/reference/scaledobject-spec/
 *
 * @example
 * new EventDrivenAutoscaler(chart, 'worker-scaler', {
 *   workload: worker, maxReplicas: 20,
 *   triggers: [ScaleTrigger.rabbitMq({ queueName: 'orders', value: 50, authenticationRef: { name: 'rabbitmq' } })],
 * });
 */
export class EventDrivenAutoscaler extends Construct {
  /** The ScaledObject (named after the Deployment or StatefulSet it scales). */
  public readonly apiObject!: ApiObject;
  /** The fewest pods (0: scale to zero). */
  public readonly minReplicas!: number;
  /** The most pods. */
  public readonly maxReplicas!: number;

  constructor(scope: Construct, id: string, props: EventDrivenAutoscalerProps) {
    super(scope, id);
    try {
      const p = props ?? ({} as EventDrivenAutoscalerProps);
      const problems = new Problems(this);
      checkKnownKeys(problems, '', props, KNOWN_PROPS.EventDrivenAutoscalerProps, 'EventDrivenAutoscalerProps');

      // Bounds, as KEDA's webhook checks them, and what makes them useful.
      const min = p.minReplicas ?? 0;
      checkInt(problems, 'minReplicas', min, 0);
      checkInt(problems, 'maxReplicas', p.maxReplicas, 1);
      if (p.maxReplicas === undefined) problems.add('maxReplicas', undefined, 'is required: the most pods the autoscaler may run');
      const intBounds = Number.isInteger(min) && Number.isInteger(p.maxReplicas);
      if (intBounds) problems.check(p.maxReplicas > min, 'maxReplicas', p.maxReplicas, `must be more than minReplicas (${min}), or there is nothing to scale`);
      if (p.idleReplicas !== undefined) {
        checkInt(problems, 'idleReplicas', p.idleReplicas, 0);
        if (problems.check(p.idleReplicas === 0, 'idleReplicas', p.idleReplicas, 'must be 0: the only idle count KEDA supports (the HPA cannot hold another)')) {
          problems.check(!Number.isInteger(min) || min >= 1, 'minReplicas', min,
            'must be at least 1 with idleReplicas (which must be below it); for plain scale to zero, leave idleReplicas out');
        }
      }
      const scalesToZero = min === 0 || p.idleReplicas !== undefined;
      const polling = seconds(problems, 'pollingInterval', p.pollingInterval, 1);
      const cooldown = seconds(problems, 'cooldownPeriod', p.cooldownPeriod, 0);
      if (p.cooldownPeriod !== undefined) {
        problems.check(scalesToZero, 'cooldownPeriod', cooldown !== undefined ? `${cooldown}s` : p.cooldownPeriod,
          `applies only when scaling to zero (minReplicas 0, or idleReplicas), and minReplicas is ${renderValue(min)}: between 1 and maxReplicas, use behavior`);
      }

      // Triggers.
      const triggers = Array.isArray(p.triggers) ? p.triggers : [];
      if (!Array.isArray(p.triggers) || p.triggers.length === 0) {
        problems.add('triggers', p.triggers, 'must be a non-empty list of ScaleTrigger (ScaleTrigger.rabbitMq(), prometheus(), cron(), ...)');
      }
      const rendered: Array<{ [key: string]: unknown }> = [];
      const valid: ScaleTrigger[] = [];
      triggers.forEach((t, i) => {
        const at = `triggers[${i}]`;
        if (!(t instanceof ScaleTrigger)) {
          problems.add(at, t, 'must be created with ScaleTrigger.rabbitMq(), kafka(), prometheus(), cron(), cpu(), memory() or custom()');
          return;
        }
        valid.push(t);
        const r = t._render(problems, at);
        if (!r) return;
        const twin = rendered.findIndex((x) => JSON.stringify(x) === JSON.stringify(r));
        if (!problems.check(twin < 0, at, t.scalerType, `is the same trigger as triggers[${twin}]: give it once`)) return;
        rendered.push(r);
        if (t._desiredReplicas !== undefined && Number.isInteger(t._desiredReplicas) && intBounds) {
          const desired = t._desiredReplicas as number;
          problems.check(desired > min && desired <= p.maxReplicas, `${at}.desiredReplicas`, desired,
            `must be more than minReplicas (${min}) and at most maxReplicas (${p.maxReplicas}): the window would change nothing, or be cut to maxReplicas`);
        }
      });
      for (const resource of ['cpu', 'memory']) {
        problems.check(valid.filter((t) => t._resource === resource).length <= 1, 'triggers', resource,
          `must have one ${resource} trigger at most (the autoscaler would follow the most demanding one only)`);
      }
      const events = valid.filter((t) => t._resource === undefined);
      if (valid.length > 0 && events.length === 0 && scalesToZero) {
        problems.add('triggers', valid.map((t) => t.scalerType), 'cannot wake the workload from zero: cpu and memory are measured on running pods (KEDA rejects it). '
          + 'Add an event trigger (queue, Prometheus, cron), or set minReplicas to at least 1 without idleReplicas');
      }

      // Fallback and behaviour.
      let fallback: { failureThreshold: number; replicas: number } | undefined;
      const eventsOnly = events.length > 0 && events.length === valid.length;
      if (p.fallback !== undefined) fallback = renderFallback(p.fallback, min, p.maxReplicas, eventsOnly, problems);
      let behavior: kplus.k8s.HorizontalPodAutoscalerBehaviorV2 | undefined;
      if (p.behavior !== undefined) {
        if (p.behavior instanceof ScalingBehavior) behavior = p.behavior._render(problems, 'behavior');
        else problems.add('behavior', p.behavior, 'must be created with ScalingBehavior.fastUpSlowDown(), scaleUpOnly() or custom()');
      }

      // The target.
      // The workload last: what is wrong with it ends the checks, so every other prop is checked first.
      const workload = attachedWorkload(problems, p.workload);
      namespaceProblem(this, workload, problems);
      const fewestActive = Number.isInteger(min) ? Math.max(min, 1) : undefined;
      const targets = horizontalTargets(workload, problems, Number.isInteger(min) ? min : undefined, fewestActive === undefined ? undefined
        : { replicas: fewestActive, text: `at ${fewestActive} replica${fewestActive === 1 ? '' : 's'}, the fewest while active` });
      const resources = valid.map((t) => t._resource).filter((r): r is string => r !== undefined);
      attachAutoscaler(workload, { kind: 'ScaledObject', path: this.node.path, horizontal: true, resources }, problems);
      problems.throwIfAny();

      const target = targets[0];
      target.scalable.markHasAutoscaler();
      this.minReplicas = min;
      this.maxReplicas = p.maxReplicas;
      // KEDA names its HPA keda-hpa-<name>, which its webhook wants within 63 characters: the names of
      // the workloads that scale horizontally leave room for it (at most 52 characters).
      const behaviorJson = behavior ? kplus.k8s.toJson_HorizontalPodAutoscalerBehaviorV2(behavior) : undefined;
      const hpaConfig = behaviorJson && Object.keys(behaviorJson).length > 0 ? { behavior: behaviorJson } : {};
      this.apiObject = new ApiObject(this, 'Resource', {
        apiVersion: API_VERSION,
        kind: 'ScaledObject',
        metadata: { name: target.name, labels: workload._objectLabels() },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: target.kind, name: target.name },
          ...(polling !== undefined ? { pollingInterval: polling } : {}),
          ...(cooldown !== undefined ? { cooldownPeriod: cooldown } : {}),
          ...(p.idleReplicas !== undefined ? { idleReplicaCount: p.idleReplicas } : {}),
          minReplicaCount: min,
          maxReplicaCount: p.maxReplicas,
          ...(fallback ? { fallback } : {}),
          ...(Object.keys(hpaConfig).length > 0 ? { advanced: { horizontalPodAutoscalerConfig: hpaConfig } } : {}),
          triggers: rendered,
        },
      });
      registerAppChecks(this);
      const needsPods = valid.filter((t) => t._resource !== undefined || t._fromEnv.length > 0);
      if (needsPods.length > 0) addSynthValidation(this, () => podsFor(this, target, valid));
    } catch (e) {
      return deferConstruction(this, e);
    }
  }
}

/**
 * At synth, against the pods as they render (containers added later included): a cpu or memory
 * trigger needs that request on every container (KEDA's webhook rejects the ScaledObject, and the
 * HPA computes no utilisation, without it); an `...FromEnv` parameter needs the variable on the
 * first container, where KEDA reads it.
 */
function podsFor(scope: Construct, target: ScaleTarget, triggers: ScaleTrigger[]): string[] {
  const problems = new Problems(scope);
  const { spec, withoutRequest } = renderedPodOf(target);
  triggers.forEach((t, i) => {
    const resource = t._resource;
    if (resource !== undefined) {
      const missing = withoutRequest(resource);
      problems.check(missing.length === 0, `triggers[${i}]`, t.scalerType,
        `needs a ${resource} request on every container of the pods, and ${showList(missing)} of ${target.kind} ${target.name} has none `
        + `(KEDA rejects the ScaledObject, and no utilisation can be computed): give the containers ${resource} requests in their demands`);
    }
    for (const [option, env] of t._fromEnv) {
      const first = spec?.containers?.[0];
      const defined = (first?.env ?? []).some((e: any) => e.name === env) || (first?.envFrom ?? []).length > 0;
      problems.check(defined, `triggers[${i}].${option}`, env,
        `must be an environment variable of the container "${first?.name}" (the first container of the pods, where KEDA reads it): add it to its env`);
    }
  });
  return problems.messages();
}

function renderFallback(
  f: ScalingFallback, min: number, max: number, hasEvents: boolean, problems: Problems,
): { failureThreshold: number; replicas: number } | undefined {
  if (f === null || typeof f !== 'object' || Array.isArray(f)) {
    problems.add('fallback', f, 'must be { failureThreshold, replicas }');
    return undefined;
  }
  checkKnownKeys(problems, 'fallback.', f, KNOWN_PROPS.ScalingFallback, 'ScalingFallback');
  if (f.failureThreshold === undefined) problems.add('fallback.failureThreshold', undefined, 'is required: the failed polls in a row before the fallback');
  checkInt(problems, 'fallback.failureThreshold', f.failureThreshold, 1);
  if (f.replicas === undefined) problems.add('fallback.replicas', undefined, 'is required: the pods to run while the triggers fail');
  checkInt(problems, 'fallback.replicas', f.replicas, 1);
  if (Number.isInteger(f.replicas) && Number.isInteger(min) && Number.isInteger(max)) {
    problems.check(f.replicas >= min && f.replicas <= max, 'fallback.replicas', f.replicas,
      `must be between minReplicas (${min}) and maxReplicas (${max}): the HPA keeps the count in that range`);
  }
  problems.check(hasEvents, 'fallback', f, 'needs event triggers only: KEDA\'s webhook rejects a fallback when any trigger is cpu or memory');
  return { failureThreshold: f.failureThreshold, replicas: f.replicas };
}

// ---------------------------------------------------------------------------------------------
// Triggers

/** Checks the options object of a trigger factory; false (with a problem) when it is none. */
function checkOptions(o: unknown, iface: string, shape: string, problems: Problems, prop: string): o is any {
  if (!problems.check(isMap(o), prop, o, `must be the options ${shape}`)) return false;
  checkKnownKeys(problems, `${prop}.`, o, KNOWN_PROPS[iface], iface);
  return true;
}

/** A positive (or, with `zero`, non-negative) finite number, as KEDA's metadata spells it. */
function number(problems: Problems, prop: string, v: unknown, zero: boolean, integer = false): string {
  const ok = typeof v === 'number' && Number.isFinite(v) && (zero ? v >= 0 : v > 0) && Math.abs(v) <= Number.MAX_SAFE_INTEGER
    && (!integer || Number.isInteger(v));
  problems.check(ok, prop, v, `must be a${integer ? ' whole' : ''} number ${zero ? 'of 0 or more' : 'greater than 0'}`);
  return String(v);
}

function nonEmpty(problems: Problems, prop: string, v: unknown): boolean {
  return problems.check(typeof v === 'string' && v.trim().length > 0, prop, v, 'must be a non-empty string');
}

function renderAuth(ref: TriggerAuthenticationReference | undefined, problems: Problems, prop: string): { name: string; kind?: string } | undefined {
  if (ref === undefined) return undefined;
  if (!problems.check(isMap(ref), prop, ref, 'must be { name, kind } of a TriggerAuthentication')) return undefined;
  checkKnownKeys(problems, `${prop}.`, ref, KNOWN_PROPS.TriggerAuthenticationReference, 'TriggerAuthenticationReference');
  checkDnsSubdomain(problems, `${prop}.name`, ref.name);
  if (ref.kind !== undefined) {
    problems.check(Object.values(TriggerAuthenticationKind).includes(ref.kind), `${prop}.kind`, ref.kind, 'must be a TriggerAuthenticationKind');
  }
  return { name: ref.name, ...(ref.kind !== undefined ? { kind: ref.kind } : {}) };
}

/** A trigger in KEDA's shape. */
function trigger(
  type: string, metadata: { [key: string]: string }, auth?: { name: string; kind?: string }, metricType?: string,
): { [key: string]: unknown } {
  return { type, ...(metricType ? { metricType } : {}), metadata, ...(auth ? { authenticationRef: auth } : {}) };
}

function renderCron(o: CronTriggerOptions, problems: Problems, prop: string) {
  if (!checkOptions(o, 'CronTriggerOptions', '{ timezone, start, end, desiredReplicas }', problems, prop)) return undefined;
  if (o.timezone === undefined) problems.add(`${prop}.timezone`, undefined, 'is required: the IANA time zone of the schedule, e.g. "Europe/Berlin"');
  else checkTimeZone(problems, `${prop}.timezone`, o.timezone);
  const start = checkCron(problems, `${prop}.start`, o.start);
  const end = checkCron(problems, `${prop}.end`, o.end);
  if (start !== undefined && end !== undefined) problems.check(start !== end, `${prop}.end`, o.end, 'must differ from start: the window would be empty');
  if (o.desiredReplicas === undefined) problems.add(`${prop}.desiredReplicas`, undefined, 'is required: the pods during the window');
  checkInt(problems, `${prop}.desiredReplicas`, o.desiredReplicas, 1);
  return trigger('cron', {
    timezone: o.timezone,
    start: typeof o.start === 'string' ? o.start.trim() : o.start,
    end: typeof o.end === 'string' ? o.end.trim() : o.end,
    desiredReplicas: String(o.desiredReplicas),
  });
}

function renderPrometheus(o: PrometheusTriggerOptions, problems: Problems, prop: string) {
  if (!checkOptions(o, 'PrometheusTriggerOptions', '{ serverAddress, query, threshold, ... }', problems, prop)) return undefined;
  checkUrl(problems, `${prop}.serverAddress`, o.serverAddress, ['http:', 'https:']);
  nonEmpty(problems, `${prop}.query`, o.query);
  const metadata: { [key: string]: string } = {
    serverAddress: o.serverAddress,
    query: o.query,
    threshold: number(problems, `${prop}.threshold`, o.threshold, false),
  };
  if (o.activationThreshold !== undefined) metadata.activationThreshold = number(problems, `${prop}.activationThreshold`, o.activationThreshold, true);
  if (o.namespace !== undefined) {
    checkDnsLabel(problems, `${prop}.namespace`, o.namespace);
    metadata.namespace = o.namespace;
  }
  if (o.ignoreNullValues !== undefined) {
    problems.check(typeof o.ignoreNullValues === 'boolean', `${prop}.ignoreNullValues`, o.ignoreNullValues, 'must be a boolean');
    metadata.ignoreNullValues = String(o.ignoreNullValues);
  }
  if (o.authModes !== undefined) {
    const modes = o.authModes;
    if (!Array.isArray(modes) || modes.length === 0) {
      problems.add(`${prop}.authModes`, modes, 'must be a non-empty list of PrometheusAuthMode (leave it out for none)');
    } else {
      modes.forEach((m, i) => problems.check(Object.values(PrometheusAuthMode).includes(m), `${prop}.authModes[${i}]`, m, 'must be a PrometheusAuthMode'));
      problems.check(new Set(modes).size === modes.length, `${prop}.authModes`, modes, 'must list each mode once');
      problems.check(o.authenticationRef !== undefined, `${prop}.authModes`, modes,
        'needs authenticationRef: the TriggerAuthentication that holds the credentials (never the trigger)');
      metadata.authModes = modes.join(',');
    }
  }
  return trigger('prometheus', metadata, renderAuth(o.authenticationRef, problems, `${prop}.authenticationRef`));
}

function renderRabbitMq(o: RabbitMqTriggerOptions, problems: Problems, prop: string) {
  if (!checkOptions(o, 'RabbitMqTriggerOptions', '{ queueName, value, mode, hostFromEnv or authenticationRef, ... }', problems, prop)) return undefined;
  nonEmpty(problems, `${prop}.queueName`, o.queueName);
  const mode = o.mode ?? RabbitMqMode.QUEUE_LENGTH;
  problems.check(Object.values(RabbitMqMode).includes(mode), `${prop}.mode`, mode, 'must be a RabbitMqMode');
  if (o.protocol !== undefined) problems.check(Object.values(RabbitMqProtocol).includes(o.protocol), `${prop}.protocol`, o.protocol, 'must be a RabbitMqProtocol');
  if (mode === RabbitMqMode.MESSAGE_RATE) {
    problems.check(o.protocol === RabbitMqProtocol.HTTP, `${prop}.protocol`, o.protocol,
      'must be RabbitMqProtocol.HTTP with RabbitMqMode.MESSAGE_RATE: only the management API reports the publish rate');
  }
  const metadata: { [key: string]: string } = {
    ...(o.protocol !== undefined ? { protocol: o.protocol } : {}),
    queueName: o.queueName,
    mode,
    value: number(problems, `${prop}.value`, o.value, false, mode === RabbitMqMode.QUEUE_LENGTH),
  };
  if (o.activationValue !== undefined) metadata.activationValue = number(problems, `${prop}.activationValue`, o.activationValue, true);
  if (o.vhostName !== undefined) {
    nonEmpty(problems, `${prop}.vhostName`, o.vhostName);
    metadata.vhostName = o.vhostName;
  }
  if (o.hostFromEnv !== undefined) {
    problems.check(typeof o.hostFromEnv === 'string' && ENV_NAME.test(o.hostFromEnv), `${prop}.hostFromEnv`, o.hostFromEnv,
      'must be the name of an environment variable (letters, digits and "_", not starting with a digit)');
    metadata.hostFromEnv = o.hostFromEnv;
  }
  problems.check(o.hostFromEnv !== undefined || o.authenticationRef !== undefined, `${prop}.authenticationRef`, undefined,
    'or hostFromEnv is required: the connection string holds the credentials, so it never goes into the trigger');
  return trigger('rabbitmq', metadata, renderAuth(o.authenticationRef, problems, `${prop}.authenticationRef`));
}

function renderRedisList(o: RedisListTriggerOptions, problems: Problems, prop: string) {
  if (!checkOptions(o, 'RedisListTriggerOptions', '{ listName, listLength, address or addressFromEnv, ... }', problems, prop)) return undefined;
  nonEmpty(problems, `${prop}.listName`, o.listName);
  const metadata: { [key: string]: string } = {
    listName: o.listName,
    listLength: number(problems, `${prop}.listLength`, o.listLength, false, true),
  };
  if (o.activationListLength !== undefined) {
    metadata.activationListLength = number(problems, `${prop}.activationListLength`, o.activationListLength, true, true);
  }
  problems.check((o.address === undefined) !== (o.addressFromEnv === undefined), `${prop}.address`, shown(o.address),
    'or addressFromEnv is required, and not both: where KEDA finds Redis');
  if (o.address !== undefined) {
    problems.check(typeof o.address === 'string' && HOST_PORT.test(o.address), `${prop}.address`, shown(o.address),
      'must be "host:port" (no scheme, no credentials)');
    metadata.address = o.address;
  }
  if (o.addressFromEnv !== undefined) {
    problems.check(typeof o.addressFromEnv === 'string' && ENV_NAME.test(o.addressFromEnv), `${prop}.addressFromEnv`, o.addressFromEnv,
      'must be the name of an environment variable (letters, digits and "_", not starting with a digit)');
    metadata.addressFromEnv = o.addressFromEnv;
  }
  if (o.databaseIndex !== undefined) metadata.databaseIndex = number(problems, `${prop}.databaseIndex`, o.databaseIndex, true, true);
  if (o.enableTls !== undefined) {
    problems.check(typeof o.enableTls === 'boolean', `${prop}.enableTls`, o.enableTls, 'must be true or false');
    metadata.enableTLS = String(o.enableTls);
  }
  return trigger('redis', metadata, renderAuth(o.authenticationRef, problems, `${prop}.authenticationRef`));
}

/** `host:port`, the host a DNS name or a bracketed IPv6 address. */
const HOST_PORT = /^([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]):[0-9]{1,5}$/;
/** An environment variable name. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function renderKafka(o: KafkaTriggerOptions, problems: Problems, prop: string) {
  if (!checkOptions(o, 'KafkaTriggerOptions', '{ bootstrapServers, consumerGroup, topic, ... }', problems, prop)) return undefined;
  const servers = o.bootstrapServers;
  if (!Array.isArray(servers) || servers.length === 0) {
    problems.add(`${prop}.bootstrapServers`, servers, 'must be a non-empty list of "host:port"');
  } else {
    servers.forEach((s, i) => problems.check(typeof s === 'string' && HOST_PORT.test(s),
      `${prop}.bootstrapServers[${i}]`, shown(s), 'must be "host:port" (no scheme, no credentials)'));
  }
  nonEmpty(problems, `${prop}.consumerGroup`, o.consumerGroup);
  if (nonEmpty(problems, `${prop}.topic`, o.topic)) {
    problems.check(/^[A-Za-z0-9._-]{1,249}$/.test(o.topic), `${prop}.topic`, o.topic, 'must be a Kafka topic name: letters, digits, ".", "_" and "-"');
  }
  const metadata: { [key: string]: string } = {
    bootstrapServers: Array.isArray(servers) ? servers.join(',') : '',
    consumerGroup: o.consumerGroup,
    topic: o.topic,
  };
  if (o.lagThreshold !== undefined) metadata.lagThreshold = number(problems, `${prop}.lagThreshold`, o.lagThreshold, false, true);
  if (o.activationLagThreshold !== undefined) metadata.activationLagThreshold = number(problems, `${prop}.activationLagThreshold`, o.activationLagThreshold, true, true);
  if (o.offsetResetPolicy !== undefined) {
    problems.check(Object.values(KafkaOffsetResetPolicy).includes(o.offsetResetPolicy), `${prop}.offsetResetPolicy`, o.offsetResetPolicy, 'must be a KafkaOffsetResetPolicy');
    metadata.offsetResetPolicy = o.offsetResetPolicy;
  }
  if (o.allowIdleConsumers !== undefined) {
    problems.check(typeof o.allowIdleConsumers === 'boolean', `${prop}.allowIdleConsumers`, o.allowIdleConsumers, 'must be a boolean');
    metadata.allowIdleConsumers = String(o.allowIdleConsumers);
  }
  if (o.sasl !== undefined) {
    problems.check(Object.values(KafkaSaslMode).includes(o.sasl), `${prop}.sasl`, o.sasl, 'must be a KafkaSaslMode');
    problems.check(o.sasl === KafkaSaslMode.NONE || o.authenticationRef !== undefined, `${prop}.sasl`, o.sasl,
      'needs authenticationRef: the TriggerAuthentication that holds the credentials (never the trigger)');
    metadata.sasl = o.sasl;
  }
  if (o.tls !== undefined) {
    problems.check(typeof o.tls === 'boolean', `${prop}.tls`, o.tls, 'must be a boolean');
    metadata.tls = o.tls === true ? 'enable' : 'disable';
  }
  return trigger('kafka', metadata, renderAuth(o.authenticationRef, problems, `${prop}.authenticationRef`));
}

function renderResource(type: string, utilization: number, problems: Problems, prop: string) {
  checkInt(problems, `${prop}.utilization`, utilization, 1);
  if (utilization === undefined) problems.add(`${prop}.utilization`, undefined, 'is required: the average use in percent of the requests');
  return trigger(type, { value: String(utilization) }, undefined, 'Utilization');
}

/** Parameter names that carry credentials in KEDA scalers (a `...FromEnv` variant names a variable instead). */
const SECRET_PARAMETER = /^(.*password|.*passwd|.*secret|.*secretkey|.*secretaccesskey|.*token|.*apikey|.*api_key|.*accountkey|.*accesskey|.*accesskeyid|.*credentials?|connection|connectionstring|key|privatekey|keypassword)$/i;

/** A URL with a user (and so, usually, a password) in it: `scheme://user:password@host`. */
const URL_WITH_USER = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#@\s]+@/;

/** A connection string with a key or password in it (`...;SharedAccessKey=...`, `Password=...`). */
const CONNECTION_STRING_SECRET = /(^|;)\s*[A-Za-z]*(Key|Password|Secret|Token|Signature)\s*=/i;

function renderCustom(
  type: string, metadata: { [key: string]: string }, auth: TriggerAuthenticationReference | undefined, problems: Problems, prop: string,
) {
  if (problems.check(typeof type === 'string' && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(type), `${prop}.scalerType`, type,
    'must be a KEDA scaler type, e.g. "aws-sqs-queue" (lower-case letters, digits and "-")')) {
    problems.check(type !== 'cpu' && type !== 'memory', `${prop}.scalerType`, type,
      `must not be ${type}: use ScaleTrigger.${type}(), which the requests and the vertical-autoscaler checks know`);
  }
  if (!problems.check(isMap(metadata) && Object.keys(metadata).length > 0, `${prop}.metadata`, metadata, 'must be a non-empty map of the scaler\'s parameters')) {
    return undefined;
  }
  for (const [k, v] of Object.entries(metadata)) {
    const at = `${prop}.metadata["${k}"]`;
    if (!problems.check(typeof v === 'string', at, v, 'must be a string (KEDA\'s parameters are strings: "10", "true")')) continue;
    problems.check(!SECRET_PARAMETER.test(k) || /FromEnv$/.test(k), at, '(hidden)',
      'is a credential, which must not be in a trigger: put it in a TriggerAuthentication (authenticationRef), or use the parameter\'s ...FromEnv variant');
    problems.check(!URL_WITH_USER.test(v) && !CONNECTION_STRING_SECRET.test(v), at, '(hidden)',
      'holds credentials (a URL with a user, or a connection string with a key or password), which must not be in a trigger: '
      + 'put it in a TriggerAuthentication (authenticationRef), or use the parameter\'s ...FromEnv variant');
  }
  return trigger(type, { ...metadata }, renderAuth(auth, problems, `${prop}.authenticationRef`));
}

/** A value for a message, or `(hidden)` when it may hold credentials (`user:password@`). */
function shown(v: unknown): unknown {
  return typeof v === 'string' && v.includes('@') ? '(hidden)' : v;
}

function checkUrl(problems: Problems, prop: string, v: unknown, schemes: string[]): void {
  let url: URL | undefined;
  try {
    url = typeof v === 'string' ? new URL(v) : undefined;
  } catch {
    url = undefined;
  }
  if (!problems.check(url !== undefined && schemes.includes(url.protocol) && url.hostname !== '', prop, shown(v),
    `must be a URL (${schemes.map((s) => s.replace(':', '')).join(' or ')}), e.g. "http://prometheus.monitoring:9090"`)) return;
  problems.check(url!.username === '' && url!.password === '', prop, '(hidden)',
    'must not hold credentials: give them through authModes and a TriggerAuthentication (authenticationRef)');
}
