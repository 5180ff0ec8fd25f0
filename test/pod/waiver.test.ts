import { Size } from 'cdk8s';
import { HealthCheck, PolicyRule, PodVolume, ServiceExposure, StatelessService, Waiver } from '../../src';
import { Problems } from '../../src/core/validation';
import { waiverAnnotations } from '../../src/pod/waiver';
import { errorOf, IMAGE, service } from '../helpers/errors';
import { CALLERS } from '../helpers/network';
import { findObject, newChart, synth, validateManifests } from '../helpers/synth';

describe('Waiver: each checker\'s own exemption annotation', () => {
  test('one waiver writes this project\'s checker, kube-score, kube-linter, Polaris and Checkov annotations with the reason', () => {
    // GIVEN a hostPath waiver
    const out = waiverAnnotations([Waiver.of(PolicyRule.HOST_PATH, 'reads the node logs')], new Problems('x'), 'waivers');
    // THEN every checker that has the rule gets its own exemption
    expect(out).toEqual({
      'patterns.cdk8s.io/checker-ignore': 'PSS105,PSS201: reads the node logs',
      'ignore-check.kube-linter.io/sensitive-host-mounts': 'reads the node logs',
      'polaris.fairwinds.com/hostPathSet-exempt': 'true',
      'checkov.io/skip1': 'CKV_K8S_27=reads the node logs',
      'patterns.cdk8s.io/policy-ignore': 'no-host-path: reads the node logs',
    });
  });

  test('several waivers: one checker annotation listing every rule and reason, numbered Checkov skips, merged kube-score ignores', () => {
    const out = waiverAnnotations([
      Waiver.of(PolicyRule.ROOT_GROUP, 'group 0 reads the logs'),
      Waiver.of(PolicyRule.WRITABLE_ROOT_FILESYSTEM, 'the legacy image writes everywhere'),
    ], new Problems('x'), 'waivers');
    expect(out['patterns.cdk8s.io/checker-ignore']).toBe('KBP105,KBP109,KBP102: group 0 reads the logs; the legacy image writes everywhere');
    expect(out['kube-score/ignore']).toBe('container-security-context-user-group-id,container-security-context-readonlyrootfilesystem');
    expect(out['checkov.io/skip1']).toBe('CKV_K8S_40=group 0 reads the logs');
    expect(out['checkov.io/skip2']).toBe('CKV_K8S_22=the legacy image writes everywhere');
    expect(out['patterns.cdk8s.io/policy-ignore']).toBe('high-uid-gid,read-only-root-fs: group 0 reads the logs; the legacy image writes everywhere');
    expect(out['ignore-check.kube-linter.io/no-read-only-root-fs']).toBe('the legacy image writes everywhere');
    expect(out['polaris.fairwinds.com/notReadOnlyRootFilesystem-exempt']).toBe('true');
  });

  test('on a workload: the annotations go on the workload object, beside the user\'s', () => {
    const chart = newChart('shop');
    new StatelessService(chart, 'api', {
      image: IMAGE,
      port: 8080,
      network: CALLERS,
      annotations: { 'example.com/owner': 'team-a' },
      health: HealthCheck.http('/healthz'),
      waivers: [Waiver.of(PolicyRule.WRITABLE_ROOT_FILESYSTEM, 'the legacy image writes everywhere')],
      security: { readOnlyRootFilesystem: false },
    });
    const out = synth(chart);
    validateManifests(out);
    expect(findObject(out, 'Deployment', 'api').metadata.annotations).toMatchObject({
      'example.com/owner': 'team-a',
      'patterns.cdk8s.io/checker-ignore': 'KBP102: the legacy image writes everywhere',
      'patterns.cdk8s.io/policy-ignore': 'read-only-root-fs: the legacy image writes everywhere',
    });
  });

  test('an exposure writes the same waiver for the exposed-service rule', () => {
    const chart = newChart('shop');
    new StatelessService(chart, 'api', { image: IMAGE, port: 8080, exposures: [ServiceExposure.nodePort({ reason: 'the office reaches it' })] });
    expect(findObject(synth(chart), 'Service', 'api-nodeport').metadata.annotations).toEqual({
      'patterns.cdk8s.io/checker-ignore': 'KBP114: the office reaches it',
      'ignore-check.kube-linter.io/exposed-services': 'the office reaches it',
      'kube-score/ignore': 'service-type',
      'patterns.cdk8s.io/policy-ignore': 'no-exposed-service: the office reaches it',
    });
  });

  test('a rule no checker of this project knows writes no empty checker-ignore annotation; rules sharing an id list it once', () => {
    const out = waiverAnnotations([
      Waiver.of(PolicyRule.RBAC_SECRET_READ, 'reads its own TLS Secret'),
      Waiver.of(PolicyRule.RBAC_POD_EXEC, 'the debug tool execs into pods'),
    ], new Problems('x'), 'waivers');
    expect(out['patterns.cdk8s.io/checker-ignore']).toBeUndefined();
    expect(out['patterns.cdk8s.io/policy-ignore']).toBe('rbac-no-dangerous-access: reads its own TLS Secret; the debug tool execs into pods');
    expect(out['ignore-check.kube-linter.io/access-to-secrets']).toBe('reads its own TLS Secret');
    expect(out['polaris.fairwinds.com/rolePodExecAttach-exempt']).toBe('true');
  });
});

