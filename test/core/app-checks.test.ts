import * as fs from 'fs';
import { App, Chart } from 'cdk8s';
import { StatelessService } from '../../src';
import { IMAGE } from '../helpers/errors';
import { CALLERS } from '../helpers/network';
import { synth } from '../helpers/synth';
import { tempDir } from '../helpers/tmp';

describe('app-wide checks', () => {
  test('two objects with the same kind, namespace and name are rejected, naming both paths', () => {
    // GIVEN two charts that both define "api" in the default namespace
    const app = new App({ outdir: tempDir() });
    new StatelessService(new Chart(app, 'a'), 'api', { image: IMAGE, port: 8080, network: CALLERS });
    new StatelessService(new Chart(app, 'b'), 'api', { image: IMAGE, port: 8080, network: CALLERS });
    // THEN synth fails, listing each duplicate kind once
    expect(() => synth(app)).toThrow(/b\/api\/Resource\/Resource: metadata.name \("api"\) must be unique per kind and namespace: Deployment "api" in namespace "default" is also defined at a\/api\/Resource\/Resource/);
    expect(() => synth(app)).toThrow(/Service "api" in namespace "default" is also defined at a\/api\/Service/);
    expect(() => synth(app)).toThrow(/ServiceAccount "api" in namespace "default" is also defined at a\/api\/ServiceAccount/);
    expect(() => synth(app)).toThrow(/NetworkPolicy "api" in namespace "default" is also defined at a\/api\/NetworkPolicy/);
  });

  test('the same name in different namespaces is fine', () => {
    const app = new App({ outdir: tempDir() });
    new StatelessService(new Chart(app, 'a', { namespace: 'team-a' }), 'api', { image: IMAGE, port: 8080, network: CALLERS });
    new StatelessService(new Chart(app, 'b', { namespace: 'team-b' }), 'api', { image: IMAGE, port: 8080, network: CALLERS });
    // a Deployment, a Service, a PodDisruptionBudget, a ServiceAccount and a NetworkPolicy in each
    expect(synth(app)).toHaveLength(10);
  });

  test('a failed synth writes no output at all', () => {
    // GIVEN an app whose second chart is invalid at validation time
    const outdir = tempDir();
    const app = new App({ outdir });
    new StatelessService(new Chart(app, 'a'), 'api', { image: IMAGE, port: 8080, network: CALLERS });
    new StatelessService(new Chart(app, 'b'), 'api', { image: IMAGE, port: 8080, network: CALLERS });
    // WHEN synthesised
    expect(() => app.synth()).toThrow(/must be unique/);
    // THEN not even the valid chart was written
    expect(fs.readdirSync(outdir)).toEqual([]);
  });
});

describe('app-wide checks: namespaces', () => {
  test('an object with no namespace clashes with the same object in "default"', () => {
    const app = new App({ outdir: tempDir() });
    new StatelessService(new Chart(app, 'a'), 'api', { image: IMAGE, port: 8080, network: CALLERS });
    new StatelessService(new Chart(app, 'b', { namespace: 'default' }), 'api', { image: IMAGE, port: 8080, network: CALLERS });
    expect(() => synth(app)).toThrow(/Deployment "api" in namespace "default" is also defined at a\/api/);
  });
});
