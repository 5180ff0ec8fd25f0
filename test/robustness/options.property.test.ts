/**
 * Property: each option class and option object (Demands, HealthCheck, LifecycleOptions, PodVolume
 * with its mounts, EnvVariable and EnvFrom, placement, security, waivers, network rules, strategies,
 * budgets, exposures), given alone to an otherwise valid workload, ends in valid manifests or in the
 * library's own validation error. One option at a time gives each more runs than the whole-props
 * properties can.
 */
import * as fc from 'fast-check';
import { BatchJob, NetworkPeer, StatelessService } from '../../src';
import {
  bothModes, containerOptions, demands, deploymentStrategy, disruptionBudget, envFrom, envVariables, exposures, health, jobOptions, labels, lifecycle,
  Mode, network, placement, security, serviceOptions, stringMap, volumesAndMounts, waivers,
} from './support/arbitraries';
import { assertProperty, checkOutcome, Tally } from './support/outcome';

const CALLERS = { allowFrom: [{ peer: NetworkPeer.namespace('clients') }] };
const BASE = { image: 'ghcr.io/acme/api:1.4.2', port: 8080, network: CALLERS };
const RUNS = 150;

/** `option` alone on a service (with a port and its callers) or on a job. */
function alone(label: string, option: (mode: Mode) => fc.Arbitrary<{ [key: string]: unknown }>, on: 'service' | 'job' = 'service'): void {
  test(label, () => {
    const tally = new Tally();
    assertProperty(bothModes(option), RUNS, (props) => {
      checkOutcome(props, (chart, p) => (on === 'service'
        ? new StatelessService(chart, 'api', { ...BASE, ...p })
        : new BatchJob(chart, 'job', { image: 'ghcr.io/acme/job:1.0.0', ...p })), tally);
    });
    console.log(`${label}: ${tally.share}`);
  });
}

describe('each option alone ends in valid manifests or a PatternValidationError', () => {
  alone('demands (Demands.guaranteed, burstable, bestEffort)', (mode) => fc.record({ demands: demands(mode) }));
  alone('health (HealthCheck, HealthProbe)', (mode) => fc.record({ health: health(mode) }));
  alone('health on a job without a port', (mode) => fc.record({ health: health(mode) }), 'job');
  alone('lifecycle (LifecycleHook, grace period, preStop sleep)', (mode) => fc.record({ lifecycle: lifecycle(mode) }));
  alone('volumes and mounts (PodVolume, ProjectedSource, DownwardApiFile)', (mode) => volumesAndMounts(mode) as fc.Arbitrary<{ [key: string]: unknown }>);
  alone('env, envVariables and envFrom (EnvVariable, EnvFrom)', (mode) => fc.record({
    env: stringMap(mode, fc.constantFrom('LOG_LEVEL', 'MODE')), envVariables: envVariables(mode), envFrom: envFrom(mode),
  }, { requiredKeys: [] }));
  alone('placement (node selection, affinity, tolerations, Spread)', (mode) => fc.record({ placement: placement(mode), replicas: fc.constantFrom(1, 3) }));
  alone('security (PodSecurityOptions, AppArmorProfile)', (mode) => fc.record({ security: security(mode), waivers: waivers(mode) }, { requiredKeys: ['security'] }));
  alone('waivers (Waiver)', (mode) => fc.record({ waivers: waivers(mode) }));
  alone('network (NetworkPeer rules)', (mode) => fc.record({ network: network(mode, true), apiAccess: fc.boolean() }, { requiredKeys: ['network'] }));
  alone('strategy and budget (DeploymentStrategy, DisruptionBudget)', (mode) => fc.record({
    strategy: deploymentStrategy(mode), disruptionBudget: disruptionBudget(mode), replicas: fc.constantFrom(1, 2, 4),
  }, { requiredKeys: [] }));
  alone('exposures and serviceOptions (ServiceExposure)', (mode) => fc.record({ exposures: exposures(mode), serviceOptions: serviceOptions(mode) },
    { requiredKeys: [] }));
  alone('container options of the main container', (mode) => fc.record(containerOptions(mode), { requiredKeys: [] }));
  alone('labels and annotations', (mode) => fc.record({ labels: labels(mode), annotations: stringMap(mode, fc.constantFrom('example.com/owner', 'note')) },
    { requiredKeys: [] }));
  alone('Job options', (mode) => fc.record(jobOptions(mode), { requiredKeys: [] }), 'job');
});
