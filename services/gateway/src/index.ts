export { buildApp, type GatewayAppOptions } from './app.js';
export { loadConfig, GatewayEnv, type GatewayConfig } from './config.js';
export { Fanout, type FanoutClient } from './fanout.js';
