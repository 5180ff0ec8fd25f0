import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { checkPort } from '../core/names';
import { checkInt, INT32_MAX, Problems } from '../core/validation';

/** How often and how patiently a probe runs. Defaults depend on the probe's role. */
export interface ProbeTiming {
  /**
   * Wait before the first probe.
   * @default Duration.seconds(0)
   */
  readonly initialDelay?: Duration;
  /**
   * Time between probes.
   * @default - 10s for liveness, 5s for readiness and startup
   */
  readonly period?: Duration;
  /**
   * Time after which one probe counts as failed.
   * @default Duration.seconds(2)
   */
  readonly timeout?: Duration;
  /**
   * Consecutive failures before the probe gives up.
   * @default - 3 for liveness and readiness, 30 for startup (150 s to start)
   */
  readonly failureThreshold?: number;
  /**
   * Consecutive successes before a failed probe counts as passing again. Must be 1 for liveness
   * and startup probes.
   * @default 1
   */
  readonly successThreshold?: number;
}

/** URI scheme of an HTTP probe. */
export enum ProbeScheme {
  /** Plain HTTP. */
  HTTP = 'HTTP',
  /** HTTPS; the certificate is not verified. */
  HTTPS = 'HTTPS',
}

/** Options for an HTTP probe. */
export interface HttpProbeOptions extends ProbeTiming {
  /**
   * Port to probe.
   * @default - the workload's port
   */
  readonly port?: number;
  /**
   * URI scheme.
   * @default ProbeScheme.HTTP
   */
  readonly scheme?: ProbeScheme;
}

/** Options for a TCP or gRPC probe. */
export interface PortProbeOptions extends ProbeTiming {
  /**
   * Port to probe.
   * @default - the workload's port
   */
  readonly port?: number;
}

/** Options for a gRPC probe. */
export interface GrpcProbeOptions extends PortProbeOptions {
  /**
   * The service name sent in the gRPC health check request.
   * @default - the server's overall health ("")
   */
  readonly service?: string;
}

/** The role a probe plays; it decides the default timing. */
export enum ProbeRole {
  /** Restarts the container when it fails. */
  LIVENESS = 'liveness',
  /** Takes the pod out of Service endpoints when it fails. */
  READINESS = 'readiness',
  /** Holds liveness and readiness back until the container has started. */
  STARTUP = 'startup',
}

enum HandlerKind { HTTP = 'http', TCP = 'tcp', GRPC = 'grpc', EXEC = 'exec' }

/**
 * One probe: a handler (HTTP, TCP, exec or gRPC) and its timing.
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 */
export class HealthProbe {
  /** An HTTP GET that passes on a status from 200 to 399. */
  public static http(path: string, options: HttpProbeOptions = {}): HealthProbe {
    return new HealthProbe(HandlerKind.HTTP, options ?? {}, { path, scheme: options?.scheme });
  }

  /** A TCP connection that passes when the port accepts it. */
  public static tcp(options: PortProbeOptions = {}): HealthProbe {
    return new HealthProbe(HandlerKind.TCP, options, {});
  }

  /** A gRPC health check (grpc.health.v1) that passes on SERVING. */
  public static grpc(options: GrpcProbeOptions = {}): HealthProbe {
    return new HealthProbe(HandlerKind.GRPC, options ?? {}, { service: options?.service });
  }

  /** A command run in the container that passes on exit code 0. */
  public static exec(command: string[], options: ProbeTiming = {}): HealthProbe {
    return new HealthProbe(HandlerKind.EXEC, options, { command });
  }

  private constructor(
    private readonly kind: HandlerKind,
    private readonly options: ProbeTiming & { port?: number },
    private readonly handler: { path?: string; scheme?: ProbeScheme; service?: string; command?: string[] },
  ) {}

