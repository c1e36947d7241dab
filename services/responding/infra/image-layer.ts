// sharp on Lambda: its JavaScript, the linux-arm64 binary and libvips, plus a font for the names
// drawn on photos (the Lambda image ships no fonts, so the names would not render), as one layer.
// Staged from packages the workspace installs (devDependencies of @murmur/responding, installed
// whatever the machine's own platform), so synth needs neither the network nor Docker. The
// respond function keeps `sharp` out of its bundle (a native module cannot be bundled) and
// imports it from the layer.
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** Where the layer's font configuration is on Lambda (layers unpack under /opt). */
export const IMAGE_LAYER_FONTCONFIG_FILE = '/opt/fonts/fonts.conf';

/** The font the annotations use (annotate-image.ts asks for "DejaVu Sans"). */
const FONT_FILES = ['ttf/DejaVuSans.ttf', 'LICENSE'];

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

interface PackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** The directory of package `name` as Node would find it from `fromDir` (pnpm symlinks followed). */
export function packageDir(name: string, fromDir: string): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) {
      throw new Error(
        `image layer: package ${name} is not installed (looked up from ${fromDir}); run pnpm install`,
      );
    }
  }
}

const readPackage = (dir: string): PackageJson =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;

/** sharp and the arm64 builds it pins, checked to be the versions sharp asks for. */
export function imageLayerPackages(fromDir = PACKAGE_ROOT): { name: string; dir: string; version: string }[] {
  const sharpDir = packageDir('sharp', fromDir);
  const sharp = readPackage(sharpDir);
  const packages = [{ name: 'sharp', dir: sharpDir, version: sharp.version }];
  for (const dependency of Object.keys(sharp.dependencies ?? {})) {
    const dir = packageDir(dependency, sharpDir);
    packages.push({ name: dependency, dir, version: readPackage(dir).version });
  }
  for (const native of ['@img/sharp-linux-arm64', '@img/sharp-libvips-linux-arm64']) {
    const dir = packageDir(native, fromDir);
    const { version } = readPackage(dir);
    const wanted = sharp.optionalDependencies?.[native];
    if (version !== wanted) {
      throw new Error(
        `image layer: sharp ${sharp.version} needs ${native}@${wanted}, but ${version} is installed; ` +
          `pin the devDependency of @murmur/responding to ${wanted}`,
      );
    }
    packages.push({ name: native, dir, version });
  }
  return packages;
}

/**
 * Fontconfig reads this (FONTCONFIG_FILE): fonts in its own directory, wherever the layer is
 * unpacked, and its cache in /tmp, the only writable place on Lambda.
 */
export const FONTS_CONF = `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir prefix="relative">.</dir>
  <cachedir>/tmp/fontconfig</cachedir>
</fontconfig>
`;

/** Lays the layer out in `outputDir`: `nodejs/node_modules/<package>` and `fonts/`. */
export function stageImageLayer(outputDir: string, fromDir = PACKAGE_ROOT): void {
  const modules = join(outputDir, 'nodejs', 'node_modules');
  for (const pkg of imageLayerPackages(fromDir)) {
    cpSync(pkg.dir, join(modules, pkg.name), {
      recursive: true,
      dereference: true,
      // A package's own node_modules holds only pnpm's .bin links.
      filter: (source) => !relative(pkg.dir, source).split(sep).includes('node_modules'),
    });
  }
  const fonts = join(outputDir, 'fonts');
  mkdirSync(fonts, { recursive: true });
  const dejavu = packageDir('dejavu-fonts-ttf', fromDir);
  for (const file of FONT_FILES) {
    const name = file.split('/').at(-1)!;
    cpSync(join(dejavu, file), join(fonts, name === 'LICENSE' ? 'DejaVu-LICENSE' : name));
  }
  writeFileSync(join(fonts, 'fonts.conf'), FONTS_CONF);
}

/** The layer the respond function imports sharp from. */
export class ImageLayer extends Construct {
  readonly layer: lambda.LayerVersion;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const sharp = imageLayerPackages().find((p) => p.name === 'sharp')!;
    this.layer = new lambda.LayerVersion(this, 'Layer', {
      description: `Murmur responding: sharp ${sharp.version} for linux-arm64 and the DejaVu Sans font`,
      compatibleArchitectures: [lambda.Architecture.ARM_64],
      compatibleRuntimes: [lambda.Runtime.NODEJS_22_X],
      license: 'Apache-2.0 (sharp), LGPL-3.0-or-later (libvips), Bitstream-Vera (DejaVu fonts)',
      code: lambda.Code.fromAsset(PACKAGE_ROOT, {
        // The hash of what is staged: a new layer version only when sharp or the font change.
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Never used: staging is a local copy that always succeeds or throws.
          image: lambda.Runtime.NODEJS_22_X.bundlingImage,
          local: {
            tryBundle(outputDir: string): boolean {
              stageImageLayer(outputDir);
              return true;
            },
          },
        },
      }),
    });
  }
}
