import { ApiObject, Chart, Size } from 'cdk8s';
import {
  BatchJob, ConfigMapReference, ConfigResource, ConfigTemplate, ConfigTemplateProps, PodVolume, StatelessServiceProps,
} from '../../src';
import { errorOf, service } from '../helpers/errors';
import { Manifest, findObject, newChart, synth, validateManifests } from '../helpers/synth';

const GOMPLATE = 'hairyhenderson/gomplate:v3.11.7-alpine';

/** Synthesises the chart and checks every manifest against the schema. */
function build(chart: Chart): Manifest[] {
  const manifests = synth(chart);
  validateManifests(manifests);
  return manifests;
}

/**
 * A chart `shop` with a templates ConfigResource, a parameters ConfigResource (key params.yaml), a service `api` and a ConfigTemplate
 * `rendered` mounted at /etc/api; `props` and `svcProps` override.
 */
function withTemplate(
  props: Partial<ConfigTemplateProps> = {}, svcProps: Partial<StatelessServiceProps> = {},
  params: { [key: string]: string } = { 'params.yaml': 'maxThreads: 400\n' },
) {
  const svc = service(svcProps);
  const chart = Chart.of(svc) as Chart;
  const templates = new ConfigResource(chart, 'templates', { data: { 'server.xml': '<Connector maxThreads="{{ (ds "params").maxThreads }}"/>\n' } });
  const parameters = new ConfigResource(chart, 'params', { data: params });
  const template = new ConfigTemplate(chart, 'rendered', { workload: svc, templates, parameters, image: GOMPLATE, mountPath: '/etc/api', ...props });
  return { svc, chart, templates, parameters, template };
}

/** The rendered pod spec of the `api` Deployment. */
function podSpec(chart: Chart): any {
  return findObject(build(chart), 'Deployment', 'api').spec.template.spec;
}

