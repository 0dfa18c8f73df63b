import { RateLimiter } from '../../../emulator-kit/src';
import { FaultRegistry } from '../http/fault-registry';
import type { Realism } from '../http/realism';
import { IdentityState, type PersistedIdentityState } from '../identity/identity-state';
import type { SigningKey } from '../identity/signing-key';
import { graphConsent, provisionApp } from '../scenario/application-consents';
import { demoScenario } from '../scenario/demo.scenario';
import type { AppRegistration, Scenario, Tenant, User } from '../scenario/scenario';
import { generateScenario } from '../scenario/scenario-generator';
import type { EmulatorSettings } from './emulator-settings';
import { readStateFile, writeStateFile } from './state-file';
import { advanceCommerce } from './subscription-changes';
import { World } from './world';

// Where the loaded scenario came from, so it can be rebuilt for `reset` after a restart.
export type ScenarioSource = { kind: 'options' } | { kind: 'demo' } | { kind: 'generate'; customers: number; seed: number };

export interface EmulatorStateOptions {
  scenario: Scenario;
  apps: AppRegistration[];
  signingKey: SigningKey;
  dataDir?: string;
  now: () => number;
  refreshTokenInactivitySeconds: number;
  settings: EmulatorSettings;
}

interface PersistedState {
  version: 1;
  clockOffsetMs: number;
  identity: PersistedIdentityState;
}

// The scenario file never holds passwords: users come back from the scenario's source.
interface PersistedScenario {
  version: 1;
  source: ScenarioSource;
  scenario: Omit<Scenario, 'users'>;
}

const STATE_FILE = 'state.json';
const SCENARIO_FILE = 'scenario.json';

// The one object every emulator area reads and changes. Each area keeps its own part: `identity`
// (grants, tokens, sessions), `world` (the scenario and its indexes), throttling and faults.
export class EmulatorState {
  private readonly dirty = new Set<string>();
  private flushTimer?: NodeJS.Timeout;
  baseUrl = '';
  world: World;
  settings: EmulatorSettings;
  readonly apps: AppRegistration[];
  readonly signingKey: SigningKey;
  readonly refreshTokenInactivityMs: number;
  readonly identity = new IdentityState();
  readonly requestCounts = new Map<string, number>();
  readonly throttle = new RateLimiter();
  readonly faults = new FaultRegistry();
  graphThrottledResponses = 0;
  // The benchmarks' realistic Microsoft (latency, documented throttling); null: the tests' simple windows.
  realism: Realism | null = null;
  private source: ScenarioSource = { kind: 'options' };
  private baseScenario: Scenario;
  private clockOffsetMs = 0;
  // When the next renewal or pending subscription change is due on the emulator clock (undefined: not known).
  private commerceDueAt?: number;

  constructor(private readonly options: EmulatorStateOptions) {
    this.apps = options.apps;
    this.signingKey = options.signingKey;
    this.refreshTokenInactivityMs = options.refreshTokenInactivitySeconds * 1000;
    this.settings = structuredClone(options.settings);
    this.baseScenario = options.scenario;
    const persisted = options.dataDir ? readStateFile<PersistedState>(options.dataDir, STATE_FILE) : undefined;
    if (persisted) {
      this.clockOffsetMs = persisted.clockOffsetMs ?? 0;
      this.identity.restore(persisted.identity);
    }
    const persistedScenario = options.dataDir ? readStateFile<PersistedScenario>(options.dataDir, SCENARIO_FILE) : undefined;
    // Restored only when it still belongs to what was started (a restart with another scenario starts over).
    const restorable =
      persistedScenario?.version === 1 &&
      (persistedScenario.source.kind !== 'options' || persistedScenario.scenario.name === options.scenario.name);
    if (persistedScenario && restorable) {
      this.source = persistedScenario.source;
      this.baseScenario = this.scenarioFrom(persistedScenario.source);
      this.world = new World({ ...persistedScenario.scenario, users: this.baseScenario.users });
      this.provisionAppsInLegacyCustomers();
    } else {
      this.world = new World(structuredClone(this.baseScenario));
    }
  }

  // The scenario being served (changes with PATCHes and control-API mutations).
  get scenario(): Scenario {
    return this.world.scenario;
  }

  now(): number {
    return this.options.now() + this.clockOffsetMs;
  }

  advanceClock(seconds: number): void {
    this.clockOffsetMs += seconds * 1000;
    this.persist();
  }

