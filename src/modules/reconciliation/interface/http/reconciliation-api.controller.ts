import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNotFoundResponse,
  ApiUnprocessableEntityResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Clock } from '../../../../shared/application/clock';
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
  timeParam,
} from '../../../../shared/interface/http/api-params';
import { CurrentApiCaller, InvalidParameterError, PartnerApi, type ApiCaller } from '../../../../shared/interface/http/partner-api';
import { ProblemResponse } from '../../../../shared/interface/http/problem.dto';
import { RequiresRole } from '../../../../shared/interface/web/request-actor';
import {
  isMonth,
  MONTH_PATTERN,
  MonthEndNotFoundError,
  ReconciliationRunNotFoundError,
  RunQueries,
  DiscrepancyQueries,
  ChangeQueries,
  MonthEndQueries,
  SnapshotQueries,
  type DiscrepancyView,
  type LicenceSnapshotRow,
  type LicensingChangeView,
  type MonthEndView,
  type ReconciliationRunView,
} from '../../application/reconciliation-queries';
import { RequestReconciliationUseCase } from '../../application/request-reconciliation.use-case';
import { CHANGE_KINDS, DISCREPANCY_KINDS } from '../../domain';
import {
  DiscrepancyPage,
  DiscrepancyResponse,
  LicensingChangePage,
  LicensingChangeResponse,
  MonthEndList,
  MonthEndResponse,
  ReconciliationRequestedResponse,
  ReconciliationRunPage,
  ReconciliationRunResponse,
  SnapshotLicencePage,
  SnapshotLicenceResponse,
} from './reconciliation-api.dto';

const RUN_CURSOR = new CursorCodec('reconciliation-runs', ['time', 'guid']);
const CHANGE_CURSOR = new CursorCodec('changes', ['time', 'guid']);
const DISCREPANCY_CURSOR = new CursorCodec('discrepancies', ['text', 'guid']);
const MONTH_END_LICENCE_CURSOR = new CursorCodec('month-end-licences', ['text', 'guid', 'text', 'text', 'guid']);

const RUN_LIST = { limit: limitParam(), cursor: cursorParam(RUN_CURSOR) };
const CHANGE_LIST = {
  since: timeParam('Changes that occurred at or after this instant (give since or runId)'),
  runId: guidParam('The changes one reconciliation run found (give since or runId)'),
  tenantId: guidParam('Only this customer tenant'),
  kind: enumParam(CHANGE_KINDS, 'Only this kind of change'),
  limit: limitParam(),
  cursor: cursorParam(CHANGE_CURSOR),
};
const DISCREPANCY_LIST = {
  kind: enumParam(DISCREPANCY_KINDS, 'Only this kind of discrepancy'),
  tenantId: guidParam('Only this customer tenant'),
  includeSilenced: flagParam('Include discrepancies an exclusion silenced'),
  limit: limitParam(),
  cursor: cursorParam(DISCREPANCY_CURSOR),
};
const MONTH_END_LICENCE_LIST = {
  tenantId: guidParam('Only this customer tenant'),
  limit: limitParam(),
  cursor: cursorParam(MONTH_END_LICENCE_CURSOR),
};

// The partner API's licensing reconciliation: runs, the changes they found, what is wrong now, and the month-end
// snapshots billing uses. Runs, changes and snapshots never change once written.
@ApiTags('reconciliation')
@Controller('api/v1')
export class ReconciliationApiController {
  constructor(
    private readonly runQueries: RunQueries,
    private readonly discrepancyQueries: DiscrepancyQueries,
    private readonly changeQueries: ChangeQueries,
    private readonly monthEndQueries: MonthEndQueries,
    private readonly snapshotQueries: SnapshotQueries,
    private readonly requestReconciliation: RequestReconciliationUseCase,
    private readonly clock: Clock,
  ) {}

  @Get('reconciliation-runs')
  @PartnerApi('read:reconciliation')
  @ApiOperation({
    operationId: 'listReconciliationRuns',
    summary: 'Reconciliation runs, newest first',
    description: 'One run per finished import of a delegated admin’s customers. Keyset pages.',
  })
  @ApiQueryParams(RUN_LIST)
  @ApiOkResponse({ type: ReconciliationRunPage })
  @ApiInvalidParameterResponse()
  async runs(@CurrentApiCaller() caller: ApiCaller, @Query() raw: Record<string, unknown>): Promise<ReconciliationRunPage> {
    const query = parseQuery(RUN_LIST, raw);
    return RUN_CURSOR.page(await this.runQueries.runPage(caller.organizationId, query.cursor, query.limit), toRun);
  }

