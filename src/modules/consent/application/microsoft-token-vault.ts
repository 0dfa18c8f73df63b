import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { EventOutbox, integrationEvent } from '../../../shared/application/integration-event';
import { Transaction } from '../../../shared/application/transaction';
import { AuditTrail } from '../../audit';
import { CONSENT_RECONSENT_NEEDED, type ReconsentNeededPayload } from '../contracts/consent-events';
import { MicrosoftAccessTokens } from '../contracts/microsoft-access-tokens';
import { DelegatedAdminNotFoundError, ReconsentRequiredError } from '../domain/consent.errors';
import { RECONSENT_FIX, reconsentReason } from './consent-failure-reasons';
import { MicrosoftIdentity, RefreshTokenRefusedError } from './ports/microsoft-identity.port';
import { DelegatedAdminRepository, RefreshTokenStore } from './ports/delegated-admin.repository';

export const PARTNER_CENTER_SCOPE = 'https://api.partnercenter.microsoft.com/user_impersonation offline_access';
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default offline_access';
// An access token is reused until this close to its expiry.
const EXPIRY_MARGIN_MS = 5 * 60 * 1000;

interface CachedToken {
  accessToken: string;
  expiresAt: number;
}

// Every Microsoft access token comes from here. Each redemption rotates the delegated admin's refresh token, so
// redemptions of one delegated admin are serialised: in this process by a promise chain, across processes by
// the token row's lock. The newest refresh token is stored in the same transaction that read the old one.
@Injectable()
export class MicrosoftTokenVault extends MicrosoftAccessTokens {
  private readonly logger = new Logger('TokenVault');
  private readonly cache = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly identity: MicrosoftIdentity,
    private readonly admins: DelegatedAdminRepository,
    private readonly tokens: RefreshTokenStore,
    private readonly transaction: Transaction,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {
    super();
  }

  async forPartnerCenter(organizationId: string, delegatedAdminId: string): Promise<string> {
    const admin = await this.admins.findById(organizationId, delegatedAdminId);
    if (!admin) throw new DelegatedAdminNotFoundError();
    return this.accessToken(organizationId, delegatedAdminId, admin.partnerTenantId, PARTNER_CENTER_SCOPE);
  }

  forGraph(organizationId: string, delegatedAdminId: string, customerTenantId: string): Promise<string> {
    return this.accessToken(organizationId, delegatedAdminId, customerTenantId.toLowerCase(), GRAPH_SCOPE);
  }

  async forPartnerGraph(organizationId: string, delegatedAdminId: string): Promise<string> {
    const admin = await this.admins.findById(organizationId, delegatedAdminId);
    if (!admin) throw new DelegatedAdminNotFoundError();
    return this.accessToken(organizationId, delegatedAdminId, admin.partnerTenantId, GRAPH_SCOPE);
  }

  // Redeems the refresh token now (consent health), whether or not an access token is cached.
  async refresh(organizationId: string, delegatedAdminId: string): Promise<void> {
    const admin = await this.admins.findById(organizationId, delegatedAdminId);
    if (!admin) throw new DelegatedAdminNotFoundError();
    await this.serialised(delegatedAdminId, () => this.redeem(organizationId, delegatedAdminId, admin.partnerTenantId, PARTNER_CENTER_SCOPE));
  }

  // Forgets cached access tokens of a delegated admin (after removal or a re-grant).
  forget(delegatedAdminId: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(`${delegatedAdminId}|`)) this.cache.delete(key);
  }

  private async accessToken(organizationId: string, delegatedAdminId: string, tenant: string, scope: string): Promise<string> {
    const key = `${delegatedAdminId}|${tenant}|${scope}`;
    const fresh = () => {
      const cached = this.cache.get(key);
      return cached && cached.expiresAt - EXPIRY_MARGIN_MS > this.clock.now().getTime() ? cached.accessToken : undefined;
    };
    return fresh() ?? this.serialised(delegatedAdminId, async () => fresh() ?? this.redeem(organizationId, delegatedAdminId, tenant, scope));
  }

  private serialised<T>(delegatedAdminId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.inFlight.get(delegatedAdminId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.inFlight.set(delegatedAdminId, next);
    void next.finally(() => {
      if (this.inFlight.get(delegatedAdminId) === next) this.inFlight.delete(delegatedAdminId);
    }).catch(() => undefined);
    return next;
  }

  private async redeem(organizationId: string, delegatedAdminId: string, tenant: string, scope: string): Promise<string> {
    let refused: RefreshTokenRefusedError | undefined;
    const accessToken = await this.transaction.run(async () => {
      const refreshToken = await this.tokens.readForRotation(organizationId, delegatedAdminId);
      if (!refreshToken) throw new ReconsentRequiredError('This Partner Center connection has no stored consent.', RECONSENT_FIX);
      try {
        const redeemed = await this.identity.redeemRefreshToken({ tenant, refreshToken, scope });
        if (redeemed.refreshToken) await this.tokens.save(organizationId, delegatedAdminId, redeemed.refreshToken);
        const admin = await this.admins.findById(organizationId, delegatedAdminId);
        admin?.recordUse(this.clock.now());
        this.cache.set(`${delegatedAdminId}|${tenant}|${scope}`, { accessToken: redeemed.accessToken, expiresAt: this.clock.now().getTime() + redeemed.expiresInSeconds * 1000 });
        return redeemed.accessToken;
      } catch (error) {
        if (error instanceof RefreshTokenRefusedError) {
          refused = error;
          return undefined;
        }
        throw error;
      }
    });
    if (accessToken !== undefined) return accessToken;
    const reason = reconsentReason(refused!.error, refused!.aadstsCodes);
    await this.markNeedsReconsent(organizationId, delegatedAdminId, reason);
    throw new ReconsentRequiredError(reason, RECONSENT_FIX);
  }

  private async markNeedsReconsent(organizationId: string, delegatedAdminId: string, reason: string): Promise<void> {
    this.forget(delegatedAdminId);
    await this.transaction.run(async () => {
      const admin = await this.admins.findById(organizationId, delegatedAdminId);
      if (!admin || !admin.needsReconsent(reason)) return;
      this.logger.warn({ delegatedAdminId, organizationId }, 'Delegated admin needs re-consent');
      this.audit.record({ organizationId, actorUserId: null, actorName: 'Sync 365', action: 'consent.reconsent-needed', subject: admin.accountUpn, outcome: 'failure', detail: reason });
      this.outbox.publish(integrationEvent<ReconsentNeededPayload>(CONSENT_RECONSENT_NEEDED, organizationId, { delegatedAdminId, accountUpn: admin.accountUpn, reason }, this.clock.now()));
    });
  }
}
