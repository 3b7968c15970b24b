export default definePageConfig({ navigationBarTitleText: '绑定承办单位' });
