import { randomUUID } from 'node:crypto';
import type { AccessTokenSource, HttpResponse, MicrosoftClientOptions } from '../http/http.types';
import { MicrosoftApiError } from '../http/microsoft-api.error';
import { MicrosoftHttpClient } from '../http/microsoft-http.client';
import { Pages } from '../http/pages';
import type {
  GraphCollection,
  GraphCompanySubscription,
  GraphDelegatedAdminAccessAssignment,
  GraphDelegatedAdminRelationship,
  GraphDirectoryObject,
  GraphOrganization,
  GraphSubscribedSku,
  GraphUser,
} from './graph.types';

export interface GraphClientOptions extends MicrosoftClientOptions {
  baseUrl: string; // https://graph.microsoft.com (paths add /v1.0)
}

export type GraphPages<T> = Pages<T, GraphCollection<T>>;

export interface GraphListOptions {
  filter?: string; // OData $filter, e.g. "status eq 'active'"
  top?: number; // page size; delegatedAdmin* collections allow at most 300
}

// Microsoft Graph v1.0. One client per base URL; the token comes with each call because it changes per
// tenant (a GDAP token is minted for each customer tenant, FACTS §3.1).
export class GraphClient {
  private readonly http: MicrosoftHttpClient;

  constructor(options: GraphClientOptions) {
    const { baseUrl, ...http } = options;
    this.http = new MicrosoftHttpClient({ ...http, service: 'graph', baseUrl });
  }

  // GET /v1.0/organization: the token's own directory (needs only User.Read).
  async getOrganization(auth: AccessTokenSource): Promise<GraphOrganization | undefined> {
    const page = await this.get<GraphCollection<GraphOrganization>>(auth, '/v1.0/organization', 'graph.organization');
    return page.value?.[0];
  }

  async getMe(auth: AccessTokenSource): Promise<GraphUser> {
    return this.get(auth, '/v1.0/me', 'graph.me');
  }

  // Organization.Read.All; delegated callers need Global Reader or Directory Readers. Only $select exists.
  listSubscribedSkus(auth: AccessTokenSource): GraphPages<GraphSubscribedSku> {
    return this.collection(auth, '/v1.0/subscribedSkus', {}, 'graph.subscribed-skus');
  }

  listDirectorySubscriptions(auth: AccessTokenSource): GraphPages<GraphCompanySubscription> {
    return this.collection(auth, '/v1.0/directory/subscriptions', {}, 'graph.directory-subscriptions');
  }

  // Groups and roles the user belongs to, nested ones included (GDAP access goes through security groups).
  listTransitiveMemberOf(auth: AccessTokenSource, options: { userId?: string } = {}): GraphPages<GraphDirectoryObject> {
    const owner = options.userId ? `/v1.0/users/${segment(options.userId)}` : '/v1.0/me';
    return this.collection(auth, `${owner}/transitiveMemberOf`, {}, 'graph.transitive-member-of');
  }

  // Partner-tenant token, DelegatedAdminRelationship.Read.All.
  listDelegatedAdminRelationships(auth: AccessTokenSource, options: GraphListOptions = {}): GraphPages<GraphDelegatedAdminRelationship> {
    return this.collection(
      auth,
      '/v1.0/tenantRelationships/delegatedAdminRelationships',
      odata(options),
      'graph.delegated-admin-relationships',
    );
  }

  listAccessAssignments(
    auth: AccessTokenSource,
    relationshipId: string,
    options: GraphListOptions = {},
  ): GraphPages<GraphDelegatedAdminAccessAssignment> {
    const path = `/v1.0/tenantRelationships/delegatedAdminRelationships/${segment(relationshipId)}/accessAssignments`;
    return this.collection(auth, path, odata(options), 'graph.access-assignments');
  }

  private async get<T>(auth: AccessTokenSource, path: string, operation: string): Promise<T> {
    const response = await this.http.request<T>({ path, accessToken: auth, operation });
    if (response.body === undefined) throw malformed(path, response.status, response.requestId, 'has no body');
    return response.body;
  }

  private collection<T>(
    auth: AccessTokenSource,
    firstPath: string,
    query: Record<string, string | number | undefined>,
    operation: string,
  ): GraphPages<T> {
    const http = this.http;
    return new Pages<T, GraphCollection<T>>(
      async function* () {
        const correlationId = randomUUID();
        const followed = new Set<string>();
        let request: { path: string; query?: typeof query } | undefined = { path: firstPath, query };
        while (request) {
          const response: HttpResponse<GraphCollection<T>> = await http.request<GraphCollection<T>>({
            ...request,
            accessToken: auth,
            correlationId,
            operation,
          });
          const page: GraphCollection<T> | undefined = response.body;
          if (!page || !Array.isArray(page.value)) throw malformed(request.path, response.status, response.requestId, 'has no value array');
          yield page;
          const next: string | undefined = page['@odata.nextLink'];
          if (!next) return;
          if (followed.has(next))
            throw malformed(request.path, response.status, response.requestId, 'repeats its @odata.nextLink', 'paging_loop');
          followed.add(next);
          // Absolute and opaque: sent back as is (the HTTP client refuses another origin).
          request = { path: next };
        }
      },
      (page) => page.value,
    );
  }
}

function odata(options: GraphListOptions): Record<string, string | number | undefined> {
  if (options.top !== undefined && (!Number.isInteger(options.top) || options.top < 1 || options.top > 300)) {
    throw new RangeError(`$top must be a whole number from 1 to 300, got ${options.top}`);
  }
  return { $filter: options.filter, $top: options.top };
}

function segment(id: string): string {
  if (!id) throw new Error('A Graph id is required');
  return encodeURIComponent(id);
}

function malformed(path: string, status: number, requestId: string, what: string, code = 'malformed_response'): MicrosoftApiError {
  const bare = /^https?:\/\//i.test(path) ? new URL(path).pathname : path.split('?')[0];
  return new MicrosoftApiError({
    service: 'graph',
    status,
    code,
    message: `Microsoft Graph GET ${bare} answered HTTP ${status} but the response ${what}`,
    requestId,
    method: 'GET',
    path: bare,
  });
}
