import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { isGuid } from '../../../../shared/domain/guid';
import { flash, redirectAfterSave } from '../../../../shared/interface/web/flash';
import { CurrentActor, RequiresRole, type Actor } from '../../../../shared/interface/web/request-actor';
import { DelegatedAdminQueries, partnerTypeLabel, type DelegatedAdminSummary } from '../../../consent';
import { LicensingQueries } from '../../../licensing';
import { CustomerTenants } from '../../../tenants';
import { DirectCspRepository } from '../../application/ports/direct-csp.repository';
import { SetSelfServicePortalUseCase } from '../../application/set-self-service-portal.use-case';
import { TestDirectCspUseCase } from '../../application/test-direct-csp.use-case';
import type { DirectCspTest } from '../../domain/direct-csp-test';
import { DirectCspAdminNotFoundError, DirectCspTenantNotFoundError } from '../../domain/direct-csp.errors';

const OUTCOMES: Record<DirectCspTest['outcome'], { label: string; tone: string }> = {
  confirmed: { label: 'Direct CSP confirmed', tone: 'ok' },
  indirect_reseller: { label: 'Indirect reseller', tone: 'warn' },
  indirect_provider: { label: 'Indirect provider', tone: 'warn' },
  failed: { label: 'Failed', tone: 'bad' },
};
const HISTORY = 20;

// Settings → Direct CSP of one delegated admin: the partner type, the Direct CSP test and its history; and the
// self-service portal switch of a tenant.
@ApiExcludeController()
@Controller()
export class DirectCspPageController {
  constructor(
    private readonly admins: DelegatedAdminQueries,
    private readonly tenants: CustomerTenants,
    private readonly tests: DirectCspRepository,
    private readonly testDirectCsp: TestDirectCspUseCase,
    private readonly setPortal: SetSelfServicePortalUseCase,
    private readonly licensing: LicensingQueries,
  ) {}

  // The tenant's Direct CSP tab: its features when its delegated admin is confirmed Direct CSP, else why not.
  @Get('tenants/:tenantId/direct-csp')
  @Render('pages/tenant-direct-csp')
  async tenant(@CurrentActor() actor: Actor, @Param('tenantId', ParseUUIDPipe) tenantId: string) {
    const tenant = await this.tenants.find(actor.organizationId, tenantId);
    if (!tenant) throw new DirectCspTenantNotFoundError();
    const admin = await this.admins.find(actor.organizationId, tenant.delegatedAdminId);
    const base = { pageTitle: `${tenant.companyName} — Direct CSP`, tab: 'customers', tenant };
    if (!admin) {
      return {
        ...base,
        unavailable: {
          reason:
            'The Partner Center account this tenant was imported through has been removed. Connect it again on the Delegated Admin tab.',
        },
      };
    }
    if (!admin.directCsp) {
      return {
        ...base,
        unavailable: {
          reason: `${admin.accountUpn} is not confirmed as Direct CSP. Direct CSP features need a partner Microsoft bills directly, confirmed by the Direct CSP test (Settings, the cog next to the account on the Delegated Admin tab).`,
          partnerType: partnerTypeLabel(admin),
          partnerTypeDetail: admin.partnerTypeDetail,
          settingsLink: `/customers/delegated-admins/${admin.id}/direct-csp?tenantId=${tenant.tenantId}`,
        },
      };
    }
    const [matches, portal] = await Promise.all([
      this.licensing.subscriptionMatches(actor.organizationId, tenant.tenantId),
      this.tests.portalSetting(actor.organizationId, tenant.tenantId),
    ]);
    return { ...base, matches, notSoldByYou: matches.skus.filter((sku) => sku.soldByYou === false), portal: portal ?? { enabled: false } };
  }

  @Get('customers/delegated-admins/:id/direct-csp')
  @Render('pages/direct-csp-settings')
  async settings(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query('tenantId') selected?: string) {
    const admin = await this.adminOf(actor, id);
    const [tenants, tests] = await Promise.all([
      this.tenants.ofDelegatedAdmin(actor.organizationId, id),
      this.tests.testsOf(actor.organizationId, id, HISTORY),
    ]);
    return {
      pageTitle: `Direct CSP — ${admin.accountUpn}`,
      tab: 'customers',
      subTab: 'delegated-admins',
      admin: adminView(admin),
      tenants: tenants.map((tenant) => ({ ...tenant, selected: tenant.tenantId === selected })),
      tests: tests.map(testView),
      latest: tests[0] ? testView(tests[0]) : null,
    };
  }

  // The confirmation before Sync 365 calls Partner Center as the account.
  @RequiresRole('admin')
  @Get('customers/delegated-admins/:id/direct-csp/test')
  @Render('pages/direct-csp-confirm')
  async confirm(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query('tenantId') tenantId?: string) {
    const admin = await this.adminOf(actor, id);
    const tenant = isGuid(tenantId) ? await this.tenants.find(actor.organizationId, tenantId) : null;
    if (!tenant || tenant.delegatedAdminId !== id || tenant.status !== 'active') throw new DirectCspTenantNotFoundError();
    return { pageTitle: 'Test Direct CSP permissions', tab: 'customers', admin: adminView(admin), tenant };
  }

  @Post('customers/delegated-admins/:id/direct-csp/test')
  async test(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body('tenantId') tenantId: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    if (!isGuid(tenantId)) throw new DirectCspTenantNotFoundError();
    const test = await this.testDirectCsp.execute({ actor, delegatedAdminId: id, tenantId });
    flash(request, test.outcome === 'confirmed' ? 'success' : 'error', `${OUTCOMES[test.outcome].label}. ${test.reason}`);
    await redirectAfterSave(request, response, `/customers/delegated-admins/${id}/direct-csp#latest`);
  }

  @Post('tenants/:tenantId/self-service-portal')
  async portal(
    @CurrentActor() actor: Actor,
    @Param('tenantId', ParseUUIDPipe) tenantId: string,
    @Body('enabled') enabled: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const on = enabled === 'on' || enabled === 'true';
    const changed = await this.setPortal.execute({ actor, tenantId, enabled: on });
    if (changed)
      flash(
        request,
        'success',
        on
          ? 'The end-user self-service portal is on for this tenant. Additional charges apply.'
          : 'The end-user self-service portal is off for this tenant.',
      );
    await redirectAfterSave(request, response, `/tenants/${tenantId}/direct-csp`);
  }

  private async adminOf(actor: Actor, id: string): Promise<DelegatedAdminSummary> {
    const admin = await this.admins.find(actor.organizationId, id);
    if (!admin) throw new DirectCspAdminNotFoundError();
    return admin;
  }
}

export function adminView(admin: DelegatedAdminSummary) {
  return {
    id: admin.id,
    accountUpn: admin.accountUpn,
    partnerDirectory: admin.partnerDirectoryName,
    partnerType: partnerTypeLabel(admin),
    partnerTypeDetail: admin.partnerTypeDetail,
    partnerTypeDetectedAt: admin.partnerTypeDetectedAt,
    directCsp: admin.directCsp
      ? { at: admin.directCsp.at, byName: admin.directCsp.byName, evidence: admin.directCsp.evidence.split('\n') }
      : null,
    needsAttention: admin.status !== 'active',
  };
}

function testView(test: DirectCspTest) {
  return { ...test, ...OUTCOMES[test.outcome] };
}
