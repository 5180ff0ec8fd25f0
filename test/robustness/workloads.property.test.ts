/**
 * Property: random props for each workload construct (valid-looking and garbage) end in valid
 * manifests or in the library's own validation error, never in anything else.
 */
import * as fc from 'fast-check';
import {
  BatchJob, DaemonService, PeriodicJob, SingletonService, StatefulService, StatelessService,
} from '../../src';
import {
  bool, bothModes, claimOptions, daemonExposure, daemonUpdateStrategy, deploymentStrategy, disruptionBudget, duration, either, ENUMS, enumOf,
  exposures,
  fields, garbage, hostPaths, int, jobOptions, list, Mode, name, port, portName, serviceOptions, singletonLocking, size, statefulUpdateStrategy,
  text, workloadProps,
} from './support/arbitraries';
import { assertProperty, checkOutcome, Tally } from './support/outcome';

/** Whole props that are not an object at all (a JavaScript caller's mistake). */
const notAnObject = fc.constantFrom<unknown>(undefined, null, 5, 'api', [], [{ image: 'x:1' }]);

/** Props of a workload of `kind`: the shared ones plus `own`; with a port most of the time. */
function workload(own: (mode: Mode) => { [key: string]: fc.Arbitrary<unknown> }, withPort = true, presence = 0.25): fc.Arbitrary<unknown> {
  return fc.oneof(
    {
      weight: 40,
      arbitrary: bothModes((mode) => fc.boolean().chain((hasPort) => fc.tuple(
        workloadProps(mode, withPort && hasPort),
        withPort && hasPort ? fc.record({ port: port(mode) }) : fc.constant({}),
        fields(own(mode), presence),
      ).map(([shared, p, o]) => ({ ...shared, ...p, ...o })))),
    },
    { weight: 1, arbitrary: notAnObject },
  );
}

const RUNS = 250;

