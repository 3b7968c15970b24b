export default defineAppConfig({
  pages: ['pages/home/index'],
  window: { navigationBarTitleText: '码上反映', navigationBarBackgroundColor: '#ffffff', navigationBarTextStyle: 'black' },
});
