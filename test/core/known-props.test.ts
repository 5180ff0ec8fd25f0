import { execFileSync } from 'child_process';
import * as path from 'path';
import { KNOWN_PROPS } from '../../src/core/known-props';

describe('KNOWN_PROPS: the prop names of the exported interfaces', () => {
  test('lists inherited props too, without internal ones', () => {
    expect(KNOWN_PROPS.StatelessServiceProps).toEqual(expect.arrayContaining(['image', 'port', 'replicas', 'network', 'apiAccess', 'waivers', 'env']));
    expect(KNOWN_PROPS.NetworkRule).toEqual(['peer', 'ports', 'protocol']);
    for (const names of Object.values(KNOWN_PROPS)) for (const n of names) expect(n.startsWith('_')).toBe(false);
  });

  test('is up to date with src/index.ts (scripts/gen-known-props.mjs --check)', () => {
    const out = execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'gen-known-props.mjs'), '--check'], { encoding: 'utf8' });
    expect(out).toContain('up to date');
  }, 60_000);
});
