import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { Transaction } from '../../../shared/application/transaction';
import { AuditTrail } from '../../audit';
import type { BillingSettings } from '../domain/approval';
import {
  BillingProfileExistsError,
  BillingProfileNotFoundError,
  CustomerTenantNotFoundError,
  InvalidBillingInputError,
} from '../domain/billing.errors';
import {
  billingProfile,
  chargeLabel,
  quantityRuleLabel,
  termLabel,
  type BillingProfile,
  type ProfileInput,
} from '../domain/billing-profile';
import { isCurrencyCode, isDecimalText, money, priceText } from '../domain/money';
import { BillableLicences } from './ports/billable-licences.port';
import { BillingRepository, type StoredProfile } from './ports/billing.repository';
import { RecomputeBillingUseCase } from './recompute-billing.use-case';
import { type ActingParty } from '../../../shared/application/actor';

export interface SettingsInput {
  currency?: string;
  autoApproveIncreases?: boolean | string;
  approvalThreshold?: string;
}

// Profiles (organization defaults and customer overrides) and the billing settings, each change audited; the
// previews and approvals follow at once.
@Injectable()
export class ManageBillingUseCase {
  constructor(
    private readonly billing: BillingRepository,
    private readonly licences: BillableLicences,
    private readonly recompute: RecomputeBillingUseCase,
    private readonly audit: AuditTrail,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  async saveProfile(actor: ActingParty, input: ProfileInput, profileId?: string): Promise<StoredProfile> {
    const existing = profileId === undefined ? null : await this.billing.profile(actor.organizationId, profileId);
    if (profileId !== undefined && !existing) throw new BillingProfileNotFoundError();
    const profile = billingProfile(existing?.id ?? randomUUID(), input);
    const customer = profile.tenantId === null ? null : await this.licences.customer(actor.organizationId, profile.tenantId);
    if (profile.tenantId !== null && !customer)
      throw new InvalidBillingInputError(
        'That customer tenant is not one of your customers.',
        'Pick the customer from the list, or leave it empty for the default.',
        'tenantId',
      );
    return this.transaction.run(async () => {
      const now = this.clock.now();
      if (!(await this.billing.saveProfile(actor.organizationId, profile, now, actor.name)))
        throw new BillingProfileExistsError(scopeWords(profile, customer?.companyName ?? null));
      this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorName: actor.name,
        action: existing ? 'billing.profile-changed' : 'billing.profile-created',
        subject: `${profile.productName} (${scopeWords(profile, customer?.companyName ?? null)})`,
        outcome: 'success',
        detail: profileWords(profile),
      });
      await this.recompute.execute(actor.organizationId, { newlyMapped: [profile.skuId] });
      return { ...profile, updatedAt: now, updatedByName: actor.name };
    });
  }

  async removeProfile(actor: ActingParty, profileId: string): Promise<StoredProfile> {
    return this.transaction.run(async () => {
      const profile = await this.billing.profile(actor.organizationId, profileId);
      if (!profile || !(await this.billing.deleteProfile(actor.organizationId, profile.id))) throw new BillingProfileNotFoundError();
      const customer = profile.tenantId === null ? null : await this.licences.customer(actor.organizationId, profile.tenantId);
      this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorName: actor.name,
        action: 'billing.profile-removed',
        subject: `${profile.productName} (${scopeWords(profile, customer?.companyName ?? null)})`,
        outcome: 'success',
      });
      await this.recompute.execute(actor.organizationId);
      return profile;
    });
  }

  async saveSettings(actor: ActingParty, input: SettingsInput): Promise<BillingSettings> {
    const current = await this.billing.settings(actor.organizationId);
    const currency = (input.currency ?? current.currency).trim().toUpperCase();
    if (!isCurrencyCode(currency))
      throw new InvalidBillingInputError(
        'The currency must be a three-letter ISO 4217 code such as EUR, USD or GBP.',
        'Type the code of the currency you invoice in.',
        'currency',
      );
    const thresholdText = (input.approvalThreshold ?? current.approvalThreshold.toFixed(2)).trim() || '0';
    if (!isDecimalText(thresholdText) || money(thresholdText).isNegative()) {
      throw new InvalidBillingInputError(
        'The approval threshold must be an amount of 0 or more, such as 25.00.',
        'Use 0 to have every decrease and new line approved.',
        'approvalThreshold',
      );
    }
    const auto = input.autoApproveIncreases;
    const settings: BillingSettings = {
      currency,
      autoApproveIncreases: auto === undefined ? current.autoApproveIncreases : auto === true || auto === 'true' || auto === 'on',
      approvalThreshold: money(thresholdText),
    };
    return this.transaction.run(async () => {
      await this.billing.saveSettings(actor.organizationId, settings, this.clock.now(), actor.name);
      this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorName: actor.name,
        action: 'billing.settings-changed',
        subject: 'Billing settings',
        outcome: 'success',
        detail: `Currency ${settings.currency}; increases ${settings.autoApproveIncreases ? 'apply automatically' : 'need approval'}; approval threshold ${settings.approvalThreshold.toFixed(2)}`,
      });
      await this.recompute.execute(actor.organizationId);
      return settings;
    });
  }

  // Whether anyone has priced anything yet (the demo seeder leaves an organization alone once it has).
  async isSetUp(organizationId: string): Promise<boolean> {
    const settings = await this.billing.settings(organizationId);
    const profiles = await this.billing.profiles(organizationId);
    return settings.baselineRecordedAt !== null || profiles.length > 0;
  }

  // The customer a profile is for must be one of the organization's (a page or API giving another id gets 404).
  async assertCustomer(organizationId: string, tenantId: string): Promise<void> {
    if (!(await this.licences.customer(organizationId, tenantId))) throw new CustomerTenantNotFoundError();
  }
}

export function scopeWords(
  profile: Pick<BillingProfile, 'tenantId' | 'termDuration' | 'billingCycle'>,
  companyName: string | null,
): string {
  const who = profile.tenantId === null ? 'every customer' : (companyName ?? profile.tenantId);
  const term =
    profile.termDuration === null && profile.billingCycle === null
      ? ''
      : `, ${termLabel(profile.termDuration)}${profile.billingCycle ? ` billed ${profile.billingCycle}` : ''}`;
  return `${who}${term}`;
}

export function profileWords(profile: BillingProfile): string {
  const price =
    profile.priceKind === 'fixed'
      ? profile.unitPrice === null
        ? 'no price'
        : `${priceText(profile.unitPrice)} per seat`
      : `cost ${profile.markupPercent?.isNegative() ? '−' : '+'} ${profile.markupPercent?.abs().toString()} %${profile.unitCost ? ` (cost ${priceText(profile.unitCost)})` : ''}`;
  const extras = [
    profile.includedQuantity > 0 ? `${profile.includedQuantity} included` : '',
    profile.minimumQuantity > 0 ? `minimum ${profile.minimumQuantity}` : '',
  ].filter(Boolean);
  return [chargeLabel(profile.charge), price, quantityRuleLabel(profile.quantityRule), ...extras].join('; ');
}
