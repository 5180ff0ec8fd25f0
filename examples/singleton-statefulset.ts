// Singleton Service, out of application: a billing scheduler that must never run twice (two
// copies would send every invoice twice). A StatefulSet of one replica gives "at most one": its
// pod is replaced only once the old one is gone, even when a node is unreachable. The scheduler
// has no port, so there is no client Service; the governing headless Service has no ports either.
import { App, Chart, Duration } from 'cdk8s';
import { HealthCheck, SingletonLocking, SingletonService, SingletonWorkloadKind } from 'cdk8s-patterns';

const app = new App();
const chart = new Chart(app, 'billing', { namespace: 'billing' });

new SingletonService(chart, 'invoice-scheduler', {
  image: 'ghcr.io/acme/invoice-scheduler:3.1.4',
  partOf: 'billing',
  locking: SingletonLocking.outOfApplication({ kind: SingletonWorkloadKind.STATEFUL_SET }),
  health: HealthCheck.exec(['/app/invoice-scheduler', 'healthcheck']),
  lifecycle: { gracePeriod: Duration.seconds(120) }, // let a running batch finish before SIGKILL
});

app.synth();
