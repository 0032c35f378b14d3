// Drives the local gateway's browser console in a real browser: Debian's chromium, through playwright-core (pinned in
// package.json). Usage: node console-e2e.mjs   with SWITCHBOARD_CONSOLE_URL (http://127.0.0.1:PORT/) and
// SWITCHBOARD_API_KEY (the gateway's key, which the console must show prefilled) in the environment, and optionally
// SWITCHBOARD_SCREENSHOTS (comma-separated PNG paths to write) and CHROMIUM (default /usr/bin/chromium).
// Prints one JSON object per line: {"step": ...}; the last line is {"result":"ok"} or {"result":"failed",...}.
// Exits 0 only when every check held.
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';

const consoleUrl = process.env.SWITCHBOARD_CONSOLE_URL;
const apiKey = process.env.SWITCHBOARD_API_KEY;
const screenshots = (process.env.SWITCHBOARD_SCREENSHOTS || '').split(',').filter(Boolean);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const WAIT = 15000;

const log = (o) => console.log(JSON.stringify(o));
function check(condition, message) {
  if (!condition) throw new Error(message);
}
if (!consoleUrl || !apiKey) {
  log({ result: 'failed', reason: 'SWITCHBOARD_CONSOLE_URL and SWITCHBOARD_API_KEY are required' });
  process.exit(2);
}

const profile = mkdtempSync(join(tmpdir(), 'switchboard-chromium-'));
let context;
const pageErrors = [];

/** The panel of the subscription to {@code channel}. */
const panel = (page, channel) => page.locator(`.subscription[data-channel="${channel}"]`);

async function subscribe(page, channel) {
  await page.fill('#sub-channel', channel);
  await page.click('#subscribe');
  await panel(page, channel).locator('.state').waitFor({ state: 'visible', timeout: WAIT });
}

/** The events shown in a subscription's panel, parsed, oldest first. */
async function eventsOf(page, channel) {
  const texts = await panel(page, channel).locator('.events li.data pre').allTextContents();
  return texts.reverse().map((text) => JSON.parse(text));
}

async function waitForEvents(page, channel, count) {
  await page.waitForFunction(
    ([selector, n]) => document.querySelectorAll(selector).length >= n,
    [`.subscription[data-channel="${channel}"] .events li.data`, count],
    { timeout: WAIT },
  );
  return eventsOf(page, channel);
}

async function publish(page, button, channel, events) {
  await page.fill('#pub-channel', channel);
  await page.fill('#pub-events', events);
  await page.click(button);
}

