import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ApiGuidParam,
  ApiInvalidParameterResponse,
  ApiQueryParams,
  enumParam,
  guidParam,
  parseGuid,
  parseQuery,
} from '../../../../shared/interface/http/api-params';
import {
  CurrentApiCaller,
  InvalidParameterError,
  PartnerApi,
  type ApiCaller,
  callerParty,
} from '../../../../shared/interface/http/partner-api';
import { ProblemResponse } from '../../../../shared/interface/http/problem.dto';
import { RequiresRole } from '../../../../shared/interface/web/request-actor';
import { CompanyMappingUseCase } from '../../application/company-mapping.use-case';
import { DecideApprovalUseCase } from '../../application/decide-approval.use-case';
import { FreezeSnapshotUseCase } from '../../application/freeze-snapshot.use-case';
import { InvoicePreviewQueries } from '../../application/invoice-preview.queries';
import { ManageBillingUseCase } from '../../application/manage-billing.use-case';
import { BillableLicences } from '../../application/ports/billable-licences.port';
import { BillingRepository, type StoredApproval } from '../../application/ports/billing.repository';
import { BillingProfileNotFoundError, SnapshotNotFoundError } from '../../domain/billing.errors';
import { isPeriod, PERIOD_PATTERN } from '../../domain/period';
import {
  ApprovalList,
  ApprovalResponse,
  BillingProfileList,
  BillingProfileRequest,
  BillingProfileResponse,
  BillingSettingsRequest,
  BillingSettingsResponse,
  CompanyMappingList,
  CompanyMappingRequest,
  CompanyMappingResponse,
  FreezeSnapshotRequest,
  OrganizationPreviewResponse,
  SnapshotDetailResponse,
  SnapshotList,
  SnapshotResponse,
  TenantPreviewResponse,
} from './billing-api.dto';
import {
  toApproval,
  toMapping,
  toOrganizationPreview,
  toProfile,
  toSettings,
  toSnapshot,
  toSnapshotLine,
  toTenantPreview,
} from './billing-api.mappers';

const APPROVAL_LIST = {
  status: enumParam(['pending', 'approved', 'rejected', 'withdrawn'] as const, 'Only approvals in this state (default pending)'),
  tenantId: guidParam('Only this customer tenant'),
};
const INVALID_INPUT = {
  type: ProblemResponse,
  description: 'A value billing cannot use (code BILLING.INVALID_INPUT; `field` names it, `fix` says what to give).',
};

// The partner API's billing: profiles and settings, company mapping, the invoice preview, approvals and frozen
// month-end snapshots. Amounts are decimal strings in the organization's currency.
@ApiTags('billing')
@Controller('api/v1/billing')
export class BillingApiController {
  constructor(
    private readonly manage: ManageBillingUseCase,
    private readonly mapping: CompanyMappingUseCase,
    private readonly decide: DecideApprovalUseCase,
    private readonly freeze: FreezeSnapshotUseCase,
    private readonly preview: InvoicePreviewQueries,
    private readonly billing: BillingRepository,
    private readonly licences: BillableLicences,
  ) {}

  @Get('settings')
  @PartnerApi('read:billing')
  @ApiOperation({ operationId: 'getBillingSettings', summary: 'Currency and approval rules' })
  @ApiOkResponse({ type: BillingSettingsResponse })
  @ApiInvalidParameterResponse()
  async settings(@CurrentApiCaller() caller: ApiCaller, @Query() raw: Record<string, unknown>): Promise<BillingSettingsResponse> {
    parseQuery({}, raw);
    return toSettings(await this.billing.settings(caller.organizationId));
  }

  @RequiresRole('billing')
  @Put('settings')
  @PartnerApi('write:billing')
  @ApiOperation({
    operationId: 'updateBillingSettings',
    summary: 'Change the currency or the approval rules',
    description: 'Fields left out keep their value. Audited; the preview follows at once.',
  })
  @ApiBody({ type: BillingSettingsRequest })
  @ApiOkResponse({ type: BillingSettingsResponse })
  @ApiInvalidParameterResponse()
  @ApiUnprocessableEntityResponse(INVALID_INPUT)
  async updateSettings(@CurrentApiCaller() caller: ApiCaller, @Body() body: unknown): Promise<BillingSettingsResponse> {
    const fields = bodyOf(body, { currency: 'string', autoApproveIncreases: 'boolean', approvalThreshold: 'string' });
    return toSettings(await this.manage.saveSettings(callerParty(caller), fields));
  }

