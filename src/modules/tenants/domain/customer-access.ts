// Whether Sync 365 can read the customer's own directory (Graph through GDAP), beside what Partner Center gives:
// the Sync 365 app must be provisioned in the customer (FACTS.md §7a.2), and the customer's Conditional Access may
// refuse service-provider users (§7a.7). Either refusal concerns that customer only, never the delegated admin.

// present: it was there already; provisioned: Sync 365 added it through Partner Center (at appProvisionedAt);
// missing: it is not there and Sync 365 could not add it (accessProblem says why).
export type AppInCustomer = 'present' | 'provisioned' | 'missing';
export type CustomerAccessProblemKind = 'app_not_provisioned' | 'conditional_access';

export interface CustomerAccess {
  // null: this read did not find out (no token could be asked for, e.g. without GDAP): the stored value stays.
  app: AppInCustomer | null;
  // Set when Sync 365 provisioned the app during this read.
  provisionedAt: Date | null;
  // Why Microsoft refused Sync 365 this customer's directory, with the fix; null when nothing is refused.
  problem: string | null;
  problemKind: CustomerAccessProblemKind | null;
}

export const APP_LABELS: Record<AppInCustomer, string> = {
  present: 'Set up',
  provisioned: 'Set up by Sync 365',
  missing: 'Not set up',
};

export const ACCESS_PROBLEM_LABELS: Record<CustomerAccessProblemKind, string> = {
  app_not_provisioned: 'Sync 365 not set up',
  conditional_access: 'Blocked by customer policy',
};
