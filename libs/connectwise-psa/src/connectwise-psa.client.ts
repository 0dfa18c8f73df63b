import { ConnectWiseApiError } from './http/connectwise-api.error';
import { cw, type Condition } from './http/conditions';
import {
  ConnectWiseHttpClient,
  type ConnectWiseClientOptions,
  type ConnectWiseCredentials,
  type ConnectWiseRequest,
} from './http/connectwise-http.client';
import { FIXES } from './http/error-body';
import { parseLinkHeader } from './http/link-header';
import { ConnectWisePages } from './http/pages';
import type {
  ConnectWiseAddition,
  ConnectWiseAgreement,
  ConnectWiseCatalogItem,
  ConnectWiseCompany,
  ConnectWiseCompanyInfo,
  ConnectWiseCount,
  ConnectWiseInvoice,
  ConnectWisePatchOperation,
  NewConnectWiseAddition,
} from './wire/connectwise.types';

export interface ConnectWiseListOptions {
  conditions?: Condition | string;
  childConditions?: Condition | string;
  customFieldConditions?: Condition | string;
  orderBy?: string; // "name asc"
  fields?: string[]; // partial response: ["id", "name"]
  pageSize?: number; // 1–1000, default 1000 here (ConnectWise's own default is 25)
  // Forward-only paging (header pagination-type: forward-only + pageId, acting as id > pageId): cheaper for
  // ConnectWise on big tables and stable while records are added; records come in id order, orderBy is not sent.
  forwardOnly?: boolean;
}

export interface ConnectWisePsaClientOptions extends ConnectWiseClientOptions {
  // The API root: https://{api host}/{codebase}apis/3.0, e.g. https://api-na.myconnectwise.net/v4_6_release/apis/3.0.
  apiBaseUrl: string;
  credentials: ConnectWiseCredentials;
}

export interface ConnectWiseConnectOptions extends ConnectWiseClientOptions {
  // The site people sign in to, e.g. https://na.myconnectwise.net (or an on-premises host).
  siteUrl: string;
  credentials: ConnectWiseCredentials;
  // Where the API is served when not on the site itself. ConnectWise cloud serves it on api-{site}
  // (api-na.myconnectwise.net; reported by integrators, "SSL is required" otherwise): that is the default for
  // *.myconnectwise.net sites; any other site serves both.
  apiUrl?: string;
  codebase?: string; // skip discovery ("v4_6_release/")
}

const DEFAULT_PAGE_SIZE = 1000;
const MAX_PAGE_SIZE = 1000;

// ConnectWise dates on the wire are UTC date-times ("2026-12-07T00:00:00Z"); a date-only value means UTC midnight.
export function toConnectWiseDate(value: string | Date): string {
  if (value instanceof Date) return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T00:00:00Z`;
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new RangeError(`Not a date: ${value}`);
  return parsed.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function apiUrlForSite(siteUrl: string): string {
  const site = new URL(siteUrl.includes('://') ? siteUrl : `https://${siteUrl}`);
  if (/\.myconnectwise\.net$/i.test(site.hostname) && !/^api-/i.test(site.hostname)) site.hostname = `api-${site.hostname}`;
  return site.origin;
}

function siteOrigin(siteUrl: string): string {
  return new URL(siteUrl.includes('://') ? siteUrl : `https://${siteUrl}`).origin;
}

// ConnectWise PSA (Manage) REST 3.0: companies, agreements, the product catalog, agreement additions and invoices.
// Wire types only; one client per ConnectWise company and API member.
export class ConnectWisePsaClient {
  readonly apiBaseUrl: string;
  private readonly http: ConnectWiseHttpClient;

  constructor(options: ConnectWisePsaClientOptions) {
    const { apiBaseUrl, credentials, ...http } = options;
    this.apiBaseUrl = apiBaseUrl.replace(/\/+$/, '');
    this.http = new ConnectWiseHttpClient(this.apiBaseUrl, credentials, http);
  }

  // GET https://{site}/login/companyinfo/{companyId} → {"Codebase":"v4_6_release/", …} (PYCW). Asked without
  // credentials, like ConnectWise's own clients do. An unknown company id is a 404 (typed: authentication).
  static async companyInfo(siteUrl: string, companyId: string, options: ConnectWiseClientOptions = {}): Promise<ConnectWiseCompanyInfo> {
    const http = new ConnectWiseHttpClient(siteOrigin(siteUrl), undefined, options);
    const response = await http.request<ConnectWiseCompanyInfo | undefined>({
      path: `/login/companyinfo/${encodeURIComponent(companyId)}`,
      authenticated: false,
      notFoundMeans: 'company-id',
      operation: 'connectwise.companyinfo',
    });
    const info = response.body;
    if (!info || typeof info.Codebase !== 'string' || !info.Codebase.trim()) {
      throw new ConnectWiseApiError({
        kind: 'authentication',
        status: response.status,
        code: 'no_codebase',
        message: `ConnectWise PSA GET /login/companyinfo/${companyId} answered without a Codebase`,
        fix: FIXES.companyInfoNotFound,
        method: 'GET',
        path: `/login/companyinfo/${companyId}`,
      });
    }
    return info;
  }

