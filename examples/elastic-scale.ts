// Elastic Scale, horizontally: the checkout API adds pods when its CPU use passes 60 % of what the
// pods request, from 2 to 12, quickly up and slowly down; its Deployment leaves spec.replicas to
// the autoscaler.
import { App, Chart, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  Demands, HealthCheck, HorizontalAutoscaler, NetworkPeer, ScalingBehavior, ScalingMetric, StatelessService,
} from 'cdk8s-patterns';

const app = new App();
const chart = new Chart(app, 'checkout', { namespace: 'checkout' });

const api = new StatelessService(chart, 'api', {
  image: 'ghcr.io/acme/checkout-api:3.8.2',
  port: 8080,
  health: HealthCheck.http('/healthz'),
  // The CPU request is what 60 % is measured against: every container of the pods needs one.
  demands: Demands.burstable({
    requests: { cpu: Cpu.millis(250), memory: Size.mebibytes(256) },
    limits: { cpu: Cpu.millis(1000), memory: Size.mebibytes(512) },
  }),
  network: { allowFrom: [{ peer: NetworkPeer.namespace('ingress-nginx') }] },
});

new HorizontalAutoscaler(chart, 'api-scaler', {
  workload: api,
  minReplicas: 2,
  maxReplicas: 12,
  metrics: [ScalingMetric.cpuUtilization(60)],
  // Sales spikes arrive within seconds; pods are removed one tenth a minute, after 5 quiet minutes.
  behavior: ScalingBehavior.fastUpSlowDown(),
});

app.synth();
