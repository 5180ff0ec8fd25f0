import { Construct } from 'constructs';
import { deferConstruction } from '../core/app-checks';
import { KNOWN_PROPS } from '../core/known-props';
import { checkKnownKeys, Problems } from '../core/validation';
import { WorkloadContainerOptions } from '../pod/container';
import { ContainerRole } from '../workload/container';
import { attachedWorkload, PatternWorkload } from '../workload/workload';

/** Props of an `Ambassador`. */
export interface AmbassadorProps {
  /** The workload whose pods get the ambassador. */
  readonly workload: PatternWorkload;
  /**
   * The proxy container. It listens on `port` on localhost (configure the image to bind
   * 127.0.0.1) and forwards to the external service, handling discovery, TLS, retries or
   * sharding so that the application does not have to.
   */
  readonly container: WorkloadContainerOptions;
  /**
   * Run the proxy as a native sidecar (an init container with `restartPolicy: Always`), so it is
   * up before the application starts and stops after it: the application's first and last
   * requests go through. Needs Kubernetes 1.29 or later (1.28 with the `SidecarContainers`
   * feature gate). `false` adds a classic second container, which may start after the
   * application and stop before it, and is rejected on a Job (it would never complete).
   * @default false
   */
  readonly native?: boolean;
}

/**
 * Ambassador: a proxy beside the application that hides how an external service is reached. The
 * application talks to `localhost:<port>` (`localAddress`); the proxy does the rest. It shares
 * the pod's network, is never exposed through the workload's Service, and gets the pod's QoS tier
 * and hardened security context, with TCP probes on its port unless `container.health` says
 * otherwise.
 *
 * @example
 * const logs = new Ambassador(chart, 'log-proxy', {
 *   workload: api,
 *   container: { name: 'log-proxy', image: 'ghcr.io/acme/log-proxy:2.1.0', port: 9000 },
 * });
 * // api's env: LOG_ENDPOINT = `http://${logs.localAddress}`
 */
export class Ambassador extends Construct {
  /** `localhost:<port>`: where the application reaches the external service. */
  public readonly localAddress!: string;
  /** The proxy's port. */
  public readonly port!: number;

  constructor(scope: Construct, id: string, props: AmbassadorProps) {
    super(scope, id);
    try {
      const p = props ?? ({} as AmbassadorProps);
      const problems = new Problems(this);
      checkKnownKeys(problems, '', props, KNOWN_PROPS.AmbassadorProps, 'AmbassadorProps');
      const workload = attachedWorkload(problems, p.workload);
      const c = p.container ?? ({} as WorkloadContainerOptions);
      problems.check(c.port !== undefined, 'container.port', c.port, 'is required: the application reaches the ambassador on localhost:<port>');
      problems.check(c.health !== undefined, 'container.health', c.health,
        'is required: an ambassador listens on 127.0.0.1, which the kubelet (probing the pod IP) cannot reach, so a default TCP probe would '
        + 'always fail; probe another port (e.g. an admin or metrics port), use HealthCheck.exec(), or opt out with HealthCheck.none()');
      problems.check(p.native === true || !workload._runsToCompletion(), 'native', p.native,
        'must be true on a Job: a classic proxy never exits, so the Job would never complete');
      workload._change(problems, (changes) => changes.container(c, p.native === true ? ContainerRole.NATIVE_SIDECAR : ContainerRole.SIDECAR, 'container.'));
      problems.throwIfAny();
      this.port = c.port!;
      this.localAddress = `localhost:${c.port}`;
    } catch (e) {
      return deferConstruction(this, e);
    }
  }
}
