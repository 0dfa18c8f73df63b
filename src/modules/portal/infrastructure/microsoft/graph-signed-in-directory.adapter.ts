import { Injectable } from '@nestjs/common';
import { GraphClient, INTERACTIVE_RETRY } from '../../../../../libs/microsoft/src';
import { AppConfig } from '../../../../config/app-config';
import { SignedInDirectory } from '../../application/ports/signed-in-directory.port';

@Injectable()
export class GraphSignedInDirectoryAdapter extends SignedInDirectory {
  private readonly graph: GraphClient;

  constructor(config: AppConfig) {
    super();
    // A person is waiting on this sign-in: fail fast rather than sit out long throttling waits.
    this.graph = new GraphClient({ baseUrl: config.microsoft.graphBaseUrl, timeoutMs: 10_000, retry: INTERACTIVE_RETRY });
  }

  // GET /organization with the person's own User.Read token. Graph sets partnerTenantType only on the directories of
  // Microsoft partners (resellerPartnerDelegatedAdmin, breadthPartner, …); customers get null.
  async isPartnerDirectory(accessToken: string): Promise<boolean> {
    const organization = await this.graph.getOrganization(accessToken);
    const type = organization?.partnerTenantType;
    return typeof type === 'string' && type.trim() !== '' && type.toLowerCase() !== 'none';
  }

  // GET /me with the same token: userPrincipalName is the directory's own sign-in name (unlike `mail`).
  async signInName(accessToken: string): Promise<string | null> {
    const me = await this.graph.getMe(accessToken);
    const upn = me.userPrincipalName?.trim();
    return upn ? upn : null;
  }
}
