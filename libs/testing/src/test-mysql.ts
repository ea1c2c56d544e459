// The test database helpers live beside the schema they migrate (libs/persistence's testing
// entry), so that libs/persistence's own suites use them without importing this library.
export { createTestDatabase, TEST_MYSQL_URL, type TestDatabase } from '@cryptostream/persistence/testing';
