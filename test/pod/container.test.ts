import { ApiObject, Chart, Size } from 'cdk8s';
import {
  EnvVariable, PodVolume, StatelessService, StatelessServiceProps, WorkloadContainerOptions,
} from '../../src';
import { PatternValidationError, pendingProblems } from '../../src/core/validation';
import { errorOf, IMAGE, service } from '../helpers/errors';
import { findObject, HARDENED_CONTAINER_CONTEXT, newChart, synth } from '../helpers/synth';

const PROXY = 'ghcr.io/acme/proxy:2.0.1';

/** The rendered pod spec of a service (synthesised, so every check ran and the schema was validated). */
function podSpec(svc: StatelessService): any {
  return findObject(synth(Chart.of(svc)), 'Deployment', 'api').spec.template.spec;
}

/**
 * The pod spec of the service's Deployment as built so far, rendered without synthesising the app
 * (which fails once a call has deferred its problems to synth).
 */
function builtPodSpec(svc: StatelessService): any {
  return ApiObject.of(svc.deployment).toJson().spec.template.spec;
}

/** The rendered main container of a service built with `props`. */
function app(props: Partial<StatelessServiceProps>): any {
  return podSpec(service(props)).containers[0];
}

/** The rendered container `name` of a pod spec. */
function containerOf(spec: any, name: string): any {
  return [...spec.containers, ...(spec.initContainers ?? [])].find((c: any) => c.name === name);
}

describe('command, args and workingDir', () => {
  test('render as given on the main container and on a helper', () => {
    // GIVEN the same options on the main container and on a sidecar
    const options = { command: ['/bin/server'], args: ['--port', '8080'], workingDir: '/srv/app' };
    const svc = service(options);
    svc.addContainer({ name: 'proxy', image: PROXY, ...options, args: ['--port', '9000'] });
    const spec = podSpec(svc);
    // THEN both containers carry them
    expect(containerOf(spec, 'app')).toMatchObject(options);
    expect(containerOf(spec, 'proxy')).toMatchObject({ ...options, args: ['--port', '9000'] });
  });

  test('unset, they are left out so that the image decides', () => {
    const c = app({});
    expect(c.command).toBeUndefined();
    expect(c.args).toBeUndefined();
    expect(c.workingDir).toBeUndefined();
  });

  test.each<[string, Partial<StatelessServiceProps>, string]>([
    ['a relative workingDir', { workingDir: 'srv' }, 'workingDir ("srv") must be an absolute path'],
    ['a number workingDir', { workingDir: 5 as any }, 'workingDir (5) must be an absolute path'],
    ['a command string', { command: '/bin/server --x' as any }, 'command ("/bin/server --x") must be a list of strings'],
    ['args with a number', { args: ['--port', 8080 as any] }, 'args (["--port",8080]) must be a list of strings'],
  ])('%s is rejected', (_name, props, expected) => {
    expect(errorOf(() => service(props))).toContain(`shop/api: ${expected}`);
  });
});