  // Back to the loaded scenario, default settings, no faults, no tokens, no history.
  reset(): void {
    this.world = new World(structuredClone(this.baseScenario));
    this.settings = structuredClone(this.options.settings);
    this.identity.clear();
    this.requestCounts.clear();
    this.throttle.clear();
    this.realism?.reset();
    this.faults.clear();
    this.graphThrottledResponses = 0;
    this.clockOffsetMs = 0;
    this.commerceDueAt = undefined;
    this.persist();
    this.persistScenario();
  }

  // POST /__emulator/scenario: another world, then a reset.
  loadScenario(source: ScenarioSource): void {
    this.source = source;
    this.baseScenario = this.scenarioFrom(source);
    this.reset();
  }

  scenarioSummary(): Record<string, unknown> {
    const { scenario } = this.world;
    return {
      name: scenario.name,
      source: this.source,
      partners: scenario.tenants.map((tenant) => ({
        id: tenant.id,
        displayName: tenant.displayName,
        partnerType: tenant.partnerType,
        customers: this.world.customersOf(tenant.id).byName.length,
      })),
      customers: scenario.customers.length,
      gdapRelationships: scenario.gdapRelationships.length,
    };
  }

  // Renews the terms and completes the pending (202) changes that the clock has reached (FACTS §7a.4–5). Cheap
  // when nothing is due: the next due moment is remembered until the scenario changes.
  settleCommerce(): void {
    const now = this.now();
    if (this.commerceDueAt !== undefined && now < this.commerceDueAt) return;
    const { changed, nextDueAt } = advanceCommerce(this.world.scenario.customers ?? [], now);
    if (changed) this.persistScenario();
    this.commerceDueAt = nextDueAt;
  }

  // After a change to scenario data: reindex if records were added or removed, and persist.
  scenarioChanged(options: { structural?: boolean } = {}): void {
    this.commerceDueAt = undefined;
    if (options.structural) this.world.reindex();
    this.persistScenario();
  }

  // Changes are written together shortly after they happen (and at close): every token request changes the
  // identity state, and writing the whole file each time would make a large import quadratic in disk writes.
  persist(): void {
    if (!this.options.dataDir) return;
    this.dirty.add(STATE_FILE);
    this.flushTimer ??= setTimeout(() => this.flush(), 200);
  }

  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (!this.options.dataDir) return;
    if (this.dirty.has(STATE_FILE)) {
      const state: PersistedState = { version: 1, clockOffsetMs: this.clockOffsetMs, identity: this.identity.toPersisted() };
      writeStateFile(this.options.dataDir, state, STATE_FILE);
    }
    if (this.dirty.has(SCENARIO_FILE)) {
      const { users: _users, ...scenario } = this.world.scenario;
      const persisted: PersistedScenario = { version: 1, source: this.source, scenario };
      writeStateFile(this.options.dataDir, persisted, SCENARIO_FILE);
    }
    this.dirty.clear();
  }

  findApp(clientId: string): AppRegistration | undefined {
    return this.apps.find((app) => app.clientId.toLowerCase() === clientId.toLowerCase());
  }

  // Partner directories and customer directories alike.
  findTenantById(id: string): Tenant | undefined {
    return this.world.tenant(id);
  }

  findUserById(id: string): User | undefined {
    return this.world.user(id);
  }

  findUserByUpn(upn: string): User | undefined {
    return this.world.userByUpn(upn);
  }

  // A scenario saved before the emulator modelled app provisioning has customers without `applicationConsents`:
  // that emulator took every registered app as present in every customer, so they keep it.
  private provisionAppsInLegacyCustomers(): void {
    const legacy = this.world.scenario.customers.filter((customer) => customer.applicationConsents === undefined);
    for (const customer of legacy) {
      for (const app of this.apps) provisionApp(customer, graphConsent(app.clientId, app.displayName, customer.createdDateTime));
    }
    if (legacy.length > 0) this.persistScenario();
  }

  private persistScenario(): void {
    if (!this.options.dataDir) return;
    this.dirty.add(SCENARIO_FILE);
    this.flushTimer ??= setTimeout(() => this.flush(), 200);
  }

  private scenarioFrom(source: ScenarioSource): Scenario {
    switch (source.kind) {
      case 'demo':
        return demoScenario({ now: this.now() });
      case 'generate':
        return generateScenario({ customers: source.customers, seed: source.seed, now: this.now() });
      default:
        return this.options.scenario;
    }
  }
}
