import { escapeHtml } from '../../http/html';

// response_mode=form_post: the same auto-submitting page Microsoft returns, including the
// <noscript> button for browsers without JavaScript.
export function formPostPage(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}" />`)
    .join('');
  return (
    `<html><head><title>Working...</title></head><body data-page="form-post">` +
    `<form method="POST" name="hiddenform" action="${escapeHtml(action)}">${inputs}` +
    `<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript>` +
    `</form><script language="javascript">document.forms[0].submit();</script></body></html>`
  );
}
