// Progressive enhancement only: every page works without this file.
document.addEventListener('click', (event) => {
  const flash = event.target.closest('.flash[role="status"]');
  if (flash) flash.remove();
});
