import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { seconds } from './health-check';
import { checkPort } from '../core/names';
import { showDuration } from '../core/quantity';
import { Problems } from '../core/validation';

/** Options for an HTTP lifecycle hook. */
export interface HttpHookOptions {
  /**
   * Port to call.
   * @default - the workload's port
   */
  readonly port?: number;
}

enum HookKind { EXEC = 'exec', HTTP = 'http', SLEEP = 'sleep' }

/**
 * A container lifecycle hook (postStart or preStop).
 * @see https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
 */
export class LifecycleHook {
  /** Runs a command in the container. */
  public static exec(command: string[]): LifecycleHook {
    return new LifecycleHook(HookKind.EXEC, { command });
  }

  /** Sends an HTTP GET to the container. */
  public static httpGet(path: string, options: HttpHookOptions = {}): LifecycleHook {
    return new LifecycleHook(HookKind.HTTP, { path, port: options?.port });
  }

  /**
   * Waits, so that endpoints and load balancers stop sending traffic before SIGTERM arrives.
   * Kubernetes 1.28 has no native sleep action, so this runs `sleep <seconds>` in the container:
   * the image must provide a `sleep` binary (distroless images do not; use `httpGet` to an
   * endpoint that waits, instead).
   */
  public static sleep(duration: Duration): LifecycleHook {
    return new LifecycleHook(HookKind.SLEEP, { duration });
  }

  private constructor(
    private readonly kind: HookKind,
    private readonly spec: { command?: string[]; path?: string; port?: number; duration?: Duration },
  ) {}

  /**
   * How long the hook waits, if it is a sleep.
   * @internal
   */
  public get _sleepSeconds(): number | undefined {
    const d = this.spec.duration;
    if (this.kind !== HookKind.SLEEP || !(d instanceof Duration)) return undefined;
    try {
      return d.toMilliseconds() / 1000;
    } catch {
      return undefined;
    }
  }

  /**
   * The kplus handler, recording problems instead of throwing.
   * @internal
   */
  public _toHandler(defaultPort: number | undefined, problems: Problems, prop: string): kplus.Handler | undefined {
    switch (this.kind) {
      case HookKind.EXEC:
        if (!problems.check(Array.isArray(this.spec.command) && this.spec.command.length > 0 && this.spec.command.every((x: unknown) => typeof x === 'string'),
          `${prop}.command`, this.spec.command, 'must be a non-empty list of strings')) return undefined;
        return kplus.Handler.fromCommand(this.spec.command!);
      case HookKind.HTTP: {
        const port = this.spec.port ?? defaultPort;
        problems.check(typeof this.spec.path === 'string' && this.spec.path.startsWith('/'), `${prop}.path`, this.spec.path, 'must start with "/"');
        if (port === undefined) problems.add(`${prop}.port`, port, 'is required when the container has no port');
        checkPort(problems, `${prop}.port`, port);
        return kplus.Handler.fromHttpGet(this.spec.path ?? '/', { port });
      }
      default: {
        if (this.spec.duration === undefined) {
          problems.add(`${prop}.duration`, undefined, 'is required, e.g. Duration.seconds(5)');
          return undefined;
        }
        const s = seconds(problems, `${prop}.duration`, this.spec.duration, 1);
        return s === undefined ? undefined : kplus.Handler.fromCommand(['sleep', String(s)]);
      }
    }
  }
}

/**
 * Managed Lifecycle: how a container starts and stops.
 *
 * On deletion Kubernetes runs preStop, then sends SIGTERM, then SIGKILL once the grace period is
 * over. A preStop sleep gives endpoint controllers, kube-proxy and load balancers time to stop
 * routing to the pod before it starts shutting down.
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
 */
export interface LifecycleOptions {
  /**
   * Time between the start of termination (preStop, then SIGTERM) and SIGKILL. Must be longer
   * than any preStop sleep.
   * @default Duration.seconds(30)
   */
  readonly gracePeriod?: Duration;
  /**
   * Shorthand for `preStop: LifecycleHook.sleep(...)`.
   * @default - no preStop sleep
   */
  readonly preStopSleep?: Duration;
  /**
   * Hook run before SIGTERM. Cannot be combined with `preStopSleep`.
   * @default - none
   */
  readonly preStop?: LifecycleHook;
  /**
   * Hook run right after the container starts (concurrently with its entrypoint).
   * @default - none
   */
  readonly postStart?: LifecycleHook;
}

/** The rendered lifecycle of a container and pod. @internal */
export interface RenderedLifecycle {
  readonly gracePeriod: Duration;
  readonly lifecycle: kplus.ContainerLifecycle;
}

/**
 * Validates lifecycle options and turns them into kplus values.
 * @internal
 */
export function renderLifecycle(
  options: LifecycleOptions | undefined, defaultPort: number | undefined, problems: Problems, prop: string,
): RenderedLifecycle {
  const o = options ?? {};
  const grace = seconds(problems, `${prop}.gracePeriod`, o.gracePeriod, 0, Number.MAX_SAFE_INTEGER) ?? 30; // int64
  for (const hook of ['preStop', 'postStart'] as const) {
    if (o[hook] !== undefined && !(o[hook] instanceof LifecycleHook)) {
      problems.add(`${prop}.${hook}`, o[hook], 'must be created with LifecycleHook.exec(), httpGet() or sleep()');
      return { gracePeriod: Duration.seconds(grace), lifecycle: {} };
    }
  }
  if (o.preStopSleep !== undefined && !(o.preStopSleep instanceof Duration)) {
    problems.add(`${prop}.preStopSleep`, o.preStopSleep, 'must be a Duration, e.g. Duration.seconds(5)');
    return { gracePeriod: Duration.seconds(grace), lifecycle: {} };
  }
  if (o.preStop !== undefined && o.preStopSleep !== undefined) {
    problems.add(`${prop}.preStopSleep`, showDuration(o.preStopSleep), 'cannot be combined with preStop (a container has one preStop hook)');
  }
  const preStop = o.preStop ?? (o.preStopSleep !== undefined ? LifecycleHook.sleep(o.preStopSleep) : undefined);
  const sleep = preStop?._sleepSeconds;
  if (sleep !== undefined) {
    problems.check(sleep < grace, `${prop}.preStopSleep`, `${sleep}s`, `must be shorter than gracePeriod (${grace}s), or SIGKILL arrives before the application sees SIGTERM`);
  }
  return {
    gracePeriod: Duration.seconds(grace),
    lifecycle: {
      preStop: preStop?._toHandler(defaultPort, problems, `${prop}.preStop`),
      postStart: o.postStart?._toHandler(defaultPort, problems, `${prop}.postStart`),
    },
  };
}
