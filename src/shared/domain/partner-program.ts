// How Microsoft bills a partner, as Partner Center tells it (FACTS.md §4): the partner types, and the signals the
// partner-center module reads and the direct-csp module decides on. Shared kernel, so both may use it down to their
// domain, and the consent module keeps the type it records.

export type PartnerType = 'direct' | 'indirect_provider' | 'indirect_reseller';

// One Partner Center read: answered (with how many items), refused (403/401/404: it will answer the same until
// someone acts) or failed (unavailable, throttled, unreadable). `detail` is a plain sentence.
export type ProgramSignal =
  { outcome: 'answered'; count: number } | { outcome: 'refused'; status: number; detail: string } | { outcome: 'failed'; detail: string };

export interface OtherPartner {
  tenantId: string;
  name: string;
  mpnId: string | null;
}

export interface TenantSubscriptionsSignal {
  signal: ProgramSignal;
  // Billing detail of the subscriptions read (e.g. ['annual', 'monthly']).
  billingCycles: string[];
  // The reseller of record of each subscription (Partner Center's partnerId, an MPN id), when one is named.
  resellerMpnIds: string[];
}

export interface PartnerProgramEvidence {
  // GET /v1/customers?size=1: the Partner Center API accepts the account at all.
  customerList: ProgramSignal;
  // GET /v1/invoices?size=1: Microsoft bills this partner (direct bill or indirect provider).
  invoices: ProgramSignal;
  // IsIndirectCloudSolutionProviderOf: the resellers this partner supplies (an indirect provider has some).
  indirectResellers: { signal: ProgramSignal; partners: OtherPartner[] };
  // IsIndirectResellerOf: the providers this partner buys through (an indirect reseller has some).
  indirectProviders: { signal: ProgramSignal; partners: OtherPartner[] };
  // The partner's own MPN id (GET /v1/profiles/mpn), to tell its own sales from a reseller's.
  ownMpnId: string | null;
  // GET /v1/customers/{tenant}/subscriptions, when a tenant was named.
  tenantSubscriptions: TenantSubscriptionsSignal | null;
}
