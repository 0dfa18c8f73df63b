import type { Router } from 'express';
import type { AutotaskState } from '../state/autotask-state';
import { sendErrors } from '../http/autotask-errors';

// GET /V1.0/ZoneInformation?user=… [ATSW][KT]: no credentials, not counted, not thread-limited [ATTHR]. The answer
// is camelCase with `url` ending in a slash, as apigrate/autotask-restapi and KT read it. An unknown user answers
// 500 (assumed: KT reports only that the call fails, "E-mail address might be incorrect").
export function registerZoneRoutes(router: Pick<Router, 'get'>, state: AutotaskState): void {
  router.get('/V1.0/ZoneInformation', (req, res) => {
    const userName = typeof req.query.user === 'string' ? req.query.user : '';
    if (!userName) return sendErrors(res, 500, 'The user parameter is required.');
    if (!state.apiUser(userName)) return sendErrors(res, 500, `Zone information could not be determined for user ${userName}.`);
    res.json({ zoneName: state.scenario.zone.zoneName, url: `${state.zoneUrl}/`, webUrl: `${state.baseUrl}/`, ci: state.scenario.zone.ci });
  });
}

// GET /V1.0/ThresholdInformation [ATTHR]: counted like any other call (assumed; Autotask does not say it is exempt).
export function registerThresholdRoutes(router: Pick<Router, 'get'>, state: AutotaskState): void {
  router.get('/V1.0/ThresholdInformation', (_req, res) => {
    res.json({
      externalRequestThreshold: state.settings.threshold,
      requestThresholdTimeframe: state.settings.timeframeMinutes,
      currentTimeframeRequestCount: state.usageCount(),
    });
  });
}