describe('ports', () => {
  test('additionalPorts render after the main port, all TCP', () => {
    const c = app({ additionalPorts: [{ number: 9090, name: 'metrics' }, { number: 8443, name: 'https' }] });
    expect(c.ports).toEqual([
      { containerPort: 8080, name: 'http', protocol: 'TCP' },
      { containerPort: 9090, name: 'metrics', protocol: 'TCP' },
      { containerPort: 8443, name: 'https', protocol: 'TCP' },
    ]);
  });

  test('a port below 1024 is rejected: the container runs as non-root', () => {
    // GIVEN a service on port 80, run as uid 20000
    const message = errorOf(() => service({ port: 80, security: { runAsUser: 20000 } }));
    // THEN the message names the port, the uid and both ways out
    expect(message).toContain('shop/api: port (80) is below 1024, which a container running as non-root (uid 20000) cannot bind');
    expect(message).toContain('a Service can still expose port 80 and forward to it');
    expect(message).toContain('set bindLowPorts: true to add NET_BIND_SERVICE');
  });

  test('an additional port below 1024 is rejected as well', () => {
    expect(errorOf(() => service({ additionalPorts: [{ number: 443, name: 'https' }] })))
      .toContain('shop/api: additionalPorts (443) is below 1024, which a container running as non-root (uid 10001) cannot bind');
  });

  test('port 1024 is accepted without bindLowPorts and adds no capability', () => {
    const c = app({ port: 1024 });
    expect(c.ports[0].containerPort).toBe(1024);
    expect(c.securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });

  test('bindLowPorts accepts a low port and adds NET_BIND_SERVICE, still dropping ALL', () => {
    // GIVEN a service on port 80 that asks for low ports
    const c = app({ port: 80, bindLowPorts: true, additionalPorts: [{ number: 443, name: 'https' }] });
    // THEN the ports render and the only capability added is NET_BIND_SERVICE (what restricted PSS allows)
    expect(c.ports.map((p: any) => p.containerPort)).toEqual([80, 443]);
    expect(c.securityContext).toEqual({ ...HARDENED_CONTAINER_CONTEXT, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } });
  });

  test('bindLowPorts applies to its own container only', () => {
    const svc = service({});
    svc.addContainer({ name: 'proxy', image: PROXY, port: 443, bindLowPorts: true });
    const spec = podSpec(svc);
    expect(containerOf(spec, 'proxy').securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
    expect(containerOf(spec, 'app').securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });

  test('a helper port below 1024 is rejected with its prop prefix', () => {
    const svc = service({});
    expect(errorOf(() => svc.addContainer({ name: 'proxy', image: PROXY, port: 443 })))
      .toContain('shop/api: addContainer("proxy").port (443) is below 1024');
  });

  test.each<[string, Partial<StatelessServiceProps>, string]>([
    ['a port number listed twice', { additionalPorts: [{ number: 8080, name: 'alt' }] }, 'additionalPorts[0].number (8080) must not be listed twice in one container'],
    ['a port name used twice', { additionalPorts: [{ number: 9090, name: 'http' }] }, 'additionalPorts[0].name ("http") must not be used twice in one container'],
    ['an out-of-range port', { additionalPorts: [{ number: 70000, name: 'big' }] }, 'additionalPorts[0].number (70000) must be an integer from 1 to 65535'],
    ['a port name of 16 characters', { additionalPorts: [{ number: 9090, name: 'metrics-exporter' }] },
      'additionalPorts[0].name ("metrics-exporter") must be an IANA service name'],
    ['additionalPorts not a list', { additionalPorts: { number: 9090, name: 'm' } as any },
      'additionalPorts ({"number":9090,"name":"m"}) must be a list of { number, name }'],
    ['a null additional port', { additionalPorts: [null as any] }, 'additionalPorts[0].number (NaN) must be an integer from 1 to 65535'],
  ])('%s is rejected', (_name, props, expected) => {
    expect(errorOf(() => service(props))).toContain(`shop/api: ${expected}`);
  });
});

describe('mounts', () => {
  test('mount a declared volume, with readOnly and subPath when given', () => {
    // GIVEN a ConfigMap volume mounted twice: whole and as one file
    const c = app({
      volumes: [PodVolume.secret('config', 'app-config'), PodVolume.emptyDir('cache')],
      mounts: [
        { volume: 'config', path: '/etc/app', readOnly: true },
        { volume: 'config', path: '/etc/app.yaml', subPath: 'app.yaml', readOnly: false },
        { volume: 'cache', path: '/var/cache/app' },
      ],
    });
    // THEN after the container's /tmp, each mount renders with exactly its options
    expect(c.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'config', mountPath: '/etc/app', readOnly: true },
      { name: 'config', mountPath: '/etc/app.yaml', subPath: 'app.yaml' },
      { name: 'cache', mountPath: '/var/cache/app' },
    ]);
  });

  test.each<[string, any, string]>([
    ['a relative path', { volume: 'v', path: 'data' }, 'mounts[0].path ("data") must be an absolute path without ".." (not "/")'],
    ['the root', { volume: 'v', path: '/' }, 'mounts[0].path ("/") must be an absolute path without ".." (not "/")'],
    ['a ".." element', { volume: 'v', path: '/data/../etc' }, 'mounts[0].path ("/data/../etc") must be an absolute path without ".."'],
    ['an absolute subPath', { volume: 'v', path: '/data', subPath: '/x' }, 'mounts[0].subPath ("/x") must be a relative path without ".."'],
    ['a ".." subPath', { volume: 'v', path: '/data', subPath: 'a/../..' }, 'mounts[0].subPath ("a/../..") must be a relative path without ".."'],
  ])('a mount with %s is rejected', (_name, mount, expected) => {
    expect(errorOf(() => service({ volumes: [PodVolume.emptyDir('v')], mounts: [mount] }))).toContain(`shop/api: ${expected}`);
  });

  test('one path mounted twice in a container is rejected', () => {
    expect(errorOf(() => service({ volumes: [PodVolume.emptyDir('a'), PodVolume.emptyDir('b')], mounts: [{ volume: 'a', path: '/d' }, { volume: 'b', path: '/d' }] })))
      .toContain('shop/api: mounts[1].path ("/d") must not be mounted twice in one container');
  });

  test('a mount over the container\'s own /tmp is rejected, naming the mount', () => {
    expect(errorOf(() => service({ volumes: [PodVolume.emptyDir('scratch')], mounts: [{ volume: 'scratch', path: '/tmp' }] })))
      .toContain('shop/api: mounts[0].path ("/tmp") is the container\'s own /tmp emptyDir already (security.shareTmp gives every container');
  });

  test('mounts that are not a list are rejected', () => {
    expect(errorOf(() => service({ mounts: { volume: 'v', path: '/v' } as any })))
      .toContain('shop/api: mounts ({"volume":"v","path":"/v"}) must be a list of { volume, path, readOnly, subPath }');
  });
});

