import express, { type Router } from 'express';
import { applySettingsPatch } from '../state/emulator-settings';
import type { EmulatorState } from '../state/emulator-state';

// Fault injection and behaviour switches (throttle limits, links.next form, MFA refusal form).
export function registerFaultControlRoutes(router: Router, state: EmulatorState): void {
  const json = express.json();

  router.get('/__emulator/faults', (_req, res) => {
    res.json(state.faults.list());
  });

  router.post('/__emulator/faults', json, (req, res) => {
    const added = state.faults.add(req.body);
    if (!added.ok) return res.status(400).json({ error: added.errors.join(' ') });
    res.status(201).json(added.rule);
  });

  router.delete('/__emulator/faults', (_req, res) => {
    state.faults.clear();
    res.json({ ok: true });
  });

  router.delete('/__emulator/faults/:id', (req, res) => {
    if (!state.faults.remove(String(req.params.id))) return res.status(404).json({ error: `No fault ${String(req.params.id)}.` });
    res.json({ ok: true });
  });

  router.get('/__emulator/settings', (_req, res) => {
    res.json(state.settings);
  });

  // A partial patch, e.g. {"partnerCenter":{"throttle":{"limit":5}},"graph":{"throttle":{"limit":3}}}.
  router.post('/__emulator/settings', json, (req, res) => {
    const result = applySettingsPatch(state.settings, req.body ?? {});
    if (!result.ok) return res.status(400).json({ error: result.errors.join(' ') });
    state.settings = result.settings;
    res.json(state.settings);
  });
}
