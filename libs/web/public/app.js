// Progressive enhancement only: every page works without this file.
document.addEventListener('DOMContentLoaded', () => {
  const toggle = document.querySelector('.nav-toggle');
  const nav = document.getElementById('site-nav');
  if (toggle && nav) {
    toggle.addEventListener('click', () => {
      const open = nav.classList.toggle('open');
      toggle.setAttribute('aria-expanded', String(open));
    });
  }
  // Forms that change something irreversible ask first: <form data-confirm="…">
  document.querySelectorAll('form[data-confirm]').forEach((form) => {
    form.addEventListener('submit', (event) => {
      if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
    });
  });
  // Alumni-only fields on the application form.
  const appliedAs = document.querySelectorAll('input[name="appliedAs"]');
  const leftYear = document.querySelector('[data-alumni-only]');
  const sync = () => {
    const alumni = [...appliedAs].some((r) => r.checked && r.value === 'alumni');
    if (leftYear) leftYear.hidden = !alumni;
  };
  appliedAs.forEach((r) => r.addEventListener('change', sync));
  if (appliedAs.length) sync();
  // The notifications list, once opened, marks what it shows as read (a POST with the page's CSRF token; the page
  // itself never changes anything on GET). The bell then shows what is left.
  const markRead = document.querySelector('form[data-mark-read-on-open]');
  if (markRead && window.fetch) {
    fetch(markRead.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(markRead)),
      credentials: 'same-origin',
      redirect: 'manual',
    }).then(() => {
      const left = Number(markRead.getAttribute('data-unread-after')) || 0;
      document.querySelectorAll('a.header-badge[href="/notifications"]').forEach((bell) => {
        const count = bell.querySelector('.header-badge-count');
        if (left > 0) {
          if (count) count.textContent = String(left);
          // The accessible name says the same number as the badge.
          const label = bell.getAttribute('data-label-with-count');
          if (label) bell.setAttribute('aria-label', label.replace('{count}', String(left)));
        } else {
          if (count) count.remove();
          bell.removeAttribute('aria-label');
          if (bell.classList.contains('header-badge-compact')) bell.hidden = true;
        }
      });
    }, () => undefined);
  }
});
