import { FixedClock, ImmediateTransaction } from '../../../shared/testing/fakes';
import {
  FakeDirectoryProfile,
  InMemoryOrganizationRepository,
  InMemoryStaffInvitationRepository,
  InMemoryStaffUserRepository,
} from '../infrastructure/testing/in-memory-accounts';
import { RecordingAuditTrail } from '../infrastructure/testing/in-memory-api-keys';
import { StaffInvitation } from '../domain/staff-invitation';
import { SignInStaffUserUseCase } from './sign-in-staff-user.use-case';

const contoso = {
  tenantId: 'aaaaaaaa-0000-0000-0000-000000000001',
  objectId: 'bbbbbbbb-0000-0000-0000-000000000001',
  userPrincipalName: 'admin@contoso-partners.example',
  displayName: 'Contoso Admin',
};
const colleague = {
  ...contoso,
  objectId: 'bbbbbbbb-0000-0000-0000-000000000002',
  userPrincipalName: 's365@contoso-partners.example',
  displayName: 'Service Account',
};
const fabrikam = {
  tenantId: 'aaaaaaaa-0000-0000-0000-000000000002',
  objectId: 'bbbbbbbb-0000-0000-0000-000000000003',
  userPrincipalName: 'admin@fabrikam-reseller.example',
  displayName: 'Fabrikam Admin',
};

function setup(directoryName: () => Promise<string | undefined> = async () => 'Contoso Partners') {
  const organizations = new InMemoryOrganizationRepository();
  const users = new InMemoryStaffUserRepository();
  const invitations = new InMemoryStaffInvitationRepository();
  const audit = new RecordingAuditTrail();
  const clock = new FixedClock(new Date('2026-11-26T09:00:00Z'));
  const useCase = new SignInStaffUserUseCase(
    organizations,
    users,
    new FakeDirectoryProfile(directoryName),
    invitations,
    audit,
    new ImmediateTransaction(),
    clock,
  );
  const invite = (organizationId: string, email: string, role: 'admin' | 'viewer' = 'viewer') => {
    const invitation = StaffInvitation.create({
      id: `0c0c0c0c-0000-4000-8000-00000000000${invitations.rows.size + 1}`,
      organizationId,
      email,
      role,
      invitedBy: { userId: 'owner', name: 'Contoso Admin' },
      now: clock.now(),
    });
    invitations.add(invitation);
    return invitation;
  };
  return { organizations, users, invitations, audit, clock, useCase, invite };
}

describe('signing a staff user in', () => {
  it('creates the organization of a new directory, named as Microsoft names it', async () => {
    const { organizations, users, useCase } = setup();
    const result = await useCase.execute(contoso, 'access-token');
    expect(result.organizationCreated).toBe(true);
    const organization = await organizations.findById(result.organizationId);
    expect(organization).toMatchObject({ name: 'Contoso Partners', entraTenantId: contoso.tenantId });
    expect(await users.findById(result.organizationId, result.userId)).toMatchObject({ displayName: 'Contoso Admin' });
  });

  it('makes the first user of a directory its Owner', async () => {
    const { users, useCase } = setup();
    const first = await useCase.execute(contoso, 'token');
    expect((await users.findById(first.organizationId, first.userId))?.role).toBe('owner');
  });

  it('lets an invited later user of the same directory join the existing organization, with the invitation’s role', async () => {
    const { organizations, users, invitations, audit, useCase, invite } = setup();
    const first = await useCase.execute(contoso, 'token');
    const invitation = invite(first.organizationId, 'S365@contoso-partners.example');
    const second = await useCase.execute(colleague, 'token');
    expect(second.organizationId).toBe(first.organizationId);
    expect(second.organizationCreated).toBe(false);
    expect(second.userId).not.toBe(first.userId);
    expect(organizations.rows.size).toBe(1);
    expect((await users.findById(second.organizationId, second.userId))?.role).toBe('viewer');
    expect(invitations.rows.get(invitation.id)).toMatchObject({ acceptedUserId: second.userId });
    expect(audit.entries).toEqual([
      expect.objectContaining({ action: 'accounts.invitation-accepted', subject: colleague.userPrincipalName, actorUserId: second.userId }),
    ]);
  });

  it('refuses a later user of the directory who was not invited, saying whom to ask, and adds nobody', async () => {
    const { users, useCase } = setup();
    await useCase.execute(contoso, 'token');
    await expect(useCase.execute(colleague, 'token')).rejects.toMatchObject({
      code: 'ACCOUNTS.NOT_INVITED_FORBIDDEN',
      message: expect.stringContaining('not a member of Contoso Partners'),
    });
    expect(users.rows.size).toBe(1);
  });

  it('does not use an invitation of another organization, an expired or a withdrawn one', async () => {
    const { users, clock, useCase, invite } = setup();
    const first = await useCase.execute(contoso, 'token');
    invite('another-org', colleague.userPrincipalName);
    invite(first.organizationId, colleague.userPrincipalName).revoke(clock.now());
    await expect(useCase.execute(colleague, 'token')).rejects.toMatchObject({ code: 'ACCOUNTS.NOT_INVITED_FORBIDDEN' });
    invite(first.organizationId, colleague.userPrincipalName);
    clock.current = new Date('2026-12-11T09:00:00Z');
    await expect(useCase.execute(colleague, 'token')).rejects.toMatchObject({ code: 'ACCOUNTS.NOT_INVITED_FORBIDDEN' });
    expect(users.rows.size).toBe(1);
  });

  it('refuses someone of another directory who opened an invitation link, and creates no organization for them', async () => {
    const { organizations, useCase, invite } = setup();
    const first = await useCase.execute(contoso, 'token');
    const invitation = invite(first.organizationId, fabrikam.userPrincipalName);
    await expect(useCase.execute(fabrikam, 'token', invitation.id)).rejects.toMatchObject({
      code: 'ACCOUNTS.INVITATION_OTHER_DIRECTORY_FORBIDDEN',
      message: expect.stringContaining('belongs to another directory'),
    });
    expect(organizations.rows.size).toBe(1);
  });

  it('recognises a returning user and refreshes their name and last sign-in', async () => {
    const { users, clock, useCase } = setup();
    const first = await useCase.execute(contoso, 'token');
    clock.current = new Date('2026-11-27T09:00:00Z');
    const again = await useCase.execute({ ...contoso, displayName: 'Contoso Administrator' }, 'token');
    expect(again.userId).toBe(first.userId);
    expect(await users.findById(first.organizationId, first.userId)).toMatchObject({
      displayName: 'Contoso Administrator',
      lastSignInAt: new Date('2026-11-27T09:00:00Z'),
    });
  });

  it('still creates the organization, named after the domain, when Microsoft Graph cannot be read', async () => {
    const { organizations, useCase } = setup(async () => {
      throw new Error('Graph unavailable');
    });
    const result = await useCase.execute(contoso, 'token');
    expect((await organizations.findById(result.organizationId))?.name).toBe('contoso-partners.example');
  });
});
