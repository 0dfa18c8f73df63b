import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiGuidParam,
  ApiInvalidParameterResponse,
  ApiQueryParams,
  CursorCodec,
  cursorParam,
  enumParam,
  flagParam,
  guidParam,
  limitParam,
  parseGuid,
  parseQuery,
} from '../../../../shared/interface/http/api-params';
import { CurrentApiCaller, PartnerApi, type ApiCaller } from '../../../../shared/interface/http/partner-api';
import { ProblemResponse } from '../../../../shared/interface/http/problem.dto';
import { LicencePageQueries, TenantLicencesNotFoundError } from '../../application/licence-page-queries';
import { LicensingQueries, type LicenceView, type SubscriptionView } from '../../contracts/licensing-queries';
import { LicenceList, LicencePage, LicenceResponse, SubscriptionList, SubscriptionPage, SubscriptionResponse } from './licences-api.dto';

const LICENCE_CURSOR = new CursorCodec('licences', ['guid', 'text']);
const SUBSCRIPTION_CURSOR = new CursorCodec('subscriptions', ['guid', 'text']);
const SUBSCRIPTION_STATUSES = ['active', 'pending', 'suspended', 'deleted', 'expired', 'disabled', 'none'] as const;

const LICENCE_LIST = {
  limit: limitParam(),
  cursor: cursorParam(LICENCE_CURSOR),
  tenantId: guidParam('Only this customer tenant'),
  skuId: guidParam('Only this SKU (product)'),
  unassigned: flagParam('Only SKUs with purchased seats nobody uses'),
};
const SUBSCRIPTION_LIST = {
  limit: limitParam(),
  cursor: cursorParam(SUBSCRIPTION_CURSOR),
  tenantId: guidParam('Only this customer tenant'),
  skuId: guidParam('Only subscriptions the customer’s directory names with this SKU'),
  status: enumParam(SUBSCRIPTION_STATUSES, 'Only subscriptions with this Partner Center status'),
};

const TENANT_NOT_FOUND = {
  type: ProblemResponse,
  description: 'Sync 365 holds no licences of this tenant: not your customer, or never read (code LICENSING.TENANT_LICENCES_NOT_FOUND).',
};

// The partner API's current licences (tenant × SKU) and Partner Center subscriptions, as the latest import read them.
@ApiTags('licences')
@Controller('api/v1')
export class LicencesApiController {
  constructor(
    private readonly licensing: LicensingQueries,
    private readonly pages: LicencePageQueries,
  ) {}

  @Get('tenants/:tenantId/licences')
  @PartnerApi('read:licenses')
  @ApiOperation({
    operationId: 'listTenantLicences',
    summary: 'Licences of one customer tenant, per SKU',
    description: 'Ordered by product name.',
  })
  @ApiGuidParam('tenantId', "The customer's Entra tenant id")
  @ApiOkResponse({ type: LicenceList })
  @ApiInvalidParameterResponse()
  @ApiNotFoundResponse(TENANT_NOT_FOUND)
  async tenantLicences(
    @CurrentApiCaller() caller: ApiCaller,
    @Param('tenantId') tenantId: string,
    @Query() raw: Record<string, unknown>,
  ): Promise<LicenceList> {
    parseQuery({}, raw);
    const tenant = await this.knownTenant(caller.organizationId, tenantId);
    const unreadable = await this.pages.licencesUnreadable(caller.organizationId, tenant);
    const items = unreadable ? [] : (await this.licensing.licencesOfTenant(caller.organizationId, tenant)).map(toLicence);
    return { items, licencesReadable: unreadable === null, licencesUnreadableReason: unreadable?.reason ?? null };
  }

  @Get('licences')
  @PartnerApi('read:licenses')
  @ApiOperation({
    operationId: 'listLicences',
    summary: 'Licences of every customer tenant',
    description:
      'Ordered by tenant id, then SKU id. Keyset pages: licences added or changed while you page neither repeat nor push others out.',
  })
  @ApiQueryParams(LICENCE_LIST)
  @ApiOkResponse({ type: LicencePage })
  @ApiInvalidParameterResponse()
  async licences(@CurrentApiCaller() caller: ApiCaller, @Query() raw: Record<string, unknown>): Promise<LicencePage> {
    const query = parseQuery(LICENCE_LIST, raw);
    const filter = { tenantId: query.tenantId, skuId: query.skuId, unassigned: query.unassigned };
    return LICENCE_CURSOR.page(await this.pages.licencePage(caller.organizationId, filter, query.cursor, query.limit), toLicence);
  }

  @Get('tenants/:tenantId/subscriptions')
  @PartnerApi('read:licenses')
  @ApiOperation({
    operationId: 'listTenantSubscriptions',
    summary: 'Partner Center subscriptions of one customer tenant',
    description:
      'Ordered by offer name. Each is matched to the subscription in the customer’s own directory that names it (its SKU and licences there).',
  })
  @ApiGuidParam('tenantId', "The customer's Entra tenant id")
  @ApiOkResponse({ type: SubscriptionList })
  @ApiInvalidParameterResponse()
  @ApiNotFoundResponse(TENANT_NOT_FOUND)
  async tenantSubscriptions(
    @CurrentApiCaller() caller: ApiCaller,
    @Param('tenantId') tenantId: string,
    @Query() raw: Record<string, unknown>,
  ): Promise<SubscriptionList> {
    parseQuery({}, raw);
    const tenant = await this.knownTenant(caller.organizationId, tenantId);
    return { items: (await this.licensing.subscriptionsOfTenant(caller.organizationId, tenant)).map(toSubscription) };
  }

  @Get('subscriptions')
  @PartnerApi('read:licenses')
  @ApiOperation({
    operationId: 'listSubscriptions',
    summary: 'Partner Center subscriptions of every customer tenant',
    description:
      'Ordered by tenant id, then subscription id; each matched to its directory subscription. Keyset pages; a page may hold fewer items than `limit` while more follow: only a null `nextCursor` ends the list.',
  })
  @ApiQueryParams(SUBSCRIPTION_LIST)
  @ApiOkResponse({ type: SubscriptionPage })
  @ApiInvalidParameterResponse()
  async subscriptions(@CurrentApiCaller() caller: ApiCaller, @Query() raw: Record<string, unknown>): Promise<SubscriptionPage> {
    const query = parseQuery(SUBSCRIPTION_LIST, raw);
    const filter = { tenantId: query.tenantId, skuId: query.skuId, status: query.status };
    return SUBSCRIPTION_CURSOR.page(
      await this.pages.subscriptionPage(caller.organizationId, filter, query.cursor, query.limit),
      toSubscription,
    );
  }

  // A tenant whose licences licensing has recorded: any other id, including another organization's tenant, is a 404.
  private async knownTenant(organizationId: string, rawTenantId: string): Promise<string> {
    const tenantId = parseGuid('tenantId', rawTenantId);
    if (!(await this.pages.tenantReadAt(organizationId, tenantId))) throw new TenantLicencesNotFoundError();
    return tenantId;
  }
}

function toLicence(licence: LicenceView): LicenceResponse {
  return { ...licence, lockedOut: licence.lockedOut ?? 0 };
}

// The partner API's subscription is the documented one: the new-commerce read-side fields stay on the dashboard.
function toSubscription(subscription: SubscriptionView): SubscriptionResponse {
  const { refundableQuantity: _refundable, scheduledQuantity: _scheduled, ...documented } = subscription;
  return documented;
}
