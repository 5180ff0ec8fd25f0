// Gang-scheduled batch: a distributed training run of 8 workers is worthless until all 8 run, and
// 5 started workers waiting for 3 more only hold GPUs others need. Volcano binds none of the pods
// until the whole gang (and its 64 CPUs) fits; Kueue holds the nightly evaluation Job suspended until
// the team's queue has quota for all its pods at once.
import { App, Chart, Duration, Size } from 'cdk8s';
import { BatchJob, CompletionMode, Demands, GangScheduling } from 'cdk8s-patterns';
import { Cpu } from 'cdk8s-plus-28';

const app = new App();
const chart = new Chart(app, 'ml', { namespace: 'ml' });

new BatchJob(chart, 'train-ranker', {
  image: 'ghcr.io/acme/ranker-train:4.2.0',
  completionMode: CompletionMode.INDEXED, // each worker knows its rank from JOB_COMPLETION_INDEX
  completions: 8,
  parallelism: 8,
  backoffLimit: 2,
  activeDeadline: Duration.hours(6),
  ttlAfterFinished: Duration.days(2),
  demands: Demands.guaranteed({ cpu: Cpu.units(8), memory: Size.gibibytes(32) }),
  // Needs Volcano's scheduler and controllers; the PodGroup train-ranker holds the gang.
  gangScheduling: GangScheduling.volcano({ minMember: 8, queue: 'research', minResources: { cpu: Cpu.units(64), memory: Size.gibibytes(256) } }),
});

new BatchJob(chart, 'evaluate', {
  image: 'ghcr.io/acme/ranker-eval:4.2.0',
  completions: 4,
  parallelism: 4,
  backoffLimit: 2,
  activeDeadline: Duration.hours(2),
  ttlAfterFinished: Duration.days(2),
  demands: Demands.guaranteed({ cpu: Cpu.units(2), memory: Size.gibibytes(8) }),
  // Needs Kueue and a LocalQueue "team-ranking" in this namespace; the Job starts when it is admitted.
  gangScheduling: GangScheduling.kueue({ queueName: 'team-ranking' }),
});

app.synth();
