// Configuration Template: the application's full configuration file is rendered at pod start from
// one template (shared by every environment) and a few parameters (this environment's), by a
// gomplate init container, into an emptyDir the application mounts read-only.
import { App, Chart } from 'cdk8s';
import { ConfigResource, ConfigTemplate, HealthCheck, NetworkPeer, StatelessService } from 'cdk8s-patterns';

const app = new App();
const chart = new Chart(app, 'inventory-prod', { namespace: 'inventory' });

// The same templates in every environment (in practice loaded with `files:` from the repository).
const templates = new ConfigResource(chart, 'inventory-templates', {
  data: {
    'server.xml': [
      '<Server port="-1">',
      '  <Service name="inventory">',
      '    <Connector port="8080" maxThreads="{{ (ds "params").maxThreads }}"/>',
      '    <Engine name="inventory" defaultHost="localhost">',
      '      <Host name="localhost" appBase="webapps"/>',
      '    </Engine>',
      '  </Service>',
      '</Server>',
      '',
    ].join('\n'),
    'logging.properties': 'level = {{ (ds "params").logLevel }}\n',
  },
});

// What differs in production. A change here makes a new ConfigMap name and rolls the pods.
const params = new ConfigResource(chart, 'inventory-params', {
  data: { 'params.yaml': 'maxThreads: 400\nlogLevel: WARNING\n' },
});

const inventory = new StatelessService(chart, 'inventory', {
  image: 'ghcr.io/acme/inventory:1.12.4',
  port: 8080,
  network: { allowFrom: [{ peer: NetworkPeer.namespace('shop') }] }, // the shop's services call it
  replicas: 3,
  health: HealthCheck.http('/inventory/health'),
  env: { CATALINA_CONFIG: '/etc/inventory' },
});

new ConfigTemplate(chart, 'rendered-config', {
  workload: inventory,
  templates,
  parameters: params,
  image: 'hairyhenderson/gomplate:v3.11.7-alpine',
  mountPath: '/etc/inventory',
});

app.synth();
