import { EnvFrom, EnvVariable } from './env';
import { VolumeMount } from './volume';
import { Demands } from '../foundational/demands';
import { HealthCheck } from '../foundational/health-check';
import { LifecycleOptions } from '../foundational/lifecycle';

/** A port a container listens on. */
export interface ContainerPort {
  /** Port number, 1 to 65535. Below 1024 needs `bindLowPorts` (the containers run as non-root). */
  readonly number: number;
  /** Name of the port: an IANA service name (at most 15 characters), unique in the pod. */
  readonly name: string;
}

/**
 * What every container of a pod can be given: the main container (through the workload's props)
 * and every helper (sidecar, adapter, ambassador, init container) alike. One option set, one
 * code path, the same checks.
 */
export interface ContainerOptions {
  /**
   * Entrypoint override. `$(NAME)` is replaced with the container's variable NAME.
   * @default - the image's ENTRYPOINT
   */
  readonly command?: string[];
  /**
   * Arguments to the entrypoint. `$(NAME)` is replaced with the container's variable NAME.
   * @default - the image's CMD
   */
  readonly args?: string[];
  /**
   * Working directory.
   * @default - the image's WORKDIR
   */
  readonly workingDir?: string;
  /**
   * Literal environment variables, set first, in the order given.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Environment variables from literals, ConfigMap and Secret keys, pod fields and resources,
   * set after `env`, in the order given (so `$(NAME)` may refer to an earlier one).
   * @default - none
   */
  readonly envVariables?: EnvVariable[];
  /**
   * Every key of ConfigMaps or Secrets as variables, optionally with a prefix. A name defined twice
   * (here, in `env` or in `envVariables`) is rejected when the keys are known.
   * @default - none
   */
  readonly envFrom?: EnvFrom[];
  /**
   * More ports the container listens on (beyond `port`).
   * @default - none
   */
  readonly additionalPorts?: ContainerPort[];
  /**
   * Volumes of the workload mounted into this container.
   * @default - none (besides /tmp)
   */
  readonly mounts?: VolumeMount[];
  /**
   * Directories the image must be able to write (e.g. `/var/cache/nginx`, `/var/run`): each gets
   * its own emptyDir, so the root filesystem stays read-only.
   * @default - none (only /tmp is writable)
   */
  readonly writableDirectories?: string[];
  /**
   * Add the `NET_BIND_SERVICE` capability, the only one the restricted Pod Security Standard
   * allows, so that a non-root process may listen below 1024. Works only if the binary carries the
   * file capability (`setcap cap_net_bind_service=+ep`): Kubernetes sets no ambient capabilities.
   * Prefer listening on a port of 1024 or above and mapping the Service port to it.
   * @default false
   */
  readonly bindLowPorts?: boolean;
}

/** A container added to every pod of a workload: a sidecar, adapter, ambassador or init container. */
export interface WorkloadContainerOptions extends ContainerOptions {
  /** Container name, unique in the pod (a DNS-1123 label). */
  readonly name: string;
  /** Image, pinned like the main one. */
  readonly image: string;
  /**
   * Requests and limits. Must keep the pod in the workload's QoS tier (checked at synth).
   * @default - the workload's demands
   */
  readonly demands?: Demands;
  /**
   * Accept an image without a tag or with the `latest` tag (explicit opt-out).
   * @default false
   */
  readonly allowUnpinnedImage?: boolean;
  /**
   * The port the container listens on (not for init containers).
   * @default - none
   */
  readonly port?: number;
  /**
   * Name of that port: an IANA service name, unique in the pod.
   * @default - the container name, cut to 15 characters
   */
  readonly portName?: string;
  /**
   * Probes of this container (not for a plain init container, which Kubernetes does not probe).
   * @default - TCP probes on `port` when the container has one, otherwise none
   */
  readonly health?: HealthCheck;
  /**
   * preStop and postStart hooks of this container (`gracePeriod` is a pod setting: set it on the
   * workload). Not for a plain init container.
   * @default - none
   */
  readonly lifecycle?: LifecycleOptions;
  /**
   * Mount the root filesystem read-only. `false` is an explicit relaxation for images that write
   * all over their filesystem; prefer `writableDirectories`.
   * @default - the workload's `security.readOnlyRootFilesystem` (true)
   */
  readonly readOnlyRootFilesystem?: boolean;
}
