// Small DOM helpers. Text always goes in as text nodes (never innerHTML): values come from the API.

/** el('td', { class: 'num' }, 'text', childNode, ...) */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const badge = (text, kind = text) => el('span', { class: `badge ${kind}` }, text);

const cellClass = (o) => [o?.num ? 'num' : '', o?.wrap ? 'wrap' : ''].join(' ').trim() || undefined;

/** A table; `columns` are [header, cell(row), { num, wrap }?]; `rowAttrs(row)` adds attributes to a row. */
export function table(columns, rows, rowAttrs = () => ({})) {
  return el(
    'table',
    {},
    el('thead', {}, el('tr', {}, columns.map(([h, , o]) => el('th', { class: cellClass(o) }, h)))),
    el('tbody', {}, rows.map((r) => el('tr', rowAttrs(r), columns.map(([, cell, o]) => el('td', { class: cellClass(o) }, cell(r)))))),
  );
}

/** The panel's body replaced by `content`; data-state tells tests and styles what it shows. */
export function show(panelId, state, ...content) {
  const panel = document.getElementById(panelId);
  panel.dataset.state = state;
  const body = panel.querySelector('.body');
  body.replaceChildren(...content);
  return body;
}

export const empty = (panelId, text) => show(panelId, 'empty', el('p', { class: 'empty' }, text));
export const problem = (panelId, text) => show(panelId, 'error', el('p', { class: 'problem', role: 'alert' }, text));

export function ago(iso) {
  if (!iso) return '–';
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (s < 0) return 'just now';
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 129600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

export const num = (v, digits = 2) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '–');
export const pct = (v) => (typeof v === 'number' && Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : '–');
