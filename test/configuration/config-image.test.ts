import { ApiObject, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  BatchJob, ConfigImage, ConfigImageProps, Demands, PodQos, PodVolume, QosClass, StatelessServiceProps,
} from '../../src';
import { errorOf, service } from '../helpers/errors';
import { Manifest, findObject, newChart, synth, validateManifests } from '../helpers/synth';

const CONFIG_IMAGE = 'ghcr.io/acme/api-config:2024.06.1';

/** Synthesises the chart and checks every manifest against the schema. */
function build(chart: Chart): Manifest[] {
  const manifests = synth(chart);
  validateManifests(manifests);
  return manifests;
}

/** A service `api` (chart `shop`) with a ConfigImage `config` mounted at /etc/api; `props` and `svcProps` override. */
function withConfigImage(props: Partial<ConfigImageProps> = {}, svcProps: Partial<StatelessServiceProps> = {}) {
  const svc = service(svcProps);
  const chart = Chart.of(svc) as Chart;
  const config = new ConfigImage(chart, 'config', { workload: svc, image: CONFIG_IMAGE, mountPath: '/etc/api', ...props });
  return { svc, chart, config };
}

/** The rendered pod spec of the `api` Deployment. */
function podSpec(chart: Chart): any {
  return findObject(build(chart), 'Deployment', 'api').spec.template.spec;
}

/** The error thrown by `fn`, whatever it is. */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e: any) {
    return e;
  }
  throw new Error('expected an error, but none was thrown');
}

describe('ConfigImage: rendering', () => {
  test('an emptyDir, an init container that copies the configuration into it, and a read-only mount into app', () => {
    // GIVEN a service with a configuration image
    const { chart, config } = withConfigImage();
    // WHEN synthesised
    const spec = podSpec(chart);
    // THEN the pod has an emptyDir named after the construct
    expect(config.volumeName).toBe('config');
    expect(spec.volumes).toContainEqual({ name: 'config', emptyDir: { sizeLimit: '64Mi' } });
    // AND an init container of the configuration image copies /config into it
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['config']);
    const init = spec.initContainers[0];
    expect(init.image).toBe(CONFIG_IMAGE);
    expect(init.command).toEqual(['cp', '-R', '/config/.', '/config-out/']);
    expect(init.volumeMounts).toContainEqual({ mountPath: '/config-out', name: 'config' });
    expect(init.restartPolicy).toBeUndefined();
    expect(init.ports).toBeUndefined();
    expect(init.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true });
    // AND the main container reads it, read-only, at the mount path
    expect(spec.containers[0].volumeMounts).toContainEqual({ mountPath: '/etc/api', name: 'config', readOnly: true });
    // AND the main container is still the only regular one
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app']);
  });

  test('sourcePath is copied with its content, trailing slashes dropped', () => {
    const { chart } = withConfigImage({ sourcePath: '/opt/config//' });
    expect(podSpec(chart).initContainers[0].command).toEqual(['cp', '-R', '/opt/config/.', '/config-out/']);
  });

  test('name, volume size, command and demands can be set', () => {
    // GIVEN a configuration image with every option
    const demands = Demands.burstable({ requests: { cpu: kplus.Cpu.millis(50), memory: Size.mebibytes(32) } });
    const { chart, config } = withConfigImage({
      name: 'api-settings', volume: { sizeLimit: Size.mebibytes(8) }, command: ['/bin/install-config', '/config-out'], demands,
    });
    // WHEN synthesised
    const spec = podSpec(chart);
    // THEN the volume and the init container carry the name, size, command and resources
    expect(config.volumeName).toBe('api-settings');
    expect(spec.volumes).toContainEqual({ name: 'api-settings', emptyDir: { sizeLimit: '8Mi' } });
    const init = spec.initContainers[0];
    expect(init.name).toBe('api-settings');
    expect(init.command).toEqual(['/bin/install-config', '/config-out']);
    expect(init.resources.requests).toEqual({ 'cpu': '50m', 'memory': '32Mi', 'ephemeral-storage': '128Mi' });
    expect(spec.containers[0].volumeMounts).toContainEqual({ mountPath: '/etc/api', name: 'api-settings', readOnly: true });
  });

  test('the init container gets the workload\'s demands, keeping the QoS tier', () => {
    const demands = Demands.guaranteed({ cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(256) });
    const { chart } = withConfigImage({}, { demands });
    const spec = podSpec(chart);
    expect(spec.initContainers[0].resources).toEqual(spec.containers[0].resources);
    expect(PodQos.classify(spec)).toBe(QosClass.GUARANTEED);
  });

  test('a new configuration image tag changes the pod template (a rollout)', () => {
    const v1 = podSpec(withConfigImage({ image: 'ghcr.io/acme/api-config:1.0.0' }).chart);
    const v2 = podSpec(withConfigImage({ image: 'ghcr.io/acme/api-config:1.0.1' }).chart);
    expect(v1.initContainers[0].image).not.toBe(v2.initContainers[0].image);
    expect(v1.containers).toEqual(v2.containers);
  });

  test('works on a BatchJob too', () => {
    // GIVEN a batch job with a configuration image
    const chart = newChart('shop');
    const job = new BatchJob(chart, 'reindex', { image: 'ghcr.io/acme/reindex:2.3.0' });
    new ConfigImage(chart, 'config', { workload: job, image: CONFIG_IMAGE, mountPath: '/etc/reindex' });
    // WHEN synthesised
    const spec = findObject(build(chart), 'Job', 'reindex').spec.template.spec;
    // THEN the init container runs first and the job container reads the files
    expect(spec.initContainers[0]).toMatchObject({ name: 'config', command: ['cp', '-R', '/config/.', '/config-out/'] });
    expect(spec.containers[0].volumeMounts).toContainEqual({ mountPath: '/etc/reindex', name: 'config', readOnly: true });
  });

  test('two configuration images with different names coexist', () => {
    const { svc, chart } = withConfigImage();
    new ConfigImage(chart, 'certs', { workload: svc, image: 'ghcr.io/acme/ca-bundle:2024.1.0', sourcePath: '/certs', mountPath: '/etc/ssl/acme' });
    const spec = podSpec(chart);
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['config', 'certs']);
    expect(spec.containers[0].volumeMounts.map((m: any) => m.mountPath)).toEqual(expect.arrayContaining(['/etc/api', '/etc/ssl/acme']));
  });
});