  // Discovers the codebase (unless given) and builds https://{api host}/{codebase}apis/3.0.
  static async connect(options: ConnectWiseConnectOptions): Promise<ConnectWisePsaClient> {
    const { siteUrl, apiUrl, codebase, credentials, ...http } = options;
    const base = codebase ?? (await ConnectWisePsaClient.companyInfo(siteUrl, credentials.companyId, http)).Codebase;
    const root = (apiUrl ? siteOrigin(apiUrl) : apiUrlForSite(siteUrl)).replace(/\/+$/, '');
    const path = base.replace(/^\/+|\/+$/g, '');
    return new ConnectWisePsaClient({ ...http, credentials, apiBaseUrl: `${root}/${path}/apis/3.0` });
  }

  // One cheap read per area the sync needs, so a "test connection" names the missing permission.
  async checkAccess(): Promise<{ companies: boolean; agreements: boolean; catalog: boolean }> {
    await this.first<ConnectWiseCompany>('/company/companies', 'connectwise.check.companies');
    await this.first<ConnectWiseAgreement>('/finance/agreements', 'connectwise.check.agreements');
    await this.first<ConnectWiseCatalogItem>('/procurement/catalog', 'connectwise.check.catalog');
    return { companies: true, agreements: true, catalog: true };
  }

  listCompanies(options: ConnectWiseListOptions = {}): ConnectWisePages<ConnectWiseCompany> {
    return this.collection('/company/companies', options, 'connectwise.companies');
  }

  async getCompany(id: number): Promise<ConnectWiseCompany> {
    return this.get(`/company/companies/${id}`, 'connectwise.company');
  }

  listAgreements(options: ConnectWiseListOptions = {}): ConnectWisePages<ConnectWiseAgreement> {
    return this.collection('/finance/agreements', options, 'connectwise.agreements');
  }

  // GET /finance/agreements?conditions=company/id=250 (FACTS §1), Active ones unless told otherwise.
  listAgreementsOfCompany(companyId: number, options: { activeOnly?: boolean } = {}): ConnectWisePages<ConnectWiseAgreement> {
    const conditions = cw.and(
      cw.eq('company/id', companyId),
      options.activeOnly === false ? undefined : cw.eq('agreementStatus', 'Active'),
    );
    return this.listAgreements({ conditions });
  }

  async getAgreement(id: number): Promise<ConnectWiseAgreement> {
    return this.get(`/finance/agreements/${id}`, 'connectwise.agreement');
  }

  listCatalogItems(options: ConnectWiseListOptions = {}): ConnectWisePages<ConnectWiseCatalogItem> {
    return this.collection('/procurement/catalog', options, 'connectwise.catalog');
  }

  async getCatalogItem(id: number): Promise<ConnectWiseCatalogItem> {
    return this.get(`/procurement/catalog/${id}`, 'connectwise.catalog-item');
  }

  listAdditions(agreementId: number, options: ConnectWiseListOptions = {}): ConnectWisePages<ConnectWiseAddition> {
    return this.collection(`/finance/agreements/${agreementId}/additions`, options, 'connectwise.additions');
  }

  async countAdditions(agreementId: number, conditions?: Condition | string): Promise<number> {
    const response = await this.http.request<ConnectWiseCount>({
      path: `/finance/agreements/${agreementId}/additions/count`,
      query: { conditions: conditions === undefined ? undefined : String(conditions) },
      notFoundMeans: 'record',
      operation: 'connectwise.additions.count',
    });
    return response.body.count;
  }

  async getAddition(agreementId: number, additionId: number): Promise<ConnectWiseAddition> {
    return this.get(`/finance/agreements/${agreementId}/additions/${additionId}`, 'connectwise.addition');
  }

  // POST …/additions. Not repeated after an answer was lost (no idempotency key): callers look before writing again.
  async createAddition(agreementId: number, addition: NewConnectWiseAddition): Promise<ConnectWiseAddition> {
    const response = await this.http.request<ConnectWiseAddition>({
      method: 'POST',
      path: `/finance/agreements/${agreementId}/additions`,
      json: addition,
      operation: 'connectwise.additions.create',
    });
    return response.body;
  }

