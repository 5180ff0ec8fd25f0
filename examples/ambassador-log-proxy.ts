// Ambassador: the application sends its audit events to localhost; a Fluent Bit proxy in the same
// pod forwards them to the central aggregator and buffers them when it is down. The application
// knows nothing about where the aggregator is or how to reach it.
import { App, Chart } from 'cdk8s';
import { Ambassador, HealthCheck, NetworkPeer, StatelessService } from 'cdk8s-patterns';

const app = new App();
const chart = new Chart(app, 'payments', { namespace: 'payments' });

const AUDIT_PORT = 9880;

const payments = new StatelessService(chart, 'payments', {
  image: 'ghcr.io/acme/payments:7.2.0',
  port: 8080,
  network: {
    allowFrom: [{ peer: NetworkPeer.namespace('shop'), ports: [8080] }], // the checkout calls the API
    // The proxy forwards the events to the aggregator: the one place the pod may connect to.
    allowTo: [{ peer: NetworkPeer.namespace('logging'), ports: [24224] }],
  },
  replicas: 3,
  health: HealthCheck.http('/healthz'),
  env: { AUDIT_ENDPOINT: `http://localhost:${AUDIT_PORT}/audit` },
});

new Ambassador(chart, 'audit-proxy', {
  workload: payments,
  // A native sidecar: up before the application's first event, down after its last one.
  native: true,
  container: {
    name: 'audit-proxy',
    image: 'cr.fluentbit.io/fluent/fluent-bit:3.0.7',
    args: [
      // Accept events on localhost only: nothing outside the pod can send to the proxy.
      '-i', 'http', '-p', 'listen=127.0.0.1', '-p', `port=${AUDIT_PORT}`, '-p', 'tag=audit',
      '-o', 'forward', '-p', 'host=audit-aggregator.logging.svc', '-p', 'port=24224', '-m', 'audit',
      '-p', 'storage.total_limit_size=50M',
      // Fluent Bit's own HTTP server, on the pod IP, answers the probes (a probe cannot reach 127.0.0.1).
      '-H', '-P', '2020',
    ],
    port: AUDIT_PORT,
    portName: 'audit',
    additionalPorts: [{ number: 2020, name: 'proxy-health' }],
    health: HealthCheck.http('/', { port: 2020 }),
  },
});

app.synth();
