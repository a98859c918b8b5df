export * from './connect.js';
export * from './topology.js';
export * from './publish-event.js';
export * from './file-store.js';
export * from './replicas.js';
