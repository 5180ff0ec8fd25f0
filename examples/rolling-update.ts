// Declarative Deployment: a zero-downtime rolling update (the default strategy).
import { App, Chart, Duration } from 'cdk8s';
import { HealthCheck, NetworkPeer, StatelessService } from 'cdk8s-patterns';

const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'shop' });

new StatelessService(chart, 'api', {
  image: 'ghcr.io/acme/api:1.4.2',
  port: 8080,
  network: { allowFrom: [{ peer: NetworkPeer.namespace('ingress-nginx') }] }, // the ingress controller's pods
  replicas: 3,
  partOf: 'shop',
  health: HealthCheck.http('/healthz'),
  lifecycle: { gracePeriod: Duration.seconds(45), preStopSleep: Duration.seconds(5) },
});

app.synth();
