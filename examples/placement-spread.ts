// Automated Placement: spread across zones and hosts, run only on arm64 nodes, prefer on-demand
// capacity, and tolerate a dedicated-node taint.
import { App, Chart } from 'cdk8s';
import { HealthCheck, NetworkPeer, NodeOperator, Spread, StatelessService, TaintEffect } from 'cdk8s-patterns';

const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'shop' });

new StatelessService(chart, 'catalog', {
  image: 'ghcr.io/acme/catalog:2.4.0',
  port: 8080,
  network: { allowFrom: [{ peer: NetworkPeer.namespace('ingress-nginx') }] }, // the ingress controller's pods
  replicas: 6,
  health: HealthCheck.http('/healthz'),
  placement: {
    spread: Spread.zonesAndHosts({ maxSkew: 1 }),
    nodeSelector: { 'kubernetes.io/arch': 'arm64' },
    preferredNodeAffinity: [{
      weight: 80,
      requirements: [{ key: 'example.com/capacity-type', operator: NodeOperator.IN, values: ['on-demand'] }],
    }],
    tolerations: [{ key: 'dedicated', value: 'shop', effect: TaintEffect.NO_SCHEDULE }],
  },
});

app.synth();
