// Declarative Deployment: a canary by replica ratio (the book's way). The Service selects both
// tracks, so 1 of 5 pods, about 20 % of requests, runs the new version.
import { App, Chart } from 'cdk8s';
import { DeploymentStrategy, HealthCheck, NetworkPeer, StatelessService } from 'cdk8s-patterns';

const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'shop' });

new StatelessService(chart, 'search', {
  image: 'ghcr.io/acme/search:5.3.1',
  port: 8080,
  network: { allowFrom: [{ peer: NetworkPeer.namespace('ingress-nginx') }] }, // the ingress controller's pods
  replicas: 4,
  health: HealthCheck.http('/healthz'),
  strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/search:5.4.0', replicas: 1 }),
});

app.synth();
