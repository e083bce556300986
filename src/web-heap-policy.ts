import { applyHeapPolicy } from '@libs/config/process-flags';

// Imported first by the web process, so that the heap policy holds before the application's modules are loaded.
applyHeapPolicy();
