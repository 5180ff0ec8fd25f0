/**
 * Schema of Volcano's PodGroup (scheduling.volcano.sh/v1beta1), for `validateManifests`, in the
 * JSON-schema subset of `CrdSchema` (crd-schemas.ts), after Volcano's CRD
 * (config/crd/volcano/bases/scheduling.volcano.sh_podgroups.yaml): every field of the spec.
 */
import type { CrdSchema } from './crd-schemas';

const STRING: CrdSchema = { type: 'string' };
const INTEGER: CrdSchema = { type: 'integer' };
const STRING_MAP: CrdSchema = { type: 'object', additionalProperties: STRING };
const NAME: CrdSchema = { type: 'string', minLength: 1, maxLength: 253, pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/ };

/** scheduling.volcano.sh/v1beta1 PodGroup. */
export const POD_GROUP_V1BETA1: CrdSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: STRING,
    kind: STRING,
    metadata: { type: 'object', required: ['name'], properties: { name: NAME, namespace: NAME, labels: STRING_MAP, annotations: STRING_MAP } },
    spec: {
      type: 'object',
      properties: {
        minMember: INTEGER,
        minTaskMember: { type: 'object', additionalProperties: INTEGER },
        minResources: { type: 'object', additionalProperties: { type: 'string', pattern: /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?$/ } },
        queue: STRING,
        priorityClassName: STRING,
      },
    },
  },
};

const NAME_REF: CrdSchema = NAME;

/** shipwright.io/v1beta1 Build, after Shipwright Build's CRD (the fields this library writes, and their siblings). */
export const SHIPWRIGHT_BUILD_V1BETA1: CrdSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: STRING,
    kind: STRING,
    metadata: { type: 'object', required: ['name'], properties: { name: NAME, namespace: NAME, labels: STRING_MAP, annotations: STRING_MAP } },
    spec: {
      type: 'object',
      required: ['source', 'strategy', 'output'],
      properties: {
        source: {
          type: 'object',
          required: ['type'],
          properties: {
            type: { type: 'string', enum: ['Git', 'OCI', 'Local'] },
            git: { type: 'object', required: ['url'], properties: { url: STRING, revision: STRING, cloneSecret: NAME_REF } },
            contextDir: STRING,
          },
        },
        strategy: { type: 'object', required: ['name'], properties: { name: STRING, kind: { type: 'string', enum: ['ClusterBuildStrategy', 'BuildStrategy'] } } },
        paramValues: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: STRING, value: STRING } } },
        output: { type: 'object', required: ['image'], properties: { image: STRING, pushSecret: NAME_REF, labels: STRING_MAP, annotations: STRING_MAP } },
        timeout: { type: 'string', pattern: /^\d+(ms|s|m|h)$/ },
      },
    },
  },
};

/** shipwright.io/v1beta1 BuildRun. */
export const SHIPWRIGHT_BUILD_RUN_V1BETA1: CrdSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: STRING,
    kind: STRING,
    metadata: { type: 'object', required: ['name'], properties: { name: NAME, namespace: NAME, labels: STRING_MAP, annotations: STRING_MAP } },
    spec: { type: 'object', required: ['build'], properties: { build: { type: 'object', required: ['name'], properties: { name: NAME } }, timeout: STRING } },
  },
};
