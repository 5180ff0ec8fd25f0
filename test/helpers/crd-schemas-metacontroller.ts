/**
 * Schemas of Metacontroller's CompositeController and DecoratorController
 * (metacontroller.k8s.io/v1alpha1), for `validateManifests`, in the JSON-schema subset of
 * `CrdSchema` (crd-schemas.ts), after the API reference of Metacontroller 4.x
 * (metacontroller.github.io/metacontroller/api): every field of the spec, status aside.
 */
import { BOOLEAN, DNS_SUBDOMAIN as NAME, INTEGER, METADATA, STRING, STRING_MAP } from './crd-schema-parts';
import type { CrdSchema } from './crd-schemas';
const METHOD: CrdSchema = { type: 'string', enum: ['OnDelete', 'Recreate', 'InPlace', 'RollingRecreate', 'RollingInPlace'] };
const RESOURCE_RULE = (extra: { [key: string]: CrdSchema }): CrdSchema => ({
  type: 'object', required: ['apiVersion', 'resource'], properties: { apiVersion: STRING, resource: STRING, ...extra },
});
const UPDATE_STRATEGY: CrdSchema = {
  type: 'object',
  properties: {
    method: METHOD,
    statusChecks: { type: 'object', properties: { conditions: { type: 'array', items: { type: 'object', properties: { type: STRING, status: STRING, reason: STRING } } } } },
  },
};
const WEBHOOK: CrdSchema = {
  type: 'object',
  properties: {
    url: STRING,
    path: STRING,
    timeout: { type: 'string', pattern: /^\d+(ms|s|m|h)$/ },
    service: { type: 'object', required: ['name', 'namespace'], properties: { name: NAME, namespace: NAME, port: INTEGER, protocol: { type: 'string', enum: ['http', 'https'] } } },
    etag: { type: 'object', properties: { enabled: BOOLEAN, cacheTimeoutSeconds: INTEGER, cacheCleanupSeconds: INTEGER } },
  },
};
const HOOK: CrdSchema = { type: 'object', properties: { webhook: WEBHOOK } };
const SELECTOR: CrdSchema = { type: 'object', properties: { matchLabels: STRING_MAP } };

/** metacontroller.k8s.io/v1alpha1 CompositeController. */
export const COMPOSITE_CONTROLLER_V1ALPHA1: CrdSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: STRING,
    kind: STRING,
    metadata: METADATA,
    spec: {
      type: 'object',
      required: ['parentResource', 'hooks'],
      properties: {
        parentResource: RESOURCE_RULE({ revisionHistory: { type: 'object', properties: { fieldPaths: { type: 'array', items: STRING } } } }),
        childResources: { type: 'array', items: RESOURCE_RULE({ updateStrategy: UPDATE_STRATEGY }) },
        resyncPeriodSeconds: INTEGER,
        generateSelector: BOOLEAN,
        hooks: { type: 'object', properties: { sync: HOOK, finalize: HOOK, customize: HOOK } },
      },
    },
  },
};

/** metacontroller.k8s.io/v1alpha1 DecoratorController. */
export const DECORATOR_CONTROLLER_V1ALPHA1: CrdSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: STRING,
    kind: STRING,
    metadata: METADATA,
    spec: {
      type: 'object',
      required: ['resources', 'hooks'],
      properties: {
        resources: { type: 'array', items: RESOURCE_RULE({ labelSelector: SELECTOR, annotationSelector: { type: 'object', properties: { matchAnnotations: STRING_MAP } } }) },
        attachments: { type: 'array', items: RESOURCE_RULE({ updateStrategy: UPDATE_STRATEGY }) },
        resyncPeriodSeconds: INTEGER,
        hooks: { type: 'object', properties: { sync: HOOK, finalize: HOOK, customize: HOOK } },
      },
    },
  },
};
