import { LakeReader, listLakeFiles } from '@cryptostream/lake';
import { canonicalDecimal, parsePriceMessage, type PriceFields } from '@cryptostream/schema';
import type { StoredRecord } from '@cryptostream/testing';
import type { Pool, RowDataPacket } from 'mysql2/promise';

/** Exact sum of decimal strings, through BigInt at a common scale (the test's own arithmetic, not DuckDB's). */
export function exactSum(values: readonly string[]): string {
  const scale = Math.max(0, ...values.map((value) => (value.split('.')[1] ?? '').length));
  let total = 0n;
  for (const value of values) {
    const [whole, fraction = ''] = value.split('.');
    total += BigInt(whole + fraction.padEnd(scale, '0'));
  }
  const digits = total.toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return canonicalDecimal(text);
}

/** Per symbol and UTC day: trade count and exact Σ quantity and Σ price of the topic's valid trades. */
export function expectedSymbolDays(records: readonly StoredRecord[]): Map<string, { trades: number; quantity: string; price: string }> {
  const groups = new Map<string, { quantities: string[]; prices: string[] }>();
  for (const record of records) {
    const fields = parsePriceMessage(record.value);
    if (typeof fields === 'string') continue;
    const trade = fields as PriceFields;
    const key = `${trade.symbol} ${new Date(trade.eventTimeMs ?? trade.timestamp * 1000).toISOString().slice(0, 10)}`;
    const group = groups.get(key) ?? { quantities: [], prices: [] };
    group.quantities.push(trade.quantity ?? '0');
    group.prices.push(trade.price);
    groups.set(key, group);
  }
  return new Map([...groups].map(([key, group]) => [key, { trades: group.prices.length, quantity: exactSum(group.quantities), price: exactSum(group.prices) }]));
}

/** The same figures from the lake, through DuckDB over the committed files (DECIMAL sums are exact). */
export async function lakeSymbolDays(reader: LakeReader): Promise<Map<string, { trades: number; quantity: string; price: string }>> {
  const answer = await reader.query(
    'SELECT symbol, CAST("date" AS VARCHAR) AS day, count(*) AS n, CAST(sum(quantity) AS VARCHAR) AS q, CAST(sum(price) AS VARCHAR) AS p FROM trades GROUP BY ALL',
  );
  return new Map(answer.rows.map(([symbol, day, n, q, p]) => [`${symbol} ${day}`, { trades: Number(n), quantity: canonicalDecimal(String(q)), price: canonicalDecimal(String(p)) }]));
}

/** Lake files on disk that the manifest does not list as committed (after a clean stop: none). */
export async function filesOutsideManifest(root: string, pool: Pool): Promise<string[]> {
  const [rows] = await pool.query<RowDataPacket[]>("SELECT path FROM lake_files WHERE state = 'committed'");
  const committed = new Set(rows.map((row) => String(row['path'])));
  return (await listLakeFiles(root)).filter((path) => !committed.has(path));
}

/** Σ next_offset of the archiver's progress in one topic: equals the topic's end once everything is archived. */
export async function archivedUpTo(pool: Pool, topic: string): Promise<number> {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT COALESCE(SUM(next_offset), 0) AS n FROM lake_progress WHERE topic = ?', [topic]);
  return Number(rows[0]['n']);
}
