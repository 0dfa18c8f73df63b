// What Microsoft says about the signed-in user's directory. Used once, to name a new organization.
export abstract class DirectoryProfile {
  // undefined when Microsoft cannot tell (the caller falls back to the user's domain).
  abstract organizationName(accessToken: string): Promise<string | undefined>;
}
