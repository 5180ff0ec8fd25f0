// Elastic Scale, three ways. Horizontally: the checkout API adds pods when its CPU use passes 60 %
// of what the pods request, from 2 to 12, quickly up and slowly down; its Deployment leaves
// spec.replicas to the autoscaler. Vertically, in recommendation mode: a VPA tells how much CPU and
// memory the API's pods really use, without touching them. Event-driven, to zero: the order worker
// runs only while the orders queue has messages, one pod per 20 waiting messages, at most 8.
import { App, Chart, Size } from 'cdk8s';
import {
  Demands, HealthCheck, HorizontalAutoscaler, NetworkPeer, ScaleTrigger, ScalingBehavior, ScalingMetric, StatelessService, EventDrivenAutoscaler,
  VerticalAutoscaler, VerticalUpdateMode,
} from 'cdk8s-patterns';
import { Cpu } from 'cdk8s-plus-28';

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

// Recommendations only (the default mode): `kubectl describe vpa api` shows what to request.
new VerticalAutoscaler(chart, 'api-sizer', { workload: api, updateMode: VerticalUpdateMode.OFF });

const worker = new StatelessService(chart, 'order-worker', {
  image: 'ghcr.io/acme/order-worker:1.9.0',
  health: HealthCheck.exec(['/order-worker', 'healthcheck']), // no port: the worker only consumes the queue
  env: { RABBITMQ_HOST: 'amqp://rabbitmq.messaging.svc:5672' },
  network: { allowTo: [{ peer: NetworkPeer.namespace('messaging'), ports: [5672] }] },
});
new EventDrivenAutoscaler(chart, 'order-worker-scaler', {
  workload: worker,
  minReplicas: 0, // default: nothing runs while the queue is empty
  maxReplicas: 8,
  // KEDA reads the broker's address from a TriggerAuthentication the platform team made: no secret here.
  triggers: [ScaleTrigger.rabbitMq({ queueName: 'orders', value: 20, authenticationRef: { name: 'rabbitmq-orders' } })],
});

app.synth();
