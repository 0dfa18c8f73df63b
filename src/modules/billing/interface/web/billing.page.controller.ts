import { Body, Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { csvLine, sendCsv } from '../../../../shared/interface/web/csv';
import { flash, redirectAfterSave } from '../../../../shared/interface/web/flash';
import { FormPage } from '../../../../shared/interface/web/form-errors';
import { CurrentActor, type Actor, RequiresRole } from '../../../../shared/interface/web/request-actor';
import { formatWhen } from '../../../../shared/interface/web/when';
import { CompanyMappingUseCase } from '../../application/company-mapping.use-case';
import { DecideApprovalUseCase } from '../../application/decide-approval.use-case';
import { FreezeSnapshotUseCase } from '../../application/freeze-snapshot.use-case';
import { InvoicePreviewQueries } from '../../application/invoice-preview.queries';
import { ManageBillingUseCase } from '../../application/manage-billing.use-case';
import { BillableLicences } from '../../application/ports/billable-licences.port';
import { BillingRepository, type Snapshot } from '../../application/ports/billing.repository';
import { BillingProfileNotFoundError, InvalidBillingInputError, SnapshotNotFoundError } from '../../domain/billing.errors';
import { CHARGE_KINDS, chargeLabel, QUANTITY_RULES, quantityRuleLabel } from '../../domain/billing-profile';
import { formatMoney } from '../../domain/money';
import { isPeriod, periodLabel, periodOf } from '../../domain/period';
import {
  approvalView,
  lineView,
  mappingView,
  money,
  profileView,
  signedMoney,
  SNAPSHOT_CSV_HEADER,
  snapshotCsvValues,
  snapshotView,
} from './billing.view-model';
import { snapshotPdf } from './snapshot-pdf';
import { staffParty } from '../../../../shared/application/actor';

const TERMS = [
  { value: '', label: 'Any term' },
  { value: 'P1M', label: '1 month' },
  { value: 'P1Y', label: '1 year' },
  { value: 'P3Y', label: '3 years' },
];
const CYCLES = [
  { value: '', label: 'Any billing cycle' },
  { value: 'monthly', label: 'Billed monthly' },
  { value: 'annual', label: 'Billed annually' },
  { value: 'triennial', label: 'Billed every three years' },
];

// The Billing tab (invoice preview, approvals, company mapping, snapshots) and Settings → Billing (profiles,
// currency and approval rules). Every form carries the CSRF token; a refused one comes back with the reason
// beside the field.
@ApiExcludeController()
@Controller()
export class BillingPageController {
  constructor(
    private readonly preview: InvoicePreviewQueries,
    private readonly manage: ManageBillingUseCase,
    private readonly mapping: CompanyMappingUseCase,
    private readonly decide: DecideApprovalUseCase,
    private readonly freeze: FreezeSnapshotUseCase,
    private readonly billing: BillingRepository,
    private readonly licences: BillableLicences,
  ) {}

  @Get('billing')
  @Render('pages/billing')
  async overview(@CurrentActor() actor: Actor) {
    const preview = await this.preview.organization(actor.organizationId);
    const c = preview.currency;
    return {
      pageTitle: 'Billing',
      tab: 'billing',
      subTab: 'preview',
      period: periodLabel(preview.period),
      currency: c,
      total: money(preview.total, c),
      approvedTotal: money(preview.approvedTotal, c),
      change: signedMoney(preview.total.minus(preview.approvedTotal), c),
      pending: preview.pending,
      notMapped: preview.notMapped.map((p) => ({ ...p, mapHref: `/settings/billing?skuId=${p.skuId}#add` })),
      hasCustomers: preview.tenants.length > 0,
      tenants: preview.tenants.map((t) => ({
        ...t,
        href: `/billing/tenants/${t.tenantId}`,
        total: money(t.total, c),
        approvedTotal: money(t.approvedTotal, c),
        change: signedMoney(t.change, c),
        changed: !t.change.isZero(),
      })),
    };
  }

  @Get('billing/tenants/:tenantId')
  @Render('pages/billing-tenant')
  async tenant(@CurrentActor() actor: Actor, @Param('tenantId') tenantId: string) {
    const preview = await this.preview.tenant(actor.organizationId, tenantId);
    const c = preview.currency;
    return {
      pageTitle: `${preview.customer.companyName} — Billing`,
      tab: 'billing',
      subTab: 'preview',
      customer: preview.customer,
      account: preview.mapping?.status === 'confirmed' ? preview.mapping.accountName : null,
      period: periodLabel(preview.period),
      currency: c,
      lines: preview.lines.map((l) => lineView(l, c)),
      apart: preview.apart.map((l) => lineView(l, c)),
      removed: preview.removed.map((l) => lineView(l, c)),
      total: money(preview.total, c),
      approvedTotal: money(preview.approvedTotal, c),
      change: signedMoney(preview.total.minus(preview.approvedTotal), c),
      notMapped: preview.notMapped,
    };
  }

  @Get('billing/approvals')
  @Render('pages/billing-approvals')
  async approvals(@CurrentActor() actor: Actor) {
    const [pending, recent, customers, settings] = await Promise.all([
      this.billing.approvals(actor.organizationId, { status: 'pending', limit: 500 }),
      this.billing.approvals(actor.organizationId, { limit: 30 }),
      this.licences.customers(actor.organizationId),
      this.billing.settings(actor.organizationId),
    ]);
    const names = new Map(customers.map((c) => [c.tenantId, c.companyName]));
    return {
      pageTitle: 'Billing approvals',
      tab: 'billing',
      subTab: 'approvals',
      pending: pending.map((a) => approvalView(a, names.get(a.tenantId) ?? a.tenantId, settings.currency)),
      decided: recent
        .filter((a) => a.status !== 'pending')
        .map((a) => approvalView(a, names.get(a.tenantId) ?? a.tenantId, settings.currency)),
      rules: `${settings.autoApproveIncreases ? 'Increases apply automatically' : 'Increases need approval'}; decreases, removed and new lines wait here when their amount moves by more than ${formatMoney(settings.approvalThreshold, settings.currency)}.`,
    };
  }

  @RequiresRole('billing')
  @Post('billing/approvals/:approvalId/:decision')
  async decideApproval(
    @CurrentActor() actor: Actor,
    @Param('approvalId') approvalId: string,
    @Param('decision') decision: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    if (decision !== 'approve' && decision !== 'reject')
      throw new InvalidBillingInputError(
        'A change is approved or rejected, nothing else.',
        'Use the Approve or Reject button of the change.',
        'decision',
      );
    const approval = await this.decide.execute(staffParty(actor), approvalId, decision);
    const customer = await this.licences.customer(actor.organizationId, approval.tenantId);
    const product = (approval.after ?? approval.before)!.productName;
    flash(
      request,
      'success',
      decision === 'approve'
        ? `Approved: ${customer?.companyName ?? ''} ${product} is on the invoice as proposed.`
        : `Rejected: ${customer?.companyName ?? ''} ${product} stays as approved before.`,
    );
    await redirectAfterSave(request, response, '/billing/approvals');
  }

  @Get('billing/mappings')
  @Render('pages/billing-mappings')
  async mappings(@CurrentActor() actor: Actor) {
    const rows = (await this.mapping.list(actor.organizationId)).map(mappingView);
    return { pageTitle: 'Company mapping', tab: 'billing', subTab: 'mappings', rows, toConfirm: rows.filter((r) => !r.confirmed).length };
  }

  @RequiresRole('billing')
  @Post('billing/mappings/:tenantId')
  @FormPage('mapping', 'pages/billing-mappings', (page: BillingPageController, actor) => page.mappings(actor))
  async confirmMapping(
    @CurrentActor() actor: Actor,
    @Param('tenantId') tenantId: string,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const mapping = await this.mapping.confirm(staffParty(actor), tenantId, {
      accountName: text(body.accountName),
      accountCode: text(body.accountCode),
    });
    flash(request, 'success', `Mapped to the billing account ${mapping.accountName}.`);
    await redirectAfterSave(request, response, '/billing/mappings');
  }

  @Get('billing/snapshots')
  @Render('pages/billing-snapshots')
  async snapshots(@CurrentActor() actor: Actor) {
    const [snapshots, zone] = await Promise.all([
      this.billing.snapshots(actor.organizationId),
      this.licences.timeZone(actor.organizationId),
    ]);
    const current = periodOf(new Date(), zone);
    return {
      pageTitle: 'Billing snapshots',
      tab: 'billing',
      subTab: 'snapshots',
      snapshots: snapshots.map(snapshotView),
      currentPeriod: current,
      currentLabel: periodLabel(current),
      currentFrozen: snapshots.some((s) => s.period === current),
    };
  }

  @RequiresRole('billing')
  @Post('billing/snapshots')
  @FormPage('snapshot', 'pages/billing-snapshots', (page: BillingPageController, actor) => page.snapshots(actor))
  async freezeSnapshot(
    @CurrentActor() actor: Actor,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const { snapshot, created } = await this.freeze.execute(staffParty(actor), actor.organizationId, text(body.period).trim());
    flash(
      request,
      created ? 'success' : 'info',
      created
        ? `${periodLabel(snapshot.period)} is frozen: ${snapshot.lines} lines, ${formatMoney(snapshot.total, snapshot.currency)}.`
        : `${periodLabel(snapshot.period)} was frozen before; its snapshot stays as it was.`,
    );
    await redirectAfterSave(request, response, '/billing/snapshots');
  }

  @Get('billing/snapshots/:file')
  async download(@CurrentActor() actor: Actor, @Param('file') file: string, @Res() response: Response): Promise<void> {
    const match = /^(\d{4}-\d{2})\.(csv|pdf)$/.exec(file);
    if (!match || !isPeriod(match[1])) throw new SnapshotNotFoundError(file.slice(0, 20));
    const snapshot = await this.billing.snapshot(actor.organizationId, match[1]);
    if (!snapshot) throw new SnapshotNotFoundError(periodLabel(match[1]));
    const lines = await this.billing.snapshotLines(actor.organizationId, snapshot.id);
    if (match[2] === 'csv') {
      return sendCsv(
        response,
        `billing-${snapshot.period}.csv`,
        SNAPSHOT_CSV_HEADER,
        async function* (s: Snapshot) {
          for (const line of lines) yield csvLine(snapshotCsvValues(s, line));
        },
        snapshot,
      );
    }
    const zone = await this.licences.timeZone(actor.organizationId);
    const pdf = await snapshotPdf(snapshot, lines, actor.organizationName, formatWhen(snapshot.frozenAt, zone));
    response.setHeader('content-type', 'application/pdf');
    response.setHeader('content-disposition', `attachment; filename="billing-${snapshot.period}.pdf"`);
    response.end(pdf);
  }

  @Get('settings/billing')
  @Render('pages/billing-settings')
  async settings(@CurrentActor() actor: Actor, @Req() request?: Request) {
    const organizationId = actor.organizationId;
    const [settings, profiles, products, customers] = await Promise.all([
      this.billing.settings(organizationId),
      this.billing.profiles(organizationId),
      this.preview.products(organizationId),
      this.licences.customers(organizationId),
    ]);
    const productName = new Map(products.map((p) => [p.skuId, p.microsoftProduct]));
    const companyName = new Map(customers.map((c) => [c.tenantId, c.companyName]));
    const views = profiles.map((p) =>
      profileView(p, p.tenantId ? (companyName.get(p.tenantId) ?? p.tenantId) : null, productName.get(p.skuId) ?? null),
    );
    const skuId = typeof request?.query?.skuId === 'string' ? request.query.skuId.toLowerCase() : '';
    const mappedSkus = new Set(profiles.filter((p) => p.tenantId === null).map((p) => p.skuId));
    const values: ProfileValues = { ...NEW_PROFILE, skuId };
    return {
      pageTitle: 'Settings — Billing',
      tab: 'settings',
      billingSettings: {
        currency: settings.currency,
        autoApproveIncreases: settings.autoApproveIncreases,
        approvalThreshold: settings.approvalThreshold.toFixed(2),
      },
      defaults: views.filter((p) => p.customer === null),
      overrides: views.filter((p) => p.customer !== null),
      products: products.map((p) => ({ ...p, mapped: mappedSkus.has(p.skuId) })),
      unmapped: products.filter((p) => !mappedSkus.has(p.skuId)).length,
      hasProducts: products.length > 0,
      ...formChoices(
        products.map((p) => ({ ...p, mapped: mappedSkus.has(p.skuId) })),
        customers,
        values,
      ),
      form: { action: '/settings/billing/profiles', submit: 'Add profile' },
    };
  }

  @RequiresRole('billing')
  @Post('settings/billing')
  @FormPage('settings', 'pages/billing-settings', (page: BillingPageController, actor) => page.settings(actor))
  async saveSettings(
    @CurrentActor() actor: Actor,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const settings = await this.manage.saveSettings(staffParty(actor), {
      currency: text(body.currency),
      approvalThreshold: text(body.approvalThreshold),
      autoApproveIncreases: body.autoApproveIncreases === 'on',
    });
    flash(
      request,
      'success',
      `Billing settings saved: amounts in ${settings.currency}; increases ${settings.autoApproveIncreases ? 'apply automatically' : 'need approval'}.`,
    );
    await redirectAfterSave(request, response, '/settings/billing');
  }

  @RequiresRole('billing')
  @Post('settings/billing/profiles')
  @FormPage('profile', 'pages/billing-settings', (page: BillingPageController, actor) => page.settings(actor))
  async addProfile(
    @CurrentActor() actor: Actor,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const profile = await this.manage.saveProfile(staffParty(actor), profileInput(body));
    flash(request, 'success', `Profile ${profile.productName} added; the invoice preview uses it now.`, {
      href: '/billing',
      label: 'See the invoice preview',
    });
    await redirectAfterSave(request, response, '/settings/billing');
  }

  @RequiresRole('billing')
  @Get('settings/billing/profiles/:profileId')
  @Render('pages/billing-profile')
  async editProfile(@CurrentActor() actor: Actor, @Param('profileId') profileId: string) {
    const profile = await this.billing.profile(actor.organizationId, profileId);
    if (!profile) throw new BillingProfileNotFoundError();
    const model = await this.settings(actor);
    const values: ProfileValues = {
      skuId: profile.skuId,
      tenantId: profile.tenantId ?? '',
      termDuration: profile.termDuration ?? '',
      billingCycle: profile.billingCycle ?? '',
      productName: profile.productName,
      productCode: profile.productCode,
      priceKind: profile.priceKind,
      unitPrice: profile.unitPrice?.toString() ?? '',
      markupPercent: profile.markupPercent?.toString() ?? '',
      unitCost: profile.unitCost?.toString() ?? '',
      charge: profile.charge,
      quantityRule: profile.quantityRule,
      includedQuantity: String(profile.includedQuantity),
      minimumQuantity: String(profile.minimumQuantity),
    };
    return {
      ...model,
      pageTitle: `Billing profile ${profile.productName}`,
      profile: profileView(profile, null, null),
      ...formChoices(model.products, model.customerOptions, values),
      form: { action: `/settings/billing/profiles/${profile.id}`, submit: 'Save profile' },
    };
  }

  @RequiresRole('billing')
  @Post('settings/billing/profiles/:profileId')
  @FormPage('profile', 'pages/billing-profile', (page: BillingPageController, actor, request) =>
    page.editProfile(actor, request.params.profileId as string),
  )
  async updateProfile(
    @CurrentActor() actor: Actor,
    @Param('profileId') profileId: string,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const profile = await this.manage.saveProfile(staffParty(actor), profileInput(body), profileId);
    flash(request, 'success', `Profile ${profile.productName} saved; the invoice preview uses it now.`);
    await redirectAfterSave(request, response, '/settings/billing');
  }

  @RequiresRole('billing')
  @Post('settings/billing/profiles/:profileId/remove')
  async removeProfile(
    @CurrentActor() actor: Actor,
    @Param('profileId') profileId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const profile = await this.manage.removeProfile(staffParty(actor), profileId);
    flash(request, 'success', `Profile ${profile.productName} removed; its lines use the next matching profile, or show as not mapped.`);
    await redirectAfterSave(request, response, '/settings/billing');
  }
}

interface ProfileValues {
  skuId: string;
  tenantId: string;
  termDuration: string;
  billingCycle: string;
  productName: string;
  productCode: string;
  priceKind: string;
  unitPrice: string;
  markupPercent: string;
  unitCost: string;
  charge: string;
  quantityRule: string;
  includedQuantity: string;
  minimumQuantity: string;
}

const NEW_PROFILE: ProfileValues = {
  skuId: '',
  tenantId: '',
  termDuration: '',
  billingCycle: '',
  productName: '',
  productCode: '',
  priceKind: 'fixed',
  unitPrice: '',
  markupPercent: '',
  unitCost: '',
  charge: 'billable',
  quantityRule: 'purchased',
  includedQuantity: '0',
  minimumQuantity: '0',
};

// The profile form's options, each marked selected by the values shown (a refused form shows what was sent instead).
function formChoices(
  products: { skuId: string; microsoftProduct: string; mapped: boolean }[],
  customers: { tenantId: string; companyName: string }[],
  values: ProfileValues,
) {
  return {
    values: { ...values, fixed: values.priceKind !== 'cost-plus', costPlus: values.priceKind === 'cost-plus' },
    productOptions: products.map((p) => ({ ...p, selected: p.skuId === values.skuId })),
    customerOptions: customers.map((c) => ({ ...c, selected: c.tenantId === values.tenantId })),
    terms: TERMS.map((t) => ({ ...t, selected: t.value === values.termDuration })),
    cycles: CYCLES.map((c) => ({ ...c, selected: c.value === values.billingCycle })),
    charges: CHARGE_KINDS.map((value) => ({ value, label: chargeLabel(value), selected: value === values.charge })),
    rules: QUANTITY_RULES.map((value) => ({ value, label: quantityRuleLabel(value), selected: value === values.quantityRule })),
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function profileInput(body: Record<string, unknown>) {
  return {
    skuId: text(body.skuId),
    tenantId: text(body.tenantId),
    termDuration: text(body.termDuration),
    billingCycle: text(body.billingCycle),
    productName: text(body.productName),
    productCode: text(body.productCode),
    priceKind: text(body.priceKind) || 'fixed',
    unitPrice: text(body.unitPrice),
    markupPercent: text(body.markupPercent),
    unitCost: text(body.unitCost),
    charge: text(body.charge) || 'billable',
    quantityRule: text(body.quantityRule) || 'purchased',
    includedQuantity: text(body.includedQuantity),
    minimumQuantity: text(body.minimumQuantity),
  };
}
