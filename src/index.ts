// core
export * from './core/labels';
export * from './core/hardening';
// foundational
export * from './foundational/demands';
export * from './foundational/health-check';
export * from './foundational/lifecycle';
export * from './foundational/deployment-strategy';
export * from './foundational/disruption-budget';
// behavioral
export * from './behavioral/stateless-service';
