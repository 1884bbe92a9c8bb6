import { defineConfig } from 'vite';

/**
 * One self-contained IIFE (`dist/widget.js`) that any site can load with a single <script> tag:
 * no chunks, no CSS file (styles live in the Shadow DOM), no zod (types only from contracts).
 */
export default defineConfig({
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
