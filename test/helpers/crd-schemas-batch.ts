/**
 * Schema of Volcano's PodGroup (scheduling.volcano.sh/v1beta1), for `validateManifests`, in the
 * JSON-schema subset of `CrdSchema` (crd-schemas.ts), after Volcano's CRD
 * (config/crd/volcano/bases/scheduling.volcano.sh_podgroups.yaml): every field of the spec.
 */
import { DNS_SUBDOMAIN as NAME, INTEGER, METADATA, QUANTITY, STRING, STRING_MAP } from './crd-schema-parts';
import type { CrdSchema } from './crd-schemas';

/** scheduling.volcano.sh/v1beta1 PodGroup. */
export const POD_GROUP_V1BETA1: CrdSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: STRING,
    kind: STRING,
    metadata: METADATA,
    spec: {
      type: 'object',
      properties: {
        minMember: INTEGER,
        minTaskMember: { type: 'object', additionalProperties: INTEGER },
        minResources: { type: 'object', additionalProperties: QUANTITY },
        queue: STRING,
        priorityClassName: STRING,
      },
    },
  },
};

/** shipwright.io/v1beta1 Build, after Shipwright Build's CRD (the fields this library writes, and their siblings). */
export const SHIPWRIGHT_BUILD_V1BETA1: CrdSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: STRING,
    kind: STRING,
    metadata: METADATA,
    spec: {
      type: 'object',
      required: ['source', 'strategy', 'output'],
      properties: {
        source: {
          type: 'object',
          required: ['type'],
          properties: {
            type: { type: 'string', enum: ['Git', 'OCI', 'Local'] },
            git: { type: 'object', required: ['url'], properties: { url: STRING, revision: STRING, cloneSecret: NAME } },
            contextDir: STRING,
          },
        },
        strategy: { type: 'object', required: ['name'], properties: { name: STRING, kind: { type: 'string', enum: ['ClusterBuildStrategy', 'BuildStrategy'] } } },
        paramValues: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: STRING, value: STRING } } },
        output: { type: 'object', required: ['image'], properties: { image: STRING, pushSecret: NAME, labels: STRING_MAP, annotations: STRING_MAP } },
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
    metadata: METADATA,
    spec: { type: 'object', required: ['build'], properties: { build: { type: 'object', required: ['name'], properties: { name: NAME } }, timeout: STRING } },
  },
};
