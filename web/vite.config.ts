import { reactRouter } from '@react-router/dev/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [reactRouter()],
  // The server bundle imports nothing from ../server at run time (types only): the services
  // arrive through the load context (server/web/context.ts).
  build: { target: 'es2022', assetsInlineLimit: 0 },
  logLevel: 'warn',
});
