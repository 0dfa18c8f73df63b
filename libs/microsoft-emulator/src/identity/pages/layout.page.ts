import { escapeHtml } from '../../http/html';
import { DEMO_MFA_CODE, DEMO_PASSWORD } from '../../scenario/demo.scenario';

export interface LayoutOptions {
  title: string;
  page: string; // data-page, lets tests and helpers tell the pages apart
  body: string;
}

// Microsoft-like look with inline styles only: no external assets, works without JavaScript.
export function layoutPage({ title, page, body }: LayoutOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font-family: "Segoe UI", "Helvetica Neue", Arial, sans-serif; background: #f2f2f2; color: #1b1b1b; }
  .emulator-banner { background: #fff4ce; border-bottom: 1px solid #e0c45c; padding: 8px 16px; font-size: 13px; text-align: center; }
  .card { width: 440px; max-width: calc(100% - 32px); margin: 48px auto; background: #fff; padding: 44px; box-shadow: 0 2px 6px rgba(0,0,0,.2); }
  .logo { display: grid; grid-template-columns: 10px 10px; gap: 2px; margin-bottom: 16px; }
  .logo span { width: 10px; height: 10px; display: block; }
  .logo-wordmark { display: flex; align-items: center; gap: 8px; font-size: 15px; color: #5e5e5e; margin-bottom: 16px; }
  .logo-wordmark .logo { margin: 0; }
  h1 { font-size: 24px; font-weight: 600; margin: 0 0 16px; }
  .identity { font-size: 15px; margin-bottom: 12px; color: #1b1b1b; }
  label { display: block; font-size: 13px; color: #5e5e5e; margin-top: 12px; }
  input[type=text], input[type=email], input[type=password] { width: 100%; font-size: 15px; padding: 6px 0; border: 0; border-bottom: 1px solid #666; outline: none; background: transparent; }
  input:focus { border-bottom-color: #0067b8; }
  .error { color: #e81123; font-size: 15px; margin: 8px 0; }
  .actions { display: flex; justify-content: flex-end; gap: 8px; margin-top: 24px; }
  button { font-size: 15px; min-width: 108px; padding: 6px 12px; border: 1px solid transparent; cursor: pointer; }
  button.primary { background: #0067b8; color: #fff; }
  button.secondary { background: #ccc; color: #000; }
  ul.permissions { padding-left: 20px; }
  ul.permissions li { margin: 6px 0; }
  .small { font-size: 13px; color: #5e5e5e; }
  .account { display: block; width: 100%; text-align: left; background: #fff; border: 0; border-bottom: 1px solid #eee; padding: 12px 4px; }
  .account:hover { background: #f2f2f2; }
  .account .upn { display: block; font-size: 13px; color: #5e5e5e; }
  dl.details { font-size: 13px; color: #5e5e5e; }
  dl.details dt { font-weight: 600; }
</style>
</head>
<body data-page="${escapeHtml(page)}">
<div class="emulator-banner" role="note">Local Microsoft emulator — not Microsoft. Demo password ${escapeHtml(DEMO_PASSWORD)}, MFA code ${escapeHtml(DEMO_MFA_CODE)}</div>
<main class="card">
<div class="logo-wordmark"><div class="logo" aria-hidden="true"><span style="background:#f25022"></span><span style="background:#7fba00"></span><span style="background:#00a4ef"></span><span style="background:#ffb900"></span></div>Microsoft</div>
${body}
</main>
</body>
</html>`;
}

export function errorBlock(error: string | undefined): string {
  return error ? `<div id="error" class="error" role="alert">${escapeHtml(error)}</div>` : '';
}

export function hiddenFlowField(flowId: string): string {
  return `<input type="hidden" name="flow" value="${escapeHtml(flowId)}">`;
}
