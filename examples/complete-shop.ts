// A complete application: the web shop of ACME, as one team would run it in production.
//
// Who calls whom; each workload's NetworkPolicy admits exactly these calls (and DNS), nothing else:
//   ingress-nginx  -> storefront:8080 (/), api:8080 (/api)
//   storefront     -> api:8080, flags:8013
//   api            -> postgres:5432, redis:6379, flags:8013, RabbitMQ:5672 (namespace messaging)
//   order-worker   -> RabbitMQ:5672, postgres:5432, the payment provider (203.0.113.0/24:443)
//   nightly-report -> postgres:5432, the object store (198.51.100.0/24:443)
//   flags          -> the API server (an operator: watches FeatureFlags, writes their status)
//
// Passwords and keys come from Vault through the External Secrets Operator and are read as files;
// the configuration is an immutable, hashed ConfigMap. PolicyCheck fails the synth on any finding.
import { Chart, Duration, Size } from 'cdk8s';
import {
  ConfigResource, Controller, CustomResource, CustomResourceDefinition, Demands, DeploymentStrategy, EventDrivenAutoscaler, ExternalSecret,
  HealthCheck, HealthProbe, HorizontalAutoscaler, Ingress, NetworkPeer, PathType, PatternApp, PeriodicJob, PodVolume, PolicyCheck,
  PrinterColumnType, ScaleTrigger, ScalingBehavior, ScalingMetric, SchemaField, SecretStoreKind, ServiceBackend, SingletonLocking, SingletonService,
  SingletonWorkloadKind, StatefulService, StatelessService,
} from 'cdk8s-patterns';
import { Cpu, FsGroupChangePolicy } from 'cdk8s-plus-28';

const app = new PatternApp();

// ---------------------------------------------------------------------------------------------
// The operator's custom resource definition is cluster-scoped and must exist before any
// FeatureFlag is applied: its own chart, which the shop's chart depends on (applied first).
const definitions = new Chart(app, 'shop-crds');
const featureFlag = new CustomResourceDefinition(definitions, 'feature-flag', {
  group: 'shop.acme.io',
  kind: 'FeatureFlag',
  shortNames: ['ff'],
  versions: [{
    name: 'v1',
    spec: SchemaField.object({
      enabled: SchemaField.boolean({ default: false, description: 'Whether the feature is on at all' }),
      rolloutPercent: SchemaField.integer({ minimum: 0, maximum: 100, default: 100, description: 'Share of sessions that see it' }),
      description: SchemaField.string({ maxLength: 200 }),
    }, { required: ['enabled'] }),
    status: SchemaField.object({ observedGeneration: SchemaField.integer({ minimum: 0 }) }),
    printerColumns: [
      { name: 'Enabled', type: PrinterColumnType.BOOLEAN, jsonPath: '.spec.enabled' },
      { name: 'Rollout', type: PrinterColumnType.INTEGER, jsonPath: '.spec.rolloutPercent' },
    ],
  }],
});

const shop = new Chart(app, 'shop', { namespace: 'shop' });
shop.addDependency(definitions);

// ---------------------------------------------------------------------------------------------
// Secrets by reference: the External Secrets Operator copies them from Vault (the platform team's
// ClusterSecretStore `vault`) into Secrets of the same name. No value is ever in this repository.
const vault = { name: 'vault', kind: SecretStoreKind.CLUSTER_SECRET_STORE };
const pgSecret = new ExternalSecret(shop, 'shop-postgres', {
  secretStoreRef: vault,
  data: [{ secretKey: 'password', remoteRef: { key: 'prod/shop/postgres', property: 'password' } }],
});
// Redis gets only its ACL file, which holds the SHA-256 of the password (`user api on #<hash> ...`);
// the API gets the password itself.
const redisSecret = new ExternalSecret(shop, 'shop-redis', {
  secretStoreRef: vault,
  data: [
    { secretKey: 'users.acl', remoteRef: { key: 'prod/shop/redis', property: 'users.acl' } },
    { secretKey: 'password', remoteRef: { key: 'prod/shop/redis', property: 'password' } },
  ],
});
// Two RabbitMQ users: the API may only publish orders, the workers may only consume them.
const mqSecret = new ExternalSecret(shop, 'shop-rabbitmq', {
  secretStoreRef: vault,
  data: [
    { secretKey: 'publisher-password', remoteRef: { key: 'prod/shop/rabbitmq', property: 'publisher-password' } },
    { secretKey: 'consumer-password', remoteRef: { key: 'prod/shop/rabbitmq', property: 'consumer-password' } },
  ],
});
const pspSecret = new ExternalSecret(shop, 'payment-provider', {
  secretStoreRef: vault,
  data: [{ secretKey: 'api-key', remoteRef: { key: 'prod/shop/payment-provider', property: 'api-key' } }],
});
const bucketSecret = new ExternalSecret(shop, 'report-bucket', {
  secretStoreRef: vault,
  data: [
    { secretKey: 'access-key-id', remoteRef: { key: 'prod/shop/report-bucket', property: 'access-key-id' } },
    { secretKey: 'secret-access-key', remoteRef: { key: 'prod/shop/report-bucket', property: 'secret-access-key' } },
  ],
});
const SECRETS = '/var/run/secrets/shop';
/** One key of a Secret as a file only the app's user may read. */
const secretFile = (volume: string, secret: ExternalSecret, key: string) =>
  secret.volume(volume, { items: [{ key, path: key, mode: 0o400 }] });