  @Get('profiles')
  @PartnerApi('read:billing')
  @ApiOperation({
    operationId: 'listBillingProfiles',
    summary: 'Billing profiles: organization defaults and customer overrides',
    description: 'Ordered by your product name.',
  })
  @ApiOkResponse({ type: BillingProfileList })
  @ApiInvalidParameterResponse()
  async profiles(@CurrentApiCaller() caller: ApiCaller, @Query() raw: Record<string, unknown>): Promise<BillingProfileList> {
    parseQuery({}, raw);
    return { items: (await this.billing.profiles(caller.organizationId)).map(toProfile) };
  }

  @RequiresRole('billing')
  @Post('profiles')
  @PartnerApi('write:billing')
  @ApiOperation({
    operationId: 'createBillingProfile',
    summary: 'Map a Microsoft product to your product and price',
    description:
      'Without tenantId: the default for every customer; with it: that customer’s override. The most specific profile prices a line (customer over default, then term and cycle).',
  })
  @ApiBody({ type: BillingProfileRequest })
  @ApiCreatedResponse({ type: BillingProfileResponse })
  @ApiInvalidParameterResponse()
  @ApiConflictResponse({
    type: ProblemResponse,
    description: 'A profile of the same SKU, customer, term and cycle exists (code BILLING.PROFILE_ALREADY_EXISTS).',
  })
  @ApiUnprocessableEntityResponse(INVALID_INPUT)
  async createProfile(@CurrentApiCaller() caller: ApiCaller, @Body() body: unknown): Promise<BillingProfileResponse> {
    return toProfile(await this.manage.saveProfile(callerParty(caller), profileBody(body)));
  }

  @RequiresRole('billing')
  @Put('profiles/:profileId')
  @PartnerApi('write:billing')
  @ApiOperation({
    operationId: 'updateBillingProfile',
    summary: 'Replace a billing profile',
    description: 'The whole profile, as for creating one.',
  })
  @ApiGuidParam('profileId', 'The id of the profile')
  @ApiBody({ type: BillingProfileRequest })
  @ApiOkResponse({ type: BillingProfileResponse })
  @ApiInvalidParameterResponse()
  @ApiNotFoundResponse({ type: ProblemResponse, description: 'No such profile in your organization (code BILLING.PROFILE_NOT_FOUND).' })
  @ApiConflictResponse({ type: ProblemResponse, description: 'Another profile has the same scope (code BILLING.PROFILE_ALREADY_EXISTS).' })
  @ApiUnprocessableEntityResponse(INVALID_INPUT)
  async updateProfile(
    @CurrentApiCaller() caller: ApiCaller,
    @Param('profileId') profileId: string,
    @Body() body: unknown,
  ): Promise<BillingProfileResponse> {
    const id = parseGuid('profileId', profileId);
    if (!(await this.billing.profile(caller.organizationId, id))) throw new BillingProfileNotFoundError();
    return toProfile(await this.manage.saveProfile(callerParty(caller), profileBody(body), id));
  }

  @RequiresRole('billing')
  @Delete('profiles/:profileId')
  @HttpCode(204)
  @PartnerApi('write:billing')
  @ApiOperation({
    operationId: 'deleteBillingProfile',
    summary: 'Remove a billing profile',
    description: 'Its lines fall back to the next profile that matches, or become "not mapped".',
  })
  @ApiGuidParam('profileId', 'The id of the profile')
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiInvalidParameterResponse()
  @ApiNotFoundResponse({ type: ProblemResponse, description: 'No such profile in your organization (code BILLING.PROFILE_NOT_FOUND).' })
  async deleteProfile(@CurrentApiCaller() caller: ApiCaller, @Param('profileId') profileId: string): Promise<void> {
    await this.manage.removeProfile(callerParty(caller), parseGuid('profileId', profileId));
  }

