import express, { type Router } from 'express';
import { registerFaultRoutes } from '../../../emulator-kit/src';
import { applySettingsPatch } from '../state/emulator-settings';
import type { EmulatorState } from '../state/emulator-state';

// Fault injection and behaviour switches (throttle limits, links.next form, MFA refusal form).
export function registerFaultControlRoutes(router: Router, state: EmulatorState): void {
  const json = express.json();

  registerFaultRoutes(router, '/__emulator', state.faults);

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