describe('ConfigImage: bad input', () => {
  test('an unpinned image is rejected', () => {
    expect(errorOf(() => withConfigImage({ image: 'busybox' }).config))
      .toContain('shop/config: image ("busybox") must be pinned to a tag other than "latest" or to a digest');
    expect(errorOf(() => withConfigImage({ image: 'ghcr.io/acme/api-config:latest' }).config)).toContain('must be pinned');
  });

  test('a relative sourcePath is rejected', () => {
    expect(errorOf(() => withConfigImage({ sourcePath: 'config' }).config)).toContain('shop/config: sourcePath ("config") must be an absolute path');
  });

  test('a mountPath the main container already mounts is rejected', () => {
    // GIVEN a service that mounts a volume at /etc/api
    const svcProps = { volumes: [PodVolume.emptyDir('data')], mounts: [{ volume: 'data', path: '/etc/api' }] };
    // THEN a configuration image at the same path is rejected
    expect(errorOf(() => withConfigImage({}, svcProps).config)).toContain('("/etc/api") is already a mount path of container "app"');
    // AND so is /tmp, which every container has
    expect(errorOf(() => withConfigImage({ mountPath: '/tmp' }).config)).toContain('("/tmp") is the container\'s own /tmp emptyDir already');
  });

  test('a relative or missing mountPath is rejected', () => {
    expect(errorOf(() => withConfigImage({ mountPath: 'etc/api' }).config)).toContain('("etc/api") must be an absolute path without ".."');
    expect(errorOf(() => withConfigImage({ mountPath: undefined as any }).config)).toContain('(undefined) must be an absolute path without ".."');
  });

  test('a name that is already a volume of the workload is rejected', () => {
    const svcProps = { volumes: [PodVolume.emptyDir('config')], mounts: [{ volume: 'config', path: '/data' }] };
    expect(errorOf(() => withConfigImage({}, svcProps).config)).toContain('("config") must be unique in the pod (also declared by volumes[0])');
  });

  test('two configuration images with one name are rejected', () => {
    const { svc, chart } = withConfigImage();
    const msg = errorOf(() => new ConfigImage(chart, 'again', { workload: svc, name: 'config', image: CONFIG_IMAGE, mountPath: '/etc/other' }));
    expect(msg).toContain('shop/again:');
    expect(msg).toContain('("config") must be unique in the pod');
    expect(msg).toContain('shop/again: name ("config") must be unique in the pod (the init container has it)');
  });

  test('an invalid name is rejected', () => {
    const msg = errorOf(() => withConfigImage({ name: 'Config' }).config);
    expect(msg).toContain('("Config") must be a DNS-1123 label');
    expect(msg).toMatch(/^cdk8s-patterns: 1 invalid value:/); // the volume and the init container share the name: one problem
  });

  test('the workload must be a workload of this library', () => {
    expect(errorOf(() => new ConfigImage(newChart('shop'), 'config', { workload: {} as any, image: CONFIG_IMAGE, mountPath: '/etc/api' })))
      .toContain('shop/config: workload ({}) must be a workload of this library (StatelessService, DaemonService, ...)');
    expect(errorOf(() => new ConfigImage(newChart('shop'), 'config', undefined as any)))
      .toContain('shop/config: workload (undefined) must be a workload of this library');
  });

  test('several problems are listed at once', () => {
    const msg = errorOf(() => withConfigImage({ image: 'busybox', mountPath: 'etc' }).config);
    expect(msg).toContain('image ("busybox") must be pinned');
    expect(msg).toContain('("etc") must be an absolute path without ".."');
  });
});