  @Post('reconciliation-runs')
  @HttpCode(202)
  @PartnerApi('write:sync')
  // With the dashboard session: a licensing action, like the Licensing tab's "Run the reconciliation now".
  @RequiresRole('billing')
  @ApiOperation({
    operationId: 'requestReconciliation',
    summary: 'Run the reconciliation now',
    description:
      'The same run as the daily one: every tenant is read again (GET /api/v1/import-runs/current shows the progress), and each finished import becomes a reconciliation run.',
  })
  @ApiAcceptedResponse({ type: ReconciliationRequestedResponse })
  @ApiInvalidParameterResponse()
  @ApiUnprocessableEntityResponse({
    type: ProblemResponse,
    description:
      'Nothing to read through, so no run starts: no Partner Center account is connected (code LICENSING.NO_CONNECTED_ACCOUNT), or every connected one needs its consent granted again (code LICENSING.CONNECTED_ACCOUNTS_NEED_RECONSENT). The fix is on the dashboard under Customers → Delegated Admin.',
  })
  async request(
    @CurrentApiCaller() caller: ApiCaller,
    @Body() body: unknown,
    @Query() raw: Record<string, unknown>,
  ): Promise<ReconciliationRequestedResponse> {
    parseQuery({}, raw);
    parseBody({}, body);
    const requestedAt = this.clock.now();
    await this.requestReconciliation.execute(caller.organizationId);
    return {
      requestedAt: requestedAt.toISOString(),
      message: 'Every tenant is read again now; each finished import becomes a reconciliation run (GET /api/v1/reconciliation-runs).',
    };
  }

  @Get('reconciliation-runs/:runId')
  @PartnerApi('read:reconciliation')
  @ApiOperation({ operationId: 'getReconciliationRun', summary: 'One reconciliation run' })
  @ApiGuidParam('runId', 'The id of the run')
  @ApiOkResponse({ type: ReconciliationRunResponse })
  @ApiInvalidParameterResponse()
  @ApiNotFoundResponse({ type: ProblemResponse, description: 'No such run in your organization (code LICENSING.RUN_NOT_FOUND).' })
  async run(
    @CurrentApiCaller() caller: ApiCaller,
    @Param('runId') runId: string,
    @Query() raw: Record<string, unknown>,
  ): Promise<ReconciliationRunResponse> {
    parseQuery({}, raw);
    const run = await this.runQueries.run(caller.organizationId, parseGuid('runId', runId));
    if (!run) throw new ReconciliationRunNotFoundError();
    return toRun(run);
  }

  @Get('changes')
  @PartnerApi('read:reconciliation')
  @ApiOperation({
    operationId: 'listChanges',
    summary: 'Licence and subscription changes, oldest first',
    description:
      'Those that occurred since an instant, or those one run found. Ordered by when they occurred, then id: follow the feed by paging with the cursor, and poll again later with `since` set to the last change’s occurredAt (changes at that instant come again: skip the ids you have).',
  })
  @ApiQueryParams(CHANGE_LIST)
  @ApiOkResponse({ type: LicensingChangePage })
  @ApiInvalidParameterResponse()
  @ApiNotFoundResponse({ type: ProblemResponse, description: 'runId names no run of your organization (code LICENSING.RUN_NOT_FOUND).' })
  async changes(@CurrentApiCaller() caller: ApiCaller, @Query() raw: Record<string, unknown>): Promise<LicensingChangePage> {
    const query = parseQuery(CHANGE_LIST, raw);
    if (query.since && query.runId) throw new InvalidParameterError('runId', 'give either since or runId, not both');
    if (!query.since && !query.runId) throw new InvalidParameterError('since', 'give since (an ISO 8601 date-time) or runId');
    if (query.runId && !(await this.runQueries.run(caller.organizationId, query.runId))) throw new ReconciliationRunNotFoundError();
    const feed = { since: query.since, runId: query.runId, tenantId: query.tenantId, kind: query.kind };
    return CHANGE_CURSOR.page(await this.changeQueries.changePage(caller.organizationId, feed, query.cursor, query.limit), toChange);
  }

