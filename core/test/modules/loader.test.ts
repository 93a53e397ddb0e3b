import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { ErrorCode } from '@sipr/core';
import { quietCore, tempDir, placeFixture, writeModule, at, errorOf, FIXTURES } from './helpers';

const hello = (tag: string) => `module.exports = { name: 'hello', version: '${tag}', cmds: [['hello', () => 1, 0, null, null, 1]] };`;

describe('loadmodule resolution', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => { t = tempDir(); });
  afterEach(() => t.cleanup());

  test('a bare name is found as <loadpath>/<name>', () => {
    const { core } = quietCore();
    writeModule(join(t.dir, 'mods', 'hello'), 'hello', 'kamailio', hello('a'));
    core.modules.addLoadPath([join(t.dir, 'mods')]);
    const m = core.modules.load('hello', at(join(t.dir, 'k.cfg'), 3));
    expect(m.location).toBe(join(t.dir, 'mods', 'hello'));
    expect(m.descriptor.interface).toBe('kamailio');
    expect(m.manifest?.name).toBe('hello');
  });

  test('a module without its own version has its package version', () => {
    const { core } = quietCore();
    writeModule(join(t.dir, 'mods', 'plain'), 'plain', 'ser', "module.exports = { name: 'plain' };");
    core.modules.addLoadPath([join(t.dir, 'mods')]);
    expect(core.modules.load('plain').descriptor.version).toBe('1.0.0');
  });

  test('"name.so" maps to the module "name", as Kamailio configs write it', () => {
    const { core } = quietCore();
    writeModule(join(t.dir, 'mods', 'hello'), 'hello', 'kamailio', hello('a'));
    core.modules.addLoadPath([join(t.dir, 'mods')]);
    expect(core.modules.load('hello.so').descriptor.name).toBe('hello');
  });

  test('an absolute .so path that does not exist falls back to the module name', () => {
    const { core } = quietCore();
    writeModule(join(t.dir, 'mods', 'hello'), 'hello', 'kamailio', hello('a'));
    core.modules.addLoadPath([join(t.dir, 'mods')]);
    expect(core.modules.load('/usr/lib/kamailio/modules/hello.so').location).toBe(join(t.dir, 'mods', 'hello'));
  });

  test('a relative path resolves from the config directory, then from loadpath dirs', () => {
    const { core } = quietCore();
    writeModule(join(t.dir, 'cfgdir', 'local', 'hello'), 'hello', 'kamailio', hello('a'));
    expect(core.modules.load('./local/hello', at(join(t.dir, 'cfgdir', 'k.cfg'), 1)).location).toBe(join(t.dir, 'cfgdir', 'local', 'hello'));
    const other = quietCore().core;
    writeModule(join(t.dir, 'lp', 'sub', 'hello'), 'hello', 'kamailio', hello('b'));
    other.modules.addLoadPath([join(t.dir, 'lp')]);
    expect(other.modules.load('sub/hello', at(join(t.dir, 'k.cfg'), 1)).location).toBe(join(t.dir, 'lp', 'sub', 'hello'));
  });

  test('loadpath dirs are searched in order (":"-separated lists too)', () => {
    writeModule(join(t.dir, 'one', 'hello'), 'hello', 'kamailio', hello('one'));
    writeModule(join(t.dir, 'two', 'hello'), 'hello', 'kamailio', hello('two'));
    const a = quietCore().core;
    a.modules.addLoadPath([`${join(t.dir, 'nothing')}:${join(t.dir, 'two')}`, join(t.dir, 'one')]);
    expect(a.modules.searchPath()).toEqual([join(t.dir, 'nothing'), join(t.dir, 'two'), join(t.dir, 'one')]);
    expect(a.modules.load('hello').descriptor.version).toBe('two');
    const b = quietCore().core;
    b.modules.addLoadPath([join(t.dir, 'one'), join(t.dir, 'two')]);
    expect(b.modules.load('hello').descriptor.version).toBe('one');
  });

  test('an npm package name resolves from node_modules next to the config', () => {
    const { core } = quietCore();
    placeFixture('sipr-mod-hello', join(t.dir, 'node_modules'), 'sipr-mod-hello');
    const m = core.modules.load('sipr-mod-hello', at(join(t.dir, 'kamailio.cfg'), 7));
    expect(m.descriptor.name).toBe('hello');
    expect(m.location).toBe(join(t.dir, 'node_modules', 'sipr-mod-hello'));
  });

  test('a scoped package name resolves through node_modules of a loadpath dir', () => {
    const { core } = quietCore();
    writeModule(join(t.dir, 'lib', 'node_modules', '@acme', 'hello'), 'hello', 'kamailio', hello('acme'));
    core.modules.addLoadPath([join(t.dir, 'lib')]);
    expect(core.modules.load('@acme/hello', at(join(t.dir, 'elsewhere', 'k.cfg'), 1)).descriptor.version).toBe('acme');
  });

  test('npm packages that are not sipr modules are passed over for the shipped module', () => {
    const { core } = quietCore();
    mkdirSync(join(t.dir, 'node_modules', 'sl'), { recursive: true });
    writeFileSync(join(t.dir, 'node_modules', 'sl', 'package.json'), '{"name":"sl","version":"5.0.0"}');
    expect(core.modules.load('sl', at(join(t.dir, 'k.cfg'), 1)).location).toMatch(/plugins[/\\]sl$/);
  });

  test('a shipped module resolves by name when nothing else matches', () => {
    const { core } = quietCore();
    const m = core.modules.load('sl.so', at(join(t.dir, 'k.cfg'), 2));
    expect(m.descriptor.name).toBe('sl');
    expect(m.location).toMatch(/[/\\]sl$/);
  });

  test('an unknown module names the spec, the file and the line', () => {
    const { core } = quietCore();
    core.modules.addLoadPath([join(t.dir, 'mods')]);
    const e = errorOf(() => core.modules.load('nosuchmod.so', at('/etc/k.cfg', 12, 1)));
    expect(e.code).toBe(ErrorCode.MODULE_NOT_FOUND);
    expect(e.format()).toMatch(/^\/etc\/k\.cfg:12:1: loadmodule "nosuchmod\.so": module not found \(searched loadpath .*mods, npm packages from \/etc, shipped modules\)$/);
  });

  test('loading a module twice warns and keeps the first', () => {
    const { core, logs } = quietCore();
    writeModule(join(t.dir, 'mods', 'hello'), 'hello', 'kamailio', hello('a'));
    core.modules.addLoadPath([join(t.dir, 'mods')]);
    const first = core.modules.load('hello', at('k.cfg', 1));
    expect(core.modules.load('hello.so', at('k.cfg', 2))).toBe(first);
    expect(core.modules.list()).toHaveLength(1);
    expect(logs).toEqual([expect.stringMatching(/WARNING: loadmodule "hello\.so" \(k\.cfg:2\): module hello already loaded from .*hello \(k\.cfg:1\); skipped$/)]);
  });

  test('an entry that is missing is reported with the path', () => {
    const { core } = quietCore();
    const dir = writeModule(join(t.dir, 'mods', 'hello'), 'hello', 'kamailio', '');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'h', sipr: { name: 'hello', interface: 'kamailio', core: '*', entry: 'dist/index.js' } }));
    core.modules.addLoadPath([join(t.dir, 'mods')]);
    const e = errorOf(() => core.modules.load('hello', at('k.cfg', 4)));
    expect(e.format()).toBe(`k.cfg:4:1: loadmodule "hello": entry ${join(dir, 'dist', 'index.js')} of module hello does not exist (is the package built?)`);
  });

  test('a module that throws while being required is refused', () => {
    const { core } = quietCore();
    writeModule(join(t.dir, 'mods', 'boom'), 'boom', 'kamailio', "throw new Error('no config for you');");
    core.modules.addLoadPath([join(t.dir, 'mods')]);
    const e = errorOf(() => core.modules.load('boom', at('k.cfg', 5)));
    expect(e.code).toBe(ErrorCode.MODULE_INIT);
    expect(e.format()).toMatch(/^k\.cfg:5:1: loadmodule "boom": module boom failed to load from .*index\.js: no config for you$/);
  });

  test('the export must carry the manifest name', () => {
    const { core } = quietCore();
    writeModule(join(t.dir, 'mods', 'hello'), 'hello', 'kamailio', "module.exports = { name: 'howdy' };");
    core.modules.addLoadPath([join(t.dir, 'mods')]);
    expect(errorOf(() => core.modules.load('hello', at('k.cfg', 6))).format()).toMatch(/names the module hello but its export is named howdy$/);
  });
});

