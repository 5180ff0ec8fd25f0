// Storage shared by batch workloads: two Jobs and a nightly CronJob write their results into one
// PersistentVolumeClaim (ReadWriteMany, so their pods may run on different nodes).
import { App, Chart, Size } from 'cdk8s';
import { AccessMode, BatchJob, PeriodicJob, PersistentVolumeClaim } from 'cdk8s-patterns';

const app = new App();
const chart = new Chart(app, 'reports', { namespace: 'reports' });

const results = new PersistentVolumeClaim(chart, 'report-results', {
  size: Size.gibibytes(20),
  accessModes: [AccessMode.READ_WRITE_MANY],
  storageClassName: 'nfs-client',
});

const mount = { volume: 'results', path: '/results' };

new BatchJob(chart, 'import-orders', {
  image: 'ghcr.io/acme/report-builder:1.6.0',
  args: ['import', '--source=orders', '--out=/results/orders'],
  volumes: [results.volume('results')],
  mounts: [mount],
});

new BatchJob(chart, 'import-payments', {
  image: 'ghcr.io/acme/report-builder:1.6.0',
  args: ['import', '--source=payments', '--out=/results/payments'],
  volumes: [results.volume('results')],
  mounts: [mount],
});

new PeriodicJob(chart, 'nightly-report', {
  image: 'ghcr.io/acme/report-builder:1.6.0',
  schedule: '0 3 * * *',
  args: ['report', '--in=/results', '--out=/results/reports'],
  volumes: [results.volume('results')],
  mounts: [mount],
});

app.synth();