  @Get('discrepancies')
  @PartnerApi('read:reconciliation')
  @ApiOperation({
    operationId: 'listDiscrepancies',
    summary: 'What is wrong now',
    description:
      'The open discrepancies of the latest run of each delegated admin, ordered by key (kind, tenant, SKU, subscription). Keyset pages.',
  })
  @ApiQueryParams(DISCREPANCY_LIST)
  @ApiOkResponse({ type: DiscrepancyPage })
  @ApiInvalidParameterResponse()
  async discrepancies(@CurrentApiCaller() caller: ApiCaller, @Query() raw: Record<string, unknown>): Promise<DiscrepancyPage> {
    const query = parseQuery(DISCREPANCY_LIST, raw);
    const filter = { kind: query.kind, tenantId: query.tenantId, includeSilenced: query.includeSilenced };
    return DISCREPANCY_CURSOR.page(
      await this.discrepancyQueries.discrepancyPage(caller.organizationId, filter, query.cursor, query.limit),
      toDiscrepancy,
    );
  }

  @Get('month-ends')
  @PartnerApi('read:reconciliation')
  @ApiOperation({
    operationId: 'listMonthEnds',
    summary: 'Month-end snapshots, newest month first',
    description: 'A month’s snapshot is kept by the first run after the month ends: what to bill.',
  })
  @ApiOkResponse({ type: MonthEndList })
  @ApiInvalidParameterResponse()
  async monthEnds(@CurrentApiCaller() caller: ApiCaller, @Query() raw: Record<string, unknown>): Promise<MonthEndList> {
    parseQuery({}, raw);
    return { items: (await this.monthEndQueries.monthEnds(caller.organizationId)).map(toMonthEnd) };
  }

  @Get('month-ends/:month/licences')
  @PartnerApi('read:reconciliation')
  @ApiOperation({
    operationId: 'listMonthEndLicences',
    summary: 'Licences of a month-end snapshot',
    description: 'Ordered by company name, tenant, product, SKU and run. Keyset pages.',
  })
  @ApiParam({ name: 'month', description: 'YYYY-MM', schema: { type: 'string', pattern: MONTH_PATTERN }, example: '2026-10' })
  @ApiQueryParams(MONTH_END_LICENCE_LIST)
  @ApiOkResponse({ type: SnapshotLicencePage })
  @ApiInvalidParameterResponse()
  @ApiNotFoundResponse({ type: ProblemResponse, description: 'No snapshot of that month (code LICENSING.MONTH_END_NOT_FOUND).' })
  async monthEndLicences(
    @CurrentApiCaller() caller: ApiCaller,
    @Param('month') month: string,
    @Query() raw: Record<string, unknown>,
  ): Promise<SnapshotLicencePage> {
    if (!isMonth(month)) throw new InvalidParameterError('month', 'must be a month as YYYY-MM, such as 2026-10');
    const query = parseQuery(MONTH_END_LICENCE_LIST, raw);
    if (!(await this.monthEndQueries.monthEnd(caller.organizationId, month))) throw new MonthEndNotFoundError(month);
    const scope = { month, ...(query.tenantId ? { tenantId: query.tenantId } : {}) };
    return MONTH_END_LICENCE_CURSOR.page(
      await this.snapshotQueries.licenceRowPage(caller.organizationId, scope, query.cursor, query.limit),
      toSnapshotLicence,
    );
  }
}

function toRun(run: ReconciliationRunView): ReconciliationRunResponse {
  return { ...run, startedAt: run.startedAt.toISOString(), finishedAt: run.finishedAt.toISOString() };
}

function toChange(change: LicensingChangeView): LicensingChangeResponse {
  return { ...change, occurredAt: change.occurredAt.toISOString() };
}

function toDiscrepancy(discrepancy: DiscrepancyView): DiscrepancyResponse {
  return { ...discrepancy, actBy: discrepancy.actBy?.toISOString() ?? null };
}

function toMonthEnd(monthEnd: MonthEndView): MonthEndResponse {
  return {
    month: monthEnd.month,
    frozenAt: monthEnd.frozenAt.toISOString(),
    runs: monthEnd.runs.map((run) => ({ ...run, finishedAt: run.finishedAt.toISOString() })),
  };
}

function toSnapshotLicence(row: LicenceSnapshotRow): SnapshotLicenceResponse {
  return { ...row, snapshotAt: row.snapshotAt.toISOString() };
}
