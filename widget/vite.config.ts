import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * One self-contained IIFE (`dist/widget.js`) that any site can load with a single <script> tag:
 * no chunks, no CSS file (styles live in the Shadow DOM), no zod: from contracts only types, and
 * the plain formatting functions of `@okpay/contracts/format` (bundled from source, like the web app).
 */
export default defineConfig({
  resolve: { alias: { '@okpay/contracts/format': fileURLToPath(new URL('../contracts/src/format.ts', import.meta.url)) } },
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    lib: {
      entry: 'src/main.tsx',
      name: 'OKPayChatWidget',
      formats: ['iife'],
      fileName: () => 'widget.js',
    },
    rollupOptions: { output: { inlineDynamicImports: true } },
  },
});
