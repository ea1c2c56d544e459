import { candleRowOf, deadLetterRowOf, RecordOutcome, TopicRecord, tradeRowOf } from '@cryptostream/lake';
import type { ArchiverConfig } from '../config/archiver.config';

/** How one topic's records become lake rows. */
export type RowsOf = (partition: number, record: TopicRecord) => RecordOutcome;

/** The topics the archiver reads, each with what its records become: trades, candles, dead letters. */
export function topicRows(config: ArchiverConfig, clock: () => number = Date.now): Map<string, RowsOf> {
  const topics = new Map<string, RowsOf>([[config.pricesTopic, tradeRowOf]]);
  if (config.archiveCandles) topics.set(config.windowUpdatesTopic, candleRowOf);
  if (config.archiveDeadLetters) topics.set(config.deadLetterTopic, (partition, record) => deadLetterRowOf(partition, record, clock()));
  return topics;
}
