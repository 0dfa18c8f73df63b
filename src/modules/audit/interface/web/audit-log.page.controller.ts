import { Controller, Get, ParseIntPipe, Query, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CurrentActor, type Actor } from '../../../../shared/interface/web/request-actor';
import { auditActionWords } from '../../application/audit-actions';
import { AuditLogQueries } from '../../application/audit-log.queries';

const PAGE_SIZE = 50;

@ApiExcludeController()
@Controller('settings/audit-log')
export class AuditLogPageController {
  constructor(private readonly audit: AuditLogQueries) {}

  @Get()
  @Render('pages/audit-log')
  async list(@CurrentActor() actor: Actor, @Query('page', new ParseIntPipe({ optional: true })) page = 1) {
    const current = Math.max(1, page);
    const { entries, total } = await this.audit.page(actor.organizationId, current, PAGE_SIZE);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    return {
      pageTitle: 'Audit log',
      tab: 'settings',
      total,
      entries: entries.map((e) => ({
        ...e,
        actionWords: auditActionWords(e.action),
        occurredAt: e.occurredAt.toISOString(),
        failed: e.outcome === 'failure',
      })),
      previousPage: current > 1 ? current - 1 : undefined,
      nextPage: current < pages ? current + 1 : undefined,
      page: current,
      pages,
    };
  }
}
