import type { IntegrationEvent } from '../../../shared/application/integration-event';
import { EventOutbox } from '../../../shared/application/integration-event';
import { JobQueue } from '../../../shared/application/job-queue';
import { MicrosoftUnavailableError } from '../../../shared/domain/microsoft-unavailable.error';
import { FixedClock, ImmediateTransaction } from '../../../shared/testing/fakes';
import { AuditTrail, type AuditEntryInput } from '../../audit';
import {
  CustomerAppProvisioning,
  PartnerCenterDirectory,
  type AppProvisioningResult,
  type CustomerSummary,
  type DirectorySubscriptionsRead,
  type GdapAccessSnapshot,
  type TenantLicencesSnapshot,
} from '../../partner-center';
import { TENANT_LICENCES_READ, type TenantLicencesReadPayload } from '../events';
import type { CustomerAccess } from '../domain/customer-access';
import type { ImportRun } from '../domain/import-run';
import { ImportRepository, type RunTenantStatus } from './ports/import.repository';
import { ReadTenantUseCase } from './read-tenant.use-case';
import { TenantQueries, type CustomerDetail } from './tenant-queries';

const ORG = 'org-1';
const TENANT = 'cccccccc-0000-0000-0000-000000000001';
const NOW = new Date('2026-12-07T04:00:00Z');
const SKU = {
  skuId: 'sku-1',
  skuPartNumber: 'SPB',
  productName: null,
  capabilityStatus: 'Enabled',
  activeUnits: 10,
  warningUnits: 0,
  suspendedUnits: 0,
  consumedUnits: 4,
};

// Directory reads answer in turn (the last answer repeats); Partner Center's licences are always there.
class ScriptedDirectory extends PartnerCenterDirectory {
  reads = 0;
  constructor(private readonly answers: DirectorySubscriptionsRead[]) {
    super();
  }
  // eslint-disable-next-line require-yield -- never called: this fake reads one tenant
  async *customerPages(): AsyncIterable<CustomerSummary[]> {
    throw new Error('not used');
  }
  async tenantLicences(): Promise<TenantLicencesSnapshot> {
    const directory = this.answers[Math.min(this.reads, this.answers.length - 1)];
    this.reads += 1;
    return { licences: { skus: [SKU] }, subscriptions: [], directory };
  }
  async gdapAccess(): Promise<GdapAccessSnapshot> {
    return { relationships: [], assignments: [], serviceAccountGroupIds: [] };
  }
}

class ScriptedProvisioning extends CustomerAppProvisioning {
  calls = 0;
  constructor(private readonly result: AppProvisioningResult | Error) {
    super();
  }
  async provision(): Promise<AppProvisioningResult> {
    this.calls += 1;
    if (this.result instanceof Error) throw this.result;
    return this.result;
  }
}

// Only what one tenant read touches; the rest is never called.
class RecordingImports extends ImportRepository {
  access: CustomerAccess | undefined;
  readonly run: ImportRun = {
    id: 'run-1',
    organizationId: ORG,
    delegatedAdminId: 'admin-1',
    trigger: 'manual',
    status: 'reading',
    total: 1,
    done: 0,
    failed: 0,
    error: null,
    startedAt: NOW,
    listedAt: NOW,
    finishedAt: null,
  };
  status: RunTenantStatus = 'pending';
  async findRun() {
    return this.run;
  }
  async runTenantStatus() {
    return this.status;
  }
  async markRecording() {
    if (this.status !== 'pending') return false;
    this.status = 'recording';
    return true;
  }
  async recordGdap() {}
  async recordGdapUnreadable() {}
  async recordCustomerAccess(_organizationId: string, _tenantId: string, access: CustomerAccess) {
    this.access = access;
  }
  createRun = notUsed;
  findUnfinishedRun = notUsed;
  latestRuns = notUsed;
  staleRuns = notUsed;
  heartbeat = notUsed;
  recordListedCustomers = notUsed;
  finishListing = notUsed;
  failRun = notUsed;
  pendingTenants = notUsed;
  markDone = notUsed;
  markFailed = notUsed;
  finishedRunReport = notUsed;
  retryTenant = notUsed;
  recordLicenceTotals = notUsed;
  latestRunOfTenant = notUsed;
}

function notUsed(): never {
  throw new Error('not used');
}

class Outbox extends EventOutbox {
  readonly events: IntegrationEvent<object>[] = [];
  publish(event: IntegrationEvent<object>): void {
    this.events.push(event);
  }
}

class Audit extends AuditTrail {
  readonly entries: AuditEntryInput[] = [];
  record(entry: AuditEntryInput): void {
    this.entries.push(entry);
  }
}