// The shop's message broker is the platform team's RabbitMQ, alone in the `messaging` namespace.
const rabbitmq = NetworkPeer.namespace('messaging');

// ---------------------------------------------------------------------------------------------
// PostgreSQL: one primary with its own 50 GiB claim. The official image does not replicate; for a
// hot standby, use an operator (CloudNativePG, ...). The claim is retained when the StatefulSet is
// deleted or scaled down: the orders outlive any mistake in this file.
const postgres = new StatefulService(shop, 'postgres', {
  image: 'postgres:16.4',
  port: 5432,
  portName: 'postgres',
  replicas: 1,
  partOf: 'shop',
  component: 'database',
  volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(50) }],
  // The kubelet would change the group of every file of the 50 GiB claim at each start (Always);
  // OnRootMismatch does it only while the volume's root has another group (the first start).
  security: { fsGroupChangePolicy: FsGroupChangePolicy.ON_ROOT_MISMATCH },
  volumes: [
    secretFile('credentials', pgSecret, 'password'),
    // Parallel queries use /dev/shm; the container runtime's 64 MiB is too small.
    PodVolume.emptyDir('shm', { memory: true, sizeLimit: Size.mebibytes(512) }),
  ],
  mounts: [
    { volume: 'data', path: '/var/lib/postgresql/data' },
    { volume: 'credentials', path: `${SECRETS}/postgres`, readOnly: true },
    { volume: 'shm', path: '/dev/shm' },
  ],
  writableDirectories: ['/var/run/postgresql'], // the Unix socket and lock file; the root stays read-only
  env: {
    POSTGRES_USER: 'shop',
    POSTGRES_DB: 'shop',
    POSTGRES_PASSWORD_FILE: `${SECRETS}/postgres/password`,
    PGDATA: '/var/lib/postgresql/data/pgdata', // below the mount point, which holds lost+found
  },
  // Ready when it accepts connections; alive while the process listens (a slow query is no reason to restart).
  health: HealthCheck.of({
    startup: HealthProbe.exec(['pg_isready', '-h', '127.0.0.1', '-U', 'shop', '-d', 'shop'], { period: Duration.seconds(5), failureThreshold: 60 }),
    readiness: HealthProbe.exec(['pg_isready', '-h', '127.0.0.1', '-U', 'shop', '-d', 'shop'], { period: Duration.seconds(10) }),
    liveness: HealthProbe.tcp({ period: Duration.seconds(10), failureThreshold: 6 }),
  }),
  // Guaranteed: evicted last under node pressure; shared_buffers and work_mem are sized to these 4 GiB.
  demands: Demands.guaranteed({ cpu: Cpu.units(2), memory: Size.gibibytes(4) }),
  lifecycle: { gracePeriod: Duration.seconds(90) }, // time for a clean shutdown checkpoint
});

// Redis: the API's cache. One instance, so that every API pod sees the same entries and
// invalidations; a Deployment with the Recreate strategy (a short overlap during a drain costs only
// cache misses). Nothing is persisted: after a restart the cache is simply cold.
const redisConfig = new ConfigResource(shop, 'redis-config', {
  appName: 'redis',
  data: {
    'redis.conf': [
      'port 6379',
      'save ""',
      'appendonly no',
      'maxmemory 768mb',
      'maxmemory-policy allkeys-lru',
      `aclfile ${SECRETS}/redis/users.acl`, // "user default off" and the api user, with its password's hash
      '',
    ].join('\n'),
  },
});
const redis = new SingletonService(shop, 'redis', {
  image: 'redis:7.2.5',
  port: 6379,
  portName: 'redis',
  partOf: 'shop',
  component: 'cache',
  locking: SingletonLocking.outOfApplication({ kind: SingletonWorkloadKind.DEPLOYMENT }),
  args: ['/etc/redis/redis.conf'],
  volumes: [redisConfig.volume('config', { defaultMode: 0o400 }), secretFile('acl', redisSecret, 'users.acl')],
  mounts: [
    { volume: 'config', path: '/etc/redis', readOnly: true },
    { volume: 'acl', path: `${SECRETS}/redis`, readOnly: true },
  ],
  health: HealthCheck.tcp(), // redis-cli ping needs a password: the port is the check
  demands: Demands.guaranteed({ cpu: Cpu.millis(500), memory: Size.gibibytes(1) }), // maxmemory + overhead
});

