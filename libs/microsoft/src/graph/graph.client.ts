import { getJson } from '../http/json-request';
import type { GraphCollection, GraphOrganization } from './graph.types';

export interface GraphClientOptions {
  baseUrl: string;
  timeoutMs?: number;
}

export class GraphClient {
  constructor(private readonly options: GraphClientOptions) {}

  // GET /v1.0/organization: the signed-in user's own directory (needs only User.Read).
  async getOrganization(accessToken: string): Promise<GraphOrganization | undefined> {
    const page = await getJson<GraphCollection<GraphOrganization>>({
      service: 'graph',
      url: `${this.options.baseUrl}/v1.0/organization`,
      accessToken,
      timeoutMs: this.options.timeoutMs,
    });
    return page.value?.[0];
  }
}
