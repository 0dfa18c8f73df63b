import { Injectable } from '@nestjs/common';
import type { AlertCondition } from '../domain/alert-facts';

// The extension point for conditions other modules know about (a SKU with no billing profile, a PSA sync that
// failed): such a module imports AlertsModule's door and registers a source when it starts
// (`onModuleInit() { sources.register(this) }`); every evaluation then asks it. Its conditions use the rule ids
// 'sku-without-billing-profile' / 'psa-sync-failed' and stable keys; the rule settings and mutes apply to them.
export interface AlertConditionSource {
  readonly name: string;
  conditionsOf(organizationId: string): Promise<AlertCondition[]>;
}

@Injectable()
export class AlertConditionSources {
  private readonly sources: AlertConditionSource[] = [];

  register(source: AlertConditionSource): void {
    if (!this.sources.includes(source)) this.sources.push(source);
  }

  async conditionsOf(organizationId: string): Promise<AlertCondition[]> {
    const all = await Promise.all(this.sources.map((source) => source.conditionsOf(organizationId)));
    return all.flat();
  }
}
