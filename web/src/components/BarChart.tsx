import { useId } from 'react';

export interface Bar {
  label: string;
  value: number;
  /** A second, stacked part (e.g. failed checks after the passed ones). */
  failed?: number;
}

interface Props {
  title: string;
  bars: Bar[];
  /** Names of the two parts when bars are stacked; shown as a legend. */
  legend?: { value: string; failed: string };
  testId?: string;
}

// Each row: the label on its own line, the bar below it, the number just after the bar. No
// viewBox: user units are CSS pixels, so text keeps its size at any width, and bars are laid
// out in percentages of the plot width, so the chart fills 375 px and 1000 px alike.
const ROW = 46;
const BAR_Y = 20;
const BAR_H = 16;
const PLOT = 86; // percent of the width; the rest is for the number after the longest bar

const fmt = (n: number) => new Intl.NumberFormat().format(n);

/**
 * A horizontal bar chart as inline SVG. The SVG is one labelled image; screen readers also get
 * a table with the same numbers.
 */
export function BarChart({ title, bars, legend, testId }: Props) {
  const titleId = useId();
  const total = (b: Bar) => b.value + (b.failed ?? 0);
  const max = Math.max(1, ...bars.map(total));
  const height = Math.max(ROW, bars.length * ROW);
  const pct = (n: number) => (n / max) * PLOT;
  const text = (b: Bar) => (b.failed === undefined ? fmt(b.value) : `${fmt(b.value)} / ${fmt(b.failed)}`);

  return (
    <figure className="chart" data-testid={testId}>
      <figcaption id={titleId} className="chart-title">
        {title}
      </figcaption>
      {legend && (
        <p className="chart-legend" aria-hidden="true">
          <span className="swatch swatch-bar" /> {legend.value} <span className="swatch swatch-failed" /> {legend.failed}
        </p>
      )}
      <svg width="100%" height={height} role="img" aria-labelledby={titleId} className="chart-svg">
        <title>{title}</title>
        {bars.map((b, i) => {
          const y = i * ROW;
          const ok = b.value > 0 ? Math.max(0.4, pct(b.value)) : 0;
          const bad = b.failed ? Math.max(0.4, pct(b.failed)) : 0;
          return (
            <g key={b.label} aria-hidden="true">
              <text x={0} y={y + 13} className="chart-label">
                {b.label}
              </text>
              <rect x={0} y={y + BAR_Y} width={`${PLOT}%`} height={BAR_H} rx={4} className="chart-track" />
              {ok > 0 && <rect x={0} y={y + BAR_Y} width={`${ok}%`} height={BAR_H} rx={4} className="chart-bar" />}
              {bad > 0 && <rect x={`${ok}%`} y={y + BAR_Y} width={`${bad}%`} height={BAR_H} rx={4} className="chart-failed" />}
              <text x={`${ok + bad}%`} dx={8} y={y + BAR_Y + BAR_H / 2} dominantBaseline="middle" className="chart-value">
                {text(b)}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="visually-hidden">
        <caption>{title}</caption>
        {legend && (
          <thead>
            <tr>
              <td />
              <th scope="col">{legend.value}</th>
              <th scope="col">{legend.failed}</th>
            </tr>
          </thead>
        )}
        <tbody>
          {bars.map((b) => (
            <tr key={b.label}>
              <th scope="row">{b.label}</th>
              <td>{fmt(b.value)}</td>
              {legend && <td>{fmt(b.failed ?? 0)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
