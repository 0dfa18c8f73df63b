import type { Actor } from '../../../shared/application/actor';
import { FixedClock, ImmediateTransaction } from '../../../shared/testing/fakes';
import { StaffUser } from '../domain/staff-user';
import {
  InMemoryOrganizationRepository,
  InMemoryStaffInvitationRepository,
  InMemoryStaffUserRepository,
  RecordingOutbox,
} from '../infrastructure/testing/in-memory-accounts';
import { RecordingAuditTrail } from '../infrastructure/testing/in-memory-api-keys';
import { ChangeStaffRoleUseCase } from './change-staff-role.use-case';
import { InviteStaffUserUseCase } from './invite-staff-user.use-case';
import { RemoveStaffUserUseCase } from './remove-staff-user.use-case';
import { RevokeInvitationUseCase } from './revoke-invitation.use-case';

const ORG = '0a0a0a0a-0000-4000-8000-000000000001';
const NOW = new Date('2026-12-07T09:00:00Z');

function world() {
  const organizations = new InMemoryOrganizationRepository();
  const users = new InMemoryStaffUserRepository();
  const invitations = new InMemoryStaffInvitationRepository();
  const outbox = new RecordingOutbox();
  const audit = new RecordingAuditTrail();
  const clock = new FixedClock(NOW);
  const transaction = new ImmediateTransaction();
  const member = (n: number, role: StaffUser['role'], upn = `user${n}@contoso.example`) => {
    const user = StaffUser.join({
      id: `user-${n}`,
      organizationId: ORG,
      identity: { tenantId: 't', objectId: `0b0b0b0b-0000-4000-8000-00000000000${n}`, userPrincipalName: upn, displayName: `User ${n}` },
      role,
      now: NOW,
    });
    users.add(user);
    return user;
  };
  const owner = member(1, 'owner');
  const actor: Actor = {
    userId: owner.id,
    organizationId: ORG,
    displayName: owner.displayName,
    userPrincipalName: owner.userPrincipalName,
    organizationName: 'Contoso Partners',
    role: 'owner',
  };
  return {
    users,
    invitations,
    outbox,
    audit,
    member,
    owner,
    actor,
    invite: new InviteStaffUserUseCase(users, invitations, outbox, audit, transaction, clock),
    change: new ChangeStaffRoleUseCase(organizations, users, audit, transaction),
    remove: new RemoveStaffUserUseCase(organizations, users, audit, transaction),
    withdraw: new RevokeInvitationUseCase(invitations, audit, transaction, clock),
  };
}

