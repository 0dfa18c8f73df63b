import { Injectable } from '@nestjs/common';
import { PassportSerializer } from '@nestjs/passport';
import type { SessionPrincipal } from '../../../../shared/interface/web/request-actor';

// The session keeps ids only; names and membership are re-read on each request (RequestAuthGuard).
@Injectable()
export class SessionSerializer extends PassportSerializer {
  serializeUser(principal: SessionPrincipal, done: (err: Error | null, value?: SessionPrincipal) => void): void {
    done(null, { userId: principal.userId, organizationId: principal.organizationId });
  }

  deserializeUser(value: SessionPrincipal, done: (err: Error | null, value?: SessionPrincipal) => void): void {
    done(null, value);
  }
}
