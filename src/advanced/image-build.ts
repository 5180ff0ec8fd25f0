import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { deferConstruction, registerAppChecks } from '../core/app-checks';
import { checkImage } from '../core/image';
import { KNOWN_PROPS } from '../core/known-props';
import { standardLabels } from '../core/labels';
import { checkDnsSubdomain, defaultNameFromId } from '../core/names';
import { checkKnownKeys, Problems } from '../core/validation';
import { seconds } from '../foundational/health-check';

/** Whether a build strategy is cluster-wide or in the build's namespace. */
export enum BuildStrategyKind {
  /** A `ClusterBuildStrategy`, installed once for the cluster (the usual choice). */
  CLUSTER = 'ClusterBuildStrategy',
  /** A `BuildStrategy` of the build's namespace. */
  NAMESPACED = 'BuildStrategy',
}

/** Where the source is. */
export interface ImageBuildSource {
  /** The Git repository, e.g. `https://github.com/acme/api`. */
  readonly gitUrl: string;
  /**
   * The branch, tag or commit to build.
   * @default - the repository's default branch
   */
  readonly revision?: string;
  /**
   * The directory of the build context within the repository.
   * @default - the repository's root
   */
  readonly contextDir?: string;
  /**
   * The Secret (of the build's namespace) with credentials for a private repository: by name only,
   * made in the cluster (e.g. by an `ExternalSecret`).
   * @default - a public repository
   */
  readonly cloneSecret?: string;
}

/** Props of an `ImageBuild`. */
export interface ImageBuildProps {
  /**
   * Name of the Build (and of its BuildRun).
   * @default - the construct id in kebab-case (`ShopApi` becomes `shop-api`)
   */
  readonly name?: string;
  /** Where the source is. */
  readonly source: ImageBuildSource;
  /**
   * The build strategy, e.g. `buildah`, `buildkit` (rootless) or `kaniko`, as Shipwright's sample
   * strategies name them.
   */
  readonly strategy: string;
  /**
   * Whether the strategy is a ClusterBuildStrategy or a BuildStrategy of the namespace.
   * @default BuildStrategyKind.CLUSTER
   */
  readonly strategyKind?: BuildStrategyKind;
  /**
   * The image to push, with a tag other than `latest` or a digest, e.g. `ghcr.io/acme/api:1.5.0`.
   */
  readonly output: string;
  /**
   * The Secret (of the build's namespace) with the registry credentials to push: by name only.
   * @default - none (a registry that accepts the push without credentials)
   */
  readonly pushSecret?: string;
  /**
   * The Dockerfile, relative to the context directory (the strategy's `dockerfile` parameter).
   * @default - the strategy's default (`Dockerfile`)
   */
  readonly dockerfile?: string;
  /**
   * How long the build may take: 1 second to 24 hours.
   * @default - Shipwright's default (10 minutes)
   */
  readonly timeout?: Duration;
  /**
   * Also write a BuildRun of the same name, which runs the build once when applied (a BuildRun is
   * immutable: to build again, delete it or create one with another name).
   * @default false
   */
  readonly run?: boolean;
}

/**
 * Image Builder: a typed Shipwright `Build` (shipwright.io/v1beta1) that builds an image from
 * source inside the cluster and pushes it, and optionally a `BuildRun` that runs it. The build
 * runs in the pods of the chosen strategy (a rootless Buildah or BuildKit needs no privilege),
 * so the app's YAML asks for no relaxation; the credentials are Secrets by name, never values.
 * Needs Shipwright Build and its strategies in the cluster.
 *
 * @see https://shipwright.io/docs/build/build/
 *
 * @example
 * new ImageBuild(chart, 'api-image', {
 *   source: { gitUrl: 'https://github.com/acme/api', revision: 'v1.5.0' },
 *   strategy: 'buildah',
 *   output: 'ghcr.io/acme/api:1.5.0',
 *   pushSecret: 'ghcr-push',
 *   run: true,
 * });
 */
export class ImageBuild extends Construct {
  /** The Build object. */
  public readonly apiObject!: ApiObject;
  /** The BuildRun, with `run: true`. */
  public readonly buildRun?: ApiObject;
  /** The name of the Build. */
  public readonly name!: string;

