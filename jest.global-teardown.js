// Stops what jest.global-setup.js started with testcontainers; the project's own Kafka broker
// stays up for the next run (`npm run kafka:stop` stops it).
module.exports = async function stopTestContainers() {
  for (const container of globalThis.__testContainers ?? []) await container.stop();
};
