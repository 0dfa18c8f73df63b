import { Injectable } from '@nestjs/common';
import { GraphClient, INTERACTIVE_RETRY } from '../../../../../libs/microsoft/src';
import { AppConfig } from '../../../../config/app-config';
import { DirectoryProfile } from '../../application/ports/directory-profile.port';

@Injectable()
export class GraphDirectoryProfileAdapter extends DirectoryProfile {
  private readonly graph: GraphClient;

  constructor(config: AppConfig) {
    super();
    // A person is waiting on this sign-in: fail fast rather than sit out long throttling waits.
    this.graph = new GraphClient({ baseUrl: config.microsoft.graphBaseUrl, timeoutMs: 10_000, retry: INTERACTIVE_RETRY });
  }

  async organizationName(accessToken: string): Promise<string | undefined> {
    const organization = await this.graph.getOrganization(accessToken);
    return organization?.displayName?.trim() || organization?.verifiedDomains?.find((d) => d.isDefault)?.name;
  }
}
