import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { kplusEnvValue, KplusEnvFrom } from './kplus-bridge';
import { checkImage, defaultPullPolicy } from '../core/image';
import { checkDnsLabel, checkPort, checkPortName } from '../core/names';
import { showDuration } from '../core/quantity';
import { Problems, renderValue } from '../core/validation';
import { Demands } from '../foundational/demands';
import { HealthCheck } from '../foundational/health-check';
import { LifecycleOptions, renderLifecycle } from '../foundational/lifecycle';
import { ContainerOptions, ContainerPort } from '../pod/container';
import { checkCommandReferences, ResolvedEnv, resolveEnv } from '../pod/env';
import { hardenedContainerContext, ResolvedSecurity } from '../pod/security';
import { VolumeMount } from '../pod/volume';

/** What a container is to its pod. @internal */
export enum ContainerRole {
  MAIN = 'main container',
  SIDECAR = 'sidecar',
  INIT = 'init container',
  NATIVE_SIDECAR = 'native sidecar',
}

/** Everything about one container that the base needs, besides what every container gets. @internal */
export interface ContainerSpec extends ContainerOptions {
  readonly role: ContainerRole;
  readonly name: string;
  readonly image: string;
  readonly port?: number;
  readonly portName?: string;
  readonly health?: HealthCheck;
  /** Health check when none is given. */
  readonly defaultHealth: HealthCheck;
  readonly lifecycle?: LifecycleOptions;
  readonly demands?: Demands;
  readonly allowUnpinnedImage?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
}

/** A validated container, ready to add to every pod of the workload. @internal */
export interface ResolvedContainer {
  readonly role: ContainerRole;
  readonly name: string;
  /** Prefix of the props in messages: `` for the main container, `addContainer("x").` for a helper. */
  readonly prop: string;
  readonly image: string;
  readonly command?: string[];
  readonly args?: string[];
  readonly workingDir?: string;
  readonly env: ResolvedEnv;
  readonly ports: ContainerPort[];
  /** Whether the first port came from the `port` prop (else from `additionalPorts`). */
  readonly hasPortProp: boolean;
  /** Mounts of the workload's volumes (mutable: `addMount` adds to it). */
  readonly mounts: VolumeMount[];
  /**
   * The container's own emptyDirs: its /tmp (unless shared) and its writable directories. The
   * volume names are proposals until the container is declared in its pod, which makes them unique.
   */
  readonly ownMounts: Array<{ volume: string; readonly path: string }>;
  /** Size limit of those emptyDirs. */
  readonly ownSizeLimit: Size;
  readonly probes: { [field: string]: kplus.k8s.Probe };
  /** Liveness and readiness are one check (`HealthCheck.tcp()`, `exec()`, the default TCP check). */
  readonly oneCheck: boolean;
  readonly lifecycle?: kplus.ContainerLifecycle;
  readonly gracePeriod?: number;
  readonly demands: Demands;
  readonly readOnlyRootFilesystem: boolean;
  readonly bindLowPorts: boolean;
}

/**
 * Validates one container's options into `problems`: the same rules for every container of the
 * pod, whatever its role.
 * @internal
 */
