import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ErrorFilter, FormRedisplay, wantsHtml } from '../../../../shared/interface/http/error.filter';
import { renderPortal } from './portal-view';
import { portalLocals, portalReturnPath, type RequestWithPortalViewer } from './portal-session';

// The customer's pages keep their own look when something goes wrong: a sign-in that is needed goes to the
// portal's sign-in page, and every other error is the dashboard's error answer (same status, logging, reference)
// drawn with the portal's layout and links, never the dashboard's.
@Catch()
export class PortalErrorFilter implements ExceptionFilter {
  private readonly errors = new ErrorFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<RequestWithPortalViewer>();
    const response = host.switchToHttp().getResponse<Response>();
    if ((exception as { code?: string }).code === 'PORTAL.SIGN_IN_REQUIRED' && wantsHtml(request)) {
      // Where to come back to travels in the address, not in a session: an anonymous request stores nothing.
      const back = request.method === 'GET' ? portalReturnPath(request.originalUrl) : '/portal';
      response.redirect(303, back === '/portal' ? '/portal/sign-in' : `/portal/sign-in?returnTo=${encodeURIComponent(back)}`);
      return;
    }
    if (exception instanceof FormRedisplay) {
      // A refused portal form: its own page again, in the portal's layout (see form-errors.ts).
      renderPortal(
        request as Request,
        response,
        request.portalViewer ?? null,
        exception.view,
        exception.model as Record<string, unknown>,
        exception.status,
      );
      return;
    }
    const render = response.render.bind(response);
    response.render = ((_view: string, locals?: { flash?: unknown }, callback?: (error: Error, html: string) => void) => {
      const portal = portalLocals(request as Request, request.portalViewer ?? null);
      // The dashboard's locals already took the flash messages.
      return render('pages/portal-error', { ...locals, ...portal, flash: locals?.flash ?? portal.flash }, callback);
    }) as Response['render'];
    this.errors.catch(exception, host);
  }
}
