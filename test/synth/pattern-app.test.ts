/* eslint-disable @typescript-eslint/no-require-imports */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, AppProps, Chart, Lazy, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { HealthCheck, PatternApp, StatelessService } from '../../src';
import { IMAGE } from '../helpers/errors';
import { CALLERS } from '../helpers/network';
import { rendersDuring } from '../helpers/synth';
import { tempDir } from '../helpers/tmp';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const examples = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort();

function tmp(): string {
  return tempDir('pattern-app-');
}

/** Every file under `dir` (relative path -> content), sorted. */
function filesOf(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.set(path.relative(dir, full), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/** The objects of a YAML stream, as a YAML 1.1 reader (kubectl, cdk8s) and a YAML 1.2 reader read them. */
function parsed(text: string): unknown[] {
  const v11 = parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS());
  const v12 = parseAllDocuments(text, { version: '1.2' }).map((d) => d.toJS());
  expect(v12).toEqual(v11);
  return v11;
}

/** Runs an example app, its `App` either stock or synthesising as a `PatternApp`; returns its output folder. */
function runExample(file: string, fast: boolean): string {
  const outdir = tmp();
  const before = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = outdir;
  try {
    jest.isolateModules(() => {
      // The example's own `new App()` becomes a PatternApp when it synthesises (same modules as the example's).
      const cdk8s = require('cdk8s');
      const lib = require('../../src');
      if (fast) {
        Object.defineProperty(cdk8s.App.prototype, 'synth', {
          configurable: true,
          writable: true,
          value: function (this: App) {
            Object.setPrototypeOf(this, lib.PatternApp.prototype);
            this.synth();
          },
        });
      }
      require(path.join(EXAMPLES, file));
    });
  } finally {
    if (before === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = before;
  }
  return outdir;
}

/** Expects the two folders to hold the same files, each parsing to the same objects in the same order. */
function expectSameObjects(stockDir: string, fastDir: string): void {
  const stock = filesOf(stockDir);
  const fast = filesOf(fastDir);
  expect([...fast.keys()]).toEqual([...stock.keys()]);
  for (const [file, text] of stock) {
    if (file.endsWith('.json')) expect(JSON.parse(fast.get(file)!)).toEqual(JSON.parse(text));
    else expect([file, parsed(fast.get(file)!)]).toEqual([file, parsed(text)]);
  }
}

/** A small app of two charts, built the same way into any App. */
function shop(app: App): App {
  const web = new Chart(app, 'web', { namespace: 'shop' });
  const data = new Chart(app, 'data', { namespace: 'shop' });
  new StatelessService(web, 'frontend', { image: IMAGE, port: 8080, replicas: 3, health: HealthCheck.http('/healthz'), network: CALLERS });
  new StatelessService(web, 'api', { image: IMAGE, port: 8080, network: CALLERS });
  new StatelessService(data, 'reports', { image: IMAGE });
  return app;
}

describe('PatternApp writes what stock cdk8s writes', () => {
  test.each(examples)('example %s: the same files, parsing to the same objects in the same order', (file) => {
    const stock = runExample(file, false);
    const fast = runExample(file, true);
    expect(filesOf(fast).size).toBeGreaterThan(0);
    expectSameObjects(stock, fast);
  });

  test.each([
    ['FILE_PER_CHART', YamlOutputType.FILE_PER_CHART],
    ['FILE_PER_APP', YamlOutputType.FILE_PER_APP],
    ['FILE_PER_RESOURCE', YamlOutputType.FILE_PER_RESOURCE],
    ['FOLDER_PER_CHART_FILE_PER_RESOURCE', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE],
  ])('yamlOutputType %s, with construct metadata', (_name, yamlOutputType) => {
    const props = (outdir: string): AppProps => ({ outdir, yamlOutputType, recordConstructMetadata: true, outputFileExtension: '.yml' });
    const stockDir = tmp();
    const fastDir = tmp();
    shop(new App(props(stockDir))).synth();
    shop(new PatternApp(props(fastDir))).synth();
    expect(filesOf(fastDir).has('construct-metadata.json')).toBe(true);
    expectSameObjects(stockDir, fastDir);
  });

  test('synthYaml() parses to what stock synthYaml() gives, and is byte-identical here', () => {
    const stock = shop(new App({ outdir: tmp() })).synthYaml();
    const fast = shop(new PatternApp({ outdir: tmp() })).synthYaml();
    expect(parsed(fast)).toEqual(parsed(stock));
    expect(fast).toBe(stock);
  });

  test('charts that depend on each other: indexed file names and dependency order, as stock', () => {
    const build = (app: App) => {
      const outer = new Chart(app, 'outer');
      const inner = new Chart(outer, 'inner');
      const late = new Chart(app, 'late');
      const early = new Chart(app, 'early');
      const a = new StatelessService(late, 'a', { image: IMAGE, port: 8080, network: CALLERS });
      const b = new StatelessService(early, 'b', { image: IMAGE, port: 8080, network: CALLERS });
      new StatelessService(inner, 'c', { image: IMAGE, port: 8080, network: CALLERS });
      new StatelessService(outer, 'd', { image: IMAGE, port: 8080, network: CALLERS });
      a.node.addDependency(b); // late's objects after early's
      return app;
    };
    const stockDir = tmp();
    const fastDir = tmp();
    build(new App({ outdir: stockDir })).synth();
    build(new PatternApp({ outdir: fastDir })).synth();
    expect([...filesOf(fastDir).keys()].every((f) => /^\d{4}-/.test(f))).toBe(true);
    expectSameObjects(stockDir, fastDir);
  });

  test('charts with numeric ids come first, in numeric order, as stock writes them', () => {
    const build = (app: App) => {
      for (const id of ['b', '10', 'a', '2', '02']) new StatelessService(new Chart(app, id), `s${id}`, { image: IMAGE, port: 8080, network: CALLERS });
      return app;
    };
    const stock = build(new App({ outdir: tmp() })).synthYaml();
    const fast = build(new PatternApp({ outdir: tmp() })).synthYaml();
    expect(parsed(fast)).toEqual(parsed(stock));
  });

  test('charts under plain constructs, and a chart under a plain construct in another chart: same files and order as stock', () => {
    const build = (app: App) => {
      new StatelessService(new Chart(app, 'first'), 'a', { image: IMAGE, port: 8080, network: CALLERS });
      const outer = new Chart(app, 'outer');
      new StatelessService(outer, 'b', { image: IMAGE, port: 8080, network: CALLERS });
      new StatelessService(new Chart(new Construct(outer, 'group'), 'inner'), 'c', { image: IMAGE, port: 8080, network: CALLERS });
      new StatelessService(outer, 'after', { image: IMAGE, port: 8080, network: CALLERS }); // outer's, though it comes after inner
      new StatelessService(new Chart(new Construct(app, 'team'), 'grouped'), 'd', { image: IMAGE, port: 8080, network: CALLERS });
      new StatelessService(new Chart(app, '3'), 'e', { image: IMAGE, port: 8080, network: CALLERS });
      new StatelessService(new Chart(app, 'last'), 'f', { image: IMAGE, port: 8080, network: CALLERS });
      return app;
    };
    const stockDir = tmp();
    const fastDir = tmp();
    build(new App({ outdir: stockDir })).synth();
    build(new PatternApp({ outdir: fastDir })).synth();
    expectSameObjects(stockDir, fastDir);
    expect(parsed(build(new PatternApp({ outdir: tmp() })).synthYaml())).toEqual(parsed(build(new App({ outdir: tmp() })).synthYaml()));
  });

  test('deterministic: two synths of the same app are byte-identical', () => {
    const one = tmp();
    const two = tmp();
    shop(new PatternApp({ outdir: one })).synth();
    shop(new PatternApp({ outdir: two })).synth();
    expect(filesOf(two)).toEqual(filesOf(one));
  });

  test('an empty chart gets an empty file, as in stock cdk8s', () => {
    const dir = tmp();
    const app = new PatternApp({ outdir: dir });
    new Chart(app, 'empty');
    app.synth();
    expect(filesOf(dir)).toEqual(new Map([['empty.k8s.yaml', '']]));
  });
});

describe('PatternApp: one error, nothing written', () => {
  test('validation problems of every chart in one error, in the stock format, and no file', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'keep.txt'), 'a file of the user');
    const app = new PatternApp({ outdir: dir });
    const a = new StatelessService(new Chart(app, 'a'), 'api', { image: IMAGE, port: 8080, network: CALLERS });
    const b = new StatelessService(new Chart(app, 'b'), 'web', { image: IMAGE, port: 8080, network: CALLERS });
    // Raw kplus additions that break the restricted profile, found at synth time in both charts.
    for (const svc of [a, b]) svc.deployment.addContainer({ name: 'debug', image: IMAGE, securityContext: { privileged: true, ensureNonRoot: false } });
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^cdk8s-patterns: 6 invalid values:\n {2}- a\/api: /);
    expect(message).toContain('  - b/web: deployment.spec.template.spec.containers["debug"].securityContext.privileged (true) must not be true');
    expect([...filesOf(dir).keys()]).toEqual(['keep.txt']);
  });

  test('an object that fails to render: one error naming it, and no file', () => {
    const dir = tmp();
    const app = new PatternApp({ outdir: dir });
    const chart = new Chart(app, 'a');
    new StatelessService(chart, 'api', { image: IMAGE, port: 8080, network: CALLERS });
    new ApiObject(chart, 'broken', { apiVersion: 'v1', kind: 'ConfigMap', data: Lazy.any({ produce: () => { throw new Error('no data'); } }) });
    expect(() => app.synth()).toThrow(/cdk8s-patterns: 1 invalid value:\n {2}- a\/broken: .*no data/);
    expect(filesOf(dir).size).toBe(0);
  });

  test('two objects that stock cdk8s would write to one file: an error instead of an overwrite', () => {
    const app = new PatternApp({ outdir: tmp(), yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
    new StatelessService(new Chart(app, 'a', { namespace: 'team-a' }), 'api', { image: IMAGE });
    new StatelessService(new Chart(app, 'b', { namespace: 'team-b' }), 'api', { image: IMAGE });
    // the ServiceAccount is the first object of each workload
    expect(() => app.synth())
      .toThrow(/b\/api\/ServiceAccount\/Resource: would be written to ServiceAccount\.api\.k8s\.yaml, the file of a\/api\/ServiceAccount\/Resource/);
  });

  test('a yamlOutputType that is not one of cdk8s\'s values', () => {
    const app = new PatternApp({ outdir: tmp(), yamlOutputType: 42 as YamlOutputType });
    new Chart(app, 'a');
    expect(() => app.synth()).toThrow('PatternApp: yamlOutputType (42) must be one of cdk8s\'s YamlOutputType values');
  });
});

describe('PatternApp renders and checks once, however many charts', () => {
  test.each([1, 5, 20])('%d charts: every object rendered once, by synth() and by synthYaml()', (charts) => {
    for (const run of [(app: App) => app.synth(), (app: App) => app.synthYaml()]) {
      const app = new PatternApp({ outdir: tmp() });
      for (let i = 0; i < charts; i++) new StatelessService(new Chart(app, `c${i}`), `s${i}`, { image: IMAGE, port: 8080, replicas: 3, network: CALLERS });
      const counts = rendersDuring(() => run(app));
      // a Deployment, a Service, a PodDisruptionBudget, a ServiceAccount and a NetworkPolicy per chart
      expect(counts.size).toBe(5 * charts);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
    }
  });
});
