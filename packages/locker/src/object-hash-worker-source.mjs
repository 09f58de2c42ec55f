// Entry of an object-hashing worker thread when evidentia runs from its TypeScript sources (object-hash-pool.ts):
// a worker does not inherit the loader of the thread that starts it, so it registers tsx itself, as bin/evidentia.js does.
import { register } from 'tsx/esm/api';

register();
await import('./object-hash-worker.ts');
