import { GraphClient, PartnerCenterClient, type AccessTokenSource, type MicrosoftClientOptions, type PartnerCenterSubscription } from '../../../../../libs/microsoft/src';
import type { MicrosoftSettings } from '../../../../config/app-config';
import { type Clock } from '../../../../shared/application/clock';
import { CustomerTokenRefusedError, type MicrosoftAccessTokens, type DelegatedAdminQueries } from '../../../consent';
import { isGuid } from '../../../../shared/domain/guid';
import {
  CustomerReadRefusedError,
  PartnerCenterDirectory,
  type CustomerSummary,
  type DirectorySubscriptionsRead,
  type GdapAccessSnapshot,
  type GdapAssignmentSnapshot,
  type SubscribedSkusRead,
  type TenantLicencesSnapshot,
} from '../../contracts/partner-center-directory';
import { toCustomerSummary } from './customer.mapper';
import { toDirectorySkuUnits, toDirectorySubscriptionSnapshot } from './directory-subscription.mapper';
import { mayGrantAccess, relationshipsOfCustomer, securityGroupIds, toGdapAssignment } from './gdap.mapper';
import { customerListFailure, customerReadFailure, isLicenceGdapRefusal, isNotFound, licencesNeedGdapReason, type CustomerRead } from './microsoft-error.mapper';
import { toSkuLicenceSnapshot } from './subscribed-sku.mapper';
import { catalogueLink, toSubscriptionSnapshot } from './subscription.mapper';
import { text } from './wire-value.mapper';

export interface PartnerCenterDirectoryOptions {
  // Partner Center's page size for GET /v1/customers; pages are streamed, never collected.
  customerPageSize?: number;
  // How long the service account's groups are reused: an import reads thousands of tenants, the groups do not
  // change between them.
  groupCacheTtlMs?: number;
  // Passed to both wire clients (tests shorten retries with `retry`/`sleep`).
  http?: Pick<MicrosoftClientOptions, 'retry' | 'sleep' | 'random' | 'timeoutMs' | 'onAttempt'>;
  // Where the delegated admin's own partner tenant is known (Graph's ownerTenantId of what it sold); without it,
  // "sold by you" falls back to matching Partner Center subscription ids.
  delegatedAdmins?: Pick<DelegatedAdminQueries, 'find'>;
}

const DEFAULT_CUSTOMER_PAGE_SIZE = 500;
const DEFAULT_GROUP_CACHE_TTL_MS = 5 * 60 * 1000;

const READS = {
  subscribedSkus: {
    service: 'partner-center',
    what: "list this customer's licences",
    forbidden: "Partner Center refused to list this customer's licences",
    forbiddenFix: 'Check that the Partner Center account still has the Admin Agent role and that your organization sells to this customer directly (indirect resellers cannot use the Partner Center API).',
  },
  subscriptions: {
    service: 'partner-center',
    what: "list this customer's subscriptions",
    forbidden: "Partner Center refused to list this customer's subscriptions",
    forbiddenFix: 'Check that the Partner Center account still has the Admin Agent role and that your organization sells to this customer directly (indirect resellers cannot use the Partner Center API).',
  },
  relationships: {
    service: 'graph',
    what: 'list your GDAP relationships with this customer',
    forbidden: 'Your access does not allow reading your GDAP relationships with this customer',
    forbiddenFix: 'The Partner Center account must be in your Admin Agents group, and Sync 365 needs the DelegatedAdminRelationship.Read.All permission: re-grant consent.',
  },
  accessAssignments: {
    service: 'graph',
    what: 'list which security groups and roles your GDAP relationship with this customer grants',
    forbidden: 'Your access does not allow reading the access assignments of your GDAP relationship with this customer',
    forbiddenFix: 'The Partner Center account must be in your Admin Agents group, and Sync 365 needs the DelegatedAdminRelationship.Read.All permission: re-grant consent.',
  },
  directorySkus: {
    service: 'graph',
    what: "list the licences in this customer's directory",
    forbidden: "Your GDAP access does not allow reading the licences in this customer's directory",
    forbiddenFix: "Give the Partner Center account's security group a role that can read the directory, such as Global Reader, in your GDAP relationship with this customer.",
  },
  directorySubscriptions: {
    service: 'graph',
    what: "list the subscriptions in this customer's directory",
    forbidden: "Your GDAP access does not allow reading the subscriptions in this customer's directory",
    forbiddenFix: "Give the Partner Center account's security group a role that can read the directory, such as Global Reader, in your GDAP relationship with this customer.",
  },
  serviceAccountGroups: {
    service: 'graph',
    what: 'list the security groups of the Partner Center account',
    forbidden: 'Microsoft Graph refused to list the security groups of the Partner Center account',
    forbiddenFix: "Re-grant consent so Sync 365 may read the account's group memberships in your directory.",
  },
} satisfies Record<string, CustomerRead>;

interface CachedGroups {
  expiresAt: number;
  groupIds: Promise<string[]>;
}

