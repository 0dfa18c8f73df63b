import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppConfig } from '../../../../config/app-config';
import { Clock } from '../../../../shared/application/clock';
import { STAFF_ROLE_WORDS, STAFF_ROLES } from '../../../../shared/domain/staff-role';
import { flash, redirectAfterSave } from '../../../../shared/interface/web/flash';
import { FormPage } from '../../../../shared/interface/web/form-errors';
import { CurrentActor, RequiresRole, type Actor } from '../../../../shared/interface/web/request-actor';
import { ChangeStaffRoleUseCase } from '../../application/change-staff-role.use-case';
import { invitationSignInUrl, InviteStaffUserUseCase } from '../../application/invite-staff-user.use-case';
import { StaffInvitationRepository } from '../../application/ports/staff-invitation.repository';
import { StaffUserRepository } from '../../application/ports/staff-user.repository';
import { RemoveStaffUserUseCase } from '../../application/remove-staff-user.use-case';
import { RevokeInvitationUseCase } from '../../application/revoke-invitation.use-case';
import { StaffUserNotFoundError } from '../../domain/people.errors';

// Settings → People: who may use the dashboard and with which role. Everyone may see the list; only Owners
// invite, change roles and remove (the buttons are shown to Owners only, and the role guard refuses the rest).
@ApiExcludeController()
@Controller('settings/people')
export class PeoplePageController {
  constructor(
    private readonly users: StaffUserRepository,
    private readonly invitations: StaffInvitationRepository,
    private readonly invite: InviteStaffUserUseCase,
    private readonly changeRole: ChangeStaffRoleUseCase,
    private readonly removeUser: RemoveStaffUserUseCase,
    private readonly revokeInvitation: RevokeInvitationUseCase,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Render('pages/people')
  async list(@CurrentActor() actor: Actor) {
    const [members, invitations] = await Promise.all([
      this.users.listByOrganization(actor.organizationId),
      this.invitations.listOpen(actor.organizationId, this.clock.now()),
    ]);
    const owners = members.filter((member) => member.role === 'owner').length;
    return {
      pageTitle: 'People',
      tab: 'settings',
      roles: STAFF_ROLES.map((role) => ({ value: role, ...STAFF_ROLE_WORDS[role] })),
      members: members.map((member) => ({
        id: member.id,
        displayName: member.displayName,
        userPrincipalName: member.userPrincipalName,
        role: member.role,
        roleName: STAFF_ROLE_WORDS[member.role].name,
        lastSignInAt: member.lastSignInAt,
        isYou: member.id === actor.userId,
        // The last Owner keeps their role and their place (the server refuses it too).
        isLastOwner: member.role === 'owner' && owners <= 1,
      })),
      invitations: invitations.map((invitation) => ({
        id: invitation.id,
        email: invitation.email,
        roleName: STAFF_ROLE_WORDS[invitation.role].name,
        invitedByName: invitation.invitedByName,
        createdAt: invitation.createdAt,
        expiresAt: invitation.expiresAt,
        signInUrl: invitationSignInUrl(this.config.appBaseUrl, invitation.id),
        linkId: `invitation-link-${invitation.id}`,
      })),
    };
  }

  @Post('invitations')
  @RequiresRole('owner')
  @FormPage('invitation', 'pages/people', (page: PeoplePageController, actor) => page.list(actor))
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const email = typeof body.email === 'string' ? body.email : '';
    const { invitation, signInUrl } = await this.invite.execute({ actor, email, role: body.role, appBaseUrl: this.config.appBaseUrl });
    flash(
      request,
      'success',
      `${invitation.email} is invited as ${STAFF_ROLE_WORDS[invitation.role].name}. Tell them to open ${signInUrl} and sign in with their ${actor.organizationName} Microsoft account within 14 days.`,
    );
    await redirectAfterSave(request, response, '/settings/people');
  }

  @Post('invitations/:invitationId/withdraw')
  @RequiresRole('owner')
  async withdraw(
    @CurrentActor() actor: Actor,
    @Param('invitationId', ParseUUIDPipe) invitationId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const invitation = await this.revokeInvitation.execute({ actor, invitationId });
    flash(request, 'success', `The invitation of ${invitation.email} was withdrawn; signing in with it is refused.`);
    await redirectAfterSave(request, response, '/settings/people');
  }

  @Post(':userId/role')
  @RequiresRole('owner')
  @FormPage('role', 'pages/people', (page: PeoplePageController, actor) => page.list(actor))
  async setRole(
    @CurrentActor() actor: Actor,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Body('role') role: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const { user, changed } = await this.changeRole.execute({ actor, userId, role });
    const roleName = STAFF_ROLE_WORDS[user.role].name;
    flash(
      request,
      changed ? 'success' : 'info',
      changed ? `${user.displayName} is now ${roleName}.` : `${user.displayName} already was ${roleName}.`,
    );
    await redirectAfterSave(request, response, '/settings/people');
  }

  @Get(':userId/remove')
  @RequiresRole('owner')
  @Render('pages/person-remove')
  async confirmRemove(@CurrentActor() actor: Actor, @Param('userId', ParseUUIDPipe) userId: string) {
    const user = await this.users.findById(actor.organizationId, userId);
    if (!user) throw new StaffUserNotFoundError();
    return {
      pageTitle: `Remove ${user.displayName}?`,
      tab: 'settings',
      person: { id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName, isYou: user.id === actor.userId },
    };
  }

  @Post(':userId/remove')
  @RequiresRole('owner')
  async remove(
    @CurrentActor() actor: Actor,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const user = await this.removeUser.execute({ actor, userId });
    flash(request, 'success', `${user.displayName} was removed and can no longer sign in to Sync 365.`);
    await redirectAfterSave(request, response, '/settings/people');
  }
}
