// Content pages: the editor's autosave, live preview, tag chips, picture uploads and cover focus picker; the article's
// like button and copy link. Every page works without this file (the forms post and the server answers with a page).
(function () {
  'use strict';

  function csrfOf(form) {
    var input = form && form.querySelector('input[name="_csrf"]');
    return (input && input.value) || (form && form.getAttribute('data-csrf')) || '';
  }

  function json(url, body, csrf, options) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      keepalive: !!(options && options.keepalive),
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body),
    }).then(function (r) {
      var type = r.headers.get('content-type') || '';
      if (type.indexOf('application/json') < 0) throw new Error('not json');
      return r.json().then(function (data) {
        if (!r.ok) {
          var error = new Error(data.message || 'failed');
          error.data = data;
          throw error;
        }
        return data;
      });
    });
  }

  // ---- The editor ----
  var editor = document.getElementById('content-editor');
  if (editor) setupEditor(editor);

  function setupEditor(form) {
    var csrf = csrfOf(form);
    var id = form.getAttribute('data-id') || '';
    var autosave = form.getAttribute('data-autosave') === '1';
    var status = form.querySelector('[data-autosave-status]');
    var body = form.querySelector('#f-body');
    var dirty = false;
    var timer = null;
    var saving = null;
    var leaving = false;
    var AUTOSAVE_MS = 10000;
    // A keepalive request may carry at most 64 KiB.
    var KEEPALIVE_MAX = 60000;

    function say(text) {
      if (status) status.textContent = text;
    }

    function timeNow() {
      try {
        return new Intl.DateTimeFormat(form.getAttribute('data-locale') === 'en' ? 'en-GB' : 'ja-JP', { hour: '2-digit', minute: '2-digit', timeZone: form.getAttribute('data-time-zone') || undefined }).format(new Date());
      } catch (e) {
        return new Date().toTimeString().slice(0, 5);
      }
    }

    function fields() {
      var out = {};
      var data = new FormData(form);
      data.forEach(function (value, key) {
        if (key === '_csrf' || key === 'intent' || typeof value !== 'string') return;
        out[key] = value;
      });
      if (!('removeCover' in out)) delete out.removeCover;
      if (out.coverImageId === '') delete out.coverImageId;
      return out;
    }

    function showFieldErrors(data) {
      var list = (data && data.fields) || {};
      Object.keys(list).forEach(function (name) {
        var box = document.getElementById('f-' + name + '-error');
        if (!box) return;
        box.textContent = '';
        list[name].forEach(function (message) {
          var p = document.createElement('p');
          p.textContent = message;
          box.appendChild(p);
        });
      });
    }

    function clearFieldErrors() {
      form.querySelectorAll('.field-error').forEach(function (box) { box.textContent = ''; });
    }

    // The item exists once it has been saved: the form, the upload forms and the address follow it.
    function adopt(newId) {
      id = newId;
      form.setAttribute('data-id', id);
      form.action = '/content/' + id;
      document.querySelectorAll('.content-upload-form').forEach(function (upload) {
        upload.action = upload.getAttribute('data-action').replace('{id}', id);
      });
      form.querySelectorAll('input[type="file"], [data-focus-inputs] input').forEach(function (input) {
        input.disabled = false;
        if (input.type === 'file') input.name = 'file';
      });
      if (window.history && history.replaceState) history.replaceState(null, '', '/content/' + id + '/edit');
    }

    function save(keepalive) {
      if (!dirty || !autosave) return Promise.resolve();
      if (saving) return saving;
      var payload = fields();
      if (!id && !(payload.title || '').trim()) return Promise.resolve();
      dirty = false;
      var size = JSON.stringify(payload).length * 3;
      var url = id ? '/content/' + id + '/autosave' : '/content';
      if (!keepalive) say(form.getAttribute('data-saving'));
      saving = json(url, payload, csrf, { keepalive: keepalive && size < KEEPALIVE_MAX })
        .then(function (result) {
          if (!id && result.id) adopt(result.id);
          clearFieldErrors();
          say(form.getAttribute('data-saved').replace('{time}', timeNow()));
        })
        .catch(function (error) {
          dirty = true;
          if (error.data) showFieldErrors(error.data);
          say(form.getAttribute('data-failed') + (error.data && error.data.message ? ' ' + error.data.message : ''));
        })
        .then(function () { saving = null; });
      return saving;
    }

    function changed() {
      if (leaving) return;
      dirty = true;
      if (autosave && !timer) {
        timer = setTimeout(function () {
          timer = null;
          save(false);
        }, AUTOSAVE_MS);
      }
    }

    // With the script a picture can be added before the first save (the draft is saved first), and the focus is
    // picked on the picture rather than typed.
    form.querySelectorAll('[data-script-hint]').forEach(function (hint) { hint.textContent = hint.getAttribute('data-script-hint'); });
    var focusInputs = form.querySelector('[data-focus-inputs]');
    if (focusInputs) focusInputs.hidden = true;
    // Choosing a file uploads it at once: no separate button.
    form.querySelectorAll('[data-upload-button]').forEach(function (button) { button.hidden = true; });
    if (status && status.getAttribute('data-autosave-on')) say(status.getAttribute('data-autosave-on'));

    form.addEventListener('input', changed);
    form.addEventListener('change', changed);
    form.addEventListener('submit', function () {
      // The form itself saves now: nothing more to save when the page goes.
      leaving = true;
      dirty = false;
      clearTimeout(timer);
    });
    function flush() {
      if (!leaving && dirty) save(true);
    }
    window.addEventListener('pagehide', flush);
    // A body too long for a keepalive request cannot be saved while the page goes: the browser asks before leaving,
    // and the save starts at once, so that staying keeps it.
    window.addEventListener('beforeunload', function (event) {
      if (leaving || !autosave || !(dirty || saving)) return;
      if (JSON.stringify(fields()).length * 3 < KEEPALIVE_MAX) return;
      if (dirty) save(false);
      event.preventDefault();
      event.returnValue = '';
    });
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'hidden') flush();
    });

    // Event reports name their event; the other types do not show the field.
    var type = form.querySelector('#f-type');
    var eventField = form.querySelector('[data-event-field]');
    function syncType() {
      if (eventField && type) eventField.hidden = type.value !== 'event-report';
    }
    if (type) type.addEventListener('change', syncType);
    syncType();

    // Tags as chips while typing (commas or spaces, full-width too).
    var tags = form.querySelector('#f-tags');
    var chips = form.querySelector('[data-tag-chips]');
    function renderChips() {
      if (!tags || !chips) return;
      chips.textContent = '';
      var seen = {};
      tags.value.split(/[,、，\s\u3000]+/).forEach(function (raw) {
        var tag = raw.replace(/^#/, '').trim();
        if (!tag || seen[tag]) return;
        seen[tag] = true;
        var li = document.createElement('li');
        li.textContent = '#' + tag;
        chips.appendChild(li);
      });
    }
    if (tags) tags.addEventListener('input', renderChips);

    // Write / preview tabs: the preview is the server's rendering, exactly as the article shows it.
    var tabs = form.querySelector('.content-editor-tabs');
    var writeTab = document.getElementById('tab-write');
    var previewTab = document.getElementById('tab-preview');
    var writePanel = document.getElementById('f-body-panel');
    var previewPanel = document.getElementById('preview');
    var previewBody = previewPanel && previewPanel.querySelector('[data-preview-body]');
    var previewButton = form.querySelector('[data-preview-button]');
    function select(preview) {
      writeTab.setAttribute('aria-selected', preview ? 'false' : 'true');
      previewTab.setAttribute('aria-selected', preview ? 'true' : 'false');
      writePanel.hidden = preview;
      previewPanel.hidden = !preview;
    }
    function showPreview() {
      select(true);
      previewBody.textContent = form.getAttribute('data-saving');
      var language = form.querySelector('#f-language');
      var ready = id ? Promise.resolve() : (dirty = true, save(false));
      return ready.then(function () {
        if (!id) {
          previewBody.textContent = form.getAttribute('data-failed');
          return;
        }
        return json('/content/' + id + '/preview', { body: body.value, language: language ? language.value : 'ja' }, csrf).then(
          function (result) { previewBody.innerHTML = result.html; },
          function (error) { previewBody.textContent = (error.data && error.data.message) || form.getAttribute('data-failed'); },
        );
      });
    }
    if (tabs && writeTab && previewTab && writePanel && previewPanel && previewBody) {
      tabs.hidden = false;
      if (!previewPanel.hidden) select(true);
      writeTab.addEventListener('click', function () { select(false); body.focus(); });
      previewTab.addEventListener('click', showPreview);
      if (previewButton) previewButton.hidden = true;
    }

    // ---- Uploads ----
    var caret = null;
    if (body) {
      ['select', 'keyup', 'click', 'blur'].forEach(function (name) {
        body.addEventListener(name, function () { caret = { start: body.selectionStart, end: body.selectionEnd }; });
      });
    }
    function insertAtCaret(text) {
      var start = caret ? caret.start : body.value.length;
      var end = caret ? caret.end : start;
      var before = body.value.slice(0, start);
      var after = body.value.slice(end);
      var lead = before && !/\n$/.test(before) ? '\n' : '';
      var trail = after && !/^\n/.test(after) ? '\n' : '';
      body.value = before + lead + text + trail + after;
      var pos = (before + lead + text).length;
      body.setSelectionRange(pos, pos);
      caret = { start: pos, end: pos };
      changed();
    }

    function upload(uploadForm, file, extra) {
      var ready = id ? Promise.resolve() : (dirty = true, save(false));
      return ready.then(function () {
        if (!id) throw new Error(form.getAttribute('data-failed'));
        var data = new FormData();
        data.append('purpose', uploadForm.querySelector('input[name="purpose"]').value);
        Object.keys(extra || {}).forEach(function (k) { if (extra[k] !== '' && extra[k] !== undefined) data.append(k, extra[k]); });
        data.append('file', file);
        return fetch(uploadForm.action, { method: 'POST', body: data, credentials: 'same-origin', headers: { accept: 'application/json' } }).then(function (r) {
          var type = r.headers.get('content-type') || '';
          if (type.indexOf('application/json') < 0) throw new Error(form.getAttribute('data-upload-failed'));
          return r.json().then(function (result) {
            if (!r.ok) throw new Error(result.fields && result.fields.file ? result.fields.file.join(' ') : result.message);
            return result;
          });
        });
      });
    }

    var uploadStatus = form.querySelector('[data-upload-status]');
    var bodyImageForm = document.getElementById('body-image-form');
    var bodyImage = form.querySelector('#f-body-image');
    if (bodyImageForm && bodyImage) {
      bodyImage.disabled = false;
      var sendBodyImage = function (event) {
        if (event) event.preventDefault();
        var file = bodyImage.files && bodyImage.files[0];
        if (!file) return;
        if (uploadStatus) uploadStatus.textContent = form.getAttribute('data-uploading');
        upload(bodyImageForm, file).then(function (result) {
          insertAtCaret(result.markdown);
          bodyImage.value = '';
          if (uploadStatus) uploadStatus.textContent = form.getAttribute('data-inserted');
        }, function (error) {
          if (uploadStatus) uploadStatus.textContent = error.message || form.getAttribute('data-upload-failed');
        });
      };
      bodyImage.addEventListener('change', sendBodyImage);
      bodyImageForm.addEventListener('submit', sendBodyImage);
    }

    // The cover: uploaded on choosing it; a click on the picture sets the focus and makes the crops again around it.
    var coverForm = document.getElementById('cover-form');
    var coverFile = form.querySelector('#f-cover-file');
    var coverId = form.querySelector('[data-cover-id]');
    var previews = form.querySelector('[data-cover-previews]');
    var cardImg = form.querySelector('[data-cover-card]');
    var ogImg = form.querySelector('[data-cover-og]');
    var picker = form.querySelector('[data-focus-picker]');
    var focusImage = form.querySelector('[data-focus-image]');
    var mark = form.querySelector('[data-focus-mark]');
    var focusX = form.querySelector('#f-focusX');
    var focusY = form.querySelector('#f-focusY');
    var coverStatus = document.getElementById('f-file-error');
    var chosen = null;
    // The focus picked on the picture (0–1 from the left and the top), '' for automatic.
    var focus = { x: '', y: '' };
    function setFocus(x, y) {
      focus = { x: x, y: y };
      if (focusX) focusX.value = x;
      if (focusY) focusY.value = y;
      if (picker) picker.setAttribute('data-focus', x === '' ? '' : x + ',' + y);
      if (mark) {
        mark.hidden = x === '';
        if (x !== '') {
          mark.style.left = (Number(x) * 100) + '%';
          mark.style.top = (Number(y) * 100) + '%';
        }
      }
    }
    function sendCover() {
      if (!chosen) return;
      if (coverStatus) coverStatus.textContent = form.getAttribute('data-uploading');
      upload(coverForm, chosen, { focusX: focus.x, focusY: focus.y }).then(function (result) {
        // The picture to pick the focus on is the uploaded one as the site serves it (the page allows no blob: images).
        if (picker && focusImage && result.previewUrl && picker.hidden) {
          focusImage.src = result.previewUrl;
          picker.hidden = false;
        }
        if (coverId) coverId.value = result.imageId;
        if (cardImg) cardImg.src = result.cardUrl;
        if (ogImg) ogImg.src = result.ogUrl;
        if (previews) previews.hidden = false;
        var remove = form.querySelector('input[name="removeCover"]');
        if (remove) remove.checked = false;
        if (coverStatus) coverStatus.textContent = '';
        changed();
      }, function (error) {
        if (coverStatus) coverStatus.textContent = error.message || form.getAttribute('data-upload-failed');
      });
    }
    if (coverForm && coverFile) {
      coverFile.disabled = false;
      coverFile.addEventListener('change', function () {
        chosen = coverFile.files && coverFile.files[0];
        if (!chosen) return;
        if (picker) picker.hidden = true;
        setFocus('', '');
        sendCover();
      });
      coverForm.addEventListener('submit', function (event) {
        if (!chosen) return;
        event.preventDefault();
        sendCover();
      });
      if (focusImage) {
        focusImage.addEventListener('click', function (event) {
          var box = focusImage.getBoundingClientRect();
          var x = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
          var y = Math.min(1, Math.max(0, (event.clientY - box.top) / box.height));
          setFocus(x.toFixed(2), y.toFixed(2));
          sendCover();
        });
      }
    }
  }

  // ---- The article: like in place, copy the link ----
  document.querySelectorAll('form[data-like]').forEach(function (likeForm) {
    likeForm.addEventListener('submit', function (event) {
      if (!window.fetch) return;
      event.preventDefault();
      var on = likeForm.querySelector('input[name="on"]');
      var button = likeForm.querySelector('button');
      var count = likeForm.querySelector('.content-like-count');
      button.disabled = true;
      fetch(likeForm.action, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(new FormData(likeForm)),
      })
        .then(function (r) {
          if (!r.ok || (r.headers.get('content-type') || '').indexOf('application/json') < 0) throw new Error('failed');
          return r.json();
        })
        .then(function (result) {
          on.value = result.liked ? '0' : '1';
          button.setAttribute('aria-pressed', result.liked ? 'true' : 'false');
          button.classList.toggle('reaction-mine', !!result.liked);
          count.textContent = String(result.likes);
          button.disabled = false;
        })
        .catch(function () {
          // Let the server answer with the page instead.
          button.disabled = false;
          likeForm.submit();
        });
    });
  });

  document.querySelectorAll('[data-copy-target]').forEach(function (button) {
    var input = document.getElementById(button.getAttribute('data-copy-target'));
    var status = button.closest('.content-copy') && button.closest('.content-copy').querySelector('.content-copy-status');
    if (!input) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      function fallback() {
        input.focus();
        input.select();
        var copied = false;
        try { copied = document.execCommand('copy'); } catch (e) { copied = false; }
        if (status) status.textContent = status.getAttribute(copied ? 'data-copied' : 'data-failed');
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(input.value).then(function () {
          if (status) status.textContent = status.getAttribute('data-copied');
        }, fallback);
      } else {
        fallback();
      }
    });
  });
})();
