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
  // The server answers the post's counts as JSON; the buttons are rebuilt from them, labelled like the server's
  // (the picker's buttons carry each kind's name in the reader's language).
  function hiddenInput(form, name, value) {
    var input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }

  function renderReactions(container, action, csrf, reactions) {
    var picker = container.querySelector('.reaction-picker');
    var names = {};
    if (picker) {
      Array.prototype.forEach.call(picker.querySelectorAll('form'), function (f) {
        var kind = f.querySelector('input[name="kind"]');
        var button = f.querySelector('button');
        if (kind && button) names[kind.value] = button.getAttribute('aria-label') || kind.value;
      });
    }
    Array.prototype.slice.call(container.children).forEach(function (child) {
      if (child !== picker) container.removeChild(child);
    });
    reactions.forEach(function (r) {
      var form = document.createElement('form');
      form.method = 'post';
      form.action = action;
      form.className = 'inline-form';
      hiddenInput(form, '_csrf', csrf);
      hiddenInput(form, 'kind', r.kind);
      hiddenInput(form, 'on', r.mine ? '0' : '1');
      var button = document.createElement('button');
      button.type = 'submit';
      button.className = 'reaction' + (r.mine ? ' reaction-mine' : '');
      button.setAttribute('aria-pressed', r.mine ? 'true' : 'false');
      button.setAttribute('aria-label', (names[r.kind] || r.kind) + ' ' + r.count);
      button.setAttribute('data-kind', r.kind);
      button.appendChild(document.createTextNode(r.emoji + ' '));
      var count = document.createElement('span');
      count.className = 'reaction-count';
      count.textContent = String(r.count);
      button.appendChild(count);
      form.appendChild(button);
      container.insertBefore(form, picker);
    });
    if (picker) picker.open = false;
  }

  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!(form instanceof HTMLFormElement) || !/\/forum\/p\/[^/]+\/react$/.test(form.getAttribute('action') || '')) return;
    var container = form.closest('.forum-reactions');
    if (!container || !window.fetch) return;
    e.preventDefault();
    var data = new FormData(form);
    var kind = String(data.get('kind'));
    var csrf = String(data.get('_csrf') || '');
    var buttons = form.querySelectorAll('button');
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    fetch(form.action, { method: 'POST', body: new URLSearchParams(data), headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(function (answer) {
        // The picker's forms stay in the page: ready for the next reaction.
        Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
        renderReactions(container, form.action, csrf, answer.reactions || []);
        // Keep the keyboard where it was: on the same reaction, or on the picker when it is gone.
        var again = container.querySelector('button[data-kind="' + kind + '"]') || container.querySelector('.reaction-picker summary');
        if (again) again.focus();
      })
      // Anything unexpected (a lost session, a limit): let the browser send the form and show the page's message.
      .catch(function () { form.submit(); });
  });
})();
