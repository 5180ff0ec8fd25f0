/** The building blocks the custom-resource schemas of the tests share (crd-schemas*.ts). */
import type { CrdSchema } from './crd-schemas';

export const STRING: CrdSchema = { type: 'string' };
export const INTEGER: CrdSchema = { type: 'integer' };
export const BOOLEAN: CrdSchema = { type: 'boolean' };
export const STRING_MAP: CrdSchema = { type: 'object', additionalProperties: STRING };
export const DNS_SUBDOMAIN: CrdSchema = {
  type: 'string', minLength: 1, maxLength: 253, pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
};
export const METADATA: CrdSchema = {
  type: 'object',
  required: ['name'],
  properties: { name: DNS_SUBDOMAIN, namespace: DNS_SUBDOMAIN, labels: STRING_MAP, annotations: STRING_MAP },
};
/** A Kubernetes quantity, as a string. */
export const QUANTITY: CrdSchema = { type: 'string', pattern: /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?$/ };
