import { Body, Controller, Get, Header, HttpCode, Param, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { flash, redirectAfterSave } from '../../../../shared/interface/web/flash';
import { FormPage } from '../../../../shared/interface/web/form-errors';
import { CurrentActor, RequiresRole, type Actor } from '../../../../shared/interface/web/request-actor';
import { ManageWebhookEndpointsUseCase, type EndpointWithSecret } from '../../application/manage-webhook-endpoints.use-case';
import { RedeliverWebhookUseCase } from '../../application/redeliver-webhook.use-case';
import { WebhookDeliveryOptions } from '../../application/webhook-delivery-options';
import { WebhookQueries } from '../../application/webhook-queries';
import { maxAttempts } from '../../domain/delivery-schedule';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER } from '../../domain/webhook-signature';
import { attemptView, deliveryView, endpointSummaryView, endpointView, eventChoices, prettyBody, retrySpan } from './webhooks.view-model';

const LOG_SIZE = 100;
const HEADERS = { signature: SIGNATURE_HEADER, event: EVENT_HEADER, delivery: DELIVERY_HEADER };

// Settings → Webhooks: the organization's endpoints, adding one (its secret shown once), rotating the secret,
// removing it, and each endpoint's delivery log with Redeliver and Send test event.
@ApiExcludeController()
@Controller('settings/webhooks')
export class WebhooksPageController {
  constructor(
    private readonly queries: WebhookQueries,
    private readonly manage: ManageWebhookEndpointsUseCase,
    private readonly redeliver: RedeliverWebhookUseCase,
    private readonly options: WebhookDeliveryOptions,
  ) {}

  @Get()
  @Render('pages/webhooks')
  async list(@CurrentActor() actor: Actor) {
    const endpoints = await this.queries.endpoints(actor.organizationId);
    return {
      pageTitle: 'Webhooks',
      tab: 'settings',
      endpoints: endpoints.map(endpointSummaryView),
      events: eventChoices(),
      headers: HEADERS,
      attempts: maxAttempts(this.options.retryDelaysSeconds),
      retrySpan: retrySpan(this.options.retryDelaysSeconds),
      timeoutSeconds: this.options.timeoutSeconds,
    };
  }

  // Answered with the page itself (not a redirect), so the secret exists only in this one response.
  @Post()
  @FormPage('webhook', 'pages/webhooks', (page: WebhooksPageController, actor) => page.list(actor))
  @Header('Cache-Control', 'no-store')
  @Render('pages/webhook-secret')
  async add(@CurrentActor() actor: Actor, @Body() body: Record<string, unknown>) {
    return this.secretPage(await this.manage.add(actor, { url: body.url, events: body.events }), 'added');
  }

  @Get(':endpointId')
  @Render('pages/webhook')
  async detail(@CurrentActor() actor: Actor, @Param('endpointId') endpointId: string) {
    const { endpoint, deliveries } = await this.queries.log(actor.organizationId, endpointId, LOG_SIZE);
    return {
      pageTitle: 'Webhook',
      tab: 'settings',
      endpoint: endpointView(endpoint),
      deliveries: deliveries.map((d) => deliveryView(endpoint.id, d)),
      logSize: LOG_SIZE,
      attempts: maxAttempts(this.options.retryDelaysSeconds),
    };
  }

  @Get(':endpointId/deliveries/:deliveryId')
  @Render('pages/webhook-delivery')
  async delivery(@CurrentActor() actor: Actor, @Param('endpointId') endpointId: string, @Param('deliveryId') deliveryId: string) {
    const { endpoint, delivery, attempts } = await this.queries.delivery(actor.organizationId, endpointId, deliveryId);
    return {
      pageTitle: 'Webhook delivery',
      tab: 'settings',
      endpoint: endpointView(endpoint),
      delivery: deliveryView(endpoint.id, delivery),
      attempts: attempts.map(attemptView),
      body: prettyBody(delivery.body),
      headers: HEADERS,
    };
  }

  @Post(':endpointId/deliveries/:deliveryId/redeliver')
  async redeliverOne(
    @CurrentActor() actor: Actor,
    @Param('endpointId') endpointId: string,
    @Param('deliveryId') deliveryId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const delivery = await this.redeliver.redeliver(actor, endpointId, deliveryId);
    flash(
      request,
      'success',
      `The event is being delivered again as a new delivery (${delivery.id}), with the same body and a fresh signature.`,
    );
    await redirectAfterSave(request, response, `/settings/webhooks/${endpointId}`);
  }

  @Post(':endpointId/test')
  async sendTest(
    @CurrentActor() actor: Actor,
    @Param('endpointId') endpointId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const delivery = await this.redeliver.sendTest(actor, endpointId);
    flash(request, 'success', `A test event is on its way (delivery ${delivery.id}). Its result appears in the log below.`);
    await redirectAfterSave(request, response, `/settings/webhooks/${endpointId}`);
  }

  @RequiresRole('admin')
  @Get(':endpointId/rotate-secret')
  @Render('pages/webhook-confirm')
  async confirmRotate(@CurrentActor() actor: Actor, @Param('endpointId') endpointId: string) {
    const endpoint = await this.queries.endpoint(actor.organizationId, endpointId);
    return {
      pageTitle: 'Rotate the webhook secret?',
      tab: 'settings',
      endpoint: endpointView(endpoint),
      title: 'Rotate this webhook’s secret?',
      consequence:
        'A new secret is generated and shown once. From then on every delivery, including retries still to come, is signed with the new secret only: update your receiver straight away.',
      action: `/settings/webhooks/${endpoint.id}/rotate-secret`,
      confirmLabel: 'Rotate secret',
      danger: false,
    };
  }

  @Post(':endpointId/rotate-secret')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Render('pages/webhook-secret')
  async rotate(@CurrentActor() actor: Actor, @Param('endpointId') endpointId: string) {
    return this.secretPage(await this.manage.rotateSecret(actor, endpointId), 'rotated');
  }

  @RequiresRole('admin')
  @Get(':endpointId/remove')
  @Render('pages/webhook-confirm')
  async confirmRemove(@CurrentActor() actor: Actor, @Param('endpointId') endpointId: string) {
    const endpoint = await this.queries.endpoint(actor.organizationId, endpointId);
    return {
      pageTitle: 'Remove the webhook?',
      tab: 'settings',
      endpoint: endpointView(endpoint),
      title: 'Remove this webhook?',
      consequence: 'No more events are sent to it, deliveries still being retried are dropped, and its delivery log is deleted.',
      action: `/settings/webhooks/${endpoint.id}/remove`,
      confirmLabel: 'Remove',
      danger: true,
    };
  }

  @Post(':endpointId/remove')
  async remove(
    @CurrentActor() actor: Actor,
    @Param('endpointId') endpointId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const endpoint = await this.manage.remove(actor, endpointId);
    flash(request, 'success', `The webhook for ${endpoint.url} was removed.`);
    await redirectAfterSave(request, response, '/settings/webhooks');
  }

  private secretPage({ endpoint, secret }: EndpointWithSecret, what: 'added' | 'rotated') {
    return {
      pageTitle: 'Webhook secret',
      tab: 'settings',
      endpoint: endpointView(endpoint),
      secret,
      added: what === 'added',
      headers: HEADERS,
    };
  }
}