describe('Waiver: bad input', () => {
  test('every problem is listed: no reason, a multi-line reason, an unknown rule, a rule waived twice, not a Waiver, not a list', () => {
    const message = errorOf(() => service({
      waivers: [
        Waiver.of(PolicyRule.HOST_PATH, ''),
        Waiver.of(PolicyRule.HOST_NETWORK, 'line one\nline two'),
        Waiver.of('no-such-rule' as any, 'x'),
        Waiver.of(PolicyRule.ROOT_GROUP, 'a'),
        Waiver.of(PolicyRule.ROOT_GROUP, 'b'),
        { rule: PolicyRule.HOST_PATH, reason: 'x' } as any,
      ],
    }));
    expect(message).toContain('shop/api: waivers[0].reason ("") must be a non-empty, single-line reason');
    expect(message).toContain('waivers[1].reason ("line one\\nline two") must be a non-empty, single-line reason');
    expect(message).toContain('waivers[2].rule ("no-such-rule") must be a PolicyRule');
    expect(message).toContain('waivers[4].rule ("root-group") is waived twice');
    expect(message).toContain('waivers[5] ({"rule":"host-path","reason":"x"}) must be created with Waiver.of(rule, reason)');
    expect(errorOf(() => service({ waivers: Waiver.of(PolicyRule.HOST_PATH, 'x') as any }))).toContain('waivers ({');
  });

  test('an annotation the waivers write cannot also be given by hand', () => {
    expect(errorOf(() => service({
      annotations: { 'patterns.cdk8s.io/checker-ignore': 'KBP102: by hand' },
      waivers: [Waiver.of(PolicyRule.WRITABLE_ROOT_FILESYSTEM, 'typed')],
    }))).toContain('shop/api: annotations["patterns.cdk8s.io/checker-ignore"] ("KBP102: by hand") is written from waivers');
  });

  test('a volume and a waiver together still synthesise valid YAML', () => {
    const chart = newChart('shop');
    new StatelessService(chart, 'api', {
      image: IMAGE,
      port: 8080,
      network: CALLERS,
      volumes: [PodVolume.emptyDir('cache', { sizeLimit: Size.mebibytes(16) })],
      mounts: [{ volume: 'cache', path: '/cache' }],
      waivers: [Waiver.of(PolicyRule.EXTERNAL_REFERENCE, 'made in the cluster')],
    });
    expect(() => validateManifests(synth(chart))).not.toThrow();
  });

  test('one check for every role (tcp, exec, the default TCP check): the library records its IDENTICAL_PROBES waiver, unless the user gave one', () => {
    const chart = newChart('shop');
    new StatelessService(chart, 'api', { image: IMAGE, port: 8080, network: CALLERS });
    new StatelessService(chart, 'web', { image: IMAGE, port: 8080, network: CALLERS, health: HealthCheck.http('/healthz') });
    new StatelessService(chart, 'own', {
      image: IMAGE, port: 8080, network: CALLERS, waivers: [Waiver.of(PolicyRule.IDENTICAL_PROBES, 'the proxy has no health endpoint')],
    });
    const worker = new StatelessService(chart, 'worker', { image: IMAGE, health: HealthCheck.none() });
    worker.addContainer({ name: 'proxy', image: IMAGE, port: 9000 });
    const out = synth(chart);
    const annotations = (name: string) => findObject(out, 'Deployment', name).metadata.annotations ?? {};
    expect(annotations('api')['kube-score/ignore']).toBe('pod-probes-identical');
    expect(annotations('api')['patterns.cdk8s.io/policy-ignore']).toMatch(/^probes-sane: one check for every role/);
    expect(annotations('api')['patterns.cdk8s.io/checker-ignore']).toBeUndefined();
    expect(annotations('web')).toEqual({});
    expect(annotations('own')['patterns.cdk8s.io/policy-ignore']).toBe('probes-sane: the proxy has no health endpoint');
    // A helper added later with the default TCP check: the annotations follow.
    expect(annotations('worker')['kube-score/ignore']).toBe('pod-probes-identical');
  });
});
