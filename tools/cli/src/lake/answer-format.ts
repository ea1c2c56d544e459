import type { LakeAnswer } from '@cryptostream/lake';

export const ANSWER_FORMATS = ['table', 'csv', 'jsonl'] as const;
export type AnswerFormat = (typeof ANSWER_FORMATS)[number];

/** A query's answer as text: an aligned table, CSV (RFC 4180 quoting) or JSON lines (one object a row). */
export function formatAnswer(answer: LakeAnswer, format: AnswerFormat): string {
  if (format === 'jsonl') {
    return answer.rows.map((row) => JSON.stringify(Object.fromEntries(answer.columns.map((name, i) => [name, row[i]])))).join('\n') + (answer.rows.length ? '\n' : '');
  }
  const cells = answer.rows.map((row) => row.map(cellText));
  if (format === 'csv') {
    return [answer.columns, ...cells].map((line) => line.map(csvField).join(',')).join('\n') + '\n';
  }
  const widths = answer.columns.map((name, i) => Math.max(name.length, ...cells.map((line) => line[i].length)));
  const line = (values: string[]) => values.map((value, i) => value.padEnd(widths[i])).join('  ').trimEnd();
  return [line(answer.columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line), `(${answer.rows.length} row${answer.rows.length === 1 ? '' : 's'})`].join('\n') + '\n';
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
