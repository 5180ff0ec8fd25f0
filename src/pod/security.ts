import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { showSize, wholeMebibytes } from '../core/quantity';
import { checkInt, Problems } from '../core/validation';

/**
 * The security context of a workload's pods. Everything is hardened by default to the restricted
 * Pod Security Standard; each field here is an explicit, documented relaxation or adjustment.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export interface PodSecurityOptions {
  /**
   * User id the containers run as. Must not be 0.
   * @default 10001
   */
  readonly runAsUser?: number;
  /**
   * Group id the containers run as.
   * @default 10001
   */
  readonly runAsGroup?: number;
  /**
   * Group that owns mounted volumes.
   * @default 10001
   */
  readonly fsGroup?: number;
  /**
   * When the kubelet changes the group of a volume's files to `fsGroup` at each mount: `ALWAYS`
   * (every file, every mount: slow for a big volume) or `ON_ROOT_MISMATCH` (only when the volume's
   * root does not belong to the group yet: the usual choice for databases and other big claims).
   * @default FsGroupChangePolicy.ALWAYS
   */
  readonly fsGroupChangePolicy?: kplus.FsGroupChangePolicy;
  /**
   * Mount the root filesystem read-only. A writable emptyDir is mounted at /tmp either way.
   * Set false only for images that must write elsewhere.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Size limit of the writable emptyDir at /tmp.
   * @default Size.mebibytes(64)
   */
  readonly tmpSizeLimit?: Size;
  /**
   * One `/tmp` for the whole pod, mounted in every container, instead of one per container: for
   * helpers that exchange files through /tmp (e.g. a socket or a log file). Every container can
   * then read and overwrite every other's temporary files.
   * @default false
   */
  readonly shareTmp?: boolean;
  /**
   * A seccomp profile file on the nodes, relative to the kubelet's seccomp directory (e.g.
   * `profiles/api.json`), instead of the container runtime's default profile. The file must exist on
   * every node the pods can run on, or they do not start.
   * @default - RuntimeDefault
   */
  readonly seccompLocalhostProfile?: string;
  /**
   * The AppArmor profile of every container (Kubernetes 1.28: pod annotations).
   * @default - the container runtime's default (which the restricted standard allows)
   */
  readonly appArmor?: AppArmorProfile;
}

/** An AppArmor profile for the containers of a pod. */
export class AppArmorProfile {
  /** The container runtime's default profile, written explicitly. */
  public static runtimeDefault(): AppArmorProfile {
    return new AppArmorProfile('runtime/default');
  }

  /** A profile loaded on the nodes, by name. It must be loaded on every node the pods can run on. */
  public static localhost(name: string): AppArmorProfile {
    return new AppArmorProfile(`localhost/${name}`);
  }

  private constructor(
    /** The annotation value: `runtime/default` or `localhost/<name>`. */
    public readonly value: string,
  ) {}
}

/** The defaults, resolved. @internal */
export interface ResolvedSecurity {
  readonly runAsUser: number;
  readonly runAsGroup: number;
  readonly fsGroup: number;
  readonly fsGroupChangePolicy: kplus.FsGroupChangePolicy;
  readonly readOnlyRootFilesystem: boolean;
  readonly tmpSizeLimit: Size;
  readonly shareTmp: boolean;
  readonly seccompLocalhostProfile?: string;
  readonly appArmor?: string;
}

