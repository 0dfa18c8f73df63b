import { randomUUID } from 'node:crypto';
import type { AccessTokenSource, HttpResponse, MicrosoftClientOptions } from '../http/http.types';
import { MicrosoftApiError } from '../http/microsoft-api.error';
import { MicrosoftHttpClient } from '../http/microsoft-http.client';
import { Pages } from '../http/pages';
import type {
  CustomerFilter,
  PartnerCenterApplicationConsent,
  PartnerCenterCollection,
  PartnerCenterCustomer,
  PartnerCenterInvoice,
  PartnerCenterLink,
  PartnerCenterMpnProfile,
  PartnerCenterOrganizationProfile,
  PartnerCenterPartnerRelationship,
  PartnerCenterCatalogueSku,
  PartnerCenterSubscribedSku,
  PartnerCenterSubscription,
  PartnerRelationshipType,
  PartnerCenterScheduledNextTermInstructions,
  PartnerCenterTransitionEligibility,
  SubscriptionQuantityUpdate,
} from './partner-center.types';

export interface PartnerCenterClientOptions extends MicrosoftClientOptions {
  baseUrl: string; // https://api.partnercenter.microsoft.com (paths add /v1)
  applicationName?: string; // MS-PartnerCenter-Application
  locale?: string; // X-Locale
}

export type PartnerCenterPages<T> = Pages<T, PartnerCenterCollection<T>>;

const DEFAULT_PAGE_SIZE = 100;

// Partner Center REST v1. One client per base URL, shared by every partner: the caller passes the partner's
// token (or a function that returns a fresh one) with each call, since whose token it is changes per call.
export class PartnerCenterClient {
  private readonly http: MicrosoftHttpClient;

  constructor(options: PartnerCenterClientOptions) {
    const { baseUrl, applicationName, locale, ...http } = options;
    const defaultHeaders: Record<string, string> = { 'MS-Contract-Version': 'v1' };
    if (applicationName) defaultHeaders['MS-PartnerCenter-Application'] = applicationName;
    if (locale) defaultHeaders['X-Locale'] = locale;
    this.http = new MicrosoftHttpClient({ ...http, service: 'partner-center', baseUrl, defaultHeaders });
  }

  // GET /v1/customers?size=&filter= (get-a-list-of-customers.md, get-a-customer-by-name.md).
  listCustomers(
    auth: AccessTokenSource,
    options: { size?: number; filter?: CustomerFilter } = {},
  ): PartnerCenterPages<PartnerCenterCustomer> {
    const filter = options.filter
      ? JSON.stringify({ Field: options.filter.field, Value: options.filter.value, Operator: 'starts_with' })
      : undefined;
    return this.collection(auth, '/v1/customers', { size: options.size ?? DEFAULT_PAGE_SIZE, filter }, 'partner-center.customers');
  }

  async getCustomer(auth: AccessTokenSource, customerId: string): Promise<PartnerCenterCustomer> {
    return this.get(auth, `/v1/customers/${segment(customerId)}`, 'partner-center.customer');
  }

  listSubscriptions(auth: AccessTokenSource, customerId: string): PartnerCenterPages<PartnerCenterSubscription> {
    return this.collection(auth, `/v1/customers/${segment(customerId)}/subscriptions`, {}, 'partner-center.subscriptions');
  }

  // App+User only. licenseGroupIds repeats in the query: ?licenseGroupIds=group1&licenseGroupIds=group2.
  listSubscribedSkus(
    auth: AccessTokenSource,
    customerId: string,
    options: { licenseGroupIds?: string[] } = {},
  ): PartnerCenterPages<PartnerCenterSubscribedSku> {
    const groups = (options.licenseGroupIds ?? []).map((id) => `licenseGroupIds=${encodeURIComponent(id)}`).join('&');
    const path = `/v1/customers/${segment(customerId)}/subscribedskus${groups ? `?${groups}` : ''}`;
    return this.collection(auth, path, {}, 'partner-center.subscribedskus');
  }

  // The request body is the whole Subscription with the new quantity (change-the-quantity-of-a-subscription.md),
  // so the current one is read first. The PATCH is sent again only where Partner Center cannot have applied
  // it twice: after a 429, a refused connection, or a timeout/reset carrying the same MS-RequestId, which
  // Partner Center de-duplicates (headers.md). A 5xx is an answer with an unknown effect: the caller
  // re-reads the subscription before deciding anything.
  async updateSubscriptionQuantity(
    auth: AccessTokenSource,
    customerId: string,
    subscriptionId: string,
    quantity: number,
  ): Promise<SubscriptionQuantityUpdate> {
    if (!Number.isInteger(quantity) || quantity < 0)
      throw new RangeError(`Subscription quantity must be a whole number ≥ 0, got ${quantity}`);
    const path = `/v1/customers/${segment(customerId)}/subscriptions/${segment(subscriptionId)}`;
    const current = await this.get<PartnerCenterSubscription>(auth, path, 'partner-center.subscription');
    const response = await this.http.request<PartnerCenterSubscription | undefined>({
      method: 'PATCH',
      path,
      json: { ...current, quantity },
      accessToken: auth,
      replay: 'deduplicated',
      operation: 'partner-center.subscription.update-quantity',
    });
    if (response.status === 202 || !response.body) return { state: 'accepted', location: response.headers.get('location') ?? undefined };
    return { state: 'updated', subscription: response.body };
  }