  constructor(scope: Construct, id: string, props: ImageBuildProps) {
    super(scope, id);
    try {
      const p = props ?? ({} as ImageBuildProps);
      const problems = new Problems(this);
      checkKnownKeys(problems, '', props, KNOWN_PROPS.ImageBuildProps, 'ImageBuildProps');
      const name = p.name ?? defaultNameFromId(id);
      checkDnsSubdomain(problems, 'name', name);
      const s = p.source;
      if (s === null || typeof s !== 'object') {
        problems.add('source', s, 'must be { gitUrl, revision, contextDir, cloneSecret }');
      } else {
        checkKnownKeys(problems, 'source.', s, KNOWN_PROPS.ImageBuildSource, 'ImageBuildSource');
        problems.check(typeof s.gitUrl === 'string' && /^(https:\/\/|ssh:\/\/|git@)[^\s]+$/.test(s.gitUrl) && !/^https:\/\/[^/@]+@/.test(s.gitUrl),
          'source.gitUrl', s.gitUrl, 'must be an https://, ssh:// or git@ URL of a repository, without credentials in it (use cloneSecret)');
        if (s.revision !== undefined) problems.check(typeof s.revision === 'string' && /^[^\s]{1,255}$/.test(s.revision), 'source.revision', s.revision, 'must be a branch, tag or commit');
        if (s.contextDir !== undefined) {
          problems.check(typeof s.contextDir === 'string' && !s.contextDir.startsWith('/') && !s.contextDir.split('/').includes('..'), 'source.contextDir', s.contextDir,
            'must be a relative path within the repository, without ".."');
        }
        if (s.cloneSecret !== undefined) checkDnsSubdomain(problems, 'source.cloneSecret', s.cloneSecret);
      }
      problems.check(typeof p.strategy === 'string' && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(p.strategy), 'strategy', p.strategy,
        'must be the name of a build strategy, e.g. "buildah"');
      const kind = p.strategyKind ?? BuildStrategyKind.CLUSTER;
      problems.check(Object.values(BuildStrategyKind).includes(kind), 'strategyKind', kind, 'must be a BuildStrategyKind');
      checkImage(problems, 'output', p.output, false);
      if (p.pushSecret !== undefined) checkDnsSubdomain(problems, 'pushSecret', p.pushSecret);
      if (p.dockerfile !== undefined) {
        problems.check(typeof p.dockerfile === 'string' && p.dockerfile.length > 0 && !p.dockerfile.startsWith('/') && !p.dockerfile.split('/').includes('..'),
          'dockerfile', p.dockerfile, 'must be a relative path within the context directory, without ".."');
      }
      const timeout = seconds(problems, 'timeout', p.timeout, 1, 86400);
      problems.check(p.run === undefined || typeof p.run === 'boolean', 'run', p.run, 'must be true or false');
      problems.throwIfAny();

      this.name = name;
      const labels = standardLabels({ name, instance: name });
      this.apiObject = new ApiObject(this, 'Build', {
        apiVersion: 'shipwright.io/v1beta1',
        kind: 'Build',
        metadata: { name, labels },
        spec: {
          source: {
            type: 'Git',
            git: {
              url: s.gitUrl,
              ...(s.revision !== undefined ? { revision: s.revision } : {}),
              ...(s.cloneSecret !== undefined ? { cloneSecret: s.cloneSecret } : {}),
            },
            ...(s.contextDir !== undefined ? { contextDir: s.contextDir } : {}),
          },
          strategy: { name: p.strategy, kind },
          ...(p.dockerfile !== undefined ? { paramValues: [{ name: 'dockerfile', value: p.dockerfile }] } : {}),
          output: { image: p.output, ...(p.pushSecret !== undefined ? { pushSecret: p.pushSecret } : {}) },
          ...(timeout !== undefined ? { timeout: `${timeout}s` } : {}),
        },
      });
      if (p.run === true) {
        this.buildRun = new ApiObject(this, 'BuildRun', {
          apiVersion: 'shipwright.io/v1beta1',
          kind: 'BuildRun',
          metadata: { name, labels },
          spec: { build: { name } },
        });
        this.buildRun.addDependency(this.apiObject);
      }
      registerAppChecks(this);
    } catch (e) {
      return deferConstruction(this, e);
    }
  }
}
