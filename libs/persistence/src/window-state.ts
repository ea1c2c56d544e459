import { WindowFigures, KeptRollup, RealClose, SizeSymbolState, windowSizeLabel } from '@cryptostream/windowing';
import type { RowDataPacket } from 'mysql2/promise';

/** A partition's window state (see `MultiSizeWindowEngine.takeStateChanges`) as of a watermark. */
export interface PartitionWindowState {
  readonly consumerGroup: string;
  readonly topic: string;
  readonly partition: number;
  /** The watermark of the progress stored with it. */
  readonly asOfWatermarkMs: number;
  readonly states: readonly SizeSymbolState[];
}

export const WINDOW_STATE_COLUMNS = [
  'consumer_group', 'topic', 'kafka_partition', 'window_size', 'symbol', 'partial_window', 'kept_rollups', 'carried_end_ms', 'carried_close', 'carried_recent', 'as_of_watermark_ms',
] as const;

/** Row values in {@link WINDOW_STATE_COLUMNS} order, one row per size and symbol. */
export function windowStateRows(state: PartitionWindowState): unknown[][] {
  return state.states.map((s) => [
    state.consumerGroup, state.topic, state.partition, windowSizeLabel(s.sizeMs), s.symbol,
    s.partial === undefined ? null : JSON.stringify(s.partial),
    s.rollups === undefined ? null : JSON.stringify(s.rollups),
    s.carried?.endMs ?? null, s.carried?.close ?? null, s.carried?.recent === undefined ? null : JSON.stringify(s.carried.recent), state.asOfWatermarkMs,
  ]);
}

/** A stored row back as the engine's state; `sizeMsOf` maps the interval text to ms. */
export function sizeSymbolStateOf(row: RowDataPacket, sizeMsOf: (label: string) => number | undefined): SizeSymbolState | undefined {
  const sizeMs = sizeMsOf(String(row['window_size']));
  if (sizeMs === undefined) return undefined;
  const partial = row['partial_window'] === null ? undefined : (JSON.parse(String(row['partial_window'])) as WindowFigures);
  const rollups = row['kept_rollups'] === null || row['kept_rollups'] === undefined ? undefined : (JSON.parse(String(row['kept_rollups'])) as KeptRollup[]);
  const recent = row['carried_recent'] === null || row['carried_recent'] === undefined ? undefined : (JSON.parse(String(row['carried_recent'])) as RealClose[]);
  const carried = row['carried_end_ms'] === null
    ? undefined
    : { endMs: Number(row['carried_end_ms']), close: String(row['carried_close']), ...(recent === undefined ? {} : { recent }) };
  return {
    sizeMs,
    symbol: String(row['symbol']),
    ...(partial === undefined ? {} : { partial }),
    ...(rollups === undefined ? {} : { rollups }),
    ...(carried === undefined ? {} : { carried }),
  };
}
