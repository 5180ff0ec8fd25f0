// Periodic Job: a nightly report at 02:30 Berlin time (daylight saving included). Forbid: if last
// night's report is still running, tonight's is skipped rather than run twice at once. A run that
// starts more than an hour late (control plane down) is skipped too: the report is only useful in
// the morning.
import { App, Chart, Duration } from 'cdk8s';
import { PeriodicJob } from 'cdk8s-patterns';
import { ConcurrencyPolicy } from 'cdk8s-plus-28';

const app = new App();
const chart = new Chart(app, 'reporting', { namespace: 'reporting' });

new PeriodicJob(chart, 'nightly-report', {
  image: 'ghcr.io/acme/report:3.2.0',
  args: ['--period=yesterday'],
  partOf: 'reporting',
  schedule: '30 2 * * *',
  timeZone: 'Europe/Berlin',
  concurrencyPolicy: ConcurrencyPolicy.FORBID,
  startingDeadline: Duration.hours(1),
  activeDeadline: Duration.hours(3),
  backoffLimit: 2,
  successfulJobsHistoryLimit: 3,
  failedJobsHistoryLimit: 3,
});

app.synth();
