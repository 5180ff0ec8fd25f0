import { checkPortName } from './names';
import { parseQuantityExact } from './quantity';
import { Problems } from './validation';


/** What a rendered pod spec is checked against. */
export interface PodCheckOptions {
  /** Whether the restricted Pod Security Standard must hold (true unless the user opted out). */
  readonly restricted: boolean;
  /** Prefix for prop names in messages, e.g. `deployment`. */
  readonly where: string;
  /** An explicit opt-out: hostPath volumes are allowed. */
  readonly allowHostPath?: boolean;
  /** An explicit opt-out: hostNetwork is allowed. */
  readonly allowHostNetwork?: boolean;
  /** Names of the workload's volume claim templates, which containers mount like volumes of the pod. */
  readonly claimTemplates?: string[];
}

/**
 * Checks a rendered pod spec, after every container, volume and patch was added, against the rules
 * that the API server enforces later (or never): unique port names and mount paths, mounts that name
 * a volume, limits not below requests, probe rules, and the hardened security context.
 * Runs in the validation phase, so containers added after construction are checked too.
 */
export function checkRenderedPodSpec(problems: Problems, spec: any, options: PodCheckOptions): void {
  const where = options.where;
  const volumes = new Set<string>(options.claimTemplates ?? []);
  for (const v of spec.volumes ?? []) {
    problems.check(!volumes.has(v.name), `${where}.volumes.name`, v.name, 'must be unique within the pod');
    volumes.add(v.name);
  }
  const portNames = new Map<string, string>();
  const portNumbers = new Map<string, string>();
  const podSc = spec.securityContext ?? {};

  const all = [
    ...(spec.initContainers ?? []).map((c: any) => ({ c, kind: 'initContainers' })),
    ...(spec.containers ?? []).map((c: any) => ({ c, kind: 'containers' })),
  ];
  const containerNames = new Set<string>();
  for (const { c, kind } of all) {
    const at = `${where}.${kind}["${c.name}"]`;
    problems.check(!containerNames.has(c.name), `${at}.name`, c.name, 'must be unique within the pod');
    containerNames.add(c.name);

    // Ports: names unique in the pod, IANA names, numbers in range.
    for (const p of c.ports ?? []) {
      if (p.name !== undefined) {
        checkPortName(problems, `${at}.ports.name`, p.name);
        const owner = portNames.get(p.name);
        problems.check(owner === undefined, `${at}.ports.name`, p.name, `must be unique within the pod (also used by container "${owner}")`);
        portNames.set(p.name, c.name);
      }
      const key = `${p.containerPort}/${p.protocol ?? 'TCP'}`;
      const user = portNumbers.get(key);
      problems.check(user === undefined || user === c.name, `${at}.ports.containerPort`, p.containerPort,
        `must be unique within the pod (also used by container "${user}"; containers share one network namespace)`);
      portNumbers.set(key, c.name);
      problems.check(Number.isInteger(p.containerPort) && p.containerPort >= 1 && p.containerPort <= 65535,
        `${at}.ports.containerPort`, p.containerPort, 'must be an integer from 1 to 65535');
    }

    // Volume mounts: one per path, and each names a volume of the pod.
    const paths = new Set<string>();
    for (const m of c.volumeMounts ?? []) {
      problems.check(!paths.has(m.mountPath), `${at}.volumeMounts.mountPath`, m.mountPath, 'must not be mounted twice in one container');
      paths.add(m.mountPath);
      problems.check(volumes.has(m.name), `${at}.volumeMounts.name`, m.name, 'must name a volume of the pod');
    }

    // Resources: limits never below requests.
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of Object.keys(lim)) {
      const l = parseQuantityExact(lim[r]);
      const q = parseQuantityExact(req[r]);
      if (l !== undefined && q !== undefined) {
        problems.check(l >= q, `${at}.resources.limits.${r}`, lim[r], `must not be lower than the request (${req[r]})`);
      }
    }

    // Probes: exactly one handler; liveness and startup need successThreshold 1.
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      const pr = c[probe];
      if (!pr) continue;
      const handlers = ['httpGet', 'tcpSocket', 'exec', 'grpc'].filter((h) => pr[h] !== undefined);
      problems.check(handlers.length === 1, `${at}.${probe}`, handlers, 'must have exactly one handler (httpGet, tcpSocket, exec or grpc)');
      if (probe !== 'readinessProbe' && pr.successThreshold !== undefined) {
        problems.check(pr.successThreshold === 1, `${at}.${probe}.successThreshold`, pr.successThreshold, 'must be 1 for liveness and startup probes');
      }
    }

    if (options.restricted) checkRestricted(problems, at, c.securityContext ?? {}, podSc);
  }
  // Resource fields read another container's requests and limits by name: it must exist, or the
  // kubelet cannot start the container (env) or mount the volume (downwardAPI).
  for (const { c, kind } of all) {
    for (const e of c.env ?? []) {
      const name = e.valueFrom?.resourceFieldRef?.containerName;
      if (name === undefined) continue;
      problems.check(containerNames.has(name), `${where}.${kind}["${c.name}"].env["${e.name}"].resourceFieldRef.containerName`, name,
        'must name a container of the pod');
    }
  }
  for (const v of spec.volumes ?? []) {
    const files = [...(v.downwardAPI?.items ?? []), ...(v.projected?.sources ?? []).flatMap((s: any) => s.downwardAPI?.items ?? [])];
    for (const f of files) {
      const name = f.resourceFieldRef?.containerName;
      if (name === undefined) continue;
      problems.check(containerNames.has(name), `${where}.volumes["${v.name}"].items["${f.path}"].resourceFieldRef.containerName`, name,
        'must name a container of the pod');
    }
  }

  if (options.restricted) {
    problems.check(spec.hostNetwork !== true || options.allowHostNetwork === true, `${where}.hostNetwork`, spec.hostNetwork, 'must not be set under the restricted Pod Security Standard');
    problems.check(spec.hostPID !== true, `${where}.hostPID`, spec.hostPID, 'must not be set under the restricted Pod Security Standard');
    problems.check(spec.hostIPC !== true, `${where}.hostIPC`, spec.hostIPC, 'must not be set under the restricted Pod Security Standard');
    for (const v of spec.volumes ?? []) {
      problems.check(v.hostPath === undefined || options.allowHostPath === true, `${where}.volumes["${v.name}"].hostPath`, v.hostPath?.path, 'is not allowed under the restricted Pod Security Standard');
    }
  }
}