  @Get('mappings')
  @PartnerApi('read:billing')
  @ApiOperation({
    operationId: 'listCompanyMappings',
    summary: 'Each customer tenant and its billing account',
    description: 'Confirmed ones, and for the rest what Sync 365 suggests (by name and domain).',
  })
  @ApiOkResponse({ type: CompanyMappingList })
  @ApiInvalidParameterResponse()
  async mappings(@CurrentApiCaller() caller: ApiCaller, @Query() raw: Record<string, unknown>): Promise<CompanyMappingList> {
    parseQuery({}, raw);
    return { items: (await this.mapping.list(caller.organizationId)).map(toMapping) };
  }

  @RequiresRole('billing')
  @Put('mappings/:tenantId')
  @PartnerApi('write:billing')
  @ApiOperation({
    operationId: 'confirmCompanyMapping',
    summary: 'Confirm a customer’s billing account',
    description: 'Fields left out take the suggestion. Audited.',
  })
  @ApiGuidParam('tenantId', 'The customer tenant')
  @ApiBody({ type: CompanyMappingRequest })
  @ApiOkResponse({ type: CompanyMappingResponse })
  @ApiInvalidParameterResponse()
  @ApiNotFoundResponse({ type: ProblemResponse, description: 'Not one of your customers (code BILLING.TENANT_NOT_FOUND).' })
  @ApiUnprocessableEntityResponse(INVALID_INPUT)
  async confirmMapping(
    @CurrentApiCaller() caller: ApiCaller,
    @Param('tenantId') tenantId: string,
    @Body() body: unknown,
  ): Promise<CompanyMappingResponse> {
    const id = parseGuid('tenantId', tenantId);
    await this.mapping.confirm(callerParty(caller), id, bodyOf(body, { accountName: 'string', accountCode: 'string' }));
    const row = (await this.mapping.list(caller.organizationId)).find((r) => r.customer.tenantId === id.toLowerCase())!;
    return toMapping(row);
  }

  @Get('preview')
  @PartnerApi('read:billing')
  @ApiOperation({
    operationId: 'getInvoicePreview',
    summary: 'The coming period’s invoices of every customer',
    description: 'Totals per customer against the last approved invoice, and the products not mapped yet.',
  })
  @ApiOkResponse({ type: OrganizationPreviewResponse })
  @ApiInvalidParameterResponse()
  async organizationPreview(
    @CurrentApiCaller() caller: ApiCaller,
    @Query() raw: Record<string, unknown>,
  ): Promise<OrganizationPreviewResponse> {
    parseQuery({}, raw);
    return toOrganizationPreview(await this.preview.organization(caller.organizationId));
  }

  @Get('preview/:tenantId')
  @PartnerApi('read:billing')
  @ApiOperation({
    operationId: 'getTenantInvoicePreview',
    summary: 'One customer’s coming invoice, line by line',
    description: 'Every line with quantity, unit price, amount, why this quantity and the change since the approved invoice.',
  })
  @ApiGuidParam('tenantId', 'The customer tenant')
  @ApiOkResponse({ type: TenantPreviewResponse })
  @ApiInvalidParameterResponse()
  @ApiNotFoundResponse({ type: ProblemResponse, description: 'Not one of your customers (code BILLING.TENANT_NOT_FOUND).' })
  async tenantPreview(
    @CurrentApiCaller() caller: ApiCaller,
    @Param('tenantId') tenantId: string,
    @Query() raw: Record<string, unknown>,
  ): Promise<TenantPreviewResponse> {
    parseQuery({}, raw);
    return toTenantPreview(await this.preview.tenant(caller.organizationId, parseGuid('tenantId', tenantId)));
  }

