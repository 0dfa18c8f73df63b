import { MicrosoftApiError, PartnerCenterClient, type MicrosoftClientOptions } from '../../../../../libs/microsoft/src';
import type { MicrosoftSettings } from '../../../../config/app-config';
import { type MicrosoftAccessTokens } from '../../../consent';
import { CustomerAppProvisioning, type AppProvisioningResult } from '../../contracts/customer-app-provisioning';
import { CustomerReadRefusedError } from '../../contracts/partner-center-directory';
import { customerReadFailure, type CustomerRead } from './microsoft-error.mapper';

// Microsoft Graph, the resource Sync 365 reads customer directories from (the grant's enterpriseApplicationId).
const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
// The delegated Graph permissions Sync 365 uses in a customer directory (subscribedSkus, directory subscriptions),
// within the app registration's own (README, Configuration):
// comma-separated, as applicationGrants[].scope takes them (CIPP Set-CIPPCPVConsent.ps1).
export const CUSTOMER_GRAPH_PERMISSIONS = 'Organization.Read.All';

const PROVISION: CustomerRead = {
  service: 'partner-center',
  what: 'add the Sync 365 app to this customer',
  forbidden:
    'Sync 365 is not set up in this customer yet: Partner Center refused to add it, because your Sync 365 service account’s security group does not hold Application Administrator in your GDAP relationship with this customer',
  forbiddenFix:
    'Give that security group the Application Administrator role in this customer’s GDAP relationship (Partner Center → Customers → this customer → Admin relationships), then select Re-read all customers from Microsoft (Customers tab).',
};

// CustomerAppProvisioning over Partner Center's POST /v1/customers/{id}/applicationconsents.
export class CustomerAppProvisioningAdapter extends CustomerAppProvisioning {
  private readonly partnerCenter: PartnerCenterClient;

  constructor(
    private readonly config: { microsoft: Pick<MicrosoftSettings, 'partnerCenterBaseUrl' | 'clientId'> },
    private readonly tokens: MicrosoftAccessTokens,
    http: Pick<MicrosoftClientOptions, 'retry' | 'sleep' | 'random' | 'timeoutMs' | 'concurrency'> = {},
  ) {
    super();
    this.partnerCenter = new PartnerCenterClient({ baseUrl: config.microsoft.partnerCenterBaseUrl, applicationName: 'Sync 365', ...http });
  }

  async provision(organizationId: string, delegatedAdminId: string, customerTenantId: string): Promise<AppProvisioningResult> {
    try {
      await this.partnerCenter.createApplicationConsent(
        () => this.tokens.forPartnerCenter(organizationId, delegatedAdminId),
        customerTenantId,
        {
          applicationId: this.config.microsoft.clientId,
          displayName: 'Sync 365',
          applicationGrants: [{ enterpriseApplicationId: MICROSOFT_GRAPH_APP_ID, scope: CUSTOMER_GRAPH_PERMISSIONS }],
        },
      );
      return { outcome: 'provisioned' };
    } catch (error) {
      // CIPP treats "409 (Conflict)" as the app already being there; Microsoft documents no body for it.
      if (error instanceof MicrosoftApiError && error.status === 409) return { outcome: 'already_present' };
      const failure = customerReadFailure(error, PROVISION);
      if (failure instanceof CustomerReadRefusedError) return { outcome: 'refused', reason: failure.reason };
      throw failure;
    }
  }
}
