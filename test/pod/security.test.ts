import { Size } from 'cdk8s';
import { Problems } from '../../src/core/validation';
import { hardenedContainerContext, hardenedPodContext, resolveSecurity } from '../../src/pod/security';

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
    expect(hardenedPodContext(s)).toEqual({ ensureNonRoot: true, user: 20000, group: 10001, fsGroup: 10001 });
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
