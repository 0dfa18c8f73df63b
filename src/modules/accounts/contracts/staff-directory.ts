// Read facade of the accounts module for other modules (alert e-mail): an organization's staff users and where
// to write to them. Always within one organization.
export interface StaffMember {
  userId: string;
  displayName: string;
  // Microsoft's mail attribute, else the user principal name (an Entra UPN is the sign-in address, usually mail).
  emailAddress: string;
}

export abstract class StaffDirectory {
  abstract members(organizationId: string): Promise<StaffMember[]>;
  abstract member(organizationId: string, userId: string): Promise<StaffMember | null>;
  abstract organizationName(organizationId: string): Promise<string | null>;
}
