// drizzle-kit reads the schema and writes SQL migrations; the server applies them at start.
import type { Config } from 'drizzle-kit';

export default {
  dialect: 'sqlite',
  schema: './server/db/schema.ts',
  out: './migrations',
  dbCredentials: { url: process.env.DATABASE_URL ?? './data/arbiter.db' },
} satisfies Config;