  @Get('approvals')
  @PartnerApi('read:billing')
  @ApiOperation({
    operationId: 'listBillingApprovals',
    summary: 'The approval queue',
    description: 'Pending changes oldest first; decided ones newest first.',
  })
  @ApiQueryParams(APPROVAL_LIST)
  @ApiOkResponse({ type: ApprovalList })
  @ApiInvalidParameterResponse()
  async approvals(@CurrentApiCaller() caller: ApiCaller, @Query() raw: Record<string, unknown>): Promise<ApprovalList> {
    const query = parseQuery(APPROVAL_LIST, raw);
    const [items, customers] = await Promise.all([
      this.billing.approvals(caller.organizationId, { status: query.status ?? 'pending', tenantId: query.tenantId, limit: 1000 }),
      this.licences.customers(caller.organizationId),
    ]);
    const names = new Map(customers.map((c) => [c.tenantId, c.companyName]));
    return { items: items.map((a) => toApproval(a, names.get(a.tenantId) ?? '')) };
  }

  @RequiresRole('billing')
  @Post('approvals/:approvalId/approve')
  @HttpCode(200)
  @PartnerApi('write:billing')
  @ApiOperation({
    operationId: 'approveBillingChange',
    summary: 'Approve a waiting change',
    description: 'It goes onto the approved invoice. Audited with the caller’s name.',
  })
  @ApiGuidParam('approvalId', 'The id of the approval')
  @ApiOkResponse({ type: ApprovalResponse })
  @ApiInvalidParameterResponse()
  @ApiNotFoundResponse({ type: ProblemResponse, description: 'No such pending approval (code BILLING.APPROVAL_NOT_FOUND).' })
  approve(@CurrentApiCaller() caller: ApiCaller, @Param('approvalId') approvalId: string): Promise<ApprovalResponse> {
    return this.decided(caller, approvalId, 'approve');
  }

  @RequiresRole('billing')
  @Post('approvals/:approvalId/reject')
  @HttpCode(200)
  @PartnerApi('write:billing')
  @ApiOperation({
    operationId: 'rejectBillingChange',
    summary: 'Reject a waiting change',
    description: 'The invoice keeps the approved line; the same change is not asked again. Audited.',
  })
  @ApiGuidParam('approvalId', 'The id of the approval')
  @ApiOkResponse({ type: ApprovalResponse })
  @ApiInvalidParameterResponse()
  @ApiNotFoundResponse({ type: ProblemResponse, description: 'No such pending approval (code BILLING.APPROVAL_NOT_FOUND).' })
  reject(@CurrentApiCaller() caller: ApiCaller, @Param('approvalId') approvalId: string): Promise<ApprovalResponse> {
    return this.decided(caller, approvalId, 'reject');
  }

  @Get('snapshots')
  @PartnerApi('read:billing')
  @ApiOperation({ operationId: 'listBillingSnapshots', summary: 'Frozen month-end billing snapshots, newest first' })
  @ApiOkResponse({ type: SnapshotList })
  @ApiInvalidParameterResponse()
  async snapshots(@CurrentApiCaller() caller: ApiCaller, @Query() raw: Record<string, unknown>): Promise<SnapshotList> {
    parseQuery({}, raw);
    return { items: (await this.billing.snapshots(caller.organizationId)).map(toSnapshot) };
  }

