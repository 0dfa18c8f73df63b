import {
  AdaptiveConcurrency,
  GraphClient,
  PartnerCenterClient,
  type AccessTokenSource,
  type MicrosoftClientOptions,
  type PartnerCenterSubscription,
} from '../../../../../libs/microsoft/src';
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
import {
  customerListFailure,
  customerReadFailure,
  isLicenceGdapRefusal,
  isNotFound,
  licencesNeedGdapReason,
  type CustomerRead,
} from './microsoft-error.mapper';
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
  // Requests in flight per limit key (a partner's Partner Center, an app + tenant in Graph), learnt from Microsoft's
  // 429s up to this ceiling (MICROSOFT_CONCURRENCY_PER_LIMIT); absent: no bound beyond the import's own.
  maxConcurrentPerLimit?: number;
  // The limiter shared with the module's other adapters (MicrosoftRequestLimits); it replaces maxConcurrentPerLimit's own.
  concurrency?: AdaptiveConcurrency;
}

const DEFAULT_CUSTOMER_PAGE_SIZE = 500;
const DEFAULT_GROUP_CACHE_TTL_MS = 5 * 60 * 1000;

const READS = {
  subscribedSkus: {
    service: 'partner-center',
    what: "list this customer's licences",
    forbidden: "Partner Center refused to list this customer's licences",
    forbiddenFix:
      'Check that the Partner Center account still has the Admin Agent role and that your organization sells to this customer directly (indirect resellers cannot use the Partner Center API).',
  },
  subscriptions: {
    service: 'partner-center',
    what: "list this customer's subscriptions",
    forbidden: "Partner Center refused to list this customer's subscriptions",
    forbiddenFix:
      'Check that the Partner Center account still has the Admin Agent role and that your organization sells to this customer directly (indirect resellers cannot use the Partner Center API).',
  },
  relationships: {
    service: 'graph',
    what: 'list your GDAP relationships with this customer',
    forbidden: 'Your access does not allow reading your GDAP relationships with this customer',
    forbiddenFix:
      'The Partner Center account must be in your Admin Agents group, and Sync 365 needs the DelegatedAdminRelationship.Read.All permission: re-grant consent.',
  },
  accessAssignments: {
    service: 'graph',
    what: 'list which security groups and roles your GDAP relationship with this customer grants',
    forbidden: 'Your access does not allow reading the access assignments of your GDAP relationship with this customer',
    forbiddenFix:
      'The Partner Center account must be in your Admin Agents group, and Sync 365 needs the DelegatedAdminRelationship.Read.All permission: re-grant consent.',
  },
  directorySkus: {
    service: 'graph',
    what: "list the licences in this customer's directory",
    forbidden: "Your GDAP access does not allow reading the licences in this customer's directory",
    forbiddenFix:
      "Give the Partner Center account's security group a role that can read the directory, such as Global Reader, in your GDAP relationship with this customer.",
  },
  directorySubscriptions: {
    service: 'graph',
    what: "list the subscriptions in this customer's directory",
    forbidden: "Your GDAP access does not allow reading the subscriptions in this customer's directory",
    forbiddenFix:
      "Give the Partner Center account's security group a role that can read the directory, such as Global Reader, in your GDAP relationship with this customer.",
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
  private readonly partnerTenants = new Map<string, { tenantId: string; expiresAt: number }>();
  private readonly catalogueNames = new Map<string, Promise<string | null>>();
  private readonly delegatedAdmins: Pick<DelegatedAdminQueries, 'find'> | undefined;

  constructor(
    config: { microsoft: Pick<MicrosoftSettings, 'partnerCenterBaseUrl' | 'graphBaseUrl'> },
    private readonly tokens: MicrosoftAccessTokens,
    private readonly clock: Clock,
    options: PartnerCenterDirectoryOptions = {},
  ) {
    super();
    // One limiter for both clients: the keys name the service.
    const concurrency =
      options.concurrency ?? (options.maxConcurrentPerLimit ? new AdaptiveConcurrency({ max: options.maxConcurrentPerLimit }) : undefined);
    this.partnerCenter = new PartnerCenterClient({
      baseUrl: config.microsoft.partnerCenterBaseUrl,
      applicationName: 'Sync 365',
      concurrency,
      ...options.http,
    });
    this.graph = new GraphClient({ baseUrl: config.microsoft.graphBaseUrl, concurrency, ...options.http });
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

  // The three reads are independent and run at once; how many requests Partner Center and Graph see at a time is
  // bounded per limit key by the adaptive limiter (maxConcurrentPerLimit), not by reading one after the other.
  async tenantLicences(organizationId: string, delegatedAdminId: string, customerTenantId: string): Promise<TenantLicencesSnapshot> {
    const token = this.partnerCenterToken(organizationId, delegatedAdminId);
    // A licence-reading GDAP role is needed for the licences only (FACTS.md §7a.3): when Partner Center refuses
    // them, the subscriptions are read all the same. Should it refuse those too, the account itself may not read
    // this customer (no Admin Agent role, no reseller relationship) and that refusal fails the read, as before.
    const licencesRead = (async (): Promise<SubscribedSkusRead> => {
      try {
        return { skus: (await this.partnerCenter.listSubscribedSkus(token, customerTenantId).all()).map(toSkuLicenceSnapshot) };
      } catch (error) {
        if (!isLicenceGdapRefusal(error)) throw customerReadFailure(error, READS.subscribedSkus);
        return { unreadable: licencesNeedGdapReason(error) };
      }
    })();
    const subscriptionsRead = read(READS.subscriptions, async () => {
      const items = await this.partnerCenter.listSubscriptions(token, customerTenantId).all();
      return Promise.all(
        items.map(async (item) => ({ ...toSubscriptionSnapshot(item), catalogueName: await this.catalogueName(token, item) })),
      );
    });
    const directoryRead = this.directorySubscriptions(organizationId, delegatedAdminId, customerTenantId);
    // Every read settles before the first failure is thrown: none is left running unobserved.
    const [licences, subscriptions, directory] = await settleAll([licencesRead, subscriptionsRead, directoryRead] as const);
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
  private async directorySubscriptions(
    organizationId: string,
    delegatedAdminId: string,
    customerTenantId: string,
  ): Promise<DirectorySubscriptionsRead> {
    const token: AccessTokenSource = () => this.tokens.forGraph(organizationId, delegatedAdminId, customerTenantId);
    try {
      const partnerTenantId = this.partnerTenantOf(organizationId, delegatedAdminId);
      partnerTenantId.catch(() => undefined); // awaited below; a failure surfaces there, never unhandled
      const subscriptionsRead = read(READS.directorySubscriptions, async () => {
        const items = await this.graph.listDirectorySubscriptions(token).all();
        const partner = await partnerTenantId;
        return items.map((subscription) => toDirectorySubscriptionSnapshot(subscription, partner));
      });
      // Locked-out units are only in Graph's subscribedSkus (prepaidUnits.lockedOut), not in Partner Center's licences.
      // A refusal there loses only those counts, not the subscriptions just read. Both are read at once.
      const skuUnitsRead = read(READS.directorySkus, async () =>
        (await this.graph.listSubscribedSkus(token).all()).flatMap(toDirectorySkuUnits),
      ).catch((error: unknown) => {
        if (error instanceof CustomerReadRefusedError) return undefined;
        throw error;
      });
      const [subscriptions, skuUnits] = await settleAll([subscriptionsRead, skuUnitsRead] as const);
      return skuUnits ? { subscriptions, skuUnits } : { subscriptions };
    } catch (error) {
      if (error instanceof CustomerReadRefusedError) return { unreadable: error.reason };
      // The vault refused a token for this customer's directory only (no active GDAP relationship, the app not
      // provisioned there, its Conditional Access): `refusedBy` tells the import which.
      if (error instanceof CustomerTokenRefusedError)
        return { unreadable: error.fix ? `${error.message} ${error.fix}` : error.message, refusedBy: error.kind };
      throw error;
    }
  }

  async gdapAccess(organizationId: string, delegatedAdminId: string, customerTenantId: string): Promise<GdapAccessSnapshot> {
    const token = this.partnerGraphToken(organizationId, delegatedAdminId);
    const filter = `customer/tenantId eq '${customerTenantId.toLowerCase().replace(/'/g, "''")}'`;
    const relationships = await read(READS.relationships, async () =>
      relationshipsOfCustomer(await this.graph.listDelegatedAdminRelationships(token, { filter }).all(), customerTenantId),
    );
    const groupIdsRead = this.serviceAccountGroupIds(organizationId, delegatedAdminId, token);
    const [assignmentLists, serviceAccountGroupIds] = await settleAll([
      settleAll(relationships.filter(mayGrantAccess).map((relationship) => this.accessAssignments(token, relationship.id))),
      groupIdsRead,
    ] as const);
    const assignments: GdapAssignmentSnapshot[] = assignmentLists.flat();
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

  // A delegated admin's own tenant never changes: remembered (as the groups are) once known, instead of a database read
  // for every customer of an import.
  private async partnerTenantOf(organizationId: string, delegatedAdminId: string): Promise<string | undefined> {
    if (!this.delegatedAdmins) return undefined;
    const key = `${organizationId}|${delegatedAdminId}`;
    const now = this.clock.now().getTime();
    const cached = this.partnerTenants.get(key);
    if (cached && cached.expiresAt > now) return cached.tenantId;
    const tenantId = (await this.delegatedAdmins.find(organizationId, delegatedAdminId))?.partnerTenantId;
    if (tenantId) {
      for (const [other, entry] of this.partnerTenants) if (entry.expiresAt <= now) this.partnerTenants.delete(other);
      this.partnerTenants.set(key, { tenantId, expiresAt: now + this.groupCacheTtlMs });
    }
    return tenantId;
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

// Promise.all that waits for every promise before throwing the first failure (in order), so no read is left
// running after its tenant's read has failed.
async function settleAll<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

async function read<T>(customerRead: CustomerRead, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw customerReadFailure(error, customerRead);
  }
}
