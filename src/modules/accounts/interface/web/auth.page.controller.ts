import { Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppConfig } from '../../../../config/app-config';
import { Clock } from '../../../../shared/application/clock';
import { layoutLocals } from '../../../../shared/interface/web/layout';
import { safeReturnPath } from '../../../../shared/interface/web/session-lifetime';
import { Public, RequiresRole, type SessionPrincipal } from '../../../../shared/interface/web/request-actor';
import { STAFF_ROLE_WORDS } from '../../../../shared/domain/staff-role';
import { OrganizationRepository } from '../../application/ports/organization.repository';
import { StaffInvitationRepository } from '../../application/ports/staff-invitation.repository';
import { MicrosoftSignInGuard } from './microsoft-sign-in.guard';

@ApiExcludeController()
@Controller('auth')
export class AuthPageController {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly invitations: StaffInvitationRepository,
    private readonly organizations: OrganizationRepository,
  ) {}

  @Public()
  @Get('sign-in')
  signInPage(
    @Req() request: Request,
    @Res() response: Response,
    @Query('signed-out') signedOut?: string,
    @Query('returnTo') returnTo?: unknown,
  ): void {
    if (request.user) return response.redirect(303, '/');
    const back = safeReturnPath(returnTo);
    response.render('pages/sign-in', {
      ...layoutLocals(request),
      pageTitle: 'Sign in',
      loginUrl: back === '/' ? '/auth/login' : `/auth/login?returnTo=${encodeURIComponent(back)}`,
      signedOut: signedOut === '1' || signedOut === 'microsoft',
      signedOutOfMicrosoft: signedOut === 'microsoft',
      // Signing out of Sync 365 leaves the browser's Microsoft session (other Microsoft apps use it too):
      // offered, not forced. Microsoft comes back to the sign-in page (a redirect URI of the app registration).
      microsoftSignOutUrl:
        signedOut === '1'
          ? `${this.config.microsoft.loginBaseUrl}/organizations/oauth2/v2.0/logout?${new URLSearchParams({ post_logout_redirect_uri: `${this.config.appBaseUrl}/auth/sign-in?signed-out=microsoft`, client_id: this.config.microsoft.clientId })}`
          : undefined,
    });
  }

  // Redirects to Microsoft; passport-azure-ad keeps state and nonce in the session (MicrosoftSignInGuard
  // keeps returnTo there too, and makes that session short-lived until the sign-in succeeds).
  @Public()
  @Get('login')
  @UseGuards(MicrosoftSignInGuard)
  login(): void {}

  @Public()
  @Get('callback')
  @UseGuards(MicrosoftSignInGuard)
  async callback(@Req() request: Request, @Res() response: Response): Promise<void> {
    const returnTo = safeReturnPath(request.session.returnTo);
    const principal = request.user as SessionPrincipal;
    // passport regenerates the session on log-in (no session fixation); returnTo was read before that.
    await new Promise<void>((resolve, reject) => request.logIn(principal, (error) => (error ? reject(error) : resolve())));
    request.session.signedInAt = this.clock.now().getTime();
    response.redirect(303, returnTo);
  }

  // The link an Owner gives an invited colleague: says whose invitation it is, then signs in with Microsoft, and the
  // invitation is used if the account belongs to the organization's directory (or refused, saying why, if not).
  // Anyone holding the link learns the organization's name and the role: the id is random and only given to the invitee.
  @Public()
  @Get('invitations/:invitationId')
  async invitation(
    @Param('invitationId', ParseUUIDPipe) invitationId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const invitation = await this.invitations.findByIdForSignIn(invitationId);
    const organization = invitation ? await this.organizations.findById(invitation.organizationId) : null;
    const open = !!invitation && !!organization && invitation.isOpen(this.clock.now());
    response.render('pages/sign-in', {
      ...layoutLocals(request),
      pageTitle: 'Sign in',
      loginUrl: `/auth/login?invitation=${invitationId}`,
      invitation: open
        ? { open, organizationName: organization!.name, roleName: STAFF_ROLE_WORDS[invitation!.role].name, email: invitation!.email }
        : { open: false },
    });
  }

  // Every role may sign out (a state change the role guard would otherwise keep for Admins).
  @RequiresRole('viewer')
  @Post('sign-out')
  async signOut(@Req() request: Request, @Res() response: Response): Promise<void> {
    await new Promise<void>((resolve, reject) => request.logout((error) => (error ? reject(error) : resolve())));
    await new Promise<void>((resolve) => request.session.destroy(() => resolve()));
    response.clearCookie('sync365.sid');
    response.redirect(303, '/auth/sign-in?signed-out=1');
  }
}
