/**
 * The schema registry integration tests use: TEST_SCHEMA_REGISTRY_URL, which
 * jest.global-setup.js sets after `scripts/registry.sh start` (a real Apicurio Registry).
 */
export const TEST_SCHEMA_REGISTRY_URL = process.env['TEST_SCHEMA_REGISTRY_URL'] ?? 'http://127.0.0.1:8081';