async function main() {
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
    viewport: { width: 1280, height: 1000 },
  });
  const page = context.pages()[0] || await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    // a refused publish is a 4xx the page expects; Chromium still reports it as a failed resource load
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
  });

  await page.goto(consoleUrl, { waitUntil: 'load', timeout: WAIT });
  check((await page.title()) === 'Switchboard console', `unexpected page title ${await page.title()}`);
  await page.waitForFunction(() => document.getElementById('api-key').value !== '', null, { timeout: WAIT });
  check(await page.inputValue('#api-key') === apiKey, 'the API key field is not prefilled with the gateway\'s key');
  check(await page.getAttribute('#status', 'data-state') === 'disconnected', 'the console must start disconnected');
  check(await page.isDisabled('#subscribe'), 'subscribing must wait for a connection');
  log({ step: 'opened', httpEndpoint: await page.inputValue('#http-endpoint'), realtimeEndpoint: await page.inputValue('#realtime-endpoint') });

  // connect: connecting, then connected once connection_ack arrives
  await page.click('#connect');
  await page.waitForSelector('#status[data-state="connected"]', { timeout: WAIT });
  check((await page.textContent('#status')).trim() === 'Connected', 'the status does not say Connected');
  log({ step: 'connected' });

  // several subscriptions at once, each with its own state and events
  await subscribe(page, '/default/*');
  await subscribe(page, '/default/test');
  await page.waitForSelector('.subscription[data-channel="/default/*"] .state[data-state="subscribed"]', { timeout: WAIT });
  await page.waitForSelector('.subscription[data-channel="/default/test"] .state[data-state="subscribed"]', { timeout: WAIT });
  log({ step: 'subscribed', channels: ['/default/*', '/default/test'] });

  // publish over HTTP: the event appears in the /default/* panel (and in /default/test, which matches too)
  await publish(page, '#publish-http', '/default/test', '{"hello":"browser"}');
  const httpEvents = await waitForEvents(page, '/default/*', 1);
  check(JSON.stringify(httpEvents[0]) === '{"hello":"browser"}', `/default/* shows ${JSON.stringify(httpEvents)}`);
  await page.waitForFunction(() => document.getElementById('publish-result').textContent.startsWith('HTTP 200'), null, { timeout: WAIT });
  const testEvents = await waitForEvents(page, '/default/test', 1);
  check(JSON.stringify(testEvents[0]) === '{"hello":"browser"}', `/default/test shows ${JSON.stringify(testEvents)}`);
  log({ step: 'http-published', shown: httpEvents[0], result: (await page.textContent('#publish-result')).split('\n')[0] });

  // publish over WebSocket, a batch of two, to a channel only the wildcard matches
  await publish(page, '#publish-ws', '/default/room/42', '[{"hello":"websocket"},{"n":2}]');
  const wsEvents = await waitForEvents(page, '/default/*', 3);
  check(JSON.stringify(wsEvents.slice(1)) === '[{"hello":"websocket"},{"n":2}]', `after the WebSocket publish: ${JSON.stringify(wsEvents)}`);
  await page.waitForFunction(() => document.getElementById('publish-result').textContent.includes('publish_success'), null, { timeout: WAIT });
  check((await eventsOf(page, '/default/test')).length === 1, '/default/test must not receive /default/room/42');
  log({ step: 'ws-published', shown: wsEvents.slice(1), result: (await page.textContent('#publish-result')).split('\n')[0] });

  // errors live per subscription: an unknown namespace fails that subscription only
  await subscribe(page, '/nowhere/*');
  await page.waitForSelector('.subscription[data-channel="/nowhere/*"] .state[data-state="error"]', { timeout: WAIT });
  const failure = await panel(page, '/nowhere/*').locator('.events li.failure pre').first().textContent();
  check(failure.includes('ResourceNotFound'), `the failed subscription shows ${failure}`);
  check(await page.getAttribute('#status', 'data-state') === 'connected', 'a failed subscribe must not end the connection');
  log({ step: 'subscribe-error-shown', failure });

  // a refused HTTP publish is shown as such
  await publish(page, '#publish-http', '/default/*', '{"hello":"wildcard"}');
  await page.waitForFunction(() => document.getElementById('publish-result').classList.contains('failed'), null, { timeout: WAIT });
  log({ step: 'publish-error-shown', result: (await page.textContent('#publish-result')).split('\n')[0] });
  await publish(page, '#publish-http', '/default/test', '{"hello":"browser"}'); // leave a successful result on screen
  await page.waitForFunction(() => document.getElementById('publish-result').textContent.startsWith('HTTP 200'), null, { timeout: WAIT });
  await waitForEvents(page, '/default/*', 4);

  // credentials never reach the screen's protocol log
  const activity = await page.textContent('#activity');
  check(!activity.includes(apiKey), 'the protocol log shows the API key');
  check(activity.includes('"x-api-key":"***"'), 'the protocol log does not show masked frames');

  for (const path of screenshots) {
    mkdirSync(dirname(path), { recursive: true });
    await page.screenshot({ path, fullPage: true });
  }
  log({ step: 'screenshot', paths: screenshots });

  await page.click('#disconnect');
  await page.waitForSelector('#status[data-state="disconnected"]', { timeout: WAIT });
  log({ step: 'disconnected' });
  check(pageErrors.length === 0, `errors in the page: ${pageErrors.join(' | ')}`);
}

try {
  await main();
  log({ result: 'ok' });
} catch (error) {
  log({ result: 'failed', reason: String(error?.message || error), pageErrors });
  process.exitCode = 1;
} finally {
  if (context) await context.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
