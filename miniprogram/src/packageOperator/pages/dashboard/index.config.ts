export default definePageConfig({ navigationBarTitleText: '统计分析' });
