import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { EventOutbox, integrationEvent } from '../../../shared/application/integration-event';
import { Transaction } from '../../../shared/application/transaction';
import { AuditTrail } from '../../audit';
import { CONSENT_GRANTED, type ConsentGrantedPayload } from '../events';
import { ConsentRefusedError } from '../domain/consent.errors';
import { DelegatedAdmin, type ConsentingAccount } from '../domain/delegated-admin';
import { MicrosoftTokenVault } from './microsoft-token-vault';
import { PartnerCenterAccessCheck } from './ports/partner-center-access.port';
import { DelegatedAdminRepository, RefreshTokenStore } from './ports/delegated-admin.repository';
import { isUniqueViolation } from '../../../shared/application/unique-violation';

export interface GrantConsentInput {
  organizationId: string;
  grantedBy: { userId: string; name: string };
  account: Omit<ConsentingAccount, 'partnerDirectoryName'>;
  // The Partner Center access token and refresh token Microsoft returned for the consent.
  partnerCenterAccessToken: string;
  refreshToken: string | undefined;
  // Set when the person pressed Re-grant on an existing delegated admin.
  regrantOf?: string;
}

export const MFA_FIX =
  'Enforce MFA for this account so Microsoft asks for it at every sign-in (Conditional Access or per-user MFA), then grant consent again. A remembered MFA prompt (“Don’t ask again”) or a third-party MFA provider that does not report MFA to Microsoft Entra ID also causes this.';

