// Daemon Service: a Prometheus node exporter on every node, on the node's network, reading the
// node's /proc and /sys read-only.
import { App, Chart } from 'cdk8s';
import { DaemonExposure, DaemonService, NamespaceGuardrails, NetworkPeer, PodSecurityLevel, PolicyRule, PreemptionPolicy, PriorityClass, Waiver } from 'cdk8s-patterns';

const app = new App();
const chart = new Chart(app, 'monitoring', { namespace: 'monitoring' });

// hostPath volumes and the host network are forbidden by the baseline and restricted Pod Security
// Standards, so the namespace of a node agent enforces "privileged". Keep such namespaces for node
// agents only; the library still hardens the pod itself (non-root, no capabilities, seccomp).
new NamespaceGuardrails(chart, 'monitoring', { podSecurity: PodSecurityLevel.PRIVILEGED });

// Above every workload, so that a new node's agent can preempt one to get a place. Not
// system-node-critical: that class is for what the node cannot work without (CNI, kube-proxy), and
// many clusters admit it only in kube-system (a ResourceQuota scope on the PriorityClass).
const nodeAgent = new PriorityClass(chart, 'node-agent', {
  value: 1000000,
  preemptionPolicy: PreemptionPolicy.PREEMPT_LOWER_PRIORITY,
  description: 'Per-node agents (logs, metrics): scheduled ahead of workloads.',
});

new DaemonService(chart, 'node-exporter', {
  image: 'quay.io/prometheus/node-exporter:v1.8.1',
  partOf: 'monitoring',
  port: 9100, // >= 1024: a non-root container cannot bind a privileged port on the host network
  network: { allowFrom: [{ peer: NetworkPeer.namespace('monitoring'), ports: [9100] }] }, // Prometheus scrapes it
  portName: 'metrics',
  // A headless Service lists every node's exporter, for a Prometheus ServiceMonitor.
  exposure: DaemonExposure.HEADLESS,
  // Report the node's own network interfaces and address; DNS policy becomes ClusterFirstWithHostNet.
  hostNetwork: true,
  tolerateAllTaints: true,
  priorityClassName: nodeAgent.name,
  // Read-only (the default), and beside the container's own /proc and /sys, never over them. The
  // node's root filesystem (`/`) is refused by the library, so the filesystem collector is off.
  hostPaths: [
    { path: '/proc', mountPath: '/host/proc' },
    { path: '/sys', mountPath: '/host/sys' },
  ],
  args: ['--path.procfs=/host/proc', '--path.sysfs=/host/sys', '--no-collector.filesystem', '--web.listen-address=:9100'],
  waivers: [
    Waiver.of(PolicyRule.HOST_PATH, 'a node exporter reports the node itself, so it reads the node\'s /proc and /sys (read-only hostPath volumes); '
      + 'the namespace enforces the privileged level for this'),
    Waiver.of(PolicyRule.HOST_NETWORK, 'it reports the node\'s own network interfaces, so it runs on the host network'),
  ],
});

app.synth();
