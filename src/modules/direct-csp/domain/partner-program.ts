import type { OtherPartner, PartnerProgramEvidence, PartnerType, ProgramSignal } from '../../../shared/domain/partner-program';

// How Microsoft bills a partner, read from what Partner Center answers (FACTS.md §4): an indirect reseller has
// providers (IsIndirectResellerOf) and no API of its own; an indirect provider supplies resellers
// (IsIndirectCloudSolutionProviderOf) or sells through them (a subscription names another reseller of record);
// a direct-bill partner lists its customers and its invoices and supplies no reseller.
export interface PartnerClassification {
  type: PartnerType | null;
  // One or two plain sentences: why this type, or why none could be told.
  detail: string;
}

export type DirectCspTestOutcome = 'confirmed' | 'indirect_reseller' | 'indirect_provider' | 'failed';

export interface DirectCspTestResult {
  outcome: DirectCspTestOutcome;
  reason: string;
}

export function classifyPartner(evidence: PartnerProgramEvidence): PartnerClassification {
  const providers = partnersOf(evidence.indirectProviders);
  if (providers.length > 0) {
    return {
      type: 'indirect_reseller',
      detail: `Partner Center shows you buy through ${names(providers)} (your indirect provider${providers.length > 1 ? 's' : ''}).`,
    };
  }
  const resellers = partnersOf(evidence.indirectResellers);
  if (resellers.length > 0) {
    return {
      type: 'indirect_provider',
      detail: `Partner Center shows you supply ${resellers.length} indirect reseller${resellers.length > 1 ? 's' : ''}: ${names(resellers)}.`,
    };
  }
  const otherSellers = otherResellersOfRecord(evidence);
  if (otherSellers.length > 0) {
    return {
      type: 'indirect_provider',
      detail: `This customer's subscriptions name another reseller of record (MPN ID ${otherSellers.join(', ')}), so you sell to it through an indirect reseller.`,
    };
  }
  const unanswered = firstUnanswered([
    evidence.customerList,
    evidence.invoices,
    evidence.indirectResellers.signal,
    evidence.indirectProviders.signal,
  ]);
  if (unanswered) return { type: null, detail: unanswered.detail };
  return {
    type: 'direct',
    detail: 'Partner Center lists your customers and your invoices (Microsoft bills you directly), and you supply no indirect resellers.',
  };
}

// The Direct CSP test for one customer tenant: the partner type, plus the tenant's subscriptions read with their
// billing detail — what the Direct CSP features will use.
export function directCspTestResult(evidence: PartnerProgramEvidence, tenantName: string): DirectCspTestResult {
  const partner = classifyPartner(evidence);
  if (partner.type === 'indirect_reseller') {
    return {
      outcome: 'indirect_reseller',
      reason: `This account belongs to an indirect reseller. ${partner.detail} Direct CSP features need a partner Microsoft bills directly; your indirect provider bills these customers.`,
    };
  }
  if (partner.type === 'indirect_provider') {
    return {
      outcome: 'indirect_provider',
      reason: `This account belongs to an indirect provider. ${partner.detail} Direct CSP features are for direct-bill partners selling to their own customers.`,
    };
  }
  const subscriptions = evidence.tenantSubscriptions?.signal;
  if (subscriptions && subscriptions.outcome !== 'answered') return { outcome: 'failed', reason: `${subscriptions.detail}` };
  if (partner.type === null) return { outcome: 'failed', reason: partner.detail };
  const billing = evidence.tenantSubscriptions?.billingCycles.length
    ? ` (billed ${evidence.tenantSubscriptions.billingCycles.join(', ')})`
    : '';
  const count = subscriptions?.outcome === 'answered' ? subscriptions.count : 0;
  return {
    outcome: 'confirmed',
    reason: `${partner.detail} Partner Center returned ${count} subscription${count === 1 ? '' : 's'} of ${tenantName} with billing detail${billing}.`,
  };
}

// The evidence, a line per read, for the page, the audit log and the record kept with a confirmation.
export function describeEvidence(evidence: PartnerProgramEvidence, tenantName: string | null): string[] {
  const lines = [
    `Customer list: ${said(evidence.customerList, () => 'Partner Center answered')}`,
    `Invoices: ${said(evidence.invoices, (count) => (count > 0 ? 'Microsoft issues you invoices' : 'answered, none issued yet'))}`,
    `Indirect resellers you supply: ${said(evidence.indirectResellers.signal, () => names(evidence.indirectResellers.partners) || 'none')}`,
    `Indirect providers you buy through: ${said(evidence.indirectProviders.signal, () => names(evidence.indirectProviders.partners) || 'none')}`,
  ];
  if (evidence.tenantSubscriptions && tenantName) {
    const { billingCycles, resellerMpnIds } = evidence.tenantSubscriptions;
    lines.push(
      `Subscriptions of ${tenantName}: ${said(evidence.tenantSubscriptions.signal, (count) => {
        const billing = billingCycles.length ? `, billed ${billingCycles.join(', ')}` : '';
        const sellers = resellerMpnIds.length ? `, reseller of record MPN ID ${resellerMpnIds.join(', ')}` : '';
        return `${count} read${billing}${sellers}`;
      })}`,
    );
  }
  return lines;
}

function said(signal: ProgramSignal, answered: (count: number) => string): string {
  if (signal.outcome === 'answered') return answered(signal.count);
  return signal.outcome === 'refused' ? `refused — ${signal.detail}` : `no answer — ${signal.detail}`;
}

function partnersOf(read: { signal: ProgramSignal; partners: OtherPartner[] }): OtherPartner[] {
  return read.signal.outcome === 'answered' ? read.partners : [];
}

function otherResellersOfRecord(evidence: PartnerProgramEvidence): string[] {
  const subscriptions = evidence.tenantSubscriptions;
  if (!subscriptions || subscriptions.signal.outcome !== 'answered' || !evidence.ownMpnId) return [];
  return subscriptions.resellerMpnIds.filter((mpnId) => mpnId !== evidence.ownMpnId);
}

function firstUnanswered(signals: ProgramSignal[]): Extract<ProgramSignal, { detail: string }> | undefined {
  return signals.find((signal): signal is Extract<ProgramSignal, { detail: string }> => signal.outcome !== 'answered');
}

function names(partners: OtherPartner[]): string {
  return partners.map((partner) => partner.name).join(', ');
}
