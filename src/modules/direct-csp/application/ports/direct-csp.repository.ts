import type { DirectCspTest, PortalSetting } from '../../domain/direct-csp-test';

// Every method takes the organization. Writes join the caller's transaction.
export abstract class DirectCspRepository {
  abstract addTest(test: DirectCspTest): Promise<void>;
  // Newest first.
  abstract testsOf(organizationId: string, delegatedAdminId: string, limit: number): Promise<DirectCspTest[]>;
  abstract portalSetting(organizationId: string, tenantId: string): Promise<PortalSetting | null>;
  abstract savePortalSetting(setting: PortalSetting): Promise<void>;
  // Across organizations (a customer tenant's people do not know their partner's organization): the only method
  // without one.
  abstract organizationsWithPortal(tenantId: string): Promise<string[]>;
}
