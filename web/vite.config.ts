import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// The browser bundles the contracts' TypeScript sources directly, so the web never waits on `tsc -b`.
const contracts = fileURLToPath(new URL('../contracts/src/index.ts', import.meta.url));

export default defineConfig({
  plugins: [
    react(),
    // The service worker (sw/sw.ts) gets the list of built files to precache, each with its revision.
    // The manifest is the server's (/manifest.webmanifest), in the reader's language.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'sw',
      filename: 'sw.ts',
      injectRegister: false,
      registerType: 'prompt',
      manifest: false,
      injectManifest: {
        globPatterns: ['**/*.{html,js,css,svg,png,woff2}'],
        globIgnores: ['**/register-sw.js'],
        // antd's chunks for the wallet and the console: precached so every page opens offline.
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
      },
    }),
  ],
  resolve: { alias: { '@okpay/contracts': contracts } },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/dev/mail': 'http://localhost:3000',
      '/manifest.webmanifest': 'http://localhost:3000',
      '/help': 'http://localhost:3000',
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The entry (antd's core with the public pages) is about 230 kB gzipped; heavier antd parts
    // (Table, DatePicker, Upload) ride with the lazily loaded wallet and console sections instead.
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod's sources carry explanatory comments next to @__PURE__ marks; Rollup drops them harmlessly.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/zod/')) return;
        warn(warning);
      },
      output: {
        // Keep the rarely-changing libraries in their own long-cached files; antd is split by the pages that use it.
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          if (/node_modules\/(react|react-dom|react-router|react-router-dom|scheduler)\//.test(id)) return 'react';
          if (/node_modules\/(i18next|react-i18next)\//.test(id)) return 'i18n';
          if (/node_modules\/zod\//.test(id)) return 'zod';
          return undefined;
        },
      },
    },
  },
});
