// Pod priority and preemption: cluster-wide PriorityClasses that workloads refer to by name.
import { App, Chart } from 'cdk8s';
import { PreemptionPolicy, PriorityClass } from 'cdk8s-patterns';

const app = new App();
const chart = new Chart(app, 'priorities');

// Scheduled ahead of everything else, but never evicts running pods to make room.
new PriorityClass(chart, 'business-critical', {
  value: 100000,
  preemptionPolicy: PreemptionPolicy.NEVER,
  description: 'Checkout and payment services: queued first, never preempt.',
});

// May evict lower-priority pods (e.g. batch jobs) when the cluster is full.
new PriorityClass(chart, 'latency-sensitive', {
  value: 50000,
  preemptionPolicy: PreemptionPolicy.PREEMPT_LOWER_PRIORITY,
  description: 'User-facing APIs: preempt batch work when capacity runs out.',
});

app.synth();
