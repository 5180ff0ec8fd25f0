// Declarative Deployment: the "fixed" deployment. Every old pod stops before a new one starts,
// for software that must never run two versions side by side (e.g. an exclusive schema migrator).
import { App, Chart } from 'cdk8s';
import { DeploymentStrategy, HealthCheck, NetworkPeer, StatelessService } from 'cdk8s-patterns';

const app = new App();
const chart = new Chart(app, 'billing', { namespace: 'billing' });

new StatelessService(chart, 'ledger', {
  image: 'ghcr.io/acme/ledger:3.2.0',
  port: 8080,
  network: { allowFrom: [{ peer: NetworkPeer.namespace('shop') }] }, // the shop's services call it
  replicas: 2,
  strategy: DeploymentStrategy.recreate(),
  health: HealthCheck.http('/healthz'),
});

app.synth();