export function resolveContainer(
  spec: ContainerSpec, security: ResolvedSecurity, podDemands: Demands, problems: Problems, prop: string,
): ResolvedContainer {
  const s = spec;
  const init = s.role === ContainerRole.INIT;
  if (s.role !== ContainerRole.MAIN) checkDnsLabel(problems, `${prop}name`, s.name);
  // A name that is no string (from JavaScript) is reported above; names derived from it use its rendering.
  const name: string = typeof s.name === 'string' ? s.name : renderValue(s.name);
  checkImage(problems, `${prop}image`, s.image, s.allowUnpinnedImage === true);
  for (const [key, list] of [['command', s.command], ['args', s.args]] as const) {
    if (list === undefined) continue;
    problems.check(Array.isArray(list) && list.every((x) => typeof x === 'string'), `${prop}${key}`, list, 'must be a list of strings');
  }
  if (s.workingDir !== undefined) {
    problems.check(typeof s.workingDir === 'string' && s.workingDir.startsWith('/'), `${prop}workingDir`, s.workingDir, 'must be an absolute path');
  }

  // Environment, then $(NAME) references in command and args.
  const env = resolveEnv(s.env, s.envVariables, s.envFrom, problems, prop);
  checkCommandReferences(problems, `${prop}command`, s.command, env);
  checkCommandReferences(problems, `${prop}args`, s.args, env);

  // Ports.
  const ports: ContainerPort[] = [];
  if (s.port === undefined && s.portName !== undefined) checkPortName(problems, `${prop}portName`, s.portName);
  if (s.port !== undefined) {
    checkPort(problems, `${prop}port`, s.port);
    const portName = s.portName ?? (typeof s.name === 'string' ? name.slice(0, 15).replace(/-+$/, '') : '');
    checkPortName(problems, `${prop}portName`, portName);
    ports.push({ number: s.port, name: portName });
  }
  if (s.additionalPorts !== undefined && !Array.isArray(s.additionalPorts)) {
    problems.add(`${prop}additionalPorts`, s.additionalPorts, 'must be a list of { number, name }');
  }
  (Array.isArray(s.additionalPorts) ? s.additionalPorts : []).forEach((p, i) => {
    checkPort(problems, `${prop}additionalPorts[${i}].number`, p?.number ?? NaN);
    checkPortName(problems, `${prop}additionalPorts[${i}].name`, p?.name);
    ports.push({ number: p?.number, name: p?.name });
  });
  if (init) problems.check(ports.length === 0, `${prop}${s.port !== undefined ? 'port' : 'additionalPorts'}`, ports.length === 1 ? ports[0].number : ports.map((p) => p.number), 'does not apply to an init container (it runs to completion before the others start)');
  const seen = new Map<string, number>();
  ports.forEach((p, i) => {
    const fromPortProp = i === 0 && s.port !== undefined;
    const extra = i - (s.port !== undefined ? 1 : 0);
    const at = fromPortProp ? `${prop}port` : `${prop}additionalPorts[${extra}].number`;
    problems.check(![...seen.values()].includes(p.number), at, p.number, 'must not be listed twice in one container');
    problems.check(!seen.has(p.name), fromPortProp ? `${prop}portName` : `${prop}additionalPorts[${extra}].name`, p.name,
      'must not be used twice in one container');
    seen.set(p.name, p.number);
  });
  const bindLowPorts = s.bindLowPorts === true;
  for (const key of ['bindLowPorts', 'readOnlyRootFilesystem'] as const) {
    problems.check(s[key] === undefined || typeof s[key] === 'boolean', `${prop}${key}`, s[key], 'must be true or false');
  }
  for (const p of ports) {
    if (typeof p.number !== 'number' || p.number >= 1024 || bindLowPorts || init) continue;
    problems.add(`${prop}${p === ports[0] && s.port !== undefined ? 'port' : 'additionalPorts'}`, p.number,
      `is below 1024, which a container running as non-root (uid ${security.runAsUser}) cannot bind: listen on a port of 1024 or above `
      + '(a Service can still expose port 80 and forward to it), or set bindLowPorts: true to add NET_BIND_SERVICE '
      + '(the binary must carry that file capability)');
  }

  // Mounts (the volumes are checked against the pod's when the container is added).
  if (s.mounts !== undefined && !Array.isArray(s.mounts)) problems.add(`${prop}mounts`, s.mounts, 'must be a list of { volume, path, readOnly, subPath }');
  const mounts = Array.isArray(s.mounts) ? [...s.mounts] : [];
  const paths = new Set<string>();
  mounts.forEach((m, i) => {
    const at = `${prop}mounts[${i}]`;
    const checked = checkMount(problems, { path: `${at}.path`, subPath: `${at}.subPath`, readOnly: `${at}.readOnly` }, m);
    if (checked === undefined) return;
    mounts[i] = checked;
    problems.check(!paths.has(checked.path), `${at}.path`, m.path, 'must not be mounted twice in one container');
    paths.add(checked.path);
  });

  // Writable directories and /tmp: emptyDirs of the container's own.
  const ownMounts: Array<{ volume: string; path: string }> = [];
  if (!security.shareTmp) ownMounts.push({ volume: s.role === ContainerRole.MAIN ? 'tmp' : volumeName(`tmp-${name}`), path: '/tmp' });
  if (s.writableDirectories !== undefined && !Array.isArray(s.writableDirectories)) {
    problems.add(`${prop}writableDirectories`, s.writableDirectories, 'must be a list of absolute paths');
  }
  const writable = new Set<string>();
  (Array.isArray(s.writableDirectories) ? s.writableDirectories : []).forEach((dir, i) => {
    const at = `${prop}writableDirectories[${i}]`;
    if (!checkAbsolutePath(problems, at, dir)) return;
    const path = normalizePath(dir);
    if (!problems.check(path !== '/tmp', at, dir, 'is writable already (every container has an emptyDir at /tmp)')) return;
    if (!problems.check(!writable.has(path), at, dir, 'is listed twice')) return;
    writable.add(path);
    problems.check(!paths.has(path), at, dir, 'is also a mount path of this container');
    paths.add(path);
    ownMounts.push({ volume: volumeName(`${name}-${path}`), path });
  });

  // Demands, probes, lifecycle.
  const demands = s.demands ?? podDemands;
  if (demands instanceof Demands) demands._validate(problems, `${prop}demands`);
  else problems.add(`${prop}demands`, demands, 'must be created with Demands.guaranteed(), burstable() or bestEffort()');
  const defaultPort = ports[0]?.number;
  let probes: { [field: string]: kplus.k8s.Probe } = {};
  let oneCheck = false;
  if (init) {
    problems.check(s.health === undefined, `${prop}health`, 'given', 'does not apply to an init container (Kubernetes does not probe it; a native sidecar can be probed)');
  } else {
    const health = s.health ?? s.defaultHealth;
    if (health instanceof HealthCheck) {
      probes = health._render(defaultPort, problems, `${prop}health`);
      oneCheck = health._oneCheck && probes.livenessProbe !== undefined && probes.readinessProbe !== undefined;
    } else {problems.add(`${prop}health`, health, 'must be created with HealthCheck.http(), tcp(), grpc(), exec(), of() or none()');}
  }
  if (s.role === ContainerRole.NATIVE_SIDECAR && ports.length > 0) {
    const missing = ['startupProbe', 'readinessProbe'].filter((f) => probes[f] === undefined);
    problems.check(missing.length === 0, `${prop}health`, missing.length ? `no ${missing.join(' and no ')}` : '',
      'must include startup and readiness probes for a native sidecar with a port: the containers after it start once its startup probe '
      + 'passes (without one, as soon as its process starts, before it listens), and the pod is Ready only when it is');
  }
  let lifecycle: kplus.ContainerLifecycle | undefined;
  let gracePeriod: number | undefined;
  let hooks = s.lifecycle;
  if (s.lifecycle !== undefined) {
    if (init) problems.add(`${prop}lifecycle`, 'given', 'does not apply to an init container (a native sidecar can have hooks)');
    if (s.role !== ContainerRole.MAIN && s.lifecycle?.gracePeriod !== undefined) {
      problems.add(`${prop}lifecycle.gracePeriod`, showDuration(s.lifecycle.gracePeriod), 'is a pod setting: set it on the workload\'s lifecycle');
      hooks = { ...s.lifecycle, gracePeriod: undefined };
    }
  }
  if (!init) {
    const rendered = renderLifecycle(hooks, defaultPort, problems, `${prop}lifecycle`);
    if (rendered.lifecycle.preStop || rendered.lifecycle.postStart) lifecycle = rendered.lifecycle;
    gracePeriod = rendered.gracePeriod.toSeconds();
  }

  return {
    role: s.role,
    name,
    prop,
    image: s.image,
    command: s.command,
    args: s.args,
    workingDir: s.workingDir,
    env,
    ports,
    hasPortProp: s.port !== undefined,
    mounts,
    ownMounts,
    ownSizeLimit: security.tmpSizeLimit,
    probes,
    oneCheck,
    lifecycle,
    gracePeriod,
    demands: demands instanceof Demands ? demands : podDemands,
    readOnlyRootFilesystem: s.readOnlyRootFilesystem ?? security.readOnlyRootFilesystem,
    bindLowPorts,
  };
}

