import {
  INTERACTIVE_RETRY,
  MicrosoftApiError,
  PartnerCenterClient,
  type AccessTokenSource,
  type MicrosoftClientOptions,
  type PartnerCenterPartnerRelationship,
} from '../../../../../libs/microsoft/src';
import type { MicrosoftSettings } from '../../../../config/app-config';
import { MicrosoftUnavailableError } from '../../../../shared/domain/microsoft-unavailable.error';
import { type MicrosoftAccessTokens } from '../../../consent';
import { CustomerReadRefusedError } from '../../contracts/partner-center-directory';
import {
  PartnerProgramReader,
  type OtherPartner,
  type PartnerProgramEvidence,
  type ProgramSignal,
  type TenantSubscriptionsSignal,
} from '../../contracts/partner-program';
import { customerReadFailure, type CustomerRead } from './microsoft-error.mapper';
import { lowerGuidOrText, text } from './wire-value.mapper';

const READS = {
  customers: {
    service: 'partner-center',
    what: 'list your customers',
    forbidden: 'Partner Center refused to list your customers',
    forbiddenFix:
      'The account needs the Admin Agent role, and Partner Center offers its API only to direct-bill partners and indirect providers.',
  },
  invoices: {
    service: 'partner-center',
    what: 'list your invoices',
    forbidden: 'Partner Center refused to list your invoices',
    forbiddenFix: 'Microsoft issues invoices only to partners it bills: direct-bill partners and indirect providers.',
  },
  relationships: {
    service: 'partner-center',
    what: 'list your indirect-model relationships',
    forbidden: 'Partner Center refused to list your indirect-model relationships',
    forbiddenFix: 'The account needs the Admin Agent role in Partner Center.',
  },
  subscriptions: {
    service: 'partner-center',
    what: "list this customer's subscriptions with their billing detail",
    forbidden: "Partner Center refused to list this customer's subscriptions",
    forbiddenFix: 'Your organization must be the reseller of record for this customer, and the account needs the Admin Agent role.',
  },
} satisfies Record<string, CustomerRead>;

// PartnerProgramReader over libs/microsoft: five small Partner Center reads, one after the other, as the
// delegated admin. Each read that fails is reported, not thrown, so the evidence shows exactly what was refused.
export class PartnerProgramAdapter extends PartnerProgramReader {
  private readonly partnerCenter: PartnerCenterClient;

  constructor(
    config: { microsoft: Pick<MicrosoftSettings, 'partnerCenterBaseUrl'> },
    private readonly tokens: MicrosoftAccessTokens,
    http: Pick<MicrosoftClientOptions, 'retry' | 'sleep' | 'timeoutMs' | 'concurrency'> = {},
  ) {
    super();
    // The Direct CSP test runs while a partner admin waits for its answer: short retries.
    this.partnerCenter = new PartnerCenterClient({
      baseUrl: config.microsoft.partnerCenterBaseUrl,
      applicationName: 'Sync 365',
      timeoutMs: 15_000,
      retry: INTERACTIVE_RETRY,
      ...http,
    });
  }

  async evidence(organizationId: string, delegatedAdminId: string, customerTenantId: string | null): Promise<PartnerProgramEvidence> {
    const token: AccessTokenSource = () => this.tokens.forPartnerCenter(organizationId, delegatedAdminId);
    // One item is enough to know whether Partner Center answers; the first page is all that is read.
    const customerList = await signal(
      READS.customers,
      async () => (await firstPage(this.partnerCenter.listCustomers(token, { size: 1 }))).length,
    );
    const invoices = await signal(
      READS.invoices,
      async () => (await firstPage(this.partnerCenter.listInvoices(token, { size: 1 }))).length,
    );
    const indirectResellers = await partners(() => this.partnerCenter.listRelationships(token, 'IsIndirectCloudSolutionProviderOf').all());
    const indirectProviders = await partners(() => this.partnerCenter.listRelationships(token, 'IsIndirectResellerOf').all());
    // A nicety for telling the partner's own sales from a reseller's: unknown when Partner Center does not say.
    const ownMpnId = await this.partnerCenter.getMpnProfile(token).then(
      (profile) => text(profile.mpnId) ?? null,
      (error: unknown) => (error instanceof MicrosoftApiError ? null : Promise.reject(error)),
    );
    const tenantSubscriptions = customerTenantId ? await this.tenantSubscriptions(token, customerTenantId) : null;
    return { customerList, invoices, indirectResellers, indirectProviders, ownMpnId, tenantSubscriptions };
  }

  private async tenantSubscriptions(token: AccessTokenSource, customerTenantId: string): Promise<TenantSubscriptionsSignal> {
    const billingCycles = new Set<string>();
    const resellerMpnIds = new Set<string>();
    const result = await signal(READS.subscriptions, async () => {
      const subscriptions = await this.partnerCenter.listSubscriptions(token, customerTenantId).all();
      for (const subscription of subscriptions) {
        const cycle = text(subscription.billingCycle)?.toLowerCase();
        if (cycle) billingCycles.add(cycle);
        const reseller = text(subscription.partnerId);
        if (reseller) resellerMpnIds.add(reseller);
      }
      return subscriptions.length;
    });
    return { signal: result, billingCycles: [...billingCycles].sort(), resellerMpnIds: [...resellerMpnIds].sort() };
  }
}

async function firstPage<T>(pages: AsyncIterable<{ items: T[] }>): Promise<T[]> {
  for await (const page of pages) return page.items;
  return [];
}

async function partners(
  read: () => Promise<PartnerCenterPartnerRelationship[]>,
): Promise<{ signal: ProgramSignal; partners: OtherPartner[] }> {
  let found: OtherPartner[] = [];
  const result = await signal(READS.relationships, async () => {
    found = (await read()).map((relationship) => ({
      tenantId: lowerGuidOrText(relationship.id) ?? '',
      name: text(relationship.name) ?? text(relationship.id) ?? 'A partner',
      mpnId: text(relationship.mpnId) ?? null,
    }));
    return found.length;
  });
  return { signal: result, partners: found };
}

// Microsoft's answer, sorted: refused (it will say the same until someone acts) or failed (try again). Anything
// else — the consent vault's "re-grant consent" — stops the whole read.
async function signal(read: CustomerRead, work: () => Promise<number>): Promise<ProgramSignal> {
  try {
    return { outcome: 'answered', count: await work() };
  } catch (error) {
    const failure = customerReadFailure(error, read);
    if (failure instanceof CustomerReadRefusedError) {
      return { outcome: 'refused', status: error instanceof MicrosoftApiError ? error.status : 0, detail: failure.reason };
    }
    if (failure instanceof MicrosoftUnavailableError) return { outcome: 'failed', detail: failure.message };
    throw failure;
  }
}
