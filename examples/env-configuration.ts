// EnvVar Configuration and Self Awareness: an API server configured entirely through its
// environment, in order, so that later variables build on earlier ones with $(NAME).
import { App, Chart } from 'cdk8s';
import { ConfigResource, EnvVariable, HealthCheck, NetworkPeer, PodField, PodVolume, PolicyRule, ResourceField, StatelessService, Waiver } from 'cdk8s-patterns';

const app = new App();
const chart = new Chart(app, 'orders', { namespace: 'orders' });

// Settings shared by every instance, as a ConfigMap; all of its keys become APP_* variables.
const settings = new ConfigResource(chart, 'orders-settings', {
  data: { LOG_LEVEL: 'info', CURRENCY: 'EUR', PAGE_SIZE: '50' },
});

new StatelessService(chart, 'orders', {
  image: 'ghcr.io/acme/orders:2.3.1',
  port: 8080,
  network: { allowFrom: [{ peer: NetworkPeer.namespace('shop') }] }, // the shop's services call it
  replicas: 3,
  health: HealthCheck.http('/healthz'),
  envFrom: [settings.envFrom({ prefix: 'APP_' })],
  // The password never goes into the environment: it is a file only the app's user can read.
  volumes: [PodVolume.secret('db-credentials', 'orders-db-credentials', { items: [{ key: 'password', path: 'password', mode: 0o400 }] })],
  mounts: [{ volume: 'db-credentials', path: '/var/run/secrets/orders-db', readOnly: true }],
  env: {
    DB_HOST: 'orders-db.orders.svc',
    DB_PORT: '5432',
    DB_NAME: 'orders',
  },
  envVariables: [
    // The database user name comes from the Secret the database operator created (referenced,
    // never written by this app); the driver builds its URL from it.
    EnvVariable.fromSecret('DB_USER', 'orders-db-credentials', 'username'),
    EnvVariable.literal('DB_PASSWORD_FILE', '/var/run/secrets/orders-db/password'),
    EnvVariable.literal('DB_URL', 'postgres://$(DB_USER)@$(DB_HOST):$(DB_PORT)/$(DB_NAME)'),
    // Self Awareness: who and where the pod is.
    EnvVariable.fromPodField('POD_NAME', PodField.NAME),
    EnvVariable.fromPodField('POD_NAMESPACE', PodField.NAMESPACE),
    EnvVariable.fromPodField('POD_IP', PodField.POD_IP),
    EnvVariable.fromPodField('NODE_NAME', PodField.NODE_NAME),
    EnvVariable.fromPodLabel('VERSION_TRACK', 'patterns.cdk8s.io/track'),
    EnvVariable.literal('INSTANCE_ID', '$(POD_NAMESPACE)/$(POD_NAME)'),
    // Size the worker pool and the heap from the container's own limits.
    EnvVariable.fromResource('CPU_LIMIT_MILLIS', ResourceField.CPU_LIMIT, { divisor: '1m' }),
    EnvVariable.fromResource('MEMORY_LIMIT_MIB', ResourceField.MEMORY_LIMIT, { divisor: '1Mi' }),
  ],
  waivers: [
    Waiver.of(PolicyRule.SECRET_IN_ENV, 'the database user name (not the password, which is a file) is read from the Secret into the environment'),
    Waiver.of(PolicyRule.EXTERNAL_REFERENCE, 'the database Secret is created in the cluster by the database operator, not by this app'),
  ],
});

app.synth();
