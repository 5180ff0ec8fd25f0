// Singleton Service through an election sidecar: two replicas of a ledger exporter, written in a
// language without a Kubernetes client, push the day's ledger to the bank's SFTP drop; only one may
// push. An election container in each pod competes for a coordination.k8s.io/v1 Lease (client-go
// leaderelection, LeaseLock) and answers on localhost who leads; before every export the app asks
// $ELECTION_URL and compares the answer with $POD_NAME. The app's container gets no ServiceAccount
// token: the elector holds the pod's only one, scoped by a Role to get and update that one Lease.
import { App, Chart, Duration, Size } from 'cdk8s';
import { Demands, HealthCheck, HealthProbe, NetworkPeer, SingletonLocking, SingletonService } from 'cdk8s-patterns';
import { Cpu } from 'cdk8s-plus-28';

const app = new App();
const chart = new Chart(app, 'finance', { namespace: 'finance' });

// The elector listens on 127.0.0.1 only (nothing outside the pod may ask it), so the kubelet, which
// probes the pod IP, cannot reach that port: it probes the elector's health endpoints on 8081
// (alive while the process answers; ready once it reaches the API server).
const electorHealth = HealthCheck.of({
  liveness: HealthProbe.http('/healthz', { port: 8081 }),
  readiness: HealthProbe.http('/readyz', { port: 8081 }),
});

new SingletonService(chart, 'ledger-exporter', {
  image: 'ghcr.io/acme/ledger-exporter:3.4.1',
  port: 9100, // metrics
  health: HealthCheck.http('/healthz'),
  network: {
    allowFrom: [{ peer: NetworkPeer.namespace('monitoring'), ports: [9100] }],
    allowTo: [{ peer: NetworkPeer.cidr('198.51.100.20/32'), ports: [22] }], // the bank's SFTP drop
  },
  partOf: 'finance',
  locking: SingletonLocking.electionSidecar({
    replicas: 2,
    leaseDuration: Duration.seconds(20),
    sidecar: {
      name: 'elector',
      image: 'ghcr.io/acme/k8s-elector:0.6.2',
      args: [
        '--election=$(LEASE_NAME)', '--election-namespace=$(POD_NAMESPACE)', '--id=$(POD_NAME)',
        '--lease-duration=$(LEASE_DURATION_SECONDS)s', '--http=127.0.0.1:4040', '--health=:8081',
      ],
      port: 4040,
      additionalPorts: [{ number: 8081, name: 'elector-health' }],
      health: electorHealth,
      demands: Demands.burstable({
        requests: { cpu: Cpu.millis(10), memory: Size.mebibytes(32) },
        limits: { cpu: Cpu.millis(100), memory: Size.mebibytes(64) },
      }),
    },
  }),
});

app.synth();
