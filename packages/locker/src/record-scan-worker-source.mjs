// Entry of a record-scan worker thread when evidentia runs from its TypeScript sources (verify-records.ts):
// a worker does not inherit the loader of the thread that starts it, so it registers tsx itself, as bin/evidentia.js does.
import { register } from 'tsx/esm/api';

register();
await import('./record-scan-worker.ts');
