import express, { type Router } from 'express';
import { registerFaultRoutes } from '../../../emulator-kit/src';
import { runInvoice } from '../billing/invoice-run';
import type { AutotaskState } from '../state/autotask-state';
import { dayOf } from '../state/dates';
import { applySettingsPatch } from '../state/settings';

// The emulator's levers for tests and demos, never Autotask: /__autotask/…
export function registerControlRoutes(router: Router, state: AutotaskState): void {
  const json = express.json();

  router.post('/__autotask/reset', (_req, res) => {
    state.reset();
    res.json({ ok: true });
  });

  router.get('/__autotask/journal', (_req, res) => res.json(state.journal));
  router.delete('/__autotask/journal', (_req, res) => {
    state.journal = [];
    res.json({ ok: true });
  });

  registerFaultRoutes(router, '/__autotask', state.faults);

  router.get('/__autotask/settings', (_req, res) => res.json(state.settings));
  router.post('/__autotask/settings', json, (req, res) => {
    const result = applySettingsPatch(state.settings, req.body ?? {});
    if (!result.ok) return res.status(400).json({ error: result.errors.join(' ') });
    state.settings = result.settings;
    res.json(state.settings);
  });

  // {"requests": n}: n requests made now by other integrations of the same database (they share the threshold);
  // {"clear": true} empties the window.
  router.post('/__autotask/usage', json, (req, res) => {
    const body = (req.body ?? {}) as { requests?: unknown; clear?: unknown };
    if (body.clear === true) state.clearUsage();
    if (body.requests !== undefined) {
      if (typeof body.requests !== 'number' || !Number.isInteger(body.requests) || body.requests < 0)
        return res.status(400).json({ error: '"requests" must be a non-negative integer.' });
      state.countRequest(body.requests);
    }
    res.json({ used: state.usageCount(), threshold: state.settings.threshold });
  });

  // {"advanceSeconds": n}: moves the emulator clock (the threshold's rolling window uses it).
  router.post('/__autotask/clock', json, (req, res) => {
    const seconds = (req.body ?? {}).advanceSeconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0)
      return res.status(400).json({ error: '"advanceSeconds" must be a non-negative number.' });
    state.advanceClock(seconds);
    res.json({ now: new Date(state.now()).toISOString() });
  });

  // What an invoice run would bill for the period containing ?date=yyyy-mm-dd (default today), optionally for one
  // ?companyId; POST with {"date", "companyId", "post": true} also marks the periods posted.
  router.get('/__autotask/invoice-run', (req, res) => {
    try {
      res.json(
        runInvoice(state, {
          day: String(req.query.date ?? dayOf(state.now())),
          companyId: req.query.companyId === undefined ? undefined : Number(req.query.companyId),
        }),
      );
    } catch (error) {
      res.status(400).json({ error: (error as Error).message });
    }
  });
  router.post('/__autotask/invoice-run', json, (req, res) => {
    const body = (req.body ?? {}) as { date?: string; companyId?: number; post?: boolean };
    try {
      res.json(runInvoice(state, { day: body.date ?? dayOf(state.now()), companyId: body.companyId, post: body.post === true }));
    } catch (error) {
      res.status(400).json({ error: (error as Error).message });
    }
  });
}
