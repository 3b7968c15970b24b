export default definePageConfig({ navigationBarTitleText: '诉求办理简报' });