  /**
   * Renders the probe as Kubernetes JSON, recording problems instead of throwing.
   * @internal
   */
  public _render(role: ProbeRole, defaultPort: number | undefined, problems: Problems, prop: string): k8s.Probe {
    const o = this.options ?? {};
    const port = o.port ?? defaultPort;
    const intPort = k8s.IntOrString.fromNumber(port ?? 0);
    const timing = {
      initialDelaySeconds: seconds(problems, `${prop}.initialDelay`, o.initialDelay, 0) ?? 0,
      periodSeconds: seconds(problems, `${prop}.period`, o.period, 1) ?? (role === ProbeRole.LIVENESS ? 10 : 5),
      timeoutSeconds: seconds(problems, `${prop}.timeout`, o.timeout, 1) ?? 2,
      failureThreshold: o.failureThreshold ?? (role === ProbeRole.STARTUP ? 30 : role === ProbeRole.LIVENESS ? 6 : 3),
      successThreshold: o.successThreshold ?? 1,
    };
    checkInt(problems, `${prop}.failureThreshold`, o.failureThreshold, 1);
    checkInt(problems, `${prop}.successThreshold`, o.successThreshold, 1);
    if (role !== ProbeRole.READINESS && o.successThreshold !== undefined) {
      problems.check(o.successThreshold === 1, `${prop}.successThreshold`, o.successThreshold, `must be 1 for a ${role} probe`);
    }
    if (this.kind !== HandlerKind.EXEC) {
      if (port === undefined) {
        problems.add(`${prop}.port`, port, `is required for a ${this.kind} probe when the container has no port`);
      }
      checkPort(problems, `${prop}.port`, port);
    }
    switch (this.kind) {
      case HandlerKind.HTTP:
        problems.check(typeof this.handler.path === 'string' && this.handler.path.startsWith('/'), `${prop}.path`, this.handler.path, 'must start with "/"');
        if (this.handler.scheme !== undefined) {
          problems.check(Object.values(ProbeScheme).includes(this.handler.scheme), `${prop}.scheme`, this.handler.scheme, 'must be ProbeScheme.HTTP or HTTPS');
        }
        return { httpGet: { path: this.handler.path, port: intPort, scheme: this.handler.scheme ?? ProbeScheme.HTTP }, ...timing };
      case HandlerKind.TCP:
        return { tcpSocket: { port: intPort }, ...timing };
      case HandlerKind.GRPC:
        if (this.handler.service !== undefined) {
          problems.check(typeof this.handler.service === 'string', `${prop}.service`, this.handler.service, 'must be a string: the service name of the gRPC health check');
        }
        return { grpc: { port: port ?? 0, ...(this.handler.service ? { service: this.handler.service } : {}) }, ...timing };
      default:
        problems.check(Array.isArray(this.handler.command) && this.handler.command.length > 0 && this.handler.command.every((x: unknown) => typeof x === 'string'),
          `${prop}.command`, this.handler.command, 'must be a non-empty list of strings');
        return { exec: { command: this.handler.command }, ...timing };
    }
  }
}

/** Probes by role, for `HealthCheck.of()`. */
export interface HealthCheckProbes {
  /**
   * Restarts the container when it fails. Keep it cheap and independent of other services.
   * @default - no liveness probe
   */
  readonly liveness?: HealthProbe;
  /**
   * Takes the pod out of Service endpoints while it fails.
   * @default - no readiness probe
   */
  readonly readiness?: HealthProbe;
  /**
   * Holds the other probes back until the container has started.
   * @default - no startup probe
   */
  readonly startup?: HealthProbe;
}

/**
 * Health Probe pattern: the liveness, readiness and startup probes of a workload's main container.
 *
 * The shorthands `http` and `grpc` check readiness and startup on the endpoint, and liveness
 * only on the process: a TCP connection to the same port, so that an app too busy or too
 * degraded to be ready is taken out of the Service, not restarted (a liveness probe identical to
 * the readiness probe restarts pods exactly when they are overloaded). `tcp` and `exec` use their
 * one check for every role. Timing per role: startup allows 150 s (30 × 5 s) to start, readiness
 * checks every 5 s with 3 failures allowed, liveness every 10 s with 6 failures allowed (one
 * minute), each with a 2 s timeout.
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 */
export class HealthCheck {
  /**
   * Readiness and startup probes on one HTTP path, e.g. `HealthCheck.http('/healthz')`, and a
   * liveness probe that connects to the same port (the process is alive).
   */
  public static http(path: string, options: HttpProbeOptions = {}): HealthCheck {
    return HealthCheck.livenessOnPort((t) => HealthProbe.http(path, { ...options, ...t }), options);
  }

