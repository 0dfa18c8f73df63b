import { escapeHtml } from '../../http/html';
import { layoutPage } from './layout.page';

export interface ErrorPageModel {
  code: number;
  message: string;
  traceId: string;
  correlationId: string;
  timestamp: string;
}

// Errors Microsoft shows to the user instead of redirecting (unknown app, unregistered redirect URI...).
export function errorPage(model: ErrorPageModel): string {
  return layoutPage({
    title: 'Sign in to your account',
    page: 'error',
    body: `
<h1>Sign in</h1>
<p>Sorry, but we’re having trouble signing you in.</p>
<div id="error" class="error" role="alert">AADSTS${model.code}: ${escapeHtml(model.message)}</div>
<dl class="details">
  <dt>Request Id</dt><dd>${escapeHtml(model.traceId)}</dd>
  <dt>Correlation Id</dt><dd>${escapeHtml(model.correlationId)}</dd>
  <dt>Timestamp</dt><dd>${escapeHtml(model.timestamp)}</dd>
</dl>`,
  });
}
