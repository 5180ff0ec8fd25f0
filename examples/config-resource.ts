// Configuration Resource and Immutable Configuration: one ConfigMap feeds a service both as
// environment variables and as files. It is immutable and its name carries a hash of its content,
// so editing the configuration creates a new ConfigMap and rolls this Deployment (and only the
// workloads that use it) through its normal, health-checked rolling update.
import { App, Chart } from 'cdk8s';
import { ConfigResource, HealthCheck, NetworkPeer, StatelessService } from 'cdk8s-patterns';

const app = new App();
const chart = new Chart(app, 'catalog', { namespace: 'catalog' });

const config = new ConfigResource(chart, 'catalog-config', {
  appName: 'catalog',
  data: {
    'JAVA_TOOL_OPTIONS': '-XX:MaxRAMPercentage=75',
    'application.yaml': [
      'server:',
      '  port: 8080',
      'catalog:',
      '  page-size: 50',
      '  cache-ttl: 5m',
      '',
    ].join('\n'),
    'logback.xml': '<configuration><root level="INFO"/></configuration>\n',
  },
});

new StatelessService(chart, 'catalog', {
  image: 'ghcr.io/acme/catalog:3.8.0',
  port: 8080,
  network: { allowFrom: [{ peer: NetworkPeer.namespace('shop') }] }, // the shop's services call it
  replicas: 3,
  health: HealthCheck.http('/actuator/health'),
  envVariables: [config.env('JAVA_TOOL_OPTIONS', 'JAVA_TOOL_OPTIONS')],
  args: ['--spring.config.additional-location=file:/etc/catalog/'],
  volumes: [
    // Only the two files, readable by the app's user alone (0400; the pod's fsGroup owns them).
    config.volume('config', {
      items: [
        { key: 'application.yaml', path: 'application.yaml' },
        { key: 'logback.xml', path: 'logback.xml' },
      ],
      defaultMode: 0o400,
    }),
  ],
  mounts: [{ volume: 'config', path: '/etc/catalog', readOnly: true }],
});

app.synth();
