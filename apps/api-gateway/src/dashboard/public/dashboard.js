// Ops dashboard: asks for the API key, then loads every panel and refreshes them on a timer.
import { apiGet, forgetKey, KeyRefused, storedKey, storeKey } from './api.js';
import { problem } from './dom.js';
import { loadPerformance, loadSignals } from './panels-charts.js';
import { loadDeadLetters, loadExits, loadHealth, loadModels, loadTraining } from './panels-status.js';

const $ = (id) => document.getElementById(id);
const DAY_MS = 86_400_000;

let timer = null;
let running = false;

/** Each panel with its loader; a failing panel shows its own error and the others still load. */
const PANELS = [
  ['panel-health', () => loadHealth()],
  ['panel-dlq', () => loadDeadLetters()],
  ['panel-signals', (w) => loadSignals(w.day)],
  ['panel-pnl', (w) => loadPerformance(w.week)],
  ['panel-models', () => loadModels()],
  ['panel-training', () => loadTraining()],
  ['panel-exits', (w) => loadExits(w.day)],
];

function refusedMessage(err) {
  return `The gateway refused this API key (${err.status}: ${err.message}). Check the key (MODEL_SERVICE_API_KEY) and enter it again.`;
}

function showLogin(message) {
  stopTimer();
  $('panels').hidden = true;
  $('controls').hidden = true;
  $('login').hidden = false;
  const error = $('login-error');
  error.hidden = !message;
  error.textContent = message ?? '';
  $('api-key').value = '';
  $('api-key').focus();
}

function showPanels() {
  $('login').hidden = true;
  $('panels').hidden = false;
  $('controls').hidden = false;
}

async function refresh() {
  if (running) return;
  running = true;
  const now = Date.now();
  const windows = { day: new Date(now - DAY_MS).toISOString(), week: new Date(now - 7 * DAY_MS).toISOString() };
  try {
    const results = await Promise.allSettled(PANELS.map(([, load]) => load(windows)));
    const refused = results.find((r) => r.status === 'rejected' && r.reason instanceof KeyRefused);
    if (refused) {
      forgetKey();
      showLogin(refusedMessage(refused.reason));
      return;
    }
    results.forEach((r, i) => {
      if (r.status === 'rejected') {
        const id = PANELS[i][0];
        problem(id, `Could not load: ${r.reason?.message ?? r.reason}`);
        if (id === 'panel-pnl') problem('panel-winrate', `Could not load: ${r.reason?.message ?? r.reason}`);
      }
    });
    $('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
  } finally {
    running = false;
  }
}

function stopTimer() {
  if (timer !== null) clearInterval(timer);
  timer = null;
}

function startTimer() {
  stopTimer();
  const seconds = Number($('refresh-every').value);
  if (seconds > 0) {
    timer = setInterval(() => {
      // A hidden tab does not poll; it catches up when shown again.
      if (!document.hidden) void refresh();
    }, seconds * 1000);
  }
}

async function open() {
  showPanels();
  await refresh();
  if (!$('panels').hidden) startTimer();
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = $('api-key').value.trim();
  if (!key) return;
  $('login-submit').disabled = true;
  try {
    // One call checks the key before anything is stored.
    await apiGet('monitoring/services', key);
    storeKey(key);
    await open();
  } catch (err) {
    showLogin(err instanceof KeyRefused ? refusedMessage(err) : `The gateway did not answer as expected: ${err.message}`);
  } finally {
    $('login-submit').disabled = false;
  }
});

$('refresh-every').addEventListener('change', startTimer);
$('refresh-now').addEventListener('click', () => void refresh());
$('sign-out').addEventListener('click', () => {
  forgetKey();
  showLogin();
});
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && timer !== null) void refresh();
});

if (storedKey()) void open();
else showLogin();
