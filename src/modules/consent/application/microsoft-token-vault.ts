import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { EventOutbox, integrationEvent } from '../../../shared/application/integration-event';
import { Transaction } from '../../../shared/application/transaction';
import { AuditTrail } from '../../audit';
import { CONSENT_RECONSENT_NEEDED, type ReconsentNeededPayload } from '../events';
import { MicrosoftAccessTokens } from '../contracts/microsoft-access-tokens';
import { CustomerTokenRefusedError, DelegatedAdminNotFoundError, ReconsentRequiredError } from '../domain/consent.errors';
import { CUSTOMER_ONLY_REFUSALS, customerRefusal, RECONSENT_FIX, reconsentReason } from './consent-failure-reasons';
import { EntraTokenEndpoint, RefreshTokenRefusedError } from './ports/entra-token-endpoint.port';
import { DelegatedAdminRepository, RefreshTokenStore } from './ports/delegated-admin.repository';

// One resource per token request, `.default` alone with its resource (AADSTS28000 / AADSTS70011 otherwise, FACTS.md
// §7a.1). Both are covered by the consent's `.default`, which granted the app registration's static permissions.
export const PARTNER_CENTER_SCOPE = 'https://api.partnercenter.microsoft.com/user_impersonation offline_access';
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default offline_access';
// Stands for the delegated admin's own directory until the delegated admin is read (in the cache key too).
const PARTNER_TENANT = 'partner';
// An access token is reused until this close to its expiry.
const EXPIRY_MARGIN_MS = 5 * 60 * 1000;
// Customer-directory tokens of one delegated admin redeemed at once (an import reads thousands of customers, each
// needing its own token: one at a time, Entra's answer time alone would bound the import). As many as the tenants
// an import reads at once (IMPORT_CONCURRENCY, up to 64) at the benchmark's 32: at 16, with Entra's latency, the
// slots were the realistic import's bound (read-tenant 1.0 s -> 0.85 s, npm run bench:profile with BENCH_REALISTIC=1).
// Assumed (FACTS.md says nothing of Entra's token-endpoint limits): each customer is its own tenant there, so these
// redemptions do not share one tenant's limit.
const CUSTOMER_REDEMPTIONS_AT_ONCE = 32;
// Customer-directory tokens kept at most (the oldest go first): an import uses each customer's token for that
// customer's reads only, so keeping all of them made memory grow with the number of customers (10,000 tokens of
// ~2 KB each, plus the map) for tokens next needed at the next import, an hour or a day later, when they have expired.
const CUSTOMER_TOKENS_KEPT = 1_000;
// The delegated admin's stored refresh token, as customer-directory redemptions use it, is reused this long: an import
// redeems one token per customer (thousands), and reading the delegated admin and its token again for each was two
// database statements on every tenant's way to its directory (npm run bench:profile). Reusing it is safe for as long
// as the stored token itself is (Entra does not revoke a refresh token it replaced, FACTS.md §1.10); a refusal that is
// the consent's, a removal and a re-grant (forget) drop it at once.
const CUSTOMER_REFRESH_TOKEN_REUSE_MS = 60 * 1000;

interface CachedToken {
  accessToken: string;
  expiresAt: number;
}

// Every Microsoft access token comes from here. Each redemption for the partner's own directory rotates the
// delegated admin's refresh token, so those are serialised: in this process by a promise chain, across processes by
// the token row's lock. The newest refresh token is stored in the same transaction that read the old one.
// Customer-directory tokens are redeemed several at once with the stored refresh token and do not store the one they
// get back: Entra replaces a refresh token on each use but does not revoke the old one (FACTS.md §1.10), and the
// partner-directory redemptions every import starts with keep the stored token fresh.
@Injectable()
export class MicrosoftTokenVault extends MicrosoftAccessTokens {
  private readonly logger = new Logger('TokenVault');
  private readonly cache = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  // Customer-directory redemptions under way, by cache key (two reads of one customer share one) and per delegated admin.
  private readonly pending = new Map<string, Promise<string>>();
  private readonly customerSlots = new Map<string, { running: number; waiting: (() => void)[] }>();
  // Cache keys of customer-directory tokens, oldest first (bounded by CUSTOMER_TOKENS_KEPT).
  private readonly customerTokens = new Set<string>();
  // By organization | delegated admin: the refresh token customer-directory redemptions use (null: none stored).
  private readonly customerRefreshTokens = new Map<string, { refreshToken: Promise<string | null>; expiresAt: number }>();

