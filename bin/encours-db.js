#!/usr/bin/env node
// The embedded database server of one data directory (src/db/server-main.ts), started on demand by
// encours processes that use that directory; not a command to run by hand.
import { launch } from './launch.js';

await launch('db-server');