describe('writableDirectories', () => {
  test('each directory gets its own emptyDir, named after the container and path, with the /tmp size limit', () => {
    // GIVEN writable directories on the main container and on a helper, with a custom /tmp size
    const svc = service({ writableDirectories: ['/var/cache/nginx', '/var/run/'], security: { tmpSizeLimit: Size.mebibytes(32) } });
    svc.addContainer({ name: 'proxy', image: PROXY, writableDirectories: ['/var/run'] });
    const spec = podSpec(svc);
    // THEN every writable directory is an emptyDir of that size, and the root filesystem stays read-only
    expect(spec.volumes).toEqual([
      { name: 'tmp', emptyDir: { sizeLimit: '32Mi' } },
      { name: 'app-var-cache-nginx', emptyDir: { sizeLimit: '32Mi' } },
      { name: 'app-var-run', emptyDir: { sizeLimit: '32Mi' } },
      { name: 'tmp-proxy', emptyDir: { sizeLimit: '32Mi' } },
      { name: 'proxy-var-run', emptyDir: { sizeLimit: '32Mi' } },
    ]);
    expect(containerOf(spec, 'app').volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'app-var-cache-nginx', mountPath: '/var/cache/nginx' },
      { name: 'app-var-run', mountPath: '/var/run' },
    ]);
    expect(containerOf(spec, 'proxy').volumeMounts).toEqual([
      { name: 'tmp-proxy', mountPath: '/tmp' },
      { name: 'proxy-var-run', mountPath: '/var/run' },
    ]);
    for (const c of spec.containers) expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
  });

  test.each<[string, any, string]>([
    ['/tmp', ['/tmp'], 'writableDirectories[0] ("/tmp") is writable already (every container has an emptyDir at /tmp)'],
    ['/tmp/', ['/tmp/'], 'writableDirectories[0] ("/tmp/") is writable already'],
    ['a relative path', ['cache'], 'writableDirectories[0] ("cache") must be an absolute path without ".." (not "/")'],
    ['the root', ['/'], 'writableDirectories[0] ("/") must be an absolute path'],
    ['null', [null], 'writableDirectories[0] (null) must be an absolute path'],
    ['a string, not a list', '/var/run', 'writableDirectories ("/var/run") must be a list of absolute paths'],
  ])('%s is rejected', (_name, writableDirectories, expected) => {
    expect(errorOf(() => service({ writableDirectories }))).toContain(`shop/api: ${expected}`);
  });

  test('a directory that is also a mount path is rejected', () => {
    expect(errorOf(() => service({ volumes: [PodVolume.emptyDir('run')], mounts: [{ volume: 'run', path: '/var/run' }], writableDirectories: ['/var/run'] })))
      .toContain('shop/api: writableDirectories[0] ("/var/run") is also a mount path of this container');
  });

  test('a directory whose emptyDir name a declared volume has gets a hashed name instead; both volumes stay', () => {
    // GIVEN a user's volume named like the emptyDir of a writable directory
    const svc = service({ volumes: [PodVolume.emptyDir('app-var-run')], mounts: [{ volume: 'app-var-run', path: '/run' }], writableDirectories: ['/var/run'] });
    const spec = podSpec(svc);
    // THEN the user's volume keeps its name and mount, and the library's emptyDir gets a distinct one
    const mounts = Object.fromEntries(spec.containers[0].volumeMounts.map((m: any) => [m.mountPath, m.name]));
    expect(mounts['/run']).toBe('app-var-run');
    expect(mounts['/var/run']).toMatch(/^app-var-run-[0-9a-f]{6}$/);
  });

  test('helpers whose /tmp emptyDir names would clash (names cut to 63 characters) get distinct names', () => {
    const svc = service({});
    const long = 'a'.repeat(60);
    svc.addContainer({ name: `${long}xb`, image: PROXY });
    svc.addContainer({ name: `${long}xc`, image: PROXY });
    const names = podSpec(svc).volumes.map((v: any) => v.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((n: string) => n.length <= 63)).toBe(true);
  });
});

