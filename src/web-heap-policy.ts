import { applyHeapPolicy } from '@libs/config/process-flags';

// Imported first by the web process, so that the heap policy holds before the application's modules are loaded (and,
// when the young generation's size is not on the command line yet, the process starts itself again with it before
// anything else has run).
applyHeapPolicy();
