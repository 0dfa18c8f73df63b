import { Body, Controller, Get, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Clock } from '../../../../shared/application/clock';
import { Public } from '../../../../shared/interface/web/request-actor';
import { SignInPortalUserUseCase, type PortalMembership } from '../../application/sign-in-portal-user.use-case';
import { LoadPortalViewerUseCase } from '../../application/load-portal-viewer.use-case';
import { PortalAccessRefusedError } from '../../domain/portal.errors';
import { PortalErrorFilter } from './portal-error.filter';
import { redirectAfterSave } from '../../../../shared/interface/web/flash';
import { portalReturnPath } from './portal-session';
import type { PortalCallbackResult } from './portal-sign-in.strategy';
import { PortalSignInGuard } from './portal-sign-in.guard';
import { renderPortal } from './portal-view';

// The licence portal's sign-in: with Microsoft, for the people of customer tenants whose partner switched the
// portal on and added them. Public for the dashboard's guard; the portal keeps its own principal in the session.
@ApiExcludeController()
@Public()
@UseFilters(PortalErrorFilter)
@Controller('portal')
export class PortalAuthPageController {
  constructor(
    private readonly signIn: SignInPortalUserUseCase,
    private readonly loadViewer: LoadPortalViewerUseCase,
    private readonly clock: Clock,
  ) {}

  @Get('sign-in')
  async signInPage(
    @Req() request: Request,
    @Res() response: Response,
    @Query('signed-out') signedOut?: string,
    @Query('returnTo') returnTo?: unknown,
  ): Promise<void> {
    if (request.session?.portal && (await this.loadViewer.execute(request.session.portal))) return response.redirect(303, '/portal');
    const back = portalReturnPath(returnTo);
    const loginUrl = back === '/portal' ? '/portal/login' : `/portal/login?returnTo=${encodeURIComponent(back)}`;
    renderPortal(request, response, null, 'pages/portal-sign-in', { pageTitle: 'Sign in', signedOut: signedOut === '1', loginUrl });
  }

  // Redirects to Microsoft; passport-azure-ad keeps state and nonce in the session under the portal's own key.
  @Get('login')
  @UseGuards(PortalSignInGuard)
  login(): void {}

  @Get('auth/callback')
  @UseGuards(PortalSignInGuard)
  async callback(@Req() request: Request & { portalSignIn?: PortalCallbackResult }, @Res() response: Response): Promise<void> {
    const { identity, accessToken } = request.portalSignIn!;
    let memberships: PortalMembership[];
    try {
      memberships = await this.signIn.execute(identity, accessToken);
    } catch (error) {
      if (!(error instanceof PortalAccessRefusedError)) throw error;
      if (request.session) delete request.session.portal;
      return renderPortal(
        request,
        response,
        null,
        'pages/portal-refused',
        {
          pageTitle: 'No access to the licence portal',
          code: error.code,
          message: error.message,
          fix: error.fix,
          account: identity.userPrincipalName,
        },
        403,
      );
    }
    const returnTo = portalReturnPath(request.session.portalReturnTo);
    if (memberships.length > 1) {
      await startPortalSession(request, null, memberships, this.clock.now());
      return redirectAfterSave(request, response, '/portal/choose');
    }
    await startPortalSession(request, memberships[0], undefined, this.clock.now());
    await redirectAfterSave(request, response, returnTo);
  }

  // Several partners switched the portal on for this tenant and added the person: they pick whose portal.
  @Get('choose')
  choose(@Req() request: Request, @Res() response: Response): void {
    const choices = request.session.portalChoices;
    if (!choices?.length) return response.redirect(303, '/portal/sign-in');
    renderPortal(request, response, null, 'pages/portal-choose', { pageTitle: 'Choose a licence portal', choices });
  }

  @Post('choose')
  async chosen(@Req() request: Request, @Res() response: Response, @Body('portalUserId') portalUserId: unknown): Promise<void> {
    const choice = request.session.portalChoices?.find((c) => c.portalUserId === portalUserId);
    if (!choice) return redirectAfterSave(request, response, '/portal/sign-in');
    request.session.portal = { portalUserId: choice.portalUserId, organizationId: choice.organizationId };
    delete request.session.portalChoices;
    await redirectAfterSave(request, response, '/portal');
  }

  // Ends the portal sign-in only; a dashboard sign-in in the same browser is not the portal's to end.
  @Post('sign-out')
  async signOut(@Req() request: Request, @Res() response: Response): Promise<void> {
    delete request.session.portal;
    delete request.session.portalChoices;
    delete request.session.portalReturnTo;
    delete request.session.portalSignedInAt;
    await redirectAfterSave(request, response, '/portal/sign-in?signed-out=1');
  }
}

// A new session id at sign-in (no session fixation), keeping only a dashboard sign-in of the same browser (with its
// own sign-in time, so its absolute lifetime is not restarted).
async function startPortalSession(
  request: Request,
  membership: PortalMembership | null,
  choices: PortalMembership[] | undefined,
  now: Date,
): Promise<void> {
  const staff = (request.session as unknown as { passport?: unknown }).passport;
  const staffSignedInAt = request.session.signedInAt;
  await new Promise<void>((resolve, reject) => request.session.regenerate((error) => (error ? reject(error) : resolve())));
  if (staff) {
    (request.session as unknown as { passport?: unknown }).passport = staff;
    request.session.signedInAt = staffSignedInAt;
  }
  request.session.portalSignedInAt = now.getTime();
  if (membership) request.session.portal = { portalUserId: membership.portalUserId, organizationId: membership.organizationId };
  if (choices) request.session.portalChoices = choices;
}
