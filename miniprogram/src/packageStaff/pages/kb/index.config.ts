export default definePageConfig({ navigationBarTitleText: '我的知识条目', enablePullDownRefresh: true });
