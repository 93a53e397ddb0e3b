/** tm refuses a bad config at start with file:line:column (sipr -c). Port 16500 (never opened). */
import { runSipr, TempDir } from './helpers/sipr';

const head = '#!KAMAILIO\nlisten=udp:127.0.0.1:16500\nloadmodule "tm"\n';

describe('tm: config errors at start', () => {
  const dir = new TempDir();
  afterAll(() => dir.remove());

  test.each([
    ['a modparam out of range', 'modparam("tm", "cancel_b_method", 7)\nrequest_route {\n  t_relay();\n}\n',
      /bad\.cfg:4:1: .*cancel_b_method must be 0, 1 or 2 \(got 7\)/],
    ['an unknown failure route', 'request_route {\n  t_on_failure("NOPE");\n  t_relay();\n}\n',
      /bad\.cfg:5:16: t_on_failure\(\): parameter 1: failure_route\[NOPE\] is not defined/],
    ['a bad status regex', 'request_route {\n  t_check_status("([");\n}\n',
      /bad\.cfg:5:18: t_check_status\(\): parameter 1: bad regular expression "\(\["/],
    ['a t_relay_to target that is no address', 'request_route {\n  t_relay_to("udp:nowhere");\n}\n',
      /bad\.cfg:5:14: t_relay_to\(\): parameter 1: t_relay_to target "udp:nowhere" is not \[proto:\]address\[:port\]/],
    ['t_relay_to flags that are no number', 'request_route {\n  t_relay_to("tcp:127.0.0.1:5060", "fast");\n}\n',
      /bad\.cfg:5:36: t_relay_to\(\): parameter 2: t_relay_to flags "fast" are not an integer/],
    ['a constant t_relay_to_udp host that is no address', 'request_route {\n  t_relay_to_udp("nowhere.example", "5060");\n}\n',
      /bad\.cfg:5:\d+: t_relay_to_udp\(\): parameter 2: "nowhere\.example" port "5060" is not an address and port/],
    ['t_reply in an onreply_route', 'request_route {\n  t_on_reply("R");\n  t_relay();\n}\nonreply_route[R] {\n  t_reply("500", "x");\n}\n',
      /bad\.cfg:9:\d+: .*t_reply/],
  ])('%s', async (_name, body, expected) => {
    const r = await runSipr(['-c', '-f', dir.write('bad.cfg', head + body)]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(expected);
  });

  test('a good config passes the check', async () => {
    const r = await runSipr(['-c', '-f', dir.write('good.cfg', `${head}modparam("tm", "fr_timer", 10)\nrequest_route {\n  t_on_failure("F");\n  if (!t_relay_to("tcp:127.0.0.1:16501", "0x3")) t_relay_to("1");\n  t_save_lumps();\n}\nfailure_route[F] {\n  if (t_check_status("486")) t_reply("480", "Later");\n}\n`)]);
    expect(r.stderr).toMatch(/good\.cfg: config file ok/);
    expect(r.code).toBe(0);
  });
});
