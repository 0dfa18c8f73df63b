import type { StaffUser } from '../../domain/staff-user';

// Every method takes the organization: a staff user is only ever looked up within its own organization.
export abstract class StaffUserRepository {
  abstract findById(organizationId: string, id: string): Promise<StaffUser | null>;
  abstract findByEntraObjectId(organizationId: string, entraObjectId: string): Promise<StaffUser | null>;
  abstract listByOrganization(organizationId: string): Promise<StaffUser[]>;
  abstract add(user: StaffUser): void;
  // A removed person's row goes: at their next request the session ends, and signing in again needs a new invitation.
  abstract remove(user: StaffUser): void;
}
