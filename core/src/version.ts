/** The core version modules declare a semver range against (manifest `sipr.core`). */
export const CORE_VERSION = '0.1.0';