  // POST /v1/customers/{id}/applicationconsents (control-panel-vendor-apis.md): provisions a multi-tenant app in the
  // customer's directory. Needs the signed-in partner user to hold Application Administrator there through GDAP.
  // Sent again only where Partner Center de-duplicates it by MS-RequestId (headers.md), like a quantity change.
  async createApplicationConsent(
    auth: AccessTokenSource,
    customerId: string,
    consent: PartnerCenterApplicationConsent,
  ): Promise<PartnerCenterApplicationConsent | undefined> {
    const response = await this.http.request<PartnerCenterApplicationConsent | undefined>({
      method: 'POST',
      path: `/v1/customers/${segment(customerId)}/applicationconsents`,
      json: consent,
      accessToken: auth,
      replay: 'deduplicated',
      operation: 'partner-center.applicationconsents.create',
    });
    return response.body ?? undefined;
  }

  listApplicationConsents(auth: AccessTokenSource, customerId: string): PartnerCenterPages<PartnerCenterApplicationConsent> {
    return this.collection(auth, `/v1/customers/${segment(customerId)}/applicationconsents`, {}, 'partner-center.applicationconsents');
  }

  async deleteApplicationConsent(auth: AccessTokenSource, customerId: string, applicationId: string): Promise<void> {
    await this.http.request<undefined>({
      method: 'DELETE',
      path: `/v1/customers/${segment(customerId)}/applicationconsents/${segment(applicationId)}`,
      accessToken: auth,
      replay: 'deduplicated',
      operation: 'partner-center.applicationconsents.delete',
    });
  }

  // GET /v1/customers/{id}/subscriptions/{id} (get-a-subscription-by-id.md): with refundableQuantity and
  // scheduledNextTermInstructions on new-commerce subscriptions.
  async getSubscription(auth: AccessTokenSource, customerId: string, subscriptionId: string): Promise<PartnerCenterSubscription> {
    return this.get(auth, `/v1/customers/${segment(customerId)}/subscriptions/${segment(subscriptionId)}`, 'partner-center.subscription');
  }

  // GET …/transitionEligibilities?eligibilityType= (get-subscription-transitions.md): for a scheduled change, the
  // catalogue items the subscription may renew into (create-scheduled-changes.md, step 2).
  listTransitionEligibilities(
    auth: AccessTokenSource,
    customerId: string,
    subscriptionId: string,
    eligibilityType: 'immediate' | 'scheduled',
  ): PartnerCenterPages<PartnerCenterTransitionEligibility> {
    const path = `/v1/customers/${segment(customerId)}/subscriptions/${segment(subscriptionId)}/transitionEligibilities`;
    return this.collection(auth, path, { eligibilityType }, 'partner-center.subscription.transition-eligibilities');
  }

  // PATCH the subscription with scheduledNextTermInstructions (create-scheduled-changes.md): the change is made at
  // renewal, not now; null removes a scheduled change (assumed: the documented sample's "original value = null").
  // Sent whole, as read just before, so the quantity stays as it is (a new quantity would be an immediate change,
  // which deletes scheduled ones).
  async scheduleNextTermChange(
    auth: AccessTokenSource,
    customerId: string,
    subscriptionId: string,
    instructions: PartnerCenterScheduledNextTermInstructions | null,
  ): Promise<SubscriptionQuantityUpdate> {
    const path = `/v1/customers/${segment(customerId)}/subscriptions/${segment(subscriptionId)}`;
    const current = await this.get<PartnerCenterSubscription>(auth, path, 'partner-center.subscription');
    const response = await this.http.request<PartnerCenterSubscription | undefined>({
      method: 'PATCH',
      path,
      json: { ...current, scheduledNextTermInstructions: instructions },
      accessToken: auth,
      replay: 'deduplicated',
      operation: 'partner-center.subscription.schedule-next-term',
    });
    if (response.status === 202 || !response.body) return { state: 'accepted', location: response.headers.get('location') ?? undefined };
    return { state: 'updated', subscription: response.body };
  }

  // GET /v1/invoices?size=&offset= (get-a-collection-of-invoices.md); Microsoft-billed partners only.
  listInvoices(auth: AccessTokenSource, options: { size?: number; offset?: number } = {}): PartnerCenterPages<PartnerCenterInvoice> {
    return this.collection(
      auth,
      '/v1/invoices',
      { size: options.size ?? DEFAULT_PAGE_SIZE, offset: options.offset ?? 0 },
      'partner-center.invoices',
    );
  }