  /** Liveness, readiness and startup probes that open a TCP connection. */
  public static tcp(options: PortProbeOptions = {}): HealthCheck {
    return HealthCheck.same((t) => HealthProbe.tcp({ ...options, ...t }));
  }

  /**
   * Readiness and startup probes that call the gRPC health service, and a liveness probe that
   * connects to the same port (the process is alive).
   */
  public static grpc(options: GrpcProbeOptions = {}): HealthCheck {
    return HealthCheck.livenessOnPort((t) => HealthProbe.grpc({ ...options, ...t }), options);
  }

  /** Liveness, readiness and startup probes that run a command in the container. */
  public static exec(command: string[], options: ProbeTiming = {}): HealthCheck {
    return HealthCheck.same((t) => HealthProbe.exec(command, { ...options, ...t }));
  }

  /** Separate probes per role; a role left out gets no probe. */
  public static of(probes: HealthCheckProbes): HealthCheck {
    return new HealthCheck(probes ?? {});
  }

  /**
   * No probes at all. An explicit opt-out: Kubernetes then routes traffic to the pod as soon as
   * it starts and never restarts a hung container.
   */
  public static none(): HealthCheck {
    return new HealthCheck({});
  }

  private static livenessOnPort(make: (t: ProbeTiming) => HealthProbe, options: PortProbeOptions): HealthCheck {
    const o: PortProbeOptions = options ?? {};
    const timing: PortProbeOptions = {
      port: o.port, initialDelay: o.initialDelay, period: o.period, timeout: o.timeout, failureThreshold: o.failureThreshold,
    };
    return new HealthCheck({ liveness: HealthProbe.tcp(timing), readiness: make({}), startup: make({}) });
  }

  private static same(make: (t: ProbeTiming) => HealthProbe): HealthCheck {
    return new HealthCheck({ liveness: make({}), readiness: make({}), startup: make({}) }, true);
  }

  private constructor(
    private readonly probes: HealthCheckProbes,
    /** @internal One check for every role (`tcp`, `exec`): liveness checks what readiness checks. */
    public readonly _oneCheck: boolean = false,
  ) {}

  /**
   * Renders each probe as Kubernetes JSON, keyed by container field.
   * @internal
   */
  public _render(defaultPort: number | undefined, problems: Problems, prop: string): { [field: string]: k8s.Probe } {
    const out: { [field: string]: k8s.Probe } = {};
    const roles: Array<[keyof HealthCheckProbes, ProbeRole, string]> = [
      ['liveness', ProbeRole.LIVENESS, 'livenessProbe'],
      ['readiness', ProbeRole.READINESS, 'readinessProbe'],
      ['startup', ProbeRole.STARTUP, 'startupProbe'],
    ];
    for (const [key, role, field] of roles) {
      const probe = this.probes[key];
      if (probe === undefined) continue;
      if (!(probe instanceof HealthProbe)) {
        problems.add(`${prop}.${key}`, probe, 'must be created with HealthProbe.http(), tcp(), grpc() or exec()');
        continue;
      }
      out[field] = probe._render(role, defaultPort, problems, `${prop}.${key}`);
    }
    return out;
  }
}

/**
 * Whole seconds of an optional duration, recording a problem if it is fractional, too small, or too
 * large for its field: `max` is the int32 range most fields of the API have (int64 fields pass
 * `Number.MAX_SAFE_INTEGER`).
 */
export function seconds(problems: Problems, prop: string, d: Duration | undefined, min: number, max: number = INT32_MAX): number | undefined {
  if (d === undefined) return undefined;
  if (!(d instanceof Duration)) {
    problems.add(prop, d, 'must be a Duration, e.g. Duration.seconds(5)');
    return undefined;
  }
  let ms: number;
  try {
    ms = d.toMilliseconds();
  } catch {
    problems.add(prop, 'invalid Duration', 'must be a finite, whole number of milliseconds (not NaN or Infinity)');
    return undefined;
  }
  const s = ms / 1000;
  problems.check(Number.isInteger(s) && s >= min && s <= max, prop, `${s}s`, `must be a whole number of seconds, at least ${min} and at most ${max}`);
  return Math.floor(s);
}
