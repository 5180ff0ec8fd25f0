// Scatter-Gather: the shop's product search. The catalogue's full-text index is split by product
// id into 4 shards; each shard is a pod of a StatefulService with its own volume holding its part of
// the index (rebuilt from the catalogue when the volume is empty), so shard-2 always serves the
// same quarter of the products. The search API, the root, takes a query, asks every shard for its
// top hits in parallel, and merges them into one ranked page. It reads the shards' addresses from
// LEAF_ADDRESSES; a shard that does not answer within SHARD_TIMEOUT is left out and the page is
// marked partial (`"complete": false` when fewer than LEAF_COUNT shards answered).
//
// Scaling: more queries -> more root pods (the HPA below); a bigger catalogue -> more shards,
// by changing SHARDS and re-indexing (the shard count is fixed at synth, so it is never autoscaled).
import { App, Chart, Duration, Size } from 'cdk8s';
import {
  AccessMode, Demands, EnvVariable, HealthCheck, HealthProbe, HorizontalAutoscaler, NetworkPeer, PodField, PodManagementPolicy,
  ScalingBehavior, ScalingMetric, ScatterGather, StatefulService,
} from 'cdk8s-patterns';
import { Cpu } from 'cdk8s-plus-28';

const SHARDS = 4;

const app = new App();
const chart = new Chart(app, 'product-search', { namespace: 'search' });

// ---- the leaves: one index shard per pod
const shards = new StatefulService(chart, 'index-shard', {
  image: 'ghcr.io/acme/search-shard:2.3.0',
  port: 9200,
  replicas: SHARDS,
  // Shards do not depend on one another: start and restart them all at once (updates still go one at a time).
  podManagementPolicy: PodManagementPolicy.PARALLEL,
  // Nobody but the root calls a shard, and always a given one: no client Service balancing over them.
  clientService: false,
  volumeClaimTemplates: [{ name: 'index', size: Size.gibibytes(50), accessModes: [AccessMode.READ_WRITE_ONCE] }],
  mounts: [{ volume: 'index', path: '/var/lib/search/index' }],
  envVariables: [
    // The pod name (index-shard-2) carries the shard number: the shard indexes the products with id % SHARDS == 2.
    EnvVariable.fromPodField('POD_NAME', PodField.NAME),
    EnvVariable.literal('SHARD_COUNT', String(SHARDS)),
    EnvVariable.literal('INDEX_DIR', '/var/lib/search/index'),
    EnvVariable.literal('CATALOG_URL', 'http://catalog.shop.svc.cluster.local:8080'),
  ],
  network: { allowTo: [{ peer: NetworkPeer.namespace('shop'), ports: [8080] }] }, // the catalogue, to rebuild a shard
  health: HealthCheck.of({
    // Rebuilding an empty shard from the catalogue takes up to 20 minutes; a warm start, seconds.
    startup: HealthProbe.http('/ready', { period: Duration.seconds(10), failureThreshold: 120 }),
    readiness: HealthProbe.http('/ready', { period: Duration.seconds(5) }),
    liveness: HealthProbe.tcp({ period: Duration.seconds(10), failureThreshold: 6 }),
  }),
  // The index is memory-mapped: Guaranteed, so a shard is evicted last and its page cache is its own.
  demands: Demands.guaranteed({ cpu: Cpu.units(1), memory: Size.gibibytes(4) }),
  lifecycle: { gracePeriod: Duration.seconds(45) }, // finish the queries in flight, flush the index
});

// ---- the root: fans a query out to every shard and merges the top hits
const search = new ScatterGather(chart, 'search-api', {
  leaves: shards,
  root: {
    image: 'ghcr.io/acme/search-api:2.3.0',
    port: 8080,
    env: {
      SHARD_TIMEOUT: '250ms', // a shard slower than this is left out of the page
      TOP_K_PER_SHARD: '50', // each shard returns its 50 best hits; the root keeps the best 50 of all
    },
    health: HealthCheck.http('/healthz'),
    // The CPU request is what the autoscaler's 70 % is measured against.
    demands: Demands.burstable({
      requests: { cpu: Cpu.millis(250), memory: Size.mebibytes(256) },
      limits: { cpu: Cpu.millis(1000), memory: Size.mebibytes(512) },
    }),
    lifecycle: { gracePeriod: Duration.seconds(20) },
    autoscaled: true,
    network: { allowFrom: [{ peer: NetworkPeer.namespace('shop'), ports: [8080] }] }, // the storefront
  },
});

// More queries need more root pods, never more shards.
new HorizontalAutoscaler(chart, 'search-api-scaler', {
  workload: search.root,
  minReplicas: 2,
  maxReplicas: 10,
  metrics: [ScalingMetric.cpuUtilization(70)],
  behavior: ScalingBehavior.fastUpSlowDown(),
});

app.synth();
