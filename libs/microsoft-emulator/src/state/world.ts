import {
  completeScenario,
  type CompleteScenario,
  type Customer,
  type GdapRelationship,
  type Scenario,
  type SecurityGroup,
  type Sku,
  type Tenant,
  type User,
} from '../scenario/scenario';

// A customer list kept sorted two ways, so Partner Center paging and its starts_with filters are a
// binary search plus a slice, never a scan of every customer.
export interface SortedCustomers {
  byName: Customer[]; // by lower-case company name, then id
  byDomain: Customer[]; // by lower-case domain, then id
}

// The loaded scenario plus the indexes every request needs. Records are shared with the scenario, so
// changing a field (a quantity, a status) needs no reindex; adding or removing records does.
export class World {
  readonly scenario: CompleteScenario;
  private tenantsById = new Map<string, Tenant>();
  private tenantsByDomain = new Map<string, Tenant>();
  private usersById = new Map<string, User>();
  private usersByUpn = new Map<string, User>();
  private groupsById = new Map<string, SecurityGroup>();
  private groupsByMember = new Map<string, SecurityGroup[]>();
  private skusById = new Map<string, Sku>();
  private customersById = new Map<string, Customer>();
  private customersOfPartner = new Map<string, SortedCustomers>();
  private relationshipsById = new Map<string, GdapRelationship>();
  private relationshipsOfPartner = new Map<string, GdapRelationship[]>();
  // partner|customer → relationships: the GDAP check runs on every customer token and Graph read.
  private relationshipsOfPair = new Map<string, GdapRelationship[]>();

  constructor(scenario: Scenario) {
    this.scenario = completeScenario(scenario);
    this.reindex();
  }

  reindex(): void {
    const { tenants, users, securityGroups, skus, customers, gdapRelationships } = this.scenario;
    this.tenantsById = new Map();
    this.tenantsByDomain = new Map();
    for (const tenant of tenants) this.addTenant(tenant);
    for (const customer of customers) {
      this.addTenant({
        id: customer.id,
        displayName: customer.companyName,
        defaultDomain: customer.defaultDomain,
        kind: 'customer',
        address: customer.address,
      });
    }
    this.usersById = new Map(users.map((user) => [user.id, user]));
    this.usersByUpn = new Map(users.map((user) => [user.userPrincipalName.toLowerCase(), user]));
    this.groupsById = new Map(securityGroups.map((group) => [group.id, group]));
    this.groupsByMember = new Map();
    for (const group of securityGroups) {
      for (const member of group.memberIds) this.groupsByMember.set(member, [...(this.groupsByMember.get(member) ?? []), group]);
    }
    this.skusById = new Map(skus.map((sku) => [sku.skuId.toLowerCase(), sku]));
    this.customersById = new Map(customers.map((customer) => [customer.id.toLowerCase(), customer]));
    this.customersOfPartner = new Map();
    const byPartner = new Map<string, Customer[]>();
    for (const customer of customers) {
      for (const partnerId of customer.partnerIds) {
        const list = byPartner.get(partnerId);
        if (list) list.push(customer);
        else byPartner.set(partnerId, [customer]);
      }
    }
    for (const [partnerId, list] of byPartner) {
      this.customersOfPartner.set(partnerId, {
        byName: [...list].sort((a, b) => compareKeys(nameKey(a), a.id, nameKey(b), b.id)),
        byDomain: [...list].sort((a, b) => compareKeys(domainKey(a), a.id, domainKey(b), b.id)),
      });
    }
    this.relationshipsById = new Map(gdapRelationships.map((relationship) => [relationship.id, relationship]));
    this.relationshipsOfPartner = new Map();
    this.relationshipsOfPair = new Map();
    for (const relationship of gdapRelationships) {
      const list = this.relationshipsOfPartner.get(relationship.partnerTenantId);
      if (list) list.push(relationship);
      else this.relationshipsOfPartner.set(relationship.partnerTenantId, [relationship]);
      const pair = pairKey(relationship.partnerTenantId, relationship.customerTenantId);
      this.relationshipsOfPair.set(pair, [...(this.relationshipsOfPair.get(pair) ?? []), relationship]);
    }
  }

  tenant(id: string): Tenant | undefined {
    return this.tenantsById.get(id.toLowerCase());
  }

  tenantByDomain(domain: string): Tenant | undefined {
    return this.tenantsByDomain.get(domain.toLowerCase());
  }