  @RequiresRole('billing')
  @Post('snapshots')
  @PartnerApi('write:billing')
  @ApiOperation({
    operationId: 'freezeBillingSnapshot',
    summary: 'Freeze a month',
    description:
      'Freezes what the approved invoices say now as the month’s snapshot (201). A month has one snapshot: freezing it again returns the frozen one unchanged (200).',
  })
  @ApiBody({ type: FreezeSnapshotRequest })
  @ApiCreatedResponse({ type: SnapshotResponse, description: 'Frozen now' })
  @ApiOkResponse({ type: SnapshotResponse, description: 'Frozen before; unchanged' })
  @ApiInvalidParameterResponse()
  @ApiUnprocessableEntityResponse(INVALID_INPUT)
  async freezeSnapshot(
    @CurrentApiCaller() caller: ApiCaller,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SnapshotResponse> {
    const { period } = bodyOf(body, { period: 'string' });
    if (!period) throw new InvalidParameterError('period', 'give the month as YYYY-MM');
    const { snapshot, created } = await this.freeze.execute(callerParty(caller), caller.organizationId, period);
    response.status(created ? 201 : 200);
    return toSnapshot(snapshot);
  }

  @Get('snapshots/:period')
  @PartnerApi('read:billing')
  @ApiOperation({
    operationId: 'getBillingSnapshot',
    summary: 'A frozen month with every line',
    description: 'Lines by company, product. CSV and PDF: /billing/snapshots/{period}.csv and .pdf on the dashboard.',
  })
  @ApiParam({ name: 'period', description: 'YYYY-MM', schema: { type: 'string', pattern: PERIOD_PATTERN }, example: '2026-11' })
  @ApiOkResponse({ type: SnapshotDetailResponse })
  @ApiInvalidParameterResponse()
  @ApiNotFoundResponse({ type: ProblemResponse, description: 'No snapshot of that month (code BILLING.SNAPSHOT_NOT_FOUND).' })
  async snapshot(
    @CurrentApiCaller() caller: ApiCaller,
    @Param('period') period: string,
    @Query() raw: Record<string, unknown>,
  ): Promise<SnapshotDetailResponse> {
    if (!isPeriod(period)) throw new InvalidParameterError('period', 'must be a month as YYYY-MM, such as 2026-11');
    parseQuery({}, raw);
    const snapshot = await this.billing.snapshot(caller.organizationId, period);
    if (!snapshot) throw new SnapshotNotFoundError(period);
    return { ...toSnapshot(snapshot), items: (await this.billing.snapshotLines(caller.organizationId, snapshot.id)).map(toSnapshotLine) };
  }

  private async decided(caller: ApiCaller, approvalId: string, decision: 'approve' | 'reject'): Promise<ApprovalResponse> {
    const approval: StoredApproval = await this.decide.execute(callerParty(caller), parseGuid('approvalId', approvalId), decision);
    const customer = await this.licences.customer(caller.organizationId, approval.tenantId);
    return toApproval(approval, customer?.companyName ?? '');
  }
}

type FieldType = 'string' | 'boolean' | 'count' | 'nullable-string';
type Parsed<S extends Record<string, FieldType>> = {
  [K in keyof S]?: S[K] extends 'boolean'
    ? boolean
    : S[K] extends 'count'
      ? number
      : S[K] extends 'nullable-string'
        ? string | null
        : string;
};

// A JSON body against its fields: an unknown field or a value of the wrong type is 400 naming the field.
function bodyOf<S extends Record<string, FieldType>>(body: unknown, spec: S): Parsed<S> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new InvalidParameterError('body', 'must be a JSON object');
  const parsed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    const type = spec[name];
    if (!type) throw new InvalidParameterError(name, `is not a field of this operation (it takes ${Object.keys(spec).join(', ')})`);
    if (value === undefined) continue;
    if (type === 'boolean' && typeof value !== 'boolean') throw new InvalidParameterError(name, 'must be true or false');
    if (type === 'count' && !(typeof value === 'number' && Number.isInteger(value)))
      throw new InvalidParameterError(name, 'must be a whole number');
    if (type === 'string' && typeof value !== 'string') throw new InvalidParameterError(name, 'must be a string');
    // Decimals as strings, so no amount passes through a float; a JSON number is refused.
    if (type === 'nullable-string' && value !== null && typeof value !== 'string')
      throw new InvalidParameterError(name, 'must be a string (decimals as "12.50") or null');
    parsed[name] = value;
  }
  return parsed as Parsed<S>;
}

function profileBody(body: unknown) {
  return bodyOf(body, {
    skuId: 'string',
    tenantId: 'nullable-string',
    termDuration: 'nullable-string',
    billingCycle: 'nullable-string',
    productName: 'string',
    productCode: 'string',
    priceKind: 'string',
    unitPrice: 'nullable-string',
    markupPercent: 'nullable-string',
    unitCost: 'nullable-string',
    charge: 'string',
    quantityRule: 'string',
    includedQuantity: 'count',
    minimumQuantity: 'count',
  });
}
