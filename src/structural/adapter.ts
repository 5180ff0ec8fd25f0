import { ApiObject, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { deferConstruction } from '../core/app-checks';
import { KNOWN_PROPS } from '../core/known-props';
import { MANAGED_LABELS, PatternLabels, standardLabels } from '../core/labels';
import { checkLabels, checkPort } from '../core/names';
import { checkKnownKeys, Problems } from '../core/validation';
import { seconds } from '../foundational/health-check';
import { WorkloadContainerOptions } from '../pod/container';
import { ContainerRole } from '../workload/container';
import { attachedWorkload, PatternWorkload } from '../workload/workload';

/** Options of the prometheus-operator `ServiceMonitor` an adapter can emit. */
export interface ServiceMonitorOptions {
  /**
   * How often Prometheus scrapes.
   * @default - Prometheus' global scrape interval
   */
  readonly interval?: Duration;
  /**
   * Labels on the ServiceMonitor, e.g. the `release` label a Prometheus' `serviceMonitorSelector`
   * looks for. The labels this library manages cannot be overridden.
   * @default - the standard labels only
   */
  readonly labels?: { [key: string]: string };
}

/** Props of an `Adapter`. */
export interface AdapterProps {
  /** The workload whose pods get the adapter. */
  readonly workload: PatternWorkload;
  /**
   * The adapter container, e.g. an exporter that reads the application's shared log or metrics
   * and serves them in a standard format on `port`. It usually mounts a volume the main
   * container writes to.
   */
  readonly container: WorkloadContainerOptions;
  /**
   * HTTP path the adapter serves its metrics on.
   * @default '/metrics'
   */
  readonly metricsPath?: string;
  /**
   * Port of the workload's Service for the adapter (only for a workload with a Service).
   * @default - the container port
   */
  readonly servicePort?: number;
  /**
   * Add the `prometheus.io/scrape`, `prometheus.io/port` and `prometheus.io/path` annotations to
   * the pods, which Prometheus' common `kubernetes-pods` scrape job reads. A pod carries one set:
   * give a second adapter `prometheusAnnotations: false`.
   * @default true
   */
  readonly prometheusAnnotations?: boolean;
  /**
   * Also emit a prometheus-operator `ServiceMonitor` (monitoring.coreos.com/v1) for the
   * workload's Service. Needs the prometheus-operator CRDs in the cluster, and a Service.
   * @default - no ServiceMonitor
   */
  readonly serviceMonitor?: ServiceMonitorOptions;
  /**
   * Run the adapter as a native sidecar (an init container with `restartPolicy: Always`, Kubernetes
   * 1.29+). Required on a Job or CronJob, whose pods would otherwise never complete.
   * @default false
   */
  readonly native?: boolean;
}

/**
 * Adapter: a container beside the application that reads what the application produces (a log
 * file, a status page, metrics in a private format) and serves it in a standard format (here
 * Prometheus) on its own port. The port is exposed through the workload's Service as a second
 * port, the pods carry the Prometheus scrape annotations, and optionally a `ServiceMonitor` is
 * emitted. The adapter gets the pod's QoS tier and hardened security context, and TCP probes on
 * its port unless `container.health` says otherwise. Nothing is added unless everything is valid.
 *
 * @example
 * new Adapter(chart, 'exporter', {
 *   workload: api,
 *   container: {
 *     name: 'log-exporter', image: 'ghcr.io/acme/log-exporter:0.9.1', port: 9102,
 *     mounts: [{ volume: 'logs', path: '/var/log/app', readOnly: true }],
 *   },
 * });
 */
export class Adapter extends Construct {
  /** The adapter's container port. */
  public readonly port!: number;
  /** The name of that port, on the container and the Service. */
  public readonly portName!: string;
  /** The ServiceMonitor, if asked for. */
  public readonly serviceMonitor?: ApiObject;

  constructor(scope: Construct, id: string, props: AdapterProps) {
    super(scope, id);
    try {
      const p = props ?? ({} as AdapterProps);
      const problems = new Problems(this);
      checkKnownKeys(problems, '', props, KNOWN_PROPS.AdapterProps, 'AdapterProps');
      const workload = attachedWorkload(problems, p.workload);
      const c = p.container ?? ({} as WorkloadContainerOptions);
      problems.check(c.port !== undefined, 'container.port', c.port, 'is required: an adapter serves what it adapts on its own port');
      const path = p.metricsPath ?? '/metrics';
      problems.check(typeof path === 'string' && path.startsWith('/'), 'metricsPath', path, 'must start with "/"');
      checkPort(problems, 'servicePort', p.servicePort);
      const hasService = workload._exposingServices().length > 0;
      problems.check(hasService || p.servicePort === undefined, 'servicePort', p.servicePort,
        'needs a Service, and the workload has none (give it a port)');
      const native = p.native === true;
      problems.check(native || !workload._runsToCompletion(), 'native', p.native,
        'must be true on a Job: a classic container that never exits keeps the Job from completing');
      const monitor = p.serviceMonitor;
      if (monitor !== undefined) {
        if (monitor === null || typeof monitor !== 'object') {
          problems.add('serviceMonitor', monitor, 'must be an object ({ interval, labels }) or left out');
        } else {
          problems.check(hasService, 'serviceMonitor', 'given', 'needs a Service, and the workload has none (give it a port)');
          const mine = Chart.of(this).namespace;
          const theirs = Chart.of(workload).namespace;
          problems.check(mine === theirs, 'serviceMonitor', 'given',
            `would be in namespace ${mine ?? '(none)'} but the workload's Service is in ${theirs ?? '(none)'}: a ServiceMonitor selects Services of its own `
            + 'namespace, so create the Adapter in a chart of the workload\'s namespace');
          checkLabels(problems, 'serviceMonitor.labels', monitor.labels);
          for (const k of Object.keys(monitor.labels ?? {})) {
            problems.check(!MANAGED_LABELS.includes(k), 'serviceMonitor.labels key', k, 'must not override a label this library manages');
          }
          if (monitor.interval !== undefined) seconds(problems, 'serviceMonitor.interval', monitor.interval, 1);
        }
      }
      this.port = c.port!;
      this.portName = c.portName ?? (typeof c.name === 'string' ? c.name.slice(0, 15).replace(/-+$/, '') : '');

      workload._change(problems, (changes) => {
        changes.container(c, native ? ContainerRole.NATIVE_SIDECAR : ContainerRole.SIDECAR, 'container.');
        if (hasService && c.port !== undefined) {
          changes.exposePort(this.port, this.portName, p.servicePort,
            { port: 'container.port', name: c.portName !== undefined ? 'container.portName' : 'container.name', servicePort: 'servicePort' });
        }
        // A port that is no number is reported by the container's check.
        if ((p.prometheusAnnotations ?? true) && typeof this.port === 'number') {
          changes.podAnnotations({
            'prometheus.io/scrape': 'true', 'prometheus.io/port': String(this.port), 'prometheus.io/path': path,
          }, 'prometheusAnnotations');
        }
      });
      problems.throwIfAny();

      if (monitor) {
        const interval = monitor.interval?.toSeconds();
        this.serviceMonitor = new ApiObject(this, 'ServiceMonitor', {
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'ServiceMonitor',
          metadata: { name: `${workload.name}-${c.name}`, labels: { ...(monitor.labels ?? {}), ...standardLabels(workload._identity) } },
          spec: {
            selector: {
              matchLabels: { [PatternLabels.NAME]: workload._identity.name, [PatternLabels.INSTANCE]: workload.name },
            },
            endpoints: [{ port: this.portName, path, ...(interval !== undefined ? { interval: `${interval}s` } : {}) }],
          },
        });
      }
    } catch (e) {
      return deferConstruction(this, e);
    }
  }
}
