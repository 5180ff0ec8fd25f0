import { Construct } from 'constructs';
import { deferConstruction } from '../core/app-checks';
import { KNOWN_PROPS } from '../core/known-props';
import { checkDnsLabel, defaultNameFromId } from '../core/names';
import { checkKnownKeys, Problems, showList } from '../core/validation';
import { Demands } from '../foundational/demands';
import { checkConfigMapRef, checkKey, IConfigMapReference } from '../pod/env';
import { EmptyDirOptions, PodVolume } from '../pod/volume';
import { ContainerRole } from '../workload/container';
import { attachedWorkload, PatternWorkload } from '../workload/workload';

/** Props of a `ConfigTemplate`. */
export interface ConfigTemplateProps {
  /** The workload whose main container gets the rendered files. */
  readonly workload: PatternWorkload;
  /** A ConfigMap of templates, one key per file (the same for every environment). */
  readonly templates: IConfigMapReference;
  /** A ConfigMap of parameters (this environment's values). */
  readonly parameters: IConfigMapReference;
  /**
   * Key of `parameters` that holds the parameters, as YAML or JSON. Templates read it as
   * `{{ (ds "params").<key> }}` with the default command.
   * @default 'params.yaml'
   */
  readonly parametersKey?: string;
  /**
   * The template engine's image, pinned, e.g. `hairyhenderson/gomplate:v3.11.7-alpine`.
   */
  readonly image: string;
  /**
   * Arguments of the template engine (the image's entrypoint). The templates are mounted at
   * /templates, the parameters at /params, and the output directory is /rendered.
   * @default - gomplate: `--input-dir=/templates --output-dir=/rendered --datasource=params=file:///params/<parametersKey>`
   */
  readonly args?: string[];
  /** Where the main container finds the rendered files (mounted read-only). */
  readonly mountPath: string;
  /**
   * Name of the emptyDir with the rendered files, and of the init container; the template and
   * parameter volumes get `-templates` and `-params` appended.
   * @default - the construct id in kebab-case
   */
  readonly name?: string;
  /**
   * Size of the emptyDir.
   * @default Size.mebibytes(64)
   */
  readonly volume?: EmptyDirOptions;
  /**
   * Requests and limits of the init container.
   * @default - the workload's demands
   */
  readonly demands?: Demands;
}

/**
 * Configuration Template: an init container renders a set of templates with this environment's
 * parameters into an emptyDir before the main container starts, which mounts the result
 * read-only. One template set serves every environment; only the small parameters ConfigMap
 * differs. With an immutable `ConfigResource` for the parameters, a change of parameters rolls
 * the workload.
 */
export class ConfigTemplate extends Construct {
  /** Name of the emptyDir with the rendered files. */
  public readonly volumeName!: string;

  constructor(scope: Construct, id: string, props: ConfigTemplateProps) {
    super(scope, id);
    try {
      const p = props ?? ({} as ConfigTemplateProps);
      const problems = new Problems(this);
      checkKnownKeys(problems, '', props, KNOWN_PROPS.ConfigTemplateProps, 'ConfigTemplateProps');
      const workload = attachedWorkload(problems, p.workload);
      // A name that is no string (from JavaScript) is reported here, a bad string by the volume's check.
      if (p.name !== undefined && typeof p.name !== 'string') checkDnsLabel(problems, 'name', p.name);
      const name = typeof p.name === 'string' ? p.name : defaultNameFromId(id);
      const key = p.parametersKey ?? 'params.yaml';
      checkKey(problems, 'parametersKey', key);
      const templatesOk = checkConfigMapRef(problems, 'templates', p.templates);
      const parametersOk = checkConfigMapRef(problems, 'parameters', p.parameters);
      const known = parametersOk ? p.parameters.knownKeys : undefined;
      if (known !== undefined) {
        problems.check(known.includes(key), 'parametersKey', key, `must be a key of the parameters ConfigMap (it has: ${showList(known)})`);
      }
      this.volumeName = name;
      workload._change(problems, (changes) => {
        changes.volume(PodVolume.emptyDir(name, p.volume ?? {}), 'volume', 'name');
        if (templatesOk) changes.volume(PodVolume.configMap(`${name}-templates`, p.templates), 'templates', 'name');
        if (parametersOk) changes.volume(PodVolume.configMap(`${name}-params`, p.parameters), 'parameters', 'name');
        if (!templatesOk || !parametersOk) return;
        changes.container({
          name,
          image: p.image,
          args: p.args ?? ['--input-dir=/templates', '--output-dir=/rendered', `--datasource=params=file:///params/${key}`],
          mounts: [
            { volume: `${name}-templates`, path: '/templates', readOnly: true },
            { volume: `${name}-params`, path: '/params', readOnly: true },
            { volume: name, path: '/rendered' },
          ],
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
