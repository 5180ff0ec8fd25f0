import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SchemaField } from './schema-field';
import { deferConstruction, registerAppChecks, wasNotBuilt } from '../core/app-checks';
import { KNOWN_PROPS } from '../core/known-props';
import { MANAGED_LABELS, standardLabels } from '../core/labels';
import { checkDnsSubdomain, checkLabels, defaultNameFromId, isDns1035Label, isDnsSubdomain } from '../core/names';
import { makeClusterScoped } from '../core/scope';
import { checkKnownKeys, Problems, showList } from '../core/validation';

/** Whether the custom resources live in a namespace. */
export enum CustomResourceScope {
  /** In a namespace, like a Deployment (the usual choice). */
  NAMESPACED = 'Namespaced',
  /** Cluster-wide, like a Node. */
  CLUSTER = 'Cluster',
}

/** The types of a column `kubectl get` prints. */
export enum PrinterColumnType {
  /** Text. */
  STRING = 'string',
  /** A whole number. */
  INTEGER = 'integer',
  /** A number. */
  NUMBER = 'number',
  /** true or false. */
  BOOLEAN = 'boolean',
  /** A time, printed as an age (e.g. `5m`). */
  DATE = 'date',
}

/** A column that `kubectl get` prints for the custom resources. */
export interface PrinterColumn {
  /** The column's header. */
  readonly name: string;
  /** The type of the value. */
  readonly type: PrinterColumnType;
  /**
   * Where the value is, as a simple JSON path into the object, e.g. `.spec.configMap`,
   * `.status.replicas` or `.metadata.creationTimestamp`. It must be a field of the schema.
   */
  readonly jsonPath: string;
  /**
   * What the column shows.
   * @default - none
   */
  readonly description?: string;
  /**
   * 0 shows the column always; higher priorities only with `kubectl get -o wide`.
   * @default 0
   */
  readonly priority?: number;
}

/** The scale subresource: lets `kubectl scale` and autoscalers set a replica count of the resource. */
export interface ScaleSubresourceOptions {
  /** Where the desired replicas are, e.g. `.spec.replicas` (an integer field of the spec). */
  readonly specReplicasPath: string;
  /** Where the observed replicas are, e.g. `.status.replicas` (an integer field of the status). */
  readonly statusReplicasPath: string;
  /**
   * Where the label selector of the pods is, as a string, e.g. `.status.selector` (needed by a
   * HorizontalPodAutoscaler).
   * @default - none
   */
  readonly labelSelectorPath?: string;
}

/** One version of a custom resource. */
export interface CustomResourceVersion {
  /** The version, e.g. `v1alpha1`, `v1beta1`, `v1`. */
  readonly name: string;
  /** The schema of `spec`: an object, e.g. `SchemaField.object({ ... })`. */
  readonly spec: SchemaField;
  /**
   * The schema of `status`: an object the controller writes through the status subresource
   * (enabled when given), so that users' writes to `spec` and the controller's to `status` never
   * overwrite each other.
   * @default - no status
   */
  readonly status?: SchemaField;
  /**
   * Whether the API serves this version.
   * @default true
   */
  readonly served?: boolean;
  /**
   * Whether objects are stored in this version: exactly one version is.
   * @default - true when it is the only version
   */
  readonly storage?: boolean;
  /**
   * Columns of `kubectl get`.
   * @default - the name and age only
   */
  readonly printerColumns?: PrinterColumn[];
  /**
   * The scale subresource.
   * @default - none
   */
  readonly scale?: ScaleSubresourceOptions;
  /**
   * Marks the version deprecated: clients get a warning.
   * @default false
   */
  readonly deprecated?: boolean;
}

/** Props of a `CustomResourceDefinition`. */
export interface CustomResourceDefinitionProps {
  /** The API group: a DNS subdomain with at least one dot, that you own, e.g. `k8spatterns.io`. */
  readonly group: string;
  /** The kind, in UpperCamelCase, e.g. `ConfigWatcher`. */
  readonly kind: string;
  /**
   * The plural name, in lower case: the resource of the API path and of RBAC rules.
   * @default - the kind in lower case, plus "s" ("es" after s, x, z, ch, sh; "ies" after a consonant and "y")
   */
  readonly plural?: string;
  /**
   * The singular name, in lower case.
   * @default - the kind in lower case
   */
  readonly singular?: string;
  /**
   * Short names for `kubectl`, e.g. `['cw']`.
   * @default - none
   */
  readonly shortNames?: string[];
  /**
   * Categories the resource belongs to, e.g. `['all']` so that `kubectl get all` lists it.
   * @default - none
   */
  readonly categories?: string[];
  /**
   * Whether the objects live in a namespace.
   * @default CustomResourceScope.NAMESPACED
   */
  readonly scope?: CustomResourceScope;
  /** The versions, at least one; exactly one is the storage version. */
  readonly versions: CustomResourceVersion[];
}

