// Self Awareness: a worker that reports who and where it is. Its IP, node, namespace and resource
// limits come in as environment variables (fixed for the pod's life); its labels and annotations
// as files that Kubernetes keeps current, so a relabelled pod sees its new labels without a
// restart.
import { App, Chart } from 'cdk8s';
import {
  BatchJob, DownwardApiFile, EnvVariable, PodField, PodVolume, ResourceField,
} from 'cdk8s-patterns';

const app = new App();
const chart = new Chart(app, 'reports', { namespace: 'reports' });

new BatchJob(chart, 'monthly-report', {
  image: 'ghcr.io/acme/report-builder:1.6.0',
  labels: { team: 'finance' },
  envVariables: [
    EnvVariable.fromPodField('POD_NAME', PodField.NAME),
    EnvVariable.fromPodField('POD_NAMESPACE', PodField.NAMESPACE),
    EnvVariable.fromPodField('POD_IP', PodField.POD_IP),
    EnvVariable.fromPodField('NODE_NAME', PodField.NODE_NAME),
    EnvVariable.fromPodField('HOST_IP', PodField.HOST_IP),
    EnvVariable.fromResource('MEMORY_LIMIT_MIB', ResourceField.MEMORY_LIMIT, { divisor: '1Mi' }),
  ],
  volumes: [
    PodVolume.downwardApi('pod-info', [
      DownwardApiFile.labels(),
      DownwardApiFile.annotations(),
      DownwardApiFile.podField('uid', PodField.UID),
    ]),
  ],
  mounts: [{ volume: 'pod-info', path: '/etc/pod-info', readOnly: true }],
});

app.synth();
