// Operator, as the book builds it: the ConfigWatcher custom resource says which pods to restart when
// which ConfigMap changes; its controller watches ConfigWatchers and ConfigMaps, deletes the
// matching pods (their Deployment starts them again with the new configuration) and counts the
// restarts in each ConfigWatcher's status. One instance watches the web shop's configuration.
import { App, Chart } from 'cdk8s';
import {
  ApiVerb, Controller, CustomResource, CustomResourceDefinition, HealthCheck, NetworkPeer, PrinterColumnType, RbacRule, SchemaField,
} from 'cdk8s-patterns';
import { ApiResource } from 'cdk8s-plus-28';

const app = new App();

// The definition is cluster-wide; install it before what uses it (its own chart, applied first).
const definitions = new Chart(app, 'config-watcher-crd');
const configWatcher = new CustomResourceDefinition(definitions, 'config-watcher', {
  group: 'k8spatterns.io',
  kind: 'ConfigWatcher',
  shortNames: ['cw'],
  versions: [{
    name: 'v1',
    spec: SchemaField.object({
      configMap: SchemaField.string({ description: 'Name of the ConfigMap to watch', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', maxLength: 253 }),
      podSelector: SchemaField.map(SchemaField.string(), { description: 'Labels of the pods to restart when it changes' }),
    }, { required: ['configMap', 'podSelector'] }),
    status: SchemaField.object({
      restarts: SchemaField.integer({ minimum: 0, description: 'Pods restarted so far' }),
      lastChange: SchemaField.string({ description: 'When the ConfigMap last changed (RFC 3339)' }),
    }),
    printerColumns: [
      { name: 'ConfigMap', type: PrinterColumnType.STRING, jsonPath: '.spec.configMap' },
      { name: 'Restarts', type: PrinterColumnType.INTEGER, jsonPath: '.status.restarts' },
      { name: 'Age', type: PrinterColumnType.DATE, jsonPath: '.metadata.creationTimestamp' },
    ],
  }],
});

const shop = new Chart(app, 'shop', { namespace: 'shop' });
shop.addDependency(definitions);

new Controller(shop, 'config-watcher', {
  image: 'ghcr.io/acme/config-watcher-operator:2.0.0',
  manages: [configWatcher], // watches ConfigWatchers, writes their status
  watches: [ApiResource.CONFIG_MAPS],
  rules: [RbacRule.allow({ verbs: [ApiVerb.LIST, ApiVerb.DELETE], resources: [ApiResource.PODS] })],
  replicas: 2, // a hot standby, with leader election
  port: 8081,
  health: HealthCheck.http('/readyz'),
  network: { allowFrom: [{ peer: NetworkPeer.namespace('monitoring'), ports: [8081] }] },
});

new CustomResource(shop, 'webshop-config', {
  definition: configWatcher,
  spec: { configMap: 'webshop-config', podSelector: { 'app.kubernetes.io/name': 'webshop' } },
});

app.synth();