/** The restricted Pod Security Standard, per container (pod-level values count where allowed). */
function checkRestricted(problems: Problems, at: string, sc: any, podSc: any): void {
  const hint = 'under the restricted Pod Security Standard (containers added with the raw kplus API do not get the hardened defaults)';
  problems.check(sc.privileged !== true, `${at}.securityContext.privileged`, sc.privileged, `must not be true ${hint}`);
  problems.check(sc.allowPrivilegeEscalation === false, `${at}.securityContext.allowPrivilegeEscalation`, sc.allowPrivilegeEscalation, `must be false ${hint}`);
  const runAsNonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
  problems.check(runAsNonRoot === true, `${at}.securityContext.runAsNonRoot`, runAsNonRoot, `must be true ${hint}`);
  const runAsUser = sc.runAsUser ?? podSc.runAsUser;
  problems.check(runAsUser !== 0, `${at}.securityContext.runAsUser`, runAsUser, `must not be 0 ${hint}`);
  const drop: string[] = sc.capabilities?.drop ?? [];
  problems.check(drop.includes('ALL'), `${at}.securityContext.capabilities.drop`, drop, `must include "ALL" ${hint}`);
  const add: string[] = sc.capabilities?.add ?? [];
  problems.check(add.every((a) => a === 'NET_BIND_SERVICE'), `${at}.securityContext.capabilities.add`, add, `may only add NET_BIND_SERVICE ${hint}`);
  const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
  problems.check(seccomp === 'RuntimeDefault' || seccomp === 'Localhost', `${at}.securityContext.seccompProfile.type`, seccomp, `must be RuntimeDefault or Localhost ${hint}`);
}
