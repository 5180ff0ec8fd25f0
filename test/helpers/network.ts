import { NetworkOptions, NetworkPeer } from '../../src';

/**
 * Callers for the workloads of tests that are not about networking: every Service sends traffic
 * to a port, and a NetworkPolicy that admits nobody to it is a synth error.
 */
export const CALLERS: NetworkOptions = { allowFrom: [{ peer: NetworkPeer.namespace('clients') }] };
