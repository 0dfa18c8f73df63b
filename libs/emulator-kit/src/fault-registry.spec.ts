import { FaultRegistry, type FaultRule } from './fault-registry';

interface TestRule extends FaultRule<'status' | 'latency' | 'reset'> {
  tenant?: string;
}

const registry = (alsoMatches?: (rule: TestRule, tenant: string | undefined) => boolean) =>
  new FaultRegistry<TestRule, string | undefined>({
    kinds: ['status', 'latency', 'reset'],
    pathExample: '/v1/things',
    stringFields: ['tenant'],
    alsoMatches,
  });

describe('FaultRegistry (emulator kit)', () => {
  it('matches method and path glob (* one segment, ** any, case-insensitive) and counts a rule down until it is used up', () => {
    const faults = registry();
    const added = faults.add({ method: 'get', path: '/v1/customers/*/skus', status: 503, count: 2 });
    expect(added).toEqual({
      ok: true,
      rule: expect.objectContaining({ method: 'GET', kind: 'status', status: 503, remaining: 2, hits: 0 }),
    });
    expect(faults.take('POST', '/v1/customers/a/skus')).toBeUndefined();
    expect(faults.take('GET', '/v1/customers/a/b/skus')).toBeUndefined();
    expect(faults.take('GET', '/V1/Customers/a/SKUS')).toEqual(expect.objectContaining({ hits: 1, remaining: 1 }));
    expect(faults.take('GET', '/v1/customers/b/skus')).toEqual(expect.objectContaining({ hits: 2, remaining: 0 }));
    expect(faults.take('GET', '/v1/customers/c/skus')).toBeUndefined();
    expect(faults.list()).toEqual([]);

    faults.add({ path: '/v1/**', kind: 'reset' });
    expect(faults.take('DELETE', '/v1/a/b/c')).toEqual(expect.objectContaining({ method: '*', kind: 'reset', hits: 1 }));
    expect(faults.list()).toHaveLength(1);
  });

  it('asks the emulator’s own matcher after method and path, and keeps its string fields', () => {
    const faults = registry((rule, tenant) => !rule.tenant || rule.tenant === tenant);
    faults.add({ path: '/v1/**', status: 500, tenant: 'contoso' });
    expect(faults.take('GET', '/v1/x', 'fabrikam')).toBeUndefined();
    expect(faults.take('GET', '/v1/x', 'contoso')).toEqual(expect.objectContaining({ tenant: 'contoso', status: 500 }));
  });

  it('refuses what is not a rule, saying every problem, and throws for the in-process API', () => {
    const faults = registry();
    expect(faults.add([])).toEqual({ ok: false, errors: ['A fault must be a JSON object.'] });
    const refused = faults.add({ path: 'no-slash', status: 200, count: 0, tenant: 3, colour: 'red' });
    expect(refused.ok).toBe(false);
    expect(refused.ok ? [] : refused.errors).toEqual([
      'Unknown field "colour".',
      '"path" must be a glob starting with "/", e.g. "/v1/things".',
      '"tenant" must be a string.',
      '"status" must be an HTTP error status (400-599).',
      '"count" must be a positive integer.',
    ]);
    const noKind = faults.add({ path: '/v1' });
    expect(noKind.ok ? [] : noKind.errors).toEqual(['"kind" must be one of status, latency, reset (or give "status" or "latencyMs").']);
    expect(() => faults.addOrThrow({ path: '/v1', kind: 'malformed' })).toThrow(
      'Invalid fault: "kind" must be one of status, latency, reset',
    );
    expect(faults.list()).toEqual([]);
  });

  it('removes one rule by id, or all', () => {
    const faults = registry();
    const first = faults.addOrThrow({ path: '/a', latencyMs: 10 });
    faults.addOrThrow({ path: '/b', latencyMs: 10 });
    expect(first.kind).toBe('latency');
    expect(faults.remove(first.id)).toBe(true);
    expect(faults.remove(first.id)).toBe(false);
    expect(faults.list().map((rule) => rule.path)).toEqual(['/b']);
    faults.clear();
    expect(faults.list()).toEqual([]);
  });
});
