// The public API, exported by name so that internal helpers stay internal.

// core
export { PatternLabels } from './core/labels';
export { ValidationErrors, ValidationProblem } from './core/validation';
export { AppArmorProfile, PodSecurityOptions } from './pod/security';
export { PolicyRule, Waiver } from './pod/waiver';

// foundational
export {
  Demands, QosClass, ResourceAmounts, GuaranteedDemandsOptions, BurstableDemandsOptions,
} from './foundational/demands';
export {
  HealthCheck, HealthCheckProbes, HealthProbe, ProbeTiming, ProbeScheme,
  HttpProbeOptions, PortProbeOptions, GrpcProbeOptions,
} from './foundational/health-check';
export { LifecycleHook, LifecycleOptions, HttpHookOptions } from './foundational/lifecycle';
export {
  DeploymentStrategy, DeploymentStrategyKind, RollingUpdateOptions, BlueGreenTrack, BlueGreenOptions,
  CanaryOptions, GatewayReference,
} from './foundational/deployment-strategy';
export { DisruptionBudget } from './foundational/disruption-budget';
export { PodQos } from './foundational/qos';
export {
  PlacementOptions, Spread, SpreadOptions, Toleration, TolerationOperator, TaintEffect, NodeRequirement, NodeOperator, NodePreference,
} from './foundational/placement';
export { PriorityClass, PriorityClassProps, PreemptionPolicy } from './foundational/priority-class';
export {
  NamespaceGuardrails, NamespaceGuardrailsProps, NamespaceQuota, ContainerLimitRange, PodSecurityLevel,
} from './foundational/namespace-guardrails';

// pod composition: containers, environment, volumes
export { ContainerOptions, ContainerPort, WorkloadContainerOptions } from './pod/container';
export {
  EnvVariable, EnvFrom, EnvFromOptions, PodField, ResourceField, ResourceFieldOptions, KeyReferenceOptions,
  IConfigMapReference, ConfigMapReference,
} from './pod/env';
export {
  PodVolume, VolumeMount, VolumeItem, KeyVolumeOptions, EmptyDirOptions, ClaimVolumeOptions, FileSetOptions,
  DownwardApiFile, ProjectedSource, ServiceAccountTokenOptions,
} from './pod/volume';
export { NetworkPeer, NetworkProtocol, NetworkRule, NetworkRuleOptions, NetworkOptions } from './pod/network';

// workload base
export { PatternWorkload, WorkloadProps } from './workload/workload';

// behavioral
export { StatelessService, StatelessServiceProps } from './behavioral/stateless-service';
export {
  BatchJob, BatchJobProps, JobOptions, CompletionMode, JobRestartPolicy, PodFailurePolicyRule, PodFailurePolicyAction,
  PodFailurePolicyOnExitCodes, PodFailurePolicyOnPodCondition, ExitCodeOperator, PodConditionStatus,
} from './behavioral/batch-job';
export { GangScheduling, GangSchedulerKind, KueueOptions, VolcanoOptions } from './behavioral/gang-scheduling';
export { PeriodicJob, PeriodicJobProps } from './behavioral/periodic-job';
export {
  DaemonService, DaemonServiceProps, DaemonUpdateStrategy, DaemonUpdateStrategyKind, DaemonRollingUpdateOptions,
  DaemonExposure, HostPathMount, HostPathType,
} from './behavioral/daemon-service';
export {
  SingletonService, SingletonServiceProps, SingletonLocking, SingletonLockingKind, SingletonWorkloadKind,
  OutOfApplicationLockingOptions, InApplicationLockingOptions, ElectionSidecarLockingOptions,
} from './behavioral/singleton-service';

export {
  StatefulService, StatefulServiceProps, ClaimTemplate, ClaimRetention, ClaimRetentionPolicy, PodManagementPolicy,
  StatefulUpdateStrategy, StatefulRollingUpdateOptions,
} from './behavioral/stateful-service';

export {
  ServiceExposure, NodePortOptions, LoadBalancerOptions, TrafficPolicy, ServiceOptions, ExposureProps,
} from './behavioral/service-exposure';
export { Ingress, IngressProps, ServiceBackend, IngressRule, IngressTls, PathType } from './behavioral/ingress';
export { HttpRoute, HttpRouteProps, HttpRouteRule, HttpRouteBackend, HttpPathMatch, HttpHeaderMatch } from './behavioral/http-route';
export { ExternalService, ExternalServiceProps } from './behavioral/external-service';

// storage
export {
  PersistentVolumeClaim, PersistentVolumeClaimProps, ClaimOptions, ClaimDataSource, AccessMode, VolumeMode,
} from './storage/persistent-volume-claim';
export {
  PersistentVolume, PersistentVolumeProps, PersistentVolumeSource, ReclaimPolicy, NfsSourceOptions, CsiSourceOptions,
} from './storage/persistent-volume';

