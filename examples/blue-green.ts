// Declarative Deployment: blue-green. Both tracks run; the Service sends traffic to the active
// one and the preview Service to the other. Promote by changing `active` to GREEN and re-apply;
// roll back by changing it back.
import { App, Chart } from 'cdk8s';
import { BlueGreenTrack, DeploymentStrategy, HealthCheck, NetworkPeer, StatelessService } from 'cdk8s-patterns';

const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'shop' });

new StatelessService(chart, 'checkout', {
  image: 'ghcr.io/acme/checkout:2.0.0', // blue runs this
  port: 8080,
  network: { allowFrom: [{ peer: NetworkPeer.namespace('ingress-nginx') }] }, // the ingress controller's pods
  replicas: 3,
  health: HealthCheck.http('/healthz'),
  strategy: DeploymentStrategy.blueGreen({
    active: BlueGreenTrack.BLUE,
    greenImage: 'ghcr.io/acme/checkout:2.1.0', // the next version, reachable at checkout-preview
  }),
});

app.synth();