  constructor(
    private readonly tokenEndpoint: EntraTokenEndpoint,
    private readonly admins: DelegatedAdminRepository,
    private readonly tokens: RefreshTokenStore,
    private readonly transaction: Transaction,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {
    super();
  }

  forPartnerCenter(organizationId: string, delegatedAdminId: string): Promise<string> {
    return this.accessToken(organizationId, delegatedAdminId, PARTNER_TENANT, PARTNER_CENTER_SCOPE);
  }

  forGraph(organizationId: string, delegatedAdminId: string, customerTenantId: string): Promise<string> {
    return this.accessToken(organizationId, delegatedAdminId, customerTenantId.toLowerCase(), GRAPH_SCOPE);
  }

  forPartnerGraph(organizationId: string, delegatedAdminId: string): Promise<string> {
    return this.accessToken(organizationId, delegatedAdminId, PARTNER_TENANT, GRAPH_SCOPE);
  }

  // Redeems the refresh token now (consent health), whether or not an access token is cached.
  async refresh(organizationId: string, delegatedAdminId: string): Promise<void> {
    const key = cacheKey(organizationId, delegatedAdminId, PARTNER_TENANT, PARTNER_CENTER_SCOPE);
    await this.serialised(delegatedAdminId, () => this.redeem(organizationId, delegatedAdminId, PARTNER_TENANT, PARTNER_CENTER_SCOPE, key));
  }

  // Forgets cached access tokens of a delegated admin (after removal or a re-grant).
  forget(delegatedAdminId: string): void {
    for (const key of this.cache.keys())
      if (key.split('|')[1] === delegatedAdminId) {
        this.cache.delete(key);
        this.customerTokens.delete(key);
      }
    for (const key of this.customerRefreshTokens.keys()) if (key.split('|')[1] === delegatedAdminId) this.customerRefreshTokens.delete(key);
  }

  private async accessToken(organizationId: string, delegatedAdminId: string, tenant: string, scope: string): Promise<string> {
    const key = cacheKey(organizationId, delegatedAdminId, tenant, scope);
    const fresh = () => {
      const cached = this.cache.get(key);
      return cached && cached.expiresAt - EXPIRY_MARGIN_MS > this.clock.now().getTime() ? cached.accessToken : undefined;
    };
    const cached = fresh();
    if (cached) return cached;
    if (tenant === PARTNER_TENANT)
      return this.serialised(delegatedAdminId, async () => fresh() ?? this.redeem(organizationId, delegatedAdminId, tenant, scope, key));
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.withCustomerSlot(
        delegatedAdminId,
        async () => fresh() ?? this.redeemForCustomer(organizationId, delegatedAdminId, tenant, scope, key),
      );
      this.pending.set(key, pending);
      const settled = pending;
      void settled
        .finally(() => {
          if (this.pending.get(key) === settled) this.pending.delete(key);
        })
        .catch(() => undefined);
    }
    return pending;
  }