describe('security.shareTmp', () => {
  test('one /tmp emptyDir for the pod, mounted by every container, instead of one per container', () => {
    // GIVEN a shared /tmp and three helpers of different roles
    const svc = service({ security: { shareTmp: true, tmpSizeLimit: Size.mebibytes(128) } });
    svc.addContainer({ name: 'proxy', image: PROXY });
    svc.addInitContainer({ name: 'migrate', image: 'ghcr.io/acme/migrate:1.0.0' });
    svc.addNativeSidecar({ name: 'agent', image: 'ghcr.io/acme/agent:1.0.0' });
    const spec = podSpec(svc);
    // THEN there is a single tmp volume, and each container mounts it at /tmp
    expect(spec.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '128Mi' } }]);
    for (const c of [...spec.containers, ...spec.initContainers]) expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(svc.volumeNames).toEqual(['tmp']);
  });

  test('without it, each container has its own /tmp', () => {
    const svc = service({});
    svc.addContainer({ name: 'proxy', image: PROXY });
    const spec = podSpec(svc);
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['tmp', 'tmp-proxy']);
    expect(containerOf(spec, 'proxy').volumeMounts).toEqual([{ name: 'tmp-proxy', mountPath: '/tmp' }]);
  });

  test('a declared volume named "tmp" clashes with the shared /tmp', () => {
    expect(errorOf(() => service({ volumes: [PodVolume.emptyDir('tmp')], mounts: [{ volume: 'tmp', path: '/x' }], security: { shareTmp: true } })))
      .toContain('shop/api: security.shareTmp.name ("tmp") must be unique in the pod (also declared by volumes[0])');
  });
});

