// Read facade for the alert rules: when each connected Partner Center account's refresh token was last redeemed
// (Microsoft ends a refresh token after 90 days without use). Always within one organization.
export abstract class RefreshTokenAges {
  abstract of(organizationId: string): Promise<{ delegatedAdminId: string; renewedAt: Date }[]>;
}