describe('ConfigTemplate: rendering', () => {
  test('three volumes, a gomplate init container, and a read-only mount of the result into app', () => {
    // GIVEN a service with a configuration template
    const { chart, templates, parameters, template } = withTemplate();
    // WHEN synthesised
    const spec = podSpec(chart);
    // THEN the pod has the output emptyDir and the two ConfigMap volumes (by their hashed names)
    expect(template.volumeName).toBe('rendered');
    expect(spec.volumes).toContainEqual({ name: 'rendered', emptyDir: { sizeLimit: '64Mi' } });
    expect(spec.volumes).toContainEqual({ name: 'rendered-templates', configMap: { name: templates.configMapName } });
    expect(spec.volumes).toContainEqual({ name: 'rendered-params', configMap: { name: parameters.configMapName } });
    // AND an init container renders /templates with /params/params.yaml into /rendered
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['rendered']);
    const init = spec.initContainers[0];
    expect(init.image).toBe(GOMPLATE);
    expect(init.args).toEqual(['--input-dir=/templates', '--output-dir=/rendered', '--datasource=params=file:///params/params.yaml']);
    expect(init.command).toBeUndefined();
    expect(init.volumeMounts).toEqual(expect.arrayContaining([
      { mountPath: '/templates', name: 'rendered-templates', readOnly: true },
      { mountPath: '/params', name: 'rendered-params', readOnly: true },
      { mountPath: '/rendered', name: 'rendered' },
    ]));
    expect(init.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true });
    // AND the main container reads the rendered files, read-only
    expect(spec.containers[0].volumeMounts).toContainEqual({ mountPath: '/etc/api', name: 'rendered', readOnly: true });
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app']);
  });

  test('parametersKey names the datasource file', () => {
    const { chart } = withTemplate({ parametersKey: 'values.json' }, {}, { 'values.json': '{"maxThreads": 400}' });
    expect(podSpec(chart).initContainers[0].args).toContain('--datasource=params=file:///params/values.json');
  });

  test('args, name, volume size and the ConfigMaps by name can be set', () => {
    // GIVEN ConfigMaps made elsewhere (keys unknown: no key check) and custom args
    const svc = service({});
    const chart = Chart.of(svc) as Chart;
    new ConfigTemplate(chart, 'rendered', {
      workload: svc,
      templates: ConfigMapReference.fromName('api-templates'),
      parameters: ConfigMapReference.fromName('api-params-prod'),
      parametersKey: 'prod.yaml',
      image: GOMPLATE,
      args: ['--input-dir=/templates', '--output-dir=/rendered', '--context=p=file:///params/prod.yaml'],
      name: 'api-config',
      volume: { sizeLimit: Size.mebibytes(4) },
      mountPath: '/etc/api',
    });
    // WHEN synthesised
    const spec = podSpec(chart);
    // THEN the names follow, the ConfigMaps are referenced as given, and the args are used verbatim
    expect(spec.volumes).toContainEqual({ name: 'api-config', emptyDir: { sizeLimit: '4Mi' } });
    expect(spec.volumes).toContainEqual({ name: 'api-config-templates', configMap: { name: 'api-templates' } });
    expect(spec.volumes).toContainEqual({ name: 'api-config-params', configMap: { name: 'api-params-prod' } });
    expect(spec.initContainers[0]).toMatchObject({
      name: 'api-config', args: ['--input-dir=/templates', '--output-dir=/rendered', '--context=p=file:///params/prod.yaml'],
    });
    expect(spec.containers[0].volumeMounts).toContainEqual({ mountPath: '/etc/api', name: 'api-config', readOnly: true });
  });

  test('a change of parameters rolls the workload; the same parameters do not', () => {
    // GIVEN the same service with two versions of the parameters
    const v1 = podSpec(withTemplate({}, {}, { 'params.yaml': 'maxThreads: 400\n' }).chart);
    const v1again = podSpec(withTemplate({}, {}, { 'params.yaml': 'maxThreads: 400\n' }).chart);
    const v2 = podSpec(withTemplate({}, {}, { 'params.yaml': 'maxThreads: 800\n' }).chart);
    // THEN the params volume names another ConfigMap, so the pod template changes
    const params = (spec: any) => spec.volumes.find((v: any) => v.name === 'rendered-params').configMap.name;
    expect(params(v1)).toBe(params(v1again));
    expect(params(v1)).not.toBe(params(v2));
  });

  test('works on a BatchJob too', () => {
    const chart = newChart('shop');
    const job = new BatchJob(chart, 'reindex', { image: 'ghcr.io/acme/reindex:2.3.0' });
    const parameters = new ConfigResource(chart, 'params', { data: { 'params.yaml': 'shards: 10\n' } });
    new ConfigTemplate(chart, 'rendered', {
      workload: job, templates: ConfigMapReference.fromName('reindex-templates'), parameters, image: GOMPLATE, mountPath: '/etc/reindex',
    });
    const spec = findObject(build(chart), 'Job', 'reindex').spec.template.spec;
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['rendered']);
    expect(spec.containers[0].volumeMounts).toContainEqual({ mountPath: '/etc/reindex', name: 'rendered', readOnly: true });
  });
});

