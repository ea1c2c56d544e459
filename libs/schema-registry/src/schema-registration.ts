import { CryptostreamError, encodeSchemaId, RecordKind, SCHEMA_ID_HEADER } from '@cryptostream/schema';
import { retry } from '@cryptostream/service-runtime';
import type { ApicurioClient } from './apicurio.client';
import { ProducedRecords, registerSchemas, RegisteredArtifact } from './register-schemas';

/** A record header as kafkajs takes it. */
export type SchemaIdHeaders = Readonly<Record<string, Buffer>>;

export interface SchemaRegistrationOptions {
  /** Undefined without `SCHEMA_REGISTRY_URL`: nothing is registered and no header is written. */
  readonly client: ApicurioClient | undefined;
  readonly produced: readonly ProducedRecords[];
  readonly log: { log(message: string): void; warn(message: string): void; error(message: string): void };
}

/**
 * An app's schemas in the registry: registered at start-up in the background, retried with
 * backoff while the registry does not answer (the app stays up and not ready, with the reason),
 * and never retried once refused (incompatible: the app stays not ready and says which schema
 * and why). Producers ask it for the header of each record they send.
 */
export class SchemaRegistration {
  readonly #options: SchemaRegistrationOptions;
  readonly #headers = new Map<string, SchemaIdHeaders>();
  #problem: string | undefined;
  /** The registry refused a schema: no retry helps until the schema changes. */
  #refused = false;
  #done: Promise<void> | undefined;
  readonly #stopping = new AbortController();

  constructor(options: SchemaRegistrationOptions) {
    this.#options = options;
    this.#problem = options.client ? `registering schemas at ${options.client.url}` : undefined;
  }

  /** Whether a registry is configured at all. */
  get enabled(): boolean {
    return this.#options.client !== undefined;
  }

  /** Why records cannot be sent with their schema ids yet, or undefined. */
  get problem(): string | undefined {
    return this.#problem;
  }

  /** Starts registering (once); resolves when done, never rejects (see {@link problem}). */
  start(): Promise<void> {
    this.#done ??= this.#register();
    return this.#done;
  }

  stop(): void {
    this.#stopping.abort(new Error('shutting down'));
  }

  /**
   * The header of a record of `kind` on `topic`; undefined without a registry. Throws a
   * retriable error until registration is done, so that a producer retries instead of sending
   * records without their ids.
   */
  headersOf(topic: string, kind: RecordKind): SchemaIdHeaders | undefined {
    if (!this.#options.client) return undefined;
    const headers = this.#headers.get(`${topic}\u0000${kind}`);
    if (headers) return headers;
    throw new CryptostreamError(this.#problem ?? `no schema registered for ${kind} records on ${topic}`, { retriable: !this.#refused });
  }

  async #register(): Promise<void> {
    const { client, produced, log } = this.#options;
    if (!client) return;
    const { signal } = this.#stopping;
    try {
      const artifacts = await retry(() => registerSchemas(client, produced), {
        baseMs: 500,
        maxMs: 10_000,
        signal,
        onRetry: (error, attempt) => {
          this.#problem = (error as Error).message;
          log.warn(`${this.#problem} (attempt ${attempt}, retrying)`);
        },
      });
      for (const artifact of artifacts) this.#headers.set(`${artifact.topic}\u0000${artifact.kind}`, { [SCHEMA_ID_HEADER]: encodeSchemaId(artifact.currentId) });
      this.#problem = undefined;
      log.log(`schemas registered at ${client.browseUrl}: ${artifacts.map(describe).join(', ')}`);
    } catch (error) {
      if (signal.aborted) return;
      this.#refused = true;
      this.#problem = (error as Error).message;
      log.error(this.#problem);
    }
  }
}

function describe({ artifactId, globalIds, currentId }: RegisteredArtifact): string {
  return `${artifactId} v${globalIds.length} (id ${currentId})`;
}