describe('one option set for every container', () => {
  const OPTIONS = {
    command: ['/bin/tool'],
    workingDir: '/work',
    env: { MODE: 'x' },
    envVariables: [EnvVariable.literal('FLAG', '$(MODE)')],
    mounts: [{ volume: 'shared', path: '/shared', readOnly: true }],
    writableDirectories: ['/var/lib/tool'],
  };

  test.each<[string, (svc: StatelessService, o: WorkloadContainerOptions) => void]>([
    ['addContainer', (svc, o) => svc.addContainer(o)],
    ['addInitContainer', (svc, o) => svc.addInitContainer(o)],
    ['addNativeSidecar', (svc, o) => svc.addNativeSidecar(o)],
  ])('%s renders the same options as the main container does', (_method, add) => {
    // GIVEN the same options on the main container and on a helper of one role
    const svc = service({ ...OPTIONS, volumes: [PodVolume.emptyDir('shared')] });
    add(svc, { name: 'tool', image: 'ghcr.io/acme/tool:1.0.0', ...OPTIONS });
    const spec = podSpec(svc);
    const main = containerOf(spec, 'app');
    const helper = containerOf(spec, 'tool');
    // THEN the helper renders them exactly as the main container does (besides its own volume names)
    for (const field of ['command', 'workingDir', 'env']) expect(helper[field]).toEqual(main[field]);
    expect(helper.volumeMounts).toEqual([
      { name: 'tmp-tool', mountPath: '/tmp' },
      { name: 'tool-var-lib-tool', mountPath: '/var/lib/tool' },
      { name: 'shared', mountPath: '/shared', readOnly: true },
    ]);
    expect(helper.securityContext).toEqual(HARDENED_CONTAINER_CONTEXT);
    expect(helper.resources).toEqual(main.resources);
  });
});

describe('bad input', () => {
  test('every problem of the container options is listed in one PatternValidationError', () => {
    // GIVEN several bad container props at once
    const chart = newChart('shop');
    service({
      port: 80,
      workingDir: 'relative',
      args: 'x' as any,
      additionalPorts: [{ number: 0, name: 'Bad' }],
      mounts: [{ volume: 'missing', path: 'rel' }],
      writableDirectories: ['/tmp'],
      envVariables: [EnvVariable.literal('1X', 'y')],
    }, chart);
    // WHEN the app is synthesised
    let error: any;
    try {
      synth(chart);
    } catch (e) {
      error = e;
    }
    // THEN one validation error, never a TypeError, lists every one of them
    expect(error).toBeInstanceOf(PatternValidationError);
    const problems = (error as PatternValidationError).problems.map((p) => `${p.prop} (${p.value})`);
    expect(problems).toEqual(expect.arrayContaining([
      'workingDir ("relative")',
      'args ("x")',
      'envVariables[0].name ("1X")',
      'additionalPorts[0].number (0)',
      'additionalPorts[0].name ("Bad")',
      'port (80)',
      'mounts[0].path ("rel")',
      'writableDirectories[0] ("/tmp")',
      'mounts[0].volume ("missing")',
    ]));
    for (const line of error.message.split('\n').slice(1)) expect(line).toMatch(/^ {2}- shop\/api: /);
  });

  test('an image for a helper is checked like the main one', () => {
    const svc = service({});
    expect(errorOf(() => svc.addContainer({ name: 'proxy', image: 'ghcr.io/acme/proxy:latest' }))).toContain('shop/api: addContainer("proxy").image');
    expect(containerOf(builtPodSpec(svc), 'proxy')).toBeUndefined();
    // AND with the opt-out, the same call is accepted: it adds the container and reports nothing
    const pending = pendingProblems(svc.node.root).length;
    svc.addContainer({ name: 'proxy', image: 'ghcr.io/acme/proxy:latest', allowUnpinnedImage: true });
    expect(pendingProblems(svc.node.root)).toHaveLength(pending);
    expect(containerOf(builtPodSpec(svc), 'proxy').image).toBe('ghcr.io/acme/proxy:latest');
    // AND it passes synth in an app without other problems
    const ok = service({});
    ok.addContainer({ name: 'proxy', image: 'ghcr.io/acme/proxy:latest', allowUnpinnedImage: true });
    expect(containerOf(podSpec(ok), 'proxy').image).toBe('ghcr.io/acme/proxy:latest');
  });

  test('the baseline IMAGE builds', () => {
    expect(app({}).image).toBe(IMAGE);
  });
});

