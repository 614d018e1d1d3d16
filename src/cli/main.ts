import { addCommands, commandNamed, createProgram } from './program.ts';

// `encours ... | head` closes stdout early: stop quietly instead of printing a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const program = createProgram();
const named = commandNamed(program, process.argv.slice(2));
await addCommands(program, named);
await program.parseAsync(process.argv);
