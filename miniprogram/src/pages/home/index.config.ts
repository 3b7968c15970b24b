export default definePageConfig({ navigationBarTitleText: '码上反映' });
