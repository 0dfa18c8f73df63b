import express, { type Router } from 'express';
import { registerFaultRoutes } from '../../../emulator-kit/src';
import { runInvoices } from '../billing/invoice-run';
import { connectWiseDemoScenario } from '../scenario/demo.scenario';
import type { ConnectWiseEmulatorState } from '../state/emulator-state';
import { applySettingsPatch } from '../state/settings';

// Test-only levers under /__emulator (never part of ConnectWise's surface, no credentials).
export function registerControlRoutes(router: Router, state: ConnectWiseEmulatorState): void {
  const json = express.json();

  router.post('/__emulator/reset', json, (req, res) => {
    const scenario = (req.body as { scenario?: unknown } | undefined)?.scenario;
    if (scenario !== undefined && scenario !== 'demo')
      return res.status(400).json({ error: 'Only {"scenario":"demo"} can be loaded by name.' });
    state.reset(scenario === 'demo' ? connectWiseDemoScenario({ now: state.now() }) : undefined);
    res.json({ ok: true });
  });

  router.get('/__emulator/journal', (req, res) => {
    const since = Number(req.query.since ?? 0) || 0;
    res.json(req.query.applied === 'true' ? state.journal.applied(since) : state.journal.list(since));
  });
  router.delete('/__emulator/journal', (_req, res) => {
    state.journal.clear();
    res.json({ ok: true });
  });

  router.get('/__emulator/requests', (_req, res) => res.json(Object.fromEntries(state.requestCounts)));

  router.get('/__emulator/settings', (_req, res) => res.json(state.settings));
  router.post('/__emulator/settings', json, (req, res) => {
    const result = applySettingsPatch(state.settings, req.body ?? {});
    if (!result.ok) return res.status(400).json({ error: result.errors.join(' ') });
    state.settings = result.settings;
    res.json(state.settings);
  });

  registerFaultRoutes(router, '/__emulator', state.faults);

  // {"invoiceDate":"2027-01-01","agreementIds"?:[…]} → the invoices with their lines.
  router.post('/__emulator/invoice-run', json, (req, res) => {
    const body = (req.body ?? {}) as { invoiceDate?: unknown; agreementIds?: unknown };
    if (body.invoiceDate !== undefined && (typeof body.invoiceDate !== 'string' || Number.isNaN(Date.parse(body.invoiceDate)))) {
      return res.status(400).json({ error: '"invoiceDate" must be a date, e.g. "2027-01-01".' });
    }
    if (body.agreementIds !== undefined && (!Array.isArray(body.agreementIds) || !body.agreementIds.every((id) => Number.isInteger(id)))) {
      return res.status(400).json({ error: '"agreementIds" must be a list of agreement ids.' });
    }
    res.json(
      runInvoices(state, { invoiceDate: body.invoiceDate as string | undefined, agreementIds: body.agreementIds as number[] | undefined }),
    );
  });
  router.get('/__emulator/invoice-runs', (_req, res) => res.json(state.invoiceRuns));

  router.get('/__emulator/clock', (_req, res) => res.json({ now: new Date(state.now()).toISOString() }));
  router.post('/__emulator/clock', json, (req, res) => {
    const body = (req.body ?? {}) as { advanceSeconds?: unknown; advanceDays?: unknown };
    const seconds = typeof body.advanceDays === 'number' ? body.advanceDays * 86_400 : body.advanceSeconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0)
      return res.status(400).json({ error: 'Body must be {"advanceSeconds": n} or {"advanceDays": n}.' });
    state.advanceClock(seconds * 1000);
    res.json({ now: new Date(state.now()).toISOString() });
  });

  // Change an agreement as a person would in ConnectWise: {"prorateFlag"?, "agreementStatus"?}.
  router.patch('/__emulator/agreements/:id', json, (req, res) => {
    const agreement = state.agreement(Number(req.params.id));
    if (!agreement) return res.status(404).json({ error: `No agreement ${String(req.params.id)}.` });
    const body = (req.body ?? {}) as { prorateFlag?: unknown; agreementStatus?: unknown };
    if (body.prorateFlag !== undefined) {
      if (typeof body.prorateFlag !== 'boolean') return res.status(400).json({ error: '"prorateFlag" must be true or false.' });
      agreement.prorateFlag = body.prorateFlag;
    }
    if (body.agreementStatus !== undefined) {
      if (!['Active', 'Cancelled', 'Expired', 'Inactive'].includes(String(body.agreementStatus)))
        return res.status(400).json({ error: '"agreementStatus" must be Active, Cancelled, Expired or Inactive.' });
      agreement.agreementStatus = body.agreementStatus as typeof agreement.agreementStatus;
      agreement.cancelledFlag = agreement.agreementStatus === 'Cancelled';
    }
    state.persist();
    res.json(agreement);
  });
}