// ---------------------------------------------------------------------------------------------
// The operator: the flag server watches FeatureFlags, serves their evaluation to the storefront
// and the API, and writes each flag's status. Two replicas: both serve from their cache, the
// elected leader writes. It is the only workload that talks to the API server.
const flags = new Controller(shop, 'flags', {
  image: 'ghcr.io/acme/flag-server:1.4.0',
  manages: [featureFlag], // get/list/watch FeatureFlags, update their status; nothing else
  replicas: 2,
  port: 8013,
  partOf: 'shop',
  health: HealthCheck.http('/readyz'),
  // The API server's own addresses (`kubectl get endpoints kubernetes`), not the Service's ClusterIP.
  network: { apiServer: NetworkPeer.cidr('172.20.0.0/28') },
});
new CustomResource(shop, 'one-click-checkout', {
  definition: featureFlag,
  spec: { enabled: true, rolloutPercent: 10, description: 'Checkout without the cart page, for one session in ten' },
});

// ---------------------------------------------------------------------------------------------
// Configuration by reference: one immutable ConfigMap whose name carries a hash of its content.
// A change makes a new ConfigMap and rolls the API and the workers, and only them. Both run the same
// release and read the same file; the workers use only its database and queue sections.
const shopConfig = new ConfigResource(shop, 'shop-config', {
  appName: 'shop',
  data: {
    'application.yaml': [
      'database:',
      `  url: postgres://shop@${postgres.dnsName}:5432/shop`,
      `  passwordFile: ${SECRETS}/postgres/password`,
      'cache:',
      `  url: redis://api@${redis.dnsName}:6379`,
      `  passwordFile: ${SECRETS}/redis/password`,
      '  ttl: 5m',
      'queue:',
      '  url: amqp://rabbitmq.messaging.svc.cluster.local:5672/shop',
      '  orders: orders',
      `  passwordFile: ${SECRETS}/rabbitmq/password`,
      'flags:',
      `  url: http://${flags.workload.dnsName}:8013`,
      '',
    ].join('\n'),
  },
});
const config = shopConfig.volume('config', { defaultMode: 0o400 });

// The API: a canary by replica ratio (the next release gets one pod of the Service's endpoints)
// and a horizontal autoscaler on the stable track, which keeps at least 3 pods, so the canary's
// share is at most a quarter and falls as the stable track grows.
const api = new StatelessService(shop, 'api', {
  image: 'ghcr.io/acme/shop-api:3.8.2',
  strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/shop-api:3.9.0', replicas: 1 }),
  port: 8080,
  partOf: 'shop',
  component: 'backend',
  args: ['--config=/etc/shop/application.yaml'],
  health: HealthCheck.http('/healthz'),
  lifecycle: { gracePeriod: Duration.seconds(45), preStopSleep: Duration.seconds(5) }, // leave the endpoints before SIGTERM
  // The autoscaler measures CPU against the request.
  demands: Demands.burstable({
    requests: { cpu: Cpu.millis(500), memory: Size.mebibytes(512) },
    limits: { cpu: Cpu.units(2), memory: Size.gibibytes(1) },
  }),
  volumes: [
    config,
    secretFile('postgres', pgSecret, 'password'),
    secretFile('redis', redisSecret, 'password'),
    mqSecret.volume('rabbitmq', { items: [{ key: 'publisher-password', path: 'password', mode: 0o400 }] }),
  ],
  mounts: [
    { volume: 'config', path: '/etc/shop', readOnly: true },
    { volume: 'postgres', path: `${SECRETS}/postgres`, readOnly: true },
    { volume: 'redis', path: `${SECRETS}/redis`, readOnly: true },
    { volume: 'rabbitmq', path: `${SECRETS}/rabbitmq`, readOnly: true },
  ],
  network: { allowTo: [{ peer: rabbitmq, ports: [5672] }] }, // publishes orders
});
api.connectsTo(postgres);
api.connectsTo(redis);
api.connectsTo(flags.workload);
new HorizontalAutoscaler(shop, 'api-scaler', {
  workload: api,
  minReplicas: 3,
  maxReplicas: 12,
  metrics: [ScalingMetric.cpuUtilization(70)],
  behavior: ScalingBehavior.fastUpSlowDown(), // sales spikes arrive within seconds
});

