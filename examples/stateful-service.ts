// Stateful Service: a three-node key-value store. Each pod has a stable name (kv-0, kv-1, kv-2), a
// stable DNS name through the headless Service, and its own 10 GiB volume that follows it across
// restarts and nodes. The peers find each other through the seed list built from those names.
import { App, Chart, Size } from 'cdk8s';
import { AccessMode, EnvVariable, HealthCheck, NetworkPeer, PodField, ServiceExposure, StatefulService } from 'cdk8s-patterns';

const app = new App();
const chart = new Chart(app, 'storage', { namespace: 'storage' });

const REPLICAS = 3;
// The DNS names the headless Service gives the pods: kv-<i>.kv-headless.storage.svc.cluster.local.
const seeds = Array.from({ length: REPLICAS }, (_, i) => `kv-${i}.kv-headless.storage.svc.cluster.local:7000`).join(',');

const kv = new StatefulService(chart, 'kv', {
  image: 'ghcr.io/acme/kv:3.1.0',
  port: 7000,
  network: { allowFrom: [{ peer: NetworkPeer.namespace('shop'), ports: [7000] }] }, // the shop's services use the store
  portName: 'client',
  replicas: REPLICAS,
  health: HealthCheck.tcp(),
  // Peers must resolve each other while they start, before they are Ready.
  publishNotReadyAddresses: true,
  volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(10), accessModes: [AccessMode.READ_WRITE_ONCE] }],
  mounts: [{ volume: 'data', path: '/var/lib/kv' }],
  envVariables: [
    EnvVariable.fromPodField('POD_NAME', PodField.NAME),
    EnvVariable.literal('KV_NODE_ID', '$(POD_NAME)'),
    EnvVariable.literal('KV_SEEDS', seeds),
  ],
});

// The construct gives the same names, for anything that needs them at synth time.
if (kv.podDnsNames().map((n) => `${n}:7000`).join(',') !== seeds) throw new Error('seed list out of date');

// The book's own example: two replicas of a random-number service, each logging to its own small
// volume, reached by clients outside the cluster through a NodePort.
new StatefulService(chart, 'random-generator', {
  image: 'k8spatterns/random-generator:1.0',
  port: 8080,
  replicas: 2,
  health: HealthCheck.http('/actuator/health'),
  volumeClaimTemplates: [{ name: 'logs', size: Size.mebibytes(10), accessModes: [AccessMode.READ_WRITE_ONCE] }],
  mounts: [{ volume: 'logs', path: '/logs' }],
  env: { LOG_FILE: '/logs/random.log' },
  exposures: [ServiceExposure.nodePort({ reason: 'the book\'s clients call the generator from outside the cluster' })],
});

app.synth();