// PartnerCenterDirectory over libs/microsoft: Partner Center for customers and licences, Graph with a token for
// the partner's own directory for GDAP. Tokens are asked for per request (a function, not a string), so a long
// paged read or a retry after Retry-After never sends an expired one; the vault caches them.
export class PartnerCenterDirectoryAdapter extends PartnerCenterDirectory {
  private readonly partnerCenter: PartnerCenterClient;
  private readonly graph: GraphClient;
  private readonly customerPageSize: number;
  private readonly groupCacheTtlMs: number;
  private readonly groups = new Map<string, CachedGroups>();
  private readonly catalogueNames = new Map<string, Promise<string | null>>();
  private readonly delegatedAdmins: Pick<DelegatedAdminQueries, 'find'> | undefined;

  constructor(
    config: { microsoft: Pick<MicrosoftSettings, 'partnerCenterBaseUrl' | 'graphBaseUrl'> },
    private readonly tokens: MicrosoftAccessTokens,
    private readonly clock: Clock,
    options: PartnerCenterDirectoryOptions = {},
  ) {
    super();
    this.partnerCenter = new PartnerCenterClient({ baseUrl: config.microsoft.partnerCenterBaseUrl, applicationName: 'Sync 365', ...options.http });
    this.graph = new GraphClient({ baseUrl: config.microsoft.graphBaseUrl, ...options.http });
    this.customerPageSize = options.customerPageSize ?? DEFAULT_CUSTOMER_PAGE_SIZE;
    this.groupCacheTtlMs = options.groupCacheTtlMs ?? DEFAULT_GROUP_CACHE_TTL_MS;
    this.delegatedAdmins = options.delegatedAdmins;
  }

  async *customerPages(organizationId: string, delegatedAdminId: string): AsyncIterable<CustomerSummary[]> {
    const token = this.partnerCenterToken(organizationId, delegatedAdminId);
    try {
      for await (const page of this.partnerCenter.listCustomers(token, { size: this.customerPageSize })) {
        if (page.items.length > 0) yield page.items.map(toCustomerSummary);
      }
    } catch (error) {
      throw customerListFailure(error);
    }
  }

  // One request after the other, not all at once: the import bounds how many tenants it reads in parallel, and
  // that bound should be the number of requests Partner Center and Graph see.
  async tenantLicences(organizationId: string, delegatedAdminId: string, customerTenantId: string): Promise<TenantLicencesSnapshot> {
    const token = this.partnerCenterToken(organizationId, delegatedAdminId);
    // A licence-reading GDAP role is needed for the licences only (FACTS.md §7a.3): when Partner Center refuses
    // them, the subscriptions are read all the same. Should it refuse those too, the account itself may not read
    // this customer (no Admin Agent role, no reseller relationship) and that refusal fails the read, as before.
    let licences: SubscribedSkusRead;
    try {
      licences = { skus: (await this.partnerCenter.listSubscribedSkus(token, customerTenantId).all()).map(toSkuLicenceSnapshot) };
    } catch (error) {
      if (!isLicenceGdapRefusal(error)) throw customerReadFailure(error, READS.subscribedSkus);
      licences = { unreadable: licencesNeedGdapReason(error) };
    }
    const subscriptions = await read(READS.subscriptions, async () => {
      const items = await this.partnerCenter.listSubscriptions(token, customerTenantId).all();
      return Promise.all(items.map(async (item) => ({ ...toSubscriptionSnapshot(item), catalogueName: await this.catalogueName(token, item) })));
    });
    const directory = await this.directorySubscriptions(organizationId, delegatedAdminId, customerTenantId);
    return { licences, subscriptions, directory };
  }

  // The catalogue's title for a subscription's SKU (links.sku), asked once per SKU and country per process: an import
  // reads thousands of tenants holding a handful of SKUs. The title is stored with each subscription read, so it
  // survives restarts without this cache. Null when Partner Center does not link or know the SKU, or cannot be asked
  // now: the next import asks again, and the hand-written list names the product meanwhile.
  private async catalogueName(token: AccessTokenSource, subscription: PartnerCenterSubscription): Promise<string | null> {
    const link = catalogueLink(subscription);
    if (!link) return null;
    const country = link.country ?? 'US';
    const key = `${link.productId}|${link.skuId}|${country}`.toUpperCase();
    let cached = this.catalogueNames.get(key);
    if (!cached) {
      cached = this.partnerCenter
        .getProductSku(token, link.productId, link.skuId, country)
        .then((sku) => {
          const title = text(sku.title);
          return title && !isGuid(title) ? title : null;
        })
        .catch((error: unknown) => {
          this.catalogueNames.delete(key);
          // An unknown SKU is worth remembering (404: Microsoft will not name it); anything else is asked again.
          if (isNotFound(error)) this.catalogueNames.set(key, Promise.resolve(null));
          return null;
        });
      this.catalogueNames.set(key, cached);
    }
    return cached;
  }