/** The kplus props of a resolved container (mounts and env are added by `addToPod`). @internal */
export function kplusContainerProps(c: ResolvedContainer, image: string, security: ResolvedSecurity): kplus.ContainerProps {
  const context = hardenedContainerContext(security);
  return {
    name: c.name,
    image,
    imagePullPolicy: defaultPullPolicy() as kplus.ImagePullPolicy,
    command: c.command,
    args: c.args,
    workingDir: c.workingDir,
    ports: c.ports.map((p) => ({ number: p.number, name: p.name, protocol: kplus.Protocol.TCP })),
    resources: c.demands._toResources(),
    securityContext: {
      ...context,
      readOnlyRootFilesystem: c.readOnlyRootFilesystem,
      capabilities: { drop: [kplus.Capability.ALL], ...(c.bindLowPorts ? { add: [kplus.Capability.NET_BIND_SERVICE] } : {}) },
    },
    lifecycle: c.lifecycle,
    ...(c.role === ContainerRole.NATIVE_SIDECAR ? { restartPolicy: kplus.ContainerRestartPolicy.ALWAYS } : {}),
  };
}

/** Adds the resolved env of a container to its kplus container. @internal */
export function addEnv(container: kplus.Container, env: ResolvedEnv): void {
  for (const v of env.env) container.env.addVariable(v.name, kplusEnvValue(v));
  for (const f of env.envFrom) container.env.copyFrom(new KplusEnvFrom(f));
}

