// Controller, as the book shows it: the config watcher watches the ConfigMaps of its namespace and
// deletes the pods whose `k8spatterns.io/podDeleteSelector` annotation names a changed ConfigMap,
// so that their Deployment starts them again with the new configuration. It reaches the API
// through an ambassador (`kubectl proxy` on 127.0.0.1:8001), which holds the only token; its
// Role grants reading ConfigMaps and listing and deleting pods, nothing else.
import { App, Chart } from 'cdk8s';
import { ApiVerb, Controller, HealthCheck, NetworkPeer, RbacRule } from 'cdk8s-patterns';
import { ApiResource } from 'cdk8s-plus-28';

const app = new App();
const chart = new Chart(app, 'config-watcher', { namespace: 'shop' });

new Controller(chart, 'config-watcher', {
  image: 'ghcr.io/acme/config-watcher:1.2.0',
  watches: [ApiResource.CONFIG_MAPS],
  rules: [RbacRule.allow({ verbs: [ApiVerb.LIST, ApiVerb.DELETE], resources: [ApiResource.PODS] })],
  apiProxy: { image: 'registry.k8s.io/kubectl:v1.28.15' },
  env: { KUBERNETES_API_URL: 'http://127.0.0.1:8001' }, // the proxy: plain HTTP on localhost, no token
  // Its own health and metrics endpoint, scraped by Prometheus.
  port: 8081,
  health: HealthCheck.http('/readyz'),
  network: {
    allowFrom: [{ peer: NetworkPeer.namespace('monitoring'), ports: [8081] }],
    // The API server's own addresses (`kubectl get endpoints kubernetes`), not the kubernetes
    // Service's ClusterIP: NetworkPolicies see the traffic after that address is translated.
    apiServer: NetworkPeer.cidr('172.20.0.0/28'),
  },
});

app.synth();
