import { Chart, Testing } from 'cdk8s';
import { NetworkPeer, StatelessService, ValidationErrors } from '../../src';
import { IMAGE } from '../helpers/errors';

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
  test('a constructor\'s error lists every problem with path, prop, value and rule', () => {
    const e = thrown(() => new StatelessService(new Chart(Testing.app(), 'shop'), 'api', { image: 'ghcr.io/acme/api:latest', replicas: -1 }));
    expect(ValidationErrors.isValidationError(e)).toBe(true);
    const problems = ValidationErrors.problemsOf(e);
    expect(problems.map((p) => p.prop)).toEqual(expect.arrayContaining(['image', 'replicas']));
    for (const p of problems) expect(p.path).toBe('shop/api');
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
