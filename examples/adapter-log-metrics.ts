// Adapter: an application that only writes an access log gets Prometheus metrics without a code
// change. The app writes its log into a volume it shares with an mtail container, which turns
// log lines into metrics and serves them on its own port, exposed as a second Service port.
import { App, Chart, Duration } from 'cdk8s';
import { Adapter, ConfigResource, HealthCheck, NetworkPeer, PodVolume, StatelessService } from 'cdk8s-patterns';

const app = new App();
const chart = new Chart(app, 'billing', { namespace: 'billing' });

// The mtail program: count requests by status code and sum their latency.
const program = new ConfigResource(chart, 'access-log-metrics', {
  data: {
    'access.mtail': [
      'counter http_requests_total by status',
      'counter http_request_duration_ms_total',
      '/^\\S+ \\S+ \\S+ \\[.*\\] "\\S+ \\S+ \\S+" (?P<status>\\d{3}) \\d+ (?P<ms>\\d+)$/ {',
      '  http_requests_total[$status]++',
      '  http_request_duration_ms_total += $ms',
      '}',
      '',
    ].join('\n'),
  },
});

const billing = new StatelessService(chart, 'billing', {
  image: 'ghcr.io/acme/billing:4.0.2',
  port: 8080,
  network: {
    allowFrom: [
      { peer: NetworkPeer.namespace('ingress-nginx'), ports: [8080] }, // the ingress controller
      { peer: NetworkPeer.namespace('monitoring'), ports: [3903] }, // Prometheus scrapes the adapter
    ],
  },
  replicas: 3,
  health: HealthCheck.http('/healthz'),
  args: ['--access-log=/var/log/billing/access.log'],
  volumes: [
    PodVolume.emptyDir('logs'),
    program.volume('mtail-programs'),
  ],
  mounts: [{ volume: 'logs', path: '/var/log/billing' }],
});

new Adapter(chart, 'log-metrics', {
  workload: billing,
  container: {
    name: 'mtail',
    // Built from google/mtail's Dockerfile (a static binary FROM scratch).
    image: 'ghcr.io/acme/mtail:3.0.8',
    args: ['--progs', '/etc/mtail', '--logs', '/var/log/billing/access.log', '--port', '3903'],
    port: 3903,
    portName: 'metrics',
    health: HealthCheck.http('/metrics'),
    mounts: [
      { volume: 'logs', path: '/var/log/billing', readOnly: true },
      { volume: 'mtail-programs', path: '/etc/mtail', readOnly: true },
    ],
  },
  // For clusters that run the prometheus-operator: its Prometheus selects release=prometheus.
  serviceMonitor: { interval: Duration.seconds(30), labels: { release: 'prometheus' } },
});

app.synth();
