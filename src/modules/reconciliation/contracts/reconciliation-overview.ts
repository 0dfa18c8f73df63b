// Read facade of the reconciliation for other modules' pages (the overview). Always within one organization.

export interface OpenDiscrepanciesView {
  kind: string;
  count: number;
}

export abstract class ReconciliationOverview {
  // The open (not silenced) discrepancies of each delegated admin's latest reconciliation run, per kind, in the
  // Licensing tab's order, kinds without any left out (discrepancyKindLabel names a kind; /licensing?kind= lists it).
  abstract openDiscrepancies(organizationId: string): Promise<OpenDiscrepanciesView[]>;
}
