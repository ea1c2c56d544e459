import type { MysqlSettings } from '@cryptostream/persistence';
import type { LogLevel, SchemaRegistrySettings } from '@cryptostream/config';
import type { KafkaConnection, TopicReplication } from '@cryptostream/kafka-io';

/** Which source feeds `crypto_prices`. */
export const SOURCE_KINDS = ['ws', 'rest', 'replay', 'lake'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Which Binance stream the `ws` source subscribes to per symbol. */
export const BINANCE_STREAMS = ['trade', 'aggTrade'] as const;
export type BinanceStream = (typeof BINANCE_STREAMS)[number];

/**
 * Everything the ingestor is configured with, validated once at start-up and frozen. Every
 * duration ends in `Ms`.
 */
export interface IngestorConfig {
  /** The brokers, how to reach them (TLS, SASL), the topics and batching. */
  readonly kafka: KafkaConnection & {
    readonly clientId: string;
    readonly topic: string;
    readonly deadLetterTopic: string;
    readonly topicPartitions: number;
    /** Replication of the topics it creates (unset: follows the cluster's size, see kafka-io). */
    readonly replication: TopicReplication;
    /** A batch is sent when it holds this many messages or when `lingerMs` has passed. */
    readonly batchSize: number;
    readonly lingerMs: number;
  };
  readonly source: SourceKind;
  /** Upper-case Binance symbols, at least one (ignored by `replay`, which reads its files). */
  readonly symbols: readonly string[];
  readonly binance: {
    readonly restUrl: string;
    /** Binance's COIN-M futures REST API (`/dapi/v1/exchangeInfo` gives the contract sizes). */
    readonly coinMarginedRestUrl: string;
    /**
     * Contract sizes of COIN-M symbols given as settings (`CONTRACT_SIZES`), e.g. to replay
     * recordings offline; others are fetched from exchangeInfo when a COIN-M symbol is listed.
     */
    readonly contractSizes: ReadonlyMap<string, string>;
    readonly wsUrl: string;
    readonly stream: BinanceStream;
    /** At most this many streams per WebSocket connection (Binance allows 1024). */
    readonly streamsPerConnection: number;
    /** Reconnect proactively before Binance's 24-hour limit. */
    readonly maxConnectionAgeMs: number;
    /** Reconnect a connection that has carried no frame for this long. */
    readonly silenceTimeoutMs: number;
    readonly reconnectBaseMs: number;
    readonly reconnectMaxMs: number;
    /** Poll period of the `rest` source. */
    readonly pollIntervalMs: number;
    /** Request weight per window Binance grants per IP; we slow down at 90 % of it. */
    readonly weightLimit: number;
    /** Binance's weight window (`X-MBX-USED-WEIGHT-1M`: one minute). */
    readonly weightWindowMs: number;
    readonly requestTimeoutMs: number;
    /**
     * On start, find the last trade id per symbol in the topic and recover what happened since
     * from REST, so that a restart leaves no gap either.
     */
    readonly resume: boolean;
  };
  readonly replay: {
    readonly files: readonly string[];
    /** 0: as fast as possible; N: real time × N (the `lake` source too). */
    readonly speed: number;
  };
  /**
   * The `lake` source: the data lake's trades with event times in `[fromMs, toMs)` (of `symbols`,
   * all when none are listed), published again in event-time order.
   */
  readonly lake?: {
    readonly dir: string;
    /** Where the lake's manifest is (`lake_files`). */
    readonly mysql: MysqlSettings;
    readonly fromMs: number;
    readonly toMs: number;
  };
  /**
   * Source-progress records (libs/schema `SourceProgress`) of the `ws` source: every
   * `intervalMs` (0: none) one per partition naming each of its symbols, complete up to the
   * newest frame minus `lagMs`.
   */
  readonly sourceProgress: {
    readonly intervalMs: number;
    readonly lagMs: number;
  };
  /** Where its schemas are registered (`SCHEMA_REGISTRY_URL`; none: no schema id headers). */
  readonly schemaRegistry: SchemaRegistrySettings;
  readonly httpPort: number;
  readonly logLevel: LogLevel;
  /** How long SIGTERM may take to flush what is queued before the process exits anyway. */
  readonly shutdownDeadlineMs: number;
  /** When set, live sources append what they receive to this JSON-lines file. */
  readonly recordFile?: string;
}
