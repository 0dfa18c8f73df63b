import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Clock } from '../../../../shared/application/clock';
import { DomainError } from '../../../../shared/domain/domain-error';
import { flash } from '../../../../shared/interface/web/flash';
import { FormPage } from '../../../../shared/interface/web/form-errors';
import { roleSatisfies } from '../../../../shared/domain/staff-role';
import { CurrentActor, RequiresRole, type Actor } from '../../../../shared/interface/web/request-actor';
import { DecideChangeUseCase } from '../../application/decide-change.use-case';
import { ManagePortalUsersUseCase } from '../../application/manage-portal-users.use-case';
import { PortalQueries } from '../../application/portal-queries';
import { statusLabelOf, type ChangeRequest } from '../../domain/change-request';
import { dayLabel, utcDay } from '../../domain/change-rules';
import { PORTAL_ROLE_DESCRIPTIONS, PORTAL_ROLE_LABELS, PORTAL_ROLES } from '../../domain/portal-user';
import { redirectAfterSave } from '../../../../shared/interface/web/flash';
import { approvalView, requestView, ROLE_CHOICES, userView } from './portal-view';
import { layoutLocals } from '../../../../shared/interface/web/layout';

const DAY_MS = 24 * 60 * 60 * 1000;

// The partner's side of the licence portal (staff sign-in): a tenant's portal users and requests with Approve /
// Reject, every pending request of the organization, and the email-ready summary.
@ApiExcludeController()
@Controller()
export class PartnerPortalPageController {
  constructor(
    private readonly queries: PortalQueries,
    private readonly decide: DecideChangeUseCase,
    private readonly manageUsers: ManagePortalUsersUseCase,
    private readonly clock: Clock,
  ) {}

  @Get('tenants/:tenantId/portal')
  @Render('pages/portal-partner-tenant')
  async tenant(@CurrentActor() actor: Actor, @Param('tenantId', ParseUUIDPipe) tenantId: string) {
    const { tenant, enabled, users, requests } = await this.queries.tenantPortal(actor.organizationId, tenantId);
    const views = requests.map(requestView);
    return {
      pageTitle: `${tenant.companyName} — licence portal`,
      tab: 'customers',
      tenant: { tenantId: tenant.tenantId, companyName: tenant.companyName, domains: tenant.domains },
      enabled,
      users: users.map((u) => userView(u, null)),
      usersActionBase: `/tenants/${tenant.tenantId}/portal/users`,
      // Adding and removing the customer's portal users is an Admin's (the role guard refuses the rest).
      usersReadOnly: !roleSatisfies(actor.role, 'admin'),
      roles: ROLE_CHOICES,
      roleHelp: PORTAL_ROLES.map((role) => `${PORTAL_ROLE_LABELS[role]}: ${PORTAL_ROLE_DESCRIPTIONS[role]}`),
      open: views.filter((r) => r.open),
      past: views.filter((r) => !r.open),
      returnTo: `/tenants/${tenant.tenantId}/portal`,
    };
  }

  @Post('tenants/:tenantId/portal/users')
  @FormPage('portal-user', 'pages/portal-partner-tenant', (page: PartnerPortalPageController, actor, request) =>
    page.tenant(actor, String(request.params.tenantId)),
  )
  async addUser(
    @CurrentActor() actor: Actor,
    @Param('tenantId', ParseUUIDPipe) tenantId: string,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const user = await this.manageUsers.add({ kind: 'partner', actor }, tenantId, {
      userPrincipalName: body.userPrincipalName,
      role: body.role,
    });
    flash(request, 'success', `${user.userPrincipalName} can now sign in to the licence portal as ${PORTAL_ROLE_LABELS[user.role]}.`);
    await redirectAfterSave(request, response, `/tenants/${tenantId}/portal#portal-users`);
  }

  @Post('tenants/:tenantId/portal/users/:portalUserId/role')
  async changeRole(
    @CurrentActor() actor: Actor,
    @Param('tenantId', ParseUUIDPipe) tenantId: string,
    @Param('portalUserId') portalUserId: string,
    @Body('role') role: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const user = await this.manageUsers.changeRole({ kind: 'partner', actor }, tenantId, portalUserId, role);
    flash(request, 'success', `${user.userPrincipalName} is now ${PORTAL_ROLE_LABELS[user.role]}.`);
    await redirectAfterSave(request, response, `/tenants/${tenantId}/portal#portal-users`);
  }

  @Post('tenants/:tenantId/portal/users/:portalUserId/remove')
  async removeUser(
    @CurrentActor() actor: Actor,
    @Param('tenantId', ParseUUIDPipe) tenantId: string,
    @Param('portalUserId') portalUserId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const user = await this.manageUsers.remove({ kind: 'partner', actor }, tenantId, portalUserId);
    flash(request, 'success', `${user.userPrincipalName} can no longer use the licence portal.`);
    await redirectAfterSave(request, response, `/tenants/${tenantId}/portal#portal-users`);
  }

  // Approve spends the partner's money, so it takes two steps: the first POST (the table's Approve button, with the
  // comment typed there) only shows what would be bought or changed; the confirmation's POST (confirm=yes) decides.
  // Then the decision is committed first and Partner Center called while the partner waits; the flash says what it did.
  @RequiresRole('billing')
  @Post('portal-requests/:requestId/approve')
  async approve(
    @CurrentActor() actor: Actor,
    @Param('requestId') requestId: string,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    if (body.confirm !== 'yes') return this.confirmApproval(actor, requestId, body, request, response);
    await this.decided(request, response, body.returnTo, () => this.decide.approve(actor, requestId, body.comment));
  }

