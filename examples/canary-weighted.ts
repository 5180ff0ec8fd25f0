// Declarative Deployment: a canary with an exact traffic weight. A Gateway API HTTPRoute splits
// requests 95/5 between per-track Services, whatever the replica counts.
import { App, Chart } from 'cdk8s';
import { DeploymentStrategy, HealthCheck, NetworkPeer, StatelessService } from 'cdk8s-patterns';

const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'shop' });

new StatelessService(chart, 'storefront', {
  image: 'ghcr.io/acme/storefront:7.0.3',
  port: 8080,
  replicas: 3,
  health: HealthCheck.http('/healthz'),
  strategy: DeploymentStrategy.canary({
    image: 'ghcr.io/acme/storefront:7.1.0',
    replicas: 1,
    weight: 5,
    gateway: { name: 'public', namespace: 'gateways' },
    controller: NetworkPeer.namespace('gateways'), // where the Gateway's proxies run: admitted on port 8080
    hostnames: ['shop.example.com'],
  }),
});

app.synth();
