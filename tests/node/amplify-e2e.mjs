// Drives the stock, unmodified Amplify JS client (aws-amplify, pinned in package.json) against a Switchboard
// endpoint. Usage: node amplify-e2e.mjs <scenario>   with SWITCHBOARD_ENDPOINT (http://127.0.0.1:PORT/event),
// SWITCHBOARD_API_KEY and NODE_EXTRA_CA_CERTS (the local gateway's certificate) in the environment.
// Prints one JSON object per line: {"step": ..., ...}; the last line is {"result":"ok"} or {"result":"failed",...}.
// Exits 0 only when every check of the scenario held.
import WebSocket from 'ws';
import { Amplify } from 'aws-amplify';
import { events } from 'aws-amplify/data';

globalThis.WebSocket = WebSocket; // Node 20 has no global WebSocket; Amplify uses the global one.

const endpoint = process.env.SWITCHBOARD_ENDPOINT;
const apiKey = process.env.SWITCHBOARD_API_KEY;
const scenario = process.argv[2] || 'main';
if (!endpoint || !apiKey) {
  console.log(JSON.stringify({ result: 'failed', reason: 'SWITCHBOARD_ENDPOINT and SWITCHBOARD_API_KEY are required' }));
  process.exit(2);
}

const log = (o) => console.log(JSON.stringify(o));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function within(ms, promise, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms); }),
  ]);
}
async function until(predicate, ms, what) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (predicate()) return;
    await sleep(20);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}
function check(condition, message) {
  if (!condition) throw new Error(message);
}

Amplify.configure({
  API: { Events: { endpoint, region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey: scenario === 'bad-key' ? 'da2-wrongwrongwrongwrongwrong00' : apiKey } },
});

async function main() {
  const received = [];
  const channel = await within(20000, events.connect('/sample/channel/*'), 'events.connect');
  log({ step: 'connected' });
  const sub = channel.subscribe({
    next: (data) => received.push(data),
    error: (err) => log({ step: 'unexpected-subscription-error', error: String(err?.message || err) }),
  });
  await within(20000, sub.ready, 'subscription ready');
  log({ step: 'subscribed' });

  // 1. HTTP publish (events.post) of several events: an object, a bare string, unicode.
  const batch = [{ message: 'hello', n: 1 }, 'just a string', { text: 'grüße 👋 日本語', nested: { list: [1, 2, 3] } }];
  const postResult = await within(20000, events.post('/sample/channel/test', batch), 'events.post');
  log({ step: 'posted', postResult: postResult ?? null });
  await until(() => received.length >= 3, 10000, '3 events from events.post');
  await sleep(300); // anything extra (duplicates) would arrive now
  const events1 = received.map((d) => d.event);
  check(received.length === 3, `expected exactly 3 events, got ${received.length}: ${JSON.stringify(events1)}`);
  check(JSON.stringify(events1) === JSON.stringify(batch), `payloads differ: ${JSON.stringify(events1)}`);
  log({ step: 'post-delivered', events: events1 });

  // 2. WebSocket publish (channel.publish) is acknowledged and delivered.
  const wsChannel = await within(20000, events.connect('/sample/channel/ws'), 'events.connect ws channel');
  const ack = await within(20000, wsChannel.publish({ via: 'websocket', ok: true }), 'channel.publish ack');
  log({ step: 'ws-published', ack });
  await until(() => received.length >= 4, 10000, 'the WebSocket-published event');
  check(JSON.stringify(received[3].event) === JSON.stringify({ via: 'websocket', ok: true }), `ws event differs: ${JSON.stringify(received[3])}`);
  log({ step: 'ws-delivered', event: received[3].event });

  // 3. A refused subscription reaches its error callback; the socket and the other subscription stay up.
  let refusal = null;
  const badChannel = await within(20000, events.connect('/nowhere/channel'), 'events.connect unknown namespace');
  const badSub = badChannel.subscribe({ next: () => {}, error: (err) => { refusal = err; } });
  await within(20000, badSub.ready.then(() => { throw new Error('subscription to an unknown namespace was accepted'); }, (e) => e), 'refusal');
  await until(() => refusal !== null, 10000, 'the error callback');
  const refusalText = JSON.stringify(refusal?.errors ?? refusal?.message ?? String(refusal));
  log({ step: 'refused', error: refusalText });
  check(/ResourceNotFound|not found/i.test(refusalText), `refusal does not say why: ${refusalText}`);
  await within(20000, events.post('/sample/channel/after', { still: 'alive' }), 'post after refusal');
  await until(() => received.length >= 5, 10000, 'delivery after the refusal');
  check(JSON.stringify(received[4].event) === JSON.stringify({ still: 'alive' }), 'event after refusal differs');
  log({ step: 'alive-after-refusal' });

  sub.unsubscribe();
  await within(20000, events.closeAll(), 'events.closeAll');
  log({ step: 'closed' });
}

async function badKey() {
  const started = Date.now();
  let outcome;
  try {
    const channel = await within(30000, events.connect('/sample/channel/*'), 'events.connect with a wrong key');
    const sub = channel.subscribe({ next: () => {}, error: () => {} });
    await within(30000, sub.ready, 'subscription with a wrong key');
    outcome = { rejected: false };
  } catch (e) {
    outcome = { rejected: true, error: String(e?.message || e), errors: e?.errors ?? null };
  }
  log({ step: 'bad-key', ...outcome, ms: Date.now() - started });
  check(outcome.rejected, 'connect with a wrong API key was not rejected');
  check(!/timed out/.test(outcome.error), `connect was not rejected but hung/retried: ${outcome.error}`);
  await events.closeAll().catch(() => {});
}

try {
  if (scenario === 'main') await main();
  else if (scenario === 'bad-key') await badKey();
  else throw new Error(`unknown scenario ${scenario}`);
  log({ result: 'ok' });
  process.exit(0);
} catch (e) {
  log({ result: 'failed', reason: String(e?.stack || e) });
  process.exit(1);
}
