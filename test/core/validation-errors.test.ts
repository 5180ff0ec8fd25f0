import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Adapter, Ambassador, BatchJob, HealthCheck, NetworkPeer, PatternApp, PodVolume, Role, StatelessService, StatelessServiceProps, ValidationErrors,
} from '../../src';
import { IMAGE } from '../helpers/errors';
import { CALLERS } from '../helpers/network';

/** The error `fn` throws. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('ValidationErrors: the structured problems of the library\'s one error type', () => {
  test('a constructor records its problems and builds nothing; synth throws them, each with path, prop, value and rule', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    const api = new StatelessService(chart, 'api', { image: 'ghcr.io/acme/api:latest', replicas: -1 });
    // nothing of it is in the tree, so nothing of it is checked or written
    expect(chart.node.tryFindChild('api')).toBeUndefined();
    expect(api.node.path).toBe('shop/api');
    const e = thrown(() => app.synthYaml());
    expect(ValidationErrors.isValidationError(e)).toBe(true);
    const problems = ValidationErrors.problemsOf(e);
    expect(problems.map((p) => p.prop)).toEqual(['image', 'replicas']);
    for (const p of problems) expect(p.path).toBe('shop/api');
  });

  test('one error for the whole app: every bad construct, every bad call and the synth-time checks, in the order found', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'one-error-'));
    const app = new PatternApp({ outdir: dir });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const api = new StatelessService(chart, 'api', { image: IMAGE, port: 8080, replicas: -1 });
    new BatchJob(chart, 'migrate', { image: IMAGE, backoffLimit: 1.5 });
    const web = new StatelessService(chart, 'web', { image: IMAGE, port: 3000 }); // no callers admitted: a synth-time problem
    web.addContainer({ name: 'Proxy', image: IMAGE });
    web.connectsTo(api); // api was not built: nothing to connect, nothing more to report
    new Role(chart, 'reader', { rules: [] });
    const e: any = thrown(() => app.synth());
    expect(ValidationErrors.problemsOf(e).map((p) => `${p.path} ${p.prop}`)).toEqual([
      'shop/api replicas',
      'shop/migrate backoffLimit',
      'shop/web addContainer("Proxy").name',
      'shop/reader rules',
      'shop/web network.allowFrom',
    ]);
    expect(e.message).toMatch(/^cdk8s-patterns: 5 invalid values:\n/);
    expect(fs.readdirSync(dir)).toEqual([]); // nothing written
  });

  test('a construct that was not built cannot be used: reading it throws every problem so far, and says why', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    new BatchJob(chart, 'first', { image: IMAGE, parallelism: -2 });
    const api: any = new StatelessService(chart, 'api', { image: IMAGE, port: 8080, replicas: 1.5 });
    const e = thrown(() => api.deployment);
    expect(ValidationErrors.problemsOf(e).map((p) => `${p.path} ${p.prop} (${p.value}) ${p.rule}`)).toEqual([
      'shop/first parallelism (-2) must be >= 1 (and at most 2147483647)',
      'shop/api replicas (1.5) must be an integer',
      'shop/api deployment (read) cannot be used: the construct was not built, because of the problems above',
    ]);
  });

  test('a construct that uses one that was not built is not built either: its own problems and its path are listed, once', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    const api = new StatelessService(chart, 'api', { image: IMAGE, port: 8080, network: CALLERS, replicas: -1 });
    // GIVEN two constructs that use it, one with a problem of its own found before it read the workload
    new Adapter(chart, 'metrics', { workload: api, container: { name: 'exporter', image: IMAGE, port: 9100 }, metricsPath: 'metrics' });
    new Ambassador(chart, 'proxy', { workload: api, container: { name: 'proxy', image: IMAGE, port: 9000, health: HealthCheck.none() } });
    const lines = ValidationErrors.problemsOf(thrown(() => app.synthYaml())).map((p) => `${p.path} ${p.prop} (${p.value}) ${p.rule}`);
    expect(lines).toEqual([
      'shop/api replicas (-1) must be >= 0 (and at most 2147483647)',
      'shop/metrics metricsPath ("metrics") must start with "/"',
      'shop/metrics props ("shop/api") name a construct that was not built (its problems are listed), so this one is not built either',
      'shop/proxy props ("shop/api") name a construct that was not built (its problems are listed), so this one is not built either',
    ]);
    expect(chart.node.tryFindChild('metrics')).toBeUndefined();
  });

  test('a subclass of a construct that was not built goes on: its methods that only add do nothing, and every later problem is listed', () => {
    class TeamService extends StatelessService {
      constructor(scope: Construct, id: string, props: StatelessServiceProps) {
        super(scope, id, props);
        this.addPodAnnotations({ 'acme.io/team': 'shop' });
      }
    }
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    new TeamService(chart, 'api', { image: IMAGE, port: 8080, network: CALLERS, replicas: -1 });
    new BatchJob(chart, 'migrate', { image: IMAGE, backoffLimit: -1 });
    expect(ValidationErrors.problemsOf(thrown(() => app.synthYaml())).map((p) => `${p.path} ${p.prop}`)).toEqual(['shop/api replicas', 'shop/migrate backoffLimit']);
  });

  test('the same problem twice (two identical bad calls) is listed once; two long values that differ only after the cut are two', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    const api = new StatelessService(chart, 'api', { image: IMAGE, port: 8080, network: CALLERS });
    api.addPodAnnotations({});
    api.addPodAnnotations({});
    const long = 'a'.repeat(130);
    new StatelessService(chart, 'web', { image: IMAGE, port: 8081, network: CALLERS, annotations: { [`${long}-one!`]: 'v', [`${long}-two!`]: 'v' } });
    const problems = ValidationErrors.problemsOf(thrown(() => app.synthYaml()));
    expect(problems.filter((p) => p.path === 'shop/api')).toHaveLength(1);
    expect(problems.filter((p) => p.path === 'shop/web' && p.prop === 'annotations key')).toHaveLength(2);
  });

  test('a method called with a bad argument changes nothing and defers its problems; one that returns a value throws them all', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    const api = new StatelessService(chart, 'api', { image: IMAGE, port: 8080, network: CALLERS });
    api.addVolume(PodVolume.emptyDir('Cache'));
    expect(api.volumeNames).toEqual(['tmp']);
    const e = thrown(() => api.exposePort(70000, 'metrics'));
    expect(ValidationErrors.problemsOf(e).map((p) => p.prop)).toEqual(['addVolume("Cache").name', 'exposePort("metrics").containerPort']);
  });

  test('a synth-time failure is the same error type, in the same format, listing every construct\'s problems', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    new StatelessService(chart, 'api', { image: IMAGE, port: 8080 });
    new StatelessService(chart, 'web', { image: IMAGE, port: 3000, network: { allowFrom: [{ peer: NetworkPeer.pods({ tier: 'edge' }) }] } });
    const e: any = thrown(() => app.synthYaml());
    expect(ValidationErrors.isValidationError(e)).toBe(true);
    expect(e.message).toMatch(/^cdk8s-patterns: 2 invalid values:\n {2}- shop\/api: network\.allowFrom \(8080\) must admit the callers of port 8080/);
    expect(e.message).toContain('\n  - shop/web: network.allowFrom[0].peer ({"tier":"edge"}) selects no pod of the app');
    expect(ValidationErrors.problemsOf(e).map((p) => `${p.path} ${p.prop}`)).toEqual(['shop/api network.allowFrom', 'shop/web network.allowFrom[0].peer']);
  });

  test('a validation the library did not add is kept, without a prop', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    new StatelessService(chart, 'api', { image: IMAGE, port: 8080 });
    chart.node.addValidation({ validate: () => ['the team\'s own rule failed'] });
    const problems = ValidationErrors.problemsOf(thrown(() => app.synthYaml()));
    expect(problems).toContainEqual({ path: 'shop', prop: '', value: '', rule: 'the team\'s own rule failed' });
    expect(problems).toHaveLength(2);
  });

  test('other errors are not the library\'s', () => {
    expect(ValidationErrors.isValidationError(new TypeError('x'))).toBe(false);
    expect(ValidationErrors.problemsOf(new Error('x'))).toEqual([]);
    expect(ValidationErrors.problemsOf(undefined)).toEqual([]);
  });
});
