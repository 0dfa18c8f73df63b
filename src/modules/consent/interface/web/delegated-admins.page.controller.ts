import { Controller, Get, Param, ParseUUIDPipe, Post, Render, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { Clock } from '../../../../shared/application/clock';
import { AppConfig } from '../../../../config/app-config';
import { aadstsCodesIn, microsoftRefusal, type RefusalCause } from '../../../../shared/application/microsoft-refusals';
import { expectImport, flash, redirectAfterSave } from '../../../../shared/interface/web/flash';
import { layoutLocals } from '../../../../shared/interface/web/layout';
import { CurrentActor, RequiresRole, type Actor } from '../../../../shared/interface/web/request-actor';
import { GrantConsentUseCase } from '../../application/grant-consent.use-case';
import { DelegatedAdminRepository } from '../../application/ports/delegated-admin.repository';
import { RemoveDelegatedAdminUseCase } from '../../application/remove-delegated-admin.use-case';
import { partnerTypeLabel } from '../../contracts/delegated-admin-queries';
import { ConsentRefusedError, DelegatedAdminNotFoundError } from '../../domain/consent.errors';
import type { DelegatedAdmin } from '../../domain/delegated-admin';
import { PartnerCenterConsentGuard } from './partner-center-consent.guard';
import { CONSENT_DEFAULT_SCOPE, type ConsentCallbackResult } from './partner-center-consent.strategy';

const STATUS_LABELS = { active: ['Active', 'ok'], needs_reconsent: ['Needs re-consent', 'warn'], failed: ['Failed', 'bad'] } as const;

@ApiExcludeController()
@Controller()
export class DelegatedAdminsPageController {
  constructor(
    private readonly admins: DelegatedAdminRepository,
    private readonly clock: Clock,
    private readonly grantConsent: GrantConsentUseCase,
    private readonly removeAdmin: RemoveDelegatedAdminUseCase,
    private readonly config: AppConfig,
  ) {}

  @Get('customers/delegated-admins')
  @Render('pages/delegated-admins')
  async list(@CurrentActor() actor: Actor) {
    const admins = await this.admins.listByOrganization(actor.organizationId);
    return { pageTitle: 'Delegated Admin', tab: 'customers', subTab: 'delegated-admins', admins: admins.map(toRow) };
  }

  // Redirects to Microsoft (account picker, MFA, consent); Microsoft comes back to /consent/callback.
  @Post('customers/delegated-admins/grant')
  @UseGuards(PartnerCenterConsentGuard)
  grant(): void {}

  @Post('customers/delegated-admins/:id/regrant')
  @UseGuards(PartnerCenterConsentGuard)
  regrant(): void {}

  // A GET that stores the connection Microsoft sends back: only those who may connect accounts.
  @RequiresRole('admin')
  @Get('consent/callback')
  @UseGuards(PartnerCenterConsentGuard)
  async callback(
    @CurrentActor() actor: Actor,
    @Req() request: Request & { consent?: ConsentCallbackResult },
    @Res() response: Response,
  ): Promise<void> {
    const grantedBy = { userId: actor.userId, name: actor.displayName };
    if (request.session.adminConsentState && request.query.state === request.session.adminConsentState) {
      delete request.session.adminConsentState;
      return this.afterAdminConsent(request, response);
    }
    const intent = request.session.consent;
    delete request.session.consent;
    try {
      if (typeof request.query.error === 'string') {
        const refusal = this.refusalFromMicrosoft(request.query.error, String(request.query.error_description ?? ''));
        await this.grantConsent.recordRefusal(actor.organizationId, grantedBy, 'Partner Center consent', refusal);
        throw refusal;
      }
      const result = request.consent!;
      if ('refused' in result) {
        await this.grantConsent.recordRefusal(actor.organizationId, grantedBy, 'Partner Center consent', result.refused);
        throw result.refused;
      }
      const admin = await this.grantConsent.execute({
        organizationId: actor.organizationId,
        grantedBy,
        account: result.account,
        partnerCenterAccessToken: result.partnerCenterAccessToken,
        refreshToken: result.refreshToken,
        regrantOf: intent?.regrantOf,
      });
      flash(
        request,
        'success',
        `${admin.accountUpn} is connected to Partner Center. Sync 365 is importing your customers now; the banner above shows the progress.`,
      );
      expectImport(request, this.clock.now());
      await redirectAfterSave(request, response, '/customers/delegated-admins');
    } catch (error) {
      if (!(error instanceof ConsentRefusedError)) throw error;
      // The admin-consent answer comes back here; a state of its own tells it apart from any other answer.
      let adminConsentUrl: string | undefined;
      if (error.code === 'CONSENT.ADMIN_APPROVAL_REQUIRED') {
        request.session.adminConsentState = randomBytes(24).toString('base64url');
        adminConsentUrl = this.adminConsentUrl(request.session.adminConsentState);
      }
      response.status(error.code === 'CONSENT.FAILED' ? 400 : 403).render('pages/consent-refused', {
        ...layoutLocals(request),
        pageTitle: 'Consent not saved',
        tab: 'customers',
        code: error.code,
        message: error.message,
        fix: error.fix,
        adminConsentUrl,
      });
    }
  }

  @RequiresRole('admin')
  @Get('customers/delegated-admins/:id/remove')
  @Render('pages/delegated-admin-remove')
  async confirmRemove(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    const admin = await this.admins.findById(actor.organizationId, id);
    if (!admin) throw new DelegatedAdminNotFoundError();
    return { pageTitle: 'Remove delegated admin', tab: 'customers', admin: toRow(admin) };
  }

  @Post('customers/delegated-admins/:id/remove')
  async remove(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const upn = await this.removeAdmin.execute({
      organizationId: actor.organizationId,
      delegatedAdminId: id,
      removedBy: { userId: actor.userId, name: actor.displayName },
    });
    flash(request, 'success', `${upn} was removed and its stored tokens were deleted.`);
    await redirectAfterSave(request, response, '/customers/delegated-admins');
  }

  // FACTS.md §1.9: the v2 admin-consent endpoint, for the `organizations` authority (never `common`).
  private adminConsentUrl(state: string): string {
    // One `.default` stands for every static permission of the app registration (Partner Center and Graph); a
    // second `.default` beside it is refused with AADSTS70011 (FACTS.md §7a.1).
    const query = new URLSearchParams({
      client_id: this.config.microsoft.clientId,
      scope: CONSENT_DEFAULT_SCOPE,
      redirect_uri: `${this.config.appBaseUrl}/consent/callback`,
      state,
    });
    return `${this.config.microsoft.loginBaseUrl}/organizations/v2.0/adminconsent?${query}`;
  }

  private async afterAdminConsent(request: Request, response: Response): Promise<void> {
    const error = typeof request.query.error === 'string' ? request.query.error : undefined;
    const refused = error
      ? microsoftRefusal('consent', { codes: aadstsCodesIn(String(request.query.error_description ?? '')), error })
      : undefined;
    if (refused?.cause === 'permissions-refused') flash(request, 'error', `${refused.reason} ${refused.fix}`);
    else if (error)
      flash(
        request,
        'error',
        'The administrator did not approve Sync 365. Ask a global administrator of your partner directory to open the approval link and accept.',
      );
    else flash(request, 'success', 'Your administrator approved Sync 365 for your organization. You can grant Partner Center consent now.');
    await redirectAfterSave(request, response, '/customers/delegated-admins');
  }

  // Microsoft's own refusals, from the one table of them (by AADSTS code, never the description's wording).
  private refusalFromMicrosoft(error: string, description: string): ConsentRefusedError {
    const codes = aadstsCodesIn(description);
    const known = microsoftRefusal('consent', { codes, error });
    if (known) return new ConsentRefusedError(CONSENT_REFUSAL_CODES[known.cause] ?? 'CONSENT.FAILED', known.reason, known.fix);
    return new ConsentRefusedError(
      'CONSENT.FAILED',
      `Microsoft did not complete the consent (${codes.length ? `AADSTS${codes[0]}` : /^[a-z_]{1,40}$/.test(error) ? error : 'error'}). Nothing was saved.`,
      'Try again. If it keeps failing, check the sign-in logs of the account in Microsoft Entra ID.',
    );
  }
}

const CONSENT_REFUSAL_CODES: Partial<Record<RefusalCause, ConsentRefusedError['code']>> = {
  'admin-approval-required': 'CONSENT.ADMIN_APPROVAL_REQUIRED',
  declined: 'CONSENT.CANCELLED',
};

function toRow(admin: DelegatedAdmin) {
  const [statusLabel, statusTone] = STATUS_LABELS[admin.status];
  return {
    id: admin.id,
    accountUpn: admin.accountUpn,
    accountDisplayName: admin.accountDisplayName,
    partnerDirectory: admin.partnerDirectoryName ?? admin.partnerTenantId,
    partnerTenantId: admin.partnerTenantId,
    statusLabel,
    statusTone,
    statusReason: admin.statusReason,
    needsReconsent: admin.status !== 'active',
    mfaVerified: admin.mfaVerified,
    adminAgentVerified: admin.adminAgentVerified,
    partnerType: partnerTypeLabel(admin),
    partnerTypeDetail: admin.partnerTypeDetail,
    directCspConfirmed: admin.directCsp === 'yes',
    directCspConfirmedAt: admin.directCspConfirmedAt,
    directCspConfirmedByName: admin.directCspConfirmedByName,
    grantedAt: admin.grantedAt,
    grantedByName: admin.grantedByName,
    lastUsedAt: admin.lastUsedAt,
  };
}