describe('ConfigImage: bugs', () => {
  test('a non-string sourcePath is a validation error, not a TypeError', () => {
    const e = thrown(() => synth(withConfigImage({ sourcePath: 42 as any }).chart));
    expect(e.name).toBe('PatternValidationError');
    expect(e.message).toContain('shop/config: sourcePath (42) must be an absolute path');
  });

  test('sourcePath "/" is not reported as "must be an absolute path" (it is one)', () => {
    // "/" is absolute: either copy the image's whole filesystem (cp -R /. /config-out/) or reject it for what it is
    const msg = errorOf(() => withConfigImage({ sourcePath: '/' }).config);
    expect(msg).toContain('shop/config: sourcePath ("/")');
    expect(msg).not.toContain('sourcePath ("/") must be an absolute path');
  });

  test('one bad prop is one problem: a bad sourcePath does not add problems about internal mounts', () => {
    // GIVEN only a relative sourcePath wrong
    const msg = errorOf(() => withConfigImage({ sourcePath: 'config' }).config);
    // THEN only that is reported, not "mounts[0].volume" or "mountPath.volume" (props ConfigImage does not have)
    expect(msg).toContain('1 invalid value:');
    expect(msg).not.toContain('mounts[0].volume');
  });

  test('problems name the props of ConfigImage (name, mountPath), not name.name or mountPath.path', () => {
    const dup = errorOf(() => withConfigImage({}, { volumes: [PodVolume.emptyDir('config')], mounts: [{ volume: 'config', path: '/data' }] }).config);
    expect(dup).toContain('shop/config: name ("config") must be unique in the pod');
    const clash = errorOf(() => withConfigImage({ mountPath: '/tmp' }).config);
    expect(clash).toContain('shop/config: mountPath ("/tmp") is the container\'s own /tmp emptyDir already');
  });

  test('a rejected ConfigImage (unpinned image) leaves the workload unchanged', () => {
    // GIVEN a service and a ConfigImage rejected for its image
    const svc = service({});
    const before = svc.volumeNames;
    const rendered = () => ApiObject.of(svc.deployment).toJson().spec.template.spec;
    const podBefore = rendered();
    new ConfigImage(Chart.of(svc), 'config', { workload: svc, image: 'busybox', mountPath: '/etc/api' });
    // THEN the workload has no new volume, init container or mount
    expect(svc.volumeNames).toEqual(before);
    expect(rendered()).toEqual(podBefore);
    // AND synth reports the image only (no "mounted by no container" about a half-added volume)
    expect(() => build(Chart.of(svc) as Chart)).toThrow(/^cdk8s-patterns: 1 invalid value:\n {2}- shop\/config: image \("busybox"\) must be pinned/);
  });

  test('a rejected ConfigImage (mountPath clash) leaves the workload unchanged, so a corrected one can be added', () => {
    // GIVEN a ConfigImage rejected for its mount path
    const svc = service({});
    new ConfigImage(Chart.of(svc), 'config', { workload: svc, image: CONFIG_IMAGE, mountPath: '/tmp' });
    // WHEN the corrected one is added (a fresh construct id, same name)
    new ConfigImage(Chart.of(svc), 'config2', { workload: svc, name: 'config', image: CONFIG_IMAGE, mountPath: '/etc/api' });
    // THEN the pod has one init container and one config volume (rendered without synth, which the rejected one fails)
    const spec = ApiObject.of(svc.deployment).toJson().spec.template.spec;
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['config']);
    expect(spec.volumes.filter((v: any) => v.name === 'config')).toHaveLength(1);
    // AND synth reports the rejected one only (its mountPath), nothing of the corrected one
    const msg = thrown(() => build(Chart.of(svc) as Chart)).message;
    expect(msg).toContain('shop/config: mountPath ("/tmp") is the container\'s own /tmp emptyDir already');
    const lines = msg.split('\n').slice(1);
    expect(lines.filter((l) => !l.startsWith('  - shop/config: mountPath ("/tmp") '))).toEqual([]);
  });
});
