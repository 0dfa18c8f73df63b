// Read facade of the reconciliation for other modules (the overview page, billing). Always within one organization.

export interface OpenDiscrepanciesView {
  kind: string;
  count: number;
}

// An exclusion of the reconciliation (Licensing → Exclusions): a tenant, a SKU or both that the partner set aside.
export interface ExclusionView {
  tenantId: string | null;
  skuId: string | null;
  rule: string;
}

export abstract class ReconciliationOverview {
  // The open (not silenced) discrepancies of each delegated admin's latest reconciliation run, per kind, in the
  // Licensing tab's order, kinds without any left out (discrepancyKindLabel names a kind; /licensing?kind= lists it).
  abstract openDiscrepancies(organizationId: string): Promise<OpenDiscrepanciesView[]>;
  // The partner's exclusions in the order they were made (billing leaves out what is ignored).
  abstract exclusions(organizationId: string): Promise<ExclusionView[]>;
}
