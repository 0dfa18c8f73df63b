// The organization's time zone, chosen with the reconciliation schedule on the Licensing tab ('UTC' until one is
// chosen): every date on the dashboard is shown in it.
export abstract class OrganizationTimeZone {
  abstract of(organizationId: string): Promise<string>;
}
