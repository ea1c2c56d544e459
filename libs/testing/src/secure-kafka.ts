import { KafkaConnection } from '@cryptostream/kafka-io';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const KAFKA_SH = join(__dirname, '../../../scripts/kafka.sh');

/** The users of the secured broker (scripts/kafka.sh secure-start). */
export type SecureKafkaUser = 'admin' | 'ingestor' | 'aggregator' | 'api' | 'archiver';

/**
 * The project's secured broker (SASL_SSL, SCRAM-SHA-512, ACLs; `scripts/kafka.sh secure-start`),
 * started when none answers: the settings each app's user needs, as environment variables (for
 * an app process) or as a connection (for a client of the test).
 */
export class SecureKafka {
  private constructor(readonly settings: Readonly<Record<SecureKafkaUser, Readonly<Record<string, string>>>>) {}

  /** Starts the secured broker unless it answers already (the script serialises parallel starts). */
  static ensure(): SecureKafka {
    execFileSync('bash', [KAFKA_SH, 'secure-start'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const users: SecureKafkaUser[] = ['admin', 'ingestor', 'aggregator', 'api', 'archiver'];
    return new SecureKafka(Object.fromEntries(users.map((user) => [user, SecureKafka.#settingsOf(user)])) as Record<SecureKafkaUser, Record<string, string>>);
  }

  static #settingsOf(user: SecureKafkaUser): Record<string, string> {
    const lines = execFileSync('bash', [KAFKA_SH, 'secure-env', user], { encoding: 'utf8' }).trim().split('\n');
    return Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  }

  get brokers(): string[] {
    return this.settings.admin['KAFKA_BROKERS'].split(',');
  }

  get caFile(): string {
    return this.settings.admin['KAFKA_SSL_CA_FILE'];
  }

  /** The environment of an app logging in as `user`. */
  env(user: SecureKafkaUser): Record<string, string> {
    return { ...this.settings[user] };
  }

  /** A connection as `user` (its own password unless `password` says otherwise). */
  connection(user: SecureKafkaUser, password?: string): KafkaConnection {
    const settings = this.settings[user];
    return {
      brokers: this.brokers,
      security: {
        protocol: 'SASL_SSL',
        tls: { ca: readFileSync(this.caFile, 'utf8') },
        sasl: {
          mechanism: 'SCRAM-SHA-512',
          username: user,
          password: password ?? readFileSync(settings['KAFKA_SASL_PASSWORD_FILE'], 'utf8'),
          passwordSetting: 'KAFKA_SASL_PASSWORD_FILE',
        },
      },
    };
  }
}
