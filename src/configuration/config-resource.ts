import { createHash } from 'crypto';
import * as fs from 'fs';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { deferConstruction } from '../core/app-checks';
import { KNOWN_PROPS } from '../core/known-props';
import { MANAGED_LABELS, standardLabels } from '../core/labels';
import { checkDnsSubdomain, checkLabels, checkLabelValue, defaultNameFromId, namePropOf } from '../core/names';
import { checkKnownKeys, Problems } from '../core/validation';
import { checkKey, EnvFrom, EnvFromOptions, EnvVariable, IConfigMapReference, KeyReferenceOptions } from '../pod/env';
import { KeyVolumeOptions, PodVolume } from '../pod/volume';

/** Most data a ConfigMap may hold (etcd's object size limit). */
const MAX_BYTES = 1024 * 1024;

/** Props of a `ConfigResource`. */
export interface ConfigResourceProps {
  /**
   * Base name of the ConfigMap (also its `app.kubernetes.io/instance` label, so at most 63
   * characters). An immutable one gets `-<hash of the content>` appended.
   * @default - the construct id in kebab-case
   */
  readonly name?: string;
  /**
   * Value of `app.kubernetes.io/name`, usually the application that reads the configuration.
   * @default - the name
   */
  readonly appName?: string;
  /**
   * Extra labels.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Text entries: key to value.
   * @default - none
   */
  readonly data?: { [key: string]: string };
  /**
   * Binary entries: key to base64-encoded value.
   * @default - none
   */
  readonly binaryData?: { [key: string]: string };
  /**
   * Entries read from files when the app is synthesised: key to file path (relative to the current
   * directory). UTF-8 text goes to `data`, anything else to `binaryData`.
   * @default - none
   */
  readonly files?: { [key: string]: string };
  /**
   * Immutable Configuration: the ConfigMap is marked immutable and its name carries a hash of its
   * content, so a change makes a new ConfigMap and rolls exactly the workloads that use it (their
   * pod templates name it). `false` makes a mutable ConfigMap with a fixed name: changes reach
   * mounted files within a minute or so, never env, and roll nothing.
   * @default true
   */
  readonly immutable?: boolean;
}

/**
 * Configuration Resource: a ConfigMap made from literals and files, used as environment variables
 * (`env()`), as `envFrom` (`envFrom()`) and as mounted files (`volume()`), immutable and
 * content-hashed by default (Immutable Configuration).
 *
 * Its keys are known, so a reference to a key it lacks is rejected at synth. Secrets are not made
 * here: reference existing ones by name (`EnvVariable.fromSecret`, `PodVolume.secret`).
 *
 * @example
 * const settings = new ConfigResource(chart, 'settings', {
 *   data: { LOG_LEVEL: 'info' },
 *   files: { 'app.properties': 'config/app.properties' },
 * });
 * new StatelessService(chart, 'api', {
 *   image: 'ghcr.io/acme/api:1.4.2',
 *   port: 8080,
 *   envVariables: [settings.env('LOG_LEVEL', 'LOG_LEVEL')],
 *   volumes: [settings.volume('config', { items: [{ key: 'app.properties', path: 'app.properties', mode: 0o400 }] })],
 *   mounts: [{ volume: 'config', path: '/etc/api', readOnly: true }],
 * });
 * @see https://kubernetes.io/docs/concepts/configuration/configmap/
 */
export class ConfigResource extends Construct implements IConfigMapReference {
  /** Name of the ConfigMap object (with the content hash, when immutable). */
  public readonly configMapName!: string;
  /** Every key of the ConfigMap, text and binary. */
  public readonly knownKeys?: string[];
  /** The ConfigMap. */
  public readonly configMap!: kplus.k8s.KubeConfigMap;
  /** Whether the ConfigMap is immutable (and content-hashed). */
  public readonly immutable!: boolean;

