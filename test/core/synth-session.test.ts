import { ApiObject, App, Chart, DependencyGraph, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  BatchJob, DaemonService, HealthCheck, PeriodicJob, SingletonLocking, SingletonService, StatelessService,
} from '../../src';
import { addSynthValidation, renderForChecks, sessionMemo, withSynthSession } from '../../src/core/synth-session';
import { IMAGE } from '../helpers/errors';
import { CALLERS } from '../helpers/network';
import { rendersDuring } from '../helpers/synth';
import { tempDir } from '../helpers/tmp';

/** One workload of every kind the library has, in `scope`. */
function everyKind(scope: Construct, i: number): void {
  new StatelessService(scope, `web${i}`, { image: IMAGE, port: 8080, replicas: 3, health: HealthCheck.http('/healthz'), network: CALLERS });
  new BatchJob(scope, `batch${i}`, { image: IMAGE });
  new PeriodicJob(scope, `nightly${i}`, { image: IMAGE, schedule: '0 2 * * *' });
  new DaemonService(scope, `agent${i}`, { image: IMAGE, port: 9100 });
  new SingletonService(scope, `lock${i}`, { image: IMAGE, port: 8080, locking: SingletonLocking.outOfApplication(), network: CALLERS });
  new SingletonService(scope, `leader${i}`, { image: IMAGE, port: 8080, locking: SingletonLocking.inApplication(), network: CALLERS });
}

/** An app with `charts` charts, each holding one workload of every kind. */
function appWith(charts: number, outdir?: string): App {
  const app = new App({ outdir: outdir ?? tempDir() });
  for (let c = 0; c < charts; c++) everyKind(new Chart(app, `chart${c}`), c);
  return app;
}

