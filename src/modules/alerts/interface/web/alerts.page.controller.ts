import { Body, Controller, Get, HttpCode, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { csrfToken } from '../../../../shared/interface/web/csrf';
import { flash, redirectAfterSave } from '../../../../shared/interface/web/flash';
import { FormPage } from '../../../../shared/interface/web/form-errors';
import { CurrentActor, Public, type Actor, RequiresRole } from '../../../../shared/interface/web/request-actor';
import { AlertCentreQueries } from '../../application/alert-centre.queries';
import { ManageAlertsUseCase } from '../../application/manage-alerts.use-case';
import { Mailer } from '../../application/ports/mailer.port';
import { ALERT_RULES, ruleDefinition } from '../../domain/alert-rules';
import { AlertNotFoundError } from '../../domain/alerts.errors';
import { alertView, muteView, ruleRows } from './alerts.view-model';

const HISTORY_SIZE = 50;

// The alert centre: open alerts by severity (what to do, since when), acknowledge, mute with a reason and an
// optional end date, the active mutes, the history of resolved alerts; the rules and each person's e-mail; and
// the unsubscribe link from a mail, which works without signing in.
@ApiExcludeController()
@Controller('alerts')
export class AlertsPageController {
  constructor(
    private readonly queries: AlertCentreQueries,
    private readonly manage: ManageAlertsUseCase,
    private readonly mailer: Mailer,
  ) {}

  @Get()
  @Render('pages/alerts')
  async centre(@CurrentActor() actor: Actor) {
    const centre = await this.queries.centre(actor.organizationId, HISTORY_SIZE);
    const tenantNames = new Map<string, string>();
    for (const a of [...centre.open, ...centre.muted.map((m) => m.alert), ...centre.history])
      if (a.tenantId && a.tenantName) tenantNames.set(a.tenantId.toLowerCase(), a.tenantName);
    return {
      pageTitle: 'Alerts',
      tab: 'alerts',
      open: centre.open.map(alertView),
      muted: centre.muted.map(({ alert, mute }) => ({ ...alertView(alert), mute: muteView(mute, tenantNames) })),
      mutes: centre.mutes.map((m) => muteView(m, tenantNames)),
      history: centre.history.map(alertView),
      historySize: HISTORY_SIZE,
      emailConfigured: this.mailer.configured,
    };
  }

  @Get('rules')
  @Render('pages/alert-rules')
  async rules(@CurrentActor() actor: Actor) {
    const { settings } = await this.queries.rules(actor.organizationId);
    return { pageTitle: 'Alert rules', tab: 'alerts', rules: ruleRows(settings) };
  }

  @Post('rules')
  @FormPage('rules', 'pages/alert-rules', (page: AlertsPageController, actor) => page.rules(actor))
  async saveRules(
    @CurrentActor() actor: Actor,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.manage.saveRules(actor, body);
    flash(
      request,
      'success',
      'The alert rules were saved. They apply from the next evaluation (after the next import, or within the hour).',
    );
    await redirectAfterSave(request, response, '/alerts/rules');
  }

  @Get('preferences')
  @Render('pages/alert-preferences')
  async preferences(@CurrentActor() actor: Actor) {
    const preferences = await this.manage.preferences(actor);
    return {
      pageTitle: 'Alert e-mail',
      tab: 'alerts',
      emailConfigured: this.mailer.configured,
      immediate: preferences.immediate,
      digest: preferences.digest,
      rules: ALERT_RULES.map((rule) => ({ id: rule.id, label: rule.label, subscribed: !preferences.unsubscribedRules.includes(rule.id) })),
    };
  }

  @RequiresRole('viewer')
  @Post('preferences')
  async savePreferences(
    @CurrentActor() actor: Actor,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.manage.savePreferences(actor, body);
    flash(request, 'success', 'Your alert e-mail preferences were saved.');
    await redirectAfterSave(request, response, '/alerts/preferences');
  }

  // Anonymous: the page creates the session its form's CSRF token needs.
  @Public()
  @Get('unsubscribe')
  @Render('pages/alert-unsubscribe')
  unsubscribePage(@Query('token') token: string | undefined, @Req() request: Request) {
    return { pageTitle: 'Unsubscribe from alert e-mails', token: token ?? '', csrfToken: csrfToken(request), done: null };
  }

  @Public()
  @Post('unsubscribe')
  @HttpCode(200)
  @Render('pages/alert-unsubscribe')
  async unsubscribe(@Body() body: Record<string, unknown>) {
    const { rule } = await this.manage.unsubscribe(body.token);
    return { pageTitle: 'Unsubscribed', done: { rule: ruleDefinition(rule)?.label ?? rule } };
  }

  @Post('mutes/:muteId/lift')
  async liftMute(
    @CurrentActor() actor: Actor,
    @Param('muteId') muteId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.manage.liftMute(actor, muteId);
    flash(request, 'success', 'The mute was lifted: its alerts are listed and e-mailed again.');
    await redirectAfterSave(request, response, '/alerts');
  }

  @Post(':alertId/acknowledge')
  async acknowledge(
    @CurrentActor() actor: Actor,
    @Param('alertId') alertId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.manage.acknowledge(actor, alertId);
    flash(request, 'success', 'The alert was acknowledged. It stays open until its condition clears.');
    await redirectAfterSave(request, response, '/alerts');
  }

  @RequiresRole('admin')
  @Get(':alertId/mute')
  @Render('pages/alert-mute')
  async muteForm(@CurrentActor() actor: Actor, @Param('alertId') alertId: string) {
    const alert = await this.queries.alert(actor.organizationId, alertId);
    if (!alert || alert.resolvedAt) throw new AlertNotFoundError();
    return {
      pageTitle: 'Mute an alert',
      tab: 'alerts',
      alert: alertView(alert),
      ruleLabel: ruleDefinition(alert.rule)?.label ?? alert.rule,
      hasTenant: alert.tenantId !== null,
    };
  }

  @Post(':alertId/mute')
  @FormPage('mute', 'pages/alert-mute', (page: AlertsPageController, actor, request) =>
    page.muteForm(actor, request.params.alertId as string),
  )
  async mute(
    @CurrentActor() actor: Actor,
    @Param('alertId') alertId: string,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const mute = await this.manage.mute(actor, alertId, { scope: body.scope, reason: body.reason, until: body.until });
    flash(
      request,
      'success',
      `Muted${mute.until ? ` until ${mute.until.toISOString().slice(0, 10)}` : ' until you lift the mute'}: no e-mail is sent for it, and it is listed under Muted.`,
    );
    await redirectAfterSave(request, response, '/alerts');
  }
}
