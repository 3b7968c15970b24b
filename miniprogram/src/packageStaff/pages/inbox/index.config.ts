export default definePageConfig({ navigationBarTitleText: '收件箱', enablePullDownRefresh: true });