/**
 * Operator, part one: a `CustomResourceDefinition` (apiextensions.k8s.io/v1) that teaches the API
 * server a new kind. Typed so that it is valid as the API server checks it: the name is
 * `<plural>.<group>`, exactly one storage version, structural schemas (see `SchemaField`), printer
 * column paths that are fields of the schema, the status subresource when there is a status.
 * Cluster-scoped: no namespace, even in a Chart that has one.
 *
 * @see https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/
 *
 * @example
 * const crd = new CustomResourceDefinition(chart, 'config-watcher', {
 *   group: 'k8spatterns.io', kind: 'ConfigWatcher', shortNames: ['cw'],
 *   versions: [{ name: 'v1', spec: SchemaField.object({ configMap: SchemaField.string() }, { required: ['configMap'] }) }],
 * });
 */
export class CustomResourceDefinition extends Construct {
  /** `<plural>.<group>`. */
  public readonly name!: string;
  /** The API group. */
  public readonly group!: string;
  /** The kind. */
  public readonly kind!: string;
  /** The plural name. */
  public readonly plural!: string;
  /** The version objects are stored in. */
  public readonly storageVersion!: string;
  /** Whether the objects live in a namespace. */
  public readonly scope!: CustomResourceScope;
  /** The CustomResourceDefinition object. */
  public readonly apiObject!: ApiObject;
  /** The versions, by name. */
  private readonly versions!: Map<string, CustomResourceVersion>;

