import { errorOf, service } from '../helpers/errors';
import { findObject, mainContainer, synth } from '../helpers/synth';

describe('image references', () => {
  test.each([
    ['ghcr.io/acme/api'],
    ['ghcr.io/acme/api:latest'],
    ['nginx'],
  ])('%s is rejected: not pinned', (image) => {
    expect(errorOf(() => service({ image }))).toContain(`image ("${image}") must be pinned to a tag other than "latest" or to a digest (set allowUnpinnedImage: true to opt out)`);
  });

  test.each([
    ['nginx:1.27.2'],
    ['registry.example.com:5000/team/api:2024-01-01_1'],
    ['ghcr.io/acme/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'],
    ['ghcr.io/acme/api:1.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'],
  ])('%s is accepted', (image) => {
    const svc = service({ image });
    expect(mainContainer(findObject(synth(svc.node.scope as any), 'Deployment', 'api')).image).toBe(image);
  });

  test('allowUnpinnedImage opts out explicitly, and such images are always pulled', () => {
    const svc = service({ image: 'nginx:latest', allowUnpinnedImage: true });
    const c = mainContainer(findObject(synth(svc.node.scope as any), 'Deployment', 'api'));
    expect(c.image).toBe('nginx:latest');
    expect(c.imagePullPolicy).toBe('Always');
  });

  test('pinned images are always pulled too, by tag or by digest (a tag can be moved)', () => {
    const svc = service({});
    svc.addContainer({ name: 'proxy', image: 'ghcr.io/acme/proxy@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' });
    svc.addInitContainer({ name: 'migrate', image: 'ghcr.io/acme/migrate:1.0.0' });
    const spec = findObject(synth(svc.node.scope as any), 'Deployment', 'api').spec.template.spec;
    expect(spec.containers.map((c: any) => c.imagePullPolicy)).toEqual(['Always', 'Always']);
    expect(spec.initContainers.map((c: any) => c.imagePullPolicy)).toEqual(['Always']);
  });

  test('malformed and missing images are rejected', () => {
    expect(errorOf(() => service({ image: 'GHCR.io/Acme/API:1' }))).toContain('must be a valid image reference');
    expect(errorOf(() => service({ image: 'api:1 2' }))).toContain('must be a valid image reference');
    expect(errorOf(() => service({ image: undefined as any }))).toContain('image (undefined) must be a non-empty image reference');
  });
});
