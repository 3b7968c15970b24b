export default definePageConfig({
  navigationBarTitleText: '我要反映',
  // weapp: the voice recorder is a native component; h5 records with MediaRecorder.
  ...(process.env.TARO_ENV === 'weapp' ? { usingComponents: { 'native-recorder': '../../components/native-recorder/index' } } : {}),
});
