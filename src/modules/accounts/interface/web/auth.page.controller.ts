import { Controller, Get, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { layoutLocals } from '../../../../shared/interface/web/layout';
import { Public, type SessionPrincipal } from '../../../../shared/interface/web/request-actor';
import { MicrosoftSignInGuard } from './microsoft-sign-in.guard';

@ApiExcludeController()
@Controller('auth')
export class AuthPageController {
  @Public()
  @Get('sign-in')
  signInPage(@Req() request: Request, @Res() response: Response, @Query('signed-out') signedOut?: string): void {
    if (request.user) return response.redirect(303, '/');
    response.render('pages/sign-in', { ...layoutLocals(request), pageTitle: 'Sign in', signedOut: signedOut === '1' });
  }

  // Redirects to Microsoft; passport-azure-ad keeps state and nonce in the session.
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
    response.redirect(303, returnTo);
  }

  @Post('sign-out')
  async signOut(@Req() request: Request, @Res() response: Response): Promise<void> {
    await new Promise<void>((resolve, reject) => request.logout((error) => (error ? reject(error) : resolve())));
    await new Promise<void>((resolve) => request.session.destroy(() => resolve()));
    response.clearCookie('sync365.sid');
    response.redirect(303, '/auth/sign-in?signed-out=1');
  }
}

// Only a path on this site: never an absolute URL (no open redirect after sign-in).
function safeReturnPath(value: string | undefined): string {
  return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/auth/') ? value : '/';
}
