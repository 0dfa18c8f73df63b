// BENCH_TIMELINE=1 npm run bench:import (with BENCH_REALISTIC=1): where the import's time goes, second by second —
// Microsoft's calls and 429s per limit key (the emulator's counters), the adaptive limiter's window, requests in flight
// and waiting per key (the app's own), the read-tenant jobs pg-boss holds, and the tenants of the run by status.
// Printed per TIMELINE_STEP seconds (default 5) after the import, with the moments that bound it.
import type { INestApplication } from '@nestjs/common';
import type { Client } from 'pg';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { AdaptiveConcurrency } from '../../libs/microsoft/src';
import { MicrosoftRequestLimits } from '../../src/modules/partner-center/infrastructure/microsoft/microsoft-request-limits';
import type { RealismCounters } from './lower-bound';

interface KeySample {
  window: number;
  inFlight: number;
  waiting: number;
  paused: boolean;
}

interface Sample {
  seconds: number;
  calls: { pc: number; graphPartner: number; graphCustomers: number; other: number };
  throttled: Record<string, number>;
  pc?: KeySample;
  graphPartner?: KeySample;
  graphCustomers: { inFlight: number; waiting: number; keys: number };
  jobs: Record<string, number>;
  tenants: Record<string, number>;
  runStatus?: string;
  loopDelayP99Ms: number; // the app's event loop since the previous sample
  cpu: number; // the app process's CPU since the previous sample, in cores
  machineCpu: number; // the whole machine's (every process, other sessions too), in cores
}

// Busy and total jiffies of the machine (/proc/stat); zeros where there is none.
function machineTicks(): { busy: number; total: number } {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const values = fields.map(Number);
    const idle = values[3] + (values[4] ?? 0);
    const total = values.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

type LimiterState = { window: number; inFlight: number; waiters: unknown[]; pausedUntil: number };

export function sampleTimeline(app: INestApplication, db: Client, emulatorUrl: string) {
  const limiter = app.get(MicrosoftRequestLimits).concurrency as AdaptiveConcurrency | undefined;
  const keys = limiter ? (limiter as unknown as { keys: Map<string, LimiterState> }).keys : new Map<string, LimiterState>();
  const samples: Sample[] = [];
  const t0 = performance.now();
  let busy = false;
  const keySample = (state: LimiterState | undefined): KeySample | undefined =>
    state && { window: state.window, inFlight: state.inFlight, waiting: state.waiters.length, paused: Date.now() < state.pausedUntil };
  let partner = '';
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let cpuBefore = process.cpuUsage();
  let cpuAt = performance.now();
  let ticksBefore = machineTicks();
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void (async () => {
      const seconds = (performance.now() - t0) / 1000;
      // The partner's own directory (GDAP reads) is the busy Graph key.
      if (!partner)
        partner = (
          (await db.query<{ id: string }>(`select partner_tenant_id as id from delegated_admins limit 1`)).rows[0]?.id ?? ''
        ).toLowerCase();
      let pcState: LimiterState | undefined;
      let graphPartnerState: LimiterState | undefined;
      const graphCustomers = { inFlight: 0, waiting: 0, keys: 0 };
      for (const [key, state] of keys) {
        if (key.startsWith('partner-center|')) pcState = state;
        else if (key.startsWith(`graph|${partner}|`)) graphPartnerState = state;
        else if (state.inFlight > 0 || state.waiters.length > 0) {
          graphCustomers.inFlight += state.inFlight;
          graphCustomers.waiting += state.waiters.length;
          graphCustomers.keys++;
        }
      }
      const loopDelayP99Ms = loop.percentile(99) / 1e6;
      loop.reset();
      const cpuNow = process.cpuUsage();
      const cpu = (cpuNow.user - cpuBefore.user + cpuNow.system - cpuBefore.system) / 1000 / (performance.now() - cpuAt);
      const wall = (performance.now() - cpuAt) / 1000;
      [cpuBefore, cpuAt] = [cpuNow, performance.now()];
      const ticks = machineTicks();
      // USER_HZ is 100 on Linux: jiffies per second per core.
      const machineCpu = (ticks.busy - ticksBefore.busy) / 100 / Math.max(0.001, wall);
      ticksBefore = ticks;
      const pc = keySample(pcState);
      const graphPartner = keySample(graphPartnerState);
      const [counters, jobs, tenants] = await Promise.all([
        fetch(`${emulatorUrl}/__emulator/realism`).then((r) => r.json() as Promise<RealismCounters>),
        db.query<{ state: string; n: number }>(
          `select case when state = 'created' and start_after > now() then 'deferred' else state::text end as state, count(*)::int as n
             from pgboss.job where name = 'tenants.read-tenant' group by 1`,
        ),
        db.query<{ status: string; n: number; run_status: string }>(
          `select t.status, count(*)::int as n, min(r.status) as run_status from import_run_tenants t join import_runs r on r.id = t.run_id group by 1`,
        ),
      ]);
      const calls = { pc: 0, graphPartner: 0, graphCustomers: 0, other: 0 };
      for (const [key, n] of Object.entries(counters.callsByKey)) {
        if (key.startsWith('pc|')) calls.pc += n;
        else if (key.startsWith('graph|') && key.endsWith(`|${partner}`)) calls.graphPartner += n;
        else if (key.startsWith('graph|')) calls.graphCustomers += n;
        else calls.other += n;
      }
      samples.push({
        seconds,
        calls,
        throttled: { ...counters.throttled },
        pc,
        graphPartner,
        graphCustomers,
        jobs: Object.fromEntries(jobs.rows.map((row) => [row.state, row.n])),
        tenants: Object.fromEntries(tenants.rows.map((row) => [row.status, row.n])),
        runStatus: tenants.rows[0]?.run_status,
        loopDelayP99Ms,
        cpu,
        machineCpu,
      });
    })()
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, 500);
  return {
    stop(): Sample[] {
      clearInterval(timer);
      loop.disable();
      return samples;
    },
  };
}

