import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIsCurrent } from '../bin/launch.js';
import { addCommands, COMMAND_NAMES, commandNamed, createProgram } from '../src/cli/program.ts';
import { REPO_ROOT, runCli } from './support/cli.ts';

/** The compiled build's module graph (dist/meta.json, written by bin/build.js before the tests). */
interface Metafile {
  outputs: Record<
    string,
    { entryPoint?: string; imports: { path: string; kind: string; external?: boolean }[] }
  >;
}
const meta = JSON.parse(readFileSync(join(REPO_ROOT, 'dist', 'meta.json'), 'utf8')) as Metafile;

/** The npm packages a compiled module loads before it runs (static imports, through shared chunks). */
function packagesLoadedBy(source: string): string[] {
  const byEntry = Object.keys(meta.outputs).find((o) => meta.outputs[o]!.entryPoint === source);
  expect(byEntry, `${source} is a chunk of its own in dist/`).toBeDefined();
  const seen = new Set<string>();
  const packages = new Set<string>();
  const todo = [byEntry!];
  while (todo.length) {
    const output = todo.pop()!;
    if (seen.has(output)) continue;
    seen.add(output);
    for (const i of meta.outputs[output]!.imports) {
      if (i.kind !== 'import-statement') continue;
      if (!i.external) todo.push(i.path);
      else if (!i.path.startsWith('node:')) packages.add(i.path);
    }
  }
  return [...packages].sort();
}

describe('encours command line program', () => {
  it('finds the command after global options, and the one `help` names', () => {
    const program = createProgram();
    expect(commandNamed(program, ['--db', 'terms', 'score', '--json'])).toBe('score');
    expect(commandNamed(program, ['--db=./data', '--debug', 'terms', 'C1', '--days', '30'])).toBe('terms');
    expect(commandNamed(program, ['--token', 'enc_x', 'help', 'reminders'])).toBe('reminders');
    expect(commandNamed(program, ['--help'])).toBeUndefined();
    expect(commandNamed(program, [])).toBeUndefined();
  });

  it('each command module defines exactly the command it is listed under', async () => {
    for (const name of COMMAND_NAMES) {
      const program = await addCommands(createProgram(), name);
      expect(program.commands.map((c) => c.name())).toEqual(COMMAND_NAMES);
      const command = program.commands.find((c) => c.name() === name)!;
      // Loaded: it runs something (commander keeps the action privately) or has subcommands.
      const action = (command as unknown as { _actionHandler: unknown })._actionHandler;
      expect(action !== null || command.commands.length > 0, name).toBe(true);
      expect(command.description(), name).not.toBe('');
    }
  });

  it('starts without loading any command module, database driver or SDK', () => {
    expect(packagesLoadedBy('src/cli/main.ts')).toEqual(['commander']);
    for (const command of ['terms', 'clients', 'score', 'policy']) {
      const loaded = packagesLoadedBy(`src/cli/commands/${command}.ts`);
      for (const heavy of [
        '@anthropic-ai/sdk',
        '@modelcontextprotocol/sdk',
        '@electric-sql/pglite',
        '@electric-sql/pglite-socket',
        'postgres',
      ])
        expect(
          loaded.filter((p) => p === heavy || p.startsWith(`${heavy}/`)),
          `${command} loads ${heavy} at start-up`,
        ).toEqual([]);
    }
  });

  it('--help lists every command with its description, from the compiled build', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const program = await addCommands(createProgram());
    for (const c of program.commands) {
      const words = c.description().split(' ').slice(0, 4).join(' ');
      expect(r.stdout).toMatch(new RegExp(`\\n {2}${c.name()}\\b[^\\n]* ${words.replace(/[()]/g, '\\$&')}`));
    }
  });
});

describe('compiled build', () => {
  it('is current with the sources once the tests are set up, so spawned commands run this code', () => {
    expect(buildIsCurrent()).toBe(true);
  });

  it('is rebuilt by the first command that finds it missing or older than a source, not run from the sources each time', () => {
    // A copy of the package whose build is gone, then whose source is newer than its build.
    const root = mkdtempSync(join(tmpdir(), 'encours-rebuild-'));
    try {
      for (const dir of ['bin', 'src', 'tools'])
        cpSync(join(REPO_ROOT, dir), join(root, dir), { recursive: true });
      cpSync(join(REPO_ROOT, 'package.json'), join(root, 'package.json'));
      symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
      const help = () =>
        spawnSync(process.execPath, [join(root, 'bin', 'encours.js'), '--help'], { encoding: 'utf8' });
      expect(buildIsCurrent(root)).toBe(false);
      const first = help();
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/Usage: encours/);
      expect(buildIsCurrent(root)).toBe(true);
      const stamp = () =>
        JSON.parse(readFileSync(join(root, 'dist', 'build.json'), 'utf8')).builtAt as number;
      const builtAt = stamp();
      // Edited just after the build (as a checkout or copy that touches files would leave it).
      const edited = new Date(builtAt + 1);
      utimesSync(join(root, 'src', 'cli', 'main.ts'), edited, edited);
      expect(buildIsCurrent(root)).toBe(false);
      expect(help().status).toBe(0);
      expect(stamp()).toBeGreaterThan(builtAt);
      expect(buildIsCurrent(root)).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('is out of date once a source it was built from changes or disappears', () => {
    const root = mkdtempSync(join(tmpdir(), 'encours-build-'));
    try {
      mkdirSync(join(root, 'src'));
      mkdirSync(join(root, 'dist'));
      writeFileSync(join(root, 'src', 'a.ts'), '');
      writeFileSync(join(root, 'src', 'b.ts'), '');
      const builtAt = Date.now() + 60_000; // built after both files were written
      const stamp = (inputs: string[]) =>
        writeFileSync(join(root, 'dist', 'build.json'), JSON.stringify({ builtAt, inputs }));
      stamp(['src/a.ts', 'src/b.ts']);
      expect(buildIsCurrent(root)).toBe(true);
      const later = new Date(builtAt + 1000);
      utimesSync(join(root, 'src', 'b.ts'), later, later);
      expect(buildIsCurrent(root)).toBe(false);
      stamp(['src/a.ts', 'src/gone.ts']);
      expect(buildIsCurrent(root)).toBe(false);
      rmSync(join(root, 'dist'), { recursive: true });
      expect(buildIsCurrent(root)).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
