import { SchemaField, SchemaFieldType } from '../../src';
import { Problems } from '../../src/core/validation';

function render(f: SchemaField): { schema: unknown; problems: string[] } {
  const problems = new Problems('crd');
  return { schema: f._render(problems, 'field'), problems: problems.messages() };
}

describe('SchemaField: structural by construction', () => {
  test('every kind of field, as apiextensions.k8s.io/v1 spells it', () => {
    expect(render(SchemaField.number({ minimum: 0.5, description: 'ratio' })).schema).toEqual({ type: 'number', minimum: 0.5, description: 'ratio' });
    expect(render(SchemaField.boolean({ default: true })).schema).toEqual({ type: 'boolean', default: true });
    expect(render(SchemaField.intOrString()).schema).toEqual({ 'x-kubernetes-int-or-string': true });
    expect(render(SchemaField.freeForm()).schema).toEqual({ 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true });
    expect(render(SchemaField.map(SchemaField.integer())).schema).toEqual({ type: 'object', additionalProperties: { type: 'integer' } });
    expect(SchemaField.array(SchemaField.string()).type).toBe(SchemaFieldType.ARRAY);
  });

  test('options that the API server would refuse, or that contradict each other', () => {
    expect(render(SchemaField.string({ default: 'x', enum: ['a', 'b'] })).problems).toEqual([
      'field.default ("x") must be a valid value of the field: it must be one of a, b',
    ]);
    expect(render(SchemaField.string({ enum: ['a', 'a'] })).problems).toEqual(['field.enum (["a","a"]) must not list a value twice']);
    expect(render(SchemaField.number({ minimum: Infinity })).problems).toEqual(['field.minimum (Infinity) must be a finite number']);
    expect(render(SchemaField.integer({ default: 20, maximum: 10 })).problems).toEqual(['field.default (20) must be within minimum and maximum']);
    expect(render(SchemaField.boolean({ default: 'yes' as any })).problems).toEqual(['field.default ("yes") must be true or false']);
    expect(render(SchemaField.object(null as any)).problems).toEqual(['field (null) must be the fields of the object: { name: SchemaField }']);
    expect(render(SchemaField.string({ description: 5 as any })).problems).toEqual(['field.description (5) must be a string']);
  });
});

describe('SchemaField._check: a value against the field, as the API server checks it', () => {
  const check = (f: SchemaField, v: unknown) => f._check(v, 'spec').map((p) => `${p.path}: ${p.rule}`);

  test('types, and the fields a structural schema would drop', () => {
    const f = SchemaField.object({
      name: SchemaField.string(), size: SchemaField.integer(), on: SchemaField.boolean(), tags: SchemaField.array(SchemaField.string()),
    });
    expect(check(f, { name: 'a', size: 2, on: false, tags: ['x'] })).toEqual([]);
    expect(check(f, { name: 1, size: 2.5, on: 'no', tags: 'x', more: 1 })).toEqual([
      'spec.name: must be a string', 'spec.size: must be a whole number', 'spec.on: must be true or false', 'spec.tags: must be a list',
      'spec.more: is not a field of the schema (the API server would drop it; it has: name, size, on, tags)',
    ]);
    expect(check(f, [])).toEqual(['spec: must be an object']);
    expect(check(SchemaField.number(), NaN)).toEqual(['spec: must be a number']);
    expect(check(SchemaField.array(SchemaField.string(), { minItems: 1, maxItems: 1 }), [])).toEqual(['spec: must have at least 1 items']);
    expect(check(SchemaField.string({ minLength: 2, maxLength: 3 }), 'abcd')).toEqual(['spec: must have at most 3 characters']);
    expect(check(SchemaField.freeForm(), { anything: { at: ['all'] } })).toEqual([]);
  });
});
