import { Injectable } from '@nestjs/common';
import { GraphClient, INTERACTIVE_RETRY } from '../../../../../libs/microsoft/src';
import { AppConfig } from '../../../../config/app-config';
import { MicrosoftAccessTokens } from '../../../consent';
import { CustomerDomains } from '../../application/ports/customer-domains.port';

// GET /organization in the customer's directory with the partner's GDAP token (Organization.Read.All, the grant
// Sync 365 holds in every customer): its verifiedDomains.
@Injectable()
export class GraphCustomerDomainsAdapter extends CustomerDomains {
  private readonly graph: GraphClient;

  constructor(
    config: AppConfig,
    private readonly tokens: MicrosoftAccessTokens,
  ) {
    super();
    // A partner admin is waiting on the form: fail fast rather than sit out long throttling waits.
    this.graph = new GraphClient({ baseUrl: config.microsoft.graphBaseUrl, timeoutMs: 10_000, retry: INTERACTIVE_RETRY });
  }

  async verified(organizationId: string, delegatedAdminId: string, customerTenantId: string): Promise<string[]> {
    const organization = await this.graph.getOrganization(() => this.tokens.forGraph(organizationId, delegatedAdminId, customerTenantId));
    return (organization?.verifiedDomains ?? []).flatMap((domain) => (domain.name?.trim() ? [domain.name.trim().toLowerCase()] : []));
  }
}
