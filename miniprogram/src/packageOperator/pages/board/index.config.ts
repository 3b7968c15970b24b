export default definePageConfig({ navigationBarTitleText: '督办看板', enablePullDownRefresh: true });
