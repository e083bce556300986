// Chat, live: messages sent and received without a reload, read receipts, typing, older messages in place, and the
// unread counts of the header badge and the conversation list. Progressive enhancement only: every chat page works
// with its plain forms, and when the socket cannot connect nothing changes but the need to reload.
(function () {
  'use strict';
  if (typeof window.io !== 'function' || !window.fetch) return;

  var SEND_TIMEOUT_MS = 8000;
  var SEND_ATTEMPTS = 4;
  var TYPING_EVERY_MS = 2500;
  var TYPING_SHOWN_MS = 5000;

  var room = document.querySelector('[data-chat-room]');
  var list = document.querySelector('[data-chat-list]');

  // ---- Helpers ----

  function debounce(fn, ms) {
    var t;
    return function () {
      clearTimeout(t);
      t = setTimeout(fn, ms);
    };
  }

  function newClientId() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  /** The plain text of server-sanitised HTML (a <template> parses without running or loading anything). */
  function textOfHtml(html) {
    var t = document.createElement('template');
    t.innerHTML = html || '';
    return (t.content.textContent || '').replace(/\s+/g, ' ').trim();
  }

  // ---- Header badge and the conversation list ----

  function setBadge(count) {
    var links = document.querySelectorAll('a.header-badge[href="/chat"]');
    var full = null;
    var compact = null;
    Array.prototype.forEach.call(links, function (a) {
      if (a.classList.contains('header-badge-compact')) compact = a;
      else full = a;
    });
    // The phone header shows a compact badge only while there is something unread: make one from the full badge.
    if (!compact && full && count > 0) {
      var toggle = document.querySelector('.nav-toggle');
      if (toggle && toggle.parentNode) {
        compact = full.cloneNode(true);
        compact.className = 'header-badge header-badge-compact';
        compact.removeAttribute('aria-current');
        var label = compact.querySelector('.header-badge-label');
        if (label) label.remove();
        toggle.parentNode.insertBefore(compact, toggle);
      }
    }
    [full, compact].forEach(function (a) {
      if (!a) return;
      var span = a.querySelector('.header-badge-count');
      var template = a.getAttribute('data-label-with-count');
      if (count > 0) {
        if (!span) {
          span = document.createElement('span');
          span.className = 'header-badge-count';
          span.setAttribute('aria-hidden', 'true');
          a.appendChild(span);
        }
        span.textContent = String(count);
        if (template) a.setAttribute('aria-label', template.replace('{count}', String(count)));
      } else if (a.classList.contains('header-badge-compact')) {
        // The phone header shows it only while there is something unread (made again from the full one if needed).
        a.remove();
      } else {
        if (span) span.remove();
        a.removeAttribute('aria-label');
      }
    });
  }

  function updateListItem(item) {
    if (!list) return;
    var li = list.querySelector('li[data-conversation="' + item.id + '"]');
    if (!li) return;
    var unread = li.querySelector('.chat-unread');
    if (unread) {
      unread.textContent = String(item.unread);
      unread.hidden = !item.unread;
      var template = unread.getAttribute('data-label-with-count');
      if (item.unread && template) unread.setAttribute('aria-label', template.replace('{count}', String(item.unread)));
      else unread.removeAttribute('aria-label');
    }
    li.classList.toggle('chat-item-unread', !!item.unread);
    var last = item.lastMessage;
    var text = li.querySelector('.chat-item-last');
    if (last && text) text.textContent = last.authorName + ': ' + last.text;
    var time = li.querySelector('.chat-item-time');
    var at = last ? last.at : item.lastMessageAt;
    if (at && time) {
      time.setAttribute('datetime', at);
      time.textContent = formatTime(at);
    }
    li.setAttribute('data-last-seq', String(item.lastSeq));
  }

  function refreshCounts() {
    var url = list ? '/api/v1/chat/conversations' : '/api/v1/chat/unread';
    fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (answer) {
        if (!answer) return;
        setBadge(Number(answer.totalUnread) || 0);
        if (list && Array.isArray(answer.items)) {
          answer.items.forEach(updateListItem);
          // Latest activity first, as the server orders them.
          answer.items.forEach(function (item) {
            var li = list.querySelector('li[data-conversation="' + item.id + '"]');
            if (li) list.appendChild(li);
          });
        }
      })
      .catch(function () { /* the page still shows what it was rendered with */ });
  }
  var scheduleRefresh = debounce(refreshCounts, 800);

  // ---- Times in the reader's language and time zone (as the server writes them) ----

  var formatter = null;
  function formatTime(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return '';
    if (!formatter) {
      var locale = (room && room.getAttribute('data-locale')) || document.documentElement.lang || 'ja';
      var zone = (room && room.getAttribute('data-time-zone')) || 'Asia/Tokyo';
      try {
        formatter = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'ja-JP', { dateStyle: 'medium', timeStyle: 'short', timeZone: zone });
      } catch (e) {
        formatter = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'ja-JP', { dateStyle: 'medium', timeStyle: 'short' });
      }
    }
    return formatter.format(d);
  }

  // ---- Day dividers (the server renders them for the page; live messages add theirs) ----

  var dayKey = null;
  var dayLabel = null;
  function zoneOf() {
    return (room && room.getAttribute('data-time-zone')) || 'Asia/Tokyo';
  }
  function dayOf(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return null;
    if (!dayKey) {
      var locale = (room && room.getAttribute('data-locale')) || document.documentElement.lang || 'ja';
      try {
        dayKey = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: zoneOf() });
        dayLabel = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'ja-JP', { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short', timeZone: zoneOf() });
      } catch (e) {
        dayKey = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' });
        dayLabel = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'ja-JP', { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' });
      }
    }
    return { key: dayKey.format(d), label: dayLabel.format(d) };
  }

  /** Puts a divider before `li` when the message before it (if any) was written on another day. */
  function divideDays(li, iso) {
    var day = dayOf(iso);
    if (!day) return;
    li.setAttribute('data-day', day.key);
    var before = li.previousElementSibling;
    while (before && !before.hasAttribute('data-seq')) {
      if (before.classList.contains('chat-day')) return;
      before = before.previousElementSibling;
    }
    if (before && before.getAttribute('data-day') === day.key) return;
    var divider = document.createElement('li');
    divider.className = 'chat-day';
    divider.setAttribute('role', 'separator');
    divider.setAttribute('data-day', day.key);
    var label = document.createElement('span');
    label.textContent = day.label;
    divider.appendChild(label);
    li.parentNode.insertBefore(divider, li);
  }

  // ---- The socket ----

  var socket = window.io({ path: '/socket.io', transports: ['websocket'], withCredentials: true, reconnectionDelayMax: 10000 });
  var conversation = room ? setupRoom(room) : null;

  // On every (re)connect: subscribe first (the rooms are joined before the backfill is read, so nothing falls in
  // between), then add what was missed, then the counts.
  socket.on('connect', function () {
    var wanted = {};
    if (conversation && conversation.live) wanted[conversation.id] = conversation.contiguous;
    socket.emit('subscribe', { conversations: wanted }, function (answer) {
      if (!answer || !answer.ok) return;
      if (conversation && conversation.live) {
        var page = answer.conversations && answer.conversations[conversation.id];
        if (page && page.ok) conversation.receive(page.items || [], page.more);
      }
      scheduleRefresh();
    });
  });

  socket.on('message', function (m) {
    if (!m || typeof m.seq !== 'number') return;
    if (conversation && m.conversationId === conversation.id) conversation.receive([m], false);
    if (!(conversation && m.conversationId === conversation.id && conversation.reading())) scheduleRefresh();
  });
  socket.on('message:updated', function (m) {
    if (conversation && m && m.conversationId === conversation.id) conversation.update(m);
    if (list) scheduleRefresh();
  });
  socket.on('read', function (r) {
    if (!r) return;
    if (conversation && r.conversationId === conversation.id) conversation.readBy(r.memberId, r.seq);
    // The member's own read position moved (this tab or another): fewer unread. Off a conversation page the reader is
    // not known here, and one refresh more costs little.
    if (!conversation || r.memberId === viewerId()) scheduleRefresh();
  });
  socket.on('typing', function (t) {
    if (conversation && t && t.conversationId === conversation.id && t.member) conversation.typing(t.member);
  });
  socket.on('conversation:left', function (c) {
    // Removed from the group (or left in another tab): the page as the server now renders it.
    if (conversation && c && c.conversationId === conversation.id) window.location.reload();
    else scheduleRefresh();
  });
  socket.on('conversation:changed', function () { scheduleRefresh(); });
  // Connection problems stay silent: the forms keep working. A refusal because Redis or the database was away is
  // tried again after a while (the client does not retry a refusal by itself); the others stay refused.
  socket.on('connect_error', function (err) {
    if (err && err.message === 'unavailable') setTimeout(function () { socket.connect(); }, 5000 + Math.random() * 5000);
  });

  function viewerId() {
    var el = document.querySelector('[data-viewer]');
    return el ? el.getAttribute('data-viewer') : null;
  }

  // ---- One conversation ----

  function setupRoom(section) {
    var id = section.getAttribute('data-conversation-id');
    var kind = section.getAttribute('data-kind');
    var me = section.getAttribute('data-viewer');
    var joined = section.getAttribute('data-joined') === '1';
    var canPost = section.getAttribute('data-can-post') === '1';
    var messages = section.querySelector('#chat-messages');
    var template = section.querySelector('#chat-message-template');
    var canModerate = !!(template && template.content.querySelector('[data-action="hide"]'));
    var typingLine = section.querySelector('[data-chat-typing]');
    var live = section.getAttribute('data-at-end') === '1' && !!messages && !!template;
    var otherRead = Number(section.getAttribute('data-other-read')) || 0;
    var pending = {};
    var typers = {};
    var readSent = 0;
    var filling = false;

    function seqs() {
      var out = {};
      if (!messages) return out;
      Array.prototype.forEach.call(messages.children, function (li) {
        var s = Number(li.getAttribute('data-seq'));
        if (s) out[s] = li;
      });
      return out;
    }

    var known = seqs();
    var state = {
      id: id,
      live: live,
      /** The highest seq up to which every message is on the page (read receipts never cross a gap). */
      contiguous: Number(section.getAttribute('data-last-seq')) || 0,
      receive: receive,
      update: update,
      readBy: readBy,
      typing: typing,
      reading: function () { return live && document.visibilityState === 'visible'; },
    };

    function nearBottom() {
      return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 160;
    }
    function toBottom() {
      var anchor = document.getElementById('chat-compose-anchor');
      if (anchor) anchor.scrollIntoView({ block: 'end' });
      else window.scrollTo(0, document.documentElement.scrollHeight);
    }

    function render(m) {
      var li = template.content.firstElementChild.cloneNode(true);
      var mine = !!m.author && m.author.memberId !== null && m.author.memberId === me;
      li.id = 'm' + m.seq;
      li.setAttribute('data-seq', String(m.seq));
      li.setAttribute('data-id', m.id);
      li.classList.toggle('chat-message-mine', mine);
      li.classList.toggle('chat-message-deleted', !!m.deleted);
      li.classList.toggle('chat-message-hidden', !!m.hidden);
      var avatar = li.querySelector('.chat-avatar');
      if (mine && avatar) avatar.remove();
      else if (avatar) avatar.textContent = Array.from(m.author.displayName || '?')[0] || '?';
      var author = li.querySelector('.chat-author');
      if (m.author.memberId && !m.author.deleted) {
        var a = document.createElement('a');
        a.href = '/members/' + encodeURIComponent(m.author.memberId);
        a.textContent = m.author.displayName;
        author.appendChild(a);
      } else {
        var s = document.createElement('span');
        s.className = 'muted';
        s.textContent = m.author.displayName;
        author.appendChild(s);
      }
      var time = li.querySelector('.chat-time');
      time.setAttribute('datetime', m.createdAt);
      time.textContent = formatTime(m.createdAt);
      li.querySelector('.chat-edited').hidden = !m.editedAt;
      li.querySelector('[data-when="deleted"]').hidden = !m.deleted;
      li.querySelector('[data-when="hidden"]').hidden = !(m.hidden && !m.deleted);
      var body = li.querySelector('.chat-body');
      // Only the server's sanitised HTML goes in as HTML; every other value above is text.
      if (!m.deleted && m.html) body.innerHTML = m.html;
      else body.remove();
      var images = li.querySelector('.chat-images');
      if (!m.deleted && m.images && m.images.length) {
        var alt = images.getAttribute('data-alt') || '';
        m.images.forEach(function (img) {
          var item = document.createElement('li');
          var link = document.createElement('a');
          link.href = '/chat/images/' + encodeURIComponent(img.id) + '/960';
          var el = document.createElement('img');
          el.src = '/chat/images/' + encodeURIComponent(img.id) + '/320';
          el.alt = alt;
          el.loading = 'lazy';
          el.width = img.width;
          el.height = img.height;
          link.appendChild(el);
          item.appendChild(link);
          images.appendChild(item);
        });
        images.hidden = false;
      } else images.remove();
      images.removeAttribute('data-alt');
      var ref = 'c=' + encodeURIComponent(id) + '&seq=' + m.seq;
      var read = li.querySelector('.chat-read');
      if (mine && kind === 'dm') read.hidden = !(otherRead && m.seq <= otherRead);
      else read.remove();
      var edit = li.querySelector('[data-action="edit"]');
      if (mine && !m.deleted && !m.hidden && canPost) edit.href = '/chat/m/' + encodeURIComponent(m.id) + '/edit?' + ref;
      else edit.remove();
      var del = li.querySelector('[data-action="delete"]');
      if (mine && !m.deleted) del.querySelector('form').action = '/chat/m/' + encodeURIComponent(m.id) + '/delete';
      else del.remove();
      var report = li.querySelector('[data-action="report"]');
      if (!mine && !m.deleted && !m.hidden && m.author.memberId) report.href = '/chat/m/' + encodeURIComponent(m.id) + '/report?' + ref;
      else report.remove();
      var hide = li.querySelector('[data-action="hide"]');
      if (hide) {
        if (canModerate && !m.deleted) {
          hide.action = '/chat/m/' + encodeURIComponent(m.id) + '/hide';
          hide.querySelector('input[name="hidden"]').value = m.hidden ? '0' : '1';
          var button = hide.querySelector('button');
          if (m.hidden && button.getAttribute('data-show-label')) button.textContent = button.getAttribute('data-show-label');
        } else hide.remove();
      }
      return li;
    }

    /** Puts messages in seq order; a seq already on the page is not added twice. */
    function place(items) {
      var stay = nearBottom();
      var added = false;
      items.forEach(function (m) {
        if (!m || typeof m.seq !== 'number' || known[m.seq]) return;
        if (m.clientId && pending[m.clientId]) {
          pending[m.clientId].li.remove();
          delete pending[m.clientId];
        }
        // Their message is here: they are no longer typing it.
        var typer = m.author && m.author.memberId ? typers[m.author.memberId] : null;
        if (typer) {
          clearTimeout(typer.timer);
          delete typers[m.author.memberId];
          showTyping();
        }
        var li = render(m);
        var next = null;
        Array.prototype.some.call(messages.children, function (other) {
          var s = Number(other.getAttribute('data-seq'));
          if (s && s > m.seq) { next = other; return true; }
          return false;
        });
        var firstPending = messages.querySelector('.chat-message-pending');
        // A divider that heads the next message's day stays with it.
        if (next && next.previousElementSibling && next.previousElementSibling.classList.contains('chat-day')) next = next.previousElementSibling;
        messages.insertBefore(li, next || firstPending);
        divideDays(li, m.createdAt);
        var after = li.nextElementSibling;
        if (after && after.classList.contains('chat-day') && after.getAttribute('data-day') === li.getAttribute('data-day')) after.remove();
        known[m.seq] = li;
        added = true;
      });
      if (added) {
        var none = section.querySelector('[data-chat-none]');
        if (none) none.remove();
        if (stay) toBottom();
      }
    }

    function advance() {
      while (known[state.contiguous + 1]) state.contiguous += 1;
    }

    /** Fills a gap (a message arrived whose predecessors did not): asks for what follows the contiguous end. */
    function fill() {
      if (filling) return;
      filling = true;
      socket.emit('history', { conversationId: id, after: state.contiguous }, function (page) {
        filling = false;
        if (!page || !page.ok) return;
        place(page.items || []);
        var before = state.contiguous;
        advance();
        if (page.more && state.contiguous > before) fill();
        markRead();
      });
    }

    function receive(items, more) {
      if (!live) return;
      place(items);
      advance();
      var top = Object.keys(known).reduce(function (max, s) { return Math.max(max, Number(s)); }, 0);
      if (more || top > state.contiguous) fill();
      markRead();
    }

    function update(m) {
      var li = known[m.seq];
      if (!li) return;
      var fresh = render(m);
      li.replaceWith(fresh);
      known[m.seq] = fresh;
    }

    var sendRead = debounce(function () {
      if (!joined || state.contiguous <= readSent || document.visibilityState !== 'visible') return;
      var seq = state.contiguous;
      socket.emit('read', { conversationId: id, seq: seq }, function (answer) {
        if (answer && answer.ok) readSent = Math.max(readSent, seq);
      });
    }, 300);
    function markRead() {
      if (live) sendRead();
    }
    document.addEventListener('visibilitychange', markRead);

    function readBy(memberId, seq) {
      if (memberId === me) {
        readSent = Math.max(readSent, seq);
        return;
      }
      if (kind !== 'dm' || !(seq > otherRead)) return;
      otherRead = seq;
      Array.prototype.forEach.call(messages ? messages.querySelectorAll('.chat-message-mine .chat-read') : [], function (el) {
        var li = el.closest('.chat-message');
        var s = Number(li && li.getAttribute('data-seq'));
        if (s && s <= otherRead) el.hidden = false;
      });
    }

    function showTyping() {
      if (!typingLine) return;
      var names = Object.keys(typers).map(function (k) { return typers[k].name; });
      if (names.length === 0) typingLine.textContent = '';
      else if (names.length === 1) typingLine.textContent = (section.getAttribute('data-typing-label') || '').replace('{name}', names[0]);
      else typingLine.textContent = section.getAttribute('data-typing-many') || '';
    }
    function typing(member) {
      if (!member.memberId || member.memberId === me) return;
      var was = typers[member.memberId];
      if (was) clearTimeout(was.timer);
      typers[member.memberId] = {
        name: member.displayName,
        timer: setTimeout(function () {
          delete typers[member.memberId];
          showTyping();
        }, TYPING_SHOWN_MS),
      };
      showTyping();
    }

    // ---- Sending without a reload ----

    var form = section.querySelector('[data-chat-compose]');
    if (form && live) {
      var textarea = form.querySelector('textarea[name="body"]');
      var files = form.querySelector('input[type="file"]');
      var errorBox = form.querySelector('[data-chat-error]');
      var lastTyping = 0;

      textarea.addEventListener('input', function () {
        var now = Date.now();
        if (now - lastTyping < TYPING_EVERY_MS || !socket.connected || !textarea.value.trim()) return;
        lastTyping = now;
        socket.emit('typing', { conversationId: id }, function () { /* dropped when too frequent */ });
      });
      // Ctrl/Cmd+Enter sends; Enter alone is a new line (as on a phone keyboard).
      textarea.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          if (typeof form.requestSubmit === 'function') form.requestSubmit();
        }
      });

      function pendingItem(text, clientId) {
        var li = document.createElement('li');
        li.className = 'chat-message chat-message-mine chat-message-pending';
        li.setAttribute('data-client-id', clientId);
        var bubble = document.createElement('div');
        bubble.className = 'chat-bubble';
        var body = document.createElement('div');
        body.className = 'chat-body chat-body-plain';
        body.textContent = text;
        bubble.appendChild(body);
        var foot = document.createElement('div');
        foot.className = 'chat-message-foot';
        var status = document.createElement('span');
        status.className = 'chat-status';
        status.textContent = section.getAttribute('data-sending-label') || '';
        foot.appendChild(status);
        li.appendChild(bubble);
        li.appendChild(foot);
        messages.appendChild(li);
        var none = section.querySelector('[data-chat-none]');
        if (none) none.remove();
        toBottom();
        return li;
      }

      function showError(text) {
        if (!errorBox) return;
        errorBox.textContent = '';
        if (!text) return;
        var p = document.createElement('p');
        p.textContent = text;
        errorBox.appendChild(p);
      }

      function failed(entry, message) {
        var status = entry.li.querySelector('.chat-status');
        status.textContent = message || section.getAttribute('data-failed-label') || '';
        entry.li.classList.add('chat-message-failed');
        // Pressing it sends the same message again, with the same id (the server answers it once).
        var retry = document.createElement('button');
        retry.type = 'button';
        retry.className = 'link-button';
        retry.textContent = form.querySelector('button[type="submit"]').textContent;
        retry.addEventListener('click', function () {
          retry.remove();
          entry.li.classList.remove('chat-message-failed');
          status.textContent = section.getAttribute('data-sending-label') || '';
          entry.attempts = 0;
          attempt(entry);
        });
        status.parentNode.appendChild(retry);
      }

      function attempt(entry) {
        entry.attempts += 1;
        socket.timeout(SEND_TIMEOUT_MS).emit('message:send', { conversationId: id, clientId: entry.clientId, body: entry.text }, function (err, answer) {
          if (!pending[entry.clientId]) return; // already placed from the broadcast
          if (err) {
            // No answer in time: the same id again (a resend gives the same message, never a second one).
            if (entry.attempts < SEND_ATTEMPTS) attempt(entry);
            else failed(entry);
            return;
          }
          if (answer && answer.ok) {
            place([answer.message]);
            if (pending[entry.clientId]) {
              pending[entry.clientId].li.remove();
              delete pending[entry.clientId];
            }
            advance();
            markRead();
            return;
          }
          // Refused (too long, closed, too fast): say why, and give the text back to the box if it is empty.
          entry.li.remove();
          delete pending[entry.clientId];
          showError(answer && answer.error ? answer.error.message : section.getAttribute('data-failed-label'));
          if (!textarea.value) textarea.value = entry.text;
        });
      }

      form.addEventListener('submit', function (e) {
        // Images go with the plain form (the socket carries text only); so does anything while offline.
        if ((files && files.files && files.files.length) || !socket.connected) return;
        var text = textarea.value;
        if (!text.trim()) return;
        e.preventDefault();
        showError('');
        var clientId = newClientId();
        var entry = { clientId: clientId, text: text, attempts: 0, li: pendingItem(text, clientId) };
        pending[clientId] = entry;
        textarea.value = '';
        textarea.focus();
        attempt(entry);
      });
    }

    // ---- Older messages in place ----

    section.addEventListener('click', function (e) {
      var link = e.target instanceof Element ? e.target.closest('[data-chat-older]') : null;
      if (!link || !socket.connected || !messages) return;
      e.preventDefault();
      var before = Number(link.getAttribute('data-chat-older'));
      var label = link.textContent;
      link.textContent = section.getAttribute('data-loading-label') || label;
      socket.emit('history', { conversationId: id, before: before }, function (page) {
        link.textContent = label;
        if (!page || !page.ok) {
          window.location.href = link.href;
          return;
        }
        var height = document.documentElement.scrollHeight;
        var y = window.scrollY;
        var first = messages.firstElementChild;
        (page.items || []).forEach(function (m) {
          if (known[m.seq]) return;
          var li = render(m);
          messages.insertBefore(li, first);
          known[m.seq] = li;
        });
        // Keep what the reader was looking at where it was.
        window.scrollTo(0, y + (document.documentElement.scrollHeight - height));
        var oldest = page.items && page.items.length ? page.items[0].seq : before;
        if (page.more) {
          link.setAttribute('data-chat-older', String(oldest));
          link.href = '/chat/c/' + encodeURIComponent(id) + '?before=' + oldest;
        } else {
          link.parentNode.remove();
        }
      });
    });

    // Open at the latest message unless the address points at one.
    if (live && !window.location.hash && messages && messages.children.length) toBottom();
    return state;
  }
})();
