// Progressive enhancement only: every page works without this file.
document.addEventListener('click', (event) => {
  const flash = event.target.closest('.flash[role="status"]');
  if (flash) flash.remove();
});

// The import banner: "Updating tenants… N of M" while an import runs, updated without a reload, gone when it
// ends (the Customers page then reloads once to show what the import read).
(function importBanner() {
  const banner = document.getElementById('import-banner');
  if (!banner) return;
  let wasRunning = false;
  async function poll() {
    let delay = 10000;
    try {
      const response = await fetch('/api/v1/import-runs/current', { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (response.ok) {
        const progress = await response.json();
        if (progress.running) {
          banner.textContent = progress.total > 0 ? `Updating tenants… ${progress.done + progress.failed} of ${progress.total}` : 'Updating tenants… reading the customer list';
          if (progress.failed > 0) banner.textContent += ` (${progress.failed} could not be read)`;
          banner.hidden = false;
          delay = 1500;
        } else {
          banner.hidden = true;
          if (wasRunning && location.pathname === '/customers') location.reload();
        }
        wasRunning = progress.running;
      }
    } catch {
      // Offline or restarting: try again later.
    }
    setTimeout(poll, delay);
  }
  poll();
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
