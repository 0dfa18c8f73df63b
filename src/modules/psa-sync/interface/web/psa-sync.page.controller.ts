import { Body, Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { flash, redirectAfterSave } from '../../../../shared/interface/web/flash';
import { FormPage } from '../../../../shared/interface/web/form-errors';
import { CurrentActor, RequiresRole, type Actor } from '../../../../shared/interface/web/request-actor';
import { ConnectPsaUseCase } from '../../application/connect-psa.use-case';
import { PsaMappingUseCase } from '../../application/psa-mapping.use-case';
import { PsaSyncRepository } from '../../application/ports/psa-sync.repository';
import { RequestSyncUseCase } from '../../application/request-sync.use-case';
import { PSA_NAMES } from '../../domain/psa-connection';
import { PsaRefusedError, PsaSyncRunNotFoundError } from '../../domain/psa-sync.errors';
import { runView, tenantResultView } from './psa-sync.view-model';
import { staffParty } from '../../../../shared/application/actor';

// Settings → Billing → PSA (connect, map, dry run, Sync now) and Billing → PSA sync (history). Every form carries
// the CSRF token; a refusal (including the PSA's own, when the connection is tested) comes back beside the field.
@ApiExcludeController()
@Controller()
export class PsaSyncPageController {
  constructor(
    private readonly connect: ConnectPsaUseCase,
    private readonly mapping: PsaMappingUseCase,
    private readonly request: RequestSyncUseCase,
    private readonly repository: PsaSyncRepository,
  ) {}

  @Get('settings/billing/psa')
  @Render('pages/psa-settings')
  async settings(@CurrentActor() actor: Actor) {
    const connection = await this.connect.connection(actor.organizationId);
    const base = { pageTitle: 'Settings — PSA', tab: 'settings', subTab: 'psa' };
    if (!connection) return { ...base, connected: false };
    const runs = (await this.repository.runs(actor.organizationId, { limit: 5 })).map(runView);
    let overview;
    try {
      overview = await this.mapping.overview(actor.organizationId);
    } catch (error) {
      // The PSA cannot be read right now: the page still offers to reconnect or disconnect, and says why.
      if (!(error instanceof PsaRefusedError)) throw error;
      return {
        ...base,
        connected: true,
        psaName: PSA_NAMES[connection.kind],
        connection: connectionView(connection),
        readError: `${error.message} ${error.fix ?? ''}`,
        runs,
      };
    }
    const agreementWord = connection.kind === 'autotask' ? 'contract' : 'agreement';
    const productWord = connection.kind === 'autotask' ? 'service' : 'product';
    const tenants = overview.tenants.map((row) => {
      const selected = row.mapping?.agreementId ?? row.suggestion?.agreement.id ?? '';
      return {
        tenantId: row.customer.tenantId,
        companyName: row.customer.companyName,
        domain: row.customer.domain,
        confirmed: row.mapping !== null,
        mappedTo: row.mapping ? `${row.mapping.companyName} — ${row.mapping.agreementName}` : null,
        confirmedByName: row.mapping?.confirmedByName ?? null,
        confirmedAt: row.mapping?.confirmedAt.toISOString() ?? null,
        because:
          row.suggestion?.because ??
          (row.mapping ? null : `No ${PSA_NAMES[connection.kind]} company matches by name or domain: choose its ${agreementWord}`),
        options: overview.agreements.map((a) => ({ id: a.id, label: `${a.companyName} — ${a.name}`, selected: a.id === selected })),
      };
    });
    const products = overview.products.map((row) => {
      const selected = row.mapping?.psaProductId ?? row.suggestion?.product.id ?? '';
      return {
        productKey: row.product.key,
        productName: row.product.productName,
        productCode: row.product.productCode,
        confirmed: row.mapping !== null,
        mappedTo: row.mapping?.psaProductName ?? null,
        because: row.suggestion?.because ?? (row.mapping ? null : `No ${productWord} of that code or name: choose one`),
        options: overview.psaProducts.map((p) => ({
          id: p.id,
          label: p.code && p.code !== p.name ? `${p.code} — ${p.name}` : p.name,
          selected: p.id === selected,
        })),
      };
    });
    return {
      ...base,
      connected: true,
      psaName: PSA_NAMES[connection.kind],
      connection: connectionView(connection),
      agreementWord,
      productWord,
      tenants,
      products,
      tenantsToConfirm: tenants.filter((t) => !t.confirmed).length,
      suggestions:
        overview.tenants.filter((t) => !t.mapping && t.suggestion).length +
        overview.products.filter((p) => !p.mapping && p.suggestion).length,
      productsToConfirm: products.filter((p) => !p.confirmed).length,
      readyToSync: tenants.some((t) => t.confirmed) && products.some((p) => p.confirmed),
      runs,
    };
  }

  @Post('settings/billing/psa/connect')
  @FormPage('connect', 'pages/psa-settings', (page: PsaSyncPageController, actor) => page.settings(actor))
  async saveConnection(
    @CurrentActor() actor: Actor,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const connection = await this.connect.connect(staffParty(actor), typeof body.kind === 'string' ? body.kind : '', body);
    flash(
      request,
      'success',
      `${PSA_NAMES[connection.kind]} connected (${connection.label}) and tested: Sync 365 can read its companies, ${connection.kind === 'autotask' ? 'contracts and services' : 'agreements and products'}. Now confirm the mappings below.`,
    );
    await redirectAfterSave(request, response, '/settings/billing/psa');
  }

  @Post('settings/billing/psa/disconnect')
  async disconnect(@CurrentActor() actor: Actor, @Req() request: Request, @Res() response: Response): Promise<void> {
    const removed = await this.connect.disconnect(staffParty(actor));
    flash(
      request,
      'success',
      removed
        ? `${PSA_NAMES[removed.kind]} disconnected: its credentials and mappings are removed; the sync history stays.`
        : 'No PSA was connected.',
    );
    await redirectAfterSave(request, response, '/settings/billing/psa');
  }

  @RequiresRole('billing')
  @Post('settings/billing/psa/tenants/:tenantId')
  @FormPage('tenant-mapping', 'pages/psa-settings', (page: PsaSyncPageController, actor) => page.settings(actor))
  async mapTenant(
    @CurrentActor() actor: Actor,
    @Param('tenantId') tenantId: string,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const mapping = await this.mapping.confirmTenant(
      staffParty(actor),
      tenantId,
      typeof body.agreementId === 'string' ? body.agreementId : '',
    );
    flash(request, 'success', `Mapped to ${mapping.companyName} — ${mapping.agreementName}.`);
    await redirectAfterSave(request, response, '/settings/billing/psa#tenants');
  }

  @RequiresRole('billing')
  @Post('settings/billing/psa/products')
  @FormPage('product-mapping', 'pages/psa-settings', (page: PsaSyncPageController, actor) => page.settings(actor))
  async mapProduct(
    @CurrentActor() actor: Actor,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const mapping = await this.mapping.confirmProduct(
      staffParty(actor),
      typeof body.productKey === 'string' ? body.productKey : '',
      typeof body.psaProductId === 'string' ? body.psaProductId : '',
    );
    flash(request, 'success', `Mapped to ${mapping.psaProductName}.`);
    await redirectAfterSave(request, response, '/settings/billing/psa#products');
  }

  @RequiresRole('billing')
  @Post('settings/billing/psa/confirm-suggested')
  async confirmSuggested(@CurrentActor() actor: Actor, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { tenants, products } = await this.mapping.confirmSuggested(staffParty(actor));
    flash(
      request,
      'success',
      `Confirmed ${tenants} customer${tenants === 1 ? '' : 's'} and ${products} product${products === 1 ? '' : 's'} as suggested.`,
    );
    await redirectAfterSave(request, response, '/settings/billing/psa');
  }

  @RequiresRole('billing')
  @Post('settings/billing/psa/dry-run')
  @FormPage('sync', 'pages/psa-settings', (page: PsaSyncPageController, actor) => page.settings(actor))
  async dryRun(@CurrentActor() actor: Actor, @Req() request: Request, @Res() response: Response): Promise<void> {
    const outcome = await this.request.dryRun(staffParty(actor));
    await redirectAfterSave(request, response, `/billing/psa-syncs/${outcome!.run.id}`);
  }

  @RequiresRole('billing')
  @Post('settings/billing/psa/sync')
  @FormPage('sync', 'pages/psa-settings', (page: PsaSyncPageController, actor) => page.settings(actor))
  async syncNow(@CurrentActor() actor: Actor, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { queued } = await this.request.syncNow(staffParty(actor));
    flash(
      request,
      'success',
      queued
        ? 'Sync started: it appears below when it has finished.'
        : 'A sync is already waiting to start; it will send the latest approved quantities.',
    );
    await redirectAfterSave(request, response, '/billing/psa-syncs');
  }

  @Get('billing/psa-syncs')
  @Render('pages/psa-syncs')
  async history(@CurrentActor() actor: Actor) {
    const [runs, connection] = await Promise.all([
      this.repository.runs(actor.organizationId, { limit: 50 }),
      this.connect.connection(actor.organizationId),
    ]);
    return {
      pageTitle: 'PSA sync history',
      tab: 'billing',
      subTab: 'psa-syncs',
      runs: runs.map(runView),
      connected: connection !== null,
      psaName: connection ? PSA_NAMES[connection.kind] : null,
    };
  }

  @Get('billing/psa-syncs/:runId')
  @Render('pages/psa-sync-run')
  async run(@CurrentActor() actor: Actor, @Param('runId') runId: string) {
    const run = await this.repository.run(actor.organizationId, runId);
    if (!run) throw new PsaSyncRunNotFoundError();
    const results = await this.repository.tenantResults(actor.organizationId, run.id);
    const view = runView(run);
    return {
      pageTitle: run.status === 'dry-run' ? 'PSA dry run' : 'PSA sync run',
      tab: 'billing',
      subTab: 'psa-syncs',
      run: view,
      tenants: results.map(tenantResultView),
      dryRun: run.status === 'dry-run',
    };
  }
}

function connectionView(connection: { kind: 'connectwise' | 'autotask'; label: string; connectedAt: Date; connectedByName: string }) {
  return { label: connection.label, connectedAt: connection.connectedAt.toISOString(), connectedByName: connection.connectedByName };
}
