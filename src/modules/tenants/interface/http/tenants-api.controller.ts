import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCookieAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type Actor } from '../../../../shared/interface/web/request-actor';
import { LicensingQueries } from '../../../licensing';
import { ImportRepository } from '../../application/ports/import.repository';
import { StartOrganizationImportUseCase } from '../../application/start-organization-import.use-case';
import { TenantQueries, type CustomerRow } from '../../application/tenant-queries';
import type { ImportRun } from '../../domain/import-run';
import { CustomerTenantNotFoundError, ImportRunNotFoundError } from '../../domain/tenants.errors';
import { parseListQuery } from '../web/customer-list.view-model';
import { CustomerTenantPage, CustomerTenantResponse, ImportProgressResponse, ImportRunResponse, LicenceResponse, StartImportRequest } from './tenants-api.dto';

@ApiTags('tenants')
@ApiCookieAuth('session')
@Controller('api')
export class TenantsApiController {
  constructor(
    private readonly tenants: TenantQueries,
    private readonly licensing: LicensingQueries,
    private readonly imports: ImportRepository,
    private readonly startImport: StartOrganizationImportUseCase,
  ) {}

  @Get('tenants')
  @ApiOperation({ summary: 'Customer tenants, searchable, filterable and paged (50 a page)' })
  @ApiQuery({ name: 'q', required: false, description: 'Search company, domain or tenant id' })
  @ApiQuery({ name: 'gdap', required: false, enum: ['ok', 'missing_roles', 'expired', 'no_gdap', 'unknown'] })
  @ApiQuery({ name: 'unassigned', required: false, enum: ['1'] })
  @ApiQuery({ name: 'failed', required: false, enum: ['1'] })
  @ApiQuery({ name: 'removed', required: false, enum: ['1'], description: 'Include tenants no longer in Partner Center' })
  @ApiQuery({ name: 'sort', required: false, enum: ['company', 'domain', 'purchased', 'assigned', 'gdap', 'updated'] })
  @ApiQuery({ name: 'dir', required: false, enum: ['asc', 'desc'] })
  @ApiQuery({ name: 'page', required: false, type: Number })
  @ApiOkResponse({ type: CustomerTenantPage })
  async list(@CurrentActor() actor: Actor, @Query() raw: Record<string, unknown>): Promise<CustomerTenantPage> {
    const query = parseListQuery(raw);
    const { rows, total } = await this.tenants.list(actor.organizationId, query);
    return { items: rows.map(toTenant), total, page: query.page, pageSize: query.pageSize };
  }

  @Get('tenants/:tenantId')
  @ApiOkResponse({ type: CustomerTenantResponse })
  @ApiNotFoundResponse({ description: 'problem+json, code TENANTS.CUSTOMER_NOT_FOUND' })
  async detail(@CurrentActor() actor: Actor, @Param('tenantId', ParseUUIDPipe) tenantId: string): Promise<CustomerTenantResponse> {
    const detail = await this.tenants.detail(actor.organizationId, tenantId);
    if (!detail) throw new CustomerTenantNotFoundError();
    return toTenant(detail);
  }

  @Get('tenants/:tenantId/licences')
  @ApiOperation({ summary: 'Licences of a customer tenant per SKU' })
  @ApiOkResponse({ type: [LicenceResponse] })
  async licences(@CurrentActor() actor: Actor, @Param('tenantId', ParseUUIDPipe) tenantId: string): Promise<LicenceResponse[]> {
    if (!(await this.tenants.detail(actor.organizationId, tenantId))) throw new CustomerTenantNotFoundError();
    return (await this.licensing.licencesOfTenant(actor.organizationId, tenantId)).map(({ tenantId: _, ...licence }) => licence);
  }

  @Get('import-runs')
  @ApiOperation({ summary: 'The latest import of each connected Partner Center account' })
  @ApiOkResponse({ type: [ImportRunResponse] })
  async runs(@CurrentActor() actor: Actor): Promise<ImportRunResponse[]> {
    return (await this.imports.latestRuns(actor.organizationId)).map(toRun);
  }

  @Get('import-runs/current')
  @ApiOperation({ summary: 'Progress of the imports running now (what the dashboard banner shows)' })
  @ApiOkResponse({ type: ImportProgressResponse })
  async current(@CurrentActor() actor: Actor): Promise<ImportProgressResponse> {
    const progress = await this.tenants.progress(actor.organizationId);
    return { ...progress, lastFinishedAt: progress.lastFinishedAt?.toISOString() ?? null };
  }

  @Get('import-runs/:id')
  @ApiOkResponse({ type: ImportRunResponse })
  @ApiNotFoundResponse({ description: 'problem+json, code TENANTS.IMPORT_RUN_NOT_FOUND' })
  async run(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ImportRunResponse> {
    const run = await this.imports.findRun(actor.organizationId, id);
    if (!run) throw new ImportRunNotFoundError();
    return toRun(run);
  }

  @Post('import-runs')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start importing customers now (one import per Partner Center account at a time)' })
  @ApiAcceptedResponse({ type: [ImportRunResponse], description: 'The started (or already running) imports' })
  async start(@CurrentActor() actor: Actor, @Body() body: StartImportRequest): Promise<ImportRunResponse[]> {
    const delegatedAdminId = typeof body?.delegatedAdminId === 'string' ? body.delegatedAdminId : undefined;
    return (await this.startImport.execute(actor.organizationId, delegatedAdminId)).runs.map(toRun);
  }
}

function toTenant(row: CustomerRow): CustomerTenantResponse {
  return {
    tenantId: row.tenantId,
    companyName: row.companyName,
    domain: row.domain,
    status: row.status,
    purchased: row.purchased,
    assigned: row.assigned,
    hasUnassignedSeats: row.hasUnassignedSeats,
    gdapStatus: row.gdapStatus,
    gdapMissingRoles: row.gdapMissingRoles,
    lastError: row.lastError,
    licencesReadAt: row.licencesReadAt?.toISOString() ?? null,
    gdapReadAt: row.gdapReadAt?.toISOString() ?? null,
  };
}

function toRun(run: ImportRun): ImportRunResponse {
  return { id: run.id, delegatedAdminId: run.delegatedAdminId, trigger: run.trigger, status: run.status, total: run.total, done: run.done, failed: run.failed, error: run.error, startedAt: run.startedAt.toISOString(), finishedAt: run.finishedAt?.toISOString() ?? null };
}
