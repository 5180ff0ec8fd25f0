// Image Builder: the checkout API's image is built from its Git tag inside the cluster, by
// Shipwright with the rootless Buildah strategy, and pushed to the registry. The Git and registry
// credentials are Secrets made in the cluster (here by External Secrets), named, never in the YAML;
// the build pods are Shipwright's, so the app asks for no privilege. The BuildRun runs the build
// once when applied.
import { App, Chart, Duration } from 'cdk8s';
import { ImageBuild } from 'cdk8s-patterns';

const app = new App();
const chart = new Chart(app, 'builds', { namespace: 'builds' });

new ImageBuild(chart, 'checkout-api', {
  source: { gitUrl: 'https://github.com/acme/checkout-api', revision: 'v3.8.2', contextDir: 'service', cloneSecret: 'github-read' },
  strategy: 'buildah',
  output: 'ghcr.io/acme/checkout-api:3.8.2',
  pushSecret: 'ghcr-push',
  timeout: Duration.minutes(20),
  run: true,
});

app.synth();
