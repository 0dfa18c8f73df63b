import { CHANGE_KIND_LABELS, statusLabelOf, type ChangeRequest } from './change-request';
import { dayLabel, dayRangeLabel, plural } from './change-rules';

// The partner's email-ready digest of the licence portal: what waits for a decision, and what was decided or
// completed in the period, as plain text (to paste into an email) with the same lines for a page.
export interface RequestSummary {
  subject: string;
  waiting: string[];
  decided: string[];
  text: string;
}

export function requestSummary(requests: ChangeRequest[], period: { partnerName: string; since: Date; until: Date }): RequestSummary {
  const inPeriod = (date: Date | null) =>
    date !== null && date.getTime() >= period.since.getTime() && date.getTime() <= period.until.getTime();
  const byTime = (a: ChangeRequest, b: ChangeRequest) => a.requestedAt.getTime() - b.requestedAt.getTime() || (a.id < b.id ? -1 : 1);
  const waiting = requests
    .filter((r) => r.status === 'pending')
    .sort(byTime)
    .map(waitingLine);
  const decided = requests
    .filter((r) => r.status !== 'pending' && (inPeriod(r.decidedAt) || inPeriod(r.completedAt)))
    .sort(byTime)
    .map(decidedLine);
  const range = dayRangeLabel(period.since, period.until);
  const subject = `Licence portal: ${plural(waiting.length, 'request')} waiting, ${plural(decided.length, 'decision')} (${range})`;
  const text = [
    `Licence portal summary for ${period.partnerName}, ${range}`,
    '',
    `Waiting for your decision (${waiting.length})`,
    ...(waiting.length ? waiting.map((line) => `- ${line}`) : ['- Nothing is waiting.']),
    '',
    `Decided or completed (${decided.length})`,
    ...(decided.length ? decided.map((line) => `- ${line}`) : ['- Nothing was decided in this period.']),
    '',
  ].join('\n');
  return { subject, waiting, decided, text };
}

function describe(request: ChangeRequest): string {
  return `${request.tenantName} — ${request.subscriptionName}: ${CHANGE_KIND_LABELS[request.kind].toLowerCase()}, ${request.fromQuantity} → ${request.toQuantity}`;
}

function waitingLine(request: ChangeRequest): string {
  return `${describe(request)}. Requested by ${request.requestedBy.name} on ${dayLabel(request.requestedAt)}.`;
}

function decidedLine(request: ChangeRequest): string {
  const by = request.decidedBy ? ` by ${request.decidedBy.name}` : '';
  const on = request.decidedAt ? ` on ${dayLabel(request.decidedAt)}` : '';
  const comment = request.decisionComment ? ` Comment: “${request.decisionComment}”` : '';
  const outcome = request.status === 'rejected' ? `Rejected${by}${on}.` : `${statusLabelOf(request)} (approved${by}${on}).`;
  const result = request.result ? ` ${request.result}` : '';
  return `${describe(request)}. ${outcome}${result}${comment}`;
}
