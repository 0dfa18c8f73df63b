import { EntitySchema } from '@mikro-orm/core';
import { Organization } from '../../domain/organization';
import { StaffInvitation } from '../../domain/staff-invitation';
import { StaffUser } from '../../domain/staff-user';

export const OrganizationSchema = new EntitySchema<Organization>({
  class: Organization,
  tableName: 'organizations',
  properties: {
    id: { type: 'uuid', primary: true },
    entraTenantId: { type: 'uuid', unique: true },
    name: { type: 'text' },
    createdAt: { type: 'datetime' },
  },
});

export const StaffUserSchema = new EntitySchema<StaffUser>({
  class: StaffUser,
  tableName: 'staff_users',
  properties: {
    id: { type: 'uuid', primary: true },
    organizationId: { type: 'uuid' },
    entraObjectId: { type: 'uuid' },
    userPrincipalName: { type: 'text' },
    displayName: { type: 'text' },
    email: { type: 'text', nullable: true },
    createdAt: { type: 'datetime' },
    lastSignInAt: { type: 'datetime' },
    role: { type: 'text' },
  },
});

export const StaffInvitationSchema = new EntitySchema<StaffInvitation>({
  class: StaffInvitation,
  tableName: 'staff_invitations',
  properties: {
    id: { type: 'uuid', primary: true },
    organizationId: { type: 'uuid' },
    email: { type: 'text' },
    role: { type: 'text' },
    invitedByUserId: { type: 'uuid' },
    invitedByName: { type: 'text' },
    createdAt: { type: 'datetime' },
    expiresAt: { type: 'datetime' },
    acceptedAt: { type: 'datetime', nullable: true },
    acceptedUserId: { type: 'uuid', nullable: true },
    revokedAt: { type: 'datetime', nullable: true },
  },
});
