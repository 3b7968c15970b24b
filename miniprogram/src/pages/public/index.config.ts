export default definePageConfig({ navigationBarTitleText: '数据公开' });
