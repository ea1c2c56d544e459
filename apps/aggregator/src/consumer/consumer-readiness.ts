import { Injectable } from '@nestjs/common';

/** A consumer that fetched nothing for this long (not even an empty fetch) counts as down. */
export const FETCH_SILENCE_MS = 15_000;

/**
 * Whether the Kafka consumer is usable, from kafkajs's instrumentation events, for
 * `/health/ready`. A crash is over once a consumer has joined the group again: kafkajs's own
 * restart, or the replacement the transport starts when kafkajs gives up on a consumer. The
 * transport writes it; the health check and the idle clock read it.
 */
@Injectable()
export class ConsumerReadiness {
  #starting: string | undefined = 'consumer not started yet';
  #crash: string | undefined;
  #joined = false;
  #lastFetchAtMs = 0;

  /** Wall time (epoch ms) of the last fetch, empty or not, or of the last join. */
  get lastFetchAtMs(): number {
    return this.#lastFetchAtMs;
  }

  /** Before the consumer runs: why not yet (`waiting for the MySQL schema`), or undefined once it runs. */
  starting(reason: string | undefined): void {
    this.#starting = reason;
  }

  /** GROUP_JOIN: the consumer is in its group with an assignment; a crash before it is over. */
  joined(nowMs: number): void {
    this.#joined = true;
    this.#crash = undefined;
    this.#lastFetchAtMs = nowMs;
  }

  /** FETCH: the consumer reads (also when the fetch came back empty or all partitions are paused). */
  fetched(nowMs: number): void {
    this.#lastFetchAtMs = nowMs;
  }

  /** DISCONNECT or STOP: out of the group until it joins again. */
  left(): void {
    this.#joined = false;
  }

  /** CRASH: out of the group until kafkajs restarts it (`restart`) or a new consumer replaces it. */
  crashed(message: string, restart: boolean): string {
    this.#joined = false;
    this.#crash = `consumer crashed: ${message}${restart ? ' (restarting)' : ' (kafkajs gives up on it: replacing the consumer)'}`;
    return this.#crash;
  }

  /** Why the consumer is not usable at `nowMs`, or undefined when it is. */
  problem(nowMs: number): string | undefined {
    if (this.#starting) return this.#starting;
    if (this.#crash) return this.#crash;
    if (!this.#joined) return 'consumer has not joined its group';
    if (nowMs - this.#lastFetchAtMs > FETCH_SILENCE_MS) return `no fetch from Kafka for over ${FETCH_SILENCE_MS / 1000} s`;
    return undefined;
  }
}
