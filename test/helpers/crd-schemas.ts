/**
 * Schemas of the custom resources of the Secure Configuration pattern, for `validateManifests`:
 * ExternalSecret (external-secrets.io/v1) and SealedSecret (bitnami.com/v1alpha1), after the CRDs
 * of External Secrets Operator v0.17+ and Sealed Secrets, for the parts this library writes (and
 * their siblings). A small JSON-schema subset: type, properties, additionalProperties (map values),
 * items, required, enum, pattern, min/maxLength.
 *
 * Why not a package: the @kubernetes-models packages with `external-secrets.io/v1`
 * (@kubernetes-models/external-secrets 2.x, and sealed-secrets 6.x) are ES modules only, which
 * jest on this toolchain (node 20) cannot require; the CommonJS releases predate v1
 * (external-secrets 0.5: v1alpha1/v1beta1) or check nothing below `spec` (sealed-secrets 2.0).
 */

import { SCALED_JOB_V1ALPHA1, SCALED_OBJECT_V1ALPHA1, VERTICAL_POD_AUTOSCALER_V1 } from './crd-schemas-autoscalers';
import { POD_GROUP_V1BETA1, SHIPWRIGHT_BUILD_RUN_V1BETA1, SHIPWRIGHT_BUILD_V1BETA1 } from './crd-schemas-batch';
import { COMPOSITE_CONTROLLER_V1ALPHA1, DECORATOR_CONTROLLER_V1ALPHA1 } from './crd-schemas-metacontroller';

export interface CrdSchema {
  readonly type?: 'object' | 'string' | 'boolean' | 'array' | 'integer';
  /** The fields of an object; any other field is unknown (unless `additionalProperties`). */
  readonly properties?: { [key: string]: CrdSchema };
  /** The schema of every value of a map (an object with arbitrary keys). */
  readonly additionalProperties?: CrdSchema;
  readonly items?: CrdSchema;
  readonly required?: string[];
  readonly enum?: string[];
  readonly pattern?: RegExp;
  readonly minLength?: number;
  readonly maxLength?: number;
  /** `x-kubernetes-preserve-unknown-fields`: any fields (an embedded object validated on its own, e.g. a ScaledJob's Job spec). */
  readonly preserveUnknownFields?: boolean;
}

const STRING: CrdSchema = { type: 'string' };
const STRING_MAP: CrdSchema = { type: 'object', additionalProperties: STRING };
const DNS_SUBDOMAIN: CrdSchema = {
  type: 'string', minLength: 1, maxLength: 253, pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
};
const SECRET_KEY: CrdSchema = { type: 'string', minLength: 1, maxLength: 253, pattern: /^[-._a-zA-Z0-9]+$/ };
const METADATA: CrdSchema = {
  type: 'object',
  required: ['name'],
  properties: { name: DNS_SUBDOMAIN, namespace: DNS_SUBDOMAIN, labels: STRING_MAP, annotations: STRING_MAP },
};

const STORE_REF: CrdSchema = {
  type: 'object',
  properties: { kind: { type: 'string', enum: ['SecretStore', 'ClusterSecretStore'] }, name: DNS_SUBDOMAIN },
};
const CONVERSION: CrdSchema = { type: 'string', enum: ['Default', 'Unicode'] };
const DECODING: CrdSchema = { type: 'string', enum: ['Auto', 'Base64', 'Base64URL', 'None'] };
const REMOTE_REF: CrdSchema = {
  type: 'object',
  required: ['key'],
  properties: {
    key: STRING,
    property: STRING,
    version: STRING,
    conversionStrategy: CONVERSION,
    decodingStrategy: DECODING,
    metadataPolicy: { type: 'string', enum: ['None', 'Fetch'] },
  },
};

/** external-secrets.io/v1 ExternalSecret. */
export const EXTERNAL_SECRET_V1: CrdSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { type: 'string', enum: ['external-secrets.io/v1'] },
    kind: { type: 'string', enum: ['ExternalSecret'] },
    metadata: METADATA,
    spec: {
      type: 'object',
      properties: {
        secretStoreRef: STORE_REF,
        // A Go duration (time.ParseDuration).
        refreshInterval: { type: 'string', pattern: /^(0|([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$/ },
        refreshPolicy: { type: 'string', enum: ['CreatedOnce', 'Periodic', 'OnChange'] },
        target: {
          type: 'object',
          properties: {
            name: DNS_SUBDOMAIN,
            creationPolicy: { type: 'string', enum: ['Owner', 'Orphan', 'Merge', 'None'] },
            deletionPolicy: { type: 'string', enum: ['Delete', 'Merge', 'Retain'] },
            immutable: { type: 'boolean' },
            template: {
              type: 'object',
              properties: {
                type: STRING,
                engineVersion: { type: 'string', enum: ['v1', 'v2'] },
                mergePolicy: { type: 'string', enum: ['Replace', 'Merge'] },
                metadata: { type: 'object', properties: { labels: STRING_MAP, annotations: STRING_MAP } },
                data: STRING_MAP,
              },
            },
          },
        },
        data: {
          type: 'array',
          items: { type: 'object', required: ['secretKey', 'remoteRef'], properties: { secretKey: SECRET_KEY, remoteRef: REMOTE_REF } },
        },
        dataFrom: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              extract: REMOTE_REF,
              find: {
                type: 'object',
                properties: {
                  path: STRING,
                  name: { type: 'object', properties: { regexp: STRING } },
                  tags: STRING_MAP,
                  conversionStrategy: CONVERSION,
                  decodingStrategy: DECODING,
                },
              },
            },
          },
        },
      },
    },
  },
};

