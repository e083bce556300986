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
});
