import { z } from 'zod';
import { AppError } from './errors.ts';

/** The only module that reads `process.env`. Everything else receives a `Config`. */
const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  ENCOURS_DATA_DIR: z.string().min(1).default('.encours'),
  ENCOURS_DB_IDLE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  ENCOURS_POLICY: z.string().min(1).optional(),
  ENCOURS_AS_OF: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
    .optional(),
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: z.url().optional(),
  ENCOURS_MODEL: z.string().min(1).default('claude-sonnet-4-6'),
  ENCOURS_AGENT_MAX_STEPS: z.coerce.number().int().min(1).max(50).default(8),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  ENCOURS_ALLOWED_ORIGINS: z.string().optional(),
  ENCOURS_PUBLIC_URL: z.url().optional(),
});

export type Config = z.infer<typeof envSchema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings are treated as unset: `FOO= encours ...` should not fail validation.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new AppError(
      'INVALID_CONFIG',
      `invalid environment:\n${lines.join('\n')}`,
      parsed.error.issues,
      'fix or unset the variables above (see README, "Configuration")',
    );
  }
  return parsed.data;
}
