import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const KAFKA_SH = join(ROOT, 'scripts/kafka.sh');

/**
 * A Kafka broker of the test's own (own port, own storage, the project's jars) that a test can
 * stop and start to simulate a broker outage without disturbing the shared broker.
 */
export class PrivateKafka {
  readonly #home = mkdtempSync(join(tmpdir(), 'cryptostream-kafka-'));

  constructor(readonly port: number) {
    const sharedLibs = join(ROOT, '.local/kafka/libs');
    mkdirSync(this.#home, { recursive: true });
    // Reuse the jars scripts/kafka.sh has already fetched for the shared broker.
    if (existsSync(sharedLibs)) symlinkSync(sharedLibs, join(this.#home, 'libs'));
  }

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  start(): void {
    this.#run('start');
  }

  stop(): void {
    this.#run('stop');
  }

  destroy(): void {
    this.stop();
    rmSync(this.#home, { recursive: true, force: true });
  }

  #run(command: 'start' | 'stop'): void {
    execFileSync('bash', [KAFKA_SH, command], {
      env: { ...process.env, KAFKA_PORT: String(this.port), KAFKA_HOME: this.#home, KAFKA_HEAP: '384m' },
      stdio: 'ignore',
    });
  }
}
