import type { PartnerProgramEvidence, ProgramSignal } from '../../partner-center';
import { classifyPartner, describeEvidence, directCspTestResult } from './partner-program';

const answered = (count: number): ProgramSignal => ({ outcome: 'answered', count });
const refused = (detail: string): ProgramSignal => ({ outcome: 'refused', status: 403, detail });

// What Partner Center answers a direct-bill partner with one customer subscription billed annually.
function direct(overrides: Partial<PartnerProgramEvidence> = {}): PartnerProgramEvidence {
  return {
    customerList: answered(1),
    invoices: answered(1),
    indirectResellers: { signal: answered(0), partners: [] },
    indirectProviders: { signal: answered(0), partners: [] },
    ownMpnId: '4847383',
    tenantSubscriptions: { signal: answered(2), billingCycles: ['annual', 'monthly'], resellerMpnIds: ['4847383'] },
    ...overrides,
  };
}

describe('telling how Microsoft bills a partner', () => {
  it('confirms Direct CSP when the customer list, invoices and the tenant subscriptions answer and no reseller is supplied', () => {
    expect(classifyPartner(direct()).type).toBe('direct');
    const result = directCspTestResult(direct(), 'Adatum Corporation');
    expect(result.outcome).toBe('confirmed');
    expect(result.reason).toContain('2 subscriptions of Adatum Corporation');
    expect(result.reason).toContain('billed annual, monthly');
  });

  it('counts a partner with no invoice yet as billed by Microsoft: Partner Center answered', () => {
    expect(directCspTestResult(direct({ invoices: answered(0) }), 'Adatum').outcome).toBe('confirmed');
  });

  it('reports an indirect reseller by its providers, even though Partner Center refuses it everything else', () => {
    const evidence = direct({
      customerList: refused('Partner Center refused to list your customers (403, code 2032).'),
      invoices: refused('Partner Center refused to list your invoices (403).'),
      indirectResellers: { signal: refused('refused'), partners: [] },
      indirectProviders: { signal: answered(1), partners: [{ tenantId: 't', name: 'Tailspin Distribution', mpnId: '1' }] },
      tenantSubscriptions: { signal: refused('refused'), billingCycles: [], resellerMpnIds: [] },
    });
    const result = directCspTestResult(evidence, 'Wingtip Toys');
    expect(result.outcome).toBe('indirect_reseller');
    expect(result.reason).toContain('Tailspin Distribution');
  });

  it('reports an indirect provider that supplies resellers', () => {
    const evidence = direct({
      indirectResellers: { signal: answered(1), partners: [{ tenantId: 'f', name: 'Fabrikam Reseller', mpnId: '2' }] },
    });
    expect(directCspTestResult(evidence, 'Wingtip Toys')).toMatchObject({
      outcome: 'indirect_provider',
      reason: expect.stringContaining('Fabrikam Reseller'),
    });
  });

  it("reports an indirect provider when the tenant's subscriptions name another reseller of record", () => {
    const evidence = direct({ tenantSubscriptions: { signal: answered(1), billingCycles: ['annual'], resellerMpnIds: ['9999999'] } });
    expect(directCspTestResult(evidence, 'Wingtip Toys')).toMatchObject({
      outcome: 'indirect_provider',
      reason: expect.stringContaining('9999999'),
    });
  });

  it('fails with Partner Center’s reason when the tenant subscriptions are refused, without calling the partner direct', () => {
    const evidence = direct({
      tenantSubscriptions: {
        signal: refused('Partner Center says your organization has no reseller relationship with this customer.'),
        billingCycles: [],
        resellerMpnIds: [],
      },
    });
    expect(directCspTestResult(evidence, 'Adatum')).toEqual({
      outcome: 'failed',
      reason: 'Partner Center says your organization has no reseller relationship with this customer.',
    });
  });

  it('fails, saying which read did not answer, when Partner Center is unavailable', () => {
    const evidence = direct({
      invoices: { outcome: 'failed', detail: 'Partner Center did not answer as expected (HTTP 500 after 3 attempts).' },
    });
    expect(classifyPartner(evidence)).toEqual({
      type: null,
      detail: 'Partner Center did not answer as expected (HTTP 500 after 3 attempts).',
    });
    expect(directCspTestResult(evidence, 'Adatum')).toMatchObject({ outcome: 'failed', reason: expect.stringContaining('HTTP 500') });
  });

  it('describes every read in a line, including refusals', () => {
    const lines = describeEvidence(direct({ invoices: refused('Partner Center refused to list your invoices (403).') }), 'Adatum');
    expect(lines).toEqual([
      'Customer list: Partner Center answered',
      'Invoices: refused — Partner Center refused to list your invoices (403).',
      'Indirect resellers you supply: none',
      'Indirect providers you buy through: none',
      'Subscriptions of Adatum: 2 read, billed annual, monthly, reseller of record MPN ID 4847383',
    ]);
  });
});
