import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import { PreloadEntryPages } from './preload';

const repo = path.resolve(__dirname, '..', '..');
const shared = path.join(repo, 'shared');
const platform = process.env.TARO_ENV ?? 'weapp';
// Main-package pages (as in src/app.config.ts): a visitor can open any of them directly.
const MAIN_PAGES = ['pages/home/index', 'pages/submit/index', 'pages/result/index', 'pages/mine/index', 'pages/detail/index', 'pages/lookup/index', 'pages/public/index'];

export default defineConfig<'webpack5'>(async () => {
  const config: UserConfigExport<'webpack5'> = {
    projectName: 'mashang-fanying',
    date: '2025-11-21',
    designWidth: 375,
    deviceRatio: { 375: 2, 640: 2.34 / 2, 750: 1, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${platform}`,
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    // App code imports shared/ as @shared; modules jest tests directly (drafts/, form/, media/limits)
    // use relative paths, because jest runs with the root config.
    alias: { '@shared': shared },
    defineConstants: {
      // CloudBase env id for weapp; empty → the env the DevTools project is bound to.
      CLOUD_ENV: JSON.stringify(process.env.TARO_APP_CLOUD_ENV ?? ''),
      // h5: where the local runtime answers /api; empty → the same origin that serves the page.
      API_BASE: JSON.stringify(process.env.TARO_APP_API_BASE ?? ''),
    },
    copy: { patterns: [], options: {} },
    mini: {
      // shared/ sits outside sourceRoot: Taro compiles only what it is told to.
      compile: { include: [shared] },
      postcss: {
        pxtransform: { enable: true, config: {} },
      },
      // Licence comments stay inline, so the code package has no extra *.LICENSE.txt files.
      webpackChain(chain) {
        chain.optimization.minimizer('terserPlugin').tap(([options]) => [{ ...options, extractComments: false }]);
      },
    },
    h5: {
      compile: { include: [shared] },
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'browser' },
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[chunkhash:8].js' },
      miniCssExtractPluginOption: { ignoreOrder: true, filename: 'css/[name].[contenthash:8].css', chunkFilename: 'css/[name].[chunkhash:8].css' },
      postcss: { autoprefixer: { enable: true, config: {} } },
      // Taro splits only initial chunks on h5, so every page chunk carried its own copy of NutUI
      // and the shared components (≈380 KB each); splitting all chunks shares them.
      webpackChain(chain) {
        const split = chain.optimization.get('splitChunks') ?? {};
        // Taro's minSize 0 made a chunk of every module set two pages share, however small: the
        // entry page came in 35 requests of which 25 were under 2 KB, each paying the link's round
        // trip and ~1 KB of headers (issue 17). Shared code under 20 KB stays in each page's chunk.
        chain.optimization.splitChunks({ ...split, chunks: 'all', minSize: 20_000 });
        // Taro's H5 runtime imports the whatwg-fetch polyfill for browsers without fetch (iOS < 10.3,
        // Android 4.x): every browser this app supports has fetch, and the polyfill was 17 KB of
        // the entry page (issue 17).
        chain.merge({ resolve: { alias: { 'whatwg-fetch$': false } } });
        chain.plugin('preloadEntryPages').use(PreloadEntryPages, [{ pages: MAIN_PAGES, home: 'pages/home/index', sceneRoute: 'pages/submit/index' }]);
      },
    },
  };
  return config;
});