describe('ConfigTemplate: bad input', () => {
  test('parametersKey must be a key of a ConfigResource of parameters, listing the keys it has', () => {
    expect(errorOf(() => withTemplate({}, {}, { 'values.yaml': 'a: 1', 'extra.yaml': 'b: 2' }).template))
      .toContain('shop/rendered: parametersKey ("params.yaml") must be a key of the parameters ConfigMap (it has: values.yaml, extra.yaml)');
    expect(errorOf(() => withTemplate({ parametersKey: 'prod.yaml' }).template))
      .toContain('parametersKey ("prod.yaml") must be a key of the parameters ConfigMap (it has: params.yaml)');
  });

  test('an unpinned image is rejected', () => {
    expect(errorOf(() => withTemplate({ image: 'hairyhenderson/gomplate' }).template))
      .toContain('shop/rendered: image ("hairyhenderson/gomplate") must be pinned to a tag other than "latest" or to a digest');
  });

  test('a mountPath the main container already mounts is rejected', () => {
    const svcProps = { volumes: [PodVolume.emptyDir('data')], mounts: [{ volume: 'data', path: '/etc/api' }] };
    expect(errorOf(() => withTemplate({}, svcProps).template)).toContain('("/etc/api") is already a mount path of container "app"');
  });

  test('a name whose volumes already exist is rejected', () => {
    const svcProps = { volumes: [PodVolume.emptyDir('rendered-params')], mounts: [{ volume: 'rendered-params', path: '/data' }] };
    expect(errorOf(() => withTemplate({}, svcProps).template))
      .toContain('("rendered-params") must be unique in the pod (also declared by volumes[0])');
  });

  test('missing ConfigMaps are rejected', () => {
    const svc = service({});
    const msg = errorOf(() => new ConfigTemplate(Chart.of(svc), 'rendered', { workload: svc, image: GOMPLATE, mountPath: '/etc/api' } as any));
    expect(msg).toContain('(undefined) must be a ConfigResource or ConfigMapReference.fromName("<name>")');
  });

  test('the workload must be a workload of this library', () => {
    const ref = ConfigMapReference.fromName('x');
    expect(errorOf(() => new ConfigTemplate(newChart('shop'), 'rendered', {
      workload: {} as any, templates: ref, parameters: ref, image: GOMPLATE, mountPath: '/etc/api',
    }))).toContain('shop/rendered: workload ({}) must be a workload of this library (StatelessService, DaemonService, ...)');
    expect(errorOf(() => new ConfigTemplate(newChart('shop'), 'rendered', undefined as any)))
      .toContain('shop/rendered: workload (undefined) must be a workload of this library');
  });
});

describe('ConfigTemplate: bugs', () => {
  test('missing templates and parameters are reported under their own props, not as name.configMap', () => {
    const svc = service({});
    const msg = errorOf(() => new ConfigTemplate(Chart.of(svc), 'rendered', { workload: svc, image: GOMPLATE, mountPath: '/etc/api' } as any));
    expect(msg).toContain('shop/rendered: templates (undefined) must be a ConfigResource or ConfigMapReference.fromName("<name>")');
    expect(msg).toContain('shop/rendered: parameters (undefined) must be a ConfigResource or ConfigMapReference.fromName("<name>")');
  });

  test('a wrong parametersKey is one problem, without follow-on problems about internal mounts', () => {
    const msg = errorOf(() => withTemplate({ parametersKey: 'prod.yaml' }).template);
    expect(msg).toContain('1 invalid value:');
    expect(msg).not.toContain('mounts[0].volume');
  });

  test('a parametersKey that cannot be a ConfigMap key is rejected even when the keys are unknown', () => {
    // "../secrets/token" can never be a key: gomplate would read /secrets/token instead of a parameter file
    const svc = service({});
    const ref = ConfigMapReference.fromName('params');
    expect(errorOf(() => new ConfigTemplate(Chart.of(svc), 'rendered', {
      workload: svc, templates: ref, parameters: ref, parametersKey: '../secrets/token', image: GOMPLATE, mountPath: '/etc/api',
    }))).toContain('parametersKey ("../secrets/token")');
  });

  test('a rejected ConfigTemplate (unpinned image) leaves the workload unchanged, and synth reports only it', () => {
    // GIVEN a service and a ConfigTemplate rejected for its image
    const svc = service({});
    const chart = Chart.of(svc) as Chart;
    const before = svc.volumeNames;
    const rendered = () => ApiObject.of(svc.deployment).toJson().spec.template.spec;
    const podBefore = rendered();
    const parameters = new ConfigResource(chart, 'params', { data: { 'params.yaml': 'a: 1' } });
    new ConfigTemplate(chart, 'rendered', {
      workload: svc, templates: ConfigMapReference.fromName('t'), parameters, image: 'gomplate', mountPath: '/etc/api',
    });
    // THEN none of its three volumes, nor its init container or mount, was added
    expect(svc.volumeNames).toEqual(before);
    expect(rendered()).toEqual(podBefore);
    // AND synth reports its image only (no check of the app fails over a half-added template)
    expect(() => build(chart)).toThrow(/^cdk8s-patterns: 1 invalid value:\n {2}- shop\/rendered: image \("gomplate"\) must be pinned/);
  });
});
