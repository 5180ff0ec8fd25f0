// Batch Job: an Indexed Job that re-indexes a search corpus in 10 shards, 3 pods at a time. Each pod
// reads its shard from JOB_COMPLETION_INDEX (0-9), which Kubernetes sets in every container; a failed
// shard is retried with the same index. Exit code 3 means "corrupt input": retrying cannot help, so
// the pod failure policy fails the whole Job at once, while evictions and node drains
// (DisruptionTarget) do not use up the retries.
import { App, Chart, Duration, Size } from 'cdk8s';
import {
  BatchJob, CompletionMode, Demands, ExitCodeOperator, PodFailurePolicyAction,
} from 'cdk8s-patterns';
import { Cpu } from 'cdk8s-plus-28';

const app = new App();
const chart = new Chart(app, 'search', { namespace: 'search' });

new BatchJob(chart, 'reindex', {
  image: 'ghcr.io/acme/reindex:2.3.0',
  args: ['--shards=10'],
  partOf: 'search',
  completionMode: CompletionMode.INDEXED,
  completions: 10,
  parallelism: 3,
  backoffLimit: 4,
  activeDeadline: Duration.hours(2),
  ttlAfterFinished: Duration.days(1),
  podFailurePolicy: [
    { action: PodFailurePolicyAction.FAIL_JOB, onExitCodes: { containerName: 'app', operator: ExitCodeOperator.IN, values: [3] } },
    { action: PodFailurePolicyAction.IGNORE, onPodConditions: [{ type: 'DisruptionTarget' }] },
  ],
  demands: Demands.guaranteed({ cpu: Cpu.millis(1000), memory: Size.gibibytes(1) }),
});

app.synth();
