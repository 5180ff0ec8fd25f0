import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CALLERS } from './network';
import { appThatDeferred, newChart, synth } from './synth';
import { StatelessService, StatelessServiceProps } from '../../src';
import { PatternValidationError } from '../../src/core/validation';

export const IMAGE = 'ghcr.io/acme/api:1.4.2';

/**
 * Builds a StatelessService `api` in a fresh chart with `props` over a valid baseline (callers
 * admitted to its port: `network: CALLERS`, unless `props` say otherwise).
 */
export function service(props: Partial<StatelessServiceProps>, chart: Chart = newChart('shop')): StatelessService {
  return new StatelessService(chart, 'api', { image: IMAGE, port: 8080, network: CALLERS, ...props } as StatelessServiceProps);
}

/**
 * The error message of building something and synthesising its app, or fails the test if none.
 * The app is that of the construct `build` returns, else the newest app of `newChart` with
 * problems pending (a method such as `addContainer` defers its problems to synth).
 */
export function errorOf(build: () => unknown): string {
  try {
    const { result, app } = appThatDeferred(build);
    // A construct that was built must also pass the synth-time checks.
    if (result instanceof Construct) synth(Chart.of(result));
    if (app) synth(app);
  } catch (e: any) {
    if (!(e instanceof PatternValidationError)) throw new Error(`expected the library's validation error, got ${e?.name ?? typeof e}: ${e?.message ?? e}`);
    return e.message;
  }
  throw new Error('expected an error, but the construct was accepted');
}