/** `/a//b/./c/` becomes `/a/b/c`: the form paths are compared and rendered in. @internal */
export function normalizePath(path: string): string {
  return '/' + path.split('/').filter((x) => x !== '' && x !== '.').join('/');
}

/** Checks an absolute path: no `..` element, not the root. */
function checkAbsolutePath(problems: Problems, prop: string, path: unknown): path is string {
  return problems.check(typeof path === 'string' && path.startsWith('/') && !path.split('/').includes('..') && normalizePath(path) !== '/', prop, path,
    'must be an absolute path without ".." (not "/")');
}

/**
 * Checks one mount (path, subPath, readOnly) and returns it with its path normalised, or undefined.
 * /tmp is every container's own emptyDir (or the pod's shared one) and cannot take another mount.
 * @internal
 */
export function checkMount(
  problems: Problems, props: { path: string; subPath: string; readOnly: string }, m: VolumeMount,
): VolumeMount | undefined {
  if (m === null || typeof m !== 'object') {
    problems.add(props.path.replace(/\.path$/, ''), m, 'must be a mount: { volume, path, readOnly, subPath }');
    return undefined;
  }
  if (!checkAbsolutePath(problems, props.path, m.path)) return undefined;
  const path = normalizePath(m.path);
  const tmp = !problems.check(path !== '/tmp', props.path, m.path,
    'is the container\'s own /tmp emptyDir already (security.shareTmp gives every container of the pod one shared /tmp)');
  if (m.subPath !== undefined) {
    problems.check(typeof m.subPath === 'string' && m.subPath !== '' && !m.subPath.startsWith('/') && !m.subPath.split('/').includes('..'),
      props.subPath, m.subPath, 'must be a relative path without ".."');
  }
  problems.check(m.readOnly === undefined || typeof m.readOnly === 'boolean', props.readOnly, m.readOnly, 'must be true or false');
  return tmp ? undefined : { ...m, path }; // no second "already mounted there" for /tmp
}

/** A volume name from any text: a DNS-1123 label of at most 63 characters. */
function volumeName(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 63).replace(/^-+|-+$/g, '');
}
