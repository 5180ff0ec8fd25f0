// Synthesis at scale: a platform repository with one Chart (one YAML file) per service, written by
// PatternApp, which validates and renders each object once. Stock `new App()` writes the same
// objects, but validates the whole app again for every chart: quadratic in the number of charts.
import { Chart } from 'cdk8s';
import { HealthCheck, NetworkPeer, PatternApp, PeriodicJob, StatelessService } from 'cdk8s-patterns';

const app = new PatternApp();

const services = [
  { name: 'catalog', image: 'ghcr.io/acme/catalog:3.2.0', replicas: 3 },
  { name: 'cart', image: 'ghcr.io/acme/cart:1.9.4', replicas: 2 },
  { name: 'payments', image: 'ghcr.io/acme/payments:5.0.1', replicas: 3 },
];
for (const s of services) {
  // One chart per service: cdk8s.out/<service>.k8s.yaml
  const chart = new Chart(app, s.name, { namespace: 'shop' });
  new StatelessService(chart, 'service', {
    name: s.name,
    image: s.image,
    port: 8080,
    network: { allowFrom: [{ peer: NetworkPeer.namespace('ingress-nginx') }] }, // the ingress controller's pods
    replicas: s.replicas,
    partOf: 'shop',
    health: HealthCheck.http('/healthz'),
  });
}
new PeriodicJob(new Chart(app, 'reports', { namespace: 'shop' }), 'nightly', {
  image: 'ghcr.io/acme/reports:2.0.3',
  schedule: '30 2 * * *',
  partOf: 'shop',
});

app.synth();
