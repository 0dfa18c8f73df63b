// A partner organization: everything in Sync 365 belongs to exactly one, and it is bound to one Entra directory.
export class Organization {
  id: string;
  entraTenantId: string;
  name: string;
  createdAt: Date;

  static register(input: { id: string; entraTenantId: string; name: string; now: Date }): Organization {
    const organization = new Organization();
    organization.id = input.id;
    organization.entraTenantId = input.entraTenantId.toLowerCase();
    organization.name = input.name.trim() || input.entraTenantId;
    organization.createdAt = input.now;
    return organization;
  }
}
