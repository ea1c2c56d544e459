import { CryptostreamError } from '@cryptostream/schema';

/** The registry did not answer, or answered with a server error: trying again can help. */
export class SchemaRegistryUnavailableError extends CryptostreamError {
  constructor(url: string, problem: string, cause?: unknown) {
    super(`schema registry ${url} does not answer: ${problem}`, { retriable: true, cause });
  }
}

/** The registry refused a schema version (its compatibility rule, or the content): final until the schema changes. */
export class SchemaRefusedError extends CryptostreamError {
  constructor(
    readonly artifact: string,
    readonly file: string,
    readonly registryReason: string,
  ) {
    super(`the schema registry refused ${file} as a new version of ${artifact}: ${registryReason}`);
  }
}