class NoJobs extends JobQueue {
  enqueue = notUsed;
  enqueueMany = notUsed;
  hasUnfinished = notUsed;
}

class OneTenant extends TenantQueries {
  async detail(): Promise<CustomerDetail> {
    return { companyName: 'Munson’s Pickles' } as CustomerDetail;
  }
  list = notUsed;
  page = notUsed;
  progress = notUsed;
  failedTenants = notUsed;
  summary = notUsed;
  all = notUsed;
}

const APP_MISSING: DirectorySubscriptionsRead = {
  unreadable: 'Sync 365 is not set up in this customer yet (AADSTS65001).',
  refusedBy: 'app_not_provisioned',
};
const READ: DirectorySubscriptionsRead = { subscriptions: [] };

async function readOnce(answers: DirectorySubscriptionsRead[], result: AppProvisioningResult | Error) {
  const directory = new ScriptedDirectory(answers);
  const provisioning = new ScriptedProvisioning(result);
  const imports = new RecordingImports();
  const outbox = new Outbox();
  const audit = new Audit();
  const useCase = new ReadTenantUseCase(
    directory,
    imports,
    outbox,
    new NoJobs(),
    new ImmediateTransaction(),
    new FixedClock(NOW),
    provisioning,
    audit,
    new OneTenant(),
  );
  await useCase.execute({ organizationId: ORG, runId: 'run-1', tenantId: TENANT });
  const published = outbox.events.find((event) => event.name === TENANT_LICENCES_READ)?.payload as TenantLicencesReadPayload;
  return { directory, provisioning, access: imports.access, published, audit };
}

describe('reading a tenant where the Sync 365 app is missing', () => {
  it('provisions it, reads again, records "provisioned" with the time and audits the change', async () => {
    const { directory, provisioning, access, published, audit } = await readOnce([APP_MISSING, READ], { outcome: 'provisioned' });

    expect(provisioning.calls).toBe(1);
    expect(directory.reads).toBe(2);
    expect(access).toEqual({ app: 'provisioned', provisionedAt: NOW, problem: null, problemKind: null });
    expect(published.directory).toEqual(READ);
    expect(audit.entries).toEqual([
      expect.objectContaining({ action: 'tenants.app-provisioned', subject: 'Munson’s Pickles', actorUserId: null, outcome: 'success' }),
    ]);
  });

  it('says so when Microsoft does not let Sync 365 in yet right after provisioning (propagation)', async () => {
    const { access, published } = await readOnce([APP_MISSING], { outcome: 'provisioned' });

    expect(access).toMatchObject({
      app: 'provisioned',
      provisionedAt: NOW,
      problemKind: 'app_not_provisioned',
      problem: expect.stringMatching(/added to this customer just now.*read again at the next import/),
    });
    expect(published.directory).toEqual({ unreadable: access?.problem, refusedBy: 'app_not_provisioned' });
    expect(published.skus).toEqual([SKU]);
  });

  it('records "present" when Partner Center says the app is already there and the re-read works, without auditing', async () => {
    const { access, audit } = await readOnce([APP_MISSING, READ], { outcome: 'already_present' });

    expect(access).toEqual({ app: 'present', provisionedAt: null, problem: null, problemKind: null });
    expect(audit.entries).toEqual([]);
  });

  it('keeps Partner Center’s licences and records "missing" with Partner Center’s reason when it refuses', async () => {
    const reason = 'Sync 365 is not set up in this customer yet: Partner Center refused to add it … Application Administrator …';
    const { directory, access, published } = await readOnce([APP_MISSING], { outcome: 'refused', reason });

    expect(directory.reads).toBe(1);
    expect(access).toEqual({ app: 'missing', provisionedAt: null, problem: reason, problemKind: 'app_not_provisioned' });
    expect(published.skus).toEqual([SKU]);
    expect(published.directory).toEqual({ unreadable: reason, refusedBy: 'app_not_provisioned' });
  });

  it('keeps the licences and says it will try again when Partner Center is unavailable', async () => {
    const unavailable = new MicrosoftUnavailableError('Partner Center', 'HTTP 503');
    const { access, published } = await readOnce([APP_MISSING], unavailable);

    expect(access).toMatchObject({
      app: 'missing',
      problemKind: 'app_not_provisioned',
      problem: expect.stringMatching(
        /adding it through Partner Center failed: Partner Center did not answer as expected \(HTTP 503\).*tried again at the next import/,
      ),
    });
    expect(published.skus).toEqual([SKU]);
  });
});

