import { formatPercent } from '../lib/format';

/** A share as a labelled SVG ring (e.g. users with MFA). */
export function Meter({ label, part, whole, testId }: { label: string; part: number; whole: number; testId?: string }) {
  const share = whole ? Math.min(1, part / whole) : 0;
  const r = 42;
  const c = 2 * Math.PI * r;
  const text = formatPercent(part, whole);
  return (
    <svg viewBox="0 0 100 100" className="meter" role="img" aria-label={`${label}: ${text}`} data-testid={testId}>
      <circle cx="50" cy="50" r={r} className="meter-track" />
      <circle cx="50" cy="50" r={r} className="meter-fill" strokeDasharray={`${share * c} ${c}`} transform="rotate(-90 50 50)" />
      <text x="50" y="50" textAnchor="middle" dominantBaseline="central" className="meter-text" aria-hidden="true">
        {text}
      </text>
    </svg>
  );
}