test('a native module is its descriptor; its apply(core) taps hooks at load', () => {
  const t = tempDir();
  try {
    const { core } = quietCore();
    writeModule(join(t.dir, 'native'), 'native', 'native', `
      module.exports = {
        name: 'native',
        functions: [{ name: 'native_fn', arity: 0, allowed: 1, impl: () => 5 }],
        apply(core) { core.hooks.preScript.tap('native', (ctx) => (ctx.rc === 13 ? 0 : undefined)); core.globals.set('order', ['apply']); },
        register(core) { core.globals.get('order').push('register'); },
      };`);
    core.modules.addLoadPath([t.dir]);
    const m = core.modules.load('native');
    expect(m.descriptor.interface).toBe('native');
    expect(core.globals.get('order')).toEqual(['apply', 'register']);
    expect(core.hooks.preScript.call({ rc: 13 } as never)).toBe(0);
    expect(core.modules.findFunction('native_fn', 0, 1)).toMatchObject({ module: 'native' });
  } finally {
    t.cleanup();
  }
});

describe('manifest and core range', () => {
  test('a bad manifest is refused with every problem, before its code runs', () => {
    const { core } = quietCore();
    core.modules.addLoadPath([FIXTURES]);
    const e = errorOf(() => core.modules.load('sipr-mod-bad-manifest', at('/srv/kamailio.cfg', 9, 1)));
    expect(e.code).toBe(ErrorCode.MODULE_MANIFEST);
    expect(e.format()).toBe(
      `/srv/kamailio.cfg:9:1: loadmodule "sipr-mod-bad-manifest": bad manifest in ${join(FIXTURES, 'sipr-mod-bad-manifest', 'package.json')}: `
      + 'sipr must have required property \'entry\'; sipr: unknown field "so"; sipr.interface must be one of kamailio, ser, native',
    );
  });

  test('a package without a sipr manifest is not a module', () => {
    const t = tempDir();
    try {
      const { core } = quietCore();
      mkdirSync(join(t.dir, 'plain'));
      writeFileSync(join(t.dir, 'plain', 'package.json'), '{"name":"plain"}');
      core.modules.addLoadPath([t.dir]);
      expect(errorOf(() => core.modules.load('plain', at('k.cfg', 1))).message).toMatch(/bad manifest in .*package\.json: package\.json has no "sipr" manifest$/);
    } finally {
      t.cleanup();
    }
  });

  test('a core range this core does not satisfy is refused', () => {
    const { core } = quietCore();
    core.modules.addLoadPath([FIXTURES]);
    const e = errorOf(() => core.modules.load('sipr-mod-old-core', at('/srv/kamailio.cfg', 10, 1)));
    expect(e.code).toBe(ErrorCode.MODULE_CORE_RANGE);
    expect(e.format()).toBe(
      `/srv/kamailio.cfg:10:1: loadmodule "sipr-mod-old-core": module oldcore (${join(FIXTURES, 'sipr-mod-old-core', 'package.json')}) requires @sipr/core ^2.0.0, this core is ${core.version}`,
    );
  });

  test('a package.json that is not JSON, and an empty name, are refused plainly', () => {
    const t = tempDir();
    try {
      const { core } = quietCore();
      mkdirSync(join(t.dir, 'broken'));
      writeFileSync(join(t.dir, 'broken', 'package.json'), '{"name": "broken",');
      core.modules.addLoadPath([t.dir]);
      expect(errorOf(() => core.modules.load('broken', at('k.cfg', 2))).format()).toMatch(/^k\.cfg:2:1: loadmodule "broken": bad manifest in .*broken.package\.json: package\.json is not valid JSON \(/);
      expect(errorOf(() => core.modules.load('', at('k.cfg', 3))).format()).toBe('k.cfg:3:1: loadmodule: empty module name');
    } finally {
      t.cleanup();
    }
  });

  test('a core range that is not semver is a manifest error', () => {
    const t = tempDir();
    try {
      const { core } = quietCore();
      writeModule(join(t.dir, 'm'), 'm', 'kamailio', "module.exports = { name: 'm' };", 'latest-and-greatest');
      core.modules.addLoadPath([t.dir]);
      expect(errorOf(() => core.modules.load('m')).message).toMatch(/sipr\.core "latest-and-greatest" is not a semver range$/);
    } finally {
      t.cleanup();
    }
  });
});
