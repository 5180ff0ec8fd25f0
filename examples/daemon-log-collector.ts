// Daemon Service: a log collector (Fluent Bit) on every node, reading the node's container logs
// read-only and forwarding them to an aggregator.
import { App, Chart } from 'cdk8s';
import {
  DaemonService, DaemonUpdateStrategy, HostPathType, NamespaceGuardrails, PodSecurityLevel, PolicyRule, PreemptionPolicy, PriorityClass, Waiver,
} from 'cdk8s-patterns';
import { PercentOrAbsolute } from 'cdk8s-plus-28';

const app = new App();
const chart = new Chart(app, 'logging', { namespace: 'logging' });

// hostPath volumes are forbidden by the baseline and restricted Pod Security Standards, so the
// namespace of a node agent enforces "privileged". Keep such namespaces for node agents only.
new NamespaceGuardrails(chart, 'logging', { podSecurity: PodSecurityLevel.PRIVILEGED });

// Above every workload, so that a new node's collector can preempt one to get a place. Not
// system-node-critical: that class is for what the node cannot work without (CNI, kube-proxy), and
// many clusters admit it only in kube-system (a ResourceQuota scope on the PriorityClass).
const nodeAgent = new PriorityClass(chart, 'node-agent', {
  value: 1000000,
  preemptionPolicy: PreemptionPolicy.PREEMPT_LOWER_PRIORITY,
  description: 'Per-node agents (logs, metrics): scheduled ahead of workloads.',
});

new DaemonService(chart, 'log-collector', {
  image: 'cr.fluentbit.io/fluent/fluent-bit:3.0.7',
  partOf: 'logging',
  // Every node, control plane and tainted nodes included: their logs matter too.
  tolerateAllTaints: true,
  priorityClassName: nodeAgent.name,
  // Start the new collector before the old one stops, so no node goes uncollected during an update
  // (it has no host port, which surge could not bind twice).
  updateStrategy: DaemonUpdateStrategy.rollingUpdate({ maxSurge: PercentOrAbsolute.percent(10) }),
  // /var/log/pods holds the container logs (/var/log/containers links to it): read-only by default.
  hostPaths: [{ path: '/var/log', type: HostPathType.DIRECTORY }],
  // containerd writes the log files root:root, mode 0640: group 0 reads them while the collector
  // still runs as a non-root user (uid 10001). The library never runs a container as root.
  security: { runAsGroup: 0 },
  port: 2020, // Fluent Bit's built-in HTTP server: the TCP probes go here
  args: [
    '-H', '-P', '2020',
    '-i', 'tail', '-p', 'path=/var/log/containers/*.log', '-p', 'db=/tmp/tail.db', '-p', 'multiline.parser=cri',
    '-o', 'forward', '-p', 'host=log-aggregator.logging.svc', '-p', 'port=24224', '-m', '*',
  ],
  waivers: [
    Waiver.of(PolicyRule.HOST_PATH, 'a log collector reads the node\'s container logs, so it mounts /var/log from the node '
      + '(a read-only hostPath volume; the namespace enforces the privileged level)'),
    Waiver.of(PolicyRule.ROOT_GROUP, 'it runs as group 0, which the root:root 0640 log files allow to read, so that the user can stay non-root'),
  ],
});

app.synth();
