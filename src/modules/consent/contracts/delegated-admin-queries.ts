export interface DelegatedAdminSummary {
  id: string;
  accountUpn: string;
  status: 'active' | 'needs_reconsent' | 'failed';
}

// Read facade for other modules: an organization's connected Partner Center accounts.
export abstract class DelegatedAdminQueries {
  abstract list(organizationId: string): Promise<DelegatedAdminSummary[]>;
}
