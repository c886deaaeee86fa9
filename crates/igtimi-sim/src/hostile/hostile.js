// A provider page that turns on the app showing it. Served by the simulator on its sign-in
// form when `hostile_sign_in_page` is set. On load it tries every way a page has to reach
// the application hosting its webview and lists each attempt in #hostile-results as JSON:
// one {attempt, outcome, detail} per attempt, then sets data-done="true".
//
// Outcomes: "absent" (the handle does not exist), "present" (it does), "refused" (the call
// was rejected), "ignored" (a raw channel gave no answer at all), "self" (the handle is
// this page itself), "sent" (a message left, nobody can be seen receiving it), "answered"
// (the app answered: the page reached it), "no answer" (an invoke neither resolved nor
// rejected). The page never navigates or opens windows itself: the test does those one at a
// time and reads the window's URL back.
(function () {
  'use strict';

  const WAIT_MS = 5000;
  const CHANNEL = 'telltale';
  const DAY_MS = 86400000;
  const FROM = Date.UTC(2025, 5, 21);
  const TO = FROM + DAY_MS;
  const SERIALS = ['DA0101'];

  // Every command the app registers, and the plugin commands a page would go for, each with
  // arguments the real caller would send.
  const COMMANDS = [
    ['app_status', {}],
    ['listen_app_events', { channel: '__CHANNEL__:1' }],
    ['restore_account', {}],
    ['start_sign_in', { profile: 'igtimi', method: 'code', via: 'browser' }],
    ['cancel_sign_in', {}],
    ['refresh_account', {}],
    ['sign_out', {}],
    ['sign_in_with_password', {
      profile: 'igtimi', method: 'password', username: 'bob@telltale.demo', password: 'guess',
    }],
    ['switch_account', { key: 'igtimi:1' }],
    ['browse_catalog', {}],
    ['browse_resources', { from: FROM, to: TO }],
    ['load_data', { request: { from: FROM, to: TO, serials: SERIALS } }],
    ['cancel_load', {}],
    ['data_view', { request: { from: FROM, to: TO, width: 800 } }],
    ['latest_values', { serials: SERIALS }],
    ['analyse_data', { from: FROM, to: TO }],
    ['set_target_polar', { text: 'twa 6\n40 99\n' }],
    ['export_data', { format: 'gpx', from: FROM, to: TO }],
    ['sign_in_with_token', { profile: 'sapsailing', token: 'stolen-token' }],
    ['register_device', { serial: 'AA-BT-0800', name: 'hijacked' }],
    ['open_data_window', { serial: SERIALS[0], from: FROM, to: TO }],
    ['close_data_window', { id: 7101 }],
    ['live_start', { serials: SERIALS }],
    ['live_next', { id: 1, after: 0 }],
    ['live_stop', { id: 1 }],
    ['map_tiles', {}],
    ['save_preference', { name: 'telltale.theme', value: 'dark' }],
    ['plugin:opener|open_url', { url: 'https://evil.example/' }],
    ['plugin:dialog|open', { options: { multiple: false, directory: false } }],
    ['plugin:dialog|save', { options: { defaultPath: 'stolen.gpx' } }],
    ['plugin:event|emit_to', {
      target: { kind: 'WebviewWindow', label: 'main' }, event: 'sign-in-finished',
      payload: { outcome: 'signedIn' },
    }],
    ['plugin:event|emit', { event: 'sign-in-finished', payload: { outcome: 'signedIn' } }],
    ['plugin:event|listen', { event: 'load-progress', target: { kind: 'Any' }, handler: 0 }],
    ['plugin:webview|create_webview_window', {
      options: { label: 'evil', url: 'tauri://localhost/index.html' },
    }],
    ['plugin:window|close', { label: 'main' }],
    ['plugin:deep-link|get_current', {}],
  ];

  const results = [];
  const TIMEOUT = {};

  function record(attempt, outcome, detail) {
    results.push({ attempt: attempt, outcome: outcome, detail: String(detail) });
  }

  function describe(error) {
    if (typeof error === 'string') return error;
    if (error instanceof Error) return error.name + ': ' + error.message;
    try {
      return JSON.stringify(error);
    } catch (e) {
      return String(error);
    }
  }

  function withTimeout(promise) {
    const late = new Promise((resolve) => setTimeout(() => resolve(TIMEOUT), WAIT_MS));
    return Promise.race([Promise.resolve(promise), late]);
  }

  function internals() {
    const found = window.__TAURI_INTERNALS__;
    return found && typeof found.invoke === 'function' ? found : null;
  }

  function globals() {
    const tauri = window.__TAURI__;
    record('window.__TAURI__', tauri === undefined ? 'absent' : 'present', typeof tauri);
    const ipcV1 = window.__TAURI_IPC__;
    record('window.__TAURI_IPC__', ipcV1 === undefined ? 'absent' : 'present', typeof ipcV1);
    const found = window.__TAURI_INTERNALS__;
    record('window.__TAURI_INTERNALS__', found === undefined ? 'absent' : 'present',
      found ? Object.keys(found).sort().join(',') : typeof found);
  }

  async function invoke(command, args) {
    const attempt = 'invoke ' + command;
    const tauri = internals();
    if (!tauri) {
      record(attempt, 'absent', 'no __TAURI_INTERNALS__.invoke');
      return;
    }
    try {
      const value = await withTimeout(tauri.invoke(command, args));
      if (value === TIMEOUT) record(attempt, 'no answer', 'within ' + WAIT_MS + ' ms');
      else record(attempt, 'answered', JSON.stringify(value === undefined ? null : value));
    } catch (error) {
      record(attempt, 'refused', describe(error));
    }
  }

  // The IPC custom protocol without the invoke key Tauri's own script carries.
  async function rawFetch(url) {
    const attempt = 'fetch ' + url;
    try {
      const call = fetch(url, {
        method: 'POST',
        body: '{}',
        headers: { 'Content-Type': 'application/json', 'Tauri-Callback': '1', 'Tauri-Error': '2' },
      });
      const response = await withTimeout(call);
      if (response === TIMEOUT) {
        record(attempt, 'ignored', 'no response within ' + WAIT_MS + ' ms');
      } else if (response.ok && response.headers.get('Tauri-Response') === 'ok') {
        record(attempt, 'answered', await response.text());
      } else {
        record(attempt, 'refused', 'HTTP ' + response.status + ' ' + (await response.text()));
      }
    } catch (error) {
      record(attempt, 'refused', describe(error));
    }
  }

  // The webview's raw message channel with a made-up invoke key.
  async function rawPostMessage() {
    const attempt = 'window.ipc.postMessage app_status';
    const tauri = internals();
    const channel = window.ipc;
    if (!tauri || !channel || typeof channel.postMessage !== 'function') {
      record(attempt, 'absent', 'window.ipc: ' + typeof channel);
      return;
    }
    const reply = new Promise((resolve) => {
      const callback = tauri.transformCallback((value) => resolve(['answered', value]), true);
      const error = tauri.transformCallback((value) => resolve(['refused', value]), true);
      channel.postMessage(JSON.stringify({
        cmd: 'app_status', callback: callback, error: error, payload: {}, options: null,
        __TAURI_INVOKE_KEY__: 'not-the-key',
      }));
    });
    const outcome = await withTimeout(reply);
    if (outcome === TIMEOUT) record(attempt, 'ignored', 'no callback within ' + WAIT_MS + ' ms');
    else record(attempt, outcome[0], describe(outcome[1]));
  }

  function postTo(name, target) {
    const attempt = 'postMessage to window.' + name;
    if (!target) {
      record(attempt, 'absent', String(target));
    } else if (target === window) {
      record(attempt, 'self', 'window.' + name + ' is this page');
    } else {
      target.postMessage({ hostile: name, command: 'sign_out' }, '*');
      record(attempt, 'sent', 'a window other than this page exists');
    }
  }

  function broadcast() {
    const attempt = 'BroadcastChannel ' + CHANNEL;
    if (typeof BroadcastChannel !== 'function') {
      record(attempt, 'absent', typeof BroadcastChannel);
      return;
    }
    const channel = new BroadcastChannel(CHANNEL);
    channel.postMessage({ hostile: 'broadcast', command: 'sign_out' });
    channel.close();
    record(attempt, 'sent', 'the channel reaches pages of ' + location.origin + ' only');
  }

  function show(done) {
    const out = document.getElementById('hostile-results');
    if (!out) return;
    out.textContent = '[\n' + results.map((r) => JSON.stringify(r)).join(',\n') + '\n]';
    // __TAURI_INTERNALS__ is there in every webview; what matters is whether it answers.
    const reached = results.filter((r) => ['answered', 'no answer'].includes(r.outcome)
      || (r.outcome === 'present' && r.attempt !== 'window.__TAURI_INTERNALS__'));
    const summary = document.getElementById('hostile-summary');
    if (summary) {
      summary.textContent = 'Hostile page: ' + results.length + ' attempts'
        + (done ? '' : ' so far') + ', ' + reached.length + ' reached the app';
    }
    if (done) out.dataset.done = 'true';
  }

  async function run() {
    try {
      globals();
      postTo('opener', window.opener);
      postTo('parent', window.parent);
      postTo('top', window.top);
      broadcast();
      show(false);
      await Promise.all(COMMANDS.map(([command, args]) => invoke(command, args)));
      show(false);
      await rawFetch('ipc://localhost/app_status');
      await rawFetch('http://ipc.localhost/app_status');
      await rawPostMessage();
    } catch (error) {
      record('the hostile script itself', 'crashed', describe(error));
    }
    show(true);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', run);
  } else {
    run();
  }
})();