/** Fills in defaults and checks the ids. @internal */
export function resolveSecurity(o: PodSecurityOptions | undefined, problems: Problems, prop: string): ResolvedSecurity {
  const s = o ?? {};
  checkInt(problems, `${prop}.runAsUser`, s.runAsUser, 1);
  checkInt(problems, `${prop}.runAsGroup`, s.runAsGroup, 0);
  checkInt(problems, `${prop}.fsGroup`, s.fsGroup, 0);
  const changePolicy = s.fsGroupChangePolicy;
  const changePolicyOk = problems.check(changePolicy === undefined || Object.values(kplus.FsGroupChangePolicy).includes(changePolicy),
    `${prop}.fsGroupChangePolicy`, s.fsGroupChangePolicy, 'must be FsGroupChangePolicy.ALWAYS or ON_ROOT_MISMATCH (from cdk8s-plus-28)');
  const tmpOk = s.tmpSizeLimit === undefined
    || (s.tmpSizeLimit instanceof Size && wholeMebibytes(s.tmpSizeLimit, (x: Size) => x.toMebibytes()) !== undefined);
  if (s.seccompLocalhostProfile !== undefined) {
    const path = s.seccompLocalhostProfile;
    problems.check(typeof path === 'string' && path.length > 0 && !path.startsWith('/') && !path.split('/').includes('..'), `${prop}.seccompLocalhostProfile`, path,
      'must be a path relative to the kubelet\'s seccomp directory, without ".." (e.g. "profiles/api.json")');
  }
  if (s.appArmor !== undefined) {
    const ok = s.appArmor instanceof AppArmorProfile && /^(runtime\/default|localhost\/[A-Za-z0-9][-A-Za-z0-9_.]*)$/.test(s.appArmor.value);
    problems.check(ok, `${prop}.appArmor`, s.appArmor instanceof AppArmorProfile ? s.appArmor.value : s.appArmor,
      'must be AppArmorProfile.runtimeDefault() or localhost(<profile name>)');
  }
  for (const key of ['readOnlyRootFilesystem', 'shareTmp'] as const) {
    problems.check(s[key] === undefined || typeof s[key] === 'boolean', `${prop}.${key}`, s[key], 'must be true or false');
  }
  problems.check(tmpOk, `${prop}.tmpSizeLimit`, showSize(s.tmpSizeLimit),
    'must be a Size of a whole, positive number of mebibytes (at most 8 Ei), e.g. Size.mebibytes(64)');
  return {
    runAsUser: s.runAsUser ?? 10001,
    runAsGroup: s.runAsGroup ?? 10001,
    fsGroup: s.fsGroup ?? 10001,
    fsGroupChangePolicy: changePolicyOk && s.fsGroupChangePolicy !== undefined ? s.fsGroupChangePolicy : kplus.FsGroupChangePolicy.ALWAYS,
    readOnlyRootFilesystem: s.readOnlyRootFilesystem ?? true,
    tmpSizeLimit: tmpOk && s.tmpSizeLimit ? s.tmpSizeLimit : Size.mebibytes(64),
    shareTmp: s.shareTmp === true,
    ...(s.seccompLocalhostProfile !== undefined ? { seccompLocalhostProfile: s.seccompLocalhostProfile } : {}),
    ...(s.appArmor instanceof AppArmorProfile ? { appArmor: s.appArmor.value } : {}),
  };
}

/** A container security context that meets the restricted Pod Security Standard. @internal */
export function hardenedContainerContext(s: ResolvedSecurity): kplus.ContainerSecurityContextProps {
  return {
    ensureNonRoot: true,
    user: s.runAsUser,
    group: s.runAsGroup,
    privileged: false,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: s.readOnlyRootFilesystem,
    capabilities: { drop: [kplus.Capability.ALL] },
    seccompProfile: s.seccompLocalhostProfile !== undefined
      ? { type: kplus.SeccompProfileType.LOCALHOST, localhostProfile: s.seccompLocalhostProfile }
      : { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
  };
}

/** A pod security context that meets the restricted Pod Security Standard (seccomp is patched in). @internal */
export function hardenedPodContext(s: ResolvedSecurity): kplus.PodSecurityContextProps {
  return {
    ensureNonRoot: true,
    user: s.runAsUser,
    group: s.runAsGroup,
    fsGroup: s.fsGroup,
    fsGroupChangePolicy: s.fsGroupChangePolicy,
  };
}

/** The pod-level seccomp profile, which cdk8s-plus-28 cannot express. @internal */
export function podSeccomp(s: ResolvedSecurity): { type: string; localhostProfile?: string } {
  return s.seccompLocalhostProfile !== undefined ? { type: 'Localhost', localhostProfile: s.seccompLocalhostProfile } : { type: 'RuntimeDefault' };
}