describe('inviting colleagues', () => {
  it('records an invitation for the address, publishes InvitationCreated with the sign-in link, and audits it', async () => {
    const { invite, actor, outbox, audit } = world();
    const { invitation, signInUrl } = await invite.execute({
      actor,
      email: ' Jane@Contoso.example ',
      role: 'billing',
      appBaseUrl: 'https://sync365.example.com/',
    });
    expect(invitation).toMatchObject({ email: 'jane@contoso.example', role: 'billing', expiresAt: new Date('2026-12-21T09:00:00Z') });
    expect(signInUrl).toBe(`https://sync365.example.com/auth/invitations/${invitation.id}`);
    expect(outbox.events).toEqual([
      expect.objectContaining({
        name: 'accounts.invitation-created',
        organizationId: ORG,
        payload: expect.objectContaining({ email: 'jane@contoso.example', roleName: 'Billing', signInUrl, invitedByName: 'User 1' }),
      }),
    ]);
    expect(audit.entries).toEqual([
      expect.objectContaining({ action: 'accounts.person-invited', subject: 'jane@contoso.example', detail: 'Invited as Billing.' }),
    ]);
  });

  it('replaces an unused invitation of the same address (new role, new 14 days)', async () => {
    const { invite, actor, invitations } = world();
    const first = (await invite.execute({ actor, email: 'jane@contoso.example', role: 'viewer', appBaseUrl: 'http://x' })).invitation;
    const second = (await invite.execute({ actor, email: 'jane@contoso.example', role: 'admin', appBaseUrl: 'http://x' })).invitation;
    expect(first.revokedAt).toEqual(NOW);
    expect((await invitations.listOpen(ORG, NOW)).map((i) => i.id)).toEqual([second.id]);
  });

  it('refuses a member’s address, something that is not an address, and an unknown role', async () => {
    const { invite, actor, member } = world();
    member(2, 'viewer', 'Bob@Contoso.example');
    await expect(invite.execute({ actor, email: 'bob@contoso.example', role: 'admin', appBaseUrl: 'http://x' })).rejects.toMatchObject({
      code: 'ACCOUNTS.MEMBER_ALREADY_EXISTS',
      field: 'email',
    });
    await expect(invite.execute({ actor, email: 'bob', role: 'admin', appBaseUrl: 'http://x' })).rejects.toMatchObject({
      code: 'ACCOUNTS.INVITATION_EMAIL_INVALID_PARAMETER',
    });
    await expect(invite.execute({ actor, email: 'jane@contoso.example', role: 'superuser', appBaseUrl: 'http://x' })).rejects.toMatchObject(
      { code: 'ACCOUNTS.ROLE_INVALID_PARAMETER' },
    );
  });

  it('withdraws an open invitation once; a used or withdrawn one is not found', async () => {
    const { invite, withdraw, actor, audit } = world();
    const { invitation } = await invite.execute({ actor, email: 'jane@contoso.example', role: 'viewer', appBaseUrl: 'http://x' });
    await withdraw.execute({ actor, invitationId: invitation.id });
    expect(audit.entries.map((e) => e.action)).toEqual(['accounts.person-invited', 'accounts.invitation-withdrawn']);
    await expect(withdraw.execute({ actor, invitationId: invitation.id })).rejects.toMatchObject({ code: 'ACCOUNTS.INVITATION_NOT_FOUND' });
    await expect(withdraw.execute({ actor: { ...actor, organizationId: 'another' }, invitationId: invitation.id })).rejects.toMatchObject({
      code: 'ACCOUNTS.INVITATION_NOT_FOUND',
    });
  });
});

describe('changing roles and removing people', () => {
  it('changes a member’s role and audits from → to; choosing the same role records nothing', async () => {
    const { change, actor, member, audit } = world();
    const bob = member(2, 'viewer');
    expect(await change.execute({ actor, userId: bob.id, role: 'admin' })).toMatchObject({ changed: true });
    expect(bob.role).toBe('admin');
    expect(await change.execute({ actor, userId: bob.id, role: 'admin' })).toMatchObject({ changed: false });
    expect(audit.entries).toEqual([
      expect.objectContaining({ action: 'accounts.role-changed', subject: bob.userPrincipalName, detail: 'Viewer → Admin.' }),
    ]);
  });

  it('never demotes or removes the last Owner, but does once there is another', async () => {
    const { change, remove, actor, owner, member } = world();
    await expect(change.execute({ actor, userId: owner.id, role: 'admin' })).rejects.toMatchObject({
      code: 'ACCOUNTS.LAST_OWNER_CONFLICT',
    });
    await expect(remove.execute({ actor, userId: owner.id })).rejects.toMatchObject({ code: 'ACCOUNTS.LAST_OWNER_CONFLICT' });
    expect(owner.role).toBe('owner');
    member(2, 'owner');
    await change.execute({ actor, userId: owner.id, role: 'admin' });
    expect(owner.role).toBe('admin');
  });

  it('removes a member of the organization only, and audits it', async () => {
    const { remove, actor, member, users, audit } = world();
    const bob = member(2, 'billing');
    await expect(remove.execute({ actor: { ...actor, organizationId: 'another' }, userId: bob.id })).rejects.toMatchObject({
      code: 'ACCOUNTS.STAFF_USER_NOT_FOUND',
    });
    await remove.execute({ actor, userId: bob.id });
    expect(users.rows.has(bob.id)).toBe(false);
    expect(audit.entries).toEqual([
      expect.objectContaining({
        action: 'accounts.person-removed',
        subject: bob.userPrincipalName,
        detail: 'User 2 (Billing) no longer has access.',
      }),
    ]);
  });
});
