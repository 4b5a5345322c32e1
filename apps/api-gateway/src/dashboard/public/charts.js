// Time-series charts on uPlot (window.uPlot, loaded from vendor/ by index.html).
const PALETTE = ['#1f6feb', '#d9480f', '#2b8a3e', '#ae3ec9', '#e67700', '#0b7285', '#c2255c', '#5c940d', '#495057', '#364fc7'];
const HEIGHT = 200;

export const colour = (i) => PALETTE[i % PALETTE.length];

function widthOf(el) {
  return Math.max(200, Math.floor(el.clientWidth));
}

/**
 * A line chart kept in `host` across refreshes: new data with the same series is set in place (no flicker,
 * legend state kept); other series rebuild it. xs are epoch seconds; each series is { label, values, dash? }.
 */
export class LineChart {
  constructor(host, { yLabel, format = (v) => String(v), stepped = false }) {
    this.host = host;
    this.yLabel = yLabel;
    this.format = format;
    this.stepped = stepped;
    this.plot = null;
    this.labels = '';
    this.resize = new ResizeObserver(() => {
      if (this.plot) this.plot.setSize({ width: widthOf(this.host), height: HEIGHT });
    });
    this.resize.observe(host);
  }

  update(xs, series) {
    const labels = series.map((s) => s.label).join('\n');
    const data = [xs, ...series.map((s) => s.values)];
    if (this.plot && labels === this.labels) {
      this.plot.setData(data);
      return;
    }
    this.plot?.destroy();
    this.labels = labels;
    const fmt = this.format;
    const paths = this.stepped ? window.uPlot.paths.stepped({ align: 1 }) : undefined;
    this.plot = new window.uPlot(
      {
        width: widthOf(this.host),
        height: HEIGHT,
        scales: { x: { time: true } },
        series: [
          {},
          ...series.map((s, i) => ({
            label: s.label,
            stroke: s.colour ?? colour(i),
            width: 2,
            dash: s.dash,
            spanGaps: true,
            paths,
            points: { show: false },
            value: (_u, v) => (v === null || v === undefined ? '–' : fmt(v)),
          })),
        ],
        axes: [{}, { label: this.yLabel, size: 64, values: (_u, ticks) => ticks.map(fmt) }],
        legend: { live: true },
      },
      data,
      this.host,
    );
  }
}

/** Hourly slots (epoch seconds) from start to end, for series that must show empty hours as 0. */
export function hourSlots(startIso, endIso) {
  const H = 3600;
  const first = Math.floor(Date.parse(startIso) / 1000 / H) * H;
  const end = Date.parse(endIso) / 1000;
  const out = [];
  for (let t = first; t < end; t += H) out.push(t);
  return out;
}
