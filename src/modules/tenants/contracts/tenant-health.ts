// Read facade of the tenants module for the alert rules: what is known about each active customer's access
// (GDAP, the Sync 365 app, the last read). Always within one organization.
export interface TenantHealthView {
  tenantId: string;
  companyName: string;
  gdapStatus: 'ok' | 'missing_roles' | 'expired' | 'no_gdap' | 'unknown';
  gdapMissingRoles: string[];
  gdapRelationships: { displayName: string; status: string; endDateTime: string | null }[];
  appStatus: 'present' | 'provisioned' | 'missing' | null;
  accessProblemKind: 'app_not_provisioned' | 'conditional_access' | null;
  // Why the tenant could not be read at the last import; null when it was.
  lastError: string | null;
  // Why Partner Center would not list the licences at the latest read; null when they were read.
  licencesUnreadable: string | null;
}

export abstract class TenantHealth {
  // The organization's active customers, by tenant id, in pages of `limit` after the tenant id `after`.
  abstract page(organizationId: string, after: string | null, limit: number): Promise<TenantHealthView[]>;
}