  // PATCH …/additions/{id} with JSON-patch operations [{"op":"replace","path":"quantity","value":12}] (CTC, PYCW).
  async patchAddition(agreementId: number, additionId: number, operations: ConnectWisePatchOperation[]): Promise<ConnectWiseAddition> {
    if (operations.length === 0) throw new RangeError('A PATCH needs at least one operation');
    const response = await this.http.request<ConnectWiseAddition>({
      method: 'PATCH',
      path: `/finance/agreements/${agreementId}/additions/${additionId}`,
      json: operations,
      operation: 'connectwise.additions.patch',
    });
    return response.body;
  }

  async setAdditionQuantity(agreementId: number, additionId: number, quantity: number): Promise<ConnectWiseAddition> {
    if (!Number.isFinite(quantity)) throw new RangeError(`Quantity must be a number, got ${quantity}`);
    return this.patchAddition(agreementId, additionId, [{ op: 'replace', path: 'quantity', value: quantity }]);
  }

  // Ends billing from that date (FACTS §1: cancelledDate ends billing); the addition stays as history.
  async cancelAddition(agreementId: number, additionId: number, cancelledDate: string | Date): Promise<ConnectWiseAddition> {
    return this.patchAddition(agreementId, additionId, [{ op: 'replace', path: 'cancelledDate', value: toConnectWiseDate(cancelledDate) }]);
  }

  // DELETE …/additions/{id}: gone from the agreement's history too; ending billing is cancelAddition.
  async deleteAddition(agreementId: number, additionId: number): Promise<void> {
    await this.http.request<undefined>({
      method: 'DELETE',
      path: `/finance/agreements/${agreementId}/additions/${additionId}`,
      operation: 'connectwise.additions.delete',
    });
  }

  async findAdditionByMarker(agreementId: number, marker: string): Promise<ConnectWiseAddition | undefined> {
    const [found] = await this.listAdditions(agreementId, { conditions: cw.eq('serialNumber', marker), pageSize: 1 }).all();
    return found;
  }

  listInvoices(options: ConnectWiseListOptions = {}): ConnectWisePages<ConnectWiseInvoice> {
    return this.collection('/finance/invoices', options, 'connectwise.invoices');
  }

  private async get<T>(path: string, operation: string): Promise<T> {
    return (await this.http.request<T>({ path, operation, notFoundMeans: 'record' })).body;
  }

  private async first<T>(path: string, operation: string): Promise<T[]> {
    // A collection cannot be "not found": a 404 here is ConnectWise cloud refusing the credentials.
    return (await this.http.request<T[]>({ path, query: { pageSize: 1 }, operation, notFoundMeans: 'credentials' })).body;
  }

  // Navigable paging follows the Link header's rel="next" as given; forward-only paging asks with the
  // pagination-type header and follows its next link (pageId), until a page has no next link.
  private collection<T>(path: string, options: ConnectWiseListOptions, operation: string): ConnectWisePages<T> {
    const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(options.pageSize ?? DEFAULT_PAGE_SIZE)));
    const query: ConnectWiseRequest['query'] = {
      conditions: options.conditions === undefined ? undefined : String(options.conditions),
      childConditions: options.childConditions === undefined ? undefined : String(options.childConditions),
      customFieldConditions: options.customFieldConditions === undefined ? undefined : String(options.customFieldConditions),
      orderBy: options.forwardOnly ? undefined : options.orderBy,
      fields: options.fields?.join(','),
      pageSize,
      page: options.forwardOnly ? undefined : 1,
    };
    const headers = options.forwardOnly ? { 'pagination-type': 'forward-only' } : undefined;
    // A top-level collection cannot be "not found" (a 404 there is ConnectWise cloud refusing the credentials); one
    // below a record (an agreement's additions) is not found when that record is gone.
    const notFoundMeans = /\/\d+\//.test(path) ? 'record' : 'credentials';
    const http = this.http;
    return new ConnectWisePages<T>(async function* walk() {
      const seen = new Set<string>();
      let request: ConnectWiseRequest = { path, query, headers, operation, notFoundMeans };
      for (;;) {
        const response = await http.request<T[]>(request);
        const items = Array.isArray(response.body) ? response.body : [];
        if (items.length > 0) yield items;
        const next = parseLinkHeader(response.headers.get('link')).next;
        // No next link, an empty page, or a link already followed: the end (a repeating link would never end).
        if (!next || items.length === 0 || seen.has(next)) return;
        seen.add(next);
        request = { path: new URL(next, http.base).toString(), headers, operation, notFoundMeans };
      }
    });
  }
}