const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);
const avg = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);

export function printTimeline(samples: Sample[], totalSeconds: number, step = Number(process.env.TIMELINE_STEP ?? 5)): void {
  if (samples.length === 0) return;
  const rows: Record<string, string | number>[] = [];
  let previous: Sample | undefined;
  for (let edge = step; edge < totalSeconds + step; edge += step) {
    const inside = samples.filter((s) => s.seconds > edge - step && s.seconds <= edge);
    const last = inside[inside.length - 1];
    if (!last) continue;
    const before = previous;
    rows.push({
      t: edge,
      pcCalls: last.calls.pc - (before?.calls.pc ?? 0),
      pc429: (last.throttled['partner-center per partner'] ?? 0) - (before?.throttled['partner-center per partner'] ?? 0),
      gPartnerCalls: last.calls.graphPartner - (before?.calls.graphPartner ?? 0),
      gCustCalls: last.calls.graphCustomers - (before?.calls.graphCustomers ?? 0),
      other429:
        sum(last.throttled) -
        (last.throttled['partner-center per partner'] ?? 0) -
        (before ? sum(before.throttled) - (before.throttled['partner-center per partner'] ?? 0) : 0),
      pcWin: avg(inside.map((s) => s.pc?.window ?? 0)).toFixed(1),
      pcFlight: avg(inside.map((s) => s.pc?.inFlight ?? 0)).toFixed(1),
      pcWait: avg(inside.map((s) => s.pc?.waiting ?? 0)).toFixed(0),
      pcPaused: `${Math.round(100 * avg(inside.map((s) => (s.pc?.paused ? 1 : 0))))}%`,
      gPFlight: avg(inside.map((s) => s.graphPartner?.inFlight ?? 0)).toFixed(1),
      gPWait: avg(inside.map((s) => s.graphPartner?.waiting ?? 0)).toFixed(0),
      gCFlight: avg(inside.map((s) => s.graphCustomers.inFlight)).toFixed(1),
      jobsActive: avg(inside.map((s) => s.jobs.active ?? 0)).toFixed(0),
      jobsReady: avg(inside.map((s) => s.jobs.created ?? 0)).toFixed(0),
      jobsDeferred: last.jobs.deferred ?? 0,
      pending: last.tenants.pending ?? 0,
      recording: last.tenants.recording ?? 0,
      done: last.tenants.done ?? 0,
      run: last.runStatus ?? '-',
      appCpu: avg(inside.map((s) => s.cpu)).toFixed(2),
      machineCpu: avg(inside.map((s) => s.machineCpu)).toFixed(2),
      loopP99: Math.max(...inside.map((s) => s.loopDelayP99Ms)).toFixed(0),
    });
    previous = last;
  }
  console.log('\nTimeline (per window: calls and 429s; limiter and jobs averaged over the window; tenants at its end):');
  console.table(rows);
  const first = (predicate: (s: Sample) => boolean) => samples.find(predicate)?.seconds.toFixed(1) ?? '-';
  const final = samples[samples.length - 1];
  const lastCall = samples.find((s) => sumCalls(s.calls) >= sumCalls(final.calls));
  console.log(
    [
      `first Partner Center call ${first((s) => s.calls.pc > 0)} s`,
      `listing done (run 'reading') ${first((s) => s.runStatus !== undefined && s.runStatus !== 'listing')} s`,
      `all ${sum(final.tenants)} tenants listed ${first((s) => sum(s.tenants) >= sum(final.tenants))} s`,
      `no tenant pending ${first((s) => sum(s.tenants) >= sum(final.tenants) && !(s.tenants.pending > 0))} s`,
      `last Microsoft call ≤ ${lastCall ? lastCall.seconds.toFixed(1) : '-'} s`,
      `completed ${totalSeconds.toFixed(1)} s`,
    ].join('; '),
  );
}

function sumCalls(calls: Sample['calls']): number {
  return calls.pc + calls.graphPartner + calls.graphCustomers + calls.other;
}
