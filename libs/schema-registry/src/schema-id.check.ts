import { artifactIdOf, RecordKind, schemaIdHeaderOf, schemaIdOf, versionOfSchema } from '@cryptostream/schema';
import type { ApicurioClient } from './apicurio.client';

/** What a global id means to this consumer: a version of a kind it reads, or why a record written with it is refused. */
type Verdict = { readonly kind: RecordKind; readonly version: number } | string;

/** A record as the check sees it (kafkajs's message). */
export interface RecordWithHeaders {
  readonly headers?: Readonly<Record<string, unknown>>;
}

/**
 * A consumer's check of the schema id each record carries (the `gid` header). An id is
 * looked up in the registry once, then its verdict is cached: the check of a record is a header
 * read and a map lookup. A record without the header is an older producer's and is read as the
 * first version; an id the registry does not know, one of another artifact or kind, or a
 * version this consumer's code does not know (a producer deployed before its consumers, which
 * BACKWARD forbids) is refused with the reason, for the dead-letter topic.
 */
export class SchemaIdCheck {
  readonly #verdicts = new Map<number, Verdict>();
  #lastId = -1;
  #lastVerdict: Verdict = '';
  /** The header bytes of the last id read, and that id: consecutive records carry the same bytes, compared instead of decoded. */
  readonly #lastBytes = new Uint8Array(8);
  #lastBytesId: number | undefined;
  /**
   * The last frozen headers object read, and what it gave: the consumer's header decoder gives
   * consecutive records with equal headers the same frozen object, so the same object is judged
   * by identity, without reading its bytes. Only a frozen one: another could change in between.
   */
  #lastHeaders: object | undefined;
  #lastHeadersId: number | string | undefined;
  #problem: string | undefined;
  readonly #reported = new Set<string>();

  constructor(
    private readonly client: ApicurioClient,
    private readonly topic: string,
    private readonly kinds: readonly RecordKind[],
  ) {}

  /** Why ids cannot be looked up (the registry did not answer the last lookup), or undefined. */
  get problem(): string | undefined {
    return this.#problem;
  }

  /** Whether some record carries an id not looked up yet ({@link lookUp} them first). */
  needsLookUp(records: readonly RecordWithHeaders[]): boolean {
    for (const record of records) {
      const id = this.#idOf(record.headers);
      if (typeof id === 'number' && id !== this.#lastId && !this.#verdicts.has(id)) return true;
    }
    return false;
  }

  /**
   * Looks up every id of `records` not known yet. Throws `SchemaRegistryUnavailableError` while
   * the registry does not answer: the caller retries later, nothing is refused for it.
   */
  async lookUp(records: readonly RecordWithHeaders[]): Promise<void> {
    const ids = new Set<number>();
    for (const record of records) {
      const id = this.#idOf(record.headers);
      if (typeof id === 'number' && !this.#verdicts.has(id)) ids.add(id);
    }
    try {
      for (const id of ids) this.#verdicts.set(id, await this.#verdictOf(id));
      this.#problem = undefined;
    } catch (error) {
      this.#problem = (error as Error).message;
      throw error;
    }
  }

  /** True the first time a refusal `reason` is seen: a consumer that only counts refusals logs each reason once. */
  isNewRefusal(reason: string): boolean {
    if (this.#reported.has(reason)) return false;
    this.#reported.add(reason);
    return true;
  }

  /** Why a record of `kind` must be refused for its schema id, or undefined when it may be read. */
  reasonToRefuse(record: RecordWithHeaders, kind: RecordKind): string | undefined {
    const id = this.#idOf(record.headers);
    if (id === undefined) return undefined;
    if (typeof id === 'string') return id;
    let verdict: Verdict | undefined;
    if (id === this.#lastId) {
      verdict = this.#lastVerdict;
    } else {
      verdict = this.#verdicts.get(id);
      if (verdict === undefined) return `schema id ${id} was not looked up in the registry`;
      this.#lastId = id;
      this.#lastVerdict = verdict;
    }
    if (typeof verdict === 'string') return verdict;
    return verdict.kind === kind ? undefined : `schema id ${id} is the ${verdict.kind} schema, on a ${kind} record`;
  }

  /** {@link schemaIdOf}, without reading the last frozen headers object again, nor decoding bytes equal to the last id's. */
  #idOf(headers: RecordWithHeaders['headers']): number | string | undefined {
    if (headers === this.#lastHeaders) return this.#lastHeadersId;
    const id = this.#decodeId(headers);
    if (headers !== undefined && Object.isFrozen(headers)) {
      this.#lastHeaders = headers;
      this.#lastHeadersId = id;
    }
    return id;
  }

  #decodeId(headers: RecordWithHeaders['headers']): number | string | undefined {
    const value = schemaIdHeaderOf(headers);
    if (value === undefined) return undefined;
    const last = this.#lastBytes;
    if (this.#lastBytesId !== undefined && value instanceof Uint8Array && value.length === 8 && value[0] === last[0] && value[1] === last[1] && value[2] === last[2]
      && value[3] === last[3] && value[4] === last[4] && value[5] === last[5] && value[6] === last[6] && value[7] === last[7]) return this.#lastBytesId;
    const id = schemaIdOf(headers);
    if (typeof id === 'number') {
      last.set(value as Uint8Array);
      this.#lastBytesId = id;
    }
    return id;
  }

  async #verdictOf(id: number): Promise<Verdict> {
    const found = await this.client.lookUp(id);
    if (!found) return `unknown schema id ${id}: the registry at ${this.client.url} has no such schema`;
    const { groupId, artifactId, version } = found.version;
    const kind = this.kinds.find((candidate) => groupId === this.client.group && artifactId === artifactIdOf(this.topic, candidate));
    if (kind === undefined) {
      return `schema id ${id} is ${groupId}/${artifactId} version ${version}, not a schema of ${this.topic} (${this.kinds.map((k) => artifactIdOf(this.topic, k)).join(', ')})`;
    }
    const known = versionOfSchema(kind, found.schema);
    if (!known) {
      return `schema id ${id} is ${groupId}/${artifactId} version ${version}, which this consumer does not know (deploy consumers before producers: BACKWARD)`;
    }
    return { kind, version: known.version };
  }
}