describe('edge cases that once crashed or slipped through', () => {
  // Regression: a directory listed twice in writableDirectories is reported as "is also a mount path of this container",
  // which is wrong: it is not a mount path, it is a duplicate writable directory.
  test('a writable directory listed twice is reported as a duplicate, not as a mount path', () => {
    const message = errorOf(() => service({ writableDirectories: ['/var/run', '/var/run'] }));
    expect(message).toContain('shop/api: writableDirectories[1] ("/var/run")');
    expect(message).not.toContain('is also a mount path');
  });

  // Regression: a declared volume named "tmp" (the main container's own /tmp emptyDir) is blamed on
  // `name ("app")` — `name` is the workload's name prop (here "api"), and "app" is no value the user gave.
  test('a declared volume named "tmp" keeps its name; the main container\'s /tmp emptyDir gets another', () => {
    const spec = podSpec(service({ volumes: [PodVolume.emptyDir('tmp')], mounts: [{ volume: 'tmp', path: '/scratch' }] }));
    const mounts = Object.fromEntries(spec.containers[0].volumeMounts.map((m: any) => [m.mountPath, m.name]));
    expect(mounts['/scratch']).toBe('tmp');
    expect(mounts['/tmp']).toMatch(/^tmp-[0-9a-f]{6}$/);
  });
});

describe('review findings: paths are compared and rendered normalised', () => {
  test('two mounts on one directory written differently are rejected', () => {
    const volumes = [PodVolume.emptyDir('a'), PodVolume.emptyDir('b')];
    expect(errorOf(() => service({ volumes, mounts: [{ volume: 'a', path: '/etc/x' }, { volume: 'b', path: '/etc/x/' }] })))
      .toContain('shop/api: mounts[1].path ("/etc/x/") must not be mounted twice in one container');
    expect(errorOf(() => service({ volumes, mounts: [{ volume: 'a', path: '/data' }, { volume: 'b', path: '/data/./' }] })))
      .toContain('mounts[1].path ("/data/./") must not be mounted twice in one container');
    expect(errorOf(() => service({ volumes: [volumes[0]], mounts: [{ volume: 'a', path: '/var/run' }], writableDirectories: ['/var/run/'] })))
      .toContain('writableDirectories[0] ("/var/run/") is also a mount path of this container');
  });

  test('addMount checks the path the same way, the subPath and readOnly too', () => {
    const svc = service({ volumes: [PodVolume.emptyDir('data')], mounts: [{ volume: 'data', path: '/data' }] });
    svc.addVolume(PodVolume.emptyDir('more'));
    expect(errorOf(() => svc.addMount('app', { volume: 'more', path: '/data/' }))).toContain('addMount("app").path ("/data/") is already a mount path of container "app"');
    expect(errorOf(() => svc.addMount('app', { volume: 'more', path: '/' }))).toContain('addMount("app").path ("/") must be an absolute path without ".." (not "/")');
    expect(errorOf(() => svc.addMount('app', { volume: 'more', path: '/y', subPath: '../etc' })))
      .toContain('addMount("app").path subPath ("../etc") must be a relative path without ".."');
    expect(errorOf(() => svc.addMount('app', { volume: 'more', path: '/y', readOnly: 'yes' as any }))).toContain('readOnly ("yes") must be true or false');
    // AND none of the failed calls mounted anything; a valid call still does, normalised
    expect(builtPodSpec(svc).containers[0].volumeMounts.filter((m: any) => m.name === 'more')).toEqual([]);
    svc.addMount('app', { volume: 'more', path: '/more/' });
    expect(builtPodSpec(svc).containers[0].volumeMounts.filter((m: any) => m.name === 'more')).toEqual([{ name: 'more', mountPath: '/more' }]);
  });
});
