export default definePageConfig({ navigationBarTitleText: '平台工作台', enablePullDownRefresh: true });
