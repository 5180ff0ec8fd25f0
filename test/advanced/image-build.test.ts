import { Duration } from 'cdk8s';
import { BuildStrategyKind, ImageBuild, ImageBuildProps } from '../../src';
import { errorOf } from '../helpers/errors';
import { findObject, Manifest, newChart, synth } from '../helpers/synth';

function build(props: Partial<ImageBuildProps>): Manifest[] {
  const chart = newChart('builds', { namespace: 'builds' });
  new ImageBuild(chart, 'api-image', { source: { gitUrl: 'https://github.com/acme/api' }, strategy: 'buildah', output: 'ghcr.io/acme/api:1.5.0', ...props });
  return synth(chart);
}

describe('ImageBuild: Image Builder with Shipwright', () => {
  test('a Build from Git with a strategy, the output and its push Secret by name; a BuildRun when asked', () => {
    const manifests = build({
      source: { gitUrl: 'https://github.com/acme/api', revision: 'v1.5.0', contextDir: 'service', cloneSecret: 'github-read' },
      pushSecret: 'ghcr-push',
      dockerfile: 'build/Dockerfile',
      timeout: Duration.minutes(20),
      run: true,
    });
    const b = findObject(manifests, 'Build', 'api-image');
    expect(b.apiVersion).toBe('shipwright.io/v1beta1');
    expect(b.spec).toEqual({
      source: { type: 'Git', git: { url: 'https://github.com/acme/api', revision: 'v1.5.0', cloneSecret: 'github-read' }, contextDir: 'service' },
      strategy: { name: 'buildah', kind: 'ClusterBuildStrategy' },
      paramValues: [{ name: 'dockerfile', value: 'build/Dockerfile' }],
      output: { image: 'ghcr.io/acme/api:1.5.0', pushSecret: 'ghcr-push' },
      timeout: '1200s',
    });
    expect(findObject(manifests, 'BuildRun', 'api-image').spec).toEqual({ build: { name: 'api-image' } });
    expect(manifests.map((m) => m.kind)).toEqual(['Build', 'BuildRun']); // the run after its build
  });

  test('no BuildRun by default; a namespaced strategy', () => {
    const manifests = build({ strategyKind: BuildStrategyKind.NAMESPACED });
    expect(manifests.map((m) => m.kind)).toEqual(['Build']);
    expect(findObject(manifests, 'Build', 'api-image').spec.strategy).toEqual({ name: 'buildah', kind: 'BuildStrategy' });
  });

  test('refused: credentials in the URL, an unpinned output, paths out of the repository, and every other problem at once', () => {
    const message = errorOf(() => build({
      source: { gitUrl: 'https://user:token@github.com/acme/api', contextDir: '../x', cloneSecret: 'Bad_Secret' },
      strategy: 'Buildah!',
      output: 'ghcr.io/acme/api:latest',
      pushSecret: '',
      dockerfile: '/Dockerfile',
      timeout: Duration.days(2),
      run: 'yes' as any,
    }));
    for (const line of [
      'source.gitUrl ("https://user:token@github.com/acme/api") must be an https://, ssh:// or git@ URL of a repository, without credentials in it',
      'source.contextDir ("../x") must be a relative path within the repository',
      'source.cloneSecret ("Bad_Secret") must be a DNS-1123 subdomain',
      'strategy ("Buildah!") must be the name of a build strategy',
      'output ("ghcr.io/acme/api:latest") must be pinned',
      'dockerfile ("/Dockerfile") must be a relative path',
      'timeout ("172800s") must be a whole number of seconds, at least 1 and at most 86400',
      'run ("yes") must be true or false',
    ]) expect(message).toContain(`builds/api-image: ${line}`);
    expect(errorOf(() => build({ source: null as any, strategies: 'x' } as any))).toContain('builds/api-image: source (null) must be { gitUrl, revision, contextDir, cloneSecret }');
  });
});
