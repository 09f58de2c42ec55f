export * from './types.js';
export { LockerError } from './errors.js';
export { initLocker, openLocker, type InitResult, type OpenOptions } from './locker.js';
