import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  parseBody,
  parseGuid,
  parseQuery,
  textParam,
} from '../../../../shared/interface/http/api-params';
import { CurrentApiCaller, PartnerApi, type ApiCaller } from '../../../../shared/interface/http/partner-api';
import { ProblemResponse } from '../../../../shared/interface/http/problem.dto';
import { ImportRepository } from '../../application/ports/import.repository';
import { StartOrganizationImportUseCase } from '../../application/start-organization-import.use-case';
import { TenantQueries, type CustomerDetail, type CustomerRow } from '../../application/tenant-queries';
import type { ImportRun } from '../../domain/import-run';
import { seatBalance } from '../../domain/seat-balance';
import { CustomerTenantNotFoundError, ImportRunNotFoundError } from '../../domain/tenants.errors';
import {
  CustomerTenantDetailResponse,
  CustomerTenantPage,
  CustomerTenantResponse,
  GDAP_STATUSES,
  ImportProgressResponse,
  ImportRunList,
  ImportRunResponse,
  StartedImportsResponse,
  StartImportRequest,
} from './tenants-api.dto';

const TENANT_CURSOR = new CursorCodec('tenants', ['text', 'guid']);

const TENANT_LIST = {
  limit: limitParam(),
  cursor: cursorParam(TENANT_CURSOR),
  q: textParam('Part of the company name, the domain or the tenant id'),
  gdap: enumParam(GDAP_STATUSES, 'Only tenants with this GDAP status'),
  unassigned: flagParam('Only tenants with purchased seats nobody uses'),
  failed: flagParam('Only tenants the last import could not read'),
  overAssigned: flagParam('Only tenants where more seats are assigned than purchased (never tenants whose licences are not readable)'),
  removed: flagParam('Include tenants no longer in Partner Center'),
};
const START_IMPORT = { delegatedAdminId: guidParam('Only this delegated admin') };

// The partner API's customer tenants and the imports that read them from Partner Center.
@ApiTags('tenants')
@Controller('api/v1')
export class TenantsApiController {
  constructor(
    private readonly tenants: TenantQueries,
    private readonly imports: ImportRepository,
    private readonly startImport: StartOrganizationImportUseCase,
  ) {}

  @Get('tenants')
  @PartnerApi('read:tenants')
  @ApiOperation({
    operationId: 'listTenants',
    summary: 'Customer tenants',
    description:
      'Ordered by company name (case-insensitive), then tenant id. Pages are keyset pages: tenants added or changed while you page neither repeat nor push others out.',
  })
  @ApiQueryParams(TENANT_LIST)
  @ApiOkResponse({ type: CustomerTenantPage })
  @ApiInvalidParameterResponse()
  async list(@CurrentApiCaller() caller: ApiCaller, @Query() raw: Record<string, unknown>): Promise<CustomerTenantPage> {
    const query = parseQuery(TENANT_LIST, raw);
    const filter = {
      search: query.q,
      gdap: query.gdap,
      unassignedSeats: query.unassigned,
      failed: query.failed,
      includeRemoved: query.removed,
      overAssigned: query.overAssigned,
    };
    return TENANT_CURSOR.page(await this.tenants.page(caller.organizationId, filter, query.cursor, query.limit), toTenant);
  }

  @Get('tenants/:tenantId')
  @PartnerApi('read:tenants')
  @ApiOperation({ operationId: 'getTenant', summary: 'One customer tenant, with its GDAP relationships' })
  @ApiGuidParam('tenantId', "The customer's Entra tenant id")
  @ApiOkResponse({ type: CustomerTenantDetailResponse })
  @ApiInvalidParameterResponse()
  @ApiNotFoundResponse({ type: ProblemResponse, description: 'Not a customer of your organization (code TENANTS.CUSTOMER_NOT_FOUND).' })
  async detail(
    @CurrentApiCaller() caller: ApiCaller,
    @Param('tenantId') tenantId: string,
    @Query() raw: Record<string, unknown>,
  ): Promise<CustomerTenantDetailResponse> {
    parseQuery({}, raw);
    const detail = await this.tenants.detail(caller.organizationId, parseGuid('tenantId', tenantId));
    if (!detail) throw new CustomerTenantNotFoundError();
    return toTenantDetail(detail);
  }

  @Get('import-runs')
  @PartnerApi('read:tenants')
  @ApiOperation({ operationId: 'listImportRuns', summary: 'The latest import of each delegated admin' })
  @ApiOkResponse({ type: ImportRunList })
  @ApiInvalidParameterResponse()
  async runs(@CurrentApiCaller() caller: ApiCaller, @Query() raw: Record<string, unknown>): Promise<ImportRunList> {
    parseQuery({}, raw);
    return { items: (await this.imports.latestRuns(caller.organizationId)).map(toRun) };
  }