  constructor(scope: Construct, id: string, props: CustomResourceDefinitionProps) {
    super(scope, id);
    try {
      const p = props ?? ({} as CustomResourceDefinitionProps);
      const problems = new Problems(this);
      checkKnownKeys(problems, '', props, KNOWN_PROPS.CustomResourceDefinitionProps, 'CustomResourceDefinitionProps');
      problems.check(typeof p.group === 'string' && isDnsSubdomain(p.group) && p.group.includes('.'), 'group', p.group,
        'must be a DNS subdomain with at least one dot, that you own (e.g. "k8spatterns.io"): a group without a dot is reserved for Kubernetes');
      problems.check(typeof p.group !== 'string' || !/(^|\.)(k8s|kubernetes)\.io$/.test(p.group), 'group', p.group,
        'must not be a Kubernetes group (*.k8s.io, *.kubernetes.io): the API server refuses it without an approval annotation');
      const kindOk = problems.check(typeof p.kind === 'string' && /^[A-Z][A-Za-z0-9]{0,58}$/.test(p.kind), 'kind', p.kind,
        'must be UpperCamelCase letters and digits, starting with a capital letter, at most 59 characters (its list kind adds "List"), e.g. "ConfigWatcher"');
      const lower = kindOk ? p.kind.toLowerCase() : 'x';
      const plural = p.plural ?? pluralOf(lower);
      const singular = p.singular ?? lower;
      problems.check(typeof plural === 'string' && isDns1035Label(plural), 'plural', plural, DNS_1035);
      problems.check(typeof singular === 'string' && isDns1035Label(singular), 'singular', singular, DNS_1035);
      problems.check(plural !== singular, 'plural', plural, 'must differ from singular');
      for (const [key, list] of [['shortNames', p.shortNames], ['categories', p.categories]] as const) {
        if (list === undefined) continue;
        if (!problems.check(Array.isArray(list), key, list, 'must be a list of lower-case names')) continue;
        list.forEach((n, i) => problems.check(typeof n === 'string' && isDns1035Label(n), `${key}[${i}]`, n, DNS_1035));
        problems.check(new Set(list).size === list.length, key, list, 'must not list a name twice');
      }
      const where = p.scope ?? CustomResourceScope.NAMESPACED;
      problems.check(Object.values(CustomResourceScope).includes(where), 'scope', where, 'must be a CustomResourceScope');
      const name = typeof plural === 'string' && typeof p.group === 'string' ? `${plural}.${p.group}` : '';
      if (name !== '') checkDnsSubdomain(problems, 'plural.group', name);

      const versions = Array.isArray(p.versions) ? p.versions : [];
      problems.check(versions.length > 0, 'versions', p.versions, 'must list at least one version');
      const rendered = versions.map((v, i) => renderVersion(v, i, versions.length, problems));
      const names = versions.map((v) => v?.name);
      names.forEach((n, i) => problems.check(names.indexOf(n) === i, `versions[${i}].name`, n, 'must be unique among the versions'));
      const storage = rendered.filter((v) => v.storage === true);
      if (versions.length > 0) {
        problems.check(storage.length === 1, 'versions', storage.map((v) => v.name),
          `must mark exactly one version storage: true (${storage.length === 0 ? 'none is' : `${showList(storage.map((v) => v.name))} are`}); the API server stores every object in it`);
      }
      problems.check(rendered.some((v) => v.served !== false) || versions.length === 0, 'versions', names, 'must serve at least one version');
      problems.throwIfAny();

      this.name = name;
      this.group = p.group;
      this.kind = p.kind;
      this.plural = plural;
      this.scope = where;
      this.storageVersion = storage[0].name as string;
      this.versions = new Map(versions.map((v) => [v.name, v]));
      // A plain ApiObject: the generated L1 class renames the schema's JSON fields (openAPIV3Schema, x-kubernetes-*).
      this.apiObject = new ApiObject(this, 'Resource', {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name, labels: standardLabels({ name: singular, instance: singular }) },
        spec: {
          group: p.group,
          names: {
            kind: p.kind,
            listKind: `${p.kind}List`,
            plural,
            singular,
            ...(p.shortNames && p.shortNames.length > 0 ? { shortNames: [...p.shortNames] } : {}),
            ...(p.categories && p.categories.length > 0 ? { categories: [...p.categories] } : {}),
          },
          scope: where,
          versions: rendered,
        },
      });
      makeClusterScoped(this.apiObject);
      registerAppChecks(this);
    } catch (e) {
      return deferConstruction(this, e);
    }
  }

  /** `<group>/<version>` of the storage version, or of `version`. */
  public apiVersion(version?: string): string {
    return `${this.group}/${version ?? this.storageVersion}`;
  }

  /** The custom resources, for RBAC rules (e.g. `RbacRule.read([crd.resource])`). */
  public get resource(): kplus.IApiResource {
    return kplus.ApiResource.custom({ apiGroup: this.group, resourceType: this.plural });
  }

  /** Their status subresource, which a controller updates (`update`, `patch`). */
  public get statusResource(): kplus.IApiResource {
    return kplus.ApiResource.custom({ apiGroup: this.group, resourceType: `${this.plural}/status` });
  }

  /** The version `name`, if the definition has it. @internal */
  public _version(name: string): CustomResourceVersion | undefined {
    return this.versions.get(name);
  }

  /** The names of the versions. @internal */
  public _versionNames(): string[] {
    return [...this.versions.keys()];
  }
}