/** bitnami.com/v1alpha1 SealedSecret. */
export const SEALED_SECRET_V1ALPHA1: CrdSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { type: 'string', enum: ['bitnami.com/v1alpha1'] },
    kind: { type: 'string', enum: ['SealedSecret'] },
    metadata: METADATA,
    spec: {
      type: 'object',
      required: ['encryptedData'],
      properties: {
        encryptedData: STRING_MAP,
        template: {
          type: 'object',
          properties: {
            type: STRING,
            immutable: { type: 'boolean' },
            metadata: { ...METADATA, required: [] },
            data: STRING_MAP,
          },
        },
      },
    },
  },
};

const SCHEMAS = new Map<string, CrdSchema>([
  ['external-secrets.io/v1|ExternalSecret', EXTERNAL_SECRET_V1],
  ['bitnami.com/v1alpha1|SealedSecret', SEALED_SECRET_V1ALPHA1],
  ['autoscaling.k8s.io/v1|VerticalPodAutoscaler', VERTICAL_POD_AUTOSCALER_V1],
  ['keda.sh/v1alpha1|ScaledObject', SCALED_OBJECT_V1ALPHA1],
  ['keda.sh/v1alpha1|ScaledJob', SCALED_JOB_V1ALPHA1],
  ['metacontroller.k8s.io/v1alpha1|CompositeController', COMPOSITE_CONTROLLER_V1ALPHA1],
  ['metacontroller.k8s.io/v1alpha1|DecoratorController', DECORATOR_CONTROLLER_V1ALPHA1],
  ['scheduling.volcano.sh/v1beta1|PodGroup', POD_GROUP_V1BETA1],
  ['shipwright.io/v1beta1|Build', SHIPWRIGHT_BUILD_V1BETA1],
  ['shipwright.io/v1beta1|BuildRun', SHIPWRIGHT_BUILD_RUN_V1BETA1],
]);

/** The schema of `m`'s apiVersion and kind, if it is one of these custom resources. */
export function crdSchemaFor(m: { apiVersion: string; kind: string }): CrdSchema | undefined {
  return SCHEMAS.get(`${m.apiVersion}|${m.kind}`);
}

/** Type, required-field, enum, pattern and length errors of `v` against `schema`. */
export function crdSchemaErrors(v: unknown, schema: CrdSchema, path = ''): string[] {
  return walk(v, schema, path).errors;
}

/** Fields of `v` that `schema` does not know. */
export function crdUnknownFields(v: unknown, schema: CrdSchema, path = ''): string[] {
  return walk(v, schema, path).unknown;
}

function walk(v: unknown, s: CrdSchema, path: string, out = { errors: [] as string[], unknown: [] as string[] }) {
  const at = path || '(root)';
  const actual = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
  if (s.type !== undefined) {
    const ok = s.type === 'integer' ? Number.isInteger(v) : actual === s.type;
    if (!ok) {
      out.errors.push(`${at} must be ${s.type}, is ${actual}`);
      return out;
    }
  }
  if (typeof v === 'string') {
    if (s.enum && !s.enum.includes(v)) out.errors.push(`${at} must be one of ${s.enum.join(', ')}, is ${JSON.stringify(v)}`);
    if (s.pattern && !s.pattern.test(v)) out.errors.push(`${at} must match ${s.pattern}, is ${JSON.stringify(v)}`);
    if (s.minLength !== undefined && v.length < s.minLength) out.errors.push(`${at} must have at least ${s.minLength} characters`);
    if (s.maxLength !== undefined && v.length > s.maxLength) out.errors.push(`${at} must have at most ${s.maxLength} characters`);
  }
  if (s.preserveUnknownFields) return out;
  if (Array.isArray(v) && s.items) v.forEach((x, i) => walk(x, s.items!, `${path}[${i}]`, out));
  if (actual === 'object') {
    const o = v as { [key: string]: unknown };
    for (const r of s.required ?? []) if (o[r] === undefined) out.errors.push(`${path}.${r} is required`);
    for (const [k, x] of Object.entries(o)) {
      const sub = s.properties?.[k] ?? s.additionalProperties;
      if (sub === undefined) out.unknown.push(`${path}.${k}`);
      else walk(x, sub, `${path}.${k}`, out);
    }
  }
  return out;
}
