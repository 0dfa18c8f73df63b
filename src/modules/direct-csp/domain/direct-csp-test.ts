import type { DirectCspTestOutcome } from './partner-program';

// One run of the Direct CSP test: what was asked, what Partner Center answered, what it meant.
export interface DirectCspTest {
  id: string;
  organizationId: string;
  delegatedAdminId: string;
  tenantId: string;
  tenantName: string;
  outcome: DirectCspTestOutcome;
  reason: string;
  evidence: string[];
  testedByUserId: string;
  testedByName: string;
  testedAt: Date;
}

// The end-user self-service portal switch of one customer tenant.
export interface PortalSetting {
  organizationId: string;
  tenantId: string;
  enabled: boolean;
  changedAt: Date;
  changedByUserId: string;
  changedByName: string;
}
