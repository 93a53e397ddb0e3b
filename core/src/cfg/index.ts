export { loadConfig, checkConfig, preprocessConfig, type LoadOptions } from './load';
export { parseDefineArg } from './defines';
export { cfgStore, CfgStore, type CfgVar } from './runtime-config';
export { compileEre, MAX_SUBJECT } from './regex';
export type { HostItem } from './core-params';
export { flagByName, avpFlagByName } from './flag-names';
