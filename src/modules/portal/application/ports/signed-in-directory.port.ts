// What Microsoft says about the directory of the person who signed in to the portal, read with their own token.
export abstract class SignedInDirectory {
  // True for a CSP partner's own directory (Graph organization.partnerTenantType): its staff use the dashboard.
  abstract isPartnerDirectory(accessToken: string): Promise<boolean>;
  // The person's userPrincipalName from Graph /me (null when Graph gives none): their directory's sign-in name,
  // for an id_token that carries neither preferred_username nor upn.
  abstract signInName(accessToken: string): Promise<string | null>;
}
