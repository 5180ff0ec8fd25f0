import { Construct } from 'constructs';
import { deferConstruction } from '../core/app-checks';
import { KNOWN_PROPS } from '../core/known-props';
import { checkDnsLabel, defaultNameFromId } from '../core/names';
import { checkKnownKeys, Problems } from '../core/validation';
import { Demands } from '../foundational/demands';
import { EmptyDirOptions, PodVolume } from '../pod/volume';
import { ContainerRole } from '../workload/container';
import { attachedWorkload, PatternWorkload } from '../workload/workload';

/** Props of a `ConfigImage`. */
export interface ConfigImageProps {
  /** The workload whose main container gets the configuration. */
  readonly workload: PatternWorkload;
  /**
   * The configuration image: holds the files under `sourcePath` and a `cp` binary (e.g. built
   * `FROM busybox` with `COPY config/ /config/`). Pin it like any image: its tag is the
   * configuration's version.
   */
  readonly image: string;
  /**
   * Directory of the configuration files in the image.
   * @default '/config'
   */
  readonly sourcePath?: string;
  /** Where the main container finds the files (mounted read-only). */
  readonly mountPath: string;
  /**
   * Name of the emptyDir that carries the files, and of the init container.
   * @default - the construct id in kebab-case
   */
  readonly name?: string;
  /**
   * Size of that emptyDir.
   * @default Size.mebibytes(64)
   */
  readonly volume?: EmptyDirOptions;
  /**
   * Copy command, run in the image.
   * @default ['cp', '-R', '<sourcePath>/.', '/config-out/']
   */
  readonly command?: string[];
  /**
   * Requests and limits of the init container.
   * @default - the workload's demands
   */
  readonly demands?: Demands;
}

/**
 * Immutable Configuration, in the book's form: the configuration ships as its own image, and an
 * init container copies it into an emptyDir that the main container mounts read-only. Changing
 * the configuration means a new image tag, which rolls the workload like a new application
 * version, and the configuration is versioned, signed and scanned like code.
 */
export class ConfigImage extends Construct {
  /** Name of the emptyDir (and of the init container). */
  public readonly volumeName!: string;

  constructor(scope: Construct, id: string, props: ConfigImageProps) {
    super(scope, id);
    try {
      const p = props ?? ({} as ConfigImageProps);
      const problems = new Problems(this);
      checkKnownKeys(problems, '', props, KNOWN_PROPS.ConfigImageProps, 'ConfigImageProps');
      const workload = attachedWorkload(problems, p.workload);
      // A name that is no string (from JavaScript) is reported here, a bad string by the volume's check.
      if (p.name !== undefined && typeof p.name !== 'string') checkDnsLabel(problems, 'name', p.name);
      const name = typeof p.name === 'string' ? p.name : defaultNameFromId(id);
      let source = '/config';
      if (p.sourcePath !== undefined) {
        const ok = typeof p.sourcePath === 'string' && p.sourcePath.startsWith('/') && !p.sourcePath.split('/').includes('..');
        problems.check(ok, 'sourcePath', p.sourcePath, 'must be an absolute path without ".." (the directory of the files in the image)');
        if (ok) source = p.sourcePath.replace(/\/+$/, '');
        problems.check(!ok || source !== '', 'sourcePath', p.sourcePath, 'must be the directory of the configuration files, not the image\'s root');
      }
      this.volumeName = name;
      workload._change(problems, (changes) => {
        changes.volume(PodVolume.emptyDir(name, p.volume ?? {}), 'volume', 'name');
        changes.container({
          name,
          image: p.image,
          command: p.command ?? ['cp', '-R', `${source}/.`, '/config-out/'],
          mounts: [{ volume: name, path: '/config-out' }],
          demands: p.demands,
        }, ContainerRole.INIT, '');
        changes.mount('app', { volume: name, path: p.mountPath, readOnly: true }, { container: 'workload', volume: 'name', path: 'mountPath' });
      });
      problems.throwIfAny();
    } catch (e) {
      return deferConstruction(this, e);
    }
  }
}
