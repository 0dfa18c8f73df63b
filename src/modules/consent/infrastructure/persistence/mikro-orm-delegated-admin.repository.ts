import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../../../shared/application/clock';
import { SecretCipher } from '../../../../shared/application/secret-cipher.port';
import { DelegatedAdminRepository, RefreshTokenStore, type StaleToken } from '../../application/ports/delegated-admin.repository';
import { DelegatedAdmin } from '../../domain/delegated-admin';
import { rawSql } from '../../../../shared/infrastructure/database/raw-sql';

@Injectable()
export class MikroOrmDelegatedAdminRepository extends DelegatedAdminRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  findById(organizationId: string, id: string): Promise<DelegatedAdmin | null> {
    return this.em.findOne(DelegatedAdmin, { organizationId, id });
  }

  findByAccount(organizationId: string, partnerTenantId: string, accountObjectId: string): Promise<DelegatedAdmin | null> {
    return this.em.findOne(DelegatedAdmin, {
      organizationId,
      partnerTenantId: partnerTenantId.toLowerCase(),
      accountObjectId: accountObjectId.toLowerCase(),
    });
  }

  listByOrganization(organizationId: string): Promise<DelegatedAdmin[]> {
    return this.em.find(DelegatedAdmin, { organizationId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  add(admin: DelegatedAdmin): void {
    this.em.persist(admin);
  }

  remove(admin: DelegatedAdmin): void {
    this.em.remove(admin);
  }
}

// The token row is written with SQL of its own (not through the unit of work) so a rotation is a single
// statement inside the caller's transaction, and the clear token never sits in the identity map.
@Injectable()
export class PostgresRefreshTokenStore extends RefreshTokenStore {
  constructor(
    private readonly em: EntityManager,
    private readonly cipher: SecretCipher,
    private readonly clock: Clock,
  ) {
    super();
  }

  async save(organizationId: string, delegatedAdminId: string, refreshToken: string): Promise<void> {
    await rawSql(
      this.em,
      `insert into delegated_admin_tokens (delegated_admin_id, organization_id, refresh_token_ciphertext, rotated_at) values (?, ?, ?, ?)
       on conflict (delegated_admin_id) do update set refresh_token_ciphertext = excluded.refresh_token_ciphertext, rotated_at = excluded.rotated_at
       where delegated_admin_tokens.organization_id = excluded.organization_id`,
      [delegatedAdminId, organizationId, this.cipher.encrypt(refreshToken, delegatedAdminId), this.clock.now()],
    );
  }

  async readForRotation(organizationId: string, delegatedAdminId: string): Promise<string | null> {
    const rows = await rawSql<{ refresh_token_ciphertext: string }>(
      this.em,
      'select refresh_token_ciphertext from delegated_admin_tokens where organization_id = ? and delegated_admin_id = ? for update',
      [organizationId, delegatedAdminId],
    );
    return rows[0] ? this.cipher.decrypt(rows[0].refresh_token_ciphertext, delegatedAdminId) : null;
  }

  async read(organizationId: string, delegatedAdminId: string): Promise<string | null> {
    const rows = await rawSql<{ refresh_token_ciphertext: string }>(
      this.em,
      'select refresh_token_ciphertext from delegated_admin_tokens where organization_id = ? and delegated_admin_id = ?',
      [organizationId, delegatedAdminId],
    );
    return rows[0] ? this.cipher.decrypt(rows[0].refresh_token_ciphertext, delegatedAdminId) : null;
  }

  async delete(organizationId: string, delegatedAdminId: string): Promise<void> {
    await rawSql(this.em, 'delete from delegated_admin_tokens where organization_id = ? and delegated_admin_id = ?', [
      organizationId,
      delegatedAdminId,
    ]);
  }

  async listStale(before: Date, limit: number, after?: StaleToken): Promise<StaleToken[]> {
    const rows = await rawSql<{ organization_id: string; delegated_admin_id: string; rotated_at: Date }>(
      this.em,
      `select t.organization_id, t.delegated_admin_id, t.rotated_at from delegated_admin_tokens t
       join delegated_admins d on d.id = t.delegated_admin_id and d.organization_id = t.organization_id
       where t.rotated_at < ? and d.status = 'active' and (t.rotated_at, t.delegated_admin_id) > (?, ?)
       order by t.rotated_at, t.delegated_admin_id limit ?`,
      [before, after?.rotatedAt ?? new Date(0), after?.delegatedAdminId ?? '00000000-0000-0000-0000-000000000000', limit],
    );
    return rows.map((r) => ({ organizationId: r.organization_id, delegatedAdminId: r.delegated_admin_id, rotatedAt: r.rotated_at }));
  }
}
