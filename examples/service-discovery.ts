// Service Discovery, every row of the book's table: one web front end reached in-cluster through
// its ClusterIP Service, from outside through a NodePort, a cloud load balancer and two Ingresses,
// and two services outside the cluster given in-cluster names (manual IP and manual FQDN).
import { App, Chart, Duration } from 'cdk8s';
import {
  ExternalService, HealthCheck, HttpPathMatch, HttpRoute, Ingress, NetworkPeer, PathType, ServiceBackend, ServiceExposure, StatelessService,
  TrafficPolicy,
} from 'cdk8s-patterns';

const app = new App();
const chart = new Chart(app, 'storefront', { namespace: 'storefront' });

// Outside the cluster: the legacy billing system on two fixed addresses, and a payment provider by name.
const billing = new ExternalService(chart, 'billing', { addresses: ['10.20.0.11', '10.20.0.12'], port: 8443 });
const payments = new ExternalService(chart, 'payments', { externalName: 'api.payments.example.com', port: 443 });

const web = new StatelessService(chart, 'web', {
  image: 'ghcr.io/acme/storefront:5.2.0',
  port: 8080,
  replicas: 4,
  health: HealthCheck.http('/healthz'),
  env: {
    BILLING_URL: `https://${billing.dnsName}:8443`,
    PAYMENTS_URL: `https://${payments.name}.storefront.svc.cluster.local`,
  },
  exposures: [
    // Every node's port 32766, for the on-premises load balancer in front of the nodes.
    ServiceExposure.nodePort({ nodePort: 32766, reason: 'the on-premises load balancer forwards shop traffic to every node' }),
    // A cloud load balancer, open to the office only, keeping client addresses.
    ServiceExposure.loadBalancer({
      sourceRanges: ['203.0.113.0/24'], externalTrafficPolicy: TrafficPolicy.LOCAL, reason: 'the office reaches the shop without the on-premises balancer',
    }),
  ],
  // Sticky sessions for the shopping cart, on every Service of the workload.
  serviceOptions: { sessionAffinityTimeout: Duration.hours(3) },
  // Egress: the billing hosts, and the payment provider (a public name: its addresses change).
  network: {
    allowTo: [
      { peer: NetworkPeer.cidr('10.20.0.11/32'), ports: [8443] },
      { peer: NetworkPeer.cidr('10.20.0.12/32'), ports: [8443] },
      { peer: NetworkPeer.anywhere(), ports: [443] },
    ],
  },
});

// An Ingress with only a default backend: every request to the controller goes to the front end.
new Ingress(chart, 'web-default-ingress', {
  name: 'web-default',
  className: 'nginx',
  defaultBackend: ServiceBackend.workload(web),
  tls: [{ hosts: ['www.example.com'], secretName: 'www-example-com-tls' }],
  annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
  controller: NetworkPeer.namespace('ingress-nginx'),
});

// An Ingress with host and path rules and TLS.
new Ingress(chart, 'web-ingress', {
  name: 'web',
  className: 'nginx',
  rules: [
    { host: 'shop.example.com', path: '/', pathType: PathType.PREFIX, backend: ServiceBackend.workload(web, 8080) },
    { host: 'shop.example.com', path: '/healthz', pathType: PathType.EXACT, backend: ServiceBackend.workload(web) },
  ],
  tls: [{ hosts: ['shop.example.com'], secretName: 'shop-example-com-tls' }],
  annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
  // The NetworkPolicy of every backend admits the controller's pods.
  controller: NetworkPeer.namespace('ingress-nginx'),
});

// The Gateway API successor of Ingress: beta testers (a header) reach the next version of the
// front end, everyone else the current one.
const webNext = new StatelessService(chart, 'web-next', {
  image: 'ghcr.io/acme/storefront:5.3.0-rc.1',
  port: 8080,
  replicas: 2,
  health: HealthCheck.http('/healthz'),
});
new HttpRoute(chart, 'web-route', {
  name: 'web',
  gateway: { name: 'public', namespace: 'gateways' },
  controller: NetworkPeer.namespace('gateways'), // where the Gateway's proxies run
  hostnames: ['shop.example.com'],
  rules: [
    { path: '/', headers: [{ name: 'x-beta-tester', value: 'true' }], backends: [{ backend: ServiceBackend.workload(webNext) }] },
    { path: '/', pathMatch: HttpPathMatch.PATH_PREFIX, backends: [{ backend: ServiceBackend.workload(web) }] },
  ],
});

app.synth();
