export * from './constants';
export * from './stats';
export * from './fparam';
export * from './fixups';
export * from './exports';
export * from './kamailio';
export * from './ser';
export { apply } from './apply';
