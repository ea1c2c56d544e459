// Provides the real servers that integration tests need, once per `jest` run:
//   1. KAFKA_BROKERS / TEST_MYSQL_URL when set (any servers you point the tests at);
//   2. otherwise, where a Docker engine answers, testcontainers (Kafka in KRaft mode, MySQL 8.4);
//   3. otherwise the project's own: scripts/kafka.sh (the Kafka broker from Maven Central jars)
//      and the local MySQL/MariaDB on 127.0.0.1:3306 (scripts/mysql.sh).
// The schema registry (Apicurio) is TEST_SCHEMA_REGISTRY_URL when set, else scripts/registry.sh's.
// Test workers start after this function and inherit the environment it sets.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const script = (name, ...args) => execFileSync('bash', [path.join(__dirname, 'scripts', name), ...args], { stdio: 'inherit' });

async function dockerEngineAnswers() {
  if (process.env.TESTCONTAINERS === '0') return false;
  try {
    const { getContainerRuntimeClient } = require('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

module.exports = async function provideTestServers() {
  script('prometheus.sh', 'install'); // promtool, amtool and Prometheus for tools/monitoring's tests
  if (!process.env.TEST_SCHEMA_REGISTRY_URL) {
    script('registry.sh', 'start');
    process.env.TEST_SCHEMA_REGISTRY_URL = execFileSync('bash', [path.join(__dirname, 'scripts', 'registry.sh'), 'url']).toString().trim();
  }
  const needKafka = !process.env.KAFKA_BROKERS;
  const needMysql = !process.env.TEST_MYSQL_URL;
  if (!needKafka && !needMysql) return;
  const docker = await dockerEngineAnswers();
  globalThis.__testContainers = [];
  if (needKafka && docker) {
    const { KafkaContainer } = require('@testcontainers/kafka');
    const kafka = await new KafkaContainer('confluentinc/cp-kafka:7.9.1')
      .withKraft()
      .withEnvironment({ KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false', KAFKA_NUM_PARTITIONS: '3' })
      .start();
    globalThis.__testContainers.push(kafka);
    process.env.KAFKA_BROKERS = `${kafka.getHost()}:${kafka.getMappedPort(9093)}`;
  } else if (needKafka) {
    script('kafka.sh', 'start');
  }
  if (needMysql && docker) {
    const { MySqlContainer } = require('@testcontainers/mysql');
    const mysql = await new MySqlContainer('mysql:8.4').withRootPassword('test').withDatabase('test').start();
    globalThis.__testContainers.push(mysql);
    process.env.TEST_MYSQL_URL = mysql.getConnectionUri(true);
  } else if (needMysql) {
    script('mysql.sh');
  }
  console.log(`\ntest servers: Kafka ${process.env.KAFKA_BROKERS ?? '127.0.0.1:9092 (scripts/kafka.sh)'}, MySQL ${docker ? 'testcontainers' : 'local'}`);
};