describe('workload constructs end in valid manifests or a PatternValidationError', () => {
  test('StatelessService', () => {
    const tally = new Tally();
    assertProperty(workload((mode) => ({
      servicePort: port(mode),
      portName: portName(mode),
      replicas: int(mode, 0, 5),
      autoscaled: bool(mode),
      strategy: deploymentStrategy(mode),
      disruptionBudget: disruptionBudget(mode),
      minReady: duration(mode, 0, 30),
      progressDeadline: duration(mode, 60, 900),
      revisionHistoryLimit: int(mode, 0, 20),
      exposures: exposures(mode),
      serviceOptions: serviceOptions(mode),
    })), RUNS, (props) => {
      checkOutcome(props, (chart, p) => new StatelessService(chart, 'api', p), tally);
    });
    console.log(`StatelessService: ${tally.share}`);
  });

  test('StatefulService', () => {
    const tally = new Tally();
    assertProperty(workload((mode) => ({
      portName: portName(mode),
      replicas: int(mode, 0, 5),
      autoscaled: bool(mode),
      volumeClaimTemplates: either(mode, list(either(mode, fc.record({ name: either(mode, fc.constantFrom('data', 'wal'), garbage), size: size(mode, 1, 10240) })
        .chain((r) => fields(claimOptions(mode), 0.2).map((o) => ({ ...r, ...o }))), garbage), 2), garbage),
      claimRetention: either(mode, fields({
        whenDeleted: enumOf(mode, Object.values(ENUMS.ClaimRetention)),
        whenScaled: enumOf(mode, Object.values(ENUMS.ClaimRetention)),
      }, 0.5), garbage),
      podManagementPolicy: enumOf(mode, Object.values(ENUMS.PodManagementPolicy)),
      updateStrategy: statefulUpdateStrategy(mode),
      minReady: duration(mode, 0, 30),
      publishNotReadyAddresses: bool(mode),
      clientService: bool(mode),
      disruptionBudget: disruptionBudget(mode),
      exposures: exposures(mode),
      serviceOptions: serviceOptions(mode),
    })), RUNS, (props) => {
      checkOutcome(props, (chart, p) => {
        // Claim templates are mounted like volumes: mount them so that valid runs synthesise.
        const templates = Array.isArray(p?.volumeClaimTemplates) ? p.volumeClaimTemplates : [];
        const mounts = templates.filter((t: any) => typeof t?.name === 'string').map((t: any, i: number) => ({ volume: t.name, path: `/data/${i}` }));
        const all = p !== null && typeof p === 'object' && !Array.isArray(p) && mounts.length > 0
          ? { ...p, mounts: Array.isArray(p.mounts) ? [...p.mounts, ...mounts] : p.mounts ?? mounts } : p;
        new StatefulService(chart, 'db', all);
      }, tally);
    });
    console.log(`StatefulService: ${tally.share}`);
  });

  test('BatchJob', () => {
    const tally = new Tally();
    assertProperty(workload((mode) => ({
      ...jobOptions(mode),
      generateName: bool(mode),
      suspend: bool(mode),
    }), false), RUNS, (props) => {
      checkOutcome(props, (chart, p) => new BatchJob(chart, 'reindex', p), tally);
    });
    console.log(`BatchJob: ${tally.share}`);
  });

  test('PeriodicJob', () => {
    const tally = new Tally();
    const schedule = (mode: Mode) => either(mode, fc.constantFrom('30 2 * * *', '*/15 * * * *', '@daily', '0 0 1,15 * MON-FRI'),
      fc.constantFrom('', '* * * *', '61 * * * *', '0 0 30 2 *', '@every 5m', 'TZ=UTC 0 0 * * *', '*/90 * * * *', '0 0 * * 7', 'x'.repeat(500)), garbage);
    assertProperty(workload((mode) => ({
      ...jobOptions(mode),
      timeZone: either(mode, fc.constantFrom('Europe/Berlin', 'Etc/UTC'), fc.constantFrom('Mars/Olympus', '', 'UTC+1', '../etc'), garbage),
      concurrencyPolicy: enumOf(mode, Object.values(ENUMS.ConcurrencyPolicy)),
      startingDeadline: duration(mode, 10, 600),
      suspend: bool(mode),
      successfulJobsHistoryLimit: int(mode, 0, 10),
      failedJobsHistoryLimit: int(mode, 0, 10),
    }), false).chain((p) => (p !== null && typeof p === 'object' && !Array.isArray(p)
      ? bothModes((mode) => schedule(mode)).map((s) => ({ ...p, schedule: s })) : fc.constant(p))), RUNS, (props) => {
      checkOutcome(props, (chart, p) => new PeriodicJob(chart, 'report', p), tally);
    });
    console.log(`PeriodicJob: ${tally.share}`);
  });

  test('DaemonService', () => {
    const tally = new Tally();
    assertProperty(workload((mode) => ({
      portName: portName(mode),
      exposure: daemonExposure(mode),
      updateStrategy: daemonUpdateStrategy(mode),
      hostNetwork: bool(mode),
      hostPaths: hostPaths(mode),
      tolerateAllTaints: bool(mode),
      minReady: duration(mode, 0, 30),
      revisionHistoryLimit: int(mode, 0, 20),
      exposures: exposures(mode),
      serviceOptions: serviceOptions(mode),
    })), RUNS, (props) => {
      checkOutcome(props, (chart, p) => new DaemonService(chart, 'agent', p), tally);
    });
    console.log(`DaemonService: ${tally.share}`);
  });

  test('SingletonService', () => {
    const tally = new Tally();
    assertProperty(workload((mode) => ({
      portName: portName(mode),
      disruptionBudget: disruptionBudget(mode),
      exposures: exposures(mode),
      serviceOptions: serviceOptions(mode),
      replicas: either(mode, fc.constant(undefined), int(mode, 1, 3)),
    })).chain((p) => (p !== null && typeof p === 'object' && !Array.isArray(p)
      ? bothModes((mode) => singletonLocking(mode)).map((locking) => ({ ...p, locking })) : fc.constant(p))), RUNS, (props) => {
      checkOutcome(props, (chart, p) => new SingletonService(chart, 'scheduler', p), tally);
    });
    console.log(`SingletonService: ${tally.share}`);
  });

  test('a name or reason of any length or alphabet is reported cut short', () => {
    assertProperty(bothModes((mode) => fc.record({ name: name(mode), image: fc.constant('ghcr.io/acme/api:1.4.2'), appName: text(mode) })), 100, (props) => {
      checkOutcome(props, (chart, p) => new StatelessService(chart, 'api', p));
    });
  });
});
