import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppArmorProfile, StatelessService } from '../../src';
import { Problems } from '../../src/core/validation';
import { hardenedContainerContext, hardenedPodContext, resolveSecurity } from '../../src/pod/security';
import { errorOf, service } from '../helpers/errors';
import { CALLERS } from '../helpers/network';
import { findObject, newChart, synth, validateManifests } from '../helpers/synth';

describe('hardening', () => {
  test('defaults: uid/gid/fsGroup 10001, read-only root, 64Mi /tmp', () => {
    const p = new Problems('x');
    const s = resolveSecurity(undefined, p, 'security');
    expect(p.isEmpty).toBe(true);
    expect(s).toMatchObject({ runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, readOnlyRootFilesystem: true });
    expect(s.tmpSizeLimit.toMebibytes()).toBe(64);
  });

  test('the container context meets the restricted Pod Security Standard', () => {
    const s = resolveSecurity({ runAsUser: 20000 }, new Problems('x'), 'security');
    expect(hardenedContainerContext(s)).toMatchObject({
      ensureNonRoot: true,
      user: 20000,
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(hardenedPodContext(s)).toEqual({ ensureNonRoot: true, user: 20000, group: 10001, fsGroup: 10001, fsGroupChangePolicy: 'Always' });
  });

  test('root, out-of-range ids and unusable /tmp sizes are rejected, the defaults used instead', () => {
    const p = new Problems('x');
    const s = resolveSecurity({ runAsUser: 0, fsGroup: -1, tmpSizeLimit: Size.kibibytes(1536) }, p, 'security');
    expect(p.messages()).toEqual([
      'security.runAsUser (0) must be >= 1 (and at most 2147483647)',
      'security.fsGroup (-1) must be >= 0 (and at most 2147483647)',
      'security.tmpSizeLimit ("1536Ki") must be a Size of a whole, positive number of mebibytes (at most 8 Ei), e.g. Size.mebibytes(64)',
    ]);
    expect(s.tmpSizeLimit.toMebibytes()).toBe(64);
  });
});

describe('seccomp Localhost and AppArmor', () => {
  test('a Localhost seccomp profile on the pod and every container; AppArmor annotations for every container, helpers too', () => {
    // GIVEN a service with a node-local seccomp profile and an AppArmor profile, and a sidecar
    const chart = newChart('shop');
    const svc = new StatelessService(chart, 'api', {
      image: 'ghcr.io/acme/api:1.4.2',
      port: 8080,
      network: CALLERS,
      security: { seccompLocalhostProfile: 'profiles/api.json', appArmor: AppArmorProfile.localhost('api-restricted') },
    });
    svc.addContainer({ name: 'proxy', image: 'ghcr.io/acme/proxy:2.0.1' });
    // WHEN synthesised
    const out = synth(chart);
    validateManifests(out);
    const d = findObject(out, 'Deployment', 'api');
    // THEN seccomp is Localhost at pod and container level, and each container has its AppArmor annotation
    expect(d.spec.template.spec.securityContext.seccompProfile).toEqual({ type: 'Localhost', localhostProfile: 'profiles/api.json' });
    for (const c of d.spec.template.spec.containers) expect(c.securityContext.seccompProfile).toEqual({ type: 'Localhost', localhostProfile: 'profiles/api.json' });
    expect(d.spec.template.metadata.annotations).toEqual({
      'container.apparmor.security.beta.kubernetes.io/app': 'localhost/api-restricted',
      'container.apparmor.security.beta.kubernetes.io/proxy': 'localhost/api-restricted',
    });
  });

  test('the runtime default AppArmor profile, written explicitly', () => {
    const chart = newChart('shop');
    new StatelessService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2', security: { appArmor: AppArmorProfile.runtimeDefault() } });
    expect(findObject(synth(chart), 'Deployment', 'api').spec.template.metadata.annotations)
      .toEqual({ 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' });
  });

  test('bad profiles are rejected', () => {
    const message = errorOf(() => new StatelessService(newChart('shop'), 'api', {
      image: 'ghcr.io/acme/api:1.4.2', security: { seccompLocalhostProfile: '/etc/seccomp/../x.json', appArmor: AppArmorProfile.localhost('bad name') },
    }));
    expect(message).toContain('shop/api: security.seccompLocalhostProfile ("/etc/seccomp/../x.json") must be a path relative to the kubelet\'s seccomp directory');
    expect(message).toContain('security.appArmor ("localhost/bad name") must be AppArmorProfile.runtimeDefault() or localhost(<profile name>)');
    expect(errorOf(() => new StatelessService(newChart('shop'), 'api', { image: 'ghcr.io/acme/api:1.4.2', security: { appArmor: 'runtime/default' as any } })))
      .toContain('security.appArmor ("runtime/default") must be AppArmorProfile');
  });
});

describe('fsGroupChangePolicy: how often the kubelet changes the group of a volume\'s files', () => {
  test('Always by default, OnRootMismatch on request (big claims), anything else refused', () => {
    const render = (security: any) => {
      const chart = newChart('db');
      new StatelessService(chart, 'api', { image: 'ghcr.io/acme/api:1.4.2', port: 8080, network: CALLERS, security });
      return findObject(synth(chart), 'Deployment', 'api').spec.template.spec.securityContext.fsGroupChangePolicy;
    };
    expect(render(undefined)).toBe('Always');
    expect(render({ fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH })).toBe('OnRootMismatch');
    expect(errorOf(() => service({ security: { fsGroupChangePolicy: 'Sometimes' as any } })))
      .toContain('shop/api: security.fsGroupChangePolicy ("Sometimes") must be FsGroupChangePolicy.ALWAYS or ON_ROOT_MISMATCH');
  });
});
