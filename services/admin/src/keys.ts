#!/usr/bin/env node
// `npm run keys -- ...` lands here (through scripts/keys.mjs): create, list and revoke tenants' API keys.
import { runKeysCli } from './keys/run-keys.js';

process.exitCode = await runKeysCli(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr });
