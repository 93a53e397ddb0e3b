export * from './types';
export { SelectRegistry } from './registry';
export { formatTime } from './strftime';
