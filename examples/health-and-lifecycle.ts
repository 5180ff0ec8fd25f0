// Health Probe and Managed Lifecycle: separate startup, readiness and liveness probes (gRPC
// included, which cdk8s-plus-28 lacks), hooks, a grace period and explicit Guaranteed demands.
import { App, Chart, Duration, Size } from 'cdk8s';
import { Demands, HealthCheck, HealthProbe, LifecycleHook, NetworkPeer, StatelessService } from 'cdk8s-patterns';
import { Cpu } from 'cdk8s-plus-28';

const app = new App();
const chart = new Chart(app, 'payments', { namespace: 'payments' });

new StatelessService(chart, 'gateway', {
  image: 'ghcr.io/acme/payments-gateway:4.8.1',
  port: 9090,
  network: { allowFrom: [{ peer: NetworkPeer.namespace('ingress-nginx') }] }, // the ingress controller's pods
  portName: 'grpc',
  replicas: 3,
  demands: Demands.guaranteed({ cpu: Cpu.millis(500), memory: Size.mebibytes(512) }),
  health: HealthCheck.of({
    startup: HealthProbe.grpc({ failureThreshold: 60 }), // up to 5 minutes to warm caches
    readiness: HealthProbe.grpc({ service: 'payments.v1.Gateway' }),
    liveness: HealthProbe.grpc({ period: Duration.seconds(20) }),
  }),
  lifecycle: {
    gracePeriod: Duration.seconds(60),
    preStop: LifecycleHook.httpGet('/drain', { port: 8081 }), // stop taking new work, then SIGTERM
  },
});

app.synth();
