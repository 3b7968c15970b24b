import fs from 'node:fs';
import type { Compiler, Compilation } from 'webpack';

/**
 * h5: the page chunks of the route the visitor opens start downloading with index.html instead of
 * after app.js has run (and, for a scanned code, the form's chunks before home has redirected):
 * on a 400 ms link each wave of lazily imported chunks costs a round trip plus its bytes.
 * An inline script adds `<link rel=preload>` for the files of the opened route's page.
 * `H5_STATS=<file>` also writes each chunk's files and modules (largest first) as JSON.
 */
export class PreloadEntryPages {
  constructor(private readonly opts: { pages: string[]; sceneRoute: string; home: string }) {}

  apply(compiler: Compiler): void {
    compiler.hooks.compilation.tap('PreloadEntryPages', (compilation: Compilation) => {
      // Taro resolves html-webpack-plugin itself; take the same copy so the hooks match.
      const HtmlWebpackPlugin = compiler.options.plugins.find((p) => p?.constructor?.name === 'HtmlWebpackPlugin')?.constructor as unknown as {
        getHooks(c: Compilation): { alterAssetTagGroups: { tap(name: string, f: (d: { headTags: unknown[] }) => unknown): void } };
      } | undefined;
      if (!HtmlWebpackPlugin) return;
      HtmlWebpackPlugin.getHooks(compilation).alterAssetTagGroups.tap('PreloadEntryPages', (data) => {
        const publicPath = String(compilation.outputOptions.publicPath ?? '/');
        const files: Record<string, string[]> = {};
        for (const group of compilation.chunkGroups) {
          for (const origin of group.origins) {
            const page = this.opts.pages.find((p) => origin.request && origin.request.replace(/\\/g, '/').endsWith(p));
            if (!page) continue;
            const own = [...new Set(group.chunks.flatMap((c) => [...c.files]))].filter((f) => /\.(js|css)$/.test(f));
            files[page] = [...new Set([...(files[page] ?? []), ...own])];
          }
        }
        const routes: Record<string, string[]> = {};
        for (const [page, list] of Object.entries(files)) routes[`/${page}`] = list;
        const home = files[this.opts.home] ?? [];
        const scene = files[this.opts.sceneRoute] ?? [];
        // The root path opens home; a scanned code's `scene` goes on to the form.
        const script = `!function(d,l,p,r,h,s){var f=r[l.pathname.replace(/\\/$/,'')]||(l.pathname==='/'||l.pathname===''?h:[]);if(/[?&]scene=/.test(l.search))f=f.concat(s);f.forEach(function(n){var e=d.createElement('link');e.rel='preload';e.as=/\\.css$/.test(n)?'style':'script';e.href=p+n;d.head.appendChild(e)})}(document,location,${JSON.stringify(publicPath)},${JSON.stringify(routes)},${JSON.stringify(home)},${JSON.stringify(scene)});`;
        data.headTags.unshift({ tagName: 'script', voidTag: false, meta: { plugin: 'PreloadEntryPages' }, attributes: {}, innerHTML: script });
        if (process.env.H5_STATS) {
          const out: Record<string, { files: string[]; modules: Array<[string, number]> }> = {};
          for (const chunk of compilation.chunks) {
            const mods = compilation.chunkGraph.getChunkModules(chunk).map((m) => [m.readableIdentifier(compilation.requestShortener), m.size()] as [string, number]);
            out[String(chunk.id)] = { files: [...chunk.files], modules: mods.sort((a, b) => b[1] - a[1]) };
          }
          fs.writeFileSync(process.env.H5_STATS, JSON.stringify({ routes, out }, null, 1));
        }
        return data;
      });
    });
  }
}
