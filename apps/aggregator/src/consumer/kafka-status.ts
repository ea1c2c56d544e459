/** What readiness needs to know about the Kafka consumer. */
export interface KafkaStatus {
  /** Why the consumer is not usable, or undefined when it is. */
  readonly problem: string | undefined;
}
