import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../../../shared/application/actor';
import { Clock } from '../../../shared/application/clock';
import { Transaction } from '../../../shared/application/transaction';
import { DomainError } from '../../../shared/domain/domain-error';
import { AuditTrail } from '../../audit';
import { InvalidExclusionError, newExclusion, type Exclusion } from '../domain';
import { ExclusionsRepository, type StoredExclusion } from './ports/exclusions.repository';
import { SnapshotQueries } from './reconciliation-queries';

export type ExclusionCommand =
  | { action: 'add'; actor: Actor; tenantId?: string | null; skuId?: string | null; rule: string; spare?: number | null; reason: string }
  | { action: 'remove'; actor: Actor; exclusionId: string };

export class ExclusionNotFoundError extends DomainError {
  readonly code = 'LICENSING.EXCLUSION_NOT_FOUND';
  constructor() {
    super('This exclusion does not exist (any more).', 'It may have been removed already. The Exclusions list shows the ones in place.');
  }
}

// Adds or removes an exclusion (a discrepancy the partner expects: a free SKU, spare seats kept on purpose), audit
// logged. It takes effect from the next run; the discrepancies of the latest run stay as that run found them.
// Returns the exclusion added or removed.
@Injectable()
export class ManageExclusionsUseCase {
  constructor(
    private readonly exclusions: ExclusionsRepository,
    private readonly queries: SnapshotQueries,
    private readonly audit: AuditTrail,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  execute(command: ExclusionCommand): Promise<StoredExclusion> {
    return command.action === 'add' ? this.add(command) : this.remove(command);
  }

  private async add(command: Extract<ExclusionCommand, { action: 'add' }>): Promise<StoredExclusion> {
    const { actor } = command;
    const validated = newExclusion({
      id: randomUUID(),
      tenantId: command.tenantId,
      skuId: command.skuId,
      rule: command.rule,
      spare: command.spare ?? null,
      reason: command.reason,
    });
    // An exclusion names tenants and products the reconciliation has read: the page offers only those.
    const tenant = validated.tenantId === null ? null : await this.queries.tenant(actor.organizationId, validated.tenantId);
    if (validated.tenantId !== null && !tenant)
      throw new InvalidExclusionError(
        'That customer tenant is not among the tenants the reconciliation has read.',
        'Pick the tenant from the list.',
        'tenantId',
      );
    const product = validated.skuId === null ? null : await this.queries.product(actor.organizationId, validated.skuId);
    if (validated.skuId !== null && !product)
      throw new InvalidExclusionError(
        'That product is not among the licences the latest reconciliation read.',
        'Pick the product from the list.',
        'skuId',
      );
    // The tenant id as the runs store it (lower case), so equal scopes compare equal.
    const exclusion: Exclusion = { ...validated, tenantId: tenant?.tenantId ?? null };
    const scope = exclusionScope({ ...exclusion, companyName: tenant?.companyName ?? null, productName: product?.productName ?? null });
    return this.transaction.run(async () => {
      const existing = await this.exclusions.list(actor.organizationId);
      if (existing.some((e) => e.tenantId === exclusion.tenantId && e.skuId === exclusion.skuId && e.rule === exclusion.rule)) {
        const rule = exclusion.rule === 'ignore' ? 'Ignore' : 'Keep spare seats';
        throw new InvalidExclusionError(
          `There already is an exclusion for ${scope} with the rule “${rule}”.`,
          'Remove that one first if it should change.',
        );
      }
      const stored: StoredExclusion = { ...exclusion, createdAt: this.clock.now(), createdByName: actor.displayName };
      await this.exclusions.add(actor.organizationId, stored);
      this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: 'licensing.exclusion-added',
        subject: capitalized(scope),
        outcome: 'success',
        detail: `${ruleLabel(exclusion)}. Reason: ${exclusion.reason}`,
      });
      return stored;
    });
  }

  private async remove(command: Extract<ExclusionCommand, { action: 'remove' }>): Promise<StoredExclusion> {
    const { actor } = command;
    return this.transaction.run(async () => {
      const exclusion = await this.exclusions.find(actor.organizationId, command.exclusionId);
      if (!exclusion || !(await this.exclusions.remove(actor.organizationId, exclusion.id))) throw new ExclusionNotFoundError();
      const tenant = exclusion.tenantId === null ? null : await this.queries.tenant(actor.organizationId, exclusion.tenantId);
      const product = exclusion.skuId === null ? null : await this.queries.product(actor.organizationId, exclusion.skuId);
      const scope = exclusionScope({ ...exclusion, companyName: tenant?.companyName ?? null, productName: product?.productName ?? null });
      this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: 'licensing.exclusion-removed',
        subject: capitalized(scope),
        outcome: 'success',
        detail: `${ruleLabel(exclusion)}. Reason given when it was added: ${exclusion.reason}`,
      });
      return exclusion;
    });
  }
}

// What an exclusion applies to, in words: "Microsoft 365 E3 at Adatum Corporation", "every product at Adatum
// Corporation", "Microsoft 365 E3 at every tenant". A tenant or product no run lists any more shows by its id.
export function exclusionScope(
  exclusion: Pick<Exclusion, 'tenantId' | 'skuId'> & { companyName: string | null; productName: string | null },
): string {
  const product = exclusion.skuId === null ? 'every product' : (exclusion.productName ?? exclusion.skuId);
  const tenant = exclusion.tenantId === null ? 'every tenant' : (exclusion.companyName ?? exclusion.tenantId);
  return `${product} at ${tenant}`;
}

export function ruleLabel(exclusion: Pick<Exclusion, 'rule' | 'spare'>): string {
  if (exclusion.rule === 'ignore') return 'Ignore';
  const spare = exclusion.spare ?? 0;
  return `Keep ${spare} spare ${spare === 1 ? 'seat' : 'seats'}`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
