export * from './apicurio.client';
export * from './schema-registry.errors';
export * from './register-schemas';
export * from './schema-registration';
export * from './schema-id.check';
