import type {
  DirectorySubscriptionsRead,
  SkuLicenceSnapshot,
  SubscribedSkusRead,
  SubscriptionSnapshot,
} from '../../shared/domain/licence-readings';

// The tenants module's integration events: names and payload types (the readings are shared-kernel values).
// Other modules import this file, never the module's door, to react to them.

// Published once per customer tenant an import has read; the licensing module records the licences.
export const TENANT_LICENCES_READ = 'tenants.tenant-licences-read';

export interface TenantLicencesReadPayload {
  importRunId: string;
  delegatedAdminId: string;
  tenantId: string;
  readAt: string;
  // The licences read (empty when they were not readable: then `licences` says why).
  skus: SkuLicenceSnapshot[];
  // The licences, or why Partner Center would not list them (no licence-reading GDAP role). Absent from events
  // published before licences could be unreadable: `skus` is then the licences.
  licences?: SubscribedSkusRead;
  subscriptions: SubscriptionSnapshot[];
  // The subscriptions in the customer's own directory, or why they could not be read. Absent from events
  // published before the import read them: nothing is known about the directory from such an event.
  directory?: DirectorySubscriptionsRead;
}

// An import could not read a delegated admin's customer list (Partner Center refused the account), or could.
export const CUSTOMER_LIST_REFUSED = 'tenants.customer-list-refused';
export const CUSTOMER_LIST_READ = 'tenants.customer-list-read';

export interface CustomerListPayload {
  importRunId: string;
  delegatedAdminId: string;
  // When the import began: what it learnt says nothing about a consent granted after that.
  importStartedAt: string;
  // For a refusal: why, in plain words.
  reason?: string;
  // For a refusal: Microsoft refused the stored consent itself (not Partner Center the account). The consent module
  // recorded that when it happened, against the token it redeemed; this import may be older than a re-grant since.
  consentRefused?: boolean;
}

// An import of one delegated admin's customers finished (every tenant read or failed, or the customer list was
// refused). The licensing module turns it into a reconciliation run. `tenants` lists the tenants the run covered.
export const IMPORT_FINISHED = 'tenants.import-finished';

export interface ImportFinishedPayload {
  importRunId: string;
  delegatedAdminId: string;
  trigger: string;
  status: 'completed' | 'failed';
  // Why the whole import failed (the customer list was refused), in plain words.
  error: string | null;
  startedAt: string;
  finishedAt: string;
  tenants: { tenantId: string; companyName: string; read: boolean; reason: string | null }[];
}