describe('reading a tenant Microsoft refuses for another reason', () => {
  it('marks a Conditional Access refusal on the tenant without trying to provision anything', async () => {
    const refused: DirectorySubscriptionsRead = {
      unreadable: 'This customer’s Conditional Access policy blocks sign-ins… (AADSTS53003).',
      refusedBy: 'conditional_access',
    };
    const { provisioning, access } = await readOnce([refused], { outcome: 'provisioned' });

    expect(provisioning.calls).toBe(0);
    expect(access).toEqual({ app: null, provisionedAt: null, problem: refused.unreadable, problemKind: 'conditional_access' });
  });

  it('leaves the app unknown without GDAP, and "present" when a token was issued but the read was refused', async () => {
    expect((await readOnce([{ unreadable: 'No GDAP (AADSTS50020).', refusedBy: 'no_gdap' }], { outcome: 'provisioned' })).access).toEqual({
      app: null,
      provisionedAt: null,
      problem: null,
      problemKind: null,
    });
    expect((await readOnce([{ unreadable: 'Graph 403.' }], { outcome: 'provisioned' })).access).toEqual({
      app: 'present',
      provisionedAt: null,
      problem: null,
      problemKind: null,
    });
  });
});

// Partner Center throttles every read of the tenant.
class ThrottledDirectory extends ScriptedDirectory {
  constructor() {
    super([READ]);
  }
  override async tenantLicences(): Promise<TenantLicencesSnapshot> {
    throw new MicrosoftUnavailableError('Partner Center', 'throttled: asked to wait 30 s', { retryAfterSeconds: 30 });
  }
}

class QueuedJobs extends JobQueue {
  readonly queued: { data: object; startAfterSeconds?: number }[] = [];
  async enqueue(_queue: string, data: object, options: { startAfterSeconds?: number } = {}) {
    this.queued.push({ data, startAfterSeconds: options.startAfterSeconds });
    return 'job';
  }
  enqueueMany = notUsed;
  hasUnfinished = notUsed;
}

class FailingImports extends RecordingImports {
  failedWith: string | undefined;
  constructor() {
    super();
    (this as ImportRepository).markFailed = async (_organizationId: string, _runId: string, _tenantId: string, reason: string) => {
      this.failedWith = reason;
      return false;
    };
  }
}

describe('reading a tenant Microsoft throttles', () => {
  const read = (imports: RecordingImports, jobs: QueuedJobs, job: { throttledSince?: string; attempt?: number } = {}) =>
    new ReadTenantUseCase(
      new ThrottledDirectory(),
      imports,
      new Outbox(),
      jobs,
      new ImmediateTransaction(),
      new FixedClock(NOW),
      new ScriptedProvisioning(new Error('not used')),
      new Audit(),
      new OneTenant(),
    ).execute({
      organizationId: ORG,
      runId: 'run-1',
      tenantId: TENANT,
      ...job,
    });

  it('waits Microsoft’s Retry-After and reads again, however often, without counting it as a failed attempt', async () => {
    const jobs = new QueuedJobs();
    await read(new FailingImports(), jobs, { attempt: 3, throttledSince: new Date(NOW.getTime() - 60 * 60 * 1000).toISOString() });
    expect(jobs.queued).toEqual([
      {
        data: expect.objectContaining({ attempt: 3, throttledSince: new Date(NOW.getTime() - 60 * 60 * 1000).toISOString() }),
        startAfterSeconds: 30,
      },
    ]);
  });

  it('remembers when the throttling began, and leaves the tenant for the next import after four hours of it, saying why', async () => {
    const first = new QueuedJobs();
    await read(new FailingImports(), first);
    expect(first.queued[0].data).toMatchObject({ throttledSince: NOW.toISOString() });

    const imports = new FailingImports();
    const jobs = new QueuedJobs();
    await read(imports, jobs, { throttledSince: new Date(NOW.getTime() - 4 * 60 * 60 * 1000).toISOString() });
    expect(jobs.queued).toEqual([]);
    expect(imports.failedWith).toMatch(/^Microsoft kept asking Sync 365 to wait \(throttling\) for more than 4 hours/);
  });
});

describe('a tenant read twice (a job taken for dead while it was still reading)', () => {
  it('records and publishes only the first read to finish', async () => {
    const imports = new RecordingImports();
    imports.status = 'recording';
    const outbox = new Outbox();
    const useCase = new ReadTenantUseCase(
      new ScriptedDirectory([READ]),
      imports,
      outbox,
      new NoJobs(),
      new ImmediateTransaction(),
      new FixedClock(NOW),
      new ScriptedProvisioning(new Error('not used')),
      new Audit(),
      new OneTenant(),
    );
    // The tenant was pending when this read began; another read recorded it meanwhile.
    imports.runTenantStatus = async () => 'pending';
    await useCase.execute({ organizationId: ORG, runId: 'run-1', tenantId: TENANT });
    expect(outbox.events).toEqual([]);
  });
});