  isPartner(tenantId: string): boolean {
    return this.tenant(tenantId)?.kind === 'partner';
  }

  // Users of a directory, for Graph's tenant size (FACTS §3.6): its people in the scenario, or a customer's assigned
  // seats where the scenario lists no people (assumed: one user per consumed licence).
  usersIn(tenantId: string): number {
    const key = tenantId.toLowerCase();
    let count = 0;
    for (const user of this.usersById.values()) if (user.tenantId.toLowerCase() === key) count++;
    if (count > 0) return count;
    const customer = this.customer(key) ?? this.customer(tenantId);
    return customer ? customer.subscribedSkus.reduce((sum, sku) => sum + (sku.consumedUnits ?? 0), 0) : 0;
  }

  user(id: string): User | undefined {
    return this.usersById.get(id);
  }

  userByUpn(upn: string): User | undefined {
    return this.usersByUpn.get(upn.trim().toLowerCase());
  }

  groupsOf(userId: string): SecurityGroup[] {
    return this.groupsByMember.get(userId) ?? [];
  }

  group(id: string): SecurityGroup | undefined {
    return this.groupsById.get(id);
  }

  sku(skuId: string): Sku | undefined {
    return this.skusById.get(skuId.toLowerCase());
  }

  skus(): Sku[] {
    return [...this.skusById.values()];
  }

  customer(id: string): Customer | undefined {
    return this.customersById.get(id.toLowerCase());
  }

  customersOf(partnerTenantId: string): SortedCustomers {
    return this.customersOfPartner.get(partnerTenantId) ?? { byName: [], byDomain: [] };
  }

  relationship(id: string): GdapRelationship | undefined {
    return this.relationshipsById.get(id);
  }

  relationshipsOf(partnerTenantId: string): GdapRelationship[] {
    return this.relationshipsOfPartner.get(partnerTenantId) ?? [];
  }

  relationshipsOfCustomer(customerTenantId: string): GdapRelationship[] {
    const wanted = customerTenantId.toLowerCase();
    return this.scenario.gdapRelationships.filter((relationship) => relationship.customerTenantId.toLowerCase() === wanted);
  }

  // A partner's relationships with one customer: relationshipsOf(partnerTenantId) narrowed to the customer (its partner
  // key taken as exactly, the customer's in any case), in the same order; status not filtered.
  relationshipsBetween(partnerTenantId: string, customerTenantId: string): GdapRelationship[] {
    return (this.relationshipsOfPair.get(pairKey(partnerTenantId, customerTenantId)) ?? []).filter(
      (relationship) => relationship.partnerTenantId === partnerTenantId,
    );
  }

  activeRelationships(partnerTenantId: string, customerTenantId: string): GdapRelationship[] {
    // Status is read here, not indexed: a status change needs no reindex.
    return (this.relationshipsOfPair.get(pairKey(partnerTenantId, customerTenantId)) ?? []).filter(
      (relationship) => relationship.status === 'active',
    );
  }

  addCustomer(customer: Customer): void {
    this.scenario.customers.push(customer);
    this.reindex();
  }

  removeCustomer(id: string): boolean {
    const index = this.scenario.customers.findIndex((customer) => customer.id.toLowerCase() === id.toLowerCase());
    if (index === -1) return false;
    const [removed] = this.scenario.customers.splice(index, 1);
    // A deleted tenant takes its GDAP relationships with it.
    this.scenario.gdapRelationships = this.scenario.gdapRelationships.filter(
      (relationship) => relationship.customerTenantId !== removed.id,
    );
    this.reindex();
    return true;
  }

  private addTenant(tenant: Tenant): void {
    this.tenantsById.set(tenant.id.toLowerCase(), tenant);
    this.tenantsByDomain.set(tenant.defaultDomain.toLowerCase(), tenant);
  }
}

export function nameKey(customer: Customer): string {
  return customer.companyName.toLowerCase();
}

export function domainKey(customer: Customer): string {
  return customer.defaultDomain.toLowerCase();
}

export function compareKeys(keyA: string, idA: string, keyB: string, idB: string): number {
  if (keyA !== keyB) return keyA < keyB ? -1 : 1;
  if (idA === idB) return 0;
  return idA < idB ? -1 : 1;
}

function pairKey(partnerTenantId: string, customerTenantId: string): string {
  return `${partnerTenantId.toLowerCase()}|${customerTenantId.toLowerCase()}`;
}