  constructor(scope: Construct, id: string, props: ConfigResourceProps = {}) {
    super(scope, id);
    try {
      const p = props ?? {};
      const problems = new Problems(this);
      checkKnownKeys(problems, '', props, KNOWN_PROPS.ConfigResourceProps, 'ConfigResourceProps');
      // A name that is no string (from JavaScript) is reported; the names derived from it use the id's.
      const name = typeof p.name === 'string' ? p.name : defaultNameFromId(id);
      this.immutable = p.immutable ?? true;
      checkLabelValue(problems, namePropOf(p.name), p.name ?? name);
      if (p.appName !== undefined) checkLabelValue(problems, 'appName', p.appName);
      checkLabels(problems, 'labels', p.labels);
      for (const k of Object.keys(p.labels ?? {})) {
        problems.check(!MANAGED_LABELS.includes(k), 'labels key', k, 'must not override a label this library manages');
      }

      const data: { [key: string]: string } = {};
      const binaryData: { [key: string]: string } = {};
      const owner = new Map<string, string>();
      const add = (prop: string, key: string, value: unknown, target: { [key: string]: string }) => {
        checkKey(problems, `${prop} key`, key);
        const first = owner.get(key);
        if (!problems.check(first === undefined, `${prop} key`, key, `is defined twice (also in ${first})`)) return;
        owner.set(key, prop);
        if (problems.check(typeof value === 'string', `${prop}["${key}"]`, value, 'must be a string')) target[key] = value as string;
      };
      for (const [prop, map] of [['data', p.data], ['binaryData', p.binaryData], ['files', p.files]] as const) {
        if (map !== undefined && (map === null || typeof map !== 'object' || Array.isArray(map))) problems.add(prop, map, 'must be a map of keys to strings');
      }
      for (const [k, v] of Object.entries(p.data ?? {})) add('data', k, v, data);
      for (const [k, v] of Object.entries(p.binaryData ?? {})) {
        add('binaryData', k, v, binaryData);
        if (typeof v === 'string') {
          problems.check(/^[A-Za-z0-9+/]*={0,2}$/.test(v) && v.length % 4 === 0, `binaryData["${k}"]`, `${v.slice(0, 20)}${v.length > 20 ? '...' : ''}`,
            'must be base64-encoded');
        }
      }
      for (const [k, path] of Object.entries(p.files ?? {})) {
        if (!problems.check(typeof path === 'string' && path.length > 0, `files["${k}"]`, path, 'must be a file path')) continue;
        let content: Buffer | undefined;
        try {
          content = fs.readFileSync(path);
        } catch (e: any) {
          problems.add(`files["${k}"]`, path, `could not be read (${e?.code ?? e?.message ?? e})`);
          continue;
        }
        const text = content.toString('utf8');
        if (Buffer.from(text, 'utf8').equals(content)) add('files', k, text, data);
        else add('files', k, content.toString('base64'), binaryData);
      }
      const bytes = Object.values(data).reduce((n, v) => n + Buffer.byteLength(v, 'utf8'), 0)
        + Object.values(binaryData).reduce((n, v) => n + Buffer.byteLength(v, 'base64'), 0);
      problems.check(bytes <= MAX_BYTES, 'data', `${bytes} bytes`, 'must be at most 1 MiB in total (data, binaryData and files): mount larger files from an image or a volume');
      problems.check(owner.size > 0, 'data', '{}', 'must have at least one entry (data, binaryData or files)');

      const hash = createHash('sha256').update(JSON.stringify([sorted(data), sorted(binaryData)])).digest('hex').slice(0, 10);
      this.configMapName = this.immutable ? `${name}-${hash}` : name;
      checkDnsSubdomain(problems, namePropOf(p.name), this.configMapName);
      problems.throwIfAny();

      this.knownKeys = [...owner.keys()];
      this.configMap = new kplus.k8s.KubeConfigMap(this, 'Resource', {
        metadata: {
          name: this.configMapName,
          labels: { ...(p.labels ?? {}), ...standardLabels({ name: p.appName ?? name, instance: name }) },
        },
        ...(Object.keys(data).length ? { data: sorted(data) } : {}),
        ...(Object.keys(binaryData).length ? { binaryData: sorted(binaryData) } : {}),
        ...(this.immutable ? { immutable: true } : {}),
      });
    } catch (e) {
      return deferConstruction(this, e);
    }
  }

  /** An environment variable `name` holding the value of `key`. */
  public env(name: string, key: string, options: KeyReferenceOptions = {}): EnvVariable {
    return EnvVariable.fromConfigMap(name, this, key, options);
  }

  /** Every key as an environment variable, optionally prefixed. */
  public envFrom(options: EnvFromOptions = {}): EnvFrom {
    return EnvFrom.configMap(this, options);
  }

  /** A volume named `name` with the keys as files (all, or `items`, with modes such as 0o400). */
  public volume(name: string, options: KeyVolumeOptions = {}): PodVolume {
    return PodVolume.configMap(name, this, options);
  }
}

function sorted(map: { [key: string]: string }): { [key: string]: string } {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
