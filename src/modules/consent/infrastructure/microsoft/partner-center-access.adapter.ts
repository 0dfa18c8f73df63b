import { Injectable } from '@nestjs/common';
import { INTERACTIVE_RETRY, MicrosoftApiError, PartnerCenterClient } from '../../../../../libs/microsoft/src';
import { AppConfig } from '../../../../config/app-config';
import { MicrosoftUnavailableError } from '../../../../shared/domain/microsoft-unavailable.error';
import { PartnerCenterAccessCheck, type PartnerCenterAccess } from '../../application/ports/partner-center-access.port';

@Injectable()
export class PartnerCenterAccessAdapter extends PartnerCenterAccessCheck {
  private readonly client: PartnerCenterClient;

  constructor(config: AppConfig) {
    super();
    // Runs while the person waits on the consent callback: short retries.
    this.client = new PartnerCenterClient({ baseUrl: config.microsoft.partnerCenterBaseUrl, timeoutMs: 15_000, retry: INTERACTIVE_RETRY });
  }

  // Listing one customer is what an import needs and what Partner Center allows only to Admin Agents with MFA.
  async check(accessToken: string): Promise<PartnerCenterAccess> {
    try {
      for await (const _page of this.client.listCustomers(accessToken, { size: 1 })) break;
    } catch (error) {
      // 900421 (and the older header-only "MFA required") mean MFA; any other 401 is a token Partner Center refused.
      if (error instanceof MicrosoftApiError && error.status === 401)
        return error.code === '900421' || /mfa/i.test(`${error.microsoftMessage ?? ''} ${error.message}`)
          ? { outcome: 'mfa_required' }
          : { outcome: 'token_rejected' };
      if (error instanceof MicrosoftApiError && error.status === 403) return this.refusedAccess(accessToken);
      if (error instanceof MicrosoftApiError) throw new MicrosoftUnavailableError('Partner Center', error.code);
      throw error;
    }
    // The partner's name is a nicety for the list; its absence does not fail the consent.
    const profile = await this.client.getOrganizationProfile(accessToken).catch(() => undefined);
    return { outcome: 'ok', partnerName: profile?.companyName ?? undefined };
  }

  // A 403 on the customer list: an indirect reseller (it has providers, and may still list them), or an account
  // without the Admin Agent role.
  private async refusedAccess(accessToken: string): Promise<PartnerCenterAccess> {
    const providers = await this.client
      .listRelationships(accessToken, 'IsIndirectResellerOf')
      .all()
      .catch(() => []);
    const names = providers.map((provider) => provider.name ?? provider.id).filter(Boolean);
    return names.length > 0 ? { outcome: 'indirect_reseller', providers: names } : { outcome: 'not_admin_agent' };
  }
}