// structural
export { Adapter, AdapterProps, ServiceMonitorOptions } from './structural/adapter';
export { Ambassador, AmbassadorProps } from './structural/ambassador';

// configuration
export { ConfigResource, ConfigResourceProps } from './configuration/config-resource';
export { ConfigImage, ConfigImageProps } from './configuration/config-image';
export { ConfigTemplate, ConfigTemplateProps } from './configuration/config-template';

// synthesis
export { PatternApp } from './synth/pattern-app';

// secure configuration: Secrets made in the cluster by a controller, their values never in the YAML
export { SecretType, ISecretSource } from './configuration/secret-source';
export {
  ExternalSecret, ExternalSecretProps, ExternalSecretTarget, ExternalSecretData, ExternalSecretRemoteRef, ExternalSecretDataFrom,
  ExternalSecretFindOptions, ExternalSecretCreationPolicy, ExternalSecretDeletionPolicy, ExternalSecretRefreshPolicy,
  RemoteDecodingStrategy, SecretStoreReference, SecretStoreKind,
} from './configuration/external-secret';
export { SealedSecret, SealedSecretProps, SealingScope } from './configuration/sealed-secret';

// security: access control (RBAC)
export { ApiVerb, RbacRule, RbacRuleOptions, RbacRuleNameOptions } from './security/rbac-rule';
export {
  Role, RoleProps, ClusterRole, ClusterRoleProps, RoleBinding, RoleBindingProps, ClusterRoleBinding, ClusterRoleBindingProps,
  IRoleReference, RbacRoleKind, BuiltInClusterRole, ClusterRoleRef,
} from './security/rbac';

// policy check
export { PolicyCheckRule, PolicySeverity, PolicyRuleInfo } from './policy/rules';
export {
  PolicyCheck, PolicyCheckOptions, PolicyCheckProps, PolicyFinding, PolicyWaiver, PolicyWaiverProps, PolicyRuleSeverity,
} from './policy/policy-check';

// advanced: controller and operator
export { Controller, ControllerProps, ControllerScope, ApiProxyOptions } from './advanced/controller';
export {
  SchemaField, SchemaFieldType, FieldOptions, StringFieldOptions, NumberFieldOptions, BooleanFieldOptions, ObjectFieldOptions, ArrayFieldOptions,
} from './advanced/schema-field';
export {
  CustomResourceDefinition, CustomResourceDefinitionProps, CustomResourceVersion, CustomResourceScope, PrinterColumn, PrinterColumnType,
  ScaleSubresourceOptions, CustomResource, CustomResourceProps,
} from './advanced/custom-resource';
export { ImageBuild, ImageBuildProps, ImageBuildSource, BuildStrategyKind } from './advanced/image-build';
export {
  CompositeController, CompositeControllerProps, DecoratorController, DecoratorControllerProps, MetacontrollerOptions, MetacontrollerHook,
  ChildResource, ChildUpdateMethod, DecoratedResource,
} from './advanced/metacontroller';

// advanced: elastic scale
export {
  ScalingMetric, ScalingMetricKind, DescribedObject, CustomMetricOptions, TargetedMetricOptions, ObjectMetricOptions,
  ScalingBehavior, ScalingBehaviorOptions, ScalingRules, ScalingPolicy, ScalingPolicyType, ScalingSelectPolicy,
} from './advanced/scaling';
export { HorizontalAutoscaler, HorizontalAutoscalerProps } from './advanced/horizontal-autoscaler';
export {
  VerticalAutoscaler, VerticalAutoscalerProps, VerticalUpdateMode, ContainerResourcePolicy, ContainerScalingMode, ControlledResource,
  ControlledValues,
} from './advanced/vertical-autoscaler';
export {
  EventDrivenAutoscaler, EventDrivenAutoscalerProps, ScaleTrigger, ScalingFallback, TriggerAuthenticationReference, TriggerAuthenticationKind,
  CronTriggerOptions, PrometheusTriggerOptions, PrometheusAuthMode, RabbitMqTriggerOptions, RedisListTriggerOptions, RabbitMqMode, RabbitMqProtocol,
  KafkaTriggerOptions, KafkaOffsetResetPolicy, KafkaSaslMode,
} from './advanced/event-driven-autoscaler';

// distributed: multi-node patterns
export { ScatterGather, ScatterGatherProps } from './distributed/scatter-gather';
export { WorkQueue, WorkQueueProps, WorkQueueScaling, JobScalingStrategy } from './distributed/work-queue';
