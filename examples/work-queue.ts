// Work queue: after the catalogue moved to AVIF, 2 million product images must be re-encoded, and
// every image merchants upload from now on.
// The catalogue API pushes one image id per product into a Redis list; six workers take ids off
// the list (BRPOP), re-encode, upload, and exit 0 once the list is empty, which completes the Job.
// The queue is a Redis StatefulService with its own volume (append-only file), so a restart loses
// no ids; the workers find it through a typed reference (QUEUE_HOST, QUEUE_PORT, QUEUE_NAME), and
// the NetworkPolicies let exactly the workers and the API reach it.
import { App, Chart, Duration, Size } from 'cdk8s';
import {
  AccessMode, Demands, HealthCheck, JobScalingStrategy, NetworkPeer, ScaleTrigger, StatefulService, StatelessService, WorkQueue,
} from 'cdk8s-patterns';
import { Cpu } from 'cdk8s-plus-28';

const app = new App();
const chart = new Chart(app, 'media', { namespace: 'media' });

const queue = new StatefulService(chart, 'reencode-queue', {
  image: 'redis:7.2.5',
  args: ['--appendonly', 'yes', '--dir', '/data', '--save', ''], // every push is on disk before it is acknowledged
  port: 6379,
  portName: 'redis',
  replicas: 1,
  health: HealthCheck.tcp(),
  volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(5), accessModes: [AccessMode.READ_WRITE_ONCE] }],
  mounts: [{ volume: 'data', path: '/data' }],
  demands: Demands.guaranteed({ cpu: Cpu.millis(500), memory: Size.gibibytes(1) }),
});

// The producer: the catalogue API enqueues the ids (and serves the shop, which calls it).
const api = new StatelessService(chart, 'catalogue-api', {
  image: 'ghcr.io/acme/catalogue-api:8.1.0',
  port: 8080,
  replicas: 3,
  health: HealthCheck.http('/healthz'),
  env: { REENCODE_QUEUE: 'images:reencode' },
  network: { allowFrom: [{ peer: NetworkPeer.namespace('shop'), ports: [8080] }] },
});
api.connectsTo(queue);

const reencoder = {
  image: 'ghcr.io/acme/image-reencoder:1.3.0',
  env: { TARGET_FORMAT: 'avif', UPLOAD_BUCKET: 'https://images.acme.example/catalogue' },
  network: { allowTo: [{ peer: NetworkPeer.cidr('0.0.0.0/0'), ports: [443] }] }, // the object store
  demands: Demands.guaranteed({ cpu: Cpu.units(2), memory: Size.gibibytes(2) }),
};

// The backfill: one Job, applied once, that runs until the list is empty.
new WorkQueue(chart, 'reencode', {
  queue,
  queueName: 'images:reencode',
  ...reencoder,
  parallelism: 6,
  backoffLimit: 12, // a worker that crashes on one image is retried; twelve crashes fail the run
  activeDeadline: Duration.hours(8),
  ttlAfterFinished: Duration.days(2), // keep the finished Job and its logs for two days
});

// New uploads, all day long: KEDA polls the uploads list and starts a Job of two workers per 100
// pending images (at most 10 Jobs), none while merchants upload nothing. The list's length leaves
// out the images being worked on (the workers pop them), hence the accurate strategy.
new WorkQueue(chart, 'reencode-uploads', {
  queue,
  queueName: 'images:uploaded',
  ...reencoder,
  parallelism: 2,
  activeDeadline: Duration.hours(1),
  ttlAfterFinished: Duration.hours(6),
  scaling: {
    maxJobs: 10,
    strategy: JobScalingStrategy.ACCURATE,
    triggers: [ScaleTrigger.redisList({ listName: 'images:uploaded', listLength: 100, addressFromEnv: 'QUEUE_ADDRESS' })],
  },
});

app.synth();
