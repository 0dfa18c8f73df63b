// Progressive enhancement only: every page works without this file.
document.addEventListener('click', (event) => {
  const flash = event.target.closest('.flash[role="status"]');
  // A link inside it must still be followed (a removed link does not navigate).
  if (flash && !event.target.closest('a, button')) flash.remove();
});

// The import banner: "Updating tenants… N of M" while an import runs, updated without a reload, gone when it
// ends (the Customers page then reloads once to show what the import read; elsewhere a notice links to it).
// After consent, Run now or Refresh now the page arrives with the banner already shown (data-import-expected:
// when the import was asked for), because the import's run may only be created a moment after the redirect.
(function importBanner() {
  const banner = document.getElementById('import-banner');
  if (!banner) return;
  const expectedSince = banner.dataset.importExpected ? Date.parse(banner.dataset.importExpected) : NaN;
  let expecting = !Number.isNaN(expectedSince);
  let wasRunning = false;
  let firstFinishedAt;
  let failed = 0;
  let waited = 0;
  function finished() {
    banner.hidden = true;
    if (location.pathname === '/customers') {
      location.reload();
      return;
    }
    const notice = document.createElement('div');
    notice.className = 'flash flash--success';
    notice.setAttribute('role', 'status');
    notice.id = 'import-finished';
    notice.append(`The import has finished${failed > 0 ? ` (${failed} could not be read)` : ''}. `);
    const link = document.createElement('a');
    // On Licensing the reconciliation of what was read follows the import; elsewhere, the customers it read.
    const licensing = location.pathname === '/licensing';
    link.href = licensing ? '/licensing' : '/customers';
    link.textContent = licensing ? 'Show the reconciliation' : 'Show the imported customers';
    notice.append(link);
    const main = document.getElementById('main');
    if (main) main.prepend(notice);
  }
  async function poll() {
    let delay = expecting ? 1500 : 10000;
    try {
      const response = await fetch('/api/v1/import-runs/current', { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (response.ok) {
        const progress = await response.json();
        const finishedAt = progress.lastFinishedAt ? Date.parse(progress.lastFinishedAt) : 0;
        if (firstFinishedAt === undefined) firstFinishedAt = finishedAt;
        if (progress.running) {
          banner.textContent = progress.total > 0 ? `Updating tenants… ${progress.done + progress.failed} of ${progress.total}` : 'Updating tenants… reading the customer list';
          if (progress.failed > 0) banner.textContent += ` (${progress.failed} could not be read)`;
          failed = progress.failed;
          banner.hidden = false;
          delay = 1500;
          wasRunning = true;
        } else if (wasRunning || (expecting && (finishedAt > firstFinishedAt || finishedAt >= expectedSince))) {
          // It ended (perhaps between two looks, or before this page was even shown).
          wasRunning = false;
          expecting = false;
          finished();
        } else if (expecting && (waited += 1) > 80) {
          // Two minutes and no import ran: stop saying one is starting.
          expecting = false;
          banner.hidden = true;
        }
      }
    } catch {
      // Offline or restarting: try again later.
    }
    setTimeout(poll, delay);
  }
  poll();
})();

// A form refused by the server comes back with its fields marked: take the person to the first one.
(function focusRefusedField() {
  const field = document.querySelector('[aria-invalid="true"]');
  if (field) field.focus();
})();

// Copy buttons beside values shown once (API key, webhook secret, approval link): copy, then say "Copied".
(function copyButtons() {
  for (const button of document.querySelectorAll('[data-copy]')) button.hidden = false;
  document.addEventListener('click', async (event) => {
    const button = event.target.closest('[data-copy]');
    if (!button) return;
    const field = document.getElementById(button.dataset.copy);
    const status = document.querySelector(`[data-copy-status="${button.dataset.copy}"]`);
    if (!field) return;
    let copied = false;
    try {
      await navigator.clipboard.writeText(field.value);
      copied = true;
    } catch {
      // No clipboard access (a plain-http address that is not localhost): select it so Ctrl+C copies it.
      field.select();
      copied = document.execCommand && document.execCommand('copy');
    }
    if (status) status.textContent = copied ? 'Copied' : 'Selected: press Ctrl+C (⌘C) to copy';
  });
})();