  // The customer's own directory, through GDAP: a customer without a usable relationship still has its Partner
  // Center licences read, so a refusal here is a reason, not a failure. Microsoft being unavailable and a consent
  // that no longer works still fail the read (it is retried, or the delegated admin needs re-consent).
  private async directorySubscriptions(organizationId: string, delegatedAdminId: string, customerTenantId: string): Promise<DirectorySubscriptionsRead> {
    const token: AccessTokenSource = () => this.tokens.forGraph(organizationId, delegatedAdminId, customerTenantId);
    try {
      const partnerTenantId = await this.partnerTenantOf(organizationId, delegatedAdminId);
      const subscriptions = await read(READS.directorySubscriptions, async () =>
        (await this.graph.listDirectorySubscriptions(token).all()).map((subscription) => toDirectorySubscriptionSnapshot(subscription, partnerTenantId)),
      );
      // Locked-out units are only in Graph's subscribedSkus (prepaidUnits.lockedOut), not in Partner Center's licences.
      // A refusal there loses only those counts, not the subscriptions just read.
      const skuUnits = await read(READS.directorySkus, async () => (await this.graph.listSubscribedSkus(token).all()).flatMap(toDirectorySkuUnits)).catch((error: unknown) => {
        if (error instanceof CustomerReadRefusedError) return undefined;
        throw error;
      });
      return skuUnits ? { subscriptions, skuUnits } : { subscriptions };
    } catch (error) {
      if (error instanceof CustomerReadRefusedError) return { unreadable: error.reason };
      // The vault refused a token for this customer's directory only (no active GDAP relationship, the app not
      // provisioned there, its Conditional Access): `refusedBy` tells the import which.
      if (error instanceof CustomerTokenRefusedError) return { unreadable: error.fix ? `${error.message} ${error.fix}` : error.message, refusedBy: error.kind };
      throw error;
    }
  }

  async gdapAccess(organizationId: string, delegatedAdminId: string, customerTenantId: string): Promise<GdapAccessSnapshot> {
    const token = this.partnerGraphToken(organizationId, delegatedAdminId);
    const filter = `customer/tenantId eq '${customerTenantId.toLowerCase().replace(/'/g, "''")}'`;
    const relationships = await read(READS.relationships, async () =>
      relationshipsOfCustomer(await this.graph.listDelegatedAdminRelationships(token, { filter }).all(), customerTenantId),
    );
    const assignments: GdapAssignmentSnapshot[] = [];
    for (const relationship of relationships.filter(mayGrantAccess)) assignments.push(...(await this.accessAssignments(token, relationship.id)));
    const serviceAccountGroupIds = await this.serviceAccountGroupIds(organizationId, delegatedAdminId, token);
    return { relationships, assignments, serviceAccountGroupIds };
  }

  private async accessAssignments(token: AccessTokenSource, relationshipId: string): Promise<GdapAssignmentSnapshot[]> {
    try {
      const assignments = await this.graph.listAccessAssignments(token, relationshipId).all();
      return assignments.map((assignment) => toGdapAssignment(relationshipId, assignment));
    } catch (error) {
      // The relationship can end between the two reads, and Graph then no longer knows it: it grants nothing.
      if (isNotFound(error)) return [];
      throw customerReadFailure(error, READS.accessAssignments);
    }
  }

  // One read per delegated admin every few minutes, shared by concurrent callers; a failure is not cached.
  private async serviceAccountGroupIds(organizationId: string, delegatedAdminId: string, token: AccessTokenSource): Promise<string[]> {
    const key = `${organizationId}|${delegatedAdminId}`;
    const now = this.clock.now().getTime();
    let cached = this.groups.get(key);
    if (!cached || cached.expiresAt <= now) {
      for (const [other, entry] of this.groups) if (entry.expiresAt <= now) this.groups.delete(other);
      const groupIds = read(READS.serviceAccountGroups, async () => securityGroupIds(await this.graph.listTransitiveMemberOf(token).all()));
      cached = { expiresAt: now + this.groupCacheTtlMs, groupIds };
      this.groups.set(key, cached);
      const entry = cached;
      groupIds.catch(() => {
        if (this.groups.get(key) === entry) this.groups.delete(key);
      });
    }
    return [...(await cached.groupIds)];
  }

  private async partnerTenantOf(organizationId: string, delegatedAdminId: string): Promise<string | undefined> {
    return this.delegatedAdmins ? (await this.delegatedAdmins.find(organizationId, delegatedAdminId))?.partnerTenantId : undefined;
  }

  private partnerCenterToken(organizationId: string, delegatedAdminId: string): AccessTokenSource {
    return () => this.tokens.forPartnerCenter(organizationId, delegatedAdminId);
  }

  // The partner's own directory: GDAP relationships and the service account's groups live there, not in the
  // customer's (FACTS.md §3.4).
  private partnerGraphToken(organizationId: string, delegatedAdminId: string): AccessTokenSource {
    return () => this.tokens.forPartnerGraph(organizationId, delegatedAdminId);
  }
}

async function read<T>(customerRead: CustomerRead, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw customerReadFailure(error, customerRead);
  }
}
