// Predictable Demands: QoS tiers. The tier you ask for is applied to every container of the pod,
// sidecars and init containers included, and synth fails if Kubernetes would classify the pod as
// another tier (e.g. because a sidecar lacks limits).
import { App, Chart, Size } from 'cdk8s';
import { Demands, HealthCheck, NetworkPeer, PriorityClass, StatelessService } from 'cdk8s-patterns';
import { Cpu } from 'cdk8s-plus-28';

const app = new App();
const chart = new Chart(app, 'payments', { namespace: 'payments' });

const critical = new PriorityClass(chart, 'PaymentsCritical', {
  value: 100000,
  description: 'Payment processing: scheduled before, and evicted after, ordinary workloads.',
});

// Guaranteed: evicted last. The envoy sidecar and the migration init container get the same
// requests = limits, so the pod stays Guaranteed.
const ledger = new StatelessService(chart, 'ledger', {
  image: 'ghcr.io/acme/ledger:3.2.0',
  port: 8080,
  network: { allowFrom: [{ peer: NetworkPeer.namespace('shop') }] }, // the shop's services call it
  replicas: 3,
  demands: Demands.guaranteed({ cpu: Cpu.millis(500), memory: Size.mebibytes(512) }),
  priorityClassName: critical.name,
  health: HealthCheck.http('/healthz'),
});
ledger.addContainer({ name: 'envoy', image: 'ghcr.io/acme/envoy:1.31.2', port: 15001 });
ledger.addInitContainer({ name: 'migrate', image: 'ghcr.io/acme/ledger-migrate:3.2.0' });

// Burstable: a floor for the scheduler, room to burst up to the limits.
new StatelessService(chart, 'reports', {
  image: 'ghcr.io/acme/reports:1.9.0',
  port: 8080,
  network: { allowFrom: [{ peer: NetworkPeer.namespace('backoffice') }] }, // the back office reads the reports
  replicas: 2,
  demands: Demands.burstable({
    requests: { cpu: Cpu.millis(100), memory: Size.mebibytes(256) },
    limits: { cpu: Cpu.units(1), memory: Size.mebibytes(512) },
  }),
  health: HealthCheck.http('/healthz'),
});

app.synth();