  // IsIndirectCloudSolutionProviderOf: signed in as an indirect provider, its resellers;
  // IsIndirectResellerOf: signed in as an indirect reseller, its providers.
  listRelationships(auth: AccessTokenSource, type: PartnerRelationshipType): PartnerCenterPages<PartnerCenterPartnerRelationship> {
    return this.collection(auth, '/v1/relationships', { relationship_type: type }, 'partner-center.relationships');
  }

  async getOrganizationProfile(auth: AccessTokenSource): Promise<PartnerCenterOrganizationProfile> {
    return this.get(auth, '/v1/profiles/organization', 'partner-center.profile.organization');
  }

  // GET /v1/products/{productId}/skus/{skuId}?country= (get-a-sku-by-id.md): the catalogue SKU a subscription's
  // links.sku points to; its `title` is the product's name. 404 400013/400018 when Microsoft does not know it.
  async getProductSku(auth: AccessTokenSource, productId: string, skuId: string, country: string): Promise<PartnerCenterCatalogueSku> {
    const path = `/v1/products/${segment(productId)}/skus/${segment(skuId)}`;
    const response = await this.http.request<PartnerCenterCatalogueSku>({
      path,
      query: { country },
      accessToken: auth,
      operation: 'partner-center.product-sku',
    });
    if (response.body === undefined) throw emptyBody(path, response.status, response.requestId, response.correlationId);
    return response.body;
  }

  async getMpnProfile(auth: AccessTokenSource): Promise<PartnerCenterMpnProfile> {
    return this.get(auth, '/v1/profiles/mpn', 'partner-center.profile.mpn');
  }

  private async get<T>(auth: AccessTokenSource, path: string, operation: string): Promise<T> {
    const response = await this.http.request<T>({ path, accessToken: auth, operation });
    if (response.body === undefined) throw emptyBody(path, response.status, response.requestId, response.correlationId);
    return response.body;
  }

  // Follows links.next exactly as returned, sending its headers (MS-ContinuationToken), until there is none;
  // one MS-CorrelationId for the whole walk.
  private collection<T>(
    auth: AccessTokenSource,
    firstPath: string,
    query: Record<string, string | number | undefined>,
    operation: string,
  ): PartnerCenterPages<T> {
    const http = this.http;
    return new Pages<T, PartnerCenterCollection<T>>(
      async function* () {
        const correlationId = randomUUID();
        const followed = new Set<string>();
        let request: { path: string; query?: typeof query; headers?: Record<string, string> } | undefined = { path: firstPath, query };
        while (request) {
          const response: HttpResponse<PartnerCenterCollection<T>> = await http.request<PartnerCenterCollection<T>>({
            ...request,
            accessToken: auth,
            correlationId,
            operation,
          });
          const page: PartnerCenterCollection<T> | undefined = response.body;
          if (!page || !Array.isArray(page.items))
            throw emptyBody(request.path, response.status, response.requestId, correlationId, 'has no items array');
          yield page;
          const next: PartnerCenterLink | undefined = page.links?.next;
          if (!next?.uri) return;
          const key = `${next.uri} ${JSON.stringify(next.headers ?? [])}`;
          if (followed.has(key)) throw pagingLoop(next.uri, response.requestId, correlationId);
          followed.add(key);
          request = {
            path: nextLinkPath(next.uri),
            headers: Object.fromEntries((next.headers ?? []).map((header) => [header.key, header.value])),
          };
        }
      },
      (page) => page.items,
    );
  }
}

// links.next.uri is relative to the API root and sometimes lacks the /v1 prefix (FACTS §2.3).
export function nextLinkPath(uri: string): string {
  if (/^https?:\/\//i.test(uri)) return uri;
  const path = uri.startsWith('/') ? uri : `/${uri}`;
  return /^\/v1(?=[/?]|$)/i.test(path) ? path : `/v1${path}`;
}

function segment(id: string): string {
  if (!id) throw new Error('A Partner Center id is required');
  return encodeURIComponent(id);
}

function emptyBody(path: string, status: number, requestId: string, correlationId: string, what = 'has no body'): MicrosoftApiError {
  return new MicrosoftApiError({
    service: 'partner-center',
    status,
    code: 'malformed_response',
    message: `Partner Center GET ${path.split('?')[0]} answered HTTP ${status} but the response ${what}`,
    requestId,
    correlationId,
    method: 'GET',
    path: path.split('?')[0],
  });
}

function pagingLoop(uri: string, requestId: string, correlationId: string): MicrosoftApiError {
  return new MicrosoftApiError({
    service: 'partner-center',
    status: 0,
    code: 'paging_loop',
    message: `Partner Center returned the same next link twice (${uri.split('?')[0]}); stopped paging`,
    requestId,
    correlationId,
    method: 'GET',
  });
}
