// Singleton Service, in application: three replicas of a payment reconciler elect a leader through
// a coordination.k8s.io/v1 Lease (e.g. client-go leaderelection with a LeaseLock, identity
// $POD_NAME, lock $POD_NAMESPACE/$LEASE_NAME, lease duration $LEASE_DURATION_SECONDS). Only the
// leader reconciles; the two standbys take over within 15 s of its failure. The pods get a
// ServiceAccount token, scoped by a Role to get and update that one Lease.
// The Service selects every replica: followers answer API calls by forwarding them to the leader.
import { App, Chart, Duration } from 'cdk8s';
import { HealthCheck, NetworkPeer, SingletonLocking, SingletonService } from 'cdk8s-patterns';

const app = new App();
const chart = new Chart(app, 'payments', { namespace: 'payments' });

new SingletonService(chart, 'reconciler', {
  image: 'ghcr.io/acme/payment-reconciler:1.9.0',
  port: 8080,
  network: { allowFrom: [{ peer: NetworkPeer.namespace('monitoring'), ports: [8080] }] }, // metrics and status
  partOf: 'payments',
  locking: SingletonLocking.inApplication({ replicas: 3, leaseDuration: Duration.seconds(15) }),
  health: HealthCheck.http('/healthz'),
});

app.synth();
