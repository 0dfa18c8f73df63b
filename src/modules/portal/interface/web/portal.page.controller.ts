import { Body, Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Clock } from '../../../../shared/application/clock';
import { flash } from '../../../../shared/interface/web/flash';
import { Public } from '../../../../shared/interface/web/request-actor';
import { ManagePortalUsersUseCase } from '../../application/manage-portal-users.use-case';
import { PortalQueries } from '../../application/portal-queries';
import type { PortalViewer } from '../../application/portal-viewer';
import { RequestChangeUseCase } from '../../application/request-change.use-case';
import { CHANGE_KIND_LABELS, isOpen } from '../../domain/change-request';
import { CHANGE_KINDS, dayLabel } from '../../domain/change-rules';
import { ChangeNotAllowedError, OpenRequestExistsError, PortalRoleForbiddenError } from '../../domain/portal.errors';
import { mayManageUsers, mayRequestChanges, PORTAL_ROLE_DESCRIPTIONS, PORTAL_ROLE_LABELS, PORTAL_ROLES } from '../../domain/portal-user';
import { PortalErrorFilter } from './portal-error.filter';
import { redirectAfterSave } from '../../../../shared/interface/web/flash';
import { CurrentPortalViewer, PortalSessionGuard, type RequestWithPortalViewer } from './portal-session';
import { FormPage } from '../../../../shared/interface/web/form-errors';
import { renderPortal, requestView, ROLE_CHOICES, subscriptionView, userView } from './portal-view';

// The customer's licence portal: their licences and subscriptions, the request form with its rules, their
// requests, and (Admins) the portal users of their organization. Always the signed-in person's own tenant.
@ApiExcludeController()
@Public()
@UseGuards(PortalSessionGuard)
@UseFilters(PortalErrorFilter)
@Controller('portal')
export class PortalPageController {
  constructor(
    private readonly queries: PortalQueries,
    private readonly requestChange: RequestChangeUseCase,
    private readonly manageUsers: ManagePortalUsersUseCase,
    private readonly clock: Clock,
  ) {}

  @Get()
  async home(@CurrentPortalViewer() viewer: PortalViewer, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { picture, openBySubscription, requests } = await this.queries.overview(viewer, this.clock.now());
    const mayRequest = mayRequestChanges(viewer.role);
    renderPortal(request, response, viewer, 'pages/portal-home', {
      pageTitle: 'Your licences',
      tab: 'licences',
      licences: picture.licences,
      subscriptions: picture.subscriptions.map((s) =>
        subscriptionView(s, openBySubscription.get(s.facts.id.toLowerCase()) ?? null, mayRequest),
      ),
      openRequests: requests.filter(isOpen).map(requestView),
      readAt: picture.readAt,
    });
  }

  @Get('requests')
  async requests(@CurrentPortalViewer() viewer: PortalViewer, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { requests } = await this.queries.overview(viewer, this.clock.now());
    const views = requests.map(requestView);
    renderPortal(request, response, viewer, 'pages/portal-requests', {
      pageTitle: 'Requests',
      tab: 'requests',
      open: views.filter((r) => r.open),
      past: views.filter((r) => !r.open),
    });
  }

  @Get('subscriptions/:subscriptionId/change')
  async changeForm(
    @CurrentPortalViewer() viewer: PortalViewer,
    @Param('subscriptionId') subscriptionId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.renderChangeForm(viewer, subscriptionId, request, response, {});
  }

  @Post('requests')
  async submit(
    @CurrentPortalViewer() viewer: PortalViewer,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const subscriptionId = typeof body.subscriptionId === 'string' ? body.subscriptionId : '';
    try {
      const created = await this.requestChange.execute(viewer, { subscriptionId, kind: body.kind, toQuantity: body.quantity });
      const when = created.effectiveDate ? ` at renewal (${dayLabel(created.effectiveDate)})` : '';
      flash(
        request,
        'success',
        `Your request was sent to ${viewer.partnerName}: ${created.subscriptionName} from ${created.fromQuantity} to ${created.toQuantity} seats${when}. You will see their decision here.`,
      );
      await redirectAfterSave(request, response, '/portal/requests');
    } catch (error) {
      // Not allowed by the rules, or already requested: the form again, with the reason, and nothing sent.
      if (!(error instanceof ChangeNotAllowedError) && !(error instanceof OpenRequestExistsError)) throw error;
      const status = error instanceof OpenRequestExistsError ? 409 : 422;
      await this.renderChangeForm(
        viewer,
        subscriptionId,
        request,
        response,
        { error: { message: error.message, fix: error.fix }, kind: body.kind, quantity: body.quantity },
        status,
      );
    }
  }