  private async withCustomerSlot<T>(delegatedAdminId: string, work: () => Promise<T>): Promise<T> {
    let slots = this.customerSlots.get(delegatedAdminId);
    if (!slots) this.customerSlots.set(delegatedAdminId, (slots = { running: 0, waiting: [] }));
    const own = slots;
    if (own.running >= CUSTOMER_REDEMPTIONS_AT_ONCE) await new Promise<void>((resolve) => own.waiting.push(resolve));
    else own.running++;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiter (running stays the same), or is freed.
      const next = own.waiting.shift();
      if (next) next();
      else if (--own.running === 0) this.customerSlots.delete(delegatedAdminId);
    }
  }

  private serialised<T>(delegatedAdminId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.inFlight.get(delegatedAdminId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.inFlight.set(delegatedAdminId, next);
    void next
      .finally(() => {
        if (this.inFlight.get(delegatedAdminId) === next) this.inFlight.delete(delegatedAdminId);
      })
      .catch(() => undefined);
    return next;
  }

  // One transaction of its own (never the caller's): it reads the refresh token under its row lock, redeems it,
  // and stores the new one — or records why Microsoft refused it — then commits and releases the lock. The
  // delegated admin is looked up here only, on a cache miss: a cached token costs no database read.
  // A customer directory's token: the stored refresh token, read without its lock and without a transaction held over
  // Entra's answer (thousands of these run during an import); the token Entra returns is not stored. A refusal that
  // concerns the consent rather than this customer is redeemed again the serialised way, which records it.
  private async redeemForCustomer(
    organizationId: string,
    delegatedAdminId: string,
    tenant: string,
    scope: string,
    key: string,
  ): Promise<string> {
    const refreshToken = await this.customerRefreshToken(organizationId, delegatedAdminId);
    if (!refreshToken) return this.serialised(delegatedAdminId, () => this.redeem(organizationId, delegatedAdminId, tenant, scope, key));
    try {
      const redeemed = await this.tokenEndpoint.redeemRefreshToken({ tenant, refreshToken, scope });
      this.keepCustomerToken(key, {
        accessToken: redeemed.accessToken,
        expiresAt: this.clock.now().getTime() + redeemed.expiresInSeconds * 1000,
      });
      return redeemed.accessToken;
    } catch (error) {
      if (!(error instanceof RefreshTokenRefusedError)) throw error;
      if (error.aadstsCodes.some((code) => CUSTOMER_ONLY_REFUSALS.includes(code)))
        throw new CustomerTokenRefusedError(error.aadstsCodes, customerRefusal(error.aadstsCodes));
      this.customerRefreshTokens.delete(`${organizationId}|${delegatedAdminId}`);
      return this.serialised(delegatedAdminId, () => this.redeem(organizationId, delegatedAdminId, tenant, scope, key));
    }
  }

  // The delegated admin (it must exist in this organization) and its stored refresh token, read once for every
  // customer-directory redemption of the next minute, concurrent ones included. A failure or a missing token is not kept.
  private customerRefreshToken(organizationId: string, delegatedAdminId: string): Promise<string | null> {
    const key = `${organizationId}|${delegatedAdminId}`;
    const now = this.clock.now().getTime();
    const cached = this.customerRefreshTokens.get(key);
    if (cached && cached.expiresAt > now) return cached.refreshToken;
    const refreshToken = (async () => {
      const admin = await this.admins.findById(organizationId, delegatedAdminId);
      if (!admin) throw new DelegatedAdminNotFoundError();
      return this.tokens.read(organizationId, delegatedAdminId);
    })();
    const entry = { refreshToken, expiresAt: now + CUSTOMER_REFRESH_TOKEN_REUSE_MS };
    for (const [other, old] of this.customerRefreshTokens) if (old.expiresAt <= now) this.customerRefreshTokens.delete(other);
    this.customerRefreshTokens.set(key, entry);
    const drop = () => {
      if (this.customerRefreshTokens.get(key) === entry) this.customerRefreshTokens.delete(key);
    };
    refreshToken.then((token) => {
      if (!token) drop();
    }, drop);
    return refreshToken;
  }

  private async redeem(organizationId: string, delegatedAdminId: string, target: string, scope: string, key: string): Promise<string> {
    const outcome = await this.transaction.runIndependently(async (): Promise<CachedToken | { reason: string }> => {
      const admin = await this.admins.findById(organizationId, delegatedAdminId);
      if (!admin) throw new DelegatedAdminNotFoundError();
      const tenant = target === PARTNER_TENANT ? admin.partnerTenantId : target;
      const refreshToken = await this.tokens.readForRotation(organizationId, delegatedAdminId);
      if (!refreshToken) return { reason: 'This Partner Center connection has no stored consent.' };
      try {
        const redeemed = await this.tokenEndpoint.redeemRefreshToken({ tenant, refreshToken, scope });
        if (redeemed.refreshToken) await this.tokens.save(organizationId, delegatedAdminId, redeemed.refreshToken);
        admin.recordUse(this.clock.now());
        return { accessToken: redeemed.accessToken, expiresAt: this.clock.now().getTime() + redeemed.expiresInSeconds * 1000 };
      } catch (error) {
        if (!(error instanceof RefreshTokenRefusedError)) throw error;
        // Refused for one customer's directory only (no active GDAP relationship, app not provisioned there, that
        // customer's Conditional Access — consent-failure-reasons.ts): the consent itself still works. Any other refusal (revoked, expired…) is the consent's, wherever it shows.
        if (tenant !== admin.partnerTenantId && error.aadstsCodes.some((code) => CUSTOMER_ONLY_REFUSALS.includes(code)))
          throw new CustomerTokenRefusedError(error.aadstsCodes, customerRefusal(error.aadstsCodes));
        const reason = reconsentReason(error.error, error.aadstsCodes);
        if (admin.needsReconsent(reason)) {
          this.logger.warn({ delegatedAdminId, organizationId }, 'Delegated admin needs re-consent');
          this.audit.record({
            organizationId,
            actorUserId: null,
            actorName: 'Sync 365',
            action: 'consent.reconsent-needed',
            subject: admin.accountUpn,
            outcome: 'failure',
            detail: reason,
          });
          this.outbox.publish(
            integrationEvent<ReconsentNeededPayload>(
              CONSENT_RECONSENT_NEEDED,
              organizationId,
              { delegatedAdminId, accountUpn: admin.accountUpn, reason },
              this.clock.now(),
            ),
          );
        }
        return { reason };
      }
    });
    if ('reason' in outcome) {
      this.forget(delegatedAdminId);
      throw new ReconsentRequiredError(outcome.reason, RECONSENT_FIX);
    }
    // Cached only once the rotation has committed.
    if (target === PARTNER_TENANT) this.cache.set(key, outcome);
    else this.keepCustomerToken(key, outcome);
    return outcome.accessToken;
  }

  // A customer's token is the newest in customerTokens' (insertion) order; past CUSTOMER_TOKENS_KEPT customer tokens
  // the oldest one goes. The partner's own tokens are never dropped here.
  private keepCustomerToken(key: string, token: CachedToken): void {
    this.cache.set(key, token);
    this.customerTokens.delete(key);
    this.customerTokens.add(key);
    while (this.customerTokens.size > CUSTOMER_TOKENS_KEPT) {
      const oldest = this.customerTokens.values().next().value as string;
      this.customerTokens.delete(oldest);
      this.cache.delete(oldest);
    }
  }
}

// The organization is part of the key: a cached token is never served to another organization (and forGraph,
// which does not look the delegated admin up first, finds it only through redeem's organization-scoped read).
function cacheKey(organizationId: string, delegatedAdminId: string, tenant: string, scope: string): string {
  return `${organizationId}|${delegatedAdminId}|${tenant}|${scope}`;
}
