import { Controller, Get, Post } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { STAFF_ROLES, type StaffRole } from '../../../../shared/domain/staff-role';
import { Public, RequiresRole } from '../../../../shared/interface/web/request-actor';
import { StaffRoleGuard } from './staff-role.guard';

@Controller('things')
class ThingsController {
  @Get() list() {}
  @Post() add() {}
  @Post('approve') @RequiresRole('billing') approve() {}
  @Get('secret') @RequiresRole('owner') secret() {}
  @Post('sign-out') @RequiresRole('viewer') signOut() {}
  @Public() @Post('hook') hook() {}
}

const guard = new StaffRoleGuard(new Reflector());

function verdict(handler: keyof ThingsController, method: string, request: Record<string, unknown>): boolean | string {
  const context = new ExecutionContextHost(
    [{ method, ...request }, {}, () => undefined],
    ThingsController,
    ThingsController.prototype[handler] as never,
  );
  context.setType('http');
  try {
    return guard.canActivate(context);
  } catch (error) {
    return (error as { code: string }).code;
  }
}

const as = (role: StaffRole) => ({
  actor: { userId: 'u', organizationId: 'o', displayName: 'D', userPrincipalName: 'd@x', organizationName: 'X', role },
});
const allowed = (handler: keyof ThingsController, method: string) =>
  STAFF_ROLES.filter((role) => verdict(handler, method, as(role)) === true);

describe('the staff role guard', () => {
  it('lets every role read, and only Admins and Owners change, when a route declares nothing', () => {
    expect(allowed('list', 'GET')).toEqual(['owner', 'admin', 'billing', 'viewer']);
    expect(allowed('list', 'HEAD')).toEqual(['owner', 'admin', 'billing', 'viewer']);
    expect(allowed('add', 'POST')).toEqual(['owner', 'admin']);
    expect(verdict('add', 'POST', as('viewer'))).toBe('ACCOUNTS.ROLE_FORBIDDEN');
  });

  it('follows what a route declares, in either direction', () => {
    expect(allowed('approve', 'POST')).toEqual(['owner', 'admin', 'billing']);
    expect(allowed('secret', 'GET')).toEqual(['owner']);
    expect(allowed('signOut', 'POST')).toEqual(['owner', 'admin', 'billing', 'viewer']);
  });

  it('leaves public routes and API-key requests to others, and fails closed without a signed-in actor', () => {
    expect(verdict('hook', 'POST', {})).toBe(true);
    expect(verdict('add', 'POST', { apiCaller: { via: 'api-key' } })).toBe(true);
    expect(verdict('add', 'POST', { apiCaller: { via: 'session' }, ...as('viewer') })).toBe('ACCOUNTS.ROLE_FORBIDDEN');
    expect(verdict('list', 'GET', {})).toBe('AUTH.SIGN_IN_REQUIRED');
  });

  it('refuses an actor whose role it does not know', () => {
    expect(verdict('list', 'GET', { actor: { ...as('viewer').actor, role: 'superuser' } })).toBe('ACCOUNTS.ROLE_FORBIDDEN');
  });
});
