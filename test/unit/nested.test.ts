import { describe, expect, it } from 'vitest';
import { inner } from '../../src/domain/nested.js';

describe('inner', () => {
  it('makes a key’s map once and hands the same one back, one per key', () => {
    const outer = new Map<string, Map<string, number>>();
    const a = inner(outer, 'a');
    a.set('x', 1);
    expect(inner(outer, 'a')).toBe(a);
    expect(inner(outer, 'a').get('x')).toBe(1);
    const b = inner(outer, 'b');
    expect(b).not.toBe(a);
    expect(b.size).toBe(0);
    expect([...outer.keys()]).toEqual(['a', 'b']);
  });

  it('nests: three levels find the same leaf again', () => {
    const root = new Map<string, Map<string, Map<string, number>>>();
    inner(inner(root, 'T1'), '2026-11-01').set('Events', 5);
    expect(inner(inner(root, 'T1'), '2026-11-01').get('Events')).toBe(5);
    expect(inner(inner(root, 'T2'), '2026-11-01').get('Events')).toBeUndefined();
  });
});
