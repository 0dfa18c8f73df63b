// The pure heart of the daily licensing reconciliation: one run's picture of the tenants, what changed since the
// previous run, what is wrong now (minus what exclusions silence), and the calendar of runs and month ends.
export * from './picture';
export * from './changes';
export * from './discrepancies';
export * from './exclusions';
export * from './month-end';
export * from './reconciliation.errors';
