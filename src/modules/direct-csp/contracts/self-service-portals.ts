// Read facade for other modules: where the end-user self-service portal is switched on. The portal module lets a
// customer tenant's people in only while it is.
export abstract class SelfServicePortals {
  // The organizations (partners) that switched the portal on for this customer tenant: usually one, none when off.
  abstract organizationsWithPortal(tenantId: string): Promise<string[]>;
  abstract isEnabled(organizationId: string, tenantId: string): Promise<boolean>;
}