// The order workers: take orders off the queue, capture the payment, write the result. KEDA runs
// one pod per 20 waiting orders, none while the queue is empty (the first order after a quiet
// night waits for a pod to start, which an asynchronous order can afford).
const worker = new StatelessService(shop, 'order-worker', {
  image: 'ghcr.io/acme/order-worker:3.8.2',
  partOf: 'shop',
  component: 'worker',
  args: ['--config=/etc/shop/application.yaml'],
  // No Service: the health port is for the kubelet only (probes are not subject to NetworkPolicies).
  additionalPorts: [{ number: 8081, name: 'health' }],
  health: HealthCheck.http('/healthz', { port: 8081 }),
  lifecycle: { gracePeriod: Duration.seconds(60) }, // finish the order in hand; unacknowledged ones go back to the queue
  volumes: [
    config,
    secretFile('postgres', pgSecret, 'password'),
    mqSecret.volume('rabbitmq', { items: [{ key: 'consumer-password', path: 'password', mode: 0o400 }] }),
    secretFile('payment-provider', pspSecret, 'api-key'),
  ],
  mounts: [
    { volume: 'config', path: '/etc/shop', readOnly: true },
    { volume: 'postgres', path: `${SECRETS}/postgres`, readOnly: true },
    { volume: 'rabbitmq', path: `${SECRETS}/rabbitmq`, readOnly: true },
    { volume: 'payment-provider', path: `${SECRETS}/payment-provider`, readOnly: true },
  ],
  network: {
    allowTo: [
      { peer: rabbitmq, ports: [5672] },
      { peer: NetworkPeer.cidr('203.0.113.0/24'), ports: [443] }, // the payment provider's API
    ],
  },
});
worker.connectsTo(postgres);
new EventDrivenAutoscaler(shop, 'order-worker-scaler', {
  workload: worker,
  maxReplicas: 10,
  // KEDA reads the broker's address and credentials from a TriggerAuthentication of the platform team.
  triggers: [ScaleTrigger.rabbitMq({ queueName: 'orders', value: 20, authenticationRef: { name: 'rabbitmq-orders' } })],
});

// ---------------------------------------------------------------------------------------------
// The storefront renders the pages; the browser calls the API directly for the cart and checkout.
const storefront = new StatelessService(shop, 'storefront', {
  image: 'ghcr.io/acme/storefront:5.2.0',
  port: 8080,
  replicas: 3,
  partOf: 'shop',
  component: 'frontend',
  env: { API_URL: `http://${api.dnsName}:8080`, FLAGS_URL: `http://${flags.workload.dnsName}:8013` },
  health: HealthCheck.http('/healthz'),
  lifecycle: { preStopSleep: Duration.seconds(5) },
});
storefront.connectsTo(api);
storefront.connectsTo(flags.workload);

// One host, TLS from cert-manager; the NetworkPolicies of both backends admit the controller's pods.
new Ingress(shop, 'shop-ingress', {
  name: 'shop',
  className: 'nginx',
  rules: [
    { host: 'shop.example.com', path: '/api', pathType: PathType.PREFIX, backend: ServiceBackend.workload(api) },
    { host: 'shop.example.com', path: '/', pathType: PathType.PREFIX, backend: ServiceBackend.workload(storefront) },
  ],
  tls: [{ hosts: ['shop.example.com'], secretName: 'shop-example-com-tls' }],
  annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
  controller: NetworkPeer.namespace('ingress-nginx'),
});

// ---------------------------------------------------------------------------------------------
// The nightly sales report at 02:30 Berlin time: reads yesterday's orders, uploads a CSV to the
// object store. Forbid: never two at once; more than an hour late, it is skipped (useless by morning).
const report = new PeriodicJob(shop, 'nightly-report', {
  image: 'ghcr.io/acme/shop-report:3.2.0',
  args: ['--period=yesterday', '--bucket=s3://acme-shop-reports'],
  partOf: 'shop',
  component: 'reporting',
  schedule: '30 2 * * *',
  timeZone: 'Europe/Berlin',
  startingDeadline: Duration.hours(1),
  activeDeadline: Duration.hours(2),
  backoffLimit: 2,
  env: {
    DATABASE_URL: `postgres://shop@${postgres.dnsName}:5432/shop`,
    DATABASE_PASSWORD_FILE: `${SECRETS}/postgres/password`,
    BUCKET_CREDENTIALS_DIR: `${SECRETS}/bucket`,
  },
  volumes: [secretFile('postgres', pgSecret, 'password'), bucketSecret.volume('bucket', { defaultMode: 0o400 })],
  mounts: [
    { volume: 'postgres', path: `${SECRETS}/postgres`, readOnly: true },
    { volume: 'bucket', path: `${SECRETS}/bucket`, readOnly: true },
  ],
  network: { allowTo: [{ peer: NetworkPeer.cidr('198.51.100.0/24'), ports: [443] }] }, // the object store
});
report.connectsTo(postgres);

// Fail the synth on any finding of the common checkers' rules, before a file is written.
PolicyCheck.addTo(app);
app.synth();
