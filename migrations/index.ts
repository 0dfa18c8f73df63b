import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126000000_accounts } from './Migration20261126000000_accounts';
import { Migration20261126010000_job_queue } from './Migration20261126010000_job_queue';
import { Migration20261126010100_integration_events } from './Migration20261126010100_integration_events';
import { Migration20261126020000_consent_and_audit } from './Migration20261126020000_consent_and_audit';
import { Migration20261126030000_licensing } from './Migration20261126030000_licensing';
import { Migration20261126030100_tenants } from './Migration20261126030100_tenants';
import { Migration20261126050000_direct_csp } from './Migration20261126050000_direct_csp';
import { Migration20261126040000_directory_subscriptions } from './Migration20261126040000_directory_subscriptions';
import { Migration20261126060000_reconciliation } from './Migration20261126060000_reconciliation';
import { Migration20261127010000_api_keys } from './Migration20261127010000_api_keys';
import { Migration20261127020000_webhooks } from './Migration20261127020000_webhooks';
import { Migration20261127030000_portal } from './Migration20261127030000_portal';
import { Migration20261207020000_customer_access } from './Migration20261207020000_customer_access';
import { Migration20261207030000_tenant_reads } from './Migration20261207030000_tenant_reads';
import { Migration20261207040000_new_commerce } from './Migration20261207040000_new_commerce';
import { Migration20261207080000_housekeeping } from './Migration20261207080000_housekeeping';
import { Migration20261208020000_billing } from './Migration20261208020000_billing';
import { Migration20261208030000_alerts } from './Migration20261208030000_alerts';
import { Migration20261208050000_staff_roles } from './Migration20261208050000_staff_roles';
import { Migration20261207120000_psa_sync } from './Migration20261207120000_psa_sync';
import { Migration20261209010000_psa_sync_attempts } from './Migration20261209010000_psa_sync_attempts';

// Listed explicitly (not globbed) so the same migrations run from TypeScript under jest and from dist/ in production.
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261126000000_accounts', class: Migration20261126000000_accounts },
  { name: 'Migration20261126010000_job_queue', class: Migration20261126010000_job_queue },
  { name: 'Migration20261126010100_integration_events', class: Migration20261126010100_integration_events },
  { name: 'Migration20261126020000_consent_and_audit', class: Migration20261126020000_consent_and_audit },
  { name: 'Migration20261126030000_licensing', class: Migration20261126030000_licensing },
  { name: 'Migration20261126030100_tenants', class: Migration20261126030100_tenants },
  { name: 'Migration20261126050000_direct_csp', class: Migration20261126050000_direct_csp },
  { name: 'Migration20261126040000_directory_subscriptions', class: Migration20261126040000_directory_subscriptions },
  { name: 'Migration20261126060000_reconciliation', class: Migration20261126060000_reconciliation },
  { name: 'Migration20261127010000_api_keys', class: Migration20261127010000_api_keys },
  { name: 'Migration20261127020000_webhooks', class: Migration20261127020000_webhooks },
  { name: 'Migration20261127030000_portal', class: Migration20261127030000_portal },
  { name: 'Migration20261207020000_customer_access', class: Migration20261207020000_customer_access },
  { name: 'Migration20261207030000_tenant_reads', class: Migration20261207030000_tenant_reads },
  { name: 'Migration20261207040000_new_commerce', class: Migration20261207040000_new_commerce },
  { name: 'Migration20261207080000_housekeeping', class: Migration20261207080000_housekeeping },
  { name: 'Migration20261208020000_billing', class: Migration20261208020000_billing },
  { name: 'Migration20261208030000_alerts', class: Migration20261208030000_alerts },
  { name: 'Migration20261208050000_staff_roles', class: Migration20261208050000_staff_roles },
  { name: 'Migration20261207120000_psa_sync', class: Migration20261207120000_psa_sync },
  { name: 'Migration20261209010000_psa_sync_attempts', class: Migration20261209010000_psa_sync_attempts },
];
