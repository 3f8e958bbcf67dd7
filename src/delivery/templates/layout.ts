/**
 * One layout for every email, producing the plain-text and the HTML body from the same parts
 * so the two never say different things. Every value is escaped in HTML; the text body is
 * complete on its own (many security-minded readers show only text).
 */
import type { Locale, Occurrence } from './types.js';
import { describeUserAgent } from './user-agent.js';

export interface EmailParts {
  subject: string;
  name: string | null;
  paragraphs: string[];
  /** A one-time code, shown large and on its own line. */
  code?: string;
  /** A call to action (a reset link, the app). */
  action?: { label: string; url: string };
  /** Paragraphs right under the code or action (how long it is valid). */
  notes?: string[];
  /** When and from where; omitted when there is nothing to say. */
  details?: Occurrence | null;
  advice: string[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function detailRows(l: Locale, d: Occurrence): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  rows.push([l.labels.when, d.at !== null ? l.dateTime(d.at) : l.labels.unknown]);
  rows.push([l.labels.ip, d.ip ?? l.labels.unknown]);
  const named = d.userAgent ? l.browserOn(describeUserAgent(d.userAgent)) : null;
  rows.push([l.labels.browser, named ?? d.userAgent ?? l.labels.unknown]);
  if (named && d.userAgent) rows.push([l.labels.userAgent, d.userAgent]);
  return rows;
}

function hasDetails(d: Occurrence | null | undefined): d is Occurrence {
  return !!d && (d.at !== null || d.ip !== null || d.userAgent !== null);
}

export function renderText(l: Locale, p: EmailParts): string {
  const blocks: string[] = [l.greeting(p.name), ...p.paragraphs];
  if (p.code) blocks.push(`    ${p.code}`);
  if (p.action) blocks.push(`${p.action.label}:\n${p.action.url}`);
  blocks.push(...(p.notes ?? []));
  if (hasDetails(p.details)) {
    blocks.push([`${l.labels.details}:`, ...detailRows(l, p.details).map(([k, v]) => `  ${k}: ${v}`)].join('\n'));
  }
  blocks.push(...p.advice);
  blocks.push(`${l.signoff}\n${l.automated}`);
  return `${blocks.join('\n\n')}\n`;
}

const FONT = 'font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif';

export function renderHtml(l: Locale, p: EmailParts): string {
  const e = escapeHtml;
  const out: string[] = [
    '<!doctype html>',
    `<html lang="${e(l.tag)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">`,
    `<title>${e(p.subject)}</title></head>`,
    `<body style="margin:0;padding:24px;background:#f5f5f7;${FONT};color:#1d1d1f">`,
    '<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:24px">',
    `<p style="font-weight:600;font-size:18px;margin:0 0 16px">${e(l.product)}</p>`,
    `<p>${e(l.greeting(p.name))}</p>`,
    ...p.paragraphs.map((t) => `<p>${e(t)}</p>`),
  ];
  if (p.code) {
    out.push(
      `<p style="font-size:32px;font-weight:700;letter-spacing:6px;font-family:ui-monospace,Menlo,Consolas,monospace;margin:24px 0">${e(p.code)}</p>`,
    );
  }
  if (p.action) {
    out.push(
      `<p style="margin:24px 0"><a href="${e(p.action.url)}" style="background:#1d4ed8;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">${e(p.action.label)}</a></p>`,
      `<p style="font-size:13px;color:#555;word-break:break-all">${e(p.action.url)}</p>`,
    );
  }
  out.push(...(p.notes ?? []).map((t) => `<p>${e(t)}</p>`));
  if (hasDetails(p.details)) {
    out.push(
      `<table role="presentation" style="border-collapse:collapse;margin:16px 0;font-size:14px"><caption style="text-align:left;font-weight:600;padding-bottom:4px">${e(l.labels.details)}</caption>`,
      ...detailRows(l, p.details).map(
        ([k, v]) => `<tr><th scope="row" style="text-align:left;padding:2px 12px 2px 0;color:#555;font-weight:normal;vertical-align:top">${e(k)}</th><td style="padding:2px 0;word-break:break-word">${e(v)}</td></tr>`,
      ),
      '</table>',
    );
  }
  out.push(...p.advice.map((t) => `<p>${e(t)}</p>`));
  out.push(
    `<p>${e(l.signoff)}</p>`,
    `<p style="font-size:12px;color:#777">${e(l.automated)}</p>`,
    '</div></body></html>',
  );
  return `${out.join('\n')}\n`;
}
