// Builds the accessibility audit harness (a11y/index.html) into a11y/dist, apart from the app's
// own build in ui/dist, so the mocked core can never end up in what Tauri ships.
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  // Relative asset addresses, so any static server can serve the folder as it is.
  base: './',
  publicDir: false,
  plugins: [svelte({ configFile: fileURLToPath(new URL('../svelte.config.js', import.meta.url)) })],
  clearScreen: false,
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Readable stack traces if a screen throws during the audit.
    sourcemap: true,
    minify: false,
  },
});
