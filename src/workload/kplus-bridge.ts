import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/**
 * The one place where this library hands cdk8s-plus-28 values it has no factory for: a volume of
 * any type (downwardAPI and projected have none) and an environment variable or envFrom source with
 * every field (`optional`, `divisor`, label field paths). The values are typed as the generated L1
 * types, which is what cdk8s-plus-28 renders them into; `test/workload/kplus-bridge.test.ts` proves
 * they come out unchanged, so an upgrade of cdk8s-plus-28 that changes its internals fails there.
 * @internal
 */
export function kplusVolume(scope: Construct, id: string, volume: kplus.k8s.Volume): kplus.Volume {
  const { name, ...config } = volume;
  // kplus.Volume's constructor is private in its typings only: (scope, id, name, config).
  return Reflect.construct(kplus.Volume, [scope, id, name, config]) as kplus.Volume;
}

/** An environment variable value, rendered as `{ value, valueFrom }`. @internal */
export function kplusEnvValue(v: kplus.k8s.EnvVar): kplus.EnvValue {
  // kplus.EnvValue's constructor is private in its typings only: (value, valueFrom).
  return Reflect.construct(kplus.EnvValue, [v.value, v.valueFrom]) as kplus.EnvValue;
}

/** An envFrom source rendered exactly as given (kplus.EnvFrom drops `optional`). @internal */
export class KplusEnvFrom extends kplus.EnvFrom {
  constructor(private readonly source: kplus.k8s.EnvFromSource) {
    super();
  }

  /** @internal */
  public _toKube(): kplus.k8s.EnvFromSource {
    return this.source;
  }
}
