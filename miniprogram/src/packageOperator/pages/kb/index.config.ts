export default definePageConfig({ navigationBarTitleText: '知识库维护', enablePullDownRefresh: true });
