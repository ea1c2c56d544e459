import { AclOperationTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { pipelineAcls, PipelineNames } from './pipeline-acls';

const NAMES: PipelineNames = { pricesTopic: 'p', deadLetterTopic: 'p.dlq', windowsTopic: 'w', aggregatorGroup: 'agg', archiverGroup: 'arch' };

/** kafkajs's constants are plain objects (name → code): their names by code. */
const nameOf = (constants: object) => new Map(Object.entries(constants).map(([name, code]) => [code as number, name]));
const [RESOURCE, PATTERN, OPERATION] = [nameOf(AclResourceTypes), nameOf(ResourcePatternTypes), nameOf(AclOperationTypes)];

/** Each user's grants as `TYPE:PATTERN:name OPERATION` lines. */
function grantsOf(user: string): string[] {
  return pipelineAcls(NAMES)
    .filter((acl) => acl.principal === `User:${user}`)
    .map((acl) => `${RESOURCE.get(acl.resourceType)}:${PATTERN.get(acl.resourcePatternType)}:${acl.resourceName} ${OPERATION.get(acl.operation)}`)
    .sort();
}

describe('pipelineAcls', () => {
  it('lets each app do what it needs and nothing more', () => {
    expect(grantsOf('ingestor')).toEqual([
      'GROUP:PREFIXED:cryptostream-ingestor-resume- DELETE', 'GROUP:PREFIXED:cryptostream-ingestor-resume- READ',
      'TOPIC:LITERAL:p DESCRIBE', 'TOPIC:LITERAL:p DESCRIBE_CONFIGS', 'TOPIC:LITERAL:p READ', 'TOPIC:LITERAL:p WRITE',
      'TOPIC:LITERAL:p.dlq DESCRIBE', 'TOPIC:LITERAL:p.dlq DESCRIBE_CONFIGS', 'TOPIC:LITERAL:p.dlq WRITE',
    ]);
    expect(grantsOf('aggregator')).toEqual([
      'GROUP:LITERAL:agg READ', 'TOPIC:LITERAL:p DESCRIBE', 'TOPIC:LITERAL:p READ',
      'TOPIC:LITERAL:p.dlq DESCRIBE', 'TOPIC:LITERAL:p.dlq DESCRIBE_CONFIGS', 'TOPIC:LITERAL:p.dlq WRITE',
      'TOPIC:LITERAL:w DESCRIBE', 'TOPIC:LITERAL:w WRITE',
    ]);
    expect(grantsOf('api')).toEqual(['GROUP:PREFIXED:cryptostream-api- READ', 'TOPIC:LITERAL:w DESCRIBE', 'TOPIC:LITERAL:w READ']);
    expect(grantsOf('archiver')).toEqual([
      'GROUP:LITERAL:arch READ', 'TOPIC:LITERAL:p DESCRIBE', 'TOPIC:LITERAL:p READ', 'TOPIC:LITERAL:p.dlq DESCRIBE', 'TOPIC:LITERAL:p.dlq READ',
      'TOPIC:LITERAL:w DESCRIBE', 'TOPIC:LITERAL:w READ',
    ]);
    expect(grantsOf('admin')).toEqual(['CLUSTER:LITERAL:kafka-cluster ALL', 'GROUP:LITERAL:* ALL', 'TOPIC:LITERAL:* ALL']);
    // No app may create topics, alter the cluster or touch another app's group.
    for (const user of ['ingestor', 'aggregator', 'api', 'archiver']) expect(grantsOf(user).join('\n')).not.toMatch(/CLUSTER|CREATE|ALTER| ALL/);
  });
});