// Connects (or repairs) a Partner Center account after Microsoft's consent: verifies MFA in the Partner Center
// token and Admin Agent access, then stores the account with its refresh token encrypted, records who granted
// it and publishes consent.granted — all in one transaction. When a check fails nothing is stored.
@Injectable()
export class GrantConsentUseCase {
  constructor(
    private readonly partnerCenter: PartnerCenterAccessCheck,
    private readonly admins: DelegatedAdminRepository,
    private readonly tokens: RefreshTokenStore,
    private readonly vault: MicrosoftTokenVault,
    private readonly transaction: Transaction,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async execute(input: GrantConsentInput): Promise<DelegatedAdmin> {
    try {
      return await this.grant(input).catch((error: unknown) => {
        // Two grants of one account at the same moment (double click, two tabs): the second updates the first.
        if (isUniqueViolation(error)) return this.grant(input);
        throw error;
      });
    } catch (error) {
      if (error instanceof ConsentRefusedError)
        await this.recordRefusal(input.organizationId, input.grantedBy, input.account.userPrincipalName, error);
      throw error;
    }
  }

  // A grant that never reached us with tokens (cancelled, admin approval needed) is audited too.
  recordRefusal(
    organizationId: string,
    grantedBy: { userId: string; name: string },
    subject: string,
    error: ConsentRefusedError,
  ): Promise<void> {
    return this.transaction.run(async () => {
      this.audit.record({
        organizationId,
        actorUserId: grantedBy.userId,
        actorName: grantedBy.name,
        action: 'consent.grant-refused',
        subject,
        outcome: 'failure',
        detail: error.message,
      });
    });
  }

  private async grant(input: GrantConsentInput): Promise<DelegatedAdmin> {
    const upn = input.account.userPrincipalName;
    // Partner Center itself checks `amr` for `mfa` (FACTS.md §0.3); the v2 id_token has no `amr` at all.
    if (!accessTokenClaims(input.partnerCenterAccessToken).amr?.includes('mfa')) {
      throw new ConsentRefusedError(
        'CONSENT.MFA_MISSING',
        `Microsoft signed ${upn} in without multi-factor authentication, and Partner Center only accepts MFA sign-ins. Nothing was saved.`,
        MFA_FIX,
      );
    }
    if (!input.refreshToken) {
      throw new ConsentRefusedError(
        'CONSENT.FAILED',
        'Microsoft did not return a refresh token, so Sync 365 could not keep the connection. Nothing was saved.',
        'Grant consent again and accept every permission on Microsoft’s page, including “Maintain access to data you have given it access to”.',
      );
    }
    const access = await this.partnerCenter.check(input.partnerCenterAccessToken);
    if (access.outcome === 'mfa_required') {
      throw new ConsentRefusedError(
        'CONSENT.MFA_MISSING',
        `Partner Center refused ${upn} because the sign-in did not use multi-factor authentication. Nothing was saved.`,
        MFA_FIX,
      );
    }
    if (access.outcome === 'not_admin_agent') {
      throw new ConsentRefusedError(
        'CONSENT.ADMIN_AGENT_MISSING',
        `Partner Center refused ${upn}: the account cannot list your customers. Usually it does not hold the Admin Agent role; an indirect reseller gets the same answer, because Partner Center offers indirect resellers no API access. Nothing was saved.`,
        'In Partner Center → Account settings → User management, give this account the Admin agent role, then grant consent again. If your organization is an indirect reseller, connect the account of a partner that buys directly from Microsoft.',
      );
    }
    if (access.outcome === 'indirect_reseller') {
      throw new ConsentRefusedError(
        'CONSENT.INDIRECT_RESELLER',
        `${upn} belongs to an indirect reseller: Partner Center shows you buy through ${access.providers.join(', ')}, and Microsoft offers indirect resellers no Partner Center API, so Sync 365 cannot read your customers with this account. Nothing was saved.`,
        `Ask your indirect provider (${access.providers.join(', ')}) whether they use Sync 365, or connect the account of a partner that Microsoft bills directly.`,
      );
    }
    if (access.outcome === 'token_rejected') {
      throw new ConsentRefusedError(
        'CONSENT.FAILED',
        `Partner Center did not accept the sign-in of ${upn}. Nothing was saved.`,
        'Grant consent again. If it keeps failing, check that the Sync 365 app registration has the Partner Center user_impersonation permission.',
      );
    }
    const account: ConsentingAccount = { ...input.account, partnerDirectoryName: access.partnerName ?? null };
    const refreshToken = input.refreshToken;

    const admin = await this.transaction.run(async () => {
      const now = this.clock.now();
      if (input.regrantOf) {
        const target = await this.admins.findById(input.organizationId, input.regrantOf);
        if (target && !target.isSameAccount(account)) {
          throw new ConsentRefusedError(
            'CONSENT.FAILED',
            `You signed in as ${upn}, but this connection belongs to ${target.accountUpn}. Nothing was changed.`,
            `Select Re-grant again and sign in as ${target.accountUpn}.`,
          );
        }
      }
      let existing = await this.admins.findByAccount(input.organizationId, account.partnerTenantId, account.objectId);
      const regranted = existing !== null;
      if (existing) {
        existing.regrant(account, input.grantedBy, now);
      } else {
        existing = DelegatedAdmin.grant({
          id: randomUUID(),
          organizationId: input.organizationId,
          account,
          grantedBy: input.grantedBy,
          now,
        });
        this.admins.add(existing);
      }
      await this.tokens.save(input.organizationId, existing.id, refreshToken);
      this.audit.record({
        organizationId: input.organizationId,
        actorUserId: input.grantedBy.userId,
        actorName: input.grantedBy.name,
        action: regranted ? 'consent.regranted' : 'consent.granted',
        subject: upn,
        outcome: 'success',
      });
      this.outbox.publish(
        integrationEvent<ConsentGrantedPayload>(
          CONSENT_GRANTED,
          input.organizationId,
          { delegatedAdminId: existing.id, partnerTenantId: existing.partnerTenantId, accountUpn: upn, regranted },
          now,
        ),
      );
      return existing;
    });
    this.vault.forget(admin.id);
    return admin;
  }
}

// The access token came straight from Microsoft's token endpoint over TLS to us, so reading its claims without
// verifying the signature is sound here (it is Partner Center's token, not ours to validate).
function accessTokenClaims(token: string): { amr?: string[] } {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { amr?: string[] };
  } catch {
    return {};
  }
}
