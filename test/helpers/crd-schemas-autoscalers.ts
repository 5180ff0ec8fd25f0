/**
 * Schemas of the custom resources of the Elastic Scale pattern, for `validateManifests`, in the
 * JSON-schema subset of `CrdSchema` (crd-schemas.ts):
 * - VerticalPodAutoscaler (autoscaling.k8s.io/v1), after the CRD of the Vertical Pod Autoscaler 1.x
 *   (vertical-pod-autoscaler/deploy/vpa-v1-crd-gen.yaml);
 * - ScaledObject (keda.sh/v1alpha1), after the CRD of KEDA 2.x (config/crd/bases/keda.sh_scaledobjects.yaml);
 * - ScaledJob (keda.sh/v1alpha1), after keda.sh_scaledjobs.yaml: its `jobTargetRef` is a batch/v1
 *   JobSpec, which `validateManifests` checks as a Job of its own.
 * Every field of the spec is listed (so that a misspelt or invented one is unknown), status aside.
 * Quantities (int-or-string in the CRDs) are checked as the strings this library writes.
 */
import { BOOLEAN, INTEGER, METADATA, QUANTITY, STRING, STRING_MAP } from './crd-schema-parts';
import type { CrdSchema } from './crd-schemas';

const RESOURCE_LIST: CrdSchema = { type: 'object', additionalProperties: QUANTITY };

/** autoscaling.k8s.io/v1 VerticalPodAutoscaler. */
export const VERTICAL_POD_AUTOSCALER_V1: CrdSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { type: 'string', enum: ['autoscaling.k8s.io/v1'] },
    kind: { type: 'string', enum: ['VerticalPodAutoscaler'] },
    metadata: METADATA,
    spec: {
      type: 'object',
      required: ['targetRef'],
      properties: {
        targetRef: {
          type: 'object',
          required: ['kind', 'name'],
          properties: { apiVersion: STRING, kind: STRING, name: STRING },
        },
        updatePolicy: {
          type: 'object',
          properties: {
            updateMode: { type: 'string', enum: ['Off', 'Initial', 'Recreate', 'Auto', 'InPlaceOrRecreate'] },
            minReplicas: INTEGER,
            evictionRequirements: {
              type: 'array',
              items: {
                type: 'object',
                required: ['changeRequirement', 'resources'],
                properties: {
                  changeRequirement: { type: 'string', enum: ['TargetHigherThanRequests', 'TargetLowerThanRequests'] },
                  resources: { type: 'array', items: STRING },
                },
              },
            },
          },
        },
        resourcePolicy: {
          type: 'object',
          properties: {
            containerPolicies: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  containerName: STRING,
                  mode: { type: 'string', enum: ['Auto', 'Off'] },
                  minAllowed: RESOURCE_LIST,
                  maxAllowed: RESOURCE_LIST,
                  controlledResources: { type: 'array', items: STRING },
                  controlledValues: { type: 'string', enum: ['RequestsAndLimits', 'RequestsOnly'] },
                },
              },
            },
          },
        },
        recommenders: {
          type: 'array',
          items: { type: 'object', required: ['name'], properties: { name: STRING } },
        },
      },
    },
  },
};

const HPA_SCALING_RULES: CrdSchema = {
  type: 'object',
  properties: {
    policies: {
      type: 'array',
      items: {
        type: 'object',
        required: ['periodSeconds', 'type', 'value'],
        properties: { periodSeconds: INTEGER, type: STRING, value: INTEGER },
      },
    },
    selectPolicy: STRING,
    stabilizationWindowSeconds: INTEGER,
  },
};

/** A KEDA trigger (ScaledObject and ScaledJob). */
const TRIGGERS: CrdSchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['metadata', 'type'],
    properties: {
      type: STRING,
      name: STRING,
      useCachedMetrics: BOOLEAN,
      metadata: STRING_MAP,
      authenticationRef: {
        type: 'object',
        required: ['name'],
        properties: { name: STRING, kind: STRING },
      },
      metricType: STRING,
    },
  },
};

/** keda.sh/v1alpha1 ScaledJob. */
export const SCALED_JOB_V1ALPHA1: CrdSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { type: 'string', enum: ['keda.sh/v1alpha1'] },
    kind: { type: 'string', enum: ['ScaledJob'] },
    metadata: METADATA,
    spec: {
      type: 'object',
      required: ['jobTargetRef', 'triggers'],
      properties: {
        jobTargetRef: { type: 'object', preserveUnknownFields: true },
        envSourceContainerName: STRING,
        pollingInterval: INTEGER,
        successfulJobsHistoryLimit: INTEGER,
        failedJobsHistoryLimit: INTEGER,
        minReplicaCount: INTEGER,
        maxReplicaCount: INTEGER,
        rolloutStrategy: STRING,
        rollout: { type: 'object', properties: { strategy: STRING, propagationPolicy: STRING } },
        scalingStrategy: {
          type: 'object',
          properties: {
            strategy: { type: 'string', enum: ['default', 'custom', 'accurate', 'eager'] },
            customScalingQueueLengthDeduction: INTEGER,
            customScalingRunningJobPercentage: STRING,
            pendingPodConditions: { type: 'array', items: STRING },
            multipleScalersCalculation: STRING,
          },
        },
        triggers: TRIGGERS,
      },
    },
  },
};

/** keda.sh/v1alpha1 ScaledObject. */
export const SCALED_OBJECT_V1ALPHA1: CrdSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { type: 'string', enum: ['keda.sh/v1alpha1'] },
    kind: { type: 'string', enum: ['ScaledObject'] },
    metadata: METADATA,
    spec: {
      type: 'object',
      required: ['scaleTargetRef', 'triggers'],
      properties: {
        scaleTargetRef: {
          type: 'object',
          required: ['name'],
          properties: { apiVersion: STRING, kind: STRING, name: STRING, envSourceContainerName: STRING },
        },
        pollingInterval: INTEGER,
        initialCooldownPeriod: INTEGER,
        cooldownPeriod: INTEGER,
        idleReplicaCount: INTEGER,
        minReplicaCount: INTEGER,
        maxReplicaCount: INTEGER,
        fallback: {
          type: 'object',
          required: ['failureThreshold', 'replicas'],
          properties: {
            failureThreshold: INTEGER,
            replicas: INTEGER,
            behavior: { type: 'string', enum: ['static', 'currentReplicas', 'currentReplicasIfHigher', 'currentReplicasIfLower'] },
          },
        },
        advanced: {
          type: 'object',
          properties: {
            horizontalPodAutoscalerConfig: {
              type: 'object',
              properties: {
                name: STRING,
                behavior: { type: 'object', properties: { scaleUp: HPA_SCALING_RULES, scaleDown: HPA_SCALING_RULES } },
              },
            },
            restoreToOriginalReplicaCount: BOOLEAN,
            scalingModifiers: {
              type: 'object',
              properties: { formula: STRING, target: STRING, activationTarget: STRING, metricType: STRING },
            },
          },
        },
        triggers: TRIGGERS,
      },
    },
  },
};
