#!/usr/bin/env node
// The `encours` command: the compiled build (dist/, made by `npm ci`), or the sources when they are newer.
import { launch } from './launch.js';

await launch('cli');
