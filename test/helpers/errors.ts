import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CALLERS } from './network';
import { newChart, synth } from './synth';
import { StatelessService, StatelessServiceProps } from '../../src';

export const IMAGE = 'ghcr.io/acme/api:1.4.2';

/**
 * Builds a StatelessService `api` in a fresh chart with `props` over a valid baseline (callers
 * admitted to its port: `network: CALLERS`, unless `props` say otherwise).
 */
export function service(props: Partial<StatelessServiceProps>, chart: Chart = newChart('shop')): StatelessService {
  return new StatelessService(chart, 'api', { image: IMAGE, port: 8080, network: CALLERS, ...props } as StatelessServiceProps);
}

/** The error message of building (and synthesising) a service, or fails the test if none. */
export function errorOf(build: () => unknown): string {
  try {
    const r = build();
    // A construct that was built must also pass the synth-time checks.
    if (r instanceof Construct) synth(Chart.of(r));
  } catch (e: any) {
    if (e instanceof TypeError) throw new Error(`expected a validation error, got a TypeError: ${e.message}`);
    return e.message;
  }
  throw new Error('expected an error, but the construct was accepted');
}
