// Access control (RBAC): every workload runs as a ServiceAccount of its own, and gets only what it
// needs from the API server.
// - storefront: reloads its settings when a ConfigMap of the shop namespace changes. `apiAccess`
//   mounts a bound, short-lived token and lets it reach the API server; a Role lets it read
//   ConfigMaps (get, list, watch) and nothing else; `grant` writes the RoleBinding.
// - preview-janitor: a controller that deletes the preview environments of merged pull requests
//   (Deployments, Services, Ingresses, ...). It works on every kind of object of the namespace, so
//   it is bound to the built-in `edit` ClusterRole, in the shop namespace only: an explicit,
//   reasoned waiver (edit includes reading Secrets and pods/exec).
import { App, Chart } from 'cdk8s';
import {
  BuiltInClusterRole, ClusterRoleRef, HealthCheck, NetworkPeer, PolicyRule, RbacRule, Role, RoleBinding, SingletonLocking, SingletonService,
  StatelessService, Waiver,
} from 'cdk8s-patterns';
import { ApiResource } from 'cdk8s-plus-28';

const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'shop' });

const storefront = new StatelessService(chart, 'storefront', {
  image: 'ghcr.io/acme/storefront:5.2.0',
  port: 8080,
  partOf: 'shop',
  health: HealthCheck.http('/healthz'),
  apiAccess: true,
  network: { allowFrom: [{ peer: NetworkPeer.namespace('ingress-nginx') }] },
});
new Role(chart, 'storefront-config', {
  appName: 'storefront',
  partOf: 'shop',
  rules: [RbacRule.read([ApiResource.CONFIG_MAPS])],
}).grant(storefront.serviceAccount);

// One active controller at a time: a singleton, out of application.
const janitor = new SingletonService(chart, 'preview-janitor', {
  image: 'ghcr.io/acme/preview-janitor:1.3.0',
  partOf: 'shop',
  locking: SingletonLocking.outOfApplication(),
  apiAccess: true,
  // controller-runtime's probe endpoints: ready once its caches are in sync; liveness checks the process.
  additionalPorts: [{ number: 8081, name: 'probes' }],
  health: HealthCheck.http('/readyz', { port: 8081 }),
});
new RoleBinding(chart, 'preview-janitor-edit', {
  role: ClusterRoleRef.builtIn(BuiltInClusterRole.EDIT),
  subjects: [janitor.serviceAccount],
  appName: 'preview-janitor',
  partOf: 'shop',
  waivers: [
    Waiver.of(PolicyRule.RBAC_BUILT_IN_ROLE,
      'the janitor deletes every kind of object of a preview environment; bound in the shop namespace only'),
  ],
});

app.synth();
