import { FixedClock, ImmediateTransaction } from '../../../shared/testing/fakes';
import { FakeDirectoryProfile, InMemoryOrganizationRepository, InMemoryStaffUserRepository } from '../infrastructure/testing/in-memory-accounts';
import { SignInStaffUserUseCase } from './sign-in-staff-user.use-case';

const contoso = { tenantId: 'aaaaaaaa-0000-0000-0000-000000000001', objectId: 'bbbbbbbb-0000-0000-0000-000000000001', userPrincipalName: 'admin@contoso-partners.example', displayName: 'Contoso Admin' };
const colleague = { ...contoso, objectId: 'bbbbbbbb-0000-0000-0000-000000000002', userPrincipalName: 's365@contoso-partners.example', displayName: 'Service Account' };

function setup(directoryName: () => Promise<string | undefined> = async () => 'Contoso Partners') {
  const organizations = new InMemoryOrganizationRepository();
  const users = new InMemoryStaffUserRepository();
  const clock = new FixedClock(new Date('2026-11-26T09:00:00Z'));
  const useCase = new SignInStaffUserUseCase(organizations, users, new FakeDirectoryProfile(directoryName), new ImmediateTransaction(), clock);
  return { organizations, users, clock, useCase };
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

  it('lets a later user of the same directory join the existing organization', async () => {
    const { organizations, useCase } = setup();
    const first = await useCase.execute(contoso, 'token');
    const second = await useCase.execute(colleague, 'token');
    expect(second.organizationId).toBe(first.organizationId);
    expect(second.organizationCreated).toBe(false);
    expect(second.userId).not.toBe(first.userId);
    expect(organizations.rows.size).toBe(1);
  });

  it('recognises a returning user and refreshes their name and last sign-in', async () => {
    const { users, clock, useCase } = setup();
    const first = await useCase.execute(contoso, 'token');
    clock.current = new Date('2026-11-27T09:00:00Z');
    const again = await useCase.execute({ ...contoso, displayName: 'Contoso Administrator' }, 'token');
    expect(again.userId).toBe(first.userId);
    expect(await users.findById(first.organizationId, first.userId)).toMatchObject({ displayName: 'Contoso Administrator', lastSignInAt: new Date('2026-11-27T09:00:00Z') });
  });

  it('still creates the organization, named after the domain, when Microsoft Graph cannot be read', async () => {
    const { organizations, useCase } = setup(async () => {
      throw new Error('Graph unavailable');
    });
    const result = await useCase.execute(contoso, 'token');
    expect((await organizations.findById(result.organizationId))?.name).toBe('contoso-partners.example');
  });
});