  private async confirmApproval(
    actor: Actor,
    requestId: string,
    body: Record<string, unknown>,
    request: Request,
    response: Response,
  ): Promise<void> {
    const { request: change, subscription } = await this.queries.approval(actor.organizationId, requestId, this.clock.now());
    if (change.status !== 'pending') {
      // Decided meanwhile: say so where the decision was to be made, as a refused decision does.
      flash(
        request,
        'error',
        `This request is no longer waiting for a decision (it is ${statusLabelOf(change).toLowerCase()}), so nothing was changed. Its current status is below.`,
      );
      return redirectAfterSave(request, response, safeReturnTo(body.returnTo));
    }
    response.status(200).render('pages/portal-partner-approve', {
      ...layoutLocals(request),
      pageTitle: 'Confirm the licence change',
      tab: 'customers',
      subTab: 'portal-requests',
      ...approvalView(change, subscription),
      comment: typeof body.comment === 'string' ? body.comment.slice(0, 1000) : '',
      returnTo: safeReturnTo(body.returnTo),
    });
  }

  @RequiresRole('billing')
  @Post('portal-requests/:requestId/reject')
  async reject(
    @CurrentActor() actor: Actor,
    @Param('requestId') requestId: string,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.decided(request, response, body.returnTo, () => this.decide.reject(actor, requestId, body.comment));
  }

  @Get('portal-requests')
  @Render('pages/portal-partner-requests')
  async pending(@CurrentActor() actor: Actor) {
    const requests = (await this.queries.openRequests(actor.organizationId)).map(requestView);
    return {
      pageTitle: 'Licence portal requests',
      tab: 'customers',
      subTab: 'portal-requests',
      pending: requests.filter((r) => r.decidable),
      other: requests.filter((r) => !r.decidable),
      returnTo: '/portal-requests',
    };
  }

  // An email-ready digest of the last days, to copy into an email (also as plain text, below).
  @Get('portal-requests/summary')
  @Render('pages/portal-partner-summary')
  async summary(@CurrentActor() actor: Actor, @Query('days') days?: string) {
    const period = this.period(days);
    const { summary, requests } = await this.queries.summary(actor.organizationId, actor.organizationName, period.since, period.until);
    return {
      pageTitle: 'Licence portal summary',
      tab: 'customers',
      days: period.days,
      dayChoices: [1, 7, 30].map((n) => ({ n, selected: n === period.days })),
      since: utcDay(period.since),
      until: dayLabel(period.until),
      summary,
      requests: requests.map(requestView),
    };
  }

  @Get('portal-requests/summary.txt')
  async summaryText(@CurrentActor() actor: Actor, @Query('days') days: string | undefined, @Res() response: Response): Promise<void> {
    const period = this.period(days);
    const { summary } = await this.queries.summary(actor.organizationId, actor.organizationName, period.since, period.until);
    response.type('text/plain; charset=utf-8').send(`Subject: ${summary.subject}\n\n${summary.text}`);
  }

  private period(daysParam: string | undefined): { days: number; since: Date; until: Date } {
    const days = Math.min(90, Math.max(1, Number.parseInt(daysParam ?? '', 10) || 7));
    const until = this.clock.now();
    return { days, since: new Date(until.getTime() - days * DAY_MS), until };
  }

  private async decided(request: Request, response: Response, returnTo: unknown, work: () => Promise<ChangeRequest>): Promise<void> {
    const back = safeReturnTo(returnTo);
    try {
      const decided = await work();
      flash(request, decided.status === 'failed' ? 'error' : 'success', decisionMessage(decided));
    } catch (error) {
      // A refused decision (already decided, no comment for a rejection) changes nothing: say why, on the same page.
      if (!(error instanceof DomainError) || /NOT_FOUND$/.test(error.code)) throw error;
      flash(request, 'error', [error.message, error.fix].filter(Boolean).join(' '));
    }
    await redirectAfterSave(request, response, back);
  }
}

function decisionMessage(request: ChangeRequest): string {
  const what = `${request.tenantName} — ${request.subscriptionName} (${request.fromQuantity} → ${request.toQuantity} seats)`;
  switch (request.status) {
    case 'applied':
      return `Approved and applied: ${what}. ${request.result ?? ''}`.trim();
    case 'failed':
      return `Approved, but not applied: ${what}. ${request.result ?? ''} The customer sees the same.`.trim();
    case 'scheduled':
      return `Approved: ${what}. ${request.result ?? ''}`.trim();
    case 'rejected':
      return `Rejected: ${what}. The customer sees your comment.`;
    default:
      return `${statusLabelOf(request)}: ${what}. ${request.result ?? ''}`.trim();
  }
}

// Back to the page the decision was made on: only these two, never an address from outside.
function safeReturnTo(value: unknown): string {
  if (typeof value === 'string' && (/^\/tenants\/[0-9a-fA-F-]{36}\/portal$/.test(value) || value === '/portal-requests')) return value;
  return '/portal-requests';
}
