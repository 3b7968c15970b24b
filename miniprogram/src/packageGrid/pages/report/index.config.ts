export default definePageConfig({
  navigationBarTitleText: '现场上报',
  ...(process.env.TARO_ENV === 'weapp' ? { usingComponents: { 'native-recorder': '../../../components/native-recorder/index' } } : {}),
});
