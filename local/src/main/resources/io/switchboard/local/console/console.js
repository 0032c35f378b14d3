// Switchboard console: the AWS AppSync Events protocol spoken from the browser, no framework and no network
// beyond this gateway. WebSocket: subprotocols "aws-appsync-event-ws" + "header-<base64url JSON of host and
// credentials>", connection_init, then subscribe / unsubscribe / publish frames carrying "authorization".
// HTTP: POST <endpoint> {"channel", "events"} with x-api-key or Authorization.
'use strict';

(() => {
  const SUBPROTOCOL = 'aws-appsync-event-ws';
  const MAX_EVENTS = 5;
  const MAX_ACTIVITY = 300;
  const MAX_EVENTS_SHOWN = 200;
  const $ = (id) => document.getElementById(id);

  const state = {
    ws: null,
    status: 'disconnected',
    auth: null,                // the authorization object of this connection: host + credential
    closingOnPurpose: false,
    timeoutMs: 300000,
    livenessTimer: null,
    subscriptions: new Map(),  // id -> subscription view
    publishes: new Map(),      // id -> channel of a WebSocket publish awaiting its answer
  };

  // ------------------------------------------------------------------ helpers

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function base64Url(text) {
    let binary = '';
    new TextEncoder().encode(text).forEach((byte) => { binary += String.fromCharCode(byte); });
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function time() {
    return new Date().toLocaleTimeString([], { hour12: false }) + '.' + String(Date.now() % 1000).padStart(3, '0');
  }

  function pretty(text) {
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch (e) {
      return String(text);
    }
  }

  function errorsText(errors) {
    if (!Array.isArray(errors) || errors.length === 0) return 'no detail';
    return errors.map((e) => `${e.errorType || 'Error'}: ${e.message || ''}`.trim()).join('\n');
  }

  /** A copy of a frame fit for the screen: every credential in "authorization" replaced by ***. */
  function masked(frame) {
    if (!frame || typeof frame !== 'object' || !frame.authorization) return frame;
    const copy = { ...frame, authorization: {} };
    for (const [name, value] of Object.entries(frame.authorization)) {
      copy.authorization[name] = name.toLowerCase() === 'host' ? value : '***';
    }
    return copy;
  }

  function activity(direction, content, bad) {
    const list = $('activity');
    const item = document.createElement('li');
    item.className = direction === '→' ? 'out' : direction === '←' ? 'in' : 'note';
    if (bad) item.classList.add('bad');
    const dir = document.createElement('span');
    dir.className = 'dir';
    dir.textContent = direction;
    item.append(dir, `${time()}  ${typeof content === 'string' ? content : JSON.stringify(masked(content))}`);
    list.append(item);
    while (list.children.length > MAX_ACTIVITY) list.firstElementChild.remove();
    list.scrollTop = list.scrollHeight;
  }

  // ------------------------------------------------------------------ settings

  function authMode() {
    return document.querySelector('input[name=auth-mode]:checked').value;
  }

  function httpHost() {
    return new URL($('http-endpoint').value).host;
  }

  /** Credentials as headers: for the header- subprotocol, the frames' "authorization" and HTTP publishes. */
  function credentials() {
    if (authMode() === 'apiKey') {
      const key = $('api-key').value.trim();
      if (!key) throw new Error('Enter an API key');
      return { 'x-api-key': key };
    }
    const token = $('token').value.trim();
    if (!token) throw new Error('Enter an authorization token');
    return { Authorization: token };
  }

  function showAuthFields() {
    const apiKey = authMode() === 'apiKey';
    $('api-key-field').hidden = !apiKey;
    $('token-field').hidden = apiKey;
  }

  async function loadConfig() {
    const secure = location.protocol === 'https:';
    let config = {};
    try {
      const response = await fetch('console/config.json', { cache: 'no-store' });
      if (response.ok) config = await response.json();
    } catch (e) {
      // served from elsewhere: derive everything from the page's own address
    }
    const own = (scheme, path) => `${scheme}://${location.host}${path}`;
    let http = config.httpEndpoint || own(secure ? 'https' : 'http', '/event');
    let realtime = config.realtimeEndpoint || own(secure ? 'wss' : 'ws', '/event/realtime');
    if (secure) { // the gateway serves TLS on the same port: keep the page's scheme, browsers block mixed content
      http = http.replace(/^http:/, 'https:');
      realtime = realtime.replace(/^ws:/, 'wss:');
    }
    $('http-endpoint').value = http;
    $('realtime-endpoint').value = realtime;
    if (config.apiKey && !$('api-key').value) $('api-key').value = config.apiKey;
  }

  // ------------------------------------------------------------------ connection

  function setStatus(status, message) {
    state.status = status;
    const labels = { disconnected: 'Disconnected', connecting: 'Connecting…', connected: 'Connected', error: 'Error' };
    const pill = $('status');
    pill.dataset.state = status;
    pill.textContent = labels[status];
    const error = $('connection-error');
    error.hidden = !message;
    error.textContent = message || '';
    const live = status === 'connecting' || status === 'connected';
    $('connect').disabled = live;
    $('disconnect').disabled = !live;
    for (const id of ['http-endpoint', 'realtime-endpoint', 'api-key', 'token']) $(id).disabled = live;
    document.querySelectorAll('input[name=auth-mode]').forEach((radio) => { radio.disabled = live; });
    $('subscribe').disabled = status !== 'connected';
    $('publish-ws').disabled = status !== 'connected';
    $('subscribe').title = status === 'connected' ? '' : 'Connect first';
    $('publish-ws').title = status === 'connected' ? '' : 'Connect first';
  }

  function send(frame) {
    activity('→', frame);
    state.ws.send(JSON.stringify(frame));
  }

  function connect() {
    let auth;
    let realtime;
    try {
      auth = { host: httpHost(), ...credentials() };
      realtime = new URL($('realtime-endpoint').value).href;
    } catch (e) {
      setStatus('error', e.message);
      return;
    }
    state.auth = auth;
    state.closingOnPurpose = false;
    setStatus('connecting');
    activity('·', `opening ${realtime} (subprotocols ${SUBPROTOCOL}, header-***)`);
    let ws;
    try {
      ws = new WebSocket(realtime, [SUBPROTOCOL, 'header-' + base64Url(JSON.stringify(auth))]);
    } catch (e) {
      setStatus('error', `Cannot open ${realtime}: ${e.message}`);
      return;
    }
    state.ws = ws;
    ws.onopen = () => send({ type: 'connection_init' });
    ws.onmessage = (message) => { if (state.ws === ws) receive(message.data); };
    ws.onclose = (event) => { if (state.ws === ws) closed(event); };
  }

  function disconnect() {
    if (!state.ws) return;
    state.closingOnPurpose = true;
    activity('·', 'closing the connection');
    state.ws.close(1000, 'console disconnect');
  }

  function keepAlive() {
    clearTimeout(state.livenessTimer);
    state.livenessTimer = setTimeout(() => {
      if (!state.ws) return;
      setStatus('error', `Nothing received for ${state.timeoutMs / 1000} s (no keep-alive): connection dropped`);
      state.ws.close(4000, 'keep-alive timeout');
    }, state.timeoutMs);
  }

  function closed(event) {
    clearTimeout(state.livenessTimer);
    state.ws = null;
    const reason = event.reason ? ` ${event.reason}` : '';
    activity('·', `connection closed: ${event.code}${reason}`, !state.closingOnPurpose && event.code !== 1000);
    for (const subscription of state.subscriptions.values()) subscription.closed();
    for (const id of state.publishes.keys()) publishResult(`WebSocket publish ${id}: the connection closed first`, true);
    state.publishes.clear();
    if (state.status === 'error') {
      setStatus('error', $('connection-error').textContent);
    } else if (state.closingOnPurpose || (event.code === 1000 && state.status === 'connected')) {
      setStatus('disconnected');
    } else if (state.status === 'connecting') {
      setStatus('error', `The connection was refused or dropped before it was acknowledged (close ${event.code}${reason}).`
        + ' Check the endpoint and the credentials.');
    } else {
      setStatus('error', `The connection closed (code ${event.code}${reason})`);
    }
  }

  function receive(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch (e) {
      activity('←', text, true);
      return;
    }
    keepAlive(); // any frame is a sign of life
    if (frame.type !== 'ka') activity('←', frame, Boolean(frame.errors));
    const subscription = frame.id ? state.subscriptions.get(frame.id) : undefined;
    switch (frame.type) {
      case 'connection_ack':
        state.timeoutMs = frame.connectionTimeoutMs || 300000;
        keepAlive();
        setStatus('connected');
        break;
      case 'ka':
        break;
      case 'connection_error':
        setStatus('error', `Connection refused — ${errorsText(frame.errors)}`);
        break;
      case 'subscribe_success':
        if (subscription) subscription.setState('subscribed');
        break;
      case 'subscribe_error':
        if (subscription) subscription.failed('subscribe_error', frame.errors);
        break;
      case 'data':
        if (subscription) subscription.event(frame.event);
        break;
      case 'broadcast_error':
        if (subscription) subscription.failure('broadcast_error', frame.errors);
        break;
      case 'unsubscribe_success':
        if (subscription) subscription.remove();
        break;
      case 'unsubscribe_error':
        if (subscription) subscription.failure('unsubscribe_error', frame.errors);
        break;
      case 'publish_success':
      case 'publish_error':
        answerPublish(frame);
        break;
      case 'error':
        if (subscription) {
          subscription.failed('error', frame.errors);
        } else if (frame.id && state.publishes.has(frame.id)) {
          answerPublish(frame);
        } else {
          activity('·', `error: ${errorsText(frame.errors)}`, true);
        }
        break;
      default:
        activity('·', `unexpected frame type ${frame.type}`, true);
    }
  }

  // ------------------------------------------------------------------ subscriptions

  function subscribe(channel) {
    const id = uuid();
    const view = subscriptionView(id, channel);
    state.subscriptions.set(id, view);
    $('no-subscriptions').hidden = true;
    send({ type: 'subscribe', id, channel, authorization: state.auth });
  }

  function subscriptionView(id, channel) {
    const node = $('subscription-template').content.firstElementChild.cloneNode(true);
    node.dataset.id = id;
    node.dataset.channel = channel;
    node.querySelector('.channel').textContent = channel;
    node.querySelector('.channel').title = `subscription id ${id}`;
    const pill = node.querySelector('.state');
    const list = node.querySelector('.events');
    const placeholder = document.createElement('li');
    placeholder.className = 'empty';
    placeholder.textContent = 'Waiting for events…';
    list.append(placeholder);
    $('subscriptions').append(node);

    const add = (kind, label, body) => {
      placeholder.remove();
      const item = document.createElement('li');
      item.className = kind;
      const meta = document.createElement('div');
      meta.className = 'meta';
      meta.textContent = `${time()} · ${label}`;
      const pre = document.createElement('pre');
      pre.textContent = body;
      item.append(meta, pre);
      list.prepend(item);
      while (list.children.length > MAX_EVENTS_SHOWN) list.lastElementChild.remove();
    };
    const view = {
      setState(value) {
        pill.dataset.state = value;
        pill.textContent = { subscribing: 'Subscribing', subscribed: 'Subscribed', error: 'Error', closed: 'Closed' }[value];
      },
      event(text) {
        add('data', 'event', pretty(text));
      },
      failure(type, errors) {
        add('failure', type, errorsText(errors));
      },
      failed(type, errors) {
        view.setState('error');
        view.failure(type, errors);
        state.subscriptions.delete(id); // the server holds no such subscription
      },
      closed() {
        if (pill.dataset.state !== 'error') view.setState('closed');
        state.subscriptions.delete(id);
      },
      remove() {
        state.subscriptions.delete(id);
        node.remove();
        $('no-subscriptions').hidden = $('subscriptions').children.length > 0;
      },
    };
    node.querySelector('.clear').addEventListener('click', () => {
      list.replaceChildren(placeholder);
    });
    node.querySelector('.unsubscribe').addEventListener('click', () => {
      if (state.subscriptions.has(id) && state.ws && state.status === 'connected') {
        send({ type: 'unsubscribe', id });
      } else {
        view.remove();
      }
    });
    return view;
  }

  // ------------------------------------------------------------------ publish

  /** The events to publish: each a JSON text. An array is a batch, anything else one event. */
  function events() {
    const text = $('pub-events').value;
    let value;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new Error(`Events must be JSON: ${e.message}`);
    }
    const batch = Array.isArray(value) ? value : [value];
    if (batch.length < 1 || batch.length > MAX_EVENTS) {
      throw new Error(`A publish carries 1 to ${MAX_EVENTS} events; the array has ${batch.length}`);
    }
    return batch.map((event) => JSON.stringify(event));
  }

  function publishResult(text, failed) {
    const result = $('publish-result');
    result.hidden = false;
    result.textContent = text;
    result.classList.toggle('failed', Boolean(failed));
  }

  function summary(body) {
    const ok = Array.isArray(body.successful) ? body.successful.length : 0;
    const failed = Array.isArray(body.failed) ? body.failed.length : 0;
    return `${ok} successful, ${failed} failed`;
  }

  async function publishHttp() {
    let payload;
    let headers;
    try {
      payload = { channel: $('pub-channel').value.trim(), events: events() };
      headers = { 'content-type': 'application/json', ...credentials() };
    } catch (e) {
      publishResult(e.message, true);
      return;
    }
    const endpoint = $('http-endpoint').value;
    publishResult(`HTTP POST ${endpoint} …`, false);
    activity('→', `POST ${endpoint} ${JSON.stringify(payload)}`);
    try {
      const response = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify(payload) });
      const text = await response.text();
      activity('←', `HTTP ${response.status} ${text}`, !response.ok);
      let body = {};
      try { body = JSON.parse(text); } catch (e) { /* shown as text */ }
      const headline = response.ok ? `HTTP ${response.status}: ${summary(body)}` : `HTTP ${response.status}: ${errorsText(body.errors)}`;
      publishResult(`${headline}\n${pretty(text)}`, !response.ok || (Array.isArray(body.failed) && body.failed.length > 0));
    } catch (e) {
      publishResult(`HTTP publish failed: ${e.message}`, true);
    }
  }

  function publishWebSocket() {
    let frame;
    try {
      frame = { type: 'publish', id: uuid(), channel: $('pub-channel').value.trim(), events: events(), authorization: state.auth };
    } catch (e) {
      publishResult(e.message, true);
      return;
    }
    state.publishes.set(frame.id, frame.channel);
    publishResult('WebSocket publish …', false);
    send(frame);
  }

  function answerPublish(frame) {
    if (!state.publishes.delete(frame.id)) return;
    if (frame.type === 'publish_success') {
      publishResult(`WebSocket publish_success: ${summary(frame)}\n${JSON.stringify({ successful: frame.successful, failed: frame.failed }, null, 2)}`,
        Array.isArray(frame.failed) && frame.failed.length > 0);
    } else {
      publishResult(`WebSocket ${frame.type}: ${errorsText(frame.errors)}`, true);
    }
  }

  // ------------------------------------------------------------------ wiring

  $('connection-form').addEventListener('submit', (event) => { event.preventDefault(); connect(); });
  $('disconnect').addEventListener('click', disconnect);
  document.querySelectorAll('input[name=auth-mode]').forEach((radio) => radio.addEventListener('change', showAuthFields));
  $('subscribe-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const channel = $('sub-channel').value.trim();
    if (channel && state.status === 'connected') subscribe(channel);
  });
  $('publish-http').addEventListener('click', publishHttp);
  $('publish-ws').addEventListener('click', publishWebSocket);

  setStatus('disconnected');
  showAuthFields();
  loadConfig().then(() => activity('·', 'console ready'));
})();
