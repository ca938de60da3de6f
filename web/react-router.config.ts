// React Router 7 framework mode, server-rendered. WEB_BUILD_DIR lets server/web/build.ts build
// into a temporary folder and swap it in whole.
import type { Config } from '@react-router/dev/config';

export default {
  appDirectory: 'app',
  buildDirectory: process.env.WEB_BUILD_DIR ?? 'build',
  ssr: true,
} satisfies Config;