  @Get('import-runs/current')
  @PartnerApi('read:tenants')
  @ApiOperation({
    operationId: 'getImportProgress',
    summary: 'Progress of the imports running now',
    description: 'What the dashboard’s “Updating tenants… N of M” banner shows.',
  })
  @ApiOkResponse({ type: ImportProgressResponse })
  @ApiInvalidParameterResponse()
  async current(@CurrentApiCaller() caller: ApiCaller, @Query() raw: Record<string, unknown>): Promise<ImportProgressResponse> {
    parseQuery({}, raw);
    const progress = await this.tenants.progress(caller.organizationId);
    return { ...progress, lastFinishedAt: progress.lastFinishedAt?.toISOString() ?? null };
  }

  @Get('import-runs/:importRunId')
  @PartnerApi('read:tenants')
  @ApiOperation({ operationId: 'getImportRun', summary: 'One import' })
  @ApiGuidParam('importRunId', 'The id of the import')
  @ApiOkResponse({ type: ImportRunResponse })
  @ApiInvalidParameterResponse()
  @ApiNotFoundResponse({ type: ProblemResponse, description: 'No such import in your organization (code TENANTS.IMPORT_RUN_NOT_FOUND).' })
  async run(
    @CurrentApiCaller() caller: ApiCaller,
    @Param('importRunId') importRunId: string,
    @Query() raw: Record<string, unknown>,
  ): Promise<ImportRunResponse> {
    parseQuery({}, raw);
    const run = await this.imports.findRun(caller.organizationId, parseGuid('importRunId', importRunId));
    if (!run) throw new ImportRunNotFoundError();
    return toRun(run);
  }

  @Post('import-runs')
  @HttpCode(202)
  @PartnerApi('write:sync')
  @ApiOperation({
    operationId: 'startImports',
    summary: 'Start importing customers now',
    description:
      'Re-reads every customer tenant of every connected delegated admin (or of one) from Microsoft. A delegated admin that needs consent granted again is skipped. Follow the progress with GET /api/v1/import-runs/current.',
  })
  @ApiBody({ type: StartImportRequest, required: false })
  @ApiAcceptedResponse({ type: StartedImportsResponse })
  @ApiInvalidParameterResponse()
  @ApiNotFoundResponse({
    type: ProblemResponse,
    description: 'delegatedAdminId names no usable delegated admin of your organization (code TENANTS.IMPORT_RUN_NOT_FOUND).',
  })
  async start(
    @CurrentApiCaller() caller: ApiCaller,
    @Body() body: unknown,
    @Query() raw: Record<string, unknown>,
  ): Promise<StartedImportsResponse> {
    parseQuery({}, raw);
    const { delegatedAdminId } = parseBody(START_IMPORT, body);
    const result = await this.startImport.execute(caller.organizationId, delegatedAdminId);
    return { items: result.runs.map(toRun), started: result.started };
  }
}

function toTenant(row: CustomerRow): CustomerTenantResponse {
  const seats = seatBalance(row);
  return {
    tenantId: row.tenantId,
    companyName: row.companyName,
    domain: row.domain,
    status: row.status,
    removedAt: row.removedAt?.toISOString() ?? null,
    purchased: row.purchased,
    assigned: row.assigned,
    hasUnassignedSeats: row.hasUnassignedSeats,
    unusedSeats: seats.known ? seats.unused : null,
    overAssignedBy: seats.known ? seats.overAssignedBy : null,
    licencesReadable: row.licencesUnreadable === null,
    licencesUnreadableReason: row.licencesUnreadable,
    gdapStatus: row.gdapStatus,
    gdapMissingRoles: row.gdapMissingRoles,
    lastError: row.lastError,
    licencesReadAt: row.licencesReadAt?.toISOString() ?? null,
    gdapReadAt: row.gdapReadAt?.toISOString() ?? null,
    appInCustomer: row.appStatus,
    appProvisionedAt: row.appProvisionedAt?.toISOString() ?? null,
    customerAccessProblem: row.accessProblem,
    customerAccessProblemKind: row.accessProblemKind,
  };
}

function toTenantDetail(detail: CustomerDetail): CustomerTenantDetailResponse {
  return {
    ...toTenant(detail),
    delegatedAdminId: detail.delegatedAdminId,
    relationship: detail.relationship,
    gdapRelationships: detail.gdapRelationships.map((r) => ({
      displayName: r.displayName,
      status: r.status,
      endDateTime: r.endDateTime,
      roles: r.roles,
    })),
  };
}

function toRun(run: ImportRun): ImportRunResponse {
  return {
    id: run.id,
    delegatedAdminId: run.delegatedAdminId,
    trigger: run.trigger,
    status: run.status,
    total: run.total,
    done: run.done,
    failed: run.failed,
    error: run.error,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}
