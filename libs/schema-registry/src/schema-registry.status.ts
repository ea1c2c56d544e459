/**
 * What an app's readiness says of its schema registry: whether one is configured
 * (`SCHEMA_REGISTRY_URL`) and why it cannot be used yet. Also the injection token of
 * {@link SchemaRegistryHealthIndicator}: each app provides it with what it does with the
 * registry (registers what it writes, checks the ids of what it reads, or both).
 */
export abstract class SchemaRegistryStatus {
  abstract get enabled(): boolean;
  abstract get problem(): string | undefined;
}

/** Several uses of the registry as one status: the first problem among them. */
export function combinedStatus(...statuses: readonly SchemaRegistryStatus[]): SchemaRegistryStatus {
  return {
    get enabled() {
      return statuses.some((status) => status.enabled);
    },
    get problem() {
      return statuses.find((status) => status.problem !== undefined)?.problem;
    },
  };
}
