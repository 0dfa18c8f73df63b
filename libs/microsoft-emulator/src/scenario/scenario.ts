// Plain data describing the fake Microsoft world. Later areas (Partner Center customers, SKUs,
// subscriptions, GDAP) add their own collections beside `tenants` and `users`.

export interface Tenant {
  id: string;
  displayName: string;
  defaultDomain: string;
  kind: 'partner' | 'customer';
}

export interface User {
  id: string; // the object id (`oid` claim)
  tenantId: string;
  userPrincipalName: string;
  displayName: string;
  givenName: string;
  surname: string;
  password: string;
  mfa: boolean;
  roles: string[]; // e.g. 'GlobalAdministrator', 'AdminAgent', 'SalesAgent'
}

export interface AppRegistration {
  clientId: string;
  clientSecret: string;
  displayName: string;
  redirectUris: string[];
}

export interface Scenario {
  name: string;
  tenants: Tenant[];
  users: User[];
}