/** The plural of a lower-case English noun, as most CRDs name it. */
function pluralOf(word: string): string {
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

const VERSION = /^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$/;
/** The API server checks the names of a CRD (plural, singular, short names, categories) as DNS-1035 labels. */
const DNS_1035 = 'must be a DNS-1035 label: lower-case letters, digits and "-", starting with a letter (the API server checks it so)';
/** Fields of every object's metadata that a printer column may show. */
const METADATA_FIELDS = ['name', 'namespace', 'creationTimestamp', 'generation', 'uid', 'resourceVersion', 'deletionTimestamp'];

/** One version, as apiextensions.k8s.io/v1 spells it. */
function renderVersion(v: CustomResourceVersion, i: number, count: number, problems: Problems): { [key: string]: unknown } {
  const at = `versions[${i}]`;
  if (v === null || typeof v !== 'object') {
    problems.add(at, v, 'must be { name, spec, ... }');
    return {};
  }
  checkKnownKeys(problems, `${at}.`, v, KNOWN_PROPS.CustomResourceVersion, 'CustomResourceVersion');
  if (v.deprecated !== undefined) problems.check(typeof v.deprecated === 'boolean', `${at}.deprecated`, v.deprecated, 'must be true or false');
  problems.check(typeof v.name === 'string' && VERSION.test(v.name), `${at}.name`, v.name,
    'must be a Kubernetes version name: v1, v2beta1, v1alpha2, ... (how clients order versions)');
  const served = v.served ?? true;
  const storage = v.storage ?? count === 1;
  problems.check(typeof served === 'boolean', `${at}.served`, v.served, 'must be true or false');
  problems.check(typeof storage === 'boolean', `${at}.storage`, v.storage, 'must be true or false');
  const properties: { [key: string]: unknown } = {};
  for (const part of ['spec', 'status'] as const) {
    const f = v[part];
    if (f === undefined && part === 'status') continue;
    if (!(f instanceof SchemaField) || !f._isObject) {
      problems.add(`${at}.${part}`, f, 'must be an object with fields: SchemaField.object({ ... })');
      continue;
    }
    properties[part] = f._render(problems, `${at}.${part}`);
  }
  const columns = (Array.isArray(v.printerColumns) ? v.printerColumns : []).map((c, j) => renderColumn(c, `${at}.printerColumns[${j}]`, v, problems));
  if (v.printerColumns !== undefined && !Array.isArray(v.printerColumns)) problems.add(`${at}.printerColumns`, v.printerColumns, 'must be a list of PrinterColumn');
  let scale: { [key: string]: string } | undefined;
  if (v.scale !== undefined) {
    const s = v.scale ?? ({} as ScaleSubresourceOptions);
    checkKnownKeys(problems, `${at}.scale.`, s, KNOWN_PROPS.ScaleSubresourceOptions, 'ScaleSubresourceOptions');
    problems.check(v.status !== undefined, `${at}.scale`, 'scale', 'needs a status: the observed replicas are a status field');
    checkPath(v, s.specReplicasPath, `${at}.scale.specReplicasPath`, problems, '.spec.', 'integer');
    checkPath(v, s.statusReplicasPath, `${at}.scale.statusReplicasPath`, problems, '.status.', 'integer');
    if (s.labelSelectorPath !== undefined) {
      const under = typeof s.labelSelectorPath === 'string' && s.labelSelectorPath.startsWith('.spec.') ? '.spec.' : '.status.';
      checkPath(v, s.labelSelectorPath, `${at}.scale.labelSelectorPath`, problems, under, 'string');
    }
    scale = {
      specReplicasPath: s.specReplicasPath,
      statusReplicasPath: s.statusReplicasPath,
      ...(s.labelSelectorPath !== undefined ? { labelSelectorPath: s.labelSelectorPath } : {}),
    };
  }
  const subresources = {
    ...(v.status !== undefined ? { status: {} } : {}),
    ...(scale ? { scale } : {}),
  };
  return {
    name: v.name,
    served,
    storage,
    ...(v.deprecated === true ? { deprecated: true } : {}),
    schema: { openAPIV3Schema: { type: 'object', properties, ...(properties.spec ? { required: ['spec'] } : {}) } },
    ...(Object.keys(subresources).length > 0 ? { subresources } : {}),
    ...(columns.length > 0 ? { additionalPrinterColumns: columns } : {}),
  };
}

function renderColumn(c: PrinterColumn, at: string, v: CustomResourceVersion, problems: Problems): { [key: string]: unknown } {
  if (c === null || typeof c !== 'object') {
    problems.add(at, c, 'must be { name, type, jsonPath }');
    return {};
  }
  checkKnownKeys(problems, `${at}.`, c, KNOWN_PROPS.PrinterColumn, 'PrinterColumn');
  problems.check(typeof c.name === 'string' && c.name.length > 0, `${at}.name`, c.name, 'must be a non-empty header');
  problems.check(Object.values(PrinterColumnType).includes(c.type), `${at}.type`, c.type, 'must be a PrinterColumnType');
  if (c.priority !== undefined) problems.check(Number.isInteger(c.priority) && c.priority >= 0 && c.priority <= 2 ** 31 - 1, `${at}.priority`, c.priority, 'must be a non-negative integer');
  if (!(typeof c.jsonPath === 'string' && METADATA_FIELDS.map((f) => `.metadata.${f}`).includes(c.jsonPath))) { // fields of every object
    const type = { string: 'string', integer: 'integer', number: 'number', boolean: 'boolean', date: 'string' }[c.type as string];
    checkPath(v, c.jsonPath, `${at}.jsonPath`, problems, '.', type, c.type === PrinterColumnType.NUMBER ? ['number', 'integer'] : undefined);
  }
  return {
    name: c.name,
    type: c.type,
    jsonPath: c.jsonPath,
    ...(c.description !== undefined ? { description: c.description } : {}),
    ...(c.priority !== undefined ? { priority: c.priority } : {}),
  };
}

/** Checks that `path` (`.spec.a.b`) names a field of the version's schema (of `type`, or one of `types`, if given), below `prefix`. */
function checkPath(
  v: CustomResourceVersion, path: unknown, prop: string, problems: Problems, prefix: string, type: string | undefined, types?: string[],
): void {
  if (!problems.check(typeof path === 'string' && /^(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(path) && path.startsWith(prefix), prop, path,
    `must be a simple JSON path starting with "${prefix}", e.g. "${prefix === '.' ? '.spec.' : prefix}replicas"`)) return;
  const [root, ...rest] = (path as string).slice(1).split('.');
  let field: SchemaField | undefined = root === 'spec' ? v.spec : root === 'status' ? v.status : undefined;
  for (const name of rest) field = field instanceof SchemaField ? field._field(name) : undefined;
  if (!problems.check(field instanceof SchemaField, prop, path, 'must be a field of the schema (the column or subresource would always be empty)')) return;
  if (type !== undefined) {
    problems.check((types ?? [type]).includes(field!.type as string), prop, path, `must be a field of type ${type} (it is ${field!.type ?? 'int-or-string'})`);
  }
}

/** Props of a `CustomResource`. */
export interface CustomResourceProps {
  /** The definition of the resource's kind. */
  readonly definition: CustomResourceDefinition;
  /**
   * The object's name.
   * @default - the construct id in kebab-case (`OneClick` becomes `one-click`)
   */
  readonly name?: string;
  /**
   * The version the object is written in.
   * @default - the definition's storage version
   */
  readonly version?: string;
  /** The `spec`, checked against the version's schema. */
  readonly spec: { [key: string]: any };
  /**
   * Labels on the object (the standard ones are added).
   * @default - the standard labels only
   */
  readonly labels?: { [key: string]: string };
}

/**
 * Operator, part two: an instance of a custom resource, its `spec` checked against the schema of
 * its definition at synth time, as the API server would (types, enums, patterns, bounds, required
 * fields), and more strictly: a field the schema does not know is an error, where the API server
 * would silently drop it.
 *
 * @example
 * new CustomResource(chart, 'webapp-config', {
 *   definition: crd,
 *   spec: { configMap: 'webapp-config', podSelector: { app: 'webapp' } },
 * });
 */
export class CustomResource extends Construct {
  /** The custom resource object. */
  public readonly apiObject!: ApiObject;

  constructor(scope: Construct, id: string, props: CustomResourceProps) {
    super(scope, id);
    try {
      const p = props ?? ({} as CustomResourceProps);
      const problems = new Problems(this);
      checkKnownKeys(problems, '', props, KNOWN_PROPS.CustomResourceProps, 'CustomResourceProps');
      const crd = p.definition;
      if (wasNotBuilt(crd) || !(crd instanceof CustomResourceDefinition)) {
        problems.add('definition', wasNotBuilt(crd) ? 'not built' : crd, 'must be a CustomResourceDefinition of this library');
        problems.throwIfAny();
      }
      const name = p.name ?? defaultNameFromId(id);
      checkDnsSubdomain(problems, 'name', name);
      problems.check(typeof name !== 'string' || name.length <= 63, 'name', name, 'must be at most 63 characters (it is also the value of the app.kubernetes.io/name label)');
      if (p.labels !== undefined) {
        checkLabels(problems, 'labels', p.labels);
        for (const k of Object.keys(p.labels ?? {})) problems.check(!MANAGED_LABELS.includes(k), 'labels key', k, 'must not override a label this library manages');
      }
      const version = p.version ?? crd.storageVersion;
      const v = crd._version(version);
      if (problems.check(v !== undefined, 'version', version, `must be a version of ${crd.name} (it has: ${crd._versionNames().join(', ')})`)) {
        problems.check(v!.served !== false, 'version', version, 'must be served by the definition (served: true)');
        for (const e of v!.spec._check(p.spec, 'spec')) problems.add(e.path, e.value, e.rule);
      }
      let copy: unknown;
      try {
        copy = JSON.parse(JSON.stringify(p.spec ?? null));
      } catch {
        problems.add('spec', 'object', 'must be plain JSON data: it refers to itself, or holds a value JSON cannot write');
      }
      problems.throwIfAny();
      this.apiObject = new ApiObject(this, 'Resource', {
        apiVersion: crd.apiVersion(version),
        kind: crd.kind,
        metadata: { name, labels: { ...(p.labels ?? {}), ...standardLabels({ name, instance: name }) } },
        spec: copy, // as checked: a later change to the object given does not reach the YAML
      });
      if (crd.scope === CustomResourceScope.CLUSTER) makeClusterScoped(this.apiObject);
      this.node.addDependency(crd);
      registerAppChecks(this);
    } catch (e) {
      return deferConstruction(this, e);
    }
  }
}
