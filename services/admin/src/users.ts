#!/usr/bin/env node
// `npm run users -- ...` lands here (through scripts/users.mjs): create, list and disable people's accounts.
import { runUsersCli } from './users/run-users.js';

process.exitCode = await runUsersCli(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr });
