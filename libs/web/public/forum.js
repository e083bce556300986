// Forum pages: @mention autocomplete on post bodies, and reactions without a page reload. Everything works without it.
(function () {
  'use strict';

  function debounce(fn, ms) {
    var t;
    return function () {
      var args = arguments;
      clearTimeout(t);
      t = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  // ---- @mentions ----
  function setupMentions(textarea) {
    var board = textarea.getAttribute('data-mention-board');
    if (!board) return;
    var list = document.createElement('ul');
    list.className = 'mention-list';
    list.id = textarea.id + '-mentions';
    list.setAttribute('role', 'listbox');
    list.hidden = true;
    textarea.parentNode.insertBefore(list, textarea.nextSibling);
    textarea.setAttribute('aria-autocomplete', 'list');
    textarea.setAttribute('aria-controls', list.id);
    var items = [];
    var active = -1;
    var start = -1;

    function close() {
      list.hidden = true;
      list.textContent = '';
      items = [];
      active = -1;
      textarea.removeAttribute('aria-activedescendant');
    }

    function choose(i) {
      var item = items[i];
      if (!item) return;
      var before = textarea.value.slice(0, start);
      var after = textarea.value.slice(textarea.selectionStart);
      var text = '@' + item.handle + ' ';
      textarea.value = before + text + after;
      var pos = before.length + text.length;
      textarea.setSelectionRange(pos, pos);
      close();
      textarea.focus();
    }

    function highlight(i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (li, n) {
        li.setAttribute('aria-selected', n === i ? 'true' : 'false');
      });
      if (i >= 0) textarea.setAttribute('aria-activedescendant', list.id + '-' + i);
    }

    var lookup = debounce(function (prefix) {
      fetch('/forum/mentions?board=' + encodeURIComponent(board) + '&q=' + encodeURIComponent(prefix), { headers: { accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (found) {
          list.textContent = '';
          items = found || [];
          if (items.length === 0) return close();
          items.forEach(function (m, n) {
            var li = document.createElement('li');
            li.id = list.id + '-' + n;
            li.setAttribute('role', 'option');
            li.textContent = m.displayName + (m.displayNameKana ? '（' + m.displayNameKana + '）' : '');
            li.addEventListener('mousedown', function (e) { e.preventDefault(); choose(n); });
            list.appendChild(li);
          });
          list.hidden = false;
          highlight(0);
        })
        .catch(close);
    }, 200);

    textarea.addEventListener('input', function () {
      var upto = textarea.value.slice(0, textarea.selectionStart);
      var m = /(^|[\s（(「、。])@([^\s@]{1,30})$/.exec(upto);
      if (!m) return close();
      start = upto.length - m[2].length - 1;
      lookup(m[2]);
    });
    textarea.addEventListener('keydown', function (e) {
      if (list.hidden) return;
      if (e.key === 'ArrowDown') { e.preventDefault(); highlight((active + 1) % items.length); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); highlight((active - 1 + items.length) % items.length); }
      else if (e.key === 'Enter' || e.key === 'Tab') { e.preventDefault(); choose(active); }
      else if (e.key === 'Escape') close();
    });
    textarea.addEventListener('blur', function () { setTimeout(close, 150); });
  }

  document.querySelectorAll('textarea[data-mention-board]').forEach(setupMentions);

  // ---- reactions in place ----
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!(form instanceof HTMLFormElement) || !/\/forum\/p\/[^/]+\/react$/.test(form.getAttribute('action') || '')) return;
    e.preventDefault();
    fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)), headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(function () { window.location.reload(); })
      .catch(function () { form.submit(); });
  });
})();
