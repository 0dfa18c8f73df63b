import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ApiGuidParam,
  ApiInvalidParameterResponse,
  ApiQueryParams,
  limitParam,
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
import { PsaSyncRepository } from '../../application/ports/psa-sync.repository';
import { RequestSyncUseCase } from '../../application/request-sync.use-case';
import type { SyncRun, TenantSyncResult } from '../../domain/psa-sync-run';
import { PsaSyncRunNotFoundError } from '../../domain/psa-sync.errors';
import { PsaSyncRequest, PsaSyncRunDetailResponse, PsaSyncRunList, PsaSyncRunResponse, PsaSyncStartedResponse } from './psa-sync-api.dto';

const LIST = { limit: limitParam() };

// The partner API's PSA sync: the history of runs (per customer and line: before → after, the PSA's answer), and
// starting a sync or a dry run.
@ApiTags('billing')
@Controller('api/v1/billing/psa-syncs')
export class PsaSyncApiController {
  constructor(
    private readonly repository: PsaSyncRepository,
    private readonly request: RequestSyncUseCase,
  ) {}

  @Get()
  @PartnerApi('read:billing')
  @ApiOperation({ operationId: 'listPsaSyncs', summary: 'PSA sync runs and dry runs, newest first' })
  @ApiQueryParams(LIST)
  @ApiOkResponse({ type: PsaSyncRunList })
  @ApiInvalidParameterResponse()
  async list(@CurrentApiCaller() caller: ApiCaller, @Query() raw: Record<string, unknown>): Promise<PsaSyncRunList> {
    const { limit } = parseQuery(LIST, raw);
    return { items: (await this.repository.runs(caller.organizationId, { limit })).map(toRun) };
  }

  @Get(':runId')
  @PartnerApi('read:billing')
  @ApiOperation({ operationId: 'getPsaSync', summary: 'One run: per customer and line, before → after, the writes and the PSA’s answer' })
  @ApiGuidParam('runId', 'The id of the run')
  @ApiOkResponse({ type: PsaSyncRunDetailResponse })
  @ApiInvalidParameterResponse()
  @ApiNotFoundResponse({ type: ProblemResponse, description: 'No such run in your organization (code PSA.SYNC_RUN_NOT_FOUND).' })
  async get(@CurrentApiCaller() caller: ApiCaller, @Param('runId') runId: string): Promise<PsaSyncRunDetailResponse> {
    const run = await this.repository.run(caller.organizationId, parseGuid('runId', runId));
    if (!run) throw new PsaSyncRunNotFoundError();
    return { ...toRun(run), customers: (await this.repository.tenantResults(caller.organizationId, run.id)).map(toTenant) };
  }

  @RequiresRole('billing')
  @Post()
  @PartnerApi('write:billing')
  @ApiOperation({
    operationId: 'startPsaSync',
    summary: 'Start a sync, or compute a dry run',
    description: 'A sync runs as a job (202; audited); a dry run is answered at once with what would be written (201).',
  })
  @ApiBody({ type: PsaSyncRequest, required: false })
  @ApiAcceptedResponse({ type: PsaSyncStartedResponse })
  @ApiCreatedResponse({ type: PsaSyncRunDetailResponse })
  @ApiInvalidParameterResponse()
  @ApiUnprocessableEntityResponse({
    type: ProblemResponse,
    description: 'No PSA is connected (code PSA.NOT_CONNECTED_CONFLICT is answered 409), or the PSA refused.',
  })
  @HttpCode(202)
  async start(
    @CurrentApiCaller() caller: ApiCaller,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PsaSyncStartedResponse | PsaSyncRunDetailResponse> {
    const dryRun = body && typeof body === 'object' ? (body as Record<string, unknown>).dryRun : undefined;
    if (dryRun !== undefined && typeof dryRun !== 'boolean') throw new InvalidParameterError('dryRun', 'must be true or false');
    const actor = callerParty(caller);
    if (dryRun) {
      const outcome = (await this.request.dryRun(actor))!;
      response.status(201);
      return { ...toRun(outcome.run), customers: outcome.results.map(toTenant) };
    }
    const { runId, queued } = await this.request.syncNow(actor);
    return { id: runId, queued };
  }
}

function toRun(run: SyncRun): PsaSyncRunResponse {
  return {
    id: run.id,
    psa: run.psaKind,
    trigger: run.trigger,
    triggeredBy: run.triggeredBy,
    status: run.status,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    tenants: run.tenants,
    changedLines: run.changedLines,
    failedTenants: run.failedTenants,
  };
}

function toTenant(result: TenantSyncResult) {
  return {
    tenantId: result.tenantId,
    companyName: result.companyName,
    status: result.status,
    message: result.message,
    fix: result.fix,
    lines: result.lines.map((l) => ({
      product: l.productName,
      psaProductId: l.psaProductId,
      before: l.before,
      after: l.after,
      outcome: l.outcome,
      writes: l.writes,
      answer: l.answer,
    })),
  };
}
