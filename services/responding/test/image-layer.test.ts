// The respond function's layer: sharp for linux-arm64 and a font, staged from the workspace's
// own packages (no network, no Docker).
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { imageLayerPackages, stageImageLayer } from '../infra/image-layer.js';

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** ELF e_machine of 64-bit ARM. */
const EM_AARCH64 = 183;

describe('the image layer', () => {
  let out: string;
  let modules: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'murmur-image-layer-'));
    stageImageLayer(out);
    modules = join(out, 'nodejs', 'node_modules');
  });
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
  });

  const version = (dir: string) =>
    (JSON.parse(readFileSync(join(modules, dir, 'package.json'), 'utf8')) as { version: string }).version;

  it('holds sharp and its dependencies where Lambda looks for Node modules (nodejs/node_modules)', () => {
    const sharp = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'node_modules/sharp/package.json'), 'utf8')) as {
      version: string;
      dependencies: Record<string, string>;
    };
    expect(version('sharp')).toBe(sharp.version);
    for (const dependency of Object.keys(sharp.dependencies)) {
      expect(existsSync(join(modules, dependency, 'package.json'))).toBe(true);
    }
    // Copies, not pnpm's links, and no nested node_modules.
    expect(readdirSync(join(modules, 'sharp'))).not.toContain('node_modules');
  });

  it('holds the linux-arm64 build of sharp and libvips, the versions sharp pins, whatever machine staged it', () => {
    const pins = (
      JSON.parse(readFileSync(join(modules, 'sharp/package.json'), 'utf8')) as {
        optionalDependencies: Record<string, string>;
      }
    ).optionalDependencies;
    expect(version('@img/sharp-linux-arm64')).toBe(pins['@img/sharp-linux-arm64']);
    expect(version('@img/sharp-libvips-linux-arm64')).toBe(pins['@img/sharp-libvips-linux-arm64']);
    const binary = readFileSync(
      join(modules, `@img/sharp-linux-arm64/lib/sharp-linux-arm64-${version('sharp')}.node`),
    );
    expect(binary.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(binary.readUInt16LE(18)).toBe(EM_AARCH64);
    const libvips = readdirSync(join(modules, '@img/sharp-libvips-linux-arm64/lib'));
    expect(libvips.some((f) => /^libvips-cpp\.so\./.test(f))).toBe(true);
    // No build for another platform is shipped by mistake.
    expect(readdirSync(join(modules, '@img')).sort()).toEqual([
      'colour',
      'sharp-libvips-linux-arm64',
      'sharp-linux-arm64',
    ]);
  });

  it('holds the font, its licence, and a font configuration that finds it wherever the layer is unpacked', () => {
    expect(readdirSync(join(out, 'fonts')).sort()).toEqual([
      'DejaVu-LICENSE',
      'DejaVuSans.ttf',
      'fonts.conf',
    ]);
    expect(readFileSync(join(out, 'fonts/fonts.conf'), 'utf8')).toContain('<dir prefix="relative">.</dir>');
  });

  it('makes sharp draw names with the font: more of the text is drawn than with no font at all', () => {
    // A fresh process per configuration: fontconfig reads FONTCONFIG_FILE once per process.
    const empty = join(out, 'no-fonts');
    mkdirSync(empty, { recursive: true });
    writeFileSync(
      join(empty, 'fonts.conf'),
      `<?xml version="1.0"?><fontconfig><dir>${empty}</dir><cachedir>${join(empty, 'cache')}</cachedir></fontconfig>`,
    );
    const script = `
      import sharp from 'sharp';
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="240" height="50"><rect width="240" height="50" fill="#000"/><text x="5" y="35" font-family="DejaVu Sans, sans-serif" font-size="28" fill="#fff">Grace Hopper</text></svg>');
      const data = await sharp(svg).greyscale().raw().toBuffer();
      console.log(data.filter((v) => v > 128).length);
    `;
    const litPixels = (fontconfigFile: string) =>
      Number(
        execFileSync(process.execPath, ['--input-type=module', '-e', script], {
          cwd: PACKAGE_ROOT,
          env: { ...process.env, FONTCONFIG_FILE: fontconfigFile },
          encoding: 'utf8',
        }).trim(),
      );

    const withLayerFont = litPixels(join(out, 'fonts/fonts.conf'));
    const withoutFonts = litPixels(join(empty, 'fonts.conf'));

    expect(withLayerFont).toBeGreaterThan(withoutFonts);
  });

  describe('refuses to stage what would not load on Lambda', () => {
    let fake: string;
    beforeAll(() => {
      // A package tree where the arm64 build does not match the sharp that pins it.
      fake = mkdtempSync(join(tmpdir(), 'murmur-image-layer-fake-'));
      const pkg = (name: string, body: object) => {
        mkdirSync(join(fake, 'node_modules', name), { recursive: true });
        writeFileSync(join(fake, 'node_modules', name, 'package.json'), JSON.stringify({ name, ...body }));
      };
      pkg('sharp', {
        version: '0.99.0',
        dependencies: { 'detect-libc': '^2' },
        optionalDependencies: {
          '@img/sharp-linux-arm64': '0.99.0',
          '@img/sharp-libvips-linux-arm64': '9.9.9',
        },
      });
      pkg('detect-libc', { version: '2.1.2' });
      pkg('@img/sharp-linux-arm64', { version: '0.35.5' });
    });
    afterAll(() => {
      rmSync(fake, { recursive: true, force: true });
    });

    it('an arm64 build of another version than sharp pins', () => {
      expect(() => imageLayerPackages(fake)).toThrow(
        'image layer: sharp 0.99.0 needs @img/sharp-linux-arm64@0.99.0, but 0.35.5 is installed; pin the devDependency of @murmur/responding to 0.99.0',
      );
    });

    it('a package that is not installed', () => {
      const bare = mkdtempSync(join(tmpdir(), 'murmur-image-layer-bare-'));
      try {
        expect(() => imageLayerPackages(bare)).toThrow(/^image layer: package sharp is not installed/);
      } finally {
        rmSync(bare, { recursive: true, force: true });
      }
    });
  });
});
