import { useId } from 'react';

export interface Bar {
  label: string;
  value: number;
}

interface Props {
  title: string;
  bars: Bar[];
  /** Formats a value for its label ("12 users"). */
  format?: (value: number) => string;
  testId?: string;
}

const ROW = 36;
const LABEL_W = 130;
const WIDTH = 520;
const VALUE_W = 90;

/**
 * A horizontal bar chart as inline SVG. Screen readers get the title and a table of the same
 * numbers; the SVG itself is a labelled image. Scales with its container (viewBox).
 */
export function BarChart({ title, bars, format = String, testId }: Props) {
  const titleId = useId();
  const max = Math.max(1, ...bars.map((b) => b.value));
  const plot = WIDTH - LABEL_W - VALUE_W;
  const height = Math.max(ROW, bars.length * ROW);
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption id={titleId} className="chart-title">
        {title}
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={titleId} className="chart-svg" preserveAspectRatio="xMinYMin meet">
        <title>{title}</title>
        {bars.map((b, i) => {
          const y = i * ROW;
          const w = Math.max(b.value > 0 ? 3 : 0, (b.value / max) * plot);
          return (
            <g key={b.label} transform={`translate(0 ${y})`} aria-hidden="true">
              <text x={LABEL_W - 10} y={ROW / 2} dominantBaseline="middle" textAnchor="end" className="chart-label">
                {b.label}
              </text>
              <rect x={LABEL_W} y={8} width={plot} height={ROW - 16} rx={4} className="chart-track" />
              <rect x={LABEL_W} y={8} width={w} height={ROW - 16} rx={4} className="chart-bar" />
              <text x={LABEL_W + w + 8} y={ROW / 2} dominantBaseline="middle" className="chart-value">
                {format(b.value)}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="visually-hidden">
        <caption>{title}</caption>
        <tbody>
          {bars.map((b) => (
            <tr key={b.label}>
              <th scope="row">{b.label}</th>
              <td>{format(b.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
