// Predictable Demands for a namespace: Pod Security "restricted", a ResourceQuota and container defaults.
import { App, Chart, Size } from 'cdk8s';
import { NamespaceGuardrails, PodSecurityLevel } from 'cdk8s-patterns';
import { Cpu } from 'cdk8s-plus-28';

const app = new App();
const chart = new Chart(app, 'platform');

new NamespaceGuardrails(chart, 'shop', {
  quota: {
    requestsCpu: Cpu.units(8),
    requestsMemory: Size.gibibytes(16),
    limitsCpu: Cpu.units(16),
    limitsMemory: Size.gibibytes(32),
    requestsStorage: Size.gibibytes(200),
    pods: 60,
    services: 20,
    persistentVolumeClaims: 10,
  },
  containerDefaults: {
    defaultRequestCpu: Cpu.millis(100),
    defaultRequestMemory: Size.mebibytes(128),
    defaultLimitCpu: Cpu.millis(500),
    defaultLimitMemory: Size.mebibytes(256),
    maxCpu: Cpu.units(4),
    maxMemory: Size.gibibytes(8),
  },
});

// A legacy team on its way to "restricted": its pods must meet "baseline" today, and every pod that
// would not meet "restricted" shows a warning on kubectl apply and an entry in the audit log.
new NamespaceGuardrails(chart, 'legacy-billing', {
  podSecurity: PodSecurityLevel.BASELINE,
  podSecurityWarn: PodSecurityLevel.RESTRICTED,
  podSecurityAudit: PodSecurityLevel.RESTRICTED,
});

app.synth();
