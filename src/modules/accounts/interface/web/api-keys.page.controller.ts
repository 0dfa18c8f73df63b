import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { API_SCOPE_DESCRIPTIONS, API_SCOPES } from '../../../../shared/interface/http/partner-api';
import { flash, redirectAfterSave } from '../../../../shared/interface/web/flash';
import { FormPage } from '../../../../shared/interface/web/form-errors';
import { layoutLocals } from '../../../../shared/interface/web/layout';
import { CurrentActor, RequiresRole, type Actor } from '../../../../shared/interface/web/request-actor';
import { CreateApiKeyUseCase } from '../../application/create-api-key.use-case';
import { ApiKeyRepository } from '../../application/ports/api-key.repository';
import { RevokeApiKeyUseCase } from '../../application/revoke-api-key.use-case';
import type { ApiKey } from '../../domain/api-key';
import { ApiKeyNotFoundError } from '../../domain/api-key.errors';

// Settings → API keys: the organization's keys for the partner API, creating one (shown once) and revoking.
@ApiExcludeController()
@Controller('settings/api-keys')
export class ApiKeysPageController {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly createKey: CreateApiKeyUseCase,
    private readonly revokeKey: RevokeApiKeyUseCase,
  ) {}

  @Get()
  @Render('pages/api-keys')
  async list(@CurrentActor() actor: Actor) {
    const keys = await this.keys.listByOrganization(actor.organizationId);
    return {
      pageTitle: 'API keys',
      tab: 'settings',
      keys: keys.map(keyView),
      scopes: API_SCOPES.map((scope) => ({ value: scope, description: API_SCOPE_DESCRIPTIONS[scope] })),
    };
  }

  // The created key is rendered in this response and nowhere else: not in a redirect, not in the session
  // (sessions are stored in the database), and the page is not cached.
  @Post()
  @FormPage('api-key', 'pages/api-keys', (page: ApiKeysPageController, actor) => page.list(actor))
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const name = typeof body.name === 'string' ? body.name : '';
    const scopes = [body.scopes].flat().filter((s): s is string => (API_SCOPES as readonly unknown[]).includes(s));
    // A refused name or no permission: back to the form with what was typed and ticked (FormPage).
    const { key, clearKey } = await this.createKey.execute({ actor, name, scopes });
    response.set('Cache-Control', 'no-store');
    response.status(201).render('pages/api-key-created', {
      ...layoutLocals(request),
      pageTitle: 'API key created',
      tab: 'settings',
      key: keyView(key),
      clearKey,
    });
  }

  @RequiresRole('admin')
  @Get(':id/revoke')
  @Render('pages/api-key-revoke')
  async confirmRevoke(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    const key = await this.keys.findById(actor.organizationId, id);
    if (!key) throw new ApiKeyNotFoundError();
    return { pageTitle: `Revoke ${key.name}?`, tab: 'settings', key: keyView(key) };
  }

  @Post(':id/revoke')
  async revoke(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const { key, revoked } = await this.revokeKey.execute({ actor, keyId: id });
    flash(
      request,
      revoked ? 'success' : 'info',
      revoked
        ? `The API key "${key.name}" was revoked; requests with it are now refused.`
        : `The API key "${key.name}" was already revoked.`,
    );
    await redirectAfterSave(request, response, '/settings/api-keys');
  }
}

function keyView(key: ApiKey) {
  return {
    id: key.id,
    name: key.name,
    // Enough of the key to tell keys apart, never enough to use one.
    prefix: `s365_${key.publicId}_…`,
    scopes: key.scopes,
    createdAt: key.createdAt,
    createdByName: key.createdByName,
    lastUsedAt: key.lastUsedAt,
    active: key.isActive(),
    revokedAt: key.revokedAt,
    revokedByName: key.revokedByName,
  };
}
