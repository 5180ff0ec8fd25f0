/* eslint-disable @stylistic/max-len */
import { ApiObject, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  BatchJob, DaemonService, Demands, HealthCheck, HealthProbe, NamespaceGuardrails, PodFailurePolicyAction, SingletonLocking,
  SingletonService, StatelessService,
} from '../../src';
import { errorOf, IMAGE } from '../helpers/errors';
import { newChart, synth } from '../helpers/synth';

// The error paths that the pattern suites do not reach: mostly wrong types from JavaScript, and
// synth-time rules reached only by patching the rendered objects. Each message names prop, value and rule.
const svc = (props: any) => new StatelessService(newChart('shop'), 'api', { image: IMAGE, port: 8080, ...props });
const daemon = (props: any) => new DaemonService(newChart('ops'), 'agent', { image: IMAGE, ...props });

describe('error paths', () => {
  test.each<[string, () => unknown, string]>([
    ['env that is not a map', () => svc({ env: ['A=1'] }), 'shop/api: env (["A=1"]) must be a map of names to strings'],
    ['a cpu that is not a Cpu', () => svc({ demands: Demands.burstable({ requests: { cpu: 5 as any } }) }), 'demands.requests.cpu (5) must be a Cpu, e.g. Cpu.millis(250)'],
    ['requests that are not an object', () => svc({ demands: Demands.burstable({ requests: 5 as any }) }), 'demands.requests (5) must be an object of amounts'],
    ['extended resources that are not a map', () => svc({ demands: Demands.guaranteed({ cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(64), extendedResources: 5 as any }) }), 'demands.extendedResources (5) must be a map of resource names to whole numbers'],
    ['a probe period that is not a Duration', () => svc({ health: HealthCheck.of({ liveness: HealthProbe.tcp({ period: 5 as any }) }) }), 'health.liveness.period (5) must be a Duration, e.g. Duration.seconds(5)'],
    ['a preference without weight', () => svc({ placement: { preferredNodeAffinity: [{ requirements: [{ key: 'a', operator: 'Exists' }] }] } }), 'placement.preferredNodeAffinity[0].weight (undefined) is required (1 to 100)'],
    ['a requirement that is not an object', () => svc({ placement: { requiredNodeAffinity: [5] } }), 'placement.requiredNodeAffinity[0] (5) must be a node requirement ({ key, operator, values })'],
    ['a toleration that is not an object', () => svc({ placement: { tolerations: [5] } }), 'placement.tolerations[0] (5) must be a toleration ({ key, operator, value, effect })'],
    ['an onExitCodes that is not an object', () => new BatchJob(newChart('search'), 'reindex', { image: IMAGE, podFailurePolicy: [{ action: PodFailurePolicyAction.FAIL_JOB, onExitCodes: 5 as any }] }), 'search/reindex: podFailurePolicy[0].onExitCodes (5) must be an object ({ containerName?, operator, values })'],
    ['host paths that are not a list', () => daemon({ hostPaths: {} }), 'ops/agent: hostPaths ({}) must be a list of { path'],
    ['an unknown host path type', () => daemon({ hostPaths: [{ path: '/var/log', type: 'Nope' }] }), 'hostPaths[0].type ("Nope") must be a HostPathType ('],
    ['a host path mounted over /tmp', () => daemon({ hostPaths: [{ path: '/var/log', mountPath: '/tmp/logs' }] }), 'hostPaths[0].mountPath ("/tmp/logs") must not overlap /tmp'],
    ['guardrail labels that are not a map', () => new NamespaceGuardrails(newChart(), 'shop', { labels: ['a'] as any }), 'labels (["a"]) must be a map of label keys to values'],
    ['a quota that is not an object', () => new NamespaceGuardrails(newChart(), 'shop', { quota: 5 as any }), 'quota (5) must be an object of hard limits'],
    ['a quota cpu that is not a Cpu', () => new NamespaceGuardrails(newChart(), 'shop', { quota: { requestsCpu: 4 as any } }), 'quota.requestsCpu (4) must be a Cpu, e.g. Cpu.millis(250)'],
    ['a quota memory that is not a Size', () => new NamespaceGuardrails(newChart(), 'shop', { quota: { requestsMemory: 4 as any } }), 'quota.requestsMemory (4) must be a Size, e.g. Size.mebibytes(256)'],
  ])('%s', (_name, build, expected) => {
    expect(errorOf(build)).toContain(expected);
  });

  test('a patched headless Service that is no longer headless, or is exposed, fails synth', () => {
    const s = new SingletonService(newChart('ops'), 'scheduler', { image: IMAGE, locking: SingletonLocking.outOfApplication() });
    const headless = ApiObject.of(s.headlessService!);
    headless.addJsonPatch(JsonPatch.add('/spec/clusterIp', '10.0.0.10'), JsonPatch.add('/spec/type', 'NodePort'));
    const message = errorOf(() => synth(s.node.scope as any));
    expect(message).toContain('headlessService.spec.clusterIP ("10.0.0.10") must be "None"');
    expect(message).toContain('headlessService.spec.type ("NodePort") must be ClusterIP: a headless Service cannot be NodePort or LoadBalancer');
  });

  test('privileged, escalating or unconfined raw containers, and a patched liveness successThreshold, fail synth', () => {
    const s = svc({});
    s.deployment.addContainer({
      name: 'raw',
      image: IMAGE,
      securityContext: { ensureNonRoot: true, privileged: true, allowPrivilegeEscalation: true, capabilities: { drop: [kplus.Capability.ALL] }, seccompProfile: { type: kplus.SeccompProfileType.UNCONFINED } },
    });
    ApiObject.of(s.deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/livenessProbe/successThreshold', 2));
    const message = errorOf(() => synth(s.node.scope as any));
    expect(message).toContain('containers["raw"].securityContext.privileged (true) must not be true under the restricted Pod Security Standard');
    expect(message).toContain('containers["raw"].securityContext.allowPrivilegeEscalation (true) must be false under the restricted Pod Security Standard');
    expect(message).toContain('containers["raw"].securityContext.seccompProfile.type ("Unconfined") must be RuntimeDefault or Localhost');
    expect(message).toContain('containers["app"].livenessProbe.successThreshold (2) must be 1 for liveness and startup probes');
  });

  test('a preStop that is not a LifecycleHook is a message, not a TypeError', () => {
    expect(errorOf(() => svc({ lifecycle: { preStop: { kind: 'sleep' } as any } }))).toContain('lifecycle.preStop ({"kind":"sleep"}) must be created with LifecycleHook');
  });
});