describe('synth session: renders per synth do not grow with the number of charts', () => {
  test.each([
    ['app.synth()', (app: App) => app.synth()],
    ['app.synthYaml()', (app: App) => app.synthYaml()],
  ])('%s renders each object exactly once, with 1, 4 or 12 charts', (_name, run) => {
    for (const charts of [1, 4, 12]) {
      // GIVEN an app with one workload of every kind per chart
      const app = appWith(charts);
      const objects = app.node.findAll().filter((c) => ApiObject.isApiObject(c)).length;
      // WHEN it is synthesised the stock way
      const counts = rendersDuring(() => run(app));
      // THEN every object was rendered once: the checks' render is the one written
      expect(counts.size).toBe(objects);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
    }
  });

  test('chart.toJson() (as Testing.synth uses it) renders each object of the chart once', () => {
    const chart = new Chart(Testing.app(), 'c');
    everyKind(chart, 0);
    const counts = rendersDuring(() => Testing.synth(chart));
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  test('each check runs once per synth, however many charts', () => {
    // GIVEN a counting validation on a construct of the first of 10 charts
    const app = appWith(10);
    let runs = 0;
    addSynthValidation(app.node.findChild('chart0'), () => { runs++; return []; });
    // WHEN synthesised (stock cdk8s validates the app 11 times here)
    app.synthYaml();
    // THEN the check ran once, and once more for the next synth
    expect(runs).toBe(1);
    app.synthYaml();
    expect(runs).toBe(2);
  });
});

describe('synth session: never stale', () => {
  test('a change between two synths of the same app is checked by the second', () => {
    // GIVEN an app that synthesised cleanly
    const app = new App({ outdir: tempDir() });
    const svc = new StatelessService(new Chart(app, 'shop'), 'api', { image: IMAGE, port: 8080, network: CALLERS });
    app.synthYaml();
    // WHEN a privileged container is added through the raw kplus API, in the same tick
    svc.deployment.addContainer({ name: 'debug', image: IMAGE, securityContext: { privileged: true, ensureNonRoot: false } });
    // THEN the next synth reports it
    expect(() => app.synthYaml()).toThrow(/containers\["debug"\]\.securityContext\.privileged \(true\) must not be true/);
  });

  test('a change between two synths shows in the second output', () => {
    const app = new App({ outdir: tempDir() });
    const svc = new StatelessService(new Chart(app, 'shop'), 'api', { image: IMAGE, port: 8080, network: CALLERS });
    expect(app.synthYaml()).not.toContain('LOG_LEVEL');
    svc.deployment.containers[0].env.addVariable('LOG_LEVEL', kplus.EnvValue.fromValue('debug'));
    expect(app.synthYaml()).toContain('LOG_LEVEL');
  });

  test('outside a synth, validations and renders run every time', () => {
    const chart = new Chart(Testing.app(), 'c');
    const svc = new StatelessService(chart, 'api', { image: IMAGE, port: 8080, network: CALLERS });
    let runs = 0;
    addSynthValidation(svc, () => { runs++; return []; });
    svc.node.validate();
    svc.node.validate();
    expect(runs).toBe(2);
    const counts = rendersDuring(() => {
      renderForChecks(ApiObject.of(svc.deployment));
      renderForChecks(ApiObject.of(svc.deployment));
    });
    expect(counts.get(ApiObject.of(svc.deployment).node.path)).toBe(2);
  });

  test('a render made for a check is taken once; a second toJson in the same session renders again', () => {
    const chart = new Chart(Testing.app(), 'c');
    const svc = new StatelessService(chart, 'api', { image: IMAGE, port: 8080, network: CALLERS });
    const deployment = ApiObject.of(svc.deployment);
    const counts = rendersDuring(() => withSynthSession(() => {
      const forCheck = renderForChecks(deployment);
      expect(renderForChecks(deployment)).toBe(forCheck); // memoised within the session
      expect(deployment.toJson()).toBe(forCheck); // handed to the synthesis
      expect(deployment.toJson()).toEqual(forCheck); // then rendered anew
    }));
    expect(counts.get(deployment.node.path)).toBe(2);
  });

  test('a session ends when synth throws: the next synth checks again', () => {
    const app = new App({ outdir: tempDir() });
    new StatelessService(new Chart(app, 'a'), 'api', { image: IMAGE, port: 8080, network: CALLERS });
    new StatelessService(new Chart(app, 'b'), 'api', { image: IMAGE, port: 8080, network: CALLERS });
    expect(() => app.synth()).toThrow(/must be unique per kind and namespace/);
    expect(() => app.synth()).toThrow(/must be unique per kind and namespace/);
  });

  test('the YAML is what fresh renders outside any session give, and deterministic', () => {
    // GIVEN an app of three charts, synthesised with the checks' renders handed to the output
    const app = appWith(3);
    const yaml = app.synthYaml();
    // WHEN every object is rendered afresh, outside any session, in the order cdk8s writes them
    const fresh = app.charts.flatMap((c) => new DependencyGraph(c.node).topology()
      .filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === c)
      .map((o) => Object.getPrototypeOf(o).toJson.call(o)));
    // THEN the YAML is the same, byte for byte, and so is that of a second app built the same way
    expect(yaml).toBe(Yaml.stringify(...fresh));
    expect(appWith(3).synthYaml()).toBe(yaml);
  });
});

describe('sessionMemo: what checks derive from the whole app, once per synth', () => {
  test('computed once within a session, per owner and key; again in the next session and outside one', () => {
    const owner = {};
    let calls = 0;
    const compute = () => ++calls;
    withSynthSession(() => {
      expect(sessionMemo(owner, 'pods', compute)).toBe(1);
      expect(sessionMemo(owner, 'pods', compute)).toBe(1);
      expect(sessionMemo(owner, 'other', compute)).toBe(2);
      expect(sessionMemo({}, 'pods', compute)).toBe(3);
    });
    withSynthSession(() => expect(sessionMemo(owner, 'pods', compute)).toBe(4));
    expect(sessionMemo(owner, 'pods', compute)).toBe(5);
    expect(sessionMemo(owner, 'pods', compute)).toBe(6);
  });

  test('the peer check of N workloads with pod peers renders each object of the app once per synth', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    const n = 12;
    const services = Array.from({ length: n }, (_, i) => new StatelessService(chart, `svc${i}`, { image: IMAGE, port: 8080, network: CALLERS }));
    services.forEach((s, i) => services[(i + 1) % n].connectsTo(s));
    const walks = jest.spyOn(app.node, 'findAll');
    const renders = rendersDuring(() => app.synthYaml());
    expect(Math.max(...renders.values())).toBe(1);
    // the whole app is walked a fixed number of times per synth (cdk8s, the app checks, the peers'), not once per workload
    expect(walks.mock.calls.length).toBeLessThan(n);
  });
});
