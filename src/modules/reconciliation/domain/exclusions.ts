import { skuKey } from '../../../shared/domain/licence-terms';
import { InvalidExclusionError } from './reconciliation.errors';

// A partner's decision that a discrepancy is expected ("free SKU", "keep 2 spare for new starters"), with the
// reason shown next to what it silences. tenantId null: every tenant; skuId null: every SKU of the tenant.
export type ExclusionRule = 'ignore' | 'keep-spare';

export interface Exclusion {
  id: string;
  tenantId: string | null;
  skuId: string | null;
  // 'ignore' silences every discrepancy in scope except an unreadable tenant; 'keep-spare' only lowers the
  // unassigned seats that count by `spare`.
  rule: ExclusionRule;
  spare: number | null;
  reason: string;
}

export interface NewExclusionInput {
  id: string;
  tenantId?: string | null;
  skuId?: string | null;
  rule: string;
  spare?: number | null;
  reason: string;
}

export const EXCLUSION_RULES: readonly ExclusionRule[] = ['ignore', 'keep-spare'];

export function newExclusion(input: NewExclusionInput): Exclusion {
  const tenantId = blankToNull(input.tenantId);
  const skuId = blankToNull(input.skuId);
  const reason = input.reason?.trim() ?? '';
  const spare = input.spare ?? null;
  if (!input.id?.trim()) throw new InvalidExclusionError('An exclusion needs an id.');
  if (!tenantId && !skuId) {
    throw new InvalidExclusionError(
      'An exclusion must name a customer tenant, a product, or both.',
      'Pick the tenant or the product the exclusion is for.',
      'tenantId',
    );
  }
  if (!isRule(input.rule))
    throw new InvalidExclusionError(`“${input.rule}” is not a kind of exclusion.`, 'Choose “ignore” or “keep spare seats”.', 'rule');
  if (input.rule === 'keep-spare' && (spare === null || !Number.isInteger(spare) || spare < 1)) {
    throw new InvalidExclusionError(
      'Keeping spare seats needs a whole number of seats, at least 1.',
      'Enter how many unassigned seats are fine to keep, for example 2.',
      'spare',
    );
  }
  if (input.rule === 'ignore' && spare !== null) {
    throw new InvalidExclusionError(
      'An “ignore” exclusion does not take a number of spare seats.',
      'Choose “keep spare seats” to allow some unassigned seats, or leave the number empty.',
      'spare',
    );
  }
  if (!reason)
    throw new InvalidExclusionError(
      'An exclusion needs a reason.',
      'Say why, for example “free SKU” or “seats kept for new starters”.',
      'reason',
    );
  return { id: input.id.trim(), tenantId, skuId: skuId === null ? null : skuKey(skuId), rule: input.rule, spare, reason };
}

export function exclusionApplies(exclusion: Exclusion, tenantId: string, skuId: string | null): boolean {
  if (exclusion.tenantId !== null && exclusion.tenantId.trim().toLowerCase() !== tenantId.trim().toLowerCase()) return false;
  if (exclusion.skuId !== null && (skuId === null || skuKey(exclusion.skuId) !== skuKey(skuId))) return false;
  return true;
}

// The 'ignore' exclusion that silences this scope, if any (the most specific one, to show its reason).
export function ignoringExclusion(exclusions: readonly Exclusion[], tenantId: string, skuId: string | null): Exclusion | null {
  return mostSpecific(exclusions.filter((e) => e.rule === 'ignore' && exclusionApplies(e, tenantId, skuId)));
}

// The 'keep-spare' exclusion that sets the spare seats of this tenant's SKU. The most specific one wins, so
// "keep 5 spare of E3 everywhere" can be narrowed to "keep 1 at Adatum": tenant and SKU, then the tenant's
// every SKU, then the SKU at every tenant; at one level the larger number of spare seats.
export function keepSpareExclusion(exclusions: readonly Exclusion[], tenantId: string, skuId: string): Exclusion | null {
  return mostSpecific(exclusions.filter((e) => e.rule === 'keep-spare' && (e.spare ?? 0) > 0 && exclusionApplies(e, tenantId, skuId)));
}

function mostSpecific(candidates: Exclusion[]): Exclusion | null {
  const sorted = [...candidates].sort(
    (a, b) => specificity(b) - specificity(a) || (b.spare ?? 0) - (a.spare ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return sorted[0] ?? null;
}

function specificity(exclusion: Exclusion): number {
  if (exclusion.tenantId !== null && exclusion.skuId !== null) return 3;
  return exclusion.tenantId !== null ? 2 : 1;
}

function isRule(rule: string): rule is ExclusionRule {
  return (EXCLUSION_RULES as readonly string[]).includes(rule);
}

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}