  @Get('users')
  async users(@CurrentPortalViewer() viewer: PortalViewer, @Req() request: Request, @Res() response: Response): Promise<void> {
    renderPortal(request, response, viewer, 'pages/portal-users', await this.usersPage(viewer));
  }

  async usersPage(viewer: PortalViewer) {
    if (!mayManageUsers(viewer.role)) throw new PortalRoleForbiddenError('manage the portal users', viewer.partnerName);
    const users = await this.queries.usersOf(viewer);
    return {
      pageTitle: 'Portal users',
      tab: 'users',
      users: users.map((u) => userView(u, viewer.portalUserId)),
      roles: ROLE_CHOICES,
      roleHelp: PORTAL_ROLES.map((role) => `${PORTAL_ROLE_LABELS[role]}: ${PORTAL_ROLE_DESCRIPTIONS[role]}`),
    };
  }

  @Post('users')
  @FormPage('portal-user', 'pages/portal-users', (page: PortalPageController, _actor, request) =>
    page.usersPage((request as RequestWithPortalViewer).portalViewer!),
  )
  async addUser(
    @CurrentPortalViewer() viewer: PortalViewer,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const user = await this.manageUsers.add({ kind: 'portal', viewer }, viewer.tenantId, {
      userPrincipalName: body.userPrincipalName,
      role: body.role,
    });
    flash(request, 'success', `${user.userPrincipalName} can now sign in to the licence portal as ${PORTAL_ROLE_LABELS[user.role]}.`);
    await redirectAfterSave(request, response, '/portal/users');
  }

  @Post('users/:portalUserId/role')
  async changeRole(
    @CurrentPortalViewer() viewer: PortalViewer,
    @Param('portalUserId') portalUserId: string,
    @Body('role') role: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const user = await this.manageUsers.changeRole({ kind: 'portal', viewer }, viewer.tenantId, portalUserId, role);
    flash(request, 'success', `${user.userPrincipalName} is now ${PORTAL_ROLE_LABELS[user.role]}.`);
    await redirectAfterSave(request, response, '/portal/users');
  }

  @Post('users/:portalUserId/remove')
  async removeUser(
    @CurrentPortalViewer() viewer: PortalViewer,
    @Param('portalUserId') portalUserId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const user = await this.manageUsers.remove({ kind: 'portal', viewer }, viewer.tenantId, portalUserId);
    flash(request, 'success', `${user.userPrincipalName} can no longer use the licence portal.`);
    await redirectAfterSave(request, response, '/portal/users');
  }

  private async renderChangeForm(
    viewer: PortalViewer,
    subscriptionId: string,
    request: Request,
    response: Response,
    state: { error?: { message: string; fix?: string }; kind?: unknown; quantity?: unknown },
    status = 200,
  ): Promise<void> {
    const { subscription, open } = await this.queries.subscription(viewer, subscriptionId, this.clock.now());
    const view = subscriptionView(subscription, open, mayRequestChanges(viewer.role));
    const answers = {
      increase: subscription.rules.increase,
      decrease: subscription.rules.decreaseNow,
      decrease_at_renewal: subscription.rules.decreaseAtRenewal,
    };
    const chosen = CHANGE_KINDS.find((kind) => kind === state.kind) ?? CHANGE_KINDS.find((kind) => answers[kind].allowed);
    renderPortal(
      request,
      response,
      viewer,
      'pages/portal-change',
      {
        pageTitle: `Change ${subscription.facts.name}`,
        tab: 'licences',
        subscription: view,
        minimumQuantity: subscription.rules.minimumQuantity,
        kinds: CHANGE_KINDS.map((kind) => ({
          value: kind,
          label: CHANGE_KIND_LABELS[kind],
          allowed: answers[kind].allowed,
          reason: answers[kind].reason,
          checked: kind === chosen,
        })),
        quantity: typeof state.quantity === 'string' ? state.quantity : String(subscription.facts.quantity),
        error: state.error,
      },
      status,
    );
  }
}
