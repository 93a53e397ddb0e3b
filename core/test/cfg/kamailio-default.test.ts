/**
 * Debian's stock /etc/kamailio/kamailio.cfg (kamailio 5.6) read with every feature define: the
 * language part must be clean; what remains are modules sipr does not ship yet. Skipped when the
 * file is not installed.
 */
import { existsSync } from 'node:fs';
import { Core } from '../../src/core';
import { Logger } from '../../src/log';
import { checkConfig, preprocessConfig } from '../../src/cfg/load';
import { ConfigErrors, ErrorCode } from '../../src/errors';
import { apply as applyCompat } from '@sipr/compat';

const FILE = '/etc/kamailio/kamailio.cfg';
const DEFINES = ['WITH_DEBUG', 'WITH_MYSQL', 'WITH_AUTH', 'WITH_USRLOCDB', 'WITH_NAT', 'WITH_PRESENCE', 'WITH_ACCDB', 'WITH_ANTIFLOOD', 'WITH_BLOCK3XX', 'WITH_VOICEMAIL', 'WITH_XHTTP', 'WITH_JSONRPC'];
const MODULE_CODES = new Set<string>([ErrorCode.MODULE_NOT_FOUND, ErrorCode.MODPARAM, ErrorCode.UNKNOWN_FUNCTION, ErrorCode.FIXUP]);

(existsSync(FILE) ? describe : describe.skip)('stock kamailio.cfg', () => {
  test.each([[[] as string[]], [DEFINES]])('defines %j: only module availability errors', async (names) => {
    const core = new Core({ log: new Logger(-5, '', () => undefined) });
    applyCompat(core);
    const defines = Object.fromEntries(names.map((n) => [n, true as const]));
    let diags: ConfigErrors['diagnostics'] = [];
    try {
      await checkConfig(core, FILE, defines);
    } catch (e) {
      if (!(e instanceof ConfigErrors)) throw e;
      diags = e.diagnostics;
    }
    // PV classes of modules not shipped yet ($hu is xhttp's) count as module availability
    const language = diags.filter((d) => !MODULE_CODES.has(d.code) && !d.message.startsWith('unknown pseudo-variable class'));
    expect(language.map((d) => `${d.line}:${d.column}: ${d.message}`)).toEqual([]);
  });

  test('--cfg-print reads it', () => {
    const out = preprocessConfig(FILE, { WITH_NAT: true });
    expect(out).toContain('request_route {');
    expect(out).toContain('route(NATDETECT);');
  });
});
