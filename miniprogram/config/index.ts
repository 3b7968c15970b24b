import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';

const repo = path.resolve(__dirname, '..', '..');
const platform = process.env.TARO_ENV ?? 'weapp';

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
    alias: {
      '@shared': path.join(repo, 'shared'),
      '@': path.resolve(__dirname, '..', 'src'),
    },
    defineConstants: {},
    copy: { patterns: [], options: {} },
    mini: {
      postcss: {
        pxtransform: { enable: true, config: {} },
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'browser' },
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[chunkhash:8].js' },
      miniCssExtractPluginOption: { ignoreOrder: true, filename: 'css/[name].[contenthash:8].css', chunkFilename: 'css/[name].[chunkhash:8].css' },
      postcss: { autoprefixer: { enable: true, config: {} } },
    },
  };
  return config;
});
