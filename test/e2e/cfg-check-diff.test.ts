/**
 * Start-time checks compared with kamailio 5.6: each snippet must be accepted by both or refused
 * by both. `kamailio -c` only parses, so kamailio is also started for real (its fixups run before
 * it serves; a refused config exits within the grace time). sipr checks in-process (`-c` runs
 * fixups) with the real module loader. Ports 18100-18199 (kamailio only). Skipped without kamailio.
 * Not compared (documented in docs/config.md): sipr also accepts empty `{ }` blocks and a missing
 * `;` before `}`; `route(N)` to an undefined number is 3.0's empty route (5.6 refuses it);
 * send()/append_branch() are core actions in 3.0 (module corex in 5.6).
 */
import { execFileSync } from 'node:child_process';
import { apply as applyCompat } from '@sipr/compat';
import { Core } from '@sipr/core';
import { checkConfig } from '../../core/src/cfg/load';
import { ConfigErrors } from '../../core/src/errors';
import { Logger } from '../../core/src/log';
import { describeWithKamailio, KAMAILIO, KMODS, spawnKamailio } from './helpers/kamailio';
import { TempDir } from './helpers/sipr';

/** request_route bodies; [body, accepted] where accepted is what cfg-language.md says. */
const SNIPPETS: [string, boolean][] = [
  ['$var(r) = "a" + 1;', true],
  ['$var(r) = 1 + "a";', false],
  ['$var(r) = "1" == 1;', true],
  ['$var(r) = 1 == "1";', false],
  ['$var(r) = "a" - 1;', false],
  ['$var(r) = $var(x) - "a";', false],
  ['$var(r) = $var(x) ieq "b";', false],
  ['$var(r) = $var(x) eq "b";', true],
  ['$var(r) = (1 + 1) == "2";', false],
  ['$var(r) = $var(x) && "a";', false],
  ['$var(r) = (int)"3" > 1;', true],
  ['$var(r) = @cseq.num > 3;', false],
  ['$var(r) = (int)@cseq.num > 3;', true],
  ['if ($rm =~ "a(b") drop;', false],
  ['if ($rm =~ "^(INVITE|ACK)$") drop;', true],
  ['switch ($rm) { case "a": break; case /"^b": break; default: break; }', true],
  ['switch ($var(x)) { case 1: break; case "a": break; }', false],
  ['switch ($var(x)) { case 1: break; case 1: break; }', false],
  ['nosuch_function();', false],
  ['sl_send_reply("200");', false],
  ['sl_send_reply("200", "OK");', true],
  ['route(nosuch);', false],
  ['$var(x) += 1;', false],
  ['$rm = "x";', false],
  ['if (method == INVITE && uri == myself && src_ip == 10.0.0.0/8) drop;', true],
  ['if (src_port == 5060 && proto == UDP && af == INET) drop;', true],
  ['while ($var(i) < 3) { $var(i) = $var(i) + 1; if ($var(i) == 2) break; }', true],
  ['setflag(3); if (isflagset(3)) resetflag(3);', true],
  ['$var(r) = 010 + 0x10 + strlen("ab") + defined $var(x);', true],
  ['$var(r) = -"3";', false],
  ['$var(r) = !"a";', false],
  ['$var(r) = -@cseq.num;', false],
  ['$var(r) = strlen(5);', false],
  ['$var(r) = defined "a";', true],
  ['$var(r) = "a" * 0;', false],
  ['if ("a") drop;', true],
  ['if (@cseq.num) drop;', true],
  ['while ("a") drop;', false],
  ['switch ("x") { case 1: break; }', true],
  ['if $rm == "X" drop;', true],
  ['switch ($rm) { }', true],
  ['switch ($rm) { case "a": default: }', true],
  ['return(1);', true],
  ['exit();', true],
  ['drop();', true],
  ['$var(x) = ($var(y) = 2);', true],
  ['if ({ $var(x) = 1; }) drop;', true],
  ['sl_send_reply(404, "x");', true],
  ['log(1, "x"); log("x");', true],
  ['setflag(32);', false],
  ['forward();', true],
  ['forward(1.2.3.4, 5060);', true],
  ['forward_tcp("1.2.3.4");', true],
  ['rewritehostport("a:1"); prefix("9"); strip(2); revert_uri();', true],
  ['force_send_socket(udp:127.0.0.1:PORT);', true],
  ['force_send_socket(udp:127.0.0.1:1);', false],
  ['if (src_ip == 1.2.3.4/33) drop;', false],
  ['if (src_ip == 300.1.1.1) drop;', false],
  ['if (1) ; ;', true],
  ['if (method == "X" || ) drop;', false],
  ['$var(x) = "unterminated;', false],
  ['route(x', false],
];

/** Each snippet gets its own port (18100 + index, PORT in the body) so kamailio starts can run side by side. */
function cfg(body: string, i: number): string {
  const port = 18100 + i;
  return `#!KAMAILIO\nlisten=udp:127.0.0.1:${port}\nloadmodule "pv"\nloadmodule "sl"\nrequest_route {\n  ${body.replace('PORT', String(port))}\n}\n`;
}

/** A config refused at fixup time exits within this; one still running after it was accepted. */
const GRACE_MS = 2000;
const PARALLEL = 6;

describeWithKamailio('cfg-check-diff')('start-time checks: sipr -c vs kamailio', () => {
  const dir = new TempDir();
  const files = SNIPPETS.map(([body], i) => dir.write(`s${i}.cfg`, cfg(body, i)));
  const kamailio: boolean[] = [];

  /** Parses (`-c`) and starts (fixups) without an error. */
  async function kamailioAccepts(file: string): Promise<boolean> {
    try {
      execFileSync(KAMAILIO, ['-c', '-f', file, '-L', KMODS], { stdio: 'pipe', timeout: 10000 });
    } catch {
      return false;
    }
    const k = spawnKamailio(file, dir.path, 'ignore');
    const code = await Promise.race([k.exited, new Promise<'running'>((r) => setTimeout(() => r('running'), GRACE_MS))]);
    // its workers may outlive it: stop() signals the whole process group
    await k.stop();
    return code === 'running' || code === 0;
  }

  beforeAll(async () => {
    for (let i = 0; i < files.length; i += PARALLEL) {
      const batch = files.slice(i, i + PARALLEL);
      const verdicts = await Promise.all(batch.map(kamailioAccepts));
      verdicts.forEach((v, k) => (kamailio[i + k] = v));
    }
  }, 120000);
  afterAll(() => dir.remove());

  async function siprAccepts(file: string): Promise<boolean> {
    const core = new Core({ log: new Logger(-5, '', () => undefined) });
    applyCompat(core);
    try {
      await checkConfig(core, file);
      return true;
    } catch (e) {
      if (e instanceof ConfigErrors) return false;
      throw e;
    }
  }

  test.each(SNIPPETS.map(([b, ok], i) => [i, b, ok] as const))('#%i %s', async (i, body, ok) => {
    const s = await siprAccepts(files[i]);
    expect({ body, sipr: s }).toEqual({ body, sipr: kamailio[i] });
    expect(s).toBe(ok);
  });
});
