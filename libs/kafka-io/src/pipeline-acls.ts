import { AclEntry, AclOperationTypes, AclPermissionTypes, AclResourceTypes, Admin, ResourcePatternTypes } from 'kafkajs';

/** What the pipeline's apps read and write on a broker with ACLs. */
export interface PipelineNames {
  readonly pricesTopic: string;
  readonly deadLetterTopic: string;
  readonly windowsTopic: string;
  /** The aggregator's consumer group (`KAFKA_GROUP_ID`). */
  readonly aggregatorGroup: string;
  /** The archiver's consumer group (its `KAFKA_GROUP_ID`). */
  readonly archiverGroup: string;
}

/** The user each app logs in as (`KAFKA_SASL_USERNAME`). */
export interface PipelineUsers {
  readonly admin: string;
  readonly ingestor: string;
  readonly aggregator: string;
  readonly api: string;
  readonly archiver: string;
}

export const PIPELINE_USERS: PipelineUsers = Object.freeze({ admin: 'admin', ingestor: 'ingestor', aggregator: 'aggregator', api: 'api', archiver: 'archiver' });

/** Group-id prefixes of groups the apps make up as they run (see the apps' readers). */
export const API_GROUP_PREFIX = 'cryptostream-api-';
export const INGESTOR_RESUME_GROUP_PREFIX = 'cryptostream-ingestor-resume-';

const { TOPIC, GROUP, CLUSTER } = AclResourceTypes;
const { LITERAL, PREFIXED } = ResourcePatternTypes;
const { READ, WRITE, DESCRIBE, DESCRIBE_CONFIGS, DELETE, ALL } = AclOperationTypes;

/** One grant: `user` may do each of `operations` on the resource. */
interface Grant {
  readonly user: string;
  readonly resourceType: AclResourceTypes;
  readonly name: string;
  readonly pattern?: ResourcePatternTypes;
  readonly operations: readonly AclOperationTypes[];
}

/**
 * Each app's rights, and no more — the one statement of them (scripts/kafka.sh secure-start,
 * the tests and docs/security.md follow it):
 * - ingestor: write the price topic and its dead letters (and read the price topic's tail to
 *   resume after a restart, in groups of its own that it deletes);
 * - aggregator: read the price topic in its group, write dead letters and window updates;
 * - api: read window updates, in groups of its own (one per instance);
 * - archiver: read the three topics in its group (it keeps them in the lake);
 * - admin: everything (creates the topics; tools such as `dlq`).
 * Reading a topic's `max.message.bytes` needs DESCRIBE_CONFIGS where an app writes.
 */
export function pipelineGrants(names: PipelineNames, users: PipelineUsers = PIPELINE_USERS): Grant[] {
  const { pricesTopic, deadLetterTopic, windowsTopic, aggregatorGroup, archiverGroup } = names;
  return [
    { user: users.ingestor, resourceType: TOPIC, name: pricesTopic, operations: [WRITE, READ, DESCRIBE, DESCRIBE_CONFIGS] },
    { user: users.ingestor, resourceType: TOPIC, name: deadLetterTopic, operations: [WRITE, DESCRIBE, DESCRIBE_CONFIGS] },
    { user: users.ingestor, resourceType: GROUP, name: INGESTOR_RESUME_GROUP_PREFIX, pattern: PREFIXED, operations: [READ, DELETE] },
    { user: users.aggregator, resourceType: TOPIC, name: pricesTopic, operations: [READ, DESCRIBE] },
    { user: users.aggregator, resourceType: TOPIC, name: deadLetterTopic, operations: [WRITE, DESCRIBE, DESCRIBE_CONFIGS] },
    { user: users.aggregator, resourceType: TOPIC, name: windowsTopic, operations: [WRITE, DESCRIBE] },
    { user: users.aggregator, resourceType: GROUP, name: aggregatorGroup, operations: [READ] },
    { user: users.api, resourceType: TOPIC, name: windowsTopic, operations: [READ, DESCRIBE] },
    { user: users.api, resourceType: GROUP, name: API_GROUP_PREFIX, pattern: PREFIXED, operations: [READ] },
    ...[pricesTopic, deadLetterTopic, windowsTopic].map((name) => ({ user: users.archiver, resourceType: TOPIC, name, operations: [READ, DESCRIBE] })),
    { user: users.archiver, resourceType: GROUP, name: archiverGroup, operations: [READ] },
    { user: users.admin, resourceType: TOPIC, name: '*', operations: [ALL] },
    { user: users.admin, resourceType: GROUP, name: '*', operations: [ALL] },
    { user: users.admin, resourceType: CLUSTER, name: 'kafka-cluster', operations: [ALL] },
  ];
}

/** The grants as kafkajs ACL entries (allow, from any host). */
export function pipelineAcls(names: PipelineNames, users: PipelineUsers = PIPELINE_USERS): AclEntry[] {
  return pipelineGrants(names, users).flatMap((grant) =>
    grant.operations.map((operation) => ({
      resourceType: grant.resourceType,
      resourceName: grant.name,
      resourcePatternType: grant.pattern ?? LITERAL,
      principal: `User:${grant.user}`,
      host: '*',
      operation,
      permissionType: AclPermissionTypes.ALLOW,
    })),
  );
}

/** Creates the pipeline's ACLs (idempotent: an ACL that exists already stays as it is). */
export async function grantPipelineAcls(admin: Admin, names: PipelineNames, users: PipelineUsers = PIPELINE_USERS): Promise<number> {
  const acl = pipelineAcls(names, users);
  await admin.createAcls({ acl });
  return acl.length;
}
