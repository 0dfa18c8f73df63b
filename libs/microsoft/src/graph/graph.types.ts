// Wire shapes of Microsoft Graph v1.0 (only the fields we read; Graph adds fields over time).
export interface GraphCollection<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

export interface GraphVerifiedDomain {
  name: string;
  isDefault?: boolean;
  isInitial?: boolean;
}

export interface GraphOrganization {
  id: string;
  displayName?: string | null;
  verifiedDomains?: GraphVerifiedDomain[];
}
