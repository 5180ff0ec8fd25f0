// Immutable Configuration, the book's way: the configuration is an image of its own
// (FROM busybox, COPY config/ /config/), versioned, scanned and signed like the application. An
// init container copies it into an emptyDir that the application mounts read-only; a new
// configuration is a new tag, rolled out like a new version, and rolled back the same way.
import { App, Chart } from 'cdk8s';
import { ConfigImage, HealthCheck, NetworkPeer, StatelessService } from 'cdk8s-patterns';

const app = new App();
const chart = new Chart(app, 'search', { namespace: 'search' });

const search = new StatelessService(chart, 'search', {
  image: 'ghcr.io/acme/search:5.1.0',
  port: 8080,
  network: { allowFrom: [{ peer: NetworkPeer.namespace('shop') }] }, // the shop's services call it
  replicas: 3,
  health: HealthCheck.http('/ready'),
  args: ['--config-dir=/etc/search'],
});

new ConfigImage(chart, 'search-config', {
  workload: search,
  // One tag per environment: search-config:prod-2024.06.1, search-config:staging-2024.06.3, ...
  image: 'ghcr.io/acme/search-config:prod-2024.06.1',
  sourcePath: '/config',
  mountPath: '/etc/search',
});

app.synth();
