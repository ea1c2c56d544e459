import type { RecordKind } from '@cryptostream/schema';
import { retry } from '@cryptostream/service-runtime';
import type { ApicurioClient } from './apicurio.client';
import { SchemaIdCheck } from './schema-id.check';
import { SchemaRegistryStatus } from './schema-registry.status';

/** What a consumer reads of a topic: the record kinds it can carry. */
export interface ConsumedRecords {
  readonly topic: string;
  readonly kinds: readonly RecordKind[];
}

export interface ConsumedSchemaIdsOptions {
  /** Undefined without `SCHEMA_REGISTRY_URL`: nothing is checked. */
  readonly client: ApicurioClient | undefined;
  readonly consumed: readonly ConsumedRecords[];
  readonly log: { log(message: string): void; warn(message: string): void };
}

/**
 * A consumer's checks of the schema ids on what it reads, one {@link SchemaIdCheck} per topic,
 * and their part of its readiness: at start-up the registry is asked until it answers (not
 * ready meanwhile, with the reason, retried with backoff: never a crash loop), then a lookup
 * it does not answer makes the app not ready until one succeeds.
 */
export class ConsumedSchemaIds extends SchemaRegistryStatus {
  readonly #client: ApicurioClient | undefined;
  readonly #checks = new Map<string, SchemaIdCheck>();
  readonly #log: ConsumedSchemaIdsOptions['log'];
  readonly #stopping = new AbortController();
  #problem: string | undefined;
  #started: Promise<void> | undefined;

  constructor({ client, consumed, log }: ConsumedSchemaIdsOptions) {
    super();
    this.#client = client;
    this.#log = log;
    if (client) for (const { topic, kinds } of consumed) this.#checks.set(topic, new SchemaIdCheck(client, topic, kinds));
    this.#problem = client ? `asking the schema registry at ${client.url}` : undefined;
  }

  /** The check of `topic`'s records; undefined without a registry or for a topic not checked. */
  of(topic: string): SchemaIdCheck | undefined {
    return this.#checks.get(topic);
  }

  get enabled(): boolean {
    return this.#client !== undefined;
  }

  get problem(): string | undefined {
    if (this.#problem !== undefined) return this.#problem;
    for (const check of this.#checks.values()) if (check.problem !== undefined) return check.problem;
    return undefined;
  }

  /** Asks the registry until it answers (once); resolves then, or on {@link stop}; never rejects. */
  start(): Promise<void> {
    this.#started ??= this.#waitForRegistry();
    return this.#started;
  }

  stop(): void {
    this.#stopping.abort(new Error('shutting down'));
  }

  onModuleInit(): void {
    void this.start();
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  async #waitForRegistry(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    try {
      await retry(() => client.ping(), {
        baseMs: 500,
        maxMs: 10_000,
        signal: this.#stopping.signal,
        retriable: () => true,
        onRetry: (error, attempt) => {
          this.#problem = (error as Error).message;
          this.#log.warn(`${this.#problem} (attempt ${attempt}, retrying)`);
        },
      });
      this.#problem = undefined;
      this.#log.log(`checking the schema ids of ${[...this.#checks.keys()].join(', ')} against ${client.url}`);
    } catch {
      // Stopped while waiting.
    }
  }
}
